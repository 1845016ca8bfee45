"""Fact tables: company metrics, patents and stores, each row one statement with its quote.

Facts reference the dimensions; provenance (quote and offsets) lives on the fact row so a
reload of one source deletes and re-inserts only that source's rows.

On DuckDB the fact tables' primary, foreign and unique keys are not created: DuckDB backs each
with an in-memory ART index, which made bulk inserts 20x slower (0.4 M rows/s against 8 M/s
bare, measured) and grows with the table. There the loader guarantees them (facts are joined to
the dimensions by natural key, duplicates refused) and `mart check` verifies them. PostgreSQL
gets every key, and the models declare them all.

Revision ID: b7e4c9a5d202
Revises: a1d3f0c2e101
Create Date: 2026-11-25 04:06:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7e4c9a5d202"
down_revision: str | None = "a1d3f0c2e101"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _keys(*constraints: sa.Constraint) -> tuple[sa.Constraint, ...]:
    """Key constraints for the fact tables, except on DuckDB (see the module docstring)."""
    return () if op.get_context().dialect.name == "duckdb" else constraints


SEQUENCES = (
    "metric_fact_id_seq",
    "patent_fact_id_seq",
    "store_fact_id_seq",
)


def upgrade() -> None:
    for name in SEQUENCES:
        op.execute(sa.schema.CreateSequence(sa.Sequence(name)))
    op.create_table(
        "metric_fact",
        sa.Column(
            "metric_fact_id",
            sa.BigInteger(),
            server_default=sa.text("nextval('metric_fact_id_seq')"),
            nullable=False,
            comment="Surrogate key.",
        ),
        sa.Column(
            "product_id",
            sa.BigInteger(),
            nullable=True,
            comment="Product the fact is about, if any.",
        ),
        sa.Column(
            "value",
            sa.Numeric(precision=24, scale=6),
            nullable=True,
            comment="Value in base units (23.16 million -> 23160000); NULL if unstated.",
        ),
        sa.Column(
            "unit",
            sa.String(length=16),
            nullable=False,
            comment="units, CNY, USD, percent, share (0..1), rank, people or flag (1 = yes).",
        ),
        sa.Column(
            "basis",
            sa.String(length=16),
            nullable=False,
            comment="reported, derived, target, expected or approximate.",
        ),
        sa.Column(
            "period_wording",
            sa.Text(),
            nullable=False,
            comment="The period as the source words it, e.g. 'last year'.",
        ),
        sa.Column(
            "wording",
            sa.Text(),
            nullable=True,
            comment="The figure as the source words it, e.g. '23.16 million smartphones'.",
        ),
        sa.Column(
            "quote", sa.Text(), nullable=False, comment="Exact sentence or phrase stating the fact."
        ),
        sa.Column(
            "quote_start",
            sa.Integer(),
            nullable=False,
            comment="Offset of the quote's first character in source.body (0-based).",
        ),
        sa.Column(
            "quote_end",
            sa.Integer(),
            nullable=False,
            comment="Offset just past the quote's last character in source.body.",
        ),
        sa.Column("source_id", sa.BigInteger(), nullable=False, comment="Source stating the fact."),
        sa.Column(
            "metric_id", sa.BigInteger(), nullable=False, comment="What the figure measures."
        ),
        sa.Column("company_id", sa.BigInteger(), nullable=False, comment="Company it is about."),
        sa.Column("period_id", sa.BigInteger(), nullable=False, comment="Period it refers to."),
        sa.Column("region_id", sa.BigInteger(), nullable=False, comment="Market or region."),
        sa.CheckConstraint(
            "basis in ('reported', 'derived', 'target', 'expected', 'approximate')",
            name=op.f("ck_metric_fact_basis_domain"),
        ),
        sa.CheckConstraint(
            "unit in ('units', 'CNY', 'USD', 'percent', 'share', 'rank', 'patents', 'stores', 'people', 'flag')",
            name=op.f("ck_metric_fact_unit_domain"),
        ),
        sa.CheckConstraint(
            "value is null or unit <> 'flag' or value in (0, 1)",
            name=op.f("ck_metric_fact_flag_0_1"),
        ),
        sa.CheckConstraint(
            "value is null or unit <> 'share' or value between 0 and 1",
            name=op.f("ck_metric_fact_share_0_1"),
        ),
        sa.CheckConstraint(
            "value is null or unit not in ('units', 'people', 'rank', 'CNY', 'USD') or value >= 0",
            name=op.f("ck_metric_fact_counts_non_negative"),
        ),
        sa.CheckConstraint(
            "quote_start >= 0 and quote_end > quote_start", name=op.f("ck_metric_fact_quote_span")
        ),
        *_keys(
            sa.ForeignKeyConstraint(
                ["company_id"],
                ["company.company_id"],
                name=op.f("fk_metric_fact_company_id_company"),
            ),
            sa.ForeignKeyConstraint(
                ["metric_id"], ["metric.metric_id"], name=op.f("fk_metric_fact_metric_id_metric")
            ),
            sa.ForeignKeyConstraint(
                ["period_id"], ["period.period_id"], name=op.f("fk_metric_fact_period_id_period")
            ),
            sa.ForeignKeyConstraint(
                ["product_id"],
                ["product.product_id"],
                name=op.f("fk_metric_fact_product_id_product"),
            ),
            sa.ForeignKeyConstraint(
                ["region_id"], ["region.region_id"], name=op.f("fk_metric_fact_region_id_region")
            ),
            sa.ForeignKeyConstraint(
                ["source_id"], ["source.source_id"], name=op.f("fk_metric_fact_source_id_source")
            ),
            sa.PrimaryKeyConstraint("metric_fact_id", name=op.f("pk_metric_fact")),
            sa.UniqueConstraint(
                "source_id",
                "metric_id",
                "company_id",
                "period_id",
                "region_id",
                "product_id",
                "unit",
                name="uq_metric_fact_statement",
            ),
        ),
        comment="Company metrics as stated by a source: shipments, growth, revenue, ranks, targets, launches. One row per statement.",
    )
    op.create_table(
        "patent_fact",
        sa.Column(
            "patent_fact_id",
            sa.BigInteger(),
            server_default=sa.text("nextval('patent_fact_id_seq')"),
            nullable=False,
            comment="Surrogate key.",
        ),
        sa.Column(
            "patent_count",
            sa.BigInteger(),
            nullable=True,
            comment="Number of patents, for count metrics (filed, granted).",
        ),
        sa.Column(
            "share",
            sa.Numeric(precision=9, scale=6),
            nullable=True,
            comment="Share 0..1, for share metrics (international share of granted).",
        ),
        sa.Column(
            "basis",
            sa.String(length=16),
            nullable=False,
            comment="reported, derived, target, expected or approximate.",
        ),
        sa.Column(
            "period_wording",
            sa.Text(),
            nullable=False,
            comment="The period as the source words it, e.g. 'last year'.",
        ),
        sa.Column(
            "wording",
            sa.Text(),
            nullable=True,
            comment="The figure as the source words it, e.g. '23.16 million smartphones'.",
        ),
        sa.Column(
            "quote", sa.Text(), nullable=False, comment="Exact sentence or phrase stating the fact."
        ),
        sa.Column(
            "quote_start",
            sa.Integer(),
            nullable=False,
            comment="Offset of the quote's first character in source.body (0-based).",
        ),
        sa.Column(
            "quote_end",
            sa.Integer(),
            nullable=False,
            comment="Offset just past the quote's last character in source.body.",
        ),
        sa.Column("source_id", sa.BigInteger(), nullable=False, comment="Source stating the fact."),
        sa.Column(
            "metric_id", sa.BigInteger(), nullable=False, comment="What the figure measures."
        ),
        sa.Column("company_id", sa.BigInteger(), nullable=False, comment="Company it is about."),
        sa.Column("period_id", sa.BigInteger(), nullable=False, comment="Period it refers to."),
        sa.Column("region_id", sa.BigInteger(), nullable=False, comment="Market or region."),
        sa.CheckConstraint(
            "basis in ('reported', 'derived', 'target', 'expected', 'approximate')",
            name=op.f("ck_patent_fact_basis_domain"),
        ),
        sa.CheckConstraint("patent_count >= 0", name=op.f("ck_patent_fact_count_non_negative")),
        sa.CheckConstraint(
            "patent_count is null or share is null", name=op.f("ck_patent_fact_count_or_share")
        ),
        sa.CheckConstraint(
            "quote_start >= 0 and quote_end > quote_start", name=op.f("ck_patent_fact_quote_span")
        ),
        sa.CheckConstraint("share between 0 and 1", name=op.f("ck_patent_fact_share_0_1")),
        *_keys(
            sa.ForeignKeyConstraint(
                ["company_id"],
                ["company.company_id"],
                name=op.f("fk_patent_fact_company_id_company"),
            ),
            sa.ForeignKeyConstraint(
                ["metric_id"], ["metric.metric_id"], name=op.f("fk_patent_fact_metric_id_metric")
            ),
            sa.ForeignKeyConstraint(
                ["period_id"], ["period.period_id"], name=op.f("fk_patent_fact_period_id_period")
            ),
            sa.ForeignKeyConstraint(
                ["region_id"], ["region.region_id"], name=op.f("fk_patent_fact_region_id_region")
            ),
            sa.ForeignKeyConstraint(
                ["source_id"], ["source.source_id"], name=op.f("fk_patent_fact_source_id_source")
            ),
            sa.PrimaryKeyConstraint("patent_fact_id", name=op.f("pk_patent_fact")),
            sa.UniqueConstraint(
                "source_id",
                "metric_id",
                "company_id",
                "period_id",
                "region_id",
                name="uq_patent_fact_statement",
            ),
        ),
        comment="Patent applications and grants as stated by a source.",
    )
    op.create_table(
        "store_fact",
        sa.Column(
            "store_fact_id",
            sa.BigInteger(),
            server_default=sa.text("nextval('store_fact_id_seq')"),
            nullable=False,
            comment="Surrogate key.",
        ),
        sa.Column(
            "store_brand",
            sa.String(length=100),
            nullable=False,
            comment="Store chain, e.g. Mi Home.",
        ),
        sa.Column(
            "store_count",
            sa.BigInteger(),
            nullable=True,
            comment="Number of stores; NULL when the source gives no count.",
        ),
        sa.Column(
            "basis",
            sa.String(length=16),
            nullable=False,
            comment="reported, derived, target, expected or approximate.",
        ),
        sa.Column(
            "period_wording",
            sa.Text(),
            nullable=False,
            comment="The period as the source words it, e.g. 'last year'.",
        ),
        sa.Column(
            "wording",
            sa.Text(),
            nullable=True,
            comment="The figure as the source words it, e.g. '23.16 million smartphones'.",
        ),
        sa.Column(
            "quote", sa.Text(), nullable=False, comment="Exact sentence or phrase stating the fact."
        ),
        sa.Column(
            "quote_start",
            sa.Integer(),
            nullable=False,
            comment="Offset of the quote's first character in source.body (0-based).",
        ),
        sa.Column(
            "quote_end",
            sa.Integer(),
            nullable=False,
            comment="Offset just past the quote's last character in source.body.",
        ),
        sa.Column("source_id", sa.BigInteger(), nullable=False, comment="Source stating the fact."),
        sa.Column(
            "metric_id", sa.BigInteger(), nullable=False, comment="What the figure measures."
        ),
        sa.Column("company_id", sa.BigInteger(), nullable=False, comment="Company it is about."),
        sa.Column("period_id", sa.BigInteger(), nullable=False, comment="Period it refers to."),
        sa.Column("region_id", sa.BigInteger(), nullable=False, comment="Market or region."),
        sa.CheckConstraint(
            "basis in ('reported', 'derived', 'target', 'expected', 'approximate')",
            name=op.f("ck_store_fact_basis_domain"),
        ),
        sa.CheckConstraint(
            "quote_start >= 0 and quote_end > quote_start", name=op.f("ck_store_fact_quote_span")
        ),
        sa.CheckConstraint("store_count >= 0", name=op.f("ck_store_fact_count_non_negative")),
        *_keys(
            sa.ForeignKeyConstraint(
                ["company_id"],
                ["company.company_id"],
                name=op.f("fk_store_fact_company_id_company"),
            ),
            sa.ForeignKeyConstraint(
                ["metric_id"], ["metric.metric_id"], name=op.f("fk_store_fact_metric_id_metric")
            ),
            sa.ForeignKeyConstraint(
                ["period_id"], ["period.period_id"], name=op.f("fk_store_fact_period_id_period")
            ),
            sa.ForeignKeyConstraint(
                ["region_id"], ["region.region_id"], name=op.f("fk_store_fact_region_id_region")
            ),
            sa.ForeignKeyConstraint(
                ["source_id"], ["source.source_id"], name=op.f("fk_store_fact_source_id_source")
            ),
            sa.PrimaryKeyConstraint("store_fact_id", name=op.f("pk_store_fact")),
            sa.UniqueConstraint(
                "source_id",
                "metric_id",
                "company_id",
                "period_id",
                "region_id",
                "store_brand",
                name="uq_store_fact_statement",
            ),
        ),
        comment="Retail store counts (open, planned) as stated by a source, as of a date.",
    )


def downgrade() -> None:
    op.drop_table("store_fact")
    op.drop_table("patent_fact")
    op.drop_table("metric_fact")
    for name in SEQUENCES:
        op.execute(sa.schema.DropSequence(sa.Sequence(name)))
