"""Bulk seed files (CSV, Parquet): the same tables as YAML, exact errors, idempotent reloads."""

import csv
import unicodedata
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from mart import operations, seeds
from mart.cli import app
from mart.config import DEFAULT_SEEDS_DIR
from mart.db import MartError, make_engine
from mart.seedfiles import FACT_FIELDS, read_fact_file
from mart.synth import generate
from tests import test_seeds
from tests.conftest import BACKENDS, fresh_postgres_database, snapshot

# The founding mart on DuckDB, built once per session and copied for each test that needs it.
founded_file = test_seeds.founded_file
founding_mart = test_seeds.founding_mart

ARTICLE_KEY = "xiaomi-q2-2017-shipments"
ARTICLE_YAML = DEFAULT_SEEDS_DIR / f"{ARTICLE_KEY}.yaml"

Rows = list[dict[str, Any]]


def strings(*names: str) -> list[tuple[str, pa.DataType]]:
    return [(name, pa.string()) for name in names]


# Column types of the Parquet files; the CSV files carry the same columns as text. A value is
# text in both: a number in base units, or one with words (23.16 million, about 14 trillion).
SCHEMAS = {
    "sources": pa.schema(
        [
            *strings("source_key", "title", "publisher", "url"),
            ("is_summary", pa.bool_()),
            ("published_on", pa.date32()),
            ("body", pa.string()),
        ]
    ),
    "companies": pa.schema(
        [*strings("company_key", "company_name"), ("fiscal_year_end_month", pa.int16())]
    ),
    "products": pa.schema(strings("product_key", "product_name", "company_key", "product_kind")),
    "facts": pa.schema([*strings("source_key", *FACT_FIELDS), ("quote_start", pa.int32())]),
}


def write_csv(path: Path, rows: Rows, columns: list[str] | None = None) -> Path:
    """A CSV file with a header; None is written as an empty field (NULL when read)."""
    columns = columns or list(dict.fromkeys(c for row in rows for c in row))
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else str(row[c]) for c in columns])
    return path


def write_parquet(path: Path, rows: Rows, schema: pa.Schema) -> Path:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    return path


def article_tables() -> dict[str, Rows]:
    """The founding article's YAML, as the rows of bulk files with the same source_key: each
    fact's fields as the YAML writes them (values with their words), quotes with their offset."""
    yaml_file = read_fact_file(ARTICLE_YAML)
    spec, body = yaml_file.header.spec, yaml_file.text.body
    columns = yaml_file.rows()
    facts = [
        {"source_key": ARTICLE_KEY, **{name: columns[name][i] for name in FACT_FIELDS}}
        for i in range(len(yaml_file.facts))
    ]
    return {
        "sources": [
            {
                "source_key": ARTICLE_KEY,
                "title": spec.source.title,
                "publisher": spec.source.publisher,
                "url": spec.source.url,
                "is_summary": spec.source.is_summary,
                "published_on": yaml_file.text.published_on,
                "body": body,
            }
        ],
        "companies": [
            {
                "company_key": c.key,
                "company_name": c.name,
                "fiscal_year_end_month": c.fiscal_year_end_month,
            }
            for c in spec.companies
        ],
        "products": [
            {
                "product_key": p.key,
                "product_name": p.name,
                "company_key": p.company,
                "product_kind": p.kind,
            }
            for p in spec.products
        ],
        "facts": [fact | {"quote_start": body.find(fact["quote"])} for fact in facts],
    }


def write_article(folder: Path, file_format: str) -> Path:
    """The article as a bulk directory; the CSV one leaves quote_start out (it is optional)."""
    folder.mkdir()
    for name, rows in article_tables().items():
        if file_format == "parquet":
            write_parquet(folder / f"{name}.parquet", rows, SCHEMAS[name])
        else:
            columns = [c for c in SCHEMAS[name].names if c != "quote_start"]
            write_csv(folder / f"{name}.csv", rows, columns)
    return folder


