"""An index on statement(company_id), on PostgreSQL: one company's figures without a full scan.

Every view carries the company's name from the statement scan up, so a dashboard's filter on one
company reaches the statement table; without an index PostgreSQL still reads all of it
(measured at 1M facts: `metric_values` for one company 188 ms with a sequential scan, 3 ms with
this index). DuckDB gets no index: its zone maps serve the same filter, an index would slow
every load, and DuckDB cannot alter a table that has one (see STACK-NOTES).

models.py declares the index, as it declares the statement table's keys that DuckDB does not
hold: PostgreSQL's schema matches the models, and `mart serve` shows it as PostgreSQL does.

Revision ID: e7b7fa523ede
Revises: d5f2a7b9c404
Create Date: 2026-12-07 08:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e7b7fa523ede"
down_revision: str | None = "d5f2a7b9c404"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {"ix_statement_company_id": ("statement", ["company_id"])}


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _postgresql():
        for name, (table, columns) in INDEXES.items():
            op.create_index(name, table, columns)


def downgrade() -> None:
    if _postgresql():
        for name, (table, _columns) in INDEXES.items():
            op.drop_index(name, table_name=table)
