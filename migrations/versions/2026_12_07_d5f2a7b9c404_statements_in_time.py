"""Statements in time: when each figure was stated, fiscal years named as companies name them,
and bases that tell guidance, consensus and preliminary figures from actuals.

- `company.fiscal_year_named_by`: `end` (FY2017 ends in 2017) or `start` (fiscal 2017 starts in
  2017); NULL reads as end, today's rule, so existing companies keep their labels.
- `statement.stated_on` (the publication date unless the source says earlier) and
  `stated_on_wording`: several statements of one fact by one source at different dates are
  kept, and a later one supersedes an earlier one (`known_until`, written by the loader).
- `statement.fact_key`: the fact stated, one text for every source and date (company, metric,
  region, product, segment, store brand, period, unit, claim, attribution), written by the
  loader from `mart.vocabulary`; the views compare, supersede and revise statements by it.
- bases `preliminary`, `guidance` and `consensus` beside reported, derived, expected, target
  and planned. Carried forward: an `expected` statement attributed to nobody, the company or
  an executive becomes `guidance` (the company's own forecast); attributed to an analyst,
  `consensus`; any other stays `expected`.
- the unique key of a statement gains stated_on and quote_start: one source may state a fact
  at several dates, and in two wordings whose values agree ("nearly 10 billion", "9,870
  million").

The statement table is rebuilt (copied out, dropped, created, copied back): DuckDB cannot drop
the CHECK constraint that holds the bases. DuckDB cannot add a CHECK to an existing table
either, so the fiscal naming's domain is a constraint on PostgreSQL only (the loader checks it
on both). The downgrade carries statements back (preliminary as reported, guidance and
consensus as expected) and refuses, changing nothing, when two statements would become one
fact of one source (several vintages or wordings).

Revision ID: d5f2a7b9c404
Revises: c3a8e5f1d303
Create Date: 2026-12-07 08:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from alembic.util import CommandError

revision: str = "d5f2a7b9c404"
down_revision: str | None = "c3a8e5f1d303"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_BASES = "basis in ('reported', 'derived', 'target', 'expected', 'planned')"
NEW_BASES = (
    "basis in ('reported', 'preliminary', 'derived', 'guidance', 'consensus', 'expected', "
    "'target', 'planned')"
)
BASIS_COMMENT = (
    "reported, preliminary, derived (actuals); guidance, consensus, expected, target or "
    "planned (forecasts and goals)."
)
OLD_UNIQUE = (
    "source_id",
    "metric_id",
    "company_id",
    "period_id",
    "region_id",
    "product_id",
    "segment_id",
    "store_brand",
    "attribution_id",
    "unit",
    "basis",
)
NEW_UNIQUE = (*OLD_UNIQUE, "stated_on", "quote_start")
SHARED_COLUMNS = (
    "statement_id", "source_id", "metric_id", "company_id", "period_id", "region_id",
    "product_id", "segment_id", "attribution_id", "store_brand", "value", "value_high", "bound",
    "value_precision", "interval_low", "interval_high", "unit", "fiscal_period",
    "period_wording", "wording", "quote", "quote_start", "quote_end", "seed_file", "seed_line",
)  # fmt: skip
SHARED = ", ".join(SHARED_COLUMNS)
# The fact key as mart.vocabulary defines it at this revision (frozen here).
FACT_KEY = """coalesce(c.company_key, '') || '|' || coalesce(m.metric_key, '') || '|'
    || coalesce(r.region_key, '') || '|' || coalesce(p.product_key, '') || '|'
    || coalesce(sg.segment_key, '') || '|' || coalesce(s.store_brand, '') || '|'
    || coalesce(pe.period_label, '') || '|' || coalesce(s.unit, '') || '|'
    || coalesce(case when s.new_basis in ('reported', 'preliminary', 'derived') then 'actual'
        else s.new_basis end, '') || '|' || coalesce(a.attribution_key, '')"""
CARRY_FORWARD = f"""
insert into statement ({SHARED}, basis, stated_on, fact_key)
select {", ".join(f"s.{column}" for column in SHARED_COLUMNS)},
    s.new_basis, src.published_on, {FACT_KEY}
