"""Loading seed files: idempotent, all or nothing, and every mistake named by file, line, field."""

import re
import shutil
import unicodedata
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from mart import operations, seeds
from mart.cli import app
from mart.config import DEFAULT_SEEDS_DIR, REPO_ROOT
from mart.db import MartError, connect, make_engine
from mart.load import values, write
from mart.seedfiles import read_fact_file
from tests.conftest import BACKENDS, FOUNDING_SEEDS, snapshot

ARTICLE = "xiaomi-q2-2017-shipments.txt"

# A small fact file whose line numbers the tests below rely on.
GOOD = """\
source:
  text: article.txt
  title: Test article
  published_on: 2017-07-08
companies:
  - key: xiaomi
    name: Xiaomi
facts:
  - metric: smartphone_shipments
    company: xiaomi
    period: Q2 2017
    value: 23.16 million
    basis: reported
    quote: it has shipped 23.16 million smartphones in Q2 2017
  - metric: patents_international_share
    company: xiaomi
    period: last year
    value: 0.5
    basis: reported
    quote: Moreover, half were international patents.
"""

# A made-up text stating figures with words around them, and the fact file's header for it:
# two research firms, a segment, a company with a fiscal year ending in September.
WORDS_TEXT = (
    "date 2017-07-08\n"
    "Acme shipped more than 2 million smartphones in Q2 2017. It delivered just over 22,000 "
    "vehicles in Q2 2017. Operating profit was about 14 trillion won in Q2 2017. Revenue was "
    "between 49 billion and 52 billion won in Q1 2017. Acme produced nearly 30,000 vehicles "
    "in Q2 2017 and expects to sell up to 5 million units in 2017. Canalys said Acme shipped "
    "21 million smartphones in Q1 2017, while IDC put it at 22 million smartphones in Q1 2017.\n"
)
WORDS_HEADER = """\
source:
  text: acme.txt
  title: Acme
companies:
  - {key: acme, name: Acme}
segments:
  - {key: acme-phones, name: Phones, company: acme}
attributions:
  - {key: canalys, name: Canalys, kind: research_firm}
  - {key: idc, name: IDC, kind: research_firm}
facts:
"""


def fact(**fields: str) -> str:
    """One fact of a YAML list, a field a line, in the order given."""
    return "  - " + "\n    ".join(f"{k}: {v}" for k, v in fields.items()) + "\n"


