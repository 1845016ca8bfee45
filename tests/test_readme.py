"""The README's examples run and show what they say."""

import re
import shlex

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from mart.cli import app
from mart.config import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block and README.index(first_block.group(0)) < README.index("\n## ")
    setup, tests = (line.split("#")[0].strip() for line in first_block.group(1).splitlines())
    assert setup.endswith("pip install -e '.[test]' && mart build")
    assert tests == "pytest"
    assert "\npytest\n" in (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("sql", re.findall(r"```sql\n(.*?)```", README, re.S))
def test_readme_sql_examples_run(seeded: Engine, sql: str) -> None:
    with seeded.connect() as connection:
        result = connection.execute(text(sql.strip().rstrip(";")))
        assert result.keys()


def test_readme_query_output_is_what_mart_prints(tmp_path: pytest.TempPathFactory) -> None:
    example = re.search(r"```sh\n(mart query .*?)\n```\n```\n(.*?)```", README, re.S)
    assert example
    command, shown = example.groups()
    db = str(tmp_path / "mart.duckdb")  # type: ignore[operator]
    runner = CliRunner()
    assert runner.invoke(app, ["build", "--db", db]).exit_code == 0
    result = runner.invoke(app, [*shlex.split(command)[1:], "--db", db])
    assert result.stdout == shown


def _readme_view_columns() -> dict[str, list[str]]:
    """The views table of the README: view name -> the columns it lists, notes in () dropped."""
    section = README.split("## The views (the public interface)")[1].split("\n## ")[0]
    listed = {}
    for row in re.findall(r"^\| `(\w+)` \|[^|]*\| (.*) \|$", section, re.M):
        name, cell = row
        bare = re.sub(r"\([^)]*\)", "", cell)
        listed[name] = [column.strip() for column in bare.split(",")]
    return listed


def test_readme_lists_each_views_columns(seeded: Engine) -> None:
    listed = _readme_view_columns()
    views = sorted(path.stem for path in (REPO_ROOT / "mart" / "views").glob("*.sql"))
    assert sorted(listed) == views
    with seeded.connect() as connection:
        for name, columns in listed.items():
            result = connection.execute(text(f"select * from {name} limit 0"))
            assert columns == list(result.keys()), name
