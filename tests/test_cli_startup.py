"""What `mart query` and `mart --help` import as a user runs them; a plain `mart query`, which
mart.cli answers without typer, prints and exits exactly as it does through typer."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mart.cli import Format, _plain_query, app
from mart.config import REPO_ROOT

runner = CliRunner()

# Imported by neither command: the SQLAlchemy stack, the loader, the drafter, the server, the
# site, the seed files' YAML, dataframes, and pydantic (typer's option checks).
NEVER = {
    "alembic",
    "mart.db",
    "mart.docs",
    "mart.draft",
    "mart.load",
    "mart.seedfiles",
    "mart.seeds",
    "mart.serve",
    "numpy",
    "pandas",
    "psycopg",
    "pyarrow",
    "pydantic",
    "sqlalchemy",
    "yaml",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("startup") / "mart.duckdb")
    result = runner.invoke(app, ["build", "--db", db])
    assert result.exit_code == 0, result.output
    return db


def run_mart(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """`python -m mart ARGS` from this checkout, and the top-level packages and mart modules it
    imported (from -X importtime, which lists each module the first time it is imported)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mart", *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    names = re.findall(r"^import time:.*\| +(\S+)$", done.stderr, re.MULTILINE)
    imported = {name if name.startswith("mart.") else name.split(".")[0] for name in names}
    said = "".join(line + "\n" for line in done.stderr.splitlines() if "import time:" not in line)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout, said), imported


def test_query_on_a_duckdb_file_imports_duckdb_and_nothing_heavy(built: str) -> None:
    done, imported = run_mart(
        "query", "select 23.16::decimal(6, 2) as d", "--db", built, "--format", "csv"
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "d\n23.16\n", "")
    assert "duckdb" in imported
    assert sorted(imported & (NEVER | {"typer", "mart.commands", "rich"})) == []


def test_query_as_a_table_adds_rich_only(built: str) -> None:
    done, imported = run_mart("query", "select 1 as one", "--db", built)
    assert done.returncode == 0
    assert done.stdout == "┏━━━━━┓\n┃ one ┃\n┡━━━━━┩\n│ 1   │\n└─────┘\n"
    assert "rich" in imported
    assert sorted(imported & (NEVER | {"typer", "mart.commands"})) == []


def test_help_imports_no_database_code() -> None:
    done, imported = run_mart("--help")
    assert done.returncode == 0
    assert "Start with `mart build`" in done.stdout
    assert sorted(imported & (NEVER | {"duckdb", "mart.operations", "mart.duckfile"})) == []


def test_a_query_typer_must_parse_still_gets_its_message(built: str) -> None:
    done, imported = run_mart("query", "select 1", "--db", built, "--format", "CSV")
    assert done.returncode == 2
    assert "Invalid value for '--format'" in done.stderr
    assert "pydantic" in imported  # typer parsed it


@pytest.mark.parametrize(
    "args",
    [
        ["query", "select 1 as one, 2.50::decimal(4, 2) as two, null as three"],
        ["query", "select period, units from shipments_quarterly order by all", "--format", "csv"],
        ["query", "select * from patent_summary", "--format=json"],
        ["query", "--format", "json", "select 'é' as accent, date '2017-07-07' as day"],
        ["query", "select nope from shipments_quarterly"],
        ["query", "delete from statement", "--format", "csv"],
    ],
)
def test_a_plain_query_answers_as_typer_does(built: str, args: list[str]) -> None:
    through_typer = runner.invoke(app, [*args, "--db", built])
    done, imported = run_mart(*args, "--db", built)
    assert "pydantic" not in imported  # the plain path: typer parsed nothing
    assert (done.returncode, done.stdout, done.stderr) == (
        through_typer.exit_code,
        through_typer.stdout,
        through_typer.stderr,
    )


def test_a_missing_database_is_the_same_one_line(tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere.duckdb")
    done, _ = run_mart("query", "select 1", f"--db={missing}")
    assert done.returncode == 1
    assert done.stderr == (
        f"error: cannot connect to duckdb:///{missing}: IO Error: Cannot open database "
        f'"{missing}" in read-only mode: database does not exist '
        "(check --db or MART_DATABASE_URL)\n"
    )
    assert done.stdout == ""


def test_plain_query_reads_only_the_plain_forms() -> None:
    assert _plain_query(["query", "select 1"]) == {
        "sql": "select 1",
        "db": None,
        "output": Format.table,
    }
    assert _plain_query(["query", "--db=m.duckdb", "select a = 1", "--format", "csv"]) == {
        "sql": "select a = 1",
        "db": "m.duckdb",
        "output": Format.csv,
    }
    assert _plain_query(["query", "select 1", "--db="]) == {
        "sql": "select 1",
        "db": "",
        "output": Format.table,
    }
    for argv in (
        None,
        ["check"],
        ["query"],
        ["query", "--help"],
        ["query", "select 1", "--help"],
        ["query", "select 1", "select 2"],
        ["query", "-- x", "--db", "m"],
        ["query", "select 1", "--db"],
        ["query", "select 1", "--db", "-1"],
        ["query", "select 1", "--db", "a", "--db", "b"],
        ["query", "select 1", "--format", "CSV"],
        ["query", "select 1", "--", "--db"],
        ["query", "select 1", "--dbx", "m"],
    ):
        assert _plain_query(argv) is None, argv
