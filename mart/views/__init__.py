"""The public views: one SELECT per .sql file here, file name = view name.

Each file opens with a comment block that documents the view for BI tools:
    -- One or more lines describing the view (its COMMENT).
    -- column company: what the column holds (its column COMMENT).
    -- stored: per company        (optional: the view's rows are kept in a table, see below)
A blank line ends the header: comments after it are notes for maintainers and stay in the SQL.
Views are repeatable objects: migrations/env.py drops them before migrating and creates them
again, in dependency order, once the database is at head.

A stored view's rows are computed once and kept in the table stored_<name>, and the view reads
that table: the views that many others read (metric_values, the comparisons) are then read at
the speed of a table, on DuckDB and on PostgreSQL. The loader rewrites the stored rows of every
company a load touches in the load's own transaction (`refresh`), so a stored view answers what
its SQL would, always; `mart check` verifies it (stored_views_are_current). A stored view must
be per company: each row computed only from figures of its own company (`company`), or, for a
whole market's rows (`is_market`), of whole markets.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from graphlib import TopologicalSorter
from pathlib import Path

VIEWS_DIR = Path(__file__).parent
_COLUMN_DOC = re.compile(r"^--\s*column\s+(\w+)\s*:\s*(.+)$")
_STORED_DOC = re.compile(r"^--\s*stored\s*:\s*per company\s*$")
# The columns a stored view's rows are rewritten by (see the module's docstring).
STORED_SCOPE = ("company", "is_market")

Execute = Callable[[str], object]


@dataclass(frozen=True)
class View:
    name: str
    query: str  # the SELECT of its .sql file: what the view computes
    comment: str
    column_comments: dict[str, str]
    stored: bool = False

    @property
    def table(self) -> str:
        """The table a stored view's rows are kept in."""
        return f"stored_{self.name}"

    @property
    def index(self) -> str:
        """PostgreSQL's index of a stored view's table, on company."""
        return f"ix_{self.table}_company"

    @property
    def sql(self) -> str:
        """The SELECT the database holds as the view: a stored view reads its table."""
        return f"select * from {self.table}" if self.stored else self.query


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _parse(path: Path) -> View:
    lines = path.read_text(encoding="utf-8").splitlines()
    description: list[str] = []
    columns: dict[str, str] = {}
    header = 0
    stored = False
    for line in lines:
        if not line.startswith("--"):
            break
        header += 1
        if match := _COLUMN_DOC.match(line):
            columns[match.group(1)] = match.group(2).strip()
        elif _STORED_DOC.match(line):
            stored = True
        else:
            description.append(line.removeprefix("--").strip())
    if stored and not set(STORED_SCOPE) <= set(columns):
        raise ValueError(f"{path.name}: a stored view needs the columns {', '.join(STORED_SCOPE)}")
    body = "\n".join(lines[header:]).strip().rstrip(";")
    return View(path.stem, body, " ".join(d for d in description if d), columns, stored)


# What a view's SQL names, without its comments and string literals ('growth' is a value).
_NOT_NAMES = re.compile(r"--[^\n]*|'(?:[^']|'')*'")


def load() -> list[View]:
    """All views, ordered so that each comes after the views it selects from."""
    return list(_ordered())


@cache
def _ordered() -> tuple[View, ...]:
    """The .sql files read and ordered once a process (about 20 ms; a load asks several times:
    its snapshots, the refresh)."""
    views = {path.stem: _parse(path) for path in sorted(VIEWS_DIR.glob("*.sql"))}
    code = {name: _NOT_NAMES.sub(" ", v.query) for name, v in views.items()}
    graph = {
        name: {other for other in views if other != name and re.search(rf"\b{other}\b", code[name])}
        for name in views
    }
    return tuple(views[name] for name in TopologicalSorter(graph).static_order())


def names() -> list[str]:
    return [view.name for view in load()]


# DuckDB pushes a filter on company into a CTE read twice only when it is not materialized
# (growth: one company in 65 ms, not 1 s, at 1M facts), and so does PostgreSQL. Over 1M facts
# PostgreSQL plans such inlined CTEs well for a few companies' rows (ratios: 21 ms, not 1.2 s;
# part_sums 11 ms, not 0.8 s) but not for all rows at once (a stored view computed in full:
# level_comparisons 16 s inlined, 1.1 s materialised): PostgreSQL materialises the CTEs of a
# stored view's rows computed in full, its own default. The one planner hint that differs.
_INLINE_HINT = " as not materialized ("


