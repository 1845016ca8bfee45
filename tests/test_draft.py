"""`mart draft`: each phenomenon on a small text, the corpus round trip, and bad input."""

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from mart import operations
from mart.cli import app
from mart.config import DEFAULT_SEEDS_DIR
from mart.draft import draft
from mart.draft.check import until_it_loads
from mart.draft.writer import write

CATALOGUE = DEFAULT_SEEDS_DIR / "catalogue.yaml"
CORPUS = sorted(DEFAULT_SEEDS_DIR.glob("*.txt"))
runner = CliRunner()


def drafted(tmp_path: Path, body: str, published: str = "2017-07-07", **options: Any) -> Any:
    path = tmp_path / "article.txt"
    path.write_text(f"date {published}\n{body}\n", encoding="utf-8")
    return draft(path, options.get("catalogue", CATALOGUE), options.get("company"))


def facts(tmp_path: Path, body: str, published: str = "2017-07-07", **options: Any) -> list[Any]:
    """Each fact's fields but company and quote (always the company and the sentence)."""
    found = drafted(tmp_path, body, published, **options)
    shown = []
    for fact in found.facts:
        fields = {k: v for k, v in fact.fields.items() if v is not None and k != "company"}
        assert fields.pop("quote") == fact.sentence.text
        shown.append({"problem": fact.problem, **fields} if fact.problem else fields)
    return shown


def catalogue_with(tmp_path: Path, extra: str = "", without: tuple[str, ...] = ()) -> Path:
    """The repository's catalogue, its metrics `without` left out and `extra` (YAML list items)
    put first in place of any of the same key: a drafting test fixes the metrics it is about,
    whatever the corpus adds to the catalogue."""
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    added = yaml.safe_load(extra) if extra else []
    dropped = set(without) | {metric["key"] for metric in added}
    data["metrics"] = added + [m for m in data["metrics"] if m["key"] not in dropped]
    folder = tmp_path / f"catalogue-{len(list(tmp_path.glob('catalogue-*')))}"
    folder.mkdir()
    path = folder / "catalogue.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def fact(tmp_path: Path, body: str, published: str = "2017-07-07", **options: Any) -> Any:
    (only,) = facts(tmp_path, body, published, **options)
    return only


# Numbers with scale words and separators; currencies from ISO 4217 codes, names and symbols.


@pytest.mark.parametrize(
    ("body", "value", "unit", "wording"),
    [
        (
            "Xiaomi shipped 23.16 million smartphones in Q2 2017.",
            "23.16 million",
            None,
            "23.16 million",
        ),
        (
            "Samsung Electronics posted operating profit of 14.07 trillion won in Q2 2017.",
            "14.07 trillion",
            "KRW",
            "14.07 trillion won",
        ),
        (
            "Apple reported revenue of $45.4 billion in Q2 2017.",
            "45.4 billion",
            "USD",
            "$45.4 billion",
        ),
        (
            "Apple reported revenue of 45.4 billion US dollars in Q2 2017.",
            "45.4 billion",
            "USD",
            "45.4 billion US dollars",
        ),
        (
            "Apple reported revenue of EUR 3 million in Q2 2017.",
            "3 million",
            "EUR",
            "EUR 3 million",
        ),
    ],
)
def test_scale_words_separators_and_currencies(
    tmp_path: Path, body: str, value: str, unit: str | None, wording: str
) -> None:
    found = fact(tmp_path, body)
    assert (found["value"], found.get("unit"), found["wording"]) == (value, unit, wording)


def test_thousands_separator_and_a_yuan_target(tmp_path: Path) -> None:
    assert fact(tmp_path, "Xiaomi applied for 7,071 patents last year.") == {
        "metric": "patents_filed",
        "period": "last year",
        "value": "7,071",
        "basis": "reported",
        "wording": "7,071",
    }
    assert fact(tmp_path, "Xiaomi set a revenue target of RMB 100 billion for 2017.") == {
        "metric": "revenue_target",
        "period": "for 2017",
        "value": "100 billion",
        "unit": "CNY",
        "basis": "target",
        "wording": "RMB 100 billion",
    }


