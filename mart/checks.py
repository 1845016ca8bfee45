"""Data tests over a built mart: keys, relationships, quotes, and figures that must reconcile.

Each check is a query that returns the offending rows; no rows means it passes. Key checks are
generated from the models' own constraints, so a new table is covered without new code.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection, PrimaryKeyConstraint, UniqueConstraint, text

from mart.db import Base
from mart.models import FACT_MODELS

Severity = Literal["error", "warn"]

# Stated growth is usually rounded to a whole percent: allow half a point either way.
GROWTH_TOLERANCE_PCT = 0.5


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
                yield Check(
                    f"unique:{table.name}({listed})",
                    f"no two rows of {table.name} share ({listed})",
                    f"select {listed}, count(*) as row_count from {table.name} "
                    f"group by {listed} having count(*) > 1",
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


def _quote_checks() -> Iterator[Check]:
    for table, model in FACT_MODELS.items():
        id_column = model.__mapper__.primary_key[0].name
        yield Check(
            f"quote_in_source:{table}",
            f"every {table} quote is found in its source text at its stored offsets",
            f"select f.{id_column}, s.source_key, f.quote from {table} as f "
            "inner join source as s on f.source_id = s.source_id "
            "where substr(s.body, f.quote_start + 1, f.quote_end - f.quote_start) <> f.quote",
        )


RECONCILIATION_CHECKS = (
    Check(
        "growth_reconciles_with_levels",
        "a stated quarter-on-quarter shipments growth matches the stated levels of both quarters "
        f"(within {GROWTH_TOLERANCE_PCT} percentage points) for at least one pair of stated "
        "levels: sources that disagree on a level are not, by themselves, a failure",
        f"""
        with levels as (
            select company_key, period_start, period_end, value
            from fact_provenance
            where metric = 'smartphone_shipments' and region_key = 'global'
                and period_grain = 'quarter' and value > 0
        ),
        growth as (
            select company_key, period, period_start, value, source_key
            from fact_provenance
            where metric = 'smartphone_shipments_qoq_growth' and region_key = 'global'
        ),
        pairs as (
            select
                g.company_key, g.period, g.source_key, g.value as stated_growth_pct,
                (cur.value / prev.value - 1) * 100 as growth_from_levels_pct
            from growth as g
            inner join levels as cur
                on cur.company_key = g.company_key and cur.period_start = g.period_start
            inner join levels as prev
                on prev.company_key = g.company_key
                and prev.period_end = cast(cur.period_start - interval '1 day' as date)
        )
        select
            company_key, period, source_key as growth_source, stated_growth_pct,
            cast(round(min(growth_from_levels_pct), 2) as numeric(12, 2))
                as lowest_growth_from_levels_pct,
            cast(round(max(growth_from_levels_pct), 2) as numeric(12, 2))
                as highest_growth_from_levels_pct
        from pairs
        group by company_key, period, source_key, stated_growth_pct
        having min(abs(growth_from_levels_pct - stated_growth_pct)) > {GROWTH_TOLERANCE_PCT}
        """,
    ),
    Check(
        "record_high_holds",
        "a quarter a source calls a record high has no stated quarter of the same company "
        "with more shipments",
        """
        with levels as (
            select company_key, period, period_start, value, source_key
            from fact_provenance
            where metric = 'smartphone_shipments' and region_key = 'global'
                and period_grain = 'quarter'
        ),
        records as (
            select company_key, period, source_key
            from fact_provenance
            where metric = 'smartphone_shipments_record_high' and value = 1
        )
        select
            r.company_key, r.period as record_period, r.source_key as record_source,
            higher.period as higher_period, higher.value as higher_units,
            higher.source_key as higher_source
        from records as r
        inner join levels as claimed
            on claimed.company_key = r.company_key and claimed.period = r.period
        inner join levels as higher
            on higher.company_key = r.company_key and higher.period_start < claimed.period_start
        where higher.value > claimed.value
        """,
    ),
    Check(
        "sources_agree",
        "sources stating the same fact give the same value (a warning: disagreement is data)",
        "select company, metric, period, region, product, store_brand, unit, min_value, "
        "max_value, sources from fact_agreement where is_disputed",
        severity="warn",
    ),
)


def all_checks() -> list[Check]:
    return [*_key_checks(), *_quote_checks(), *RECONCILIATION_CHECKS]


def run(connection: Connection) -> list[CheckResult]:
    return [
        CheckResult(check, [tuple(row) for row in connection.execute(text(check.sql))])
        for check in all_checks()
    ]
