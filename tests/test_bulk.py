"""Bulk seed files (CSV, Parquet): the same tables as YAML, exact errors, idempotent reloads."""

import csv
from collections.abc import Iterator
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
from mart.synth import generate
from tests.conftest import BACKENDS, snapshot

ARTICLE_KEY = "xiaomi-q2-2017-shipments"
ARTICLE_YAML = DEFAULT_SEEDS_DIR / f"{ARTICLE_KEY}.yaml"
CATALOGUE = DEFAULT_SEEDS_DIR / "catalogue.yaml"
FACT_TABLES = ("metric_fact", "patent_fact", "store_fact")

Rows = list[dict[str, Any]]

# Column types of the Parquet files; the CSV files carry the same columns as text.
SCHEMAS = {
    "sources": pa.schema(
        [
            ("source_key", pa.string()),
            ("title", pa.string()),
            ("publisher", pa.string()),
            ("url", pa.string()),
            ("is_summary", pa.bool_()),
            ("published_on", pa.date32()),
            ("body", pa.string()),
        ]
    ),
    "companies": pa.schema([("company_key", pa.string()), ("company_name", pa.string())]),
    "products": pa.schema(
        [
            ("product_key", pa.string()),
            ("product_name", pa.string()),
            ("company_key", pa.string()),
            ("product_kind", pa.string()),
        ]
    ),
    "facts": pa.schema(
        [
            ("source_key", pa.string()),
            ("metric", pa.string()),
            ("company", pa.string()),
            ("period", pa.string()),
            ("region", pa.string()),
            ("product", pa.string()),
            ("store_brand", pa.string()),
            ("value", pa.decimal128(24, 6)),
            ("unit", pa.string()),
            ("basis", pa.string()),
            ("wording", pa.string()),
            ("quote", pa.string()),
            ("quote_start", pa.int32()),
        ]
    ),
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
    """The founding article's YAML, as the rows of bulk files with the same source_key."""
    _catalogue, [source] = seeds.check([ARTICLE_YAML], CATALOGUE)
    spec = source.fact_file.spec
    return {
        "sources": [
            {
                "source_key": source.key,
                "title": spec.source.title,
                "publisher": spec.source.publisher,
                "url": spec.source.url,
                "is_summary": spec.source.is_summary,
                "published_on": source.text.published_on,
                "body": source.text.body,
            }
        ],
        "companies": [{"company_key": c.key, "company_name": c.name} for c in spec.companies],
        "products": [
            {
                "product_key": p.key,
                "product_name": p.name,
                "company_key": p.company,
                "product_kind": p.kind,
            }
            for p in spec.products
        ],
        "facts": [
            {
                "source_key": source.key,
                "metric": f.metric,
                "company": f.company,
                "period": f.period_wording,
                "region": f.region,
                "product": f.product,
                "store_brand": f.store_brand,
                "value": f.value,
                "unit": f.unit,
                "basis": f.basis,
                "wording": f.wording,
                "quote": f.quote,
                "quote_start": f.quote_start,
            }
            for f in source.facts
        ],
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
    "company": "select company_key, company_name from company",
    "period": "select period_label, grain, start_on, end_on from period",
    "region": "select region_key, region_name, region_kind from region",
    "product": "select p.product_key, p.product_name, c.company_key, p.product_kind "
    "from product as p inner join company as c using (company_id)",
    "metric": "select metric_key, metric_name, unit, fact_table, ranked_by, description "
    "from metric",
    "source": "select source_key, title, publisher, url, is_summary, published_on, "
    "text_sha256, body from source",
}


def provenance_columns(engine: Engine) -> str:
    """fact_provenance's columns but fact_id (on DuckDB: select * exclude (fact_id))."""
    with engine.connect() as connection:
        columns = connection.execute(text("select * from fact_provenance where false")).keys()
    return ", ".join(c for c in columns if c != "fact_id")


def tables_after_loading(engine: Engine, path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Load path into a fresh mart on engine, read every table, and leave the database empty."""
    operations.upgrade(engine)
    operations.seed(engine, [path])
    found = {table: rows(engine, sql) for table, sql in COMPARED.items()}
    found["fact_provenance"] = rows(
        engine, f"select {provenance_columns(engine)} from fact_provenance"
    )
    operations.downgrade(engine, "base")
    return found


def test_csv_and_parquet_load_the_same_tables_as_the_yaml(tmp_path: Path) -> None:
    loaded = {}
    for name, path in (
        ("yaml", ARTICLE_YAML),
        ("csv", write_article(tmp_path / "csv", "csv")),
        ("parquet", write_article(tmp_path / "parquet", "parquet")),
    ):
        engine = make_engine(f"duckdb:///{tmp_path / name}.duckdb")  # one database each
        try:
            loaded[name] = tables_after_loading(engine, path)
        finally:
            engine.dispose()
    assert len(loaded["yaml"]["fact_provenance"]) == 19
    assert loaded["yaml"]["source"][0][0] == ARTICLE_KEY
    for table in loaded["yaml"]:
        assert loaded["csv"][table] == loaded["yaml"][table], table
        assert loaded["parquet"][table] == loaded["yaml"][table], table


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_parquet_loads_the_same_tables_as_the_yaml_on_each_backend(
    empty: Engine, tmp_path: Path
) -> None:
    # One database per backend, emptied (downgraded to base) between the two loads.
    from_yaml = tables_after_loading(empty, ARTICLE_YAML)
    from_parquet = tables_after_loading(empty, write_article(tmp_path / "parquet", "parquet"))
    assert len(from_yaml["fact_provenance"]) == 19
    assert from_parquet == from_yaml


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
# The YAML loader shows a number as the file writes it (1.5, -5; see seeds._plain); the bulk
# checks print cast(value as varchar) of a decimal(24, 6): 1.500000, -5.000000.

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
        f"{FACTS_FILE}: row 2: value: 'abc' is not a number in base units",
        id="value-not-a-number",
    ),
    pytest.param(
        "facts",
        [*FACTS, FACTS[0] | {"value": "24000000"}],
        f"{FACTS_FILE}: row 1: value: conflicting value: rows 1, 5 state the same metric, "
        "company, period, region and product for one source",
        id="conflicting-value",
    ),
    pytest.param(
        "facts",
        [*FACTS, FACTS[2]],
        f"{FACTS_FILE}: row 3: value: the same fact twice: rows 3, 5 state the same metric, "
        "company, period, region and product for one source",
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
        f"{FACTS_FILE}: row 2: value: 1.5 is not a share between 0 and 1 (write half as 0.5)",
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
        f"{FACTS_FILE}: row 2: company: company apple is not in the companies file "
        "(first offending rows: 2, 4)",
        id="unknown-company",
    ),
    pytest.param(
        "facts",
        changed(4, period="Q5 2017"),
        f"{FACTS_FILE}: row 4: period: cannot read period 'Q5 2017': write it as in the source "
        "(e.g. 'Q2 2017', 'last year', 'first half of the year', 'in February', "
        "'next 12 months') or as a label (2017-Q2, 2017-H1, 2016, 2017-02, 2017-07-07)",
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
    seeded: Engine, bulk_dir: Path, name: str, content: Rows | None, expected: str
) -> None:
    if name != "facts":
        write_csv(bulk_dir / "facts.csv", FACTS)
    path = bulk_dir / f"{name}.csv"
    if content is None:
        path.unlink()
    else:
        write_csv(path, content)
    before = snapshot(seeded)
    with pytest.raises(MartError) as error:
        operations.seed(seeded, [bulk_dir])
    assert str(error.value) == expected.format(dir=bulk_dir)
    assert "\n" not in str(error.value)
    assert snapshot(seeded) == before


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
    with engine.connect() as connection:
        return {
            table: connection.execute(text(f"select count(*) from {table}")).scalar_one()
            for table in FACT_TABLES
        }


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
    assert on_duckdb == {"metric_fact": 1477, "patent_fact": 174, "store_fact": 349}


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
                    "where contype = 'f' and conrelid::regclass::text like '%_fact' "
                    "group by 1 order by 1"
                )
            ).all()
        assert [tuple(k) for k in keys] == [
            ("metric_fact", 6),
            ("patent_fact", 5),
            ("store_fact", 5),
        ]
    finally:
        engine.dispose()