# Word numbers.


def test_word_numbers(tmp_path: Path) -> None:
    assert fact(tmp_path, "We are now the two brand in the Indian smartphone market.") == {
        "metric": "smartphone_brand_rank",
        "period": "2017-07-07",
        "region": "india",
        "value": "2",
        "basis": "reported",
        "wording": "the two",
    }
    patents = "Last year, 2,895 patents were granted. Half were international patents."
    assert facts(tmp_path, patents, company="xiaomi") == [
        {
            "metric": "patents_granted",
            "period": "Last year",
            "value": "2,895",
            "basis": "reported",
            "wording": "2,895",
        },
        {
            "problem": "not sure of the metric: patents_international_share, the words "
            '"international", "patent" only',
            "metric": "patents_international_share",
            "period": "2016",
            "value": "0.5",
            "basis": "reported",
            "wording": "Half",
        },
    ]
    assert fact(tmp_path, "Xiaomi plans to hire thousands of engineers in the next 12 months.") == {
        "metric": "rd_hiring_plan",
        "period": "in the next 12 months",
        "basis": "planned",
        "wording": "thousands",
    }
    third = "A third of its international sales came from India in 2016."
    assert fact(tmp_path, third, company="xiaomi")["value"] == "33.333333"


# Percentages and growth.


def test_growth_rates(tmp_path: Path) -> None:
    assert fact(tmp_path, "Revenue was up 7 percent from a year earlier in Q2 2017.") == {
        "metric": "revenue_yoy_growth",
        "period": "in Q2 2017",
        "value": "7",
        "basis": "reported",
        "wording": "up 7 percent",
    }
    assert fact(tmp_path, "Revenue from Greater China fell 10 percent in Q2 2017.")["problem"] == (
        'not sure of the metric: revenue_yoy_growth, metric from "Revenue"; compared with a year '
        "earlier (the sentence does not say)"
    )
    china = "Revenue from Greater China fell 10 percent from a year earlier in Q2 2017."
    assert fact(tmp_path, china) == {
        "metric": "revenue_yoy_growth",
        "period": "in Q2 2017",
        "region": "greater-china",
        "value": "-10",
        "basis": "reported",
        "wording": "fell 10 percent",
    }
    shipments = "Xiaomi shipped 23.16 million smartphones in Q2 2017, a 70 percent increase from "
    assert facts(tmp_path, shipments + "the previous quarter.")[1] == {
        "metric": "smartphone_shipments_qoq_growth",
        "period": "in Q2 2017",
        "value": "70",
        "basis": "reported",
        "wording": "70 percent",
    }


# Ranks.


@pytest.mark.parametrize(
    ("body", "metric", "value", "wording"),
    [
        (
            "Xiaomi is now the No. 2 smartphone brand in India.",
            "smartphone_brand_rank",
            "2",
            "No. 2",
        ),
        (
            "Xiaomi became the second-largest smartphone brand in India.",
            "smartphone_brand_rank",
            "2",
            "second-largest",
        ),
        (
            "Xiaomi ranked fifth in smartphone shipments.",
            "smartphone_model_shipment_rank",
            "5",
            "ranked fifth",
        ),
        (
            "Redmi Note 4 has become the highest shipped smartphone in India.",
            "smartphone_model_shipment_rank",
            "1",
            "the highest shipped",
        ),
        (
            "Xiaomi is among the top three smartphone brands in India.",
            "smartphone_brand_rank",
            "up to 3",
            "top three",
        ),
    ],
)
def test_ranks(tmp_path: Path, body: str, metric: str, value: str, wording: str) -> None:
    found = fact(tmp_path, body)
    assert (found["metric"], found["value"], found["wording"]) == (metric, value, wording)
    assert found.get("region") == ("india" if "India" in body else None)