from (
    select cs.*, case when cs.basis <> 'expected' then cs.basis
        when ca.attribution_kind is null or ca.attribution_kind in ('company', 'executive')
            then 'guidance'
        when ca.attribution_kind = 'analyst' then 'consensus'
        else 'expected' end as new_basis
    from carry_statement as cs
    left join attribution as ca on ca.attribution_id = cs.attribution_id
) as s
inner join source as src on src.source_id = s.source_id
inner join company as c on c.company_id = s.company_id
inner join metric as m on m.metric_id = s.metric_id
inner join region as r on r.region_id = s.region_id
inner join period as pe on pe.period_id = s.period_id
left join product as p on p.product_id = s.product_id
left join segment as sg on sg.segment_id = s.segment_id
left join attribution as a on a.attribution_id = s.attribution_id
order by s.statement_id
"""
# When each carried statement stopped being current, as mart/vintages.py defines it at this
# revision (frozen here).
KNOWN_UNTIL = """
update statement set known_until = later.known_until
from (
    select s.statement_id, min(t.stated_on) as known_until
    from statement as s
    inner join statement as t
        on t.fact_key = s.fact_key and t.company_id = s.company_id
        and t.statement_id <> s.statement_id
    where (s.basis = 'preliminary' and t.basis in ('reported', 'derived')
            and t.stated_on >= s.stated_on)
        or (s.basis <> 'preliminary' and t.basis <> 'preliminary'
            and (split_part(s.fact_key, '|', 9) <> 'actual' or t.source_id = s.source_id)
            and t.stated_on > s.stated_on
            and (t.value is distinct from s.value or t.value_high is distinct from s.value_high
                or t.bound <> s.bound))
    group by s.statement_id
) as later
where statement.statement_id = later.statement_id
"""
CARRY_BACK = f"""
insert into statement ({SHARED}, basis)
select {SHARED}, case basis when 'preliminary' then 'reported'
    when 'guidance' then 'expected' when 'consensus' then 'expected' else basis end
