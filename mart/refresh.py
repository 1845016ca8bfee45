"""What a load changed, and so which stored rows it rewrites (mart/views: stored views).

A load touches facts (staging's bulk_touched: those of the statements it replaced and of the new
ones); the stored rows of their companies, and of whole markets when it touched a market's
figure, are computed again in the load's transaction. A load that changes what any row may read
(a column a stored view's SQL names, in the catalogue or the dimensions: a metric's relations, a
region's or company's name) rewrites every stored row, as does one touching many
companies (a bulk load), where computing all at once is cheaper than company by company.
"""

import re

from sqlalchemy import Connection

from mart import views

# The tables a stored view reads besides the statements (and sources, which change only with
# their statements): a change to a row that exists before the load rewrites every stored row.
READ_TABLES = ("metric", "region", "unit", "company", "product", "segment", "attribution")
# Beyond this many companies touched, every stored row is rewritten in one pass (company by
# company, each stored view costs a few milliseconds to a few hundred at 10M facts; all rows at
# once, 37 s).
MAX_COMPANIES = 20

Snapshot = dict[str, dict[object, tuple[object, ...]]]


def _named_in_stored_views() -> set[str]:
    """Every word of the stored views' SQL: a column none of them names cannot change a row
    (a metric's description, a company's fiscal year end: the periods are resolved at load)."""
    return {w.lower() for v in views.load() if v.stored for w in re.findall(r"\w+", v.query)}


def snapshot(connection: Connection) -> Snapshot:
    """The rows of READ_TABLES, by their first column (the key), in the columns the stored
    views name."""
    named = _named_in_stored_views()
    found: Snapshot = {}
    for table in READ_TABLES:
        result = connection.exec_driver_sql(f"select * from {table}")
        kept = [i for i, column in enumerate(result.keys()) if column.lower() in named]
        found[table] = {row[0]: tuple(row[i] for i in kept) for row in result}
    return found


def _changed(before: Snapshot, after: Snapshot) -> bool:
    return any(after[t].get(key) != row for t, rows in before.items() for key, row in rows.items())


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


def after_load(connection: Connection, before: Snapshot) -> None:
    """Rewrite the stored rows the load changed, on the load's own transaction."""
    companies, markets = _touched(connection)
    every = _changed(before, snapshot(connection)) or len(companies) > MAX_COMPANIES
    views.refresh(
        lambda sql: connection.exec_driver_sql(sql),
        connection.dialect.name,
        None if every else companies,
        markets,
    )
