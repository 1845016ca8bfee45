"""Loading seed files: idempotent, all or nothing, and every mistake named by file, line, field."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from mart import operations
from mart.config import DEFAULT_SEEDS_DIR, REPO_ROOT
from mart.db import MartError, make_engine
from tests.conftest import BACKENDS, snapshot

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


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(DEFAULT_SEEDS_DIR / ARTICLE, folder / "article.txt")
    shutil.copy(DEFAULT_SEEDS_DIR / "catalogue.yaml", folder / "catalogue.yaml")
    return folder


def write_facts(seed_dir: Path, content: str, name: str = "test-article.yaml") -> Path:
    path = seed_dir / name
    path.write_text(content, encoding="utf-8")
    return path


def test_seed_texts_are_the_corpus_verbatim() -> None:
    corpus = REPO_ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"the shared corpus is not beside this checkout ({corpus})")
    for name in (ARTICLE, "globaltimes-2017-07-07-summary.txt"):
        assert (DEFAULT_SEEDS_DIR / name).read_bytes() == (corpus / name).read_bytes()


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_loading_twice_is_loading_once(seeded: Engine) -> None:
    before = snapshot(seeded)
    report = operations.seed(seeded, [DEFAULT_SEEDS_DIR])
    assert report.loaded == {}
    assert sorted(report.unchanged) == ["globaltimes-2017-07-07-summary", ARTICLE[:-4]]
    assert snapshot(seeded) == before
    assert (
        len(before["metric_fact"]) + len(before["patent_fact"]) + len(before["store_fact"])
        == 19 + 13
    )


def test_a_changed_fact_file_replaces_that_source_only(migrated: Engine, seed_dir: Path) -> None:
    path = write_facts(seed_dir, GOOD)
    operations.seed(migrated, [seed_dir])
    write_facts(seed_dir, GOOD.replace("value: 23.16 million", "value: 23.2 million"))
    report = operations.seed(migrated, [path])
    assert report.loaded == {"test-article": 2}
    with migrated.connect() as connection:
        values = connection.execute(
            text("select value from metric_fact where unit = 'units'")
        ).scalars()
        assert [int(v) for v in values] == [23200000]


BAD_INPUTS = [
    pytest.param(
        GOOD.replace("    period: Q2 2017\n", "    period: [Q2 2017\n"),
        "{path}:12: malformed YAML: expected ',' or ']', but got ':'",
        id="malformed-yaml",
    ),
    pytest.param(
        GOOD.replace("metric: smartphone_shipments", "metric: smartphone_shipmentz"),
        "{path}:9: facts[0].metric: unknown metric 'smartphone_shipmentz': add it to "
        "catalogue.yaml (known: festival_online_sales_rank, patents_filed, patents_granted, "
        "patents_international_share, phone_and_chip_maker_order, product_launch, ...)",
        id="unknown-metric",
    ),
    pytest.param(
        GOOD.replace("it has shipped 23.16", "it has shipped 23.61"),
        "{path}:14: facts[0].quote: quote not found in {text}: "
        "'it has shipped 23.61 million smartphones in Q2 2017'",
        id="quote-not-in-text",
    ),
    pytest.param(
        GOOD.replace("period: Q2 2017", "period: Q5 2017"),
        "{path}:11: facts[0].period: cannot read period 'Q5 2017': write it as in the source "
        "(e.g. 'Q2 2017', 'last year', 'first half of the year', 'in February', "
        "'next 12 months') or as a label (2017-Q2, 2017-H1, 2016, 2017-02, 2017-07-07)",
        id="invalid-period",
    ),
    pytest.param(
        GOOD.replace("value: 23.16 million", "value: -5"),
        "{path}:12: facts[0].value: -5 is negative; a figure in units cannot be",
        id="negative-count",
    ),
    pytest.param(
        GOOD.replace("value: 0.5", "value: 1.5"),
        "{path}:18: facts[1].value: 1.5 is not a share between 0 and 1 (write half as 0.5)",
        id="share-above-1",
    ),
    pytest.param(
        GOOD.replace("text: article.txt", "text: missing.txt"),
        "{path}:2: source.text: source text not found: {dir}/missing.txt",
        id="missing-source-text",
    ),
    pytest.param(
        GOOD.replace("    basis: reported\n", "    basis: rumoured\n", 1),
        "{path}:13: facts[0].basis: 'rumoured' is not allowed: input should be 'reported', "
        "'derived', 'target', 'expected' or 'approximate'",
        id="unknown-basis",
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
        "{path}:16: facts[1].company: company 'apple' is not declared under companies: in this "
        "file",
        id="undeclared-company",
    ),
    pytest.param(
        GOOD.replace("value: 23.16 million", "value: 23.16 million\n    unit: USD"),
        "{path}:13: facts[0].unit: 'USD' does not fit metric smartphone_shipments, measured in "
        "units",
        id="wrong-unit",
    ),
    pytest.param(
        GOOD
        + GOOD[GOOD.index("  - metric: smartphone") : GOOD.index("  - metric: patents")].replace(
            "23.16 million", "24 million", 1
        ),
        "{path}:24: facts[2].value: conflicting value: 24000000 here, 23160000 at line 9 for "
        "the same metric, company, period, region and product",
        id="conflicting-value",
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
        "{path}:12: facts[0].value: 'lots' is not a number (write e.g. 23.16 "
        "million, 7,071 or 0.5)",
        id="value-not-a-number",
    ),
]


@pytest.mark.parametrize(("content", "expected"), BAD_INPUTS)
def test_bad_fact_file_is_refused_and_changes_nothing(
    seeded: Engine, seed_dir: Path, content: str, expected: str
) -> None:
    path = write_facts(seed_dir, content)
    before = snapshot(seeded)
    with pytest.raises(MartError) as error:
        operations.seed(seeded, [path])
    message = expected.format(path=path, dir=seed_dir, text=seed_dir / "article.txt")
    assert str(error.value) == message
    assert "\n" not in str(error.value)
    assert snapshot(seeded) == before


def test_one_bad_file_keeps_the_good_ones_out_too(migrated: Engine, seed_dir: Path) -> None:
    write_facts(seed_dir, GOOD, "a-good.yaml")
    write_facts(seed_dir, GOOD.replace("period: Q2 2017", "period: Q5 2017"), "b-bad.yaml")
    before = snapshot(migrated)
    with pytest.raises(MartError, match=r"b-bad\.yaml:11: facts\[0\]\.period"):
        operations.seed(migrated, [seed_dir])
    assert snapshot(migrated) == before


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_database_refusal_rolls_back_the_whole_run(migrated: Engine, seed_dir: Path) -> None:
    # The loader checks first; a value past the column's precision is caught by the database.
    write_facts(seed_dir, GOOD, "a-good.yaml")
    write_facts(
        seed_dir,
        GOOD.replace("value: 23.16 million", "value: 1000000000000 trillion"),
        "b-huge.yaml",
    )
    before = snapshot(migrated)
    with pytest.raises(MartError) as error:
        operations.seed(migrated, [seed_dir])
    assert str(error.value).startswith(f"{seed_dir / 'b-huge.yaml'}: the database refused it: ")
    assert snapshot(migrated) == before


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
    with migrated.connect() as connection:
        labels = connection.execute(text("select period_label from period order by 1")).scalars()
        assert list(labels) == ["2016", "2017-04-01"]


def test_a_source_text_that_is_not_utf8_is_one_clear_line(migrated: Engine, seed_dir: Path) -> None:
    (seed_dir / "article.txt").write_bytes(b"date 2017-07-08 caf\xe9\n")
    path = write_facts(seed_dir, GOOD)
    with pytest.raises(MartError) as error:
        operations.seed(migrated, [path])
    assert str(error.value) == (
        f"{path}:2: source.text: {seed_dir / 'article.txt'} is not UTF-8 text (byte 19)"
    )
