"""The command line, run through typer's runner as a user would type it."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mart.cli import app
from mart.config import REPO_ROOT
from tests.conftest import SEEDED_STATEMENTS

runner = CliRunner()
# Statements in every seed file of the repository: the founding two sources (32) and the corpus.


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "mart.duckdb")


@pytest.fixture
def built(db: str) -> str:
    result = runner.invoke(app, ["build", "--db", db])
    assert result.exit_code == 0, result.output
    return db


def test_build_loads_every_source_and_prints_the_figures(db: str) -> None:
    result = runner.invoke(app, ["build", "--db", db])
    assert result.exit_code == 0, result.output
    assert "loaded globaltimes-2017-07-07-summary: 13 facts" in result.stderr
    assert "loaded xiaomi-q2-2017-shipments: 19 facts" in result.stderr
    out = result.stdout
    for figure in (
        "23,160,000.00",
        "13,623,529.41",
        "4.2800",
        "0.409419",
        "137",
        "100,000,000,000.00",
        "14,710,000,000.00",
        "Redmi Note 4",
    ):
        assert figure in out, figure
    for view in (
        "shipments_quarterly",
        "revenue_growth",
        "patent_summary",
        "store_footprint",
        "revenue_targets",
        "market_positions",
    ):
        assert view in out, view


def test_build_twice_skips_unchanged_sources(built: str) -> None:
    result = runner.invoke(app, ["build", "--db", built])
    assert result.exit_code == 0
    assert "unchanged xiaomi-q2-2017-shipments: skipped" in result.stderr


def test_database_url_from_environment(built: str) -> None:
    result = runner.invoke(
        app,
        ["query", "select count(*) as n from fact_provenance", "--format", "csv"],
        env={"MART_DATABASE_URL": built},
    )
    assert result.stdout == f"n\n{SEEDED_STATEMENTS}\n"


def test_query_csv(built: str) -> None:
    result = runner.invoke(
        app,
        [
            "query",
            "select period, units, basis from shipments_quarterly where attributed_to is null "
            "order by period",
            "--db",
            built,
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "period,units,basis\n2017-Q1,13623529.41,implied\n2017-Q2,23160000.00,reported\n"
    )


def test_query_json(built: str) -> None:
    result = runner.invoke(
        app, ["query", "select * from patent_summary", "--db", built, "--format", "json"]
    )
    assert json.loads(result.stdout) == [
        {
            "company": "Xiaomi",
            "region": "Global",
            "year": 2016,
            "filed": 7071,
            "granted": 2895,
            "grant_rate": 0.409419,
            "international_share": 0.5,
            "attributed_to": None,
            "source_count": 1,
        }
    ]


def test_query_is_read_only(built: str) -> None:
    result = runner.invoke(app, ["query", "delete from statement", "--db", built])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: query failed: ")
    assert "read-only" in result.stderr
    count = runner.invoke(
        app, ["query", "select count(*) from statement", "--db", built, "--format", "csv"]
    )
    assert count.stdout.splitlines()[1] == str(SEEDED_STATEMENTS)


def test_query_error_is_one_line(built: str) -> None:
    result = runner.invoke(app, ["query", "select nope from shipments_quarterly", "--db", built])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: query failed: ")


def test_check_passes_on_the_built_mart(built: str) -> None:
    result = runner.invoke(app, ["check", "--db", built])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"(\d+) checks: \1 passed, 0 failed, 0 warned\n", result.stdout)


def test_unreachable_database(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--db", "postgresql://nobody@127.0.0.1:1/mart"])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: cannot connect to postgresql+psycopg://nobody@127.0.0.1:1/mart: "
    )
    assert result.stderr.count("\n") == 1


def test_migrate_and_downgrade(db: str) -> None:
    up = runner.invoke(app, ["migrate", "--db", db])
    assert up.stdout == "at revision f1b9c6d2a505\n"
    down = runner.invoke(app, ["downgrade", "base", "--db", db])
    assert down.stdout == "at revision base\n"


def test_seed_a_single_file(db: str) -> None:
    runner.invoke(app, ["migrate", "--db", db])
    result = runner.invoke(
        app, ["seed", str(REPO_ROOT / "seeds/xiaomi-q2-2017-shipments.yaml"), "--db", db]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == "loaded xiaomi-q2-2017-shipments: 19 facts\n"


def test_every_command_has_help_with_an_example_and_is_in_the_readme() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]  # type: ignore[union-attr]
    assert sorted(commands) == [
        "build",
        "check",
        "docs",
        "downgrade",
        "draft",
        "export",
        "migrate",
        "query",
        "seed",
        "serve",
        "synth",
    ]
    for command in commands:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert "Example: mart " + command in result.stdout, command
        assert f"`mart {command}" in readme, command


def test_help_starts_fast() -> None:
    # Heavy imports stay out of the CLI's import path: importing mart.cli loads no database code.
    code = (
        "import sys, mart.cli; heavy = {'sqlalchemy', 'alembic', 'duckdb', 'rich.table'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "[]\n"


def test_query_on_a_duckdb_file_imports_no_sqlalchemy(built: str) -> None:
    # `mart query` on a DuckDB file is read by DuckDB alone: SQLAlchemy's import is most of a
    # second of start-up. The rows are the same, DECIMAL as Decimal.
    code = (
        "import sys; from mart.cli import app\n"
        "try:\n"
        f"    app(['query', 'select 23.16::decimal(6, 2) as d', '--db', {built!r}, "
        "'--format', 'csv'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted({'sqlalchemy', 'alembic', 'mart.db'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "d\n23.16\n[]\n"


def test_query_on_a_missing_duckdb_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.duckdb"
    result = runner.invoke(app, ["query", "select 1", "--db", str(missing)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: cannot connect to duckdb:///{missing}: IO Error: Cannot open database "
        f'"{missing}" in read-only mode: database does not exist '
        "(check --db or MART_DATABASE_URL)\n"
    )
    assert not missing.exists()


@pytest.mark.postgres
def test_query_is_read_only_on_postgresql(postgres_url: str) -> None:
    assert runner.invoke(app, ["build", "--db", postgres_url]).exit_code == 0
    result = runner.invoke(app, ["query", "delete from statement", "--db", postgres_url])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: query failed: cannot execute DELETE in a read-only transaction\n"
    )
