"""What a load changed, and so which stored rows it rewrites (mart/views: stored views).

A load touches facts (staging's bulk_touched: those of the statements it replaced and of the new
ones); the stored rows of their companies, and of whole markets when it touched a market's
figure, are computed again in the load's transaction. A load that changes what any row may read
(a column a stored view's SQL names, in the catalogue or the dimensions: a metric's relations, a
region's or company's name) rewrites every stored row, as does one touching many
companies (a bulk load), where computing all at once is cheaper than company by company.
"""

import re
from collections.abc import Callable

from sqlalchemy import Connection

from mart import (
    models,  # noqa: F401  (registers the tables READ_TABLES names)
    views,
)
from mart.db import Base

# The tables a stored view reads besides the statements (and sources, which change only with
# their statements): a change to a row that exists before the load rewrites every stored row.
READ_TABLES = ("metric", "region", "unit", "company", "product", "segment", "attribution")
# Beyond this many companies touched, every stored row is rewritten in one pass (company by
# company, each stored view costs a few milliseconds to a few hundred at 10M facts; all rows at
# once, 37 s).
MAX_COMPANIES = 20
# The snapshot's temporary tables: refresh_before_company, ...
_BEFORE = "refresh_before_"


def _named_in_stored_views() -> set[str]:
    """Every word of the stored views' SQL: a column none of them names cannot change a row
    (a metric's description, a company's fiscal year end: the periods are resolved at load)."""
    return {w.lower() for v in views.load() if v.stored for w in re.findall(r"\w+", v.query)}


def _watched() -> dict[str, str]:
    """READ_TABLES, each with the list of its columns the stored views name."""
    named = _named_in_stored_views()
    return {
        table: ", ".join(c.name for c in Base.metadata.tables[table].columns if c.name in named)
        for table in READ_TABLES
    }


def snapshot(connection: Connection) -> None:
    """Keep the rows of READ_TABLES as they are before the load, in the columns the stored
    views name: in temporary tables of the load's transaction (nothing leaves the database)."""
    for table, columns in _watched().items():
        connection.exec_driver_sql(
            f"create temporary table {_BEFORE}{table} as select {columns} from {table}"
        )


def _changed(connection: Connection) -> bool:
    """Whether a row the snapshot kept is no longer there as it was (changed or deleted); the
    snapshot's tables are dropped."""
    changed = False
    for table, columns in _watched().items():
        changed = changed or bool(
            connection.exec_driver_sql(
                f"select exists (select {columns} from {_BEFORE}{table} "
                f"except select {columns} from {table})"
            ).scalar()
        )
        connection.exec_driver_sql(f"drop table {_BEFORE}{table}")
    return changed


def _touched(connection: Connection) -> tuple[list[str], bool]:
    """The names of the companies whose facts the load touched, and whether it touched a whole
    market's (the fact key's first part is the company key, empty for a market)."""
    rows = connection.exec_driver_sql(
        "select distinct c.company_name, t.company_key = '' from (select distinct "
        "split_part(fact_key, '|', 1) as company_key from bulk_touched) as t "
        "left join company as c on c.company_key = t.company_key"
    ).all()
    companies = sorted(str(name) for name, market in rows if name is not None and not market)
    return companies, any(market for _name, market in rows)


def after_load(
    connection: Connection, every: bool = False, step: Callable[[], None] | None = None
) -> None:
    """Rewrite the stored rows the load changed (since `snapshot`), on the load's own
    transaction; `every`: the load rewrote every statement (there is no bulk_touched);
    `step`: called after each stored view's rows when all are rewritten (a commit on a copy)."""
    changed = _changed(connection)  # drops the snapshot's tables, whatever `every` says
    companies, markets = ([], False) if every else _touched(connection)
    all_rows = every or changed or len(companies) > MAX_COMPANIES
    views.refresh(
        lambda sql: connection.exec_driver_sql(sql),
        connection.dialect.name,
        None if all_rows else companies,
        markets,
        step if all_rows else None,
    )