def test_regions_by_name_by_market_adjective_and_as_the_country(tmp_path: Path) -> None:
    body = (
        "Chinese smartphone maker Xiaomi shipped 23 million smartphones in Q2 2017. "
        "Xiaomi is the No. 2 brand in the Indian smartphone market. "
        "Redmi Note 4 has become the highest shipped smartphone in the country."
    )
    found = facts(tmp_path, body)
    assert [(f["metric"], f.get("region"), f.get("product")) for f in found] == [
        ("smartphone_shipments", None, None),
        ("smartphone_brand_rank", "india", None),
        ("smartphone_model_shipment_rank", "india", "redmi-note-4"),
    ]


def test_a_ranked_product_is_declared(tmp_path: Path) -> None:
    body = "Redmi Note 4 has become the highest shipped smartphone in India."
    found = drafted(tmp_path, body, company="xiaomi")
    assert found.facts[0].fields["product"] == "redmi-note-4"
    assert found.context.products == {
        "redmi-note-4": {
            "key": "redmi-note-4",
            "name": "Redmi Note 4",
            "company": "xiaomi",
            "kind": "smartphone",
        }
    }


# Counts of things.


def test_counts_of_stores_subscribers_and_vehicles(tmp_path: Path) -> None:
    assert fact(tmp_path, "As of July 7, Xiaomi had 123 Mi Home stores open across China.") == {
        "metric": "stores_open",
        "period": "As of July 7",
        "region": "china",
        "store_brand": "Mi Home",
        "value": "123",
        "basis": "reported",
        "wording": "123",
    }
    assert (
        fact(
            tmp_path,
            "Reliance Jio has more than 100 million subscribers, it said on Tuesday.",
            "2017-02-21",
        )["metric"]
        == "subscribers"
    )
    assert facts(tmp_path, "Tesla delivered 22,000 vehicles in Q2 2017: 12,000 Model S.") == [
        {
            "metric": "vehicle_deliveries",
            "period": "in Q2 2017",
            "value": "22,000",
            "basis": "reported",
            "wording": "22,000",
        },
        {
            "metric": "vehicle_deliveries",
            "period": "in Q2 2017",
            "product": "model-s",
            "value": "12,000",
            "basis": "reported",
            "wording": "12,000",
        },
    ]


def test_employees_need_a_metric_in_the_catalogue(tmp_path: Path) -> None:
    body = "Xiaomi had 12,000 employees and shipped 23 million smartphones in Q2 2017."
    # The corpus's catalogue counts people employed (and their growth) and hired: leave them out.
    without = catalogue_with(tmp_path, without=("employees", "employees_yoy_growth", "hires"))
    unmatched = facts(tmp_path, body, catalogue=without)[0]
    assert unmatched["problem"] == (
        "not sure of the metric: no metric of the catalogue matched '12,000' (a count)"
    )
    # A metric's own verb right before the count says what it counts.
    sold = fact(tmp_path, "Acme Corp sold 5 million widgets in 2017.", catalogue=without)
    assert (sold["metric"], sold["value"], sold["period"]) == ("unit_sales", "5 million", "in 2017")
    employees = (
        "  - key: employees\n    name: Employees\n    unit: people\n"
        "    aliases: [employees, staff]\n    description: People the company employs.\n"
    )
    found = facts(tmp_path, body, catalogue=catalogue_with(tmp_path, employees))[0]
    assert (found["metric"], found["value"]) == ("employees", "12,000")


# Targets and guidance.