@pytest.fixture(scope="session")
def founded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB mart holding the founding sources, built once: copy it, never change it."""
    path = tmp_path_factory.mktemp("founded") / "mart.duckdb"
    engine = make_engine(f"duckdb:///{path}")
    try:
        operations.upgrade(engine)
        operations.seed(engine, FOUNDING_SEEDS)
    finally:
        engine.dispose()
    return path


@pytest.fixture
def founding_mart(founded_file: Path, tmp_path: Path) -> Iterator[Engine]:
    """A fresh copy of founded_file: the founding mart on DuckDB, without loading it again."""
    path = tmp_path / "founded.duckdb"
    shutil.copy(founded_file, path)
    engine = make_engine(f"duckdb:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(DEFAULT_SEEDS_DIR / ARTICLE, folder / "article.txt")
    shutil.copy(DEFAULT_SEEDS_DIR / "catalogue.yaml", folder / "catalogue.yaml")
    (folder / "acme.txt").write_text(WORDS_TEXT, encoding="utf-8")
    return folder


def write_facts(seed_dir: Path, content: str, name: str = "test-article.yaml") -> Path:
    path = seed_dir / name
    path.write_text(content, encoding="utf-8")
    return path


def rows(engine: Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def test_seed_texts_are_the_corpus_verbatim() -> None:
    corpus = REPO_ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"the shared corpus is not beside this checkout ({corpus})")
    for name in (ARTICLE, "globaltimes-2017-07-07-summary.txt"):
        assert (DEFAULT_SEEDS_DIR / name).read_bytes() == (corpus / name).read_bytes()


def test_a_fact_file_reads_as_rows_of_text_with_their_lines(seed_dir: Path) -> None:
    facts = read_fact_file(write_facts(seed_dir, GOOD))
    assert facts.text.published_on.isoformat() == "2017-07-08"
    staged = facts.rows()
    assert staged["value"] == ["23.16 million", "0.5"]
    assert staged["period"] == ["Q2 2017", "last year"]
    assert staged["row_number"] == [9, 15]
    assert staged["unit"] == [None, None]
    assert facts.fact_line(1, "value") == 18


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_loading_twice_is_loading_once(founded: Engine) -> None:
    before = snapshot(founded)
    report = operations.seed(founded, FOUNDING_SEEDS)
    assert report.loaded == {}
    assert sorted(report.unchanged) == ["globaltimes-2017-07-07-summary", ARTICLE[:-4]]
    assert snapshot(founded) == before
    assert len(before["statement"]) == 19 + 13
    assert rows(
        founded,
        "select source_key, count(*) from fact_provenance group by 1 order by 1",
    ) == [("globaltimes-2017-07-07-summary", 13), (ARTICLE[:-4], 19)]


def test_a_changed_fact_file_replaces_that_source_only(founded: Engine, seed_dir: Path) -> None:
    path = write_facts(seed_dir, GOOD)
    operations.seed(founded, [path])
    founding = rows(founded, "select * from fact_provenance where source_key <> 'test-article'")
    write_facts(seed_dir, GOOD.replace("value: 23.16 million", "value: 23.2 million"))
    report = operations.seed(founded, [path, *FOUNDING_SEEDS])
    assert report.loaded == {"test-article": 2}
    assert sorted(report.unchanged) == ["globaltimes-2017-07-07-summary", ARTICLE[:-4]]
    assert rows(
        founded,
        "select metric, value, value_precision, seed_line from fact_provenance "
        "where source_key = 'test-article' order by seed_line",
    ) == [
        ("smartphone_shipments", Decimal("23200000"), Decimal("100000"), 9),
        ("patents_international_share", Decimal("0.5"), Decimal("0.1"), 15),
    ]
    assert rows(founded, "select * from fact_provenance where source_key <> 'test-article'") == (
        founding
    )


def test_an_unchanged_file_named_by_another_path_is_unchanged(
    migrated: Engine, seed_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_facts(seed_dir, GOOD)
    operations.seed(migrated, [path])
    ids = rows(migrated, "select fact_id from fact_provenance order by seed_line")
    monkeypatch.chdir(seed_dir)
    report = operations.seed(migrated, [Path(path.name)])
    assert (report.loaded, report.unchanged) == ({}, ["test-article"])
    assert rows(migrated, "select fact_id from fact_provenance order by seed_line") == ids


BAD_INPUTS = [
    pytest.param(
        GOOD.replace("    period: Q2 2017\n", "    period: [Q2 2017\n"),
        "{path}:12: malformed YAML: expected ',' or ']', but got ':'",
        id="malformed-yaml",
    ),
    pytest.param(
        GOOD.replace("metric: smartphone_shipments", "metric: smartphone_shipmentz"),
        "{path}:9: facts[0].metric: unknown metric smartphone_shipmentz: add it to catalogue.yaml",
        id="unknown-metric",
    ),
    pytest.param(
        GOOD.replace("it has shipped 23.16", "it has shipped 23.61"),
        "{path}:14: facts[0].quote: quote not found in the source text: "
        "it has shipped 23.61 million smartphones in Q2 2017",
        id="quote-not-in-text",
    ),
    pytest.param(
        GOOD.replace("period: Q2 2017", "period: Q5 2017"),
        "{path}:11: facts[0].period: cannot read period 'Q5 2017': write it as in the source "
        "(e.g. 'Q2 2017', 'last year', 'the June quarter', 'fiscal 2017', "
        "'Q1 FY18', 'next 12 months') or as a label (2017-Q2, 2017-H1, 2016, 2017-02, 2017-07-07, "
        "FY2018-Q1, FY2018, or dates 2017-04-01/2017-06-30)",
        id="invalid-period",
    ),
    pytest.param(
        GOOD.replace("value: 23.16 million", "value: -5"),
        "{path}:12: facts[0].value: -5 is negative; a figure in units cannot be",
        id="negative-count",
    ),
    pytest.param(
        GOOD.replace("value: 0.5", "value: 1.5"),
        "{path}:18: facts[1].value: 1.5 is above 1, the largest share value (write half as 0.5)",
        id="share-above-1",
    ),
    pytest.param(
        GOOD.replace("text: article.txt", "text: missing.txt"),
        "{path}:2: source.text: source text not found: {dir}/missing.txt",
        id="missing-source-text",
    ),
    pytest.param(
        GOOD.replace("    basis: reported\n", "    basis: rumoured\n", 1),
        "{path}:13: facts[0].basis: not one of reported, preliminary, derived, guidance, "
        "consensus, expected, target, planned: rumoured",
        id="unknown-basis",
    ),
    pytest.param(
        GOOD.replace("    basis: reported\n", "    basis: approximate\n", 1),
        "{path}:13: facts[0].basis: approximate is no longer a basis: write basis: reported (or "
        "target, expected) and put the word in the value, e.g. value: about 14 trillion",
        id="approximate-basis",
    ),
    pytest.param(
        GOOD.replace("    value: 23.16 million\n", "    value: 23.16 million\n    colour: red\n"),
        "{path}:13: facts[0].colour: unknown field (check the spelling)",
        id="unknown-field",
    ),
    pytest.param(
        GOOD.replace(
            "    company: xiaomi\n    period: last", "    company: apple\n    period: last"
        ),
        "{path}:16: facts[1].company: company apple is not declared under companies: in this file",
        id="undeclared-company",
    ),
    pytest.param(
        GOOD.replace("value: 23.16 million", "value: 23.16 million\n    unit: USD"),
        "{path}:13: facts[0].unit: 'USD' does not fit metric smartphone_shipments, measured in "
        "units",
        id="wrong-unit",
    ),
    pytest.param(
        GOOD.replace("value: 23.16 million", "value: 23.16 million\n    unit: furlongs"),
        "{path}:13: facts[0].unit: 'furlongs' does not fit metric smartphone_shipments, "
        "measured in units",
        id="unknown-unit",
    ),
    pytest.param(
        GOOD
        + GOOD[GOOD.index("  - metric: smartphone") : GOOD.index("  - metric: patents")].replace(
            "23.16 million", "24 million", 1
        ),
        "{path}:24: facts[2].value: conflicting value: 24000000 here, 23160000 at line 9 for "
        "the same metric, company, period, region, product, segment, attribution, unit and basis",
        id="conflicting-value",
    ),
    pytest.param(
        GOOD + GOOD[GOOD.index("  - metric: smartphone") : GOOD.index("  - metric: patents")],
        "{path}:21: facts[2].metric: states the same fact as line 9",
        id="same-fact-twice",
    ),
    pytest.param(
        GOOD.replace("metric: patents_international_share", "metric: patents_granted").replace(
            "    value: 0.5\n", "    value: 0.5\n    unit: share\n"
        ),
        "{path}:19: facts[1].unit: 'share' does not fit metric patents_granted, measured in "
        "patents",
        id="share-for-a-count-metric",
    ),
    pytest.param(
        GOOD.replace("    quote: Moreover", "    wording: most\n    quote: Moreover"),
        "{path}:20: facts[1].wording: 'most' is not part of the quote",
        id="wording-not-in-quote",
    ),
    pytest.param(
        GOOD.replace("value: 23.16 million", "value: lots"),
        "{path}:12: facts[0].value: 'lots' is not a number (write e.g. 23.16 million, 7,071, "
        "about 14 trillion, more than 2 million, between 49 billion and 52 billion)",
        id="value-not-a-number",
    ),
    pytest.param(
        GOOD.replace("value: 23.16 million", "value: yes"),
        "{path}:12: facts[0].value: write 1 for yes and 0 for no",
        id="value-a-yaml-boolean",
    ),
    pytest.param(
        GOOD.replace("    value: 0.5\n", "    value: 0.5\n    period_wording: last year\n"),
        "{path}:19: facts[1].period_wording: 'last year' is not part of the quote",
        id="period-wording-not-in-quote",
    ),
    pytest.param(
        GOOD.replace("quote: Moreover, half were international patents.", 'quote: ""'),
        "{path}:20: facts[1].quote: missing (required)",
        id="empty-quote",
    ),
    # Hostile or accidental YAML: refused by the one-pass reader before anything is built.
    pytest.param(
        GOOD.replace(
            "companies:\n",
            "lol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
            "lol2: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "lol3: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
            "companies:\n",
        ),
        "{path}:5: YAML anchors and aliases (&name, *name) are not allowed in fact files",
        id="billion-laughs",
    ),
    pytest.param(
        GOOD.replace("    period: Q2 2017\n", "    period: Q2 2017\n    period: Q3 2017\n"),
        "{path}:12: duplicate key 'period' (first at line 11)",
        id="duplicate-key",
    ),
    pytest.param(
        GOOD.replace("companies:\n", "deep: " + "[" * 500 + "]" * 500 + "\ncompanies:\n"),
        "{path}:5: nested deeper than 32 levels",
        id="deeply-nested-flow",
    ),
    pytest.param(
        GOOD.replace(
            "companies:\n",
            "deep:\n" + "".join(f"{'  ' * (i + 1)}k{i}:\n" for i in range(40)) + "companies:\n",
        ),
        "{path}:37: nested deeper than 32 levels",
        id="deeply-nested-block",
    ),
    pytest.param(
        GOOD.replace("value: 0.5", "value: !!python/object/apply:os.system [ls]"),
        "{path}:18: YAML tags (!...) are not allowed in fact files",
        id="python-tag",
    ),
    pytest.param(
        GOOD.replace("quote: Moreover, half", "quote: He said: Moreover, half"),
        "{path}:20: malformed YAML: the quote contains ': ' — put the quote in quotes (\"...\")",
        id="colon-in-unquoted-quote",
    ),
]


@pytest.mark.parametrize(("content", "expected"), BAD_INPUTS)
def test_bad_fact_file_is_refused_and_changes_nothing(
    founding_mart: Engine, seed_dir: Path, content: str, expected: str
) -> None:
    path = write_facts(seed_dir, content)
    before = snapshot(founding_mart)
    with pytest.raises(MartError) as error:
        operations.seed(founding_mart, [path])
    message = expected.format(path=path, dir=seed_dir)
    assert str(error.value) == message
    assert "\n" not in str(error.value)
    assert snapshot(founding_mart) == before


# Facts about the made-up Acme text, each checked below with what it must store.
QUARTER = "Q2 2017"
WORD_FACTS = [
    fact(
        metric="smartphone_shipments",
        company="acme",
        period=QUARTER,
        value="more than 2 million",
        basis="reported",
        quote="Acme shipped more than 2 million smartphones in Q2 2017",
    ),
    fact(
        metric="vehicle_deliveries",
        company="acme",
        period=QUARTER,
        value="just over 22,000",
        basis="reported",
        quote="It delivered just over 22,000 vehicles",
    ),
    fact(
        metric="operating_profit",
        company="acme",
        period=QUARTER,
        value="about 14 trillion",
        unit="KRW",
        basis="reported",
        quote="Operating profit was about 14 trillion won",
    ),
    fact(
        metric="revenue",
        company="acme",
        period="Q1 2017",
        segment="acme-phones",
        value="between 49 billion and 52 billion",
        unit="KRW",
        basis="reported",
        quote="Revenue was between 49 billion and 52 billion won",
    ),
    fact(
        metric="vehicle_production",
        company="acme",
        period=QUARTER,
        value="nearly 30,000",
        basis="reported",
        quote="Acme produced nearly 30,000 vehicles",
    ),
    fact(
        metric="unit_sales",
        company="acme",
        period="2017",
        value="up to 5 million",
        basis="expected",
        quote="expects to sell up to 5 million units in 2017",
    ),
]
CANALYS = fact(
    metric="smartphone_shipments",
    company="acme",
    period="Q1 2017",
    attributed_to="canalys",
    value="21 million",
    basis="reported",
    quote="Canalys said Acme shipped 21 million smartphones in Q1 2017",
)
IDC = fact(
    metric="smartphone_shipments",
    company="acme",
    period="Q1 2017",
    attributed_to="idc",
    value="22 million",
    basis="reported",
    quote="IDC put it at 22 million smartphones in Q1 2017",
)


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_value_words_give_bounds_ranges_and_precision(migrated: Engine, seed_dir: Path) -> None:
    write_facts(seed_dir, WORDS_HEADER + "".join(WORD_FACTS), "acme.yaml")
    report = operations.seed(migrated, [seed_dir / "acme.yaml"])
    assert report.loaded == {"acme": 6}
    billion, trillion = 10**9, 10**12
    assert rows(
        migrated,
        "select metric, period, value, value_high, bound, value_precision, unit, segment "
        "from fact_provenance order by seed_line",
    ) == [
        ("smartphone_shipments", "2017-Q2", 2000000, None, "at_least", 1000000, "units", None),
        ("vehicle_deliveries", "2017-Q2", 22000, None, "at_least", 1, "units", None),
        ("operating_profit", "2017-Q2", 14 * trillion, None, "about", trillion, "KRW", None),
        ("revenue", "2017-Q1", 49 * billion, 52 * billion, "range", billion, "KRW", "Phones"),
        ("vehicle_production", "2017-Q2", 30000, None, "at_most", 1, "units", None),
        ("unit_sales", "2017", 5000000, None, "at_most", 1000000, "units", None),
    ]
    # What each bound allows: about 14 trillion is 13.5 to 14.5 trillion.
    assert rows(
        migrated, "select interval_low, interval_high from fact_provenance order by seed_line"
    ) == [
        (2000000, None),
        (22000, None),
        (Decimal("13.5e12"), Decimal("14.5e12")),
        (49 * billion, 52 * billion),
        (None, 30000),
        (None, 5000000),
    ]


def test_brokers_words_circa_a_touch_and_lost(migrated: Engine, seed_dir: Path) -> None:
    # "c." (circa) is about, "a touch under/over" at most/at least, "lost" a loss.
    (seed_dir / "broker.txt").write_text(
        "date 2019-02-21\nAcme lost 1.8 billion dollars in 2018. Sales were c. 5 billion "
        "dollars in 2018, the margin a touch under 3 percent and growth a touch over 10 percent."
        "\n",
        encoding="utf-8",
    )
    quotes = {
        "net_income": ("lost 1.8 billion", "USD", "Acme lost 1.8 billion dollars in 2018."),
        "revenue": ("c. 5 billion", "USD", "Sales were c. 5 billion dollars in 2018"),
        "operating_margin": ("a touch under 3", None, "the margin a touch under 3 percent"),
        "revenue_yoy_growth": ("a touch over 10", None, "growth a touch over 10 percent"),
    }
    facts = "".join(
        f"  - {{metric: {metric}, company: acme, period: 2018, value: {value}, basis: reported, "
        f"{f'unit: {unit}, ' if unit else ''}wording: {value}, quote: {quote}}}\n"
        for metric, (value, unit, quote) in quotes.items()
    )
    write_facts(
        seed_dir,
        "source:\n  text: broker.txt\n  title: Acme\ncompanies:\n  - {key: acme, name: Acme}\n"
        "facts:\n" + facts,
        "broker.yaml",
    )
    assert operations.seed(migrated, [seed_dir / "broker.yaml"]).loaded == {"broker": 4}
    assert rows(
        migrated,
        "select metric, value, bound, interval_low, interval_high from fact_provenance "
        "order by seed_line",
    ) == [
        ("net_income", -1800000000, "exact", -1850000000, -1750000000),
        ("revenue", 5000000000, "about", 4500000000, 5500000000),
        ("operating_margin", 3, "at_most", None, 3),
        ("revenue_yoy_growth", 10, "at_least", 10, None),
    ]


@pytest.mark.parametrize(
    "written",
    [
        "23.16 million",
        "about 14 trillion",
        "a loss of more than rs 2 crore",
        "49 to 52 billion",
        "between us$49 billion and us$52 billion",
        "over 5",
        "almost 3",
        "€1.2 billion",
        "fewer than 160 million",
    ],
)
def test_the_fast_value_pattern_reads_what_the_full_one_reads(written: str) -> None:
    """The loader tries the pattern without ISO codes first (RE2 is faster on it): wherever it
    matches, the full pattern reads the same groups."""
    plain = re.fullmatch(values._PLAIN_VALUE_PATTERN, written)
    assert plain is not None
    full = re.fullmatch(values.VALUE_PATTERN, written)
    assert full is not None and full.groups() == plain.groups()


def test_an_iso_code_before_the_digits_is_the_currency(migrated: Engine, seed_dir: Path) -> None:
    """Any ISO 4217 code the mart knows may stand before the digits, as a sign may."""
    revenue = WORD_FACTS[3].replace(
        "value: between 49 billion and 52 billion", "value: SEK 49 billion to SEK52bn"
    )
    write_facts(seed_dir, WORDS_HEADER + revenue.replace("    unit: KRW\n", ""), "acme.yaml")
    assert operations.seed(migrated, [seed_dir / "acme.yaml"]).loaded == {"acme": 1}
    assert rows(migrated, "select value, value_high, bound, unit from fact_provenance") == [
        (49 * 10**9, 52 * 10**9, "range", "SEK")
    ]


BAD_WORDS = [
    pytest.param(
        WORD_FACTS[0].replace("    basis:", "    bound: at_most\n    basis:"),
        "{path}:16: facts[0].bound: 'at_most' contradicts the value's own word: "
        "more than 2 million",
        id="bound-contradicts-word",
    ),
    pytest.param(
        WORD_FACTS[0].replace("    basis:", "    value_high: 3 million\n    basis:"),
        "{path}:16: facts[0].value_high: a high end is only for a range (bound: range, or "
        "between X and Y)",
        id="high-end-without-range",
    ),
    pytest.param(
        WORD_FACTS[3].replace("unit: KRW", "unit: XYZ"),
        "{path}:17: facts[0].unit: XYZ is not an ISO 4217 currency code (metric revenue is an "
        "amount of money: write e.g. USD, CNY, KRW, INR)",
        id="unknown-currency",
    ),
    pytest.param(
        WORD_FACTS[3].replace("value: between 49 billion and 52 billion", "value: XYZ 49 billion"),
        "{path}:16: facts[0].value: 'XYZ 49 billion' is written in XYZ, which is no ISO 4217 "
        "currency code the mart knows (and no currency sign)",
        id="three-letters-not-a-currency",
    ),
    pytest.param(
        WORD_FACTS[3].replace("value: between 49 billion and 52 billion", "value: SEK 49 billion"),
        "{path}:16: facts[0].value: 'SEK 49 billion' is written in SEK, but unit is KRW",
        id="code-before-digits-not-the-unit",
    ),
    pytest.param(
        WORD_FACTS[3].replace("    unit: KRW\n", ""),
        "{path}:12: facts[0].unit: metric revenue needs a currency: an ISO 4217 code such as "
        "USD, EUR or KRW",
        id="currency-missing",
    ),
    pytest.param(
        WORD_FACTS[3].replace("segment: acme-phones", "segment: acme-cars"),
        "{path}:15: facts[0].segment: segment acme-cars is not declared under segments: in "
        "this file",
        id="undeclared-segment",
    ),
    pytest.param(
        CANALYS.replace("attributed_to: canalys", "attributed_to: gartner"),
        "{path}:15: facts[0].attributed_to: gartner is not declared under attributions: in "
        "this file",
        id="undeclared-attribution",
    ),
    # The same authority giving two values for one figure of one article: a conflict.
    pytest.param(
        CANALYS + IDC.replace("attributed_to: idc", "attributed_to: canalys"),
        "{path}:23: facts[1].value: conflicting value: 22000000 here, 21000000 at line 12 for "
        "the same metric, company, period, region, product, segment, attribution, unit and basis",
        id="same-authority-two-values",
    ),
    pytest.param(
        WORD_FACTS[0].replace("value: more than 2 million", "value: " + "9" * 5000),
        "{path}:15: facts[0].value: '" + "9" * 67 + "...' has more digits than a value may "
        "have (18 before the point, 6 after)",
        id="thousands-of-digits",
    ),
]


@pytest.mark.parametrize(("facts", "expected"), BAD_WORDS)
def test_bad_words_are_refused_and_change_nothing(
    founding_mart: Engine, seed_dir: Path, facts: str, expected: str
) -> None:
    path = write_facts(seed_dir, WORDS_HEADER + facts, "acme.yaml")
    before = snapshot(founding_mart)
    with pytest.raises(MartError) as error:
        operations.seed(founding_mart, [path])
    assert str(error.value) == expected.format(path=path)
    assert snapshot(founding_mart) == before


def test_a_value_with_thousands_of_digits_is_refused_in_one_line(
    founding_mart: Engine, seed_dir: Path
) -> None:
    content = WORD_FACTS[0].replace("value: more than 2 million", "value: " + "9" * 5000)
    path = write_facts(seed_dir, WORDS_HEADER + content, "acme.yaml")
    before = snapshot(founding_mart)
    with pytest.raises(MartError) as error:
        operations.seed(founding_mart, [path])
    message = str(error.value)
    assert message.startswith(f"{path}:15: facts[0].value: '9999")
    assert message.endswith(
        "' has more digits than a value may have (18 before the point, 6 after)"
    )
    assert "\n" not in message
    assert snapshot(founding_mart) == before


def test_two_authorities_giving_one_figure_are_two_statements(
    migrated: Engine, seed_dir: Path
) -> None:
    write_facts(seed_dir, WORDS_HEADER + CANALYS + IDC, "acme.yaml")
    operations.seed(migrated, [seed_dir / "acme.yaml"])
    assert rows(
        migrated,
        "select metric, period, attributed_to, attribution_kind, value, seed_line "
        "from fact_provenance order by seed_line",
    ) == [
        ("smartphone_shipments", "2017-Q1", "Canalys", "research_firm", 21000000, 12),
        ("smartphone_shipments", "2017-Q1", "IDC", "research_firm", 22000000, 19),
    ]


PERIOD_TEXT = (
    "date 2017-07-07\nShipments rose on July 8. Production starts on Friday and shipments "
    "start on Friday.\n"
)


def test_a_reported_day_after_publication_asks_for_a_label(
    founding_mart: Engine, seed_dir: Path
) -> None:
    (seed_dir / "acme.txt").write_text(PERIOD_TEXT, encoding="utf-8")
    content = fact(
        metric="smartphone_shipments",
        company="acme",
        period="on July 8",
        value="5",
        basis="reported",
        quote="Shipments rose on July 8",
    )
    path = write_facts(seed_dir, WORDS_HEADER + content, "acme.yaml")
    before = snapshot(founding_mart)
    with pytest.raises(MartError) as error:
        operations.seed(founding_mart, [path])
    assert str(error.value) == (
        f"{path}:14: facts[0].period: cannot place 'on July 8' for a reported figure: the "
        "latest July 8 on or before publication (2017-07-07) is 2016-07-08, but 2017-07-08 is "
        "1 day after it; write the period as a label (2016-07-08 or 2017-07-08)"
    )
    assert snapshot(founding_mart) == before


def test_a_weekday_looks_back_for_reports_and_forward_for_targets(
    migrated: Engine, seed_dir: Path
) -> None:
    # Published on a Saturday: the reported Friday is the day before, the target one next week.
    (seed_dir / "acme.txt").write_text(PERIOD_TEXT.replace("07-07", "07-08"), encoding="utf-8")
    content = fact(
        metric="production_start",
        company="acme",
        period="on Friday",
        value="1",
        basis="target",
        quote="Production starts on Friday",
    ) + fact(
        metric="results_announcement",
        company="acme",
        period="on Friday",
        value="1",
        basis="reported",
        quote="shipments start on Friday",
    )
    write_facts(seed_dir, WORDS_HEADER + content, "acme.yaml")
    operations.seed(migrated, [seed_dir / "acme.yaml"])
    assert rows(
        migrated,
        "select metric, basis, period, period_start, period_wording from fact_provenance "
        "order by seed_line",
    ) == [
        ("production_start", "target", "2017-07-14", date(2017, 7, 14), "on Friday"),
        ("results_announcement", "reported", "2017-07-07", date(2017, 7, 7), "on Friday"),
    ]


FISCAL_TEXT = (
    "date 2017-08-01\nApple reported revenue of 45.4 billion US dollars for its fiscal 2017 "
    "third quarter, which ended on July 1, 2017, up 7 percent from 42.4 billion dollars in the "
    "year-ago quarter.\n"
)
FISCAL_HEADER = """\
source:
  text: apple.txt
  title: Apple
