"""What the site shows, read through the mart's public views and tables with SQLAlchemy.

The same SQL runs on DuckDB and PostgreSQL. Lists that stay small (companies, sources,
metrics, disputes, checks, the catalogue) are read whole; the figures of every company and the
facts of every source are streamed in key order, one group at a time, so memory follows the
largest company or source, not the mart. Text order is sorted in Python where it is shown, so
both backends give the same pages whatever the database's collation.
"""

import re
from collections import namedtuple
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, CursorResult, inspect, text

from mart import checks, views

BATCH_ROWS = 2_000
SEPARATOR = "\x1f"  # unit separator: joins source keys, which may hold spaces and commas

# What a disputed fact is shown by; statements are matched on fact_key (mart.vocabulary).
FACT_COLUMNS = (
    "company",
    "metric",
    "period",
    "region",
    "product",
    "segment",
    "store_brand",
    "attributed_to",
    "unit",
)


def same(left: str, right: str) -> str:
    """Statements of the same fact, current ones only (a superseded forecast is a revision)."""
    return f"{left}.fact_key = {right}.fact_key and {right}.is_current"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    comment: str


@dataclass(frozen=True)
class Relation:
    """A public table or view, with its comment and columns, and what a view reads."""

    name: str
    kind: str  # table or view
    comment: str
    columns: list[Column]
    reads: list[str] = field(default_factory=list)  # tables and views it selects from
    metrics: list[str] = field(default_factory=list)  # metric keys its SQL names


# A row as a named tuple of its columns: a SQLAlchemy Row's attribute access costs ten times a
# named tuple's, and a site of a million facts reads tens of millions of them.
Record = Any


def _records(result: CursorResult[Any], rows: Iterable[Any]) -> Iterator[Record]:
    make = namedtuple("Record", list(result.keys()))._make  # type: ignore[attr-defined]
    return (make(row) for row in rows)


def rows(connection: Connection, sql: str) -> list[Record]:
    result = connection.execute(text(sql))
    return list(_records(result, result))


def stream(connection: Connection, sql: str, key: str) -> Iterator[tuple[Any, list[Record]]]:
    """(key, rows) per group of a query ordered by that key, fetched a batch at a time."""
    result = connection.execution_options(stream_results=True).execute(text(sql))
    with result:
        batches = (row for batch in result.partitions(BATCH_ROWS) for row in batch)
        for value, group in groupby(_records(result, batches), key=lambda row: getattr(row, key)):
            yield value, list(group)


def companies(connection: Connection) -> list[Record]:
    return rows(
        connection,
        """
        select c.company_key, c.company_name, c.fiscal_year_end_month,
            count(s.statement_id) as fact_count, count(distinct s.source_id) as source_count
        from company as c
        left join statement as s on s.company_id = c.company_id
        group by c.company_key, c.company_name, c.fiscal_year_end_month
        """,
    )


def sources(connection: Connection) -> list[Record]:
    return rows(
        connection,
        """
        select s.source_key, s.title, s.publisher, s.published_on, s.url, s.is_summary,
            count(st.statement_id) as fact_count
        from source as s
        left join statement as st on st.source_id = s.source_id
        group by s.source_key, s.title, s.publisher, s.published_on, s.url, s.is_summary
        """,
    )


def metrics(connection: Connection) -> list[Record]:
    return rows(
        connection,
        """
        select m.metric_key, m.metric_name, m.unit, m.subject, m.ranked_by, m.growth_of,
            m.compared_with, m.share_of, m.target_of, m.record_of, m.description,
            count(s.statement_id) as fact_count
        from metric as m
        left join statement as s on s.metric_id = m.metric_id
        group by m.metric_key, m.metric_name, m.unit, m.subject, m.ranked_by, m.growth_of,
            m.compared_with, m.share_of, m.target_of, m.record_of, m.description
        """,
    )


def fact_count(connection: Connection) -> int:
    return int(connection.execute(text("select count(*) from statement")).scalar_one())


def disputes(connection: Connection) -> list[Record]:
    """Every statement of every disputed fact, with its source and quote."""
    return rows(
        connection,
        f"""
        with disputed as (
            select fact_key, {", ".join(FACT_COLUMNS)}, min_value, max_value
            from fact_agreement
            where is_disputed
        )
        select d.fact_key, d.{", d.".join(FACT_COLUMNS)}, d.min_value, d.max_value, f.company_key,
            f.metric_name, f.fiscal_period, f.fact_id, f.value, f.value_high, f.bound, f.basis,
            f.wording, f.quote, f.source_key, f.source_title, f.publisher, f.published_on
        from disputed as d
        inner join fact_provenance as f on {same("d", "f")}
        """,
    )