def test_targets_and_guidance(tmp_path: Path) -> None:
    assert fact(
        tmp_path, "Xiaomi has set a goal to achieve a revenue of 100 billion yuan for the year."
    ) == {
        "metric": "revenue_target",
        "period": "for the year",
        "value": "100 billion",
        "unit": "CNY",
        "basis": "target",
        "wording": "100 billion yuan",
    }
    body = (
        "For the fourth quarter, Apple expects revenue between 49 billion and 52 billion dollars."
    )
    assert fact(tmp_path, body, "2017-08-01") == {
        "metric": "revenue",
        "period": "For the fourth quarter",
        "value": "between 49 billion and 52 billion",
        "unit": "USD",
        "basis": "guidance",
        "wording": "between 49 billion and 52 billion dollars",
    }


# Bounds.


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("more than 100,000", "more than 100,000"),
        ("just over 22,000", "just over 22,000"),
        ("about 47,100", "about 47,100"),
        ("nearly 2 million", "nearly 2 million"),
        ("up to 5,000", "up to 5,000"),
        ("between 20,000 and 25,000", "between 20,000 and 25,000"),
    ],
)
def test_bounds(tmp_path: Path, words: str, value: str) -> None:
    found = fact(tmp_path, f"Tesla delivered {words} vehicles in Q2 2017.")
    assert (found["metric"], found["value"], found["wording"]) == (
        "vehicle_deliveries",
        value,
        words,
    )


# Records.


def test_records(tmp_path: Path) -> None:
    services = "Services revenue reached a record 7.27 billion dollars in Q2 2017."
    # Revenue of a segment, not BT's service revenue (a metric of its own in the catalogue).
    founding = catalogue_with(
        tmp_path,
        without=("service_revenue", "service_revenue_yoy_growth", "service_revenue_organic_growth"),
    )
    assert facts(tmp_path, services, company="apple", catalogue=founding) == [
        {
            "metric": "revenue_record_high",
            "period": "in Q2 2017",
            "segment": "apple-services",
            "value": "1",
            "basis": "reported",
            "wording": "a record",
        },
        {
            "metric": "revenue",
            "period": "in Q2 2017",
            "segment": "apple-services",
            "value": "7.27 billion",
            "unit": "USD",
            "basis": "reported",
            "wording": "7.27 billion dollars",
        },
    ]
    assert fact(tmp_path, "Xiaomi shipped the most smartphones ever in Q2 2017.") == {
        "metric": "smartphone_shipments_record_high",
        "period": "in Q2 2017",
        "value": "1",
        "basis": "reported",
        "wording": "most smartphones ever",
    }


# Attribution.


@pytest.mark.parametrize(
    ("body", "key", "kind"),
    [
        ("According to IDC, Xiaomi shipped 23.2 million smartphones in Q2.", "idc", "other"),
        (
            "Counterpoint put Xiaomi's shipments at 23 million smartphones in Q2.",
            "counterpoint",
            "other",
        ),
        (
            "Xiaomi shipped 23 million smartphones in Q2, the chairman said.",
            "chairman",
            "executive",
        ),
        (
            "Xiaomi shipped 23 million smartphones in Q2, chairman Lei Jun said.",
            "lei-jun",
            "executive",
        ),
    ],
)
def test_attributions(tmp_path: Path, body: str, key: str, kind: str) -> None:
    found = drafted(tmp_path, body)
    assert found.context.company_key == "xiaomi"
    assert found.facts[0].fields["attributed_to"] == key
    assert found.context.attributions[key]["kind"] == kind


# The file as written: guesses commented, unmatched figures commented out, loadable.

SMALL = """\
date 2017-07-03
Tesla delivered just over 22,000 vehicles in the second quarter, after two years.
"""

