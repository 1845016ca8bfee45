"""The public views: one SELECT per .sql file here, file name = view name.

Each file opens with a comment block that documents the view for BI tools:
    -- One or more lines describing the view (its COMMENT).
    -- column company: what the column holds (its column COMMENT).
A blank line ends the header: comments after it are notes for maintainers and stay in the SQL.
Views are repeatable objects: migrations/env.py drops them before migrating and creates them
again, in dependency order, once the database is at head.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

VIEWS_DIR = Path(__file__).parent
_COLUMN_DOC = re.compile(r"^--\s*column\s+(\w+)\s*:\s*(.+)$")

Execute = Callable[[str], object]


@dataclass(frozen=True)
class View:
    name: str
    sql: str
    comment: str
    column_comments: dict[str, str]


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _parse(path: Path) -> View:
    lines = path.read_text(encoding="utf-8").splitlines()
    description: list[str] = []
    columns: dict[str, str] = {}
    for line in lines:
        if not line.startswith("--"):
            break
        if match := _COLUMN_DOC.match(line):
            columns[match.group(1)] = match.group(2).strip()
        else:
            description.append(line.removeprefix("--").strip())
    body = "\n".join(lines[len(description) + len(columns) :]).strip().rstrip(";")
    return View(path.stem, body, " ".join(d for d in description if d), columns)


# What a view's SQL names, without its comments and string literals ('growth' is a value).
_NOT_NAMES = re.compile(r"--[^\n]*|'(?:[^']|'')*'")


def load() -> list[View]:
    """All views, ordered so that each comes after the views it selects from."""
    views = {path.stem: _parse(path) for path in sorted(VIEWS_DIR.glob("*.sql"))}
    code = {name: _NOT_NAMES.sub(" ", v.sql) for name, v in views.items()}
    graph = {
        name: {other for other in views if other != name and re.search(rf"\b{other}\b", code[name])}
        for name in views
    }
    return [views[name] for name in TopologicalSorter(graph).static_order()]


def names() -> list[str]:
    return [view.name for view in load()]


# DuckDB pushes a filter on company into a CTE read twice only when it is not materialized
# (growth: one company in 65 ms, not 1 s, at 1M facts); PostgreSQL inlines such a CTE into
# nested loops it misjudges (growth took over a minute on the 340 seed facts) and plans well
# when it materializes it, its own default. The one planner hint that differs.
_INLINE_HINT = " as not materialized ("


def for_dialect(sql: str, dialect: str) -> str:
    """The view's SQL as the dialect runs it: PostgreSQL without DuckDB's inlining hint."""
    return sql.replace(_INLINE_HINT, " as (") if dialect == "postgresql" else sql


def create_all(execute: Execute, dialect: str = "duckdb") -> None:
    for view in load():
        execute(f"create view {view.name} as\n{for_dialect(view.sql, dialect)}")
        execute(f"comment on view {view.name} is {_quote_literal(view.comment)}")
        for column, comment in view.column_comments.items():
            execute(f"comment on column {view.name}.{column} is {_quote_literal(comment)}")


def drop_all(execute: Execute) -> None:
    for view in reversed(load()):
        execute(f"drop view if exists {view.name}")