companies:
  - {key: apple, name: Apple, fiscal_year_end_month: 9}
facts:
"""
FISCAL_FACTS = fact(
    metric="revenue",
    company="apple",
    period="fiscal 2017 third quarter",
    period_end="2017-07-01",
    value="45.4 billion",
    unit="USD",
    basis="reported",
    quote="Apple reported revenue of 45.4 billion US dollars for its fiscal 2017 third quarter",
) + fact(
    metric="revenue",
    company="apple",
    period="FY2016-Q3",
    period_wording="in the year-ago quarter",
    value="42.4 billion",
    unit="USD",
    basis="reported",
    quote="up 7 percent from 42.4 billion dollars in the year-ago quarter",
)


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_fiscal_periods_keep_their_label_wording_and_stated_end(
    migrated: Engine, seed_dir: Path
) -> None:
    (seed_dir / "apple.txt").write_text(FISCAL_TEXT, encoding="utf-8")
    write_facts(seed_dir, FISCAL_HEADER + FISCAL_FACTS, "apple.yaml")
    operations.seed(migrated, [seed_dir / "apple.yaml"])
    assert rows(
        migrated,
        "select period, fiscal_period, period_start, period_end, period_wording, value "
        "from fact_provenance order by seed_line",
    ) == [
        (
            "2017-04-01/2017-07-01",
            "FY2017-Q3",
            date(2017, 4, 1),
            date(2017, 7, 1),
            "fiscal 2017 third quarter",
            Decimal("45.4e9"),
        ),
        (
            "2016-Q2",
            "FY2016-Q3",
            date(2016, 4, 1),
            date(2016, 6, 30),
            "in the year-ago quarter",
            Decimal("42.4e9"),
        ),
    ]


def test_a_fiscal_quarter_without_the_companys_calendar_is_refused(
    founding_mart: Engine, seed_dir: Path
) -> None:
    (seed_dir / "apple.txt").write_text(FISCAL_TEXT, encoding="utf-8")
    header = FISCAL_HEADER.replace(", fiscal_year_end_month: 9", "")
    path = write_facts(seed_dir, header + FISCAL_FACTS, "apple.yaml")
    before = snapshot(founding_mart)
    with pytest.raises(MartError) as error:
        operations.seed(founding_mart, [path])
    assert str(error.value) == (
        f"{path}:9: facts[0].period: cannot end period 'fiscal 2017 third quarter' on "
        "2017-07-01: its nominal end is 2017-09-30 (2017-Q3), 91 days away, more than 15; "
        "check the date, or write the period as a label"
    )
    assert snapshot(founding_mart) == before


def test_one_bad_file_keeps_the_good_ones_out_too(migrated: Engine, seed_dir: Path) -> None:
    write_facts(seed_dir, GOOD, "a-good.yaml")
    write_facts(seed_dir, GOOD.replace("period: Q2 2017", "period: Q5 2017"), "b-bad.yaml")
    before = snapshot(migrated)
    with pytest.raises(MartError, match=r"b-bad\.yaml:11: facts\[0\]\.period"):
        operations.seed(migrated, [seed_dir])
    assert snapshot(migrated) == before


OUTSIDE = "keep source texts beside their fact files, or pass --allow-outside-texts"


def load(engine: Engine, paths: list[Path], allow_outside_texts: bool = False) -> Any:
    """seeds.load on one transaction of engine, with the catalogue beside the first path."""
    with connect(engine) as connection, connection.begin():
        return seeds.load(
            connection,
            paths,
            operations.catalogue_for(paths),
            allow_outside_texts=allow_outside_texts,
        )


def test_a_source_text_outside_the_seed_directory_is_refused(
    founding_mart: Engine, seed_dir: Path, tmp_path: Path
) -> None:
    shutil.copy(seed_dir / "article.txt", tmp_path / "elsewhere.txt")
    path = write_facts(seed_dir, GOOD.replace("text: article.txt", "text: ../elsewhere.txt"))
    before = snapshot(founding_mart)
    with pytest.raises(MartError) as error:
        operations.seed(founding_mart, [path])
    assert str(error.value) == (
        f"{path}:2: source.text: {seed_dir}/../elsewhere.txt is outside the seed directory: "
        f"{OUTSIDE}"
    )
    assert snapshot(founding_mart) == before
    report = load(founding_mart, [path], allow_outside_texts=True)
    assert report.loaded == {"test-article": 2}


def test_a_source_text_reached_through_a_symlink_is_refused(
    founding_mart: Engine, seed_dir: Path
) -> None:
    texts = seed_dir / "texts"
    texts.mkdir()
    (seed_dir / "article.txt").rename(texts / "article.txt")
    (seed_dir / "linked").symlink_to(texts, target_is_directory=True)
    path = write_facts(seed_dir, GOOD.replace("text: article.txt", "text: linked/article.txt"))
    before = snapshot(founding_mart)
    with pytest.raises(MartError) as error:
        operations.seed(founding_mart, [path])
    assert str(error.value) == (
        f"{path}:2: source.text: {seed_dir}/linked/article.txt is through a symlink: {OUTSIDE}"
    )
    assert snapshot(founding_mart) == before
    # The same text by its real path, in a folder below the fact file, is fine.
    write_facts(seed_dir, GOOD.replace("text: article.txt", "text: texts/article.txt"))
    assert operations.seed(founding_mart, [path]).loaded == {"test-article": 2}


def test_the_cli_takes_the_flag_the_refusal_names(seed_dir: Path, tmp_path: Path) -> None:
    shutil.copy(seed_dir / "article.txt", tmp_path / "elsewhere.txt")
    path = write_facts(seed_dir, GOOD.replace("text: article.txt", "text: ../elsewhere.txt"))
    db = str(tmp_path / "mart.duckdb")
    assert CliRunner().invoke(app, ["migrate", "--db", db]).exit_code == 0
    result = CliRunner().invoke(app, ["seed", str(path), "--db", db, "--allow-outside-texts"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_database_refusal_rolls_back_the_whole_run(
    founded: Engine, seed_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every mistake in a file is caught before the writes; to see the database refuse one, the
    # write phase ends with a row the period table's own check refuses, after every insert.
    refused = (
        "insert into period (period_label, grain, start_on, end_on) "
        "values ('refused', 'day', date '2017-01-02', date '2017-01-01')"
    )
    write_sql = write.write_sql
    monkeypatch.setattr(write, "write_sql", lambda **o: [*write_sql(**o), refused])
    write_facts(seed_dir, GOOD, "a-good.yaml")
    write_facts(seed_dir, GOOD.replace("value: 23.16 million", "value: 24 million"), "b-good.yaml")
    before = snapshot(founded)
    with pytest.raises(MartError) as error:
        operations.seed(founded, [seed_dir])
    message = str(error.value)
    assert message.startswith(f"{seed_dir / 'a-good.yaml'}: the database refused it: ")
    # DuckDB names the check by its expression, PostgreSQL by its name.
    assert "start_on <= end_on" in message or "ck_period_start_before_end" in message
    assert "\n" not in message
    assert snapshot(founded) == before


def test_a_database_that_does_not_connect_is_one_clear_line(tmp_path: Path) -> None:
    engine = make_engine("postgresql+psycopg://mart:secret@127.0.0.1:1/mart")
    with pytest.raises(MartError) as error:
        operations.seed(engine, [DEFAULT_SEEDS_DIR])
    message = str(error.value)
    assert message.startswith("cannot connect to postgresql+psycopg://mart:***@127.0.0.1:1/mart: ")
    assert message.endswith("(check --db or MART_DATABASE_URL)")
    assert "secret" not in message and "\n" not in message


def test_seeding_an_unmigrated_database_says_what_to_run(empty: Engine) -> None:
    with pytest.raises(MartError) as error:
        operations.seed(empty, [DEFAULT_SEEDS_DIR])
    assert str(error.value) == (
        "the database is at revision none, not at head: run `mart migrate` (or `mart build`) first"
    )


def test_unquoted_labels_are_periods(migrated: Engine, seed_dir: Path) -> None:
    # YAML reads 2016 as a number and 2017-07-07 as a date; both are period labels here.
    content = GOOD.replace("period: last year", "period: 2016").replace(
        "period: Q2 2017", "period: 2017-04-01"
    )
    write_facts(seed_dir, content)
    operations.seed(migrated, [seed_dir])
    assert rows(migrated, "select period_label from period order by 1") == [
        ("2016",),
        ("2017-04-01",),
    ]


def test_a_source_text_that_is_not_utf8_is_one_clear_line(migrated: Engine, seed_dir: Path) -> None:
    (seed_dir / "article.txt").write_bytes(b"date 2017-07-08 caf\xe9\n")
    path = write_facts(seed_dir, GOOD)
    with pytest.raises(MartError) as error:
        operations.seed(migrated, [path])
    assert str(error.value) == (
        f"{path}:2: source.text: {seed_dir / 'article.txt'} is not UTF-8 text (byte 19)"
    )


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_a_source_text_with_a_nul_byte_is_refused_on_both_backends(
    founded: Engine, seed_dir: Path
) -> None:
    # DuckDB would keep the NUL and PostgreSQL's COPY refuse it: both refuse it, in one line.
    article = seed_dir / "article.txt"
    article.write_text(
        article.read_text(encoding="utf-8").replace("Chinese", "Chin\0ese", 1), encoding="utf-8"
    )
    path = write_facts(seed_dir, GOOD)
    before = snapshot(founded)
    with pytest.raises(MartError) as error:
        operations.seed(founded, [path])
    assert str(error.value) == (
        f"{path}:2: source.text: contains a NUL byte at offset 21: "
        "remove it (PostgreSQL cannot store it)"
    )
    assert snapshot(founded) == before


def test_a_source_text_saved_with_a_byte_order_mark_loads_without_it(
    migrated: Engine, seed_dir: Path
) -> None:
    # Windows editors save UTF-8 with a mark first; it is no part of the text, nor of offsets.
    article = seed_dir / "article.txt"
    text = article.read_text(encoding="utf-8")
    article.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    report = operations.seed(migrated, [write_facts(seed_dir, GOOD)])
    assert report.loaded == {"test-article": 2}
    assert rows(migrated, "select body from source where source_key = 'test-article'") == [(text,)]
    assert rows(migrated, "select quote_start, quote_end from fact_provenance order by 1") == [
        (74, 125),
        (1146, 1188),
    ]
    assert not [r.check.name for r in operations.check(migrated) if r.failed]


SOCIETE = "Société Acme shipped more than 2 million smartphones in Q2 2017"


@pytest.mark.parametrize(("text_form", "quote_form"), [("NFC", "NFD"), ("NFD", "NFC")])
def test_a_quote_in_another_unicode_form_than_the_text_is_found(
    migrated: Engine, seed_dir: Path, text_form: str, quote_form: str
) -> None:
    # Composed é (U+00E9) against e + combining acute (U+0301): texts and quotes are compared,
    # and stored, in the composed form (NFC); offsets count its characters.
    text = f"date 2017-07-08\nLa {SOCIETE}.\n"
    (seed_dir / "acme.txt").write_text(unicodedata.normalize(text_form, text), encoding="utf-8")
    assert len(unicodedata.normalize("NFD", SOCIETE)) == len(SOCIETE) + 2
    quote = unicodedata.normalize(quote_form, SOCIETE)
    fields = dict(metric="smartphone_shipments", company="acme", period="Q2 2017")
    facts = fact(**fields, value="more than 2 million", basis="reported", quote=quote)
    operations.seed(migrated, [write_facts(seed_dir, WORDS_HEADER + facts, "acme.yaml")])
    assert rows(migrated, "select body from source where source_key = 'acme'") == [
        (
            "date 2017-07-08\nLa Soci\u00e9t\u00e9 Acme shipped more than 2 million smartphones "
            "in Q2 2017.\n",
        )
    ]
    assert rows(migrated, "select quote, quote_start, quote_end from fact_provenance") == [
        (SOCIETE, 19, 82)
    ]
    assert not [r.check.name for r in operations.check(migrated) if r.failed]


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_a_nul_byte_in_any_stored_field_is_refused(founded: Engine, seed_dir: Path) -> None:
    # A YAML escape writes one where the file may not: a title, a name, a store brand.
    before = snapshot(founded)
    for content, where in (
        (GOOD.replace("title: Test article", 'title: "Test\\0 article"'), "3: source.title"),
        (GOOD.replace("name: Xiaomi", 'name: "Xiao\\0mi"'), "7: companies[0].name"),
    ):
        path = write_facts(seed_dir, content)
        with pytest.raises(MartError) as error:
            operations.seed(founded, [path])
        assert str(error.value) == (
            f"{path}:{where}: contains a NUL byte at offset 4: "
            "remove it (PostgreSQL cannot store it)"
        )
        assert snapshot(founded) == before


# Whole markets, parts of a whole and multiples (issue 18): a made-up text, its header, and a
# fact about it that each case below changes.
MARKET_TEXT = (
    "date 2017-07-08\n"
    "Smartphone shipments in India reached 40 million units in Q2 2017. Acme's revenue was "
    "5 billion won in Q2 2017, all of it from phones. Acme's shipments more than doubled in "
    "Q2 2017, its revenue nearly tripled, its operating profit grew roughly fivefold, its net "
    "income halved and its deliveries rose 2.5 times. Its R&D spending nearly halved and its "
    "gross profit more than halved.\n"
)
MARKET_HEADER = """\
source:
  text: market.txt
  title: Markets