SMALL_DRAFT = """\
# Drafted by `mart draft` from tesla.txt: one fact per figure the text states.
# Review every `# guessed:` line; a figure the drafter is not sure of is kept as a
# commented-out block where it stands, with why (`# draft:`). Fill in the title.
source:
  text: tesla.txt
  title: tesla  # to fill in: the headline (the file name holds its place)
  published_on: 2017-07-03

companies:
  - {key: tesla, name: Tesla}  # guessed: company: the name the text mentions most

facts:
  - metric: vehicle_deliveries  # guessed: metric from "delivered"
    company: tesla
    period: in the second quarter
    value: just over 22,000
    basis: reported
    wording: just over 22,000
    quote: Tesla delivered just over 22,000 vehicles in the second quarter, after two years.

  # draft: not sure of the metric: no metric of the catalogue matched 'two' (a count)
  # - metric: ?
  #   company: tesla
  #   period: ?
  #   value: 2
  #   basis: reported
  #   wording: two
  #   quote: Tesla delivered just over 22,000 vehicles in the second quarter, after two years.
"""


def test_the_file_as_written(tmp_path: Path) -> None:
    path = tmp_path / "tesla.txt"
    path.write_text(SMALL, encoding="utf-8")
    assert write(draft(path, CATALOGUE), "tesla.txt") == SMALL_DRAFT


def test_twice_the_same_file_and_never_over_a_file_without_force(tmp_path: Path) -> None:
    path = tmp_path / "tesla.txt"
    path.write_text(SMALL, encoding="utf-8")
    result = runner.invoke(app, ["draft", str(path)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "tesla.yaml"
    assert result.stderr == (
        f"wrote {out}: 1 facts, 1 commented out; review the `# guessed:` lines, then "
        f"`mart seed {out}`\n"
    )
    first = out.read_text(encoding="utf-8")
    assert first == SMALL_DRAFT
    result = runner.invoke(app, ["draft", str(path)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {out} exists: pass --force to overwrite it, or --out another file\n",
    )
    assert runner.invoke(app, ["draft", str(path), "--force"]).exit_code == 0
    assert out.read_text(encoding="utf-8") == first


def test_what_the_loader_refuses_is_commented_out_with_its_message(tmp_path: Path) -> None:
    body = (
        "Xiaomi is now the No. 2 smartphone brand in India. "
        "Xiaomi shipped 23 million smartphones in Q2 2017."
    )
    found = drafted(tmp_path, body)
    found.facts[0].fields["value"] = "2.5"  # as if the drafter had read a fractional rank
    assert until_it_loads(found, CATALOGUE) == 1
    assert [f.problem for f in found.facts] == [
        "the loader refuses it: 2.5 is not a whole number of rank",
        None,
    ]
    assert until_it_loads(found, CATALOGUE) == 0


# Corpus texts of which the drafter is sure of no fact (right or silent): their drafts hold
# only commented-out blocks, which `mart seed` refuses as a file without facts.
NOTHING_SURE = {"reliance-jio-2017-02-21-summary", "tata-motors-q1-fy2019-summary"}


@pytest.mark.parametrize("source", CORPUS, ids=lambda p: p.stem)
def test_every_corpus_draft_loads_unchanged(tmp_path: Path, migrated: Engine, source: Path) -> None:
    shutil.copy(source, tmp_path / source.name)
    out = tmp_path / f"{source.stem}.yaml"
    result = runner.invoke(app, ["draft", str(tmp_path / source.name), "--out", str(out)])
    assert result.exit_code == 0, result.output
    if source.stem in NOTHING_SURE:  # only commented-out blocks: nothing for the loader
        assert result.stderr.endswith(
            "; none it is sure of: uncomment the blocks you check before `mart seed`\n"
        )
        assert yaml.safe_load(out.read_text(encoding="utf-8"))["facts"] is None
        return
    # Every fact the draft leaves uncommented loads (those the loader refuses, the draft has
    # commented out with the loader's reason).
    loaded = len(yaml.safe_load(out.read_text(encoding="utf-8"))["facts"])
    assert loaded <= sum(
        1 for f in draft(tmp_path / source.name, CATALOGUE).facts if f.problem is None
    )
    report = operations.seed(migrated, [out])
    assert report.loaded == {source.stem: loaded}
    with migrated.connect() as connection:
        count = connection.execute(text("select count(*) from statement")).scalar_one()
    assert count == loaded


# Bad input: one clear line each.


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"Xiaomi shipped 23 million smartphones.\n",
            "{path}:1: no date line: begin the text with 'date YYYY-MM-DD', its publication date",
        ),
        (b"", "{path}: the text is empty: give the article, after a first line 'date YYYY-MM-DD'"),
        (
            b"date 2017-07-07\n\x00\x01\x02",
            "{path}: not a text file (it holds NUL bytes): give the article as UTF-8 text",
        ),
        (
            b"date 2017-07-07\nCaf\xe9 sales rose.\n",
            "{path}: not UTF-8 text (byte 19): save it as UTF-8",
        ),
        (
            b"date 2017-07-07\nNothing to count here.\n",
            "{path}: no figure matched a metric of {catalogue} (0 figures found): nothing to "
            "draft; add the metrics' words as aliases in the catalogue",
        ),
        (b"date 2017-07-07\n\n", "{path}: no text after the date line: give the article below it"),
    ],
    ids=["no-date-line", "empty", "binary", "not-utf8", "no-figure", "date-line-only"],
)
def test_bad_input_is_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    result = runner.invoke(app, ["draft", str(path)])
    assert result.exit_code == 1
    assert result.stderr == "error: " + message.format(path=path, catalogue=CATALOGUE) + "\n"
    assert not (tmp_path / "article.yaml").exists()