from carry_statement
order by statement_id
"""
# Statements that would become one fact of one source under the earlier key.
COLLISIONS = f"""
select count(*) from (
    select 1 from statement
    group by {", ".join(OLD_UNIQUE[:-1])}, case basis when 'preliminary' then 'reported'
        when 'guidance' then 'expected' when 'consensus' then 'expected' else basis end
    having count(*) > 1
) as collided
"""


def _keys(*constraints: sa.Constraint) -> tuple[sa.Constraint, ...]:
    """Key constraints for the statement table, except on DuckDB (as the revision before)."""
    return () if op.get_context().dialect.name == "duckdb" else constraints


def _id(name: str) -> sa.Column[int]:
    return sa.Column(
        f"{name}_id",
        sa.BigInteger(),
        server_default=sa.text(f"nextval('{name}_id_seq')"),
        nullable=False,
        comment="Surrogate key.",
    )


def _in_time_columns(in_time: bool) -> list[sa.Column[object]]:
    if not in_time:
        return []
    return [
        sa.Column(
            "stated_on",
            sa.Date(),
            nullable=False,
            comment="When the figure was stated: the source's publication date, or the earlier "
            "date the source gives (a forecast made in May); a later statement of the same fact "
            "and attribution supersedes it.",
        ),
        sa.Column(
            "stated_on_wording",
            sa.Text(),
            nullable=True,
            comment="When it was stated as the source words it, e.g. 'in May'; NULL if not.",
        ),
        sa.Column(
            "known_until",
            sa.Date(),
            nullable=True,
            comment="Day a later statement superseded this one (a revised forecast, the final "
            "figure after a preliminary one); NULL while current. Written by the loader "
            "(mart/vintages.py), verified by mart check.",
        ),
        sa.Column(
            "fact_key",
            sa.Text(),
            nullable=False,
            comment="The fact stated, the same for every source and date: company|metric|region|"
            "product|segment|store brand|period|unit|claim|attribution (natural keys; claim: "
            "actual for reported, preliminary and derived figures, else the basis).",
        ),
    ]


def _statement_table(basis_domain: str, unique: tuple[str, ...], in_time: bool) -> None:
    """statement as this revision (in_time) or the one before it defines it."""
    op.create_table(
        "statement",
        _id("statement"),
        sa.Column(
            "source_id", sa.BigInteger(), nullable=False, comment="Source stating the figure."
        ),
        sa.Column(
            "metric_id", sa.BigInteger(), nullable=False, comment="What the figure measures."
        ),
        sa.Column("company_id", sa.BigInteger(), nullable=False, comment="Company it is about."),
        sa.Column(
            "period_id", sa.BigInteger(), nullable=False, comment="Calendar period it refers to."
        ),
        sa.Column("region_id", sa.BigInteger(), nullable=False, comment="Market or region."),
        sa.Column(
            "product_id",
            sa.BigInteger(),
            nullable=True,
            comment="Product the figure is about, if any.",
        ),
        sa.Column(
            "segment_id",
            sa.BigInteger(),
            nullable=True,
            comment="Business segment the figure is about, if any.",
        ),
        sa.Column(
            "attribution_id",
            sa.BigInteger(),
            nullable=True,
            comment="Who the source says gives the figure; NULL when the source gives it itself.",
        ),
        sa.Column(
            "store_brand",
            sa.String(length=100),
            nullable=True,
            comment="Store chain, for store metrics, e.g. Mi Home.",
        ),
        sa.Column(
            "value",
            sa.Numeric(precision=24, scale=6),
            nullable=True,
            comment="Value in base units (23.16 million -> 23160000); the low end of a range; "
            "NULL if the source gives no figure.",
        ),
        sa.Column(
            "value_high",
            sa.Numeric(precision=24, scale=6),
            nullable=True,
            comment="High end of a range (bound = range); NULL otherwise.",
        ),
        sa.Column(
            "bound",
            sa.String(length=16),
            nullable=False,
            comment="exact, about, at_least, at_most or range.",
        ),
        sa.Column(
            "value_precision",
            sa.Numeric(precision=24, scale=6),
            nullable=True,
            comment="Place of the last significant digit as stated, in base units "
            "(about 14 trillion -> 1000000000000); what 'about' and rounding allow.",
        ),
        sa.Column(
            "interval_low",
            sa.Numeric(precision=24, scale=6),
            nullable=True,
            comment="Lowest value the statement allows: value - value_precision / 2 for exact and "
            "about figures, value for at_least and range; NULL when unbounded below (at_most).",
        ),
        sa.Column(
            "interval_high",
            sa.Numeric(precision=24, scale=6),
            nullable=True,
            comment="Highest value the statement allows: value + value_precision / 2 for exact and "
            "about figures, value_high for a range, value for at_most; NULL when unbounded above.",
        ),
        sa.Column(
            "unit",
            sa.String(length=16),
            nullable=False,
            comment="Unit of the value: a catalogue unit or ISO currency.",
        ),
        sa.Column(
            "basis",
            sa.String(length=16),
            nullable=False,
            comment=BASIS_COMMENT if in_time else "reported, derived, target, expected or planned.",
        ),
        *_in_time_columns(in_time),
        sa.Column(
            "fiscal_period",
            sa.String(length=16),
            nullable=True,
            comment="Fiscal label where the source words a fiscal period, e.g. FY2017-Q3.",
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
        sa.Column(
            "seed_file",
            sa.Text(),
            nullable=False,
            comment="File the statement was loaded from (its name in the seed directory).",
        ),
        sa.Column(
            "seed_line",
            sa.Integer(),
            nullable=True,
            comment="Line of the fact in a YAML file, or row number in a CSV/Parquet file.",
        ),
        sa.CheckConstraint(
            basis_domain,
            name=op.f("ck_statement_basis_domain"),
        ),
        sa.CheckConstraint(
            "bound in ('exact', 'about', 'at_least', 'at_most', 'range')",
            name=op.f("ck_statement_bound_domain"),
        ),
        sa.CheckConstraint(
            "(bound = 'range') = (value_high is not null)", name=op.f("ck_statement_range_has_high")
        ),
        sa.CheckConstraint(
            "value_high is null or value_high >= value", name=op.f("ck_statement_range_ordered")
        ),
        sa.CheckConstraint(
            "quote_start >= 0 and quote_end > quote_start", name=op.f("ck_statement_quote_span")
        ),
        *_keys(
            sa.ForeignKeyConstraint(
                ["attribution_id"],
                ["attribution.attribution_id"],
                name=op.f("fk_statement_attribution_id_attribution"),
            ),
            sa.ForeignKeyConstraint(
                ["company_id"], ["company.company_id"], name=op.f("fk_statement_company_id_company")
            ),
            sa.ForeignKeyConstraint(
                ["metric_id"], ["metric.metric_id"], name=op.f("fk_statement_metric_id_metric")
            ),
            sa.ForeignKeyConstraint(
                ["period_id"], ["period.period_id"], name=op.f("fk_statement_period_id_period")
            ),
            sa.ForeignKeyConstraint(
                ["product_id"], ["product.product_id"], name=op.f("fk_statement_product_id_product")
            ),
            sa.ForeignKeyConstraint(
                ["region_id"], ["region.region_id"], name=op.f("fk_statement_region_id_region")
            ),
            sa.ForeignKeyConstraint(
                ["segment_id"], ["segment.segment_id"], name=op.f("fk_statement_segment_id_segment")
            ),
            sa.ForeignKeyConstraint(
                ["source_id"], ["source.source_id"], name=op.f("fk_statement_source_id_source")
            ),
            sa.ForeignKeyConstraint(["unit"], ["unit.unit"], name=op.f("fk_statement_unit_unit")),
            sa.PrimaryKeyConstraint("statement_id", name=op.f("pk_statement")),
            sa.UniqueConstraint(
                *unique,
                name="uq_statement_fact",
                postgresql_nulls_not_distinct=True,
            ),
        ),
        comment="Figures as stated by a source: one row per statement, with its bound, "
        "attribution, period wording and the exact quote it comes from.",
    )


def _products_and_segments() -> None:
    """product and segment as revision c3a8e5f1d303 created them (frozen here)."""
    op.create_table(
        "product",
        _id("product"),
        sa.Column(
            "product_key",
            sa.String(length=64),
            nullable=False,
            comment="Natural key used in seed files, e.g. redmi-note-4.",
        ),
        sa.Column(
            "company_id",
            sa.BigInteger(),
            nullable=False,
            comment="Company that makes the product.",
        ),
        sa.Column("product_name", sa.String(length=200), nullable=False, comment="Display name."),
        sa.Column(
            "product_kind",
            sa.String(length=32),
            nullable=False,
            comment="Kind of product (product_kind).",
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.company_id"], name=op.f("fk_product_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["product_kind"],
            ["product_kind.product_kind"],
            name=op.f("fk_product_product_kind_product_kind"),
        ),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_product")),
        sa.UniqueConstraint("product_key", name=op.f("uq_product_product_key")),
        comment="Products, models and chips named in the sources.",
    )
    op.create_table(
        "segment",
        _id("segment"),
        sa.Column(
            "segment_key",
            sa.String(length=64),
            nullable=False,
            comment="Natural key used in seed files, e.g. samsung-ds.",
        ),
        sa.Column(
            "company_id",
            sa.BigInteger(),
            nullable=False,
            comment="Company the segment belongs to.",
        ),
        sa.Column("segment_name", sa.String(length=200), nullable=False, comment="Display name."),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.company_id"], name=op.f("fk_segment_company_id_company")
        ),
        sa.PrimaryKeyConstraint("segment_id", name=op.f("pk_segment")),
        sa.UniqueConstraint("segment_key", name=op.f("uq_segment_segment_key")),
        comment="Business segments of a company a figure may be about, e.g. semiconductors.",
    )


def _drop_naming_column() -> None:
    """DuckDB cannot drop a column of a table other tables' foreign keys reference: product and
    segment are carried out, and back, around it."""
    if op.get_context().dialect.name != "duckdb":
        op.drop_column("company", "fiscal_year_named_by")
        return
    for table in ("product", "segment"):
        op.execute(f"create temp table carry_{table} as select * from {table}")
        op.drop_table(table)
    op.drop_column("company", "fiscal_year_named_by")
    _products_and_segments()
    for table in ("product", "segment"):
        op.execute(f"insert into {table} select * from carry_{table}")
        op.execute(f"drop table carry_{table}")


def upgrade() -> None:
    op.add_column(
        "company",
        sa.Column(
            "fiscal_year_named_by",
            sa.String(length=8),
            nullable=True,
            comment="How the company names its fiscal years: end (FY2017 ends in 2017, as Apple) "
            "or start (fiscal 2017 starts in 2017, as SoftBank); NULL = end.",
        ),
    )
    if op.get_context().dialect.name != "duckdb":
        op.create_check_constraint(
            op.f("ck_company_fiscal_naming_domain"),
            "company",
            "fiscal_year_named_by is null or fiscal_year_named_by in ('end', 'start')",
        )
    op.execute("create temp table carry_statement as select * from statement")
    op.drop_table("statement")
    _statement_table(NEW_BASES, NEW_UNIQUE, in_time=True)
    op.execute(CARRY_FORWARD)
    op.execute(KNOWN_UNTIL)
    op.execute("drop table carry_statement")


def downgrade() -> None:
    collided = op.get_bind().exec_driver_sql(COLLISIONS).scalar()
    if collided:
        raise CommandError(
            f"the mart holds what revision {down_revision} cannot: {collided} facts are stated "
            "by one source more than once (at several dates, or in several wordings); "
            "nothing was changed"
        )
    op.execute("create temp table carry_statement as select * from statement")
    op.drop_table("statement")
    _statement_table(OLD_BASES, OLD_UNIQUE, in_time=False)
    op.execute(CARRY_BACK)
    op.execute("drop table carry_statement")
    _drop_naming_column()
