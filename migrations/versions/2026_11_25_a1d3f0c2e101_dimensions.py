"""Dimensions: companies, sources, periods, regions, products, metric catalogue.

Sequences replace SERIAL, which DuckDB lacks; every constraint is declared at CREATE TABLE
because DuckDB cannot add one later.

Revision ID: a1d3f0c2e101
Revises:
Create Date: 2026-11-25 04:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1d3f0c2e101"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEQUENCES = (
    "company_id_seq",
    "source_id_seq",
    "period_id_seq",
    "region_id_seq",
    "product_id_seq",
    "metric_id_seq",
)


def upgrade() -> None:
    for name in SEQUENCES:
        op.execute(sa.schema.CreateSequence(sa.Sequence(name)))
    op.create_table(
        "company",
        sa.Column(
            "company_id",
            sa.BigInteger(),
            server_default=sa.text("nextval('company_id_seq')"),
            nullable=False,
            comment="Surrogate key.",
        ),
        sa.Column(
            "company_key",
            sa.String(length=64),
            nullable=False,
            comment="Natural key used in seed files, e.g. xiaomi.",
        ),
        sa.Column(
            "company_name",
            sa.String(length=200),
            nullable=False,
            comment="Display name, e.g. Xiaomi.",
        ),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_company")),
        sa.UniqueConstraint("company_key", name=op.f("uq_company_company_key")),
        comment="Companies the sources report on. One row per company.",
    )
    op.create_table(
        "source",
        sa.Column(
            "source_id",
            sa.BigInteger(),
            server_default=sa.text("nextval('source_id_seq')"),
            nullable=False,
            comment="Surrogate key.",
        ),
        sa.Column(
            "source_key",
            sa.String(length=200),
            nullable=False,
            comment="Natural key: the seed file's name without extension.",
        ),
        sa.Column("title", sa.Text(), nullable=False, comment="Title of the article or summary."),
        sa.Column(
            "publisher",
            sa.String(length=200),
            nullable=True,
            comment="Who published the original; NULL where the corpus does not say.",
        ),
        sa.Column("url", sa.Text(), nullable=True, comment="Address of the original article."),
        sa.Column(
            "is_summary",
            sa.Boolean(),
            nullable=False,
            comment="True when the stored text is our summary, not the original wording.",
        ),
        sa.Column(
            "published_on", sa.Date(), nullable=False, comment="Publication date of the source."
        ),
        sa.Column(
            "text_sha256",
            sa.String(length=64),
            nullable=False,
            comment="SHA-256 of the source text file, hex; changes when the text changes.",
        ),
        sa.Column(
            "facts_sha256",
            sa.String(length=64),
            nullable=False,
            comment="SHA-256 of the YAML fact file, or of the source's rows in a bulk file; "
            "a source whose text and facts are unchanged is skipped on reload.",
        ),
        sa.Column(
            "body", sa.Text(), nullable=False, comment="Full source text; quote offsets point here."
        ),
        sa.Column(
            "loaded_at",
            sa.DateTime(),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
            comment="When this source was loaded.",
        ),
        sa.CheckConstraint("length(text_sha256) = 64", name=op.f("ck_source_sha256_length")),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_source")),
        sa.UniqueConstraint("source_key", name=op.f("uq_source_source_key")),
        comment="Source documents (news articles or our summaries of them), with full text.",
    )
    op.create_table(
        "period",
        sa.Column(
            "period_id",
            sa.BigInteger(),
            server_default=sa.text("nextval('period_id_seq')"),
            nullable=False,
            comment="Surrogate key.",
        ),
        sa.Column(
            "period_label",
            sa.String(length=32),
            nullable=False,
            comment="Canonical label: 2017-Q2, 2017-H1, 2016, 2017-02, 2017-07-07, or an ISO interval 2017-07-08/2018-07-07; open ends use '..'.",
        ),
        sa.Column(
            "grain",
            sa.String(length=16),
            nullable=False,
            comment="day, month, quarter, half, year or range.",
        ),
        sa.Column(
            "start_on",
            sa.Date(),
            nullable=True,
            comment="First day of the period; NULL when open-ended.",
        ),
        sa.Column(
            "end_on",
            sa.Date(),
            nullable=True,
            comment="Last day of the period (inclusive); NULL when open-ended.",
        ),
        sa.CheckConstraint(
            "grain in ('day', 'month', 'quarter', 'half', 'year', 'range')",
            name=op.f("ck_period_grain_domain"),
        ),
        sa.CheckConstraint("start_on <= end_on", name=op.f("ck_period_start_before_end")),
        sa.PrimaryKeyConstraint("period_id", name=op.f("pk_period")),
        sa.UniqueConstraint("period_label", name=op.f("uq_period_period_label")),
        comment="Calendar periods facts refer to, resolved from the source's wording.",
    )
    op.create_table(
        "region",
        sa.Column(
            "region_id",
            sa.BigInteger(),
            server_default=sa.text("nextval('region_id_seq')"),
            nullable=False,
            comment="Surrogate key.",
        ),
        sa.Column(
            "region_key",
            sa.String(length=64),
            nullable=False,
            comment="Natural key used in seed files, e.g. india.",
        ),
        sa.Column(
            "region_name",
            sa.String(length=200),
            nullable=False,
            comment="Display name, e.g. India.",
        ),
        sa.Column("region_kind", sa.String(length=16), nullable=False, comment="world or country."),
        sa.CheckConstraint(
            "region_kind in ('world', 'country')", name=op.f("ck_region_kind_domain")
        ),
        sa.PrimaryKeyConstraint("region_id", name=op.f("pk_region")),
        sa.UniqueConstraint("region_key", name=op.f("uq_region_region_key")),
        comment="Markets and regions facts apply to; 'global' when a fact names none.",
    )
    op.create_table(
        "product",
        sa.Column(
            "product_id",
            sa.BigInteger(),
            server_default=sa.text("nextval('product_id_seq')"),
            nullable=False,
            comment="Surrogate key.",
        ),
        sa.Column(
            "product_key",
            sa.String(length=64),
            nullable=False,
            comment="Natural key used in seed files, e.g. redmi-note-4.",
        ),
        sa.Column(
            "company_id", sa.BigInteger(), nullable=False, comment="Company that makes the product."
        ),
        sa.Column("product_name", sa.String(length=200), nullable=False, comment="Display name."),
        sa.Column(
            "product_kind",
            sa.String(length=16),
            nullable=False,
            comment="smartphone, chipset or other.",
        ),
        sa.CheckConstraint(
            "product_kind in ('smartphone', 'chipset', 'other')",
            name=op.f("ck_product_kind_domain"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.company_id"], name=op.f("fk_product_company_id_company")
        ),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_product")),
        sa.UniqueConstraint("product_key", name=op.f("uq_product_product_key")),
        comment="Products and chips named in the sources.",
    )
    op.create_table(
        "metric",
        sa.Column(
            "metric_id",
            sa.BigInteger(),
            server_default=sa.text("nextval('metric_id_seq')"),
            nullable=False,
            comment="Surrogate key.",
        ),
        sa.Column(
            "metric_key",
            sa.String(length=64),
            nullable=False,
            comment="Natural key used in seed files, e.g. smartphone_shipments.",
        ),
        sa.Column(
            "metric_name", sa.String(length=200), nullable=False, comment="Short display name."
        ),
        sa.Column(
            "unit",
            sa.String(length=16),
            nullable=False,
            comment="Base unit of the value; 'currency' means any ISO currency code.",
        ),
        sa.Column(
            "fact_table", sa.String(length=32), nullable=False, comment="Fact table that holds it."
        ),
        sa.Column(
            "ranked_by",
            sa.String(length=200),
            nullable=True,
            comment="For rank metrics: what the ranking measures.",
        ),
        sa.Column(
            "description", sa.Text(), nullable=False, comment="What the metric means, in full."
        ),
        sa.CheckConstraint(
            "fact_table in ('metric_fact', 'patent_fact', 'store_fact')",
            name=op.f("ck_metric_fact_table_domain"),
        ),
        sa.CheckConstraint(
            "unit in ('units', 'CNY', 'USD', 'percent', 'share', 'rank', 'patents', 'stores', 'people', 'flag', 'currency')",
            name=op.f("ck_metric_unit_domain"),
        ),
        sa.PrimaryKeyConstraint("metric_id", name=op.f("pk_metric")),
        sa.UniqueConstraint("metric_key", name=op.f("uq_metric_metric_key")),
        comment="Catalogue of metric definitions: what a figure means and its unit.",
    )


def downgrade() -> None:
    op.drop_table("metric")
    op.drop_table("product")
    op.drop_table("region")
    op.drop_table("period")
    op.drop_table("source")
    op.drop_table("company")
    for name in SEQUENCES:
        op.execute(sa.schema.DropSequence(sa.Sequence(name)))
