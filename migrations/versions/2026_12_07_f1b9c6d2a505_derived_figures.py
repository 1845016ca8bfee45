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

Columns are added in place: DuckDB cannot add a NOT NULL column or a CHECK constraint to a
table others reference, so `as_of` is nullable with default false, and the domains are CHECKs
on PostgreSQL only (the loader checks them on both, from the catalogue's validation). Nor can
DuckDB drop a column of a referenced table: there the downgrade empties metric's new columns
and leaves them (the previous revision never reads them), and the upgrade adds those missing.

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

METRIC_COLUMNS = (
    sa.Column(
        "as_of",
        sa.Boolean(),
        server_default=sa.false(),
        nullable=True,
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
SUM_OF = sa.Column(
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


def _metric_columns() -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns("metric")}


def upgrade() -> None:
    present = _metric_columns()
    for column in METRIC_COLUMNS:
        if column.name not in present:
            op.add_column("metric", column.copy())
    op.execute(
        "update metric set share_within = case when metric_key like '%market_share%' "
        "then 'market' else 'company' end where share_of is not null"
    )
    op.add_column("statement", SUM_OF.copy())
    _company_column(nullable=True, comment=COMPANY_COMMENT)
    if _postgresql():
        for name, condition in METRIC_CHECKS.items():
            op.create_check_constraint(op.f(name), "metric", condition)
        op.create_check_constraint(op.f("ck_statement_sum_of_domain"), "statement", SUM_OF_CHECK)


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
    op.drop_column("statement", "sum_of")
    if _postgresql():
        for column in reversed(METRIC_COLUMNS):
            op.drop_column("metric", column.name)
    else:
        emptied = ", ".join(f"{column.name} = null" for column in METRIC_COLUMNS)
        op.execute(f"update metric set {emptied}")