# Unseen articles: companies, currencies, metrics and period wordings the corpus does not have.
# Each row: (metric, value, bound, unit, period label, basis, product, region, attribution,
# commented out). The catalogue adds net profit, employees, market share and a unit sales target.

UNSEEN = Path(__file__).parent / "data" / "draft"


@pytest.fixture
def unseen_catalogue(tmp_path: Path) -> Path:
    return catalogue_with(tmp_path, (UNSEEN / "extra-metrics.yaml").read_text(encoding="utf-8"))


Row = tuple[
    str | None,
    str | None,
    str,
    str | None,
    str | None,
    str,
    str | None,
    str | None,
    str | None,
    bool,
]


@pytest.mark.parametrize(
    ("name", "company", "rows"),
    [
        (
            "nintendo",
            ("nintendo", "Nintendo", 3),
            [
                (
                    "unit_sales",
                    "4.8 million",
                    "exact",
                    None,
                    "FY2018-Q3",  # the October-December quarter: Nintendo's
                    "reported",
                    "switch",
                    None,
                    None,
                    False,
                ),
                (
                    "unit_sales",
                    "14.86 million",
                    "exact",
                    None,
                    "2017-03-01/2018-01-31",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "operating_profit_yoy_growth",
                    "77",
                    "exact",
                    None,
                    "2017-04-01/2017-12-31",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "operating_profit",
                    "162.6 billion",
                    "exact",
                    "JPY",
                    "2017-04-01/2017-12-31",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "unit_sales",
                    "about 15 million",
                    "about",
                    None,
                    "FY2018",
                    "guidance",
                    "switch",
                    None,
                    None,
                    False,
                ),
                (
                    "unit_sales_target",
                    "14 million",
                    "exact",
                    None,
                    "FY2018",
                    "target",
                    None,
                    None,
                    None,
                    False,
                ),
            ],
        ),
        (
            "volkswagen",
            ("volkswagen", "Volkswagen", 12),
            [
                (
                    "operating_profit_yoy_growth",
                    "11",
                    "exact",
                    None,
                    "2018-H1",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "operating_profit",
                    "8.2 billion",
                    "exact",
                    "EUR",
                    "2018-H1",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "vehicle_deliveries",
                    "5.5 million",
                    "exact",
                    None,
                    "2018-H1",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "vehicle_deliveries",
                    "5.2 million",
                    "exact",
                    None,
                    "2017-H1",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
            ],
        ),
        (
            "tesco",
            ("tesco", "Tesco", 2),
            [
                (
                    "net_profit",
                    "1.2 billion",
                    "exact",
                    "GBP",
                    "FY2018",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "revenue",
                    "57.5 billion",
                    "exact",
                    "GBP",
                    "FY2018",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "employees",
                    "about 440,000",
                    "about",
                    None,
                    "2018-04-11",
                    "reported",
                    None,
                    None,
                    None,
                    True,
                ),
            ],
        ),
        (
            "samsung",
            ("samsung-electronics", "Samsung Electronics", 12),
            [
                (
                    "operating_profit",
                    "14.53 trillion",
                    "exact",
                    "KRW",
                    "2017-Q3",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "operating_profit",
                    "5.2 trillion",
                    "exact",
                    "KRW",
                    "2016-Q3",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "net_profit_yoy_growth",
                    "173",
                    "exact",
                    None,
                    "2017-Q3",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "net_profit",
                    "11.19 trillion",
                    "exact",
                    "KRW",
                    "2017-Q3",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
            ],
        ),
        (
            "infosys",
            ("infosys", "Infosys", 3),
            [
                (
                    "net_profit",
                    "51.29 billion",
                    "exact",
                    "INR",
                    "FY2018-Q3",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "employees",
                    "201,691",
                    "exact",
                    None,
                    "FY2018-Q3",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
            ],
        ),
        (
            "geely",
            ("geely-automobile", "Geely Automobile", 12),
            [
                (
                    "revenue_yoy_growth",
                    "81",
                    "exact",
                    None,
                    "2017",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "revenue",
                    "92.8 billion",
                    "exact",
                    "CNY",
                    "2017",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "unit_sales",
                    "1.25 million",
                    "exact",
                    None,
                    "2017",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "unit_sales_target",
                    "1.58 million",
                    "exact",
                    None,
                    "2018",
                    "target",
                    None,
                    None,
                    None,
                    False,
                ),
            ],
        ),
        (
            "airtel",
            ("bharti-airtel", "Bharti Airtel", 12),
            [
                (
                    "subscribers",
                    "344 million",
                    "exact",
                    None,
                    "2018-Q2",
                    "reported",
                    None,
                    "india",
                    None,
                    False,
                ),
                (
                    "revenue_yoy_growth",
                    "-9",
                    "exact",
                    None,
                    "2018-Q2",
                    "reported",
                    None,
                    "india",
                    None,
                    True,
                ),
                (
                    "revenue",
                    "150.5 billion",
                    "exact",
                    "INR",
                    "2018-Q2",
                    "reported",
                    None,
                    "india",
                    None,
                    False,
                ),
            ],
        ),
        (
            "huawei",
            ("huawei-technologies", "Huawei Technologies", 12),
            [
                (
                    "smartphone_shipments",
                    "54.2 million",
                    "exact",
                    None,
                    "2018-Q2",
                    "reported",
                    None,
                    None,
                    "idc",
                    False,
                ),
                (
                    "smartphone_brand_rank",
                    "2",
                    "exact",
                    None,
                    "2018-08-01",
                    "reported",
                    None,
                    None,
                    "idc",
                    True,
                ),
                (
                    "smartphone_market_share",
                    "0.158",
                    "exact",
                    None,
                    "2018-Q2",
                    "reported",
                    None,
                    None,
                    "idc",
                    False,
                ),
            ],
        ),
        (
            "netflix",
            ("netflix", "Netflix", 12),
            [
                (  # "added 8.33 million subscribers": the change since the quarter before
                    "subscriber_net_additions",
                    "8.33 million",
                    "exact",
                    None,
                    "2017-Q4",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "subscribers",
                    "117.58 million",
                    "exact",
                    None,
                    "2018-01-22",
                    "reported",
                    None,
                    None,
                    None,
                    True,
                ),
                (
                    "revenue",
                    "3.69 billion",
                    "exact",
                    "USD",
                    "2018-Q1",
                    "guidance",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "revenue",
                    "3.6 billion",
                    "exact",
                    "USD",
                    "2018-Q1",
                    "guidance",
                    None,
                    None,
                    None,
                    False,  # stated before: "previous forecast of" (round four)
                ),
            ],
        ),
        (
            "sony",
            ("sony", "Sony", 3),
            [
                (
                    "operating_profit",
                    "288.7 billion",
                    "exact",
                    "JPY",
                    "FY2016",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "operating_profit",
                    "720 billion",
                    "exact",
                    "JPY",
                    "FY2017",
                    "guidance",
                    None,
                    None,
                    None,
                    False,
                ),
                (
                    "revenue",
                    "6.6 trillion",
                    "exact",
                    "JPY",
                    "2017-04-01/2017-12-31",
                    "reported",
                    None,
                    None,
                    None,
                    False,
                ),
            ],
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_unseen_articles(
    unseen_catalogue: Path, name: str, company: tuple[str, str, int], rows: list[Row]
) -> None:
    found = draft(UNSEEN / f"{name}.txt", unseen_catalogue)
    context = found.context
    assert (context.company_key, context.company_name, context.fiscal_year_end_month) == company
    assert [
        (
            f.fields["metric"],
            f.fields["value"],
            f.figure.bound,
            f.fields.get("unit"),
            f.label,
            f.fields["basis"],
            f.fields.get("product"),
            f.fields.get("region"),
            f.fields.get("attributed_to"),
            f.problem is not None,
        )
        for f in found.facts
    ] == rows


def test_unseen_company_product_and_attribution() -> None:
    """Nintendo said...: the company, not an attribution; Switch, counted by a figure, a product;
    "nine" in "the nine months to December" is part of the period, not a figure. With the
    corpus catalogue (no unit sales target), the previous goal is a target of unit sales."""
    found = draft(UNSEEN / "nintendo.txt", CATALOGUE)
    assert found.context.attributions == {}
    assert found.context.products == {
        "switch": {"key": "switch", "name": "Switch", "company": "nintendo", "kind": "other"}
    }
    assert [f.figure.wording for f in found.facts] == [
        "4.8 million",
        "14.86 million",
        "77 percent",
        "162.6 billion yen",
        "about 15 million",
        "14 million",
    ]
    # A fiscal period is written as the drafter read it (the fiscal label), the words beside it.
    periods_written = [(f.fields["period"], f.fields.get("period_wording")) for f in found.facts]
    assert periods_written[2:] == [
        ("in the nine months to December", None),
        ("in the nine months to December", None),
        ("FY2018", "in the fiscal year ending in March"),
        ("FY2018", "in the fiscal year ending in March"),
    ]
    last = found.facts[-1]
    assert (last.fields["metric"], last.fields["basis"], last.label) == (
        "unit_sales",
        "target",
        "FY2018",
    )
    assert last.notes == {
        "metric": 'metric of the figure before, restated as "a previous goal of"',
        "basis": 'basis from "a previous goal of" (a figure since replaced)',
        "stated_on": 'stated before: "previous goal of"',
    }
    assert last.fields["stated_on"] == "previous"
    assert found.company_note == 'fiscal year end from "fiscal year ending in March"'


# Sony names its fiscal years by their start: its "fiscal 2017" forecast, published in February
# 2018, is for the year then running. The drafter reads fiscal years by their end (issue 19),
# which puts the forecast in a year already over; the loader refuses that, so the draft
# comments it out rather than load it a year off.
REFUSED_BY_THE_LOADER = {"sony": 1}


def test_unseen_articles_load(unseen_catalogue: Path) -> None:
    for path in sorted(UNSEEN.glob("*.txt")):
        found = draft(path, unseen_catalogue)
        refused = until_it_loads(found, unseen_catalogue)
        assert (path.stem, refused) == (path.stem, REFUSED_BY_THE_LOADER.get(path.stem, 0))