def rows(engine: Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return sorted((tuple(row) for row in connection.execute(text(sql))), key=repr)


# Every table by natural keys, never surrogate ids. source leaves out loaded_at (a clock) and
# facts_sha256, which legitimately differs: for YAML it is the SHA-256 of the fact file, for a
# bulk file a digest of the source's rows.
COMPARED = {
    "company": "select company_key, company_name, fiscal_year_end_month from company",
    "period": "select period_label, grain, start_on, end_on from period",
    "region": "select region_key, region_name, region_kind from region",
    "product": "select p.product_key, p.product_name, c.company_key, p.product_kind "
    "from product as p inner join company as c using (company_id)",
    "metric": "select metric_key, metric_name, unit, subject, ranked_by, growth_of, "
    "compared_with, share_of, target_of, record_of, description from metric",
    "unit": "select unit, unit_name, is_currency, minimum, maximum, is_whole from unit",
    "source": "select source_key, title, publisher, url, is_summary, published_on, "
    "text_sha256, body from source",
}
# Where a statement was loaded from differs by design (the YAML's file and line, the bulk
# file's name and row); everything else must be the same.
NOT_COMPARED = ("fact_id", "seed_file", "seed_line")


def provenance_columns(engine: Engine) -> str:
    """fact_provenance's columns but those of NOT_COMPARED."""
    with engine.connect() as connection:
        columns = connection.execute(text("select * from fact_provenance where false")).keys()
    return ", ".join(c for c in columns if c not in NOT_COMPARED)


SHIPMENTS = (
    "select period, value, bound, value_precision, product from fact_provenance "
    "where metric = 'smartphone_shipments'"
)


def tables_after_loading(url: str, path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Load path into a fresh mart at url and read every table."""
    engine = make_engine(url)
    try:
        operations.upgrade(engine)
        operations.seed(engine, [path])
        found = {table: rows(engine, sql) for table, sql in COMPARED.items()}
        found["fact_provenance"] = rows(
            engine, f"select {provenance_columns(engine)} from fact_provenance"
        )
        found["shipments"] = rows(engine, SHIPMENTS)
    finally:
        engine.dispose()
    return found


def test_csv_and_parquet_load_the_same_tables_as_the_yaml(tmp_path: Path) -> None:
    loaded = {}
    for name, path in (
        ("yaml", ARTICLE_YAML),
        ("csv", write_article(tmp_path / "csv", "csv")),
        ("parquet", write_article(tmp_path / "parquet", "parquet")),
    ):
        loaded[name] = tables_after_loading(f"duckdb:///{tmp_path / name}.duckdb", path)
    assert len(loaded["yaml"]["fact_provenance"]) == 19
    assert loaded["yaml"]["source"][0][0] == ARTICLE_KEY
    assert loaded["yaml"]["shipments"] == [
        ("2017-Q2", Decimal("23160000"), "exact", Decimal("10000"), None)
    ]
    for table in loaded["yaml"]:
        assert loaded["csv"][table] == loaded["yaml"][table], table
        assert loaded["parquet"][table] == loaded["yaml"][table], table


@pytest.mark.postgres
def test_parquet_loads_the_same_tables_as_the_yaml_on_postgresql(
    postgres_admin: str, tmp_path: Path
) -> None:
    # The PostgreSQL path stages in DuckDB and copies: the same rows as DuckDB's own path.
    parquet = write_article(tmp_path / "parquet", "parquet")
    on_duckdb = tables_after_loading(f"duckdb:///{tmp_path / 'mart.duckdb'}", ARTICLE_YAML)
    with fresh_postgres_database(postgres_admin) as url:
        from_yaml = tables_after_loading(url, ARTICLE_YAML)
    with fresh_postgres_database(postgres_admin) as url:
        from_parquet = tables_after_loading(url, parquet)
    assert len(from_yaml["fact_provenance"]) == 19
    assert from_parquet == from_yaml
    assert from_yaml["fact_provenance"] == on_duckdb["fact_provenance"]


# A small bulk directory whose row numbers the tests below rely on.
SOURCES = [
    {
        "source_key": "test-article",
        "title": "Test article",
        "publisher": "Gizbot",
        "url": "",
        "is_summary": "false",
        "published_on": "2017-07-08",
        "body": (DEFAULT_SEEDS_DIR / f"{ARTICLE_KEY}.txt").read_text(encoding="utf-8"),
    }
]
COMPANIES = [{"company_key": "xiaomi", "company_name": "Xiaomi"}]
FACTS = [
    {  # row 1
        "source_key": "test-article",
        "metric": "smartphone_shipments",
        "company": "xiaomi",
        "period": "Q2 2017",
        "region": "",
        "product": "",
        "store_brand": "",
        "value": "23160000",
        "unit": "units",
        "basis": "reported",
        "wording": "23.16 million smartphones",
        "quote": "it has shipped 23.16 million smartphones in Q2 2017",
    },
    {  # row 2
        "source_key": "test-article",
        "metric": "patents_international_share",
        "company": "xiaomi",
        "period": "last year",
        "region": "",
        "product": "",
        "store_brand": "",
        "value": "0.5",
        "unit": "share",
        "basis": "reported",
        "wording": "half",
        "quote": "Moreover, half were international patents.",
    },
    {  # row 3
        "source_key": "test-article",
        "metric": "stores_open",
        "company": "xiaomi",
        "period": "on Friday",
        "region": "china",
        "product": "",
        "store_brand": "Mi Home",
        "value": "123",
        "unit": "stores",
        "basis": "reported",
        "wording": "123 Mi Home stores",
        "quote": "the company has opened 123 Mi Home stores across China",
    },
    {  # row 4
        "source_key": "test-article",
        "metric": "patents_granted",
        "company": "xiaomi",
        "period": "last year",
        "region": "",
        "product": "",
        "store_brand": "",
        "value": "2895",
        "unit": "patents",
        "basis": "reported",
        "wording": "2,895 patents were granted",
        "quote": "out of which 2,895 patents were granted.",
    },
]


def changed(row: int, **fields: str) -> Rows:
    """FACTS with the given fields of (1-based) row replaced."""
    return [fact | fields if number == row else fact for number, fact in enumerate(FACTS, 1)]


@pytest.fixture
def bulk_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "bulk"
    folder.mkdir()
    write_csv(folder / "sources.csv", SOURCES)
    write_csv(folder / "companies.csv", COMPANIES)
    return folder


def test_the_small_bulk_directory_loads(migrated: Engine, bulk_dir: Path) -> None:
    write_csv(bulk_dir / "facts.csv", FACTS)
    report = operations.seed(migrated, [bulk_dir])
    assert report.bulk is not None
    assert (report.bulk.files, report.bulk.facts, report.bulk.sources_loaded) == (1, 4, 1)
    assert rows(
        migrated, "select metric, period, region, store_brand, value, unit from fact_provenance"
    ) == sorted(
        [
            ("smartphone_shipments", "2017-Q2", "Global", None, Decimal("23160000"), "units"),
            ("patents_international_share", "2016", "Global", None, Decimal("0.5"), "share"),
            ("stores_open", "2017-07-07", "China", "Mi Home", Decimal("123"), "stores"),
            ("patents_granted", "2016", "Global", None, Decimal("2895"), "patents"),
        ],
        key=repr,
    )


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_quote_offsets_count_characters_not_bytes(migrated: Engine, bulk_dir: Path) -> None:
    # Non-ASCII text before the quotes: offsets are Python string offsets, found or given.
    body = "date 2017-07-08\nXiaomi\u2019s CEO said: \u201cit has shipped 23.16 million "
    body += "smartphones in Q2 2017\u201d. Moreover, half were international patents.\n"
    write_csv(bulk_dir / "sources.csv", [SOURCES[0] | {"body": body}])
    facts = [fact | {"quote_start": ""} for fact in FACTS[:2]]
    facts[1]["quote_start"] = str(body.find(FACTS[1]["quote"]))  # given; the other is found
    write_csv(bulk_dir / "facts.csv", facts)
    operations.seed(migrated, [bulk_dir])
    assert rows(migrated, "select quote, quote_start, quote_end from fact_provenance") == sorted(
        [
            (f["quote"], body.find(f["quote"]), body.find(f["quote"]) + len(f["quote"]))
            for f in FACTS[:2]
        ],
        key=repr,
    )
    assert not [r.check.name for r in operations.check(migrated) if r.failed]


SOURCES_FILE = "{dir}/sources.csv"
FACTS_FILE = "{dir}/facts.csv"
SAME = "metric, company, period, region, product, segment, attribution, unit and basis"

BAD_BULK = [
    pytest.param(
        "facts",
        [{k: v for k, v in fact.items() if k != "quote"} for fact in FACTS],
        f"{FACTS_FILE}: quote: missing column (the file has source_key, metric, company, "
        "period, region, product, store_brand, value, unit, basis, wording)",
        id="missing-column",
    ),
    pytest.param(
        "facts",
        [*FACTS[:1], FACTS[0] | {"colour": "red"}],
        f"{FACTS_FILE}: colour: unknown column (check the spelling)",
        id="unknown-column",
    ),
    pytest.param(
        "facts",
        changed(2, value="abc"),
        f"{FACTS_FILE}: row 2: value: 'abc' is not a number (write e.g. 23.16 million, 7,071, "
        "about 14 trillion, more than 2 million, between 49 billion and 52 billion)",
        id="value-not-a-number",
    ),
    pytest.param(
        "facts",
        [*FACTS, FACTS[0] | {"value": "24000000"}],
        f"{FACTS_FILE}: row 1: value: conflicting value: rows 1, 5 state the same {SAME} for "
        "one source",
        id="conflicting-value",
    ),
    pytest.param(
        "facts",
        [*FACTS, FACTS[2]],
        f"{FACTS_FILE}: row 3: value: the same fact twice: rows 3, 5 state the same {SAME} for "
        "one source",
        id="same-fact-twice",
    ),
    pytest.param(
        "facts",
        changed(3, metric="smartphone_shipmentz"),
        f"{FACTS_FILE}: row 3: metric: unknown metric smartphone_shipmentz: add it to "
        "catalogue.yaml",
        id="unknown-metric",
    ),
    pytest.param(
        "facts",
        changed(2, value="1.5"),
        f"{FACTS_FILE}: row 2: value: 1.5 is above 1, the largest share value (write half as 0.5)",
        id="share-above-1",
    ),
    pytest.param(
        "facts",
        changed(1, value="-5"),
        f"{FACTS_FILE}: row 1: value: -5 is negative; a figure in units cannot be",
        id="negative-count",
    ),
    pytest.param(
        "facts",
        changed(1, quote="it has shipped 23.61 million smartphones in Q2 2017"),
        f"{FACTS_FILE}: row 1: quote: quote not found in the body of source test-article: "
        "it has shipped 23.61 million smartphones in Q2 2017",
        id="quote-not-in-body",
    ),
    pytest.param(
        "facts",
        [fact | {"company": "apple"} if i in (1, 3) else fact for i, fact in enumerate(FACTS)],
        f"{FACTS_FILE}: row 2: company: company apple is not declared in the companies file "
        "(first offending rows: 2, 4)",
        id="unknown-company",
    ),
    pytest.param(
        "facts",
        changed(4, period="Q5 2017"),
        f"{FACTS_FILE}: row 4: period: cannot read period 'Q5 2017': write it as in the source "
        "(e.g. 'Q2 2017', 'last year', 'the June quarter', 'fiscal 2017', "
        "'Q1 FY18', 'next 12 months') or as a label (2017-Q2, 2017-H1, 2016, 2017-02, 2017-07-07, "
        "FY2018-Q1, FY2018, or dates 2017-04-01/2017-06-30)",
        id="unreadable-period",
    ),
    pytest.param(
        "sources",
        [*SOURCES, SOURCES[0] | {"title": "The same article again"}],
        f"{SOURCES_FILE}: rows 1, 2: source_key: 'test-article' appears more than once",
        id="duplicate-source-key",
    ),
    pytest.param(
        "sources",
        None,
        "{dir}: a bulk fact file needs sources.parquet or sources.csv beside it "
        "(see README, 'Bulk seed files')",
        id="missing-sources-file",
    ),
]


@pytest.mark.parametrize(("name", "content", "expected"), BAD_BULK)
def test_bad_bulk_file_is_refused_and_changes_nothing(
    founding_mart: Engine, bulk_dir: Path, name: str, content: Rows | None, expected: str
) -> None:
    if name != "facts":
        write_csv(bulk_dir / "facts.csv", FACTS)
    path = bulk_dir / f"{name}.csv"
    if content is None:
        path.unlink()
    else:
        write_csv(path, content)
    before = snapshot(founding_mart)
    with pytest.raises(MartError) as error:
        operations.seed(founding_mart, [bulk_dir])
    assert str(error.value) == expected.format(dir=bulk_dir)
    assert "\n" not in str(error.value)
    assert snapshot(founding_mart) == before


# A bulk directory using the columns a YAML fact may use beyond the founding ones: a fiscal
# calendar and a stated period end, a period's own wording, a segment, attributions, bounds
# given as a column or as words in the value, a range's high end as a column.
ACME_BODY = (
    "date 2017-08-01\nAcme reported revenue of 45.4 billion US dollars for its fiscal 2017 "
    "third quarter, up from 42.4 billion dollars in the year-ago quarter. Services revenue was "
    "between 7 and 7.5 billion dollars in the quarter. Canalys said Acme shipped about 14 "
    "million smartphones in the quarter, while IDC put it at more than 15 million.\n"
)
FISCAL_Q3 = {"period": "fiscal 2017 third quarter", "period_end": "2017-07-01"}
ACME_FACTS = [
    {  # row 1
        "metric": "revenue",
        **FISCAL_Q3,
        "value": "45.4 billion",
        "unit": "USD",
        "quote": "Acme reported revenue of 45.4 billion US dollars for its fiscal 2017 third "
        "quarter",
    },
    {  # row 2
        "metric": "revenue",
        "period": "FY2016-Q3",
        "period_wording": "in the year-ago quarter",
        "value": "42400000000",
        "unit": "USD",
        "quote": "up from 42.4 billion dollars in the year-ago quarter",
    },
    {  # row 3
        "metric": "revenue",
        **FISCAL_Q3,
        "period_wording": "in the quarter",
        "segment": "acme-services",
        "value": "7000000000",
        "value_high": "7500000000",
        "bound": "range",
        "unit": "USD",
        "quote": "Services revenue was between 7 and 7.5 billion dollars in the quarter",
    },
    {  # row 4
        "metric": "smartphone_shipments",
        **FISCAL_Q3,
        "period_wording": "in the quarter",
        "attributed_to": "canalys",
        "value": "about 14 million",
        "quote": "Canalys said Acme shipped about 14 million smartphones in the quarter",
    },
    {  # row 5
        "metric": "smartphone_shipments",
        **FISCAL_Q3,
        "attributed_to": "idc",
        "value": "15000000",
        "bound": "at_least",
        "quote": "IDC put it at more than 15 million",
    },
]
ACME_COLUMNS = ["source_key", *FACT_FIELDS]


def acme_facts(row: int | None = None, **fields: str) -> Rows:
    """ACME_FACTS as bulk rows, with the given fields of (1-based) row replaced."""
    facts = [
        {"source_key": "acme", "company": "acme", "basis": "reported", **fact}
        for fact in ACME_FACTS
    ]
    return [fact | fields if number == row else fact for number, fact in enumerate(facts, 1)]


@pytest.fixture
def acme_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "acme"
    folder.mkdir()
    source = {"source_key": "acme", "title": "Acme", "published_on": "2017-08-01"}
    write_csv(folder / "sources.csv", [source | {"body": ACME_BODY}])
    write_csv(
        folder / "companies.csv",
        [{"company_key": "acme", "company_name": "Acme", "fiscal_year_end_month": 9}],
    )
    write_csv(
        folder / "segments.csv",
        [{"segment_key": "acme-services", "segment_name": "Services", "company_key": "acme"}],
    )
    write_csv(
        folder / "attributions.csv",
        [
            {"attribution_key": k, "attribution_name": n, "attribution_kind": "research_firm"}
            for k, n in (("canalys", "Canalys"), ("idc", "IDC"))
        ],
    )
    write_csv(folder / "facts.csv", acme_facts(), ACME_COLUMNS)
    return folder


Q3_LABEL = "2017-04-01/2017-07-01"  # Acme's third quarter: April 1 to the stated July 1
ACME_ROWS = [
    ("FY2017-Q3", Q3_LABEL, "fiscal 2017 third quarter", None, None, 1),
    ("FY2016-Q3", "2016-Q2", "in the year-ago quarter", None, None, 2),
    ("FY2017-Q3", Q3_LABEL, "in the quarter", "Services", None, 3),
    ("FY2017-Q3", Q3_LABEL, "in the quarter", None, "Canalys", 4),
    ("FY2017-Q3", Q3_LABEL, "fiscal 2017 third quarter", None, "IDC", 5),
]
ACME_VALUES = [
    (Decimal("45.4e9"), None, "exact", Decimal("1e8"), "USD", 1),
    (Decimal("42.4e9"), None, "exact", Decimal("1"), "USD", 2),
    (Decimal("7e9"), Decimal("7.5e9"), "range", Decimal("1"), "USD", 3),
    (Decimal("14e6"), None, "about", Decimal("1e6"), "units", 4),
    (Decimal("15e6"), None, "at_least", Decimal("1"), "units", 5),
]


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_bulk_files_carry_bounds_ranges_periods_segments_and_attributions(
    migrated: Engine, acme_dir: Path
) -> None:
    report = operations.seed(migrated, [acme_dir])
    assert report.bulk is not None
    assert (report.bulk.files, report.bulk.facts, report.bulk.sources_loaded) == (1, 5, 1)
    assert rows(
        migrated,
        "select fiscal_period, period, period_wording, segment, attributed_to, seed_line "
        "from fact_provenance",
    ) == sorted(ACME_ROWS, key=repr)
    assert rows(
        migrated,
        "select value, value_high, bound, value_precision, unit, seed_line from fact_provenance",
    ) == sorted(ACME_VALUES, key=repr)
    assert rows(
        migrated,
        "select distinct period_start, period_end from fact_provenance where seed_line <> 2",
    ) == [(date(2017, 4, 1), date(2017, 7, 1))]
    assert rows(migrated, "select company_key, fiscal_year_end_month from company") == [("acme", 9)]


BAD_ACME = [
    pytest.param(
        "facts",
        acme_facts(3, segment="acme-cars"),
        f"{FACTS_FILE}: row 3: segment: segment acme-cars is not declared in the segments file",
        id="undeclared-segment",
    ),
    pytest.param(
        "facts",
        acme_facts(5, attributed_to="gartner"),
        f"{FACTS_FILE}: row 5: attributed_to: gartner is not declared in the attributions file",
        id="undeclared-attribution",
    ),
    pytest.param(
        "facts",
        acme_facts(1, unit="XYZ"),
        f"{FACTS_FILE}: row 1: unit: XYZ is not an ISO 4217 currency code (metric revenue is an "
        "amount of money: write e.g. USD, CNY, KRW, INR)",
        id="unknown-currency",
    ),
    pytest.param(
        "facts",
        acme_facts(4, bound="at_most"),
        f"{FACTS_FILE}: row 4: bound: 'at_most' contradicts the value's own word: about 14 million",
        id="bound-contradicts-word",
    ),
    pytest.param(
        "facts",
        acme_facts(5, attributed_to="canalys"),
        f"{FACTS_FILE}: row 4: value: conflicting value: rows 4, 5 state the same {SAME} for "
        "one source",
        id="same-authority-two-values",
    ),
    pytest.param(
        "facts",
        acme_facts(5, bound="roughly"),
        f"{FACTS_FILE}: row 5: bound: not one of exact, about, at_least, at_most, range: roughly",
        id="unknown-bound",
    ),
    pytest.param(
        "facts",
        acme_facts(3, value_high="6000000000"),
        f"{FACTS_FILE}: row 3: value_high: the range's high end 6000000000 is below its low end "
        "7000000000",
        id="range-upside-down",
    ),
    pytest.param(
        "facts",
        acme_facts(5, value_high="16000000"),
        f"{FACTS_FILE}: row 5: value_high: a high end is only for a range (bound: range, or "
        "between X and Y)",
        id="high-end-without-range",
    ),
    pytest.param(
        "facts",
        acme_facts(2, period_wording="a year earlier"),
        f"{FACTS_FILE}: row 2: period_wording: 'a year earlier' is not part of the quote",
        id="period-wording-not-in-quote",
    ),
    pytest.param(
        "facts",
        acme_facts(1, period_end="2017-07-32"),
        f"{FACTS_FILE}: row 1: period_end: not a date (write YYYY-MM-DD): 2017-07-32",
        id="period-end-not-a-date",
    ),
    pytest.param(
        "facts",
        acme_facts(4, basis="approximate"),
        f"{FACTS_FILE}: row 4: basis: approximate is no longer a basis: write basis: reported (or "
        "target, expected) and put the word in the value, e.g. value: about 14 trillion",
        id="approximate-basis",
    ),
    pytest.param(
        "products",
        [
            {
                "product_key": "acme-toaster",
                "product_name": "Toaster",
                "company_key": "acme",
                "product_kind": "toaster",
            }
        ],
        "{dir}/products.csv: row 1: product_kind: unknown product kind toaster: add it to "
        "catalogue.yaml under product_kinds",
        id="unknown-product-kind",
    ),
    pytest.param(
        "attributions",
        [{"attribution_key": "idc", "attribution_name": "IDC", "attribution_kind": "pollster"}],
        "{dir}/attributions.csv: row 1: attribution_kind: not one of company, executive, "
        "research_firm, analyst, regulator, other: pollster",
        id="unknown-attribution-kind",
    ),
    pytest.param(
        "segments",
        [{"segment_key": "acme-services", "segment_name": "Services", "company_key": "apple"}],
        "{dir}/segments.csv: row 1: company_key: company apple is not declared in the companies "
        "file",
        id="segment-of-an-undeclared-company",
    ),
]


@pytest.mark.parametrize(("name", "content", "expected"), BAD_ACME)
def test_bad_new_columns_are_refused_and_change_nothing(
    founding_mart: Engine, acme_dir: Path, name: str, content: Rows, expected: str
) -> None:
    columns = ACME_COLUMNS if name == "facts" else None
    write_csv(acme_dir / f"{name}.csv", content, columns)
    before = snapshot(founding_mart)
    with pytest.raises(MartError) as error:
        operations.seed(founding_mart, [acme_dir])
    assert str(error.value) == expected.format(dir=acme_dir)
    assert snapshot(founding_mart) == before


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic corpus (2,000 facts of 88 sources), never modified: copy to change."""
    out = tmp_path_factory.mktemp("synth")
    report = generate(2000, out)
    assert (report.facts, report.sources, report.companies) == (2000, 88, 3)
    return out


@pytest.fixture
def corpus_copy(corpus: Path, tmp_path: Path) -> Path:
    out = tmp_path / "corpus"
    out.mkdir()
    for path in corpus.iterdir():
        (out / path.name).write_bytes(path.read_bytes())
    return out


def fact_ids(engine: Engine) -> dict[str, set[tuple[Any, ...]]]:
    found: dict[str, set[tuple[Any, ...]]] = {}
    for source_key, fact_id, metric, period, region, value in rows(
        engine,
        "select source_key, fact_id, metric, period, region_key, value from fact_provenance",
    ):
        found.setdefault(source_key, set()).add((fact_id, metric, period, region, value))
    return found


def test_reloading_is_idempotent_and_a_changed_fact_reloads_its_source_only(
    migrated: Engine, corpus_copy: Path
) -> None:
    first = operations.seed(migrated, [corpus_copy]).bulk
    assert first is not None
    assert (first.facts, first.sources_loaded, first.sources_unchanged) == (2000, 88, 0)
    before = snapshot(migrated)
    ids_before = fact_ids(migrated)

    again = operations.seed(migrated, [corpus_copy]).bulk
    assert again is not None
    assert (again.facts, again.sources_loaded, again.sources_unchanged) == (0, 0, 88)
    assert snapshot(migrated) == before

    # The first fact of the file: a shipments figure of the first source, plus 1,000 units.
    facts = corpus_copy / "facts.parquet"
    edited = corpus_copy / "edited.tmp"
    with duckdb.connect() as con:
        key, old = con.execute(
            f"select source_key, value from read_parquet('{facts}') limit 1"
        ).fetchone() or (None, None)
        con.execute(
            f"copy (select * exclude (file_row_number) replace (case when file_row_number = 0 "
            f"then value + 1000 else value end as value) from read_parquet('{facts}', "
            f"file_row_number = true) order by file_row_number) to '{edited}' (format parquet)"
        )
    edited.replace(facts)
    assert key == "synth-co-000000-2008-0"

    report = operations.seed(migrated, [corpus_copy]).bulk
    assert report is not None
    assert (report.sources_loaded, report.sources_unchanged) == (1, 87)
    assert report.facts == len(ids_before[key])
    assert rows(
        migrated,
        "select value from fact_provenance where source_key = 'synth-co-000000-2008-0' "
        f"and metric = 'smartphone_shipments' and value in ({old}, {old + 1000})",
    ) == [(old + 1000,)]
    ids_after = fact_ids(migrated)
    assert {k: v for k, v in ids_after.items() if k != key} == {
        k: v for k, v in ids_before.items() if k != key
    }
    assert len(ids_after[key]) == len(ids_before[key])


runner = CliRunner()


def test_synth_then_build_then_query_through_the_cli(tmp_path: Path) -> None:
    out, db = tmp_path / "corpus", str(tmp_path / "mart.duckdb")
    result = runner.invoke(app, ["synth", "--facts", "2000", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote 2,000 facts from 88 sources about 3 companies to {out}\n"

    result = runner.invoke(app, ["build", "--seeds", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    assert (
        "loaded 2,000 facts of 88 sources from 1 bulk file(s); 0 sources unchanged" in result.stderr
    )

    # --seeds DIR loads that directory only: the repo's two articles are not in this mart.
    result = runner.invoke(
        app,
        ["query", "select count(*) as n from fact_provenance", "--db", db, "--format", "csv"],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "n\n2000\n"


def fact_counts(engine: Engine) -> dict[str, int]:
    """Statements by what their metric is about (metric, patent, store)."""
    with engine.connect() as connection:
        return dict(
            connection.execute(
                text(
                    "select m.subject, count(*) from statement as s inner join metric as m "
                    "using (metric_id) group by 1 order by 1"
                )
            ).all()
        )


@pytest.fixture
def postgres(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.mark.postgres
def test_the_synthetic_corpus_loads_the_same_counts_on_postgresql(
    postgres: Engine, corpus: Path, tmp_path: Path
) -> None:
    duck = make_engine(f"duckdb:///{tmp_path / 'mart.duckdb'}")
    try:
        operations.build(duck, [corpus])
        on_duckdb = fact_counts(duck)
    finally:
        duck.dispose()
    report = operations.build(postgres, [corpus]).bulk
    assert report is not None
    assert (report.facts, report.sources_loaded) == (2000, 88)
    assert fact_counts(postgres) == on_duckdb
    again = operations.build(postgres, [corpus]).bulk
    assert again is not None
    assert (again.facts, again.sources_loaded, again.sources_unchanged) == (0, 0, 88)
    assert fact_counts(postgres) == on_duckdb
    assert on_duckdb == {"metric": 1477, "patent": 174, "store": 349}


@pytest.mark.postgres
def test_a_large_postgresql_load_checks_foreign_keys_once_and_keeps_them(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seeds, "SET_BASED_KEY_CHECK_ROWS", 1)  # take the large-load path
    corpus = tmp_path / "corpus"
    generate(2000, corpus)
    engine = make_engine(postgres_url)
    try:
        report = operations.build(engine, [corpus])
        assert report.bulk is not None and report.bulk.facts == 2000
        with engine.connect() as connection:
            keys = connection.execute(
                text(
                    "select conrelid::regclass::text, count(*) from pg_constraint "
                    "where contype = 'f' and conrelid::regclass::text = 'statement' "
                    "group by 1 order by 1"
                )
            ).all()
        # source, metric, company, period, region, product, segment, attribution, unit
        assert [tuple(k) for k in keys] == [("statement", 9)]
    finally:
        engine.dispose()


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_a_body_with_a_nul_byte_is_refused_on_both_backends(
    founded: Engine, bulk_dir: Path, tmp_path: Path
) -> None:
    # DuckDB would keep the NUL and PostgreSQL's COPY refuse it: both refuse it, in one line.
    source = SOURCES[0] | {"body": SOURCES[0]["body"].replace("Chinese", "Chin\0ese", 1)}
    write_csv(bulk_dir / "sources.csv", [source])
    write_csv(bulk_dir / "facts.csv", FACTS)
    parquet = tmp_path / "parquet"
    parquet.mkdir()
    typed = source | {"is_summary": False, "published_on": date(2017, 7, 8), "url": None}
    write_parquet(parquet / "sources.parquet", [typed], SCHEMAS["sources"])
    write_csv(parquet / "companies.csv", COMPANIES)
    write_csv(parquet / "facts.csv", FACTS)
    before = snapshot(founded)
    for folder, name in ((bulk_dir, "sources.csv"), (parquet, "sources.parquet")):
        with pytest.raises(MartError) as error:
            operations.seed(founded, [folder])
        assert str(error.value) == (
            f"{folder / name}: row 1: body: contains a NUL byte at offset 21: "
            "remove it (PostgreSQL cannot store it)"
        )
        assert snapshot(founded) == before


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_a_nul_byte_in_a_name_or_store_brand_is_refused(founded: Engine, bulk_dir: Path) -> None:
    before = snapshot(founded)
    write_csv(bulk_dir / "facts.csv", changed(3, store_brand="Mi\0 Home"))
    with pytest.raises(MartError) as error:
        operations.seed(founded, [bulk_dir])
    assert str(error.value) == (
        f"{bulk_dir / 'facts.csv'}: row 3: store_brand: contains a NUL byte at offset 2: "
        "remove it (PostgreSQL cannot store it)"
    )
    write_csv(bulk_dir / "companies.csv", [{"company_key": "xiaomi", "company_name": "X\0"}])
    with pytest.raises(MartError) as error:
        operations.seed(founded, [bulk_dir])
    assert str(error.value) == (
        f"{bulk_dir / 'companies.csv'}: row 1: company_name: contains a NUL byte at offset 1: "
        "remove it (PostgreSQL cannot store it)"
    )
    assert snapshot(founded) == before


SOCIETE = "Société Xiaomi said it has shipped 23.16 million smartphones in Q2 2017"


@pytest.mark.parametrize(("body_form", "quote_form"), [("NFC", "NFD"), ("NFD", "NFC")])
def test_a_quote_in_another_unicode_form_than_the_body_is_found(
    migrated: Engine, bulk_dir: Path, body_form: str, quote_form: str
) -> None:
    # Composed é (U+00E9) against e + combining acute (U+0301): compared, and stored, in NFC.
    body = unicodedata.normalize(body_form, f"date 2017-07-08\nLa {SOCIETE}.\n")
    write_csv(bulk_dir / "sources.csv", [SOURCES[0] | {"body": body}])
    quote = unicodedata.normalize(quote_form, SOCIETE)
    write_csv(bulk_dir / "facts.csv", [FACTS[0] | {"quote": quote}])
    operations.seed(migrated, [bulk_dir])
    assert rows(migrated, "select body from source") == [
        (
            "date 2017-07-08\nLa Soci\u00e9t\u00e9 Xiaomi said it has shipped 23.16 million "
            "smartphones in Q2 2017.\n",
        )
    ]
    assert rows(migrated, "select quote, quote_start, quote_end from fact_provenance") == [
        (SOCIETE, 19, 90)
    ]