def for_dialect(sql: str, dialect: str, all_rows: bool = False) -> str:
    """The view's SQL as the dialect runs it: a stored view's rows computed in full
    (`all_rows`) on PostgreSQL without the inlining hint."""
    if dialect == "postgresql" and all_rows:
        return sql.replace(_INLINE_HINT, " as (")
    return sql


def _all_rows(view: View, dialect: str) -> str:
    """Every row of a stored view, ordered by company: DuckDB skips the row groups of other
    companies by their min/max (PostgreSQL finds a company by the index)."""
    query = for_dialect(view.query, dialect, all_rows=True)
    return f"select * from (\n{query}\n) as v order by company"


def create_all(execute: Execute, dialect: str = "duckdb") -> None:
    """Every view, and every stored view's table filled from the database's figures."""
    for view in load():
        if view.stored:
            execute(f"create table {view.table} as\n{_all_rows(view, dialect)}")
            if dialect == "postgresql":
                execute(f"create index {view.index} on {view.table} (company)")
            _analyze(execute, dialect, view)
            kept = f"The rows of the view {view.name}, kept by the loader; read the view."
            execute(f"comment on table {view.table} is {_quote_literal(kept)}")
        execute(f"create view {view.name} as\n{for_dialect(view.sql, dialect)}")
        execute(f"comment on view {view.name} is {_quote_literal(view.comment)}")
        for column, comment in view.column_comments.items():
            for relation in (view.name, view.table) if view.stored else (view.name,):
                execute(f"comment on column {relation}.{column} is {_quote_literal(comment)}")


def drop_all(execute: Execute) -> None:
    for view in reversed(load()):
        execute(f"drop view if exists {view.name}")
        if view.stored:
            execute(f"drop table if exists {view.table}")


def refresh(
    execute: Execute,
    dialect: str,
    companies: Sequence[str] | None,
    markets: bool = False,
    step: Callable[[], None] | None = None,
) -> None:
    """Rewrite the stored views' rows, in dependency order: all of them (companies None), or
    those of the given companies and, markets, of the whole markets. `step` is called after
    each view's rows when all are rewritten (mart.seeds: a commit, on a copy of the mart)."""
    for view in load():
        if not view.stored:
            continue
        if companies is None:
            execute(f"delete from {view.table}")
            execute(f"insert into {view.table}\n{_all_rows(view, dialect)}")
            _analyze(execute, dialect, view)
            if step:
                step()
            continue
        query = for_dialect(view.query, dialect)
        # One company at a time: DuckDB carries `company = 'X'` through the views' joins to the
        # scans of both sides, not `company in (...)` (ratios over 10M facts: 49 ms, 636 ms).
        scopes = [f"company = {_quote_literal(company)}" for company in companies]
        scopes += ["is_market = true"] if markets else []
        for scope in scopes:
            execute(f"delete from {view.table} where {scope}")
            execute(f"insert into {view.table}\nselect * from (\n{query}\n) as v where {scope}")
        _analyze(execute, dialect, view)


def _analyze(execute: Execute, dialect: str, view: View) -> None:
    """PostgreSQL's statistics of a stored table, before the next stored view reads it (inside
    the transaction that wrote it: autovacuum cannot see those rows, and without statistics
    PostgreSQL planned level_comparisons over 1M facts as nested loops for minutes)."""
    if dialect == "postgresql":
        execute(f"analyze {view.table}")


def stale_rows_sql(view: View, dialect: str) -> str:
    """The rows in which a stored view's table and its SQL differ (none: it is current)."""
    query = for_dialect(view.query, dialect, all_rows=True)
    return (
        f"(select 'stored' as side, * from (select * from {view.table} except all "
        f"select * from ({query}) as q) as a)\nunion all\n"
        f"(select 'computed', * from (select * from ({query}) as q except all "
        f"select * from {view.table}) as b)"
    )
