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
from mart.vocabulary import FACT_KEY_PARTS

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
    """Each company's figures (metric_values), with the statements behind each, by company; a
    whole market's figures (company_key NULL) come last, as one group."""
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
            v.interval_low, v.interval_high, v.source_count, v.is_disputed, v.fact_key,
            s.source_keys, s.fact_ids
        from metric_values as v
        inner join metric as m on m.metric_key = v.metric
        left join stated as s on s.fact_key = v.fact_key
        order by v.company_key
        """,
        "company_key",
    )


def market_statements(connection: Connection) -> list[Record]:
    """The current statements of every whole market's figure: what a company's derived figures
    (its share of a market) link to before the markets' own figures are read."""
    return rows(
        connection,
        """
        select fact_key, source_key, fact_id
        from fact_provenance
        where is_current and company_key is null
        order by fact_key, published_on, source_key, fact_id
        """,
    )


# A derived row's subject is its input facts' company: the first part of their fact key
# (mart.vocabulary), empty for a whole market.
_COMPANY_PART = FACT_KEY_PARTS.index("company") + 1


def _subject(*fact_keys: str) -> str:
    return f"nullif(split_part(coalesce({', '.join(fact_keys)}), '|', {_COMPANY_PART}), '')"


# The derived views in one shape, each streamed beside the figures in their order (a page
# takes its company's rows of every kind). first/second: the two levels a row sets side by
# side (later and earlier, numerator and denominator, company and market, parts and whole).
_NUMBER = "cast(null as numeric(24, 6))"
_TEXT = "cast(null as varchar)"
_FLAG = "cast(null as boolean)"
_DERIVED_COLUMNS = ", ".join(
    (
        "company_key",
        "kind",
        "metric",
        "first_metric",
        "second_metric",
        "region",
        "product",
        "segment",
        "attributed_to",
        "period",
        "period_start",
        "period_end",
        "compared_period",
        "compared_start",
        "compared_end",
        "unit",
        "stated",
        "stated_bound",
        "stated_low",
        "stated_high",
        "first_value",
        "first_low",
        "first_high",
        "second_value",
        "second_low",
        "second_high",
        "computed",
        "computed_low",
        "computed_high",
        "implied",
        "implied_low",
        "implied_high",
        "difference",
        "is_contradicted",
        "parts",
        "part_count",
        "dimension",
        "part_kind",
        "is_sum_of_parts",
        "parts_exceed_whole",
        "parts_miss_whole",
        "stated_fact_key",
        "first_fact_key",
        "second_fact_key",
    )
)
# One query per view, each ordered as company_figures is: DuckDB computes five small queries
# in less time and memory than their union (100k facts: 3.0 s and 352 MB against 6.7 s and 451 MB).
_DERIVED = {
    "growth": f"""
select {_subject("g.rate_fact_key", "g.current_fact_key", "g.compared_fact_key")} as company_key,
    'growth' as kind, g.metric, g.level_metric as first_metric, g.level_metric as second_metric,
    g.region, g.product, g.segment, g.attributed_to, g.period, g.period_start, g.period_end,
    g.compared_period, c.compared_start, c.compared_end, g.unit,
    g.stated_growth_pct as stated, g.stated_bound, g.stated_low_pct as stated_low,
    g.stated_high_pct as stated_high, g.current_value as first_value,
    {_NUMBER} as first_low, {_NUMBER} as first_high, g.compared_value as second_value,
    {_NUMBER} as second_low, {_NUMBER} as second_high, g.computed_growth_pct as computed,
    g.computed_low_pct as computed_low, g.computed_high_pct as computed_high,
    g.implied_base_value as implied, g.implied_base_low as implied_low,
    g.implied_base_high as implied_high, g.difference_pct as difference,
    {_FLAG} as is_contradicted, {_TEXT} as parts, cast(null as bigint) as part_count,
    {_TEXT} as dimension, {_TEXT} as part_kind, {_FLAG} as is_sum_of_parts,
    {_FLAG} as parts_exceed_whole, {_FLAG} as parts_miss_whole,
    g.rate_fact_key as stated_fact_key, g.current_fact_key as first_fact_key,
    g.compared_fact_key as second_fact_key
from growth as g
left join period_comparisons as c on c.period = g.period and c.compared_with = g.compared_with
""",
    "change": f"""
select {_subject("d.change_fact_key", "d.current_fact_key", "d.compared_fact_key")},
    'change', d.metric, d.level_metric, d.level_metric, d.region, d.product, d.segment,
    d.attributed_to, d.period, d.period_start, d.period_end, d.compared_period,
    c.compared_start, c.compared_end, d.unit, d.stated_change, d.stated_bound, d.stated_low,
    d.stated_high, d.current_value, {_NUMBER}, {_NUMBER}, d.compared_value, {_NUMBER},
    {_NUMBER}, d.computed_change, d.computed_low, d.computed_high, d.implied_compared_value,
    d.implied_compared_low, d.implied_compared_high, d.computed_change - d.stated_change,
    d.is_contradicted, {_TEXT}, cast(null as bigint), {_TEXT}, {_TEXT}, {_FLAG}, {_FLAG},
    {_FLAG}, d.change_fact_key, d.current_fact_key, d.compared_fact_key
from changes as d
left join period_comparisons as c on c.period = d.period and c.compared_with = d.compared_with
""",
    "ratio": f"""
select {_subject("r.ratio_fact_key", "r.numerator_fact_key", "r.denominator_fact_key")},
    'ratio', r.metric, r.numerator_metric, r.denominator_metric, r.region, r.product,
    r.segment, r.attributed_to, r.period, r.period_start, r.period_end, {_TEXT},
    cast(null as date), cast(null as date), r.unit, r.stated_value, r.stated_bound,
    r.stated_low, r.stated_high, r.numerator_value, {_NUMBER}, {_NUMBER}, r.denominator_value,
    {_NUMBER}, {_NUMBER}, r.computed_value, r.computed_low, r.computed_high, {_NUMBER},
    {_NUMBER}, {_NUMBER}, r.difference, r.is_contradicted, {_TEXT}, cast(null as bigint),
    {_TEXT}, {_TEXT}, {_FLAG}, {_FLAG}, {_FLAG}, r.ratio_fact_key, r.numerator_fact_key,
    r.denominator_fact_key
from ratios as r
""",
    "share": f"""
select {_subject("s.share_fact_key", "s.company_fact_key")},
    'share', coalesce(s.share_metric, s.metric), s.metric, s.metric, s.region,
    {_TEXT}, {_TEXT}, s.attributed_to, s.period, s.period_start, s.period_end, {_TEXT},
    cast(null as date), cast(null as date), s.unit, s.stated_share_pct, s.stated_bound,
    s.stated_low_pct, s.stated_high_pct, s.company_value, {_NUMBER}, {_NUMBER},
    s.market_value, {_NUMBER}, {_NUMBER}, s.computed_share_pct, s.computed_low_pct,
    s.computed_high_pct, {_NUMBER}, {_NUMBER}, {_NUMBER}, s.difference_pct, s.is_contradicted,
    {_TEXT}, cast(null as bigint), {_TEXT}, {_TEXT}, {_FLAG}, {_FLAG}, {_FLAG},
    s.share_fact_key, s.company_fact_key, s.market_fact_key
from market_shares as s
""",
    "parts": f"""
select {_subject("p.whole_fact_key")},
    'parts', p.metric, p.metric, p.metric, p.region, {_TEXT}, {_TEXT}, p.attributed_to,
    p.period, p.period_start, p.period_end, {_TEXT}, cast(null as date), cast(null as date),
    p.unit, {_NUMBER}, {_TEXT}, {_NUMBER}, {_NUMBER}, p.parts_sum, p.parts_low, p.parts_high,
    p.whole_value, p.whole_low, p.whole_high, {_NUMBER}, {_NUMBER}, {_NUMBER}, {_NUMBER},
    {_NUMBER}, {_NUMBER}, p.parts_sum - p.whole_value, {_FLAG}, p.parts,
    p.part_count, p.dimension, p.part_kind, p.is_sum_of_parts, p.parts_exceed_whole,
    p.parts_miss_whole, {_TEXT}, {_TEXT}, p.whole_fact_key
from part_sums as p
where p.whole_fact_key is not null
""",
}
DERIVED_KINDS = tuple(_DERIVED)


def derived_figures(connection: Connection, kind: str) -> Iterator[tuple[str | None, list[Record]]]:
    """The derived rows of one kind (DERIVED_KINDS: growth, changes, ratios, market_shares, and
    part_sums beside a stated whole), by the company their inputs are about, in
    company_figures' order: a whole market's rows (None) last. Parts are named, not linked:
    part_sums keys only the whole's fact."""
    yield from stream(
        connection,
        f"select * from ({_DERIVED[kind]}) as d({_DERIVED_COLUMNS}) order by company_key",
        "company_key",
    )


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
    sql = {view.name: view.query for view in views.load()}  # what it is computed from
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
