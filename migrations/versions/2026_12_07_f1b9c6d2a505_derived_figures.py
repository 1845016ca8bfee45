"""Derived figures: how metrics relate beyond growth, and figures about a whole market.

- `metric.as_of`: figures are counts at a date (subscribers, stores, employees): growth and
  changes compare the day counted with the same day a year earlier or the end of the previous
  period, whatever period a source words it by.
- `metric.change_of` and `change_compared_with`: an absolute change of another metric ("added
  8 million subscribers in the quarter", "9 million more than a year earlier").
- `metric.ratio_numerator` and `ratio_denominator`: a ratio of two metrics (a margin, a figure
  per share, an average price).
- `metric.share_within`: what a share is of: the company's own total (a segment's share of its
  revenue) or the whole market's (a vendor's share of a country's shipments). Existing share
  metrics are carried as `company` unless their key names a market share (`%market_share%`):
  the catalogue states it from then on.
- `statement.company_id` may be NULL: a figure about the whole market of its region (the
  market's shipments, its growth, its rank among countries), which had to be declared as a
  pretend company before.
- `statement.sum_of`: the source gives every part of this total by segment, product or region.

Columns are added in place (on DuckDB no foreign key references metric or statement). DuckDB
cannot add a CHECK constraint to an existing table: the domains are CHECKs on PostgreSQL only
(the catalogue's validation and the loader check them on both).

Revision ID: f1b9c6d2a505
Revises: e7b7fa523ede
Create Date: 2026-12-07 11:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from alembic.util import CommandError

revision: str = "f1b9c6d2a505"
down_revision: str | None = "e7b7fa523ede"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _metric_columns_added() -> tuple[sa.Column[object], ...]:
    return (
        sa.Column(
            "as_of",
            sa.Boolean(),
            server_default=sa.false(),
            nullable=False,
            comment="True when figures are counts at a date (subscribers, stores): compared by the "
            "day they are counted on, the period's last day.",
        ),
        sa.Column(
            "change_of",
            sa.String(length=64),
            nullable=True,
            comment="For absolute changes: the metric key of the level that changes.",
        ),
        sa.Column(
            "change_compared_with",
            sa.String(length=16),
            nullable=True,
            comment="For absolute changes: previous_period or year_earlier.",
        ),
        sa.Column(
            "ratio_numerator",
            sa.String(length=64),
            nullable=True,
            comment="For ratios (margins, per-share, average prices): the metric key over the "
            "denominator; a percent ratio is 100 times the quotient.",
        ),
        sa.Column(
            "ratio_denominator",
            sa.String(length=64),
            nullable=True,
            comment="For ratios: the metric key the numerator is divided by.",
        ),
        sa.Column(
            "share_within",
            sa.String(length=16),
            nullable=True,
            comment="For shares: company (of the company's own total) or market (of the whole "
            "market's total).",
        ),
    )


METRIC_CHECKS = {
    "ck_metric_change_compared_with_domain": "change_compared_with is null or "
    "change_compared_with in ('previous_period', 'year_earlier')",
    "ck_metric_change_compares": "(change_of is null) = (change_compared_with is null)",
    "ck_metric_ratio_has_both": "(ratio_numerator is null) = (ratio_denominator is null)",
    "ck_metric_share_within_domain": "share_within is null or "
    "share_within in ('company', 'market')",
}


def _sum_of() -> sa.Column[object]:
    return sa.Column(
        "sum_of",
        sa.String(length=16),
        nullable=True,
        comment="segment, product or region: the source gives every part of this total by that "
        "dimension (the parts stated must add up to it); NULL when it does not say.",
    )


SUM_OF_CHECK = "sum_of is null or sum_of in ('segment', 'product', 'region')"
COMPANY_COMMENT = "Company it is about; NULL for a figure about the whole market of the region."


def _postgresql() -> bool:
    return op.get_context().dialect.name == "postgresql"


def _company_column(nullable: bool, comment: str) -> None:
    """statement.company_id's nullability and comment (DuckDB's Alembic dialect renders no
    comment change: a COMMENT statement sets it)."""
    op.alter_column("statement", "company_id", existing_type=sa.Integer(), nullable=nullable)
    op.execute(f"comment on column statement.company_id is '{comment}'")


METRIC_COMMENT = (
    "Catalogue of metric definitions: what a figure means, its unit, and how metrics relate "
    "(growth of, {}share of, target of, record of)."
)
FACT_KEY_COMMENT = (
    "The fact stated, the same for every source and date: company|metric|region|product|"
    "segment|store brand|period|unit|claim|attribution (natural keys{}; claim: actual for "
    "reported, preliminary and derived figures, else the basis)."
)


def _comments(derived: bool) -> None:
    metric = METRIC_COMMENT.format("change of, ratio of, " if derived else "")
    fact_key = FACT_KEY_COMMENT.format(
        ", company empty for a whole market's figure" if derived else ""
    )
    op.execute(f"comment on table metric is '{metric}'")
    op.execute(
        f"comment on column statement.fact_key is '{fact_key.replace(chr(39), chr(39) * 2)}'"
    )


def upgrade() -> None:
    for column in _metric_columns_added():
        op.add_column("metric", column)
    op.execute(
        "update metric set share_within = case when metric_key like '%market_share%' "
        "then 'market' else 'company' end where share_of is not null"
    )
    op.add_column("statement", _sum_of())
    _company_column(nullable=True, comment=COMPANY_COMMENT)
    if _postgresql():
        for name, condition in METRIC_CHECKS.items():
            op.create_check_constraint(op.f(name), "metric", condition)
        op.create_check_constraint(op.f("ck_statement_sum_of_domain"), "statement", SUM_OF_CHECK)
    _comments(derived=True)


def downgrade() -> None:
    markets = (
        op.get_bind()
        .exec_driver_sql("select count(*) from statement where company_id is null")
        .scalar()
    )
    if markets:
        raise CommandError(
            f"the mart holds what revision {down_revision} cannot: {markets} statements are "
            "about a whole market (no company); nothing was changed"
        )
    if _postgresql():
        op.drop_constraint(op.f("ck_statement_sum_of_domain"), "statement", type_="check")
        for name in METRIC_CHECKS:
            op.drop_constraint(op.f(name), "metric", type_="check")
    _company_column(nullable=False, comment="Company it is about.")
    _comments(derived=False)
    op.drop_column("statement", "sum_of")
    for column in reversed(_metric_columns_added()):
        op.drop_column("metric", column.name)