def company_figures(connection: Connection) -> Iterator[tuple[str, list[Record]]]:
    """Each company's figures (metric_values), with the statements behind each, by company."""
    yield from stream(
        connection,
        """
        with stated as (
            select fact_key,
                string_agg(source_key, chr(31) order by published_on, source_key, fact_id)
                    as source_keys,
                string_agg(cast(fact_id as varchar), ',' order by published_on, source_key,
                    fact_id) as fact_ids
            from fact_provenance
            where is_current
            group by fact_key
        )
        select v.company_key, v.company, v.metric, m.metric_name,
            coalesce(m.target_of, v.metric) as chart_metric, v.region, v.product, v.segment,
            v.store_brand, v.attributed_to, v.period, v.fiscal_period, v.period_grain,
            v.period_start, v.period_end, v.value, v.value_high, v.bound, v.basis, v.unit,
            v.interval_low, v.interval_high, v.source_count, v.is_disputed, s.source_keys,
            s.fact_ids
        from metric_values as v
        inner join metric as m on m.metric_key = v.metric
        left join stated as s on s.fact_key = v.fact_key
        order by v.company_key
        """,
        "company_key",
    )


def implied_levels(connection: Connection) -> dict[str, list[Record]]:
    """Levels no source states but a stated rate implies (23.16 million, +70% on the quarter:
    13,623,529.41 in 2017-Q1), by company name (growth names companies, not their keys)."""
    found = rows(
        connection,
        """
        select g.company, g.level_metric as metric, g.metric as growth_metric, g.region,
            g.product, g.segment, g.attributed_to, g.compared_period as period,
            c.grain as period_grain, c.compared_start as period_start,
            c.compared_end as period_end, g.implied_base_value as value, g.unit,
            g.period as stated_period, g.stated_growth_pct, g.compared_with
        from growth as g
        left join period_comparisons as c
            on c.period = g.period and c.compared_with = g.compared_with
        where g.compared_value is null and g.implied_base_value is not null
        """,
    )
    by_company: dict[str, list[Record]] = {}
    for row in found:
        by_company.setdefault(row.company, []).append(row)
    return by_company


SOURCE_CHOICES = ("all", "disputed", "none")


def source_facts(connection: Connection, which: str) -> Iterator[tuple[str, list[Record]]]:
    """Each chosen source's text (on its first row) and its statements in text order."""
    if which == "none":
        return
    chosen = "source"
    if which == "disputed":
        chosen = f"""(
            select * from source where source_key in (
                select f.source_key
                from fact_agreement as d
                inner join fact_provenance as f on {same("d", "f")}
                where d.is_disputed
            )
        )"""
    yield from stream(
        connection,
        f"""
        select s.source_key,
            case when row_number() over (
                partition by s.source_key order by f.quote_start, f.fact_id
            ) = 1 then s.body end as body,
            f.fact_id, f.company, f.company_key, f.metric, f.metric_name, f.period,
            f.fiscal_period, f.period_wording, f.region, f.product, f.segment, f.store_brand,
            f.attributed_to, f.value, f.value_high, f.bound, f.unit, f.basis, f.wording,
            f.quote, f.quote_start, f.quote_end
        from {chosen} as s
        left join fact_provenance as f on f.source_key = s.source_key
        order by s.source_key, f.quote_start, f.fact_id
        """,
        "source_key",
    )


def check_results(connection: Connection) -> list[checks.CheckResult]:
    return checks.run(connection)


_READS = re.compile(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)", re.I)
_LITERAL = re.compile(r"'([a-z0-9_]+)'")


def catalogue(connection: Connection, metric_keys: set[str]) -> list[Relation]:
    """Every public table and view: comment and columns from the database's own comments; for a
    view, the tables and views its SQL reads (FROM and JOIN) and the metric keys it names."""
    inspector = inspect(connection)
    tables = [t for t in inspector.get_table_names() if t != "alembic_version"]
    view_names = inspector.get_view_names()
    known = set(tables) | set(view_names)
    sql = {view.name: view.sql for view in views.load()}
    out = []
    for name, kind in [*((t, "table") for t in tables), *((v, "view") for v in view_names)]:
        columns = [
            Column(c["name"], str(c["type"]), c.get("comment") or "")
            for c in inspector.get_columns(name)
        ]
        comment = inspector.get_table_comment(name).get("text") or ""
        body = sql.get(name, "") if kind == "view" else ""
        reads = sorted({r for r in _READS.findall(body) if r in known and r != name})
        named = sorted(set(_LITERAL.findall(body)) & metric_keys)
        out.append(Relation(name, kind, comment, columns, reads, named))
    return sorted(out, key=lambda r: (r.kind, r.name))
