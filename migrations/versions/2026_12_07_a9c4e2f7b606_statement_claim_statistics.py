"""Statistics on a statement's claim, on PostgreSQL: the planner counts actual figures right.

`metric_values` groups statements by their claim (actual, or a forecast's basis), so that a
filter on claim reaches the statement scan; every derived-figure view filters `claim = 'actual'`.
PostgreSQL holds no statistics for that expression and guesses 0.5 % of the rows (the real share
is 96 % at 1M facts): the views over `metric_values` were then planned as nested loops over
what it took for a few hundred rows (measured: `shipments_quarterly` of one company and
`revenue_growth` past 30 s). Extended statistics on the expression give the right share.

The expression is the one `metric_values` writes (mart/vocabulary.py claim_sql), frozen here:
the planner matches it as written, so a change to the view's expression needs a new revision.
DuckDB has no extended statistics (and needs none: it filters by zone maps).

Revision ID: a9c4e2f7b606
Revises: f1b9c6d2a505
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a9c4e2f7b606"
down_revision: str | None = "f1b9c6d2a505"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLAIM = "case when basis in ('reported', 'preliminary', 'derived') then 'actual' else basis end"


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _postgresql():
        op.execute(f"create statistics st_statement_claim on ({CLAIM}) from statement")
        op.execute("analyze statement")


def downgrade() -> None:
    if _postgresql():
        op.execute("drop statistics st_statement_claim")
