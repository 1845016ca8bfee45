"""Data tests over a built mart: keys, relationships, quotes, and figures that must reconcile.

Each check is a query that returns the offending rows; no rows means it passes. Key checks are
generated from the models' own constraints, so a new table is covered without new code. The
reconciliation checks read the generic views, so every growth, change, ratio and share
relation, every set of parts and every record claim the catalogue declares is checked, for
every company, region, product and segment; each failing row names where its statements are
(fact file and line, or file and row).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection, PrimaryKeyConstraint, UniqueConstraint, text

from mart import (
    models,  # noqa: F401  (registers the tables the key checks cover)
    views,
    vintages,
)
from mart.db import Base
from mart.vocabulary import fact_key_sql

STORED_FACT_KEY = fact_key_sql(
    {
        "company": "c.company_key",
        "metric": "m.metric_key",
        "region": "r.region_key",
        "product": "p.product_key",
        "segment": "sg.segment_key",
        "store_brand": "s.store_brand",
        "period": "pe.period_label",
        "unit": "s.unit",
        "basis": "s.basis",
        "attributed_to": "a.attribution_key",
    }
)

Severity = Literal["error", "warn"]


@dataclass(frozen=True)
class Check:
    name: str
    description: str
    sql: str
    severity: Severity = "error"


@dataclass(frozen=True)
class CheckResult:
    check: Check
    rows: list[tuple[object, ...]]

    @property
    def passed(self) -> bool:
        return not self.rows

    @property
    def failed(self) -> bool:
        return bool(self.rows) and self.check.severity == "error"


def _key_checks() -> Iterator[Check]:
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if not column.nullable:
                yield Check(
                    f"not_null:{table.name}.{column.name}",
                    f"{table.name}.{column.name} is never NULL",
                    f"select * from {table.name} where {column.name} is null",
                )
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint):
                listed = ", ".join(c.name for c in constraint.columns)
                # NULLs count as equal, as in the statement key (NULLS NOT DISTINCT).
                grouped = ", ".join(
                    f"coalesce(cast({c.name} as varchar), '')" if c.nullable else c.name
                    for c in constraint.columns
                )
                yield Check(
                    f"unique:{table.name}({listed})",
                    f"no two rows of {table.name} share ({listed})",
                    f"select {grouped}, count(*) as row_count from {table.name} "
                    f"group by {grouped} having count(*) > 1",
                )
        for fk in table.foreign_keys:
            parent, child = fk.column, fk.parent
            yield Check(
                f"relationship:{table.name}.{child.name}",
                f"every {table.name}.{child.name} exists in {parent.table.name}",
                f"select t.{child.name} from {table.name} as t left join {parent.table.name} "
                f"as p on t.{child.name} = p.{parent.name} "
                f"where t.{child.name} is not null and p.{parent.name} is null",
            )


QUOTE_CHECK = Check(
    "quote_in_source",
    "every statement's quote is found in its source text at its stored offsets",
    "select f.statement_id, s.source_key, f.quote from statement as f "
    "inner join source as s on f.source_id = s.source_id "
    "where substr(s.body, f.quote_start + 1, f.quote_end - f.quote_start) <> f.quote",
)

FACT_KEY_CHECK = Check(
    "fact_key_matches",
    "every statement's fact key is the one mart.vocabulary defines from its company, metric, "
    "region, product, segment, store brand, period, unit, basis and attribution",
    f"""
    select s.statement_id, s.fact_key, {STORED_FACT_KEY} as expected
    from statement as s
    inner join company as c on c.company_id = s.company_id
    inner join metric as m on m.metric_id = s.metric_id
    inner join region as r on r.region_id = s.region_id
    inner join period as pe on pe.period_id = s.period_id
    left join product as p on p.product_id = s.product_id
    left join segment as sg on sg.segment_id = s.segment_id
    left join attribution as a on a.attribution_id = s.attribution_id
    where s.fact_key <> {STORED_FACT_KEY}
    """,
)

VINTAGE_CHECK = Check(
    "known_until_is_exact",
    "every statement's known_until is the day mart/vintages.py says a later statement "
    "superseded it (NULL while current), recomputed for every fact",
    f"""
    select s.statement_id, s.fact_key, s.known_until, later.known_until as expected
    from statement as s
    left join ({vintages.superseded_sql()}) as later on later.statement_id = s.statement_id
    where s.known_until is distinct from later.known_until
    """,
)

RECONCILIATION_CHECKS = (
    Check(
        "record_high_holds",
        "a period a source calls a record has no earlier period of the same company, metric, "
        "region, product and segment, known at the claim's publication, with a higher level",
        """
        with records as (
            select f.company, m.record_of as metric, f.region, f.product, f.segment,
                f.period, f.period_grain, f.period_start, f.published_on, f.seed_file,
                f.seed_line
            from fact_provenance as f
            inner join metric as m on m.metric_key = f.metric
            where m.record_of is not null and f.value = 1 and f.claim = 'actual' and f.is_current
        ),
        levels as (
            select company, metric, region, coalesce(product, '') as product_key,
                coalesce(segment, '') as segment_key, period, period_grain, period_start,
                unit, interval_low, interval_high, published_on, seed_file, seed_line
            from fact_provenance
            where claim = 'actual' and is_current and value is not null
        )
        select
            r.company, r.metric, r.region, r.product, r.segment, r.period as record_period,
            r.seed_file || ':' || cast(r.seed_line as varchar) as record_stated_in,
            higher.period as higher_period, higher.interval_low as higher_at_least,
            claimed.interval_high as claimed_at_most,
            higher.seed_file || ':' || cast(higher.seed_line as varchar) as higher_stated_in
        from records as r
        inner join levels as claimed
            on claimed.company = r.company and claimed.metric = r.metric
            and claimed.region = r.region and claimed.product_key = coalesce(r.product, '')
            and claimed.segment_key = coalesce(r.segment, '') and claimed.period = r.period
        inner join levels as higher
            on higher.company = r.company and higher.metric = r.metric
            and higher.region = r.region and higher.product_key = claimed.product_key
            and higher.segment_key = claimed.segment_key and higher.unit = claimed.unit
            and higher.period_grain = claimed.period_grain
            and higher.period_start < claimed.period_start
            and higher.published_on <= r.published_on
        where higher.interval_low > claimed.interval_high
        """,
    ),
    *(
        Check(
            name,
            description,
            f"""
            select {columns},
                string_agg(f.seed_file || ':' || cast(f.seed_line as varchar), ', '
                    order by f.seed_file, f.seed_line) as stated_in
            from {view} as d
            inner join fact_provenance as f
                on f.fact_key in ({", ".join(f"d.{k}" for k in fact_keys)}) and f.is_current
            where {failing}
            group by {columns}
            """,
        )
        for name, description, view, columns, fact_keys, failing in (
            (
                "growth_reconciles_with_levels",
                "a stated growth rate meets the rate the stated levels of both periods give, for "
                "every growth relation of the catalogue: the stated rate's rounding or bound "
                "(more than 250 percent) against the range the levels' own rounding and bounds "
                "allow",
                "growth",
                "d.company, d.metric, d.region, d.product, d.segment, d.period, "
                "d.compared_period, d.stated_growth_pct, d.stated_bound, d.computed_growth_pct",
                ("rate_fact_key", "current_fact_key", "compared_fact_key"),
                "d.stated_growth_pct is not null and d.is_contradicted",
            ),
            (
                "changes_reconcile_with_levels",
                "a stated absolute change meets the change the stated levels of both periods "
                "give, for every change relation of the catalogue, bounds and rounding "
                "respected",
                "changes",
                "d.company, d.metric, d.region, d.product, d.segment, d.attributed_to, "
                "d.period, d.compared_period, d.stated_change, d.computed_change",
                ("change_fact_key", "current_fact_key", "compared_fact_key"),
                "d.is_contradicted",
            ),
            (
                "ratios_reconcile_with_levels",
                "a stated ratio (a margin, a figure per share) meets the ratio its stated "
                "numerator and denominator give, for every ratio relation of the catalogue, "
                "bounds and rounding respected",
                "ratios",
                "d.company, d.metric, d.region, d.product, d.segment, d.attributed_to, "
                "d.period, d.stated_value, d.computed_low, d.computed_high",
                ("ratio_fact_key", "numerator_fact_key", "denominator_fact_key"),
                "d.is_contradicted",
            ),
            (
                "market_shares_reconcile_with_levels",
                "a stated market share meets the share the company's level and the market's "
                "total give, bounds and rounding respected",
                "market_shares",
                "d.company, d.metric, d.region, d.attributed_to, d.period, d.stated_share_pct, "
                "d.computed_low_pct, d.computed_high_pct",
                ("share_fact_key", "company_fact_key", "market_fact_key"),
                "d.is_contradicted",
            ),
            (
                "parts_fit_their_whole",
                "parts (segments, products of a kind, regions of a kind, a market's companies) "
                "add up to no more than their whole where none can be negative, and to the "
                "whole where a source says it is their sum (sum_of), rounding respected",
                "part_sums",
                "d.company, d.metric, d.region, d.dimension, d.part_kind, d.attributed_to, "
                "d.period, d.parts, d.parts_low, d.parts_high, d.whole_low, d.whole_high",
                ("whole_fact_key",),
                "d.parts_exceed_whole or d.parts_miss_whole",
            ),
        )
    ),
    Check(
        "sources_agree",
        "sources stating the same fact give figures that meet (a warning: disagreement is data)",
        "select company, metric, period, region, product, segment, store_brand, attributed_to, "
        "unit, min_value, max_value, sources from fact_agreement where is_disputed",
        severity="warn",
    ),
)


def _stored_checks(dialect: str) -> Iterator[Check]:
    for view in views.load():
        if view.stored:
            yield Check(
                f"stored_views_are_current:{view.name}",
                f"{view.table} holds exactly the rows the SQL of {view.name} computes (a row "
                "differs when statements were written without the loader: `mart migrate` "
                "computes them all again)",
                views.stale_rows_sql(view, dialect),
            )


def all_checks(dialect: str = "duckdb") -> list[Check]:
    return [
        *_key_checks(),
        QUOTE_CHECK,
        FACT_KEY_CHECK,
        VINTAGE_CHECK,
        *RECONCILIATION_CHECKS,
        *_stored_checks(dialect),
    ]


def run(connection: Connection) -> list[CheckResult]:
    return [
        CheckResult(check, [tuple(row) for row in connection.execute(text(check.sql))])
        for check in all_checks(connection.dialect.name)
    ]
