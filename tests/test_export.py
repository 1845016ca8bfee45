"""`mart export`: every view as a file, with the article's figures and their types intact."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from mart import operations, views
from mart.cli import app
from mart.config import DEFAULT_SEEDS_DIR
from mart.db import MartError, make_engine
from mart.export import export
from tests.conftest import BACKENDS, SEEDED_STATEMENTS

runner = CliRunner()
# Statements in every seed file of the repository: the founding two sources (32) and the corpus.

SHIPMENTS = [
    {
        "company": "Samsung Electronics",
        "region": "India",
        "period": "2017-Q3",
        "period_start": date(2017, 7, 1),
        "period_end": date(2017, 9, 30),
        "units": Decimal("9400000.00"),
        "bound": "exact",
        "basis": "reported",
        "qoq_growth_pct": None,
        "attributed_to": "Canalys",
        "source_count": 1,
    },
    {
        "company": "Xiaomi",
        "region": "Global",
        "period": "2017-Q1",
        "period_start": date(2017, 1, 1),
        "period_end": date(2017, 3, 31),
        "units": Decimal("13623529.41"),
        "bound": "about",
        "basis": "implied",
        "qoq_growth_pct": None,
        "attributed_to": None,
        "source_count": 2,
    },
    {
        "company": "Xiaomi",
        "region": "Global",
        "period": "2017-Q2",
        "period_start": date(2017, 4, 1),
        "period_end": date(2017, 6, 30),
        "units": Decimal("23160000.00"),
        "bound": "exact",
        "basis": "reported",
        "qoq_growth_pct": Decimal("70.00"),
        "attributed_to": None,
        "source_count": 2,
    },
    {
        "company": "Xiaomi",
        "region": "India",
        "period": "2017-Q3",
        "period_start": date(2017, 7, 1),
        "period_end": date(2017, 9, 30),
        "units": Decimal("9200000.00"),
        "bound": "exact",
        "basis": "reported",
        "qoq_growth_pct": None,
        "attributed_to": "Canalys",
        "source_count": 1,
    },
    # The whole Indian market ("just over 40 million"): no company.
    {
        "company": None,
        "region": "India",
        "period": "2017-Q3",
        "period_start": date(2017, 7, 1),
        "period_end": date(2017, 9, 30),
        "units": Decimal("40000000.00"),
        "bound": "at_least",
        "basis": "reported",
        "qoq_growth_pct": None,
        "attributed_to": "Canalys",
        "source_count": 1,
    },
]

CSV = {
    "patent_summary": (
        '"company","region","year","filed","granted","grant_rate","international_share",'
        '"attributed_to","source_count"\n'
        '"Xiaomi","Global",2016,7071,2895,0.409419,0.500000,,1\n'
    ),
    "shipments_quarterly": (
        '"company","region","period","period_start","period_end","units","bound","basis",'
        '"qoq_growth_pct","attributed_to","source_count"\n'
        '"Samsung Electronics","India","2017-Q3",2017-07-01,2017-09-30,9400000.00,"exact",'
        '"reported",,"Canalys",1\n'
        '"Xiaomi","Global","2017-Q1",2017-01-01,2017-03-31,13623529.41,"about","implied",,,2\n'
        '"Xiaomi","Global","2017-Q2",2017-04-01,2017-06-30,23160000.00,"exact","reported",'
        "70.00,,2\n"
        '"Xiaomi","India","2017-Q3",2017-07-01,2017-09-30,9200000.00,"exact","reported",,'
        '"Canalys",1\n'
        ',"India","2017-Q3",2017-07-01,2017-09-30,40000000.00,"at_least","reported",,"Canalys",1\n'
    ),
    "store_footprint": (
        '"company","region","store_brand","as_of","open_stores","planned_openings",'
        '"stores_after_plan","attributed_to","source_count"\n'
        '"Xiaomi","China","Mi Home",2017-07-07,123,14,137,,2\n'
        '"Xiaomi","India","Mi Home",2017-07-07,,,,,1\n'
    ),
}


def files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_parquet_files_hold_the_figures_with_their_types(seeded: Engine, tmp_path: Path) -> None:
    out = tmp_path / "out"
    written = export(seeded, out, "parquet")

    assert [e.view for e in written] == sorted(views.names())
    assert files(out) == sorted(f"{view}.parquet" for view in views.names())
    assert {e.view: e.rows for e in written}["fact_provenance"] == SEEDED_STATEMENTS

    shipments = pq.read_table(out / "shipments_quarterly.parquet")
    assert shipments.to_pylist() == SHIPMENTS
    assert shipments.schema.field("units").type == pa.decimal128(24, 2)
    assert shipments.schema.field("period_start").type == pa.date32()
    patents = pq.read_table(out / "patent_summary.parquet").to_pylist()
    assert [(p["year"], p["filed"], p["granted"], p["grant_rate"]) for p in patents] == [
        (2016, 7071, 2895, Decimal("0.409419"))
    ]
    stores = pq.read_table(out / "store_footprint.parquet").to_pylist()
    assert [
        (s["region"], s["open_stores"], s["planned_openings"], s["stores_after_plan"])
        for s in stores
    ] == [
        ("China", 123, 14, 137),
        ("India", None, None, None),
    ]


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_csv_files_have_a_header_iso_dates_and_empty_nulls(seeded: Engine, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(seeded, out, "csv")
    assert files(out) == sorted(f"{view}.csv" for view in views.names())
    for view, text in CSV.items():
        assert (out / f"{view}.csv").read_text(encoding="utf-8") == text, view


@pytest.mark.postgres
@pytest.mark.parametrize("file_format", ["parquet", "csv"])
def test_both_backends_write_the_same_files(
    seeded: Engine, postgres_url: str, tmp_path: Path, file_format: str
) -> None:
    postgres = make_engine(postgres_url)
    try:
        operations.build(postgres, [DEFAULT_SEEDS_DIR])
        export(seeded, tmp_path / "duckdb", file_format)
        export(postgres, tmp_path / "postgresql", file_format)
    finally:
        postgres.dispose()
    for view in views.names():
        name = f"{view}.{file_format}"
        on_duckdb, on_postgres = tmp_path / "duckdb" / name, tmp_path / "postgresql" / name
        if file_format == "csv":
            assert on_duckdb.read_bytes() == on_postgres.read_bytes(), view
        else:
            assert pq.read_table(on_duckdb).equals(pq.read_table(on_postgres)), view


def test_exporting_again_replaces_the_files_and_leaves_no_temporary_ones(
    seeded: Engine, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "shipments_quarterly.csv").write_text("stale\n", encoding="utf-8")
    export(seeded, out, "csv")
    export(seeded, out, "csv")
    assert files(out) == sorted(f"{view}.csv" for view in views.names())
    assert (out / "shipments_quarterly.csv").read_text(encoding="utf-8") == CSV[
        "shipments_quarterly"
    ]


def test_an_unbuilt_mart_says_to_build_it_and_writes_nothing(
    migrated: Engine, tmp_path: Path
) -> None:
    operations.downgrade(migrated, "base")
    with pytest.raises(MartError) as error:
        export(migrated, tmp_path / "out", "parquet")
    message = str(error.value)
    assert message.startswith("cannot export changes: Catalog Error: ")
    assert message.endswith("(is the mart built? run `mart build`)")
    assert not (tmp_path / "out").exists()


def test_cli_export_prints_what_it_wrote(tmp_path: Path) -> None:
    db = str(tmp_path / "mart.duckdb")
    assert runner.invoke(app, ["build", "--db", db]).exit_code == 0
    result = runner.invoke(app, ["export", str(tmp_path / "out"), "--db", db, "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if "│" in line}
    assert sorted(lines) == sorted(views.names())
    assert f"{tmp_path / 'out' / 'shipments_quarterly.csv'}" in lines["shipments_quarterly"]
    assert lines["fact_provenance"].split("│")[3].strip() == str(SEEDED_STATEMENTS)
    assert (tmp_path / "out" / "store_footprint.csv").read_text(encoding="utf-8") == CSV[
        "store_footprint"
    ]


def test_cli_export_errors_are_one_line(tmp_path: Path) -> None:
    db = tmp_path / "mart.duckdb"
    bad_format = runner.invoke(app, ["export", str(tmp_path / "out"), "--format", "xlsx"])
    assert bad_format.exit_code == 1
    assert bad_format.stderr == "error: --format must be parquet or csv, not 'xlsx'\n"
    missing = runner.invoke(app, ["export", str(tmp_path / "out"), "--db", str(db)])
    assert missing.exit_code == 1
    assert missing.stderr == f"error: {db} does not exist: run `mart build` first (or check --db)\n"
    assert not (tmp_path / "out").exists()


def test_cli_export_into_a_file_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "mart.duckdb"
    assert runner.invoke(app, ["build", "--db", str(db)]).exit_code == 0
    occupied = tmp_path / "exports"
    occupied.write_text("not a directory")
    result = runner.invoke(app, ["export", str(occupied), "--db", str(db)])
    assert result.exit_code == 1
    assert result.stderr == f"error: {occupied}: File exists\n"