companies:
  - {key: acme, name: Acme}
products:
  - {key: acme-one, name: Acme One, company: acme, kind: smartphone}
segments:
  - {key: acme-phones, name: Phones, company: acme}
facts:
"""
MARKET_FACT = fact(
    metric="smartphone_shipments",
    market="india",
    period=QUARTER,
    value="40 million",
    basis="reported",
    quote="Smartphone shipments in India reached 40 million units in Q2 2017",
)
ACME_REVENUE = fact(
    metric="revenue",
    company="acme",
    period=QUARTER,
    value="5 billion",
    unit="KRW",
    basis="reported",
    quote="Acme's revenue was 5 billion won in Q2 2017",
)


def multiple(metric: str, value: str, quote: str) -> str:
    return fact(
        metric=metric, company="acme", period=QUARTER, value=value, basis="reported", quote=quote
    )


BAD_MARKETS = [
    pytest.param(
        MARKET_FACT.replace("    market: india\n", "    company: acme\n    market: india\n"),
        "{path}:13: facts[0].market: a figure is about a company or a whole market, not both: "
        "drop market: (write the company's market as region:) or company:",
        id="company-and-market",
    ),
    pytest.param(
        MARKET_FACT.replace("    market: india\n", ""),
        "{path}:11: facts[0].company: missing (required): the company the figure is about, or "
        "market: (a region) for a figure about a whole market",
        id="neither-company-nor-market",
    ),
    pytest.param(
        MARKET_FACT.replace("    market: india\n", "    market: india\n    product: acme-one\n"),
        "{path}:12: facts[0].market: a whole market's figure is about no product, segment or "
        "store brand of a company (its metric says what is counted)",
        id="market-with-a-product",
    ),
    pytest.param(
        MARKET_FACT.replace("    market: india\n", "    market: india\n    region: china\n"),
        "{path}:13: facts[0].region: region china differs from market india (a whole market's "
        "figure is about the market's region: give market: only)",
        id="region-differs-from-market",
    ),
    pytest.param(
        ACME_REVENUE.replace("    basis:", "    sum_of: brand\n    basis:"),
        "{path}:16: facts[0].sum_of: not one of segment, product, region: brand",
        id="sum-of-not-a-dimension",
    ),
    pytest.param(
        ACME_REVENUE.replace(
            "    basis:", "    segment: acme-phones\n    sum_of: segment\n    basis:"
        ),
        "{path}:17: facts[0].sum_of: a total by segment is the whole of its parts: it names no "
        "segment",
        id="sum-of-segment-on-a-segment",
    ),
    pytest.param(
        multiple("smartphone_shipments", "more than doubled", "Acme's shipments more than doubled"),
        "{path}:14: facts[0].value: 'more than doubled' is a multiple of an earlier level: only "
        "a growth rate (a metric with growth_of) may be written so; metric smartphone_shipments "
        "takes the figure itself",
        id="multiple-of-a-level",
    ),
]


@pytest.mark.parametrize(("facts", "expected"), BAD_MARKETS)
def test_bad_markets_parts_and_multiples_are_refused_and_change_nothing(
    founding_mart: Engine, seed_dir: Path, facts: str, expected: str
) -> None:
    (seed_dir / "market.txt").write_text(MARKET_TEXT, encoding="utf-8")
    path = write_facts(seed_dir, MARKET_HEADER + facts, "market.yaml")
    before = snapshot(founding_mart)
    with pytest.raises(MartError) as error:
        operations.seed(founding_mart, [path])
    assert str(error.value) == expected.format(path=path)
    assert snapshot(founding_mart) == before


MULTIPLES = [
    multiple("smartphone_shipments_yoy_growth", "more than doubled", "shipments more than doubled"),
    multiple("revenue_yoy_growth", "nearly tripled", "its revenue nearly tripled"),
    multiple("operating_profit_yoy_growth", "roughly fivefold", "grew roughly fivefold"),
    multiple("net_income_yoy_growth", "halved", "its net income halved"),
    multiple("vehicle_deliveries_yoy_growth", "2.5 times", "its deliveries rose 2.5 times"),
    multiple("rd_spending_yoy_growth", "nearly halved", "R&D spending nearly halved"),
    multiple("gross_profit_qoq_growth", "more than halved", "gross profit more than halved"),
]


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_multiples_markets_and_totals_are_stored(migrated: Engine, seed_dir: Path) -> None:
    (seed_dir / "market.txt").write_text(MARKET_TEXT, encoding="utf-8")
    total = ACME_REVENUE.replace("    basis:", "    sum_of: segment\n    basis:")
    facts = MARKET_HEADER + MARKET_FACT + total + "".join(MULTIPLES)
    path = write_facts(seed_dir, facts, "market.yaml")
    assert operations.seed(migrated, [path]).loaded == {"market": 9}
    # A multiple is the growth rate it states, with the bound its word gives: "roughly
    # fivefold" is 5 +- 0.5 times, 350 to 450 percent.
    assert rows(
        migrated,
        "select m.metric_key, s.value, s.bound, s.interval_low, s.interval_high "
        "from statement as s join metric as m using (metric_id) "
        "where m.growth_of is not null order by s.seed_line",
    )[:3] == [
        ("smartphone_shipments_yoy_growth", 100, "at_least", 100, None),
        ("revenue_yoy_growth", 200, "at_most", None, 200),
        ("operating_profit_yoy_growth", 400, "about", 350, 450),
    ]
    assert rows(
        migrated,
        "select m.metric_key, s.value, s.bound from statement as s "
        "join metric as m using (metric_id) where m.growth_of is not null order by s.seed_line",
    )[3:] == [
        ("net_income_yoy_growth", -50, "exact"),
        ("vehicle_deliveries_yoy_growth", 150, "exact"),
        # A fall's bound words flip: "nearly halved" fell by at most half (at least -50 %).
        ("rd_spending_yoy_growth", -50, "at_least"),
        ("gross_profit_qoq_growth", -50, "at_most"),
    ]
    # A whole market's figure is about no company, in the market's region; a total says what
    # its parts are.
    [(acme,)] = rows(migrated, "select company_id from company where company_key = 'acme'")
    assert rows(
        migrated,
        "select m.metric_key, s.company_id, r.region_key, s.value, s.sum_of "
        "from statement as s join metric as m using (metric_id) join region as r using (region_id) "
        "where m.growth_of is null order by s.seed_line",
    ) == [
        ("smartphone_shipments", None, "india", 40000000, None),
        ("revenue", acme, "global", 5000000000, "segment"),
    ]


# A relation changed in a copy of the catalogue: (the line declaring it, its change, the
# refusal), where {line} is the changed line, {entry} the line of its metric's entry and
# {index} that metric's place among the metrics.
BAD_RELATIONS = [
    pytest.param(
        "    ratio_of: [operating_profit, revenue]\n",
        "    ratio_of: [operating_profit, turnover]\n",
        "{catalogue}:{line}: metrics[{index}].ratio_of[1]: 'turnover' is not a metric of the "
        "catalogue",
        id="ratio-of-an-unknown-metric",
    ),
    pytest.param(
        "    unit: subscribers\n    change_of: subscribers\n    compared_with: previous_period\n",
        "    unit: subscribers\n    change_of: subscribers\n",
        "{catalogue}:{entry}: metrics[{index}]: growth_of (or change_of) and compared_with go "
        "together (a growth rate or a change of what, compared with previous_period or "
        "year_earlier)",
        id="change-of-without-compared-with",
    ),
]


@pytest.mark.parametrize(("declared", "changed", "expected"), BAD_RELATIONS)
def test_a_bad_metric_relation_is_refused_and_changes_nothing(
    founding_mart: Engine, seed_dir: Path, declared: str, changed: str, expected: str
) -> None:
    catalogue = seed_dir / "catalogue.yaml"
    content = catalogue.read_text(encoding="utf-8")
    assert content.count(declared) == 1
    at = content.index(declared)
    entry = content.rindex("\n  - key: ", 0, at) + 1
    index = content.count("\n  - key: ", content.index("\nmetrics:\n"), entry)
    catalogue.write_text(content.replace(declared, changed), encoding="utf-8")
    write_facts(seed_dir, GOOD)
    before = snapshot(founding_mart)
    with pytest.raises(MartError) as error:
        operations.seed(founding_mart, [seed_dir])  # a directory's own catalogue
    assert str(error.value) == expected.format(
        catalogue=catalogue,
        line=content[:at].count("\n") + 1,
        entry=content[:entry].count("\n") + 1,
        index=index,
    )
    assert snapshot(founding_mart) == before


@pytest.mark.parametrize("written", ["8068.000000", "-5", "0.5", "23"])
def test_a_plain_number_needs_no_word_parsing(written: str) -> None:
    """The loader gives a plain number its groups without the value pattern: these, as the
    pattern reads them (the number is the low value, every other group empty)."""
    assert re.fullmatch(values._PLAIN_NUMBER.strip("^$"), written) is not None
    full = re.fullmatch(values.VALUE_PATTERN, written)
    assert full is not None
    assert dict(zip(values._VALUE_GROUP_NAMES, full.groups(""), strict=True)) == {
        g: written if g == "low" else "" for g in values._VALUE_GROUP_NAMES
    }


def test_the_spent_bench_fact_files_load_in_one_load(migrated: Engine) -> None:
    # bench/spent/ loads as its README says, in one load: a company is named one way in every
    # file of the folder (the loader refuses two names for one key).
    report = operations.seed(migrated, [REPO_ROOT / "bench" / "spent"])
    assert (len(report.loaded), sum(report.loaded.values())) == (24, 391)
    assert rows(migrated, "select count(*) from statement") == [(391,)]
