"""One statement table for every fact; units, currencies, region and product kinds as data.

What metric_fact, patent_fact and store_fact each repeated (source, period and its wording,
quote and offsets) now lives once, in `statement`, beside what is new: a value's bound
(exact, about, at_least, at_most, range with value_high) and stated precision, who the source
says gives the figure (attribution), a business segment, a fiscal label, and the seed file and
line each statement came from. Units and ISO 4217 currencies are rows of `unit`; region and
product kinds are rows of their own tables; companies may declare a fiscal calendar; metrics
declare how they relate (growth of, share of, target of, record of).

Existing facts are carried forward: `approximate` becomes basis `reported` with bound `about`,
every other statement is `exact`, and the stated precision is read off the value's digits.
The downgrade carries them back, and refuses (changing nothing) when a statement uses what the
earlier schema cannot hold: a bound other than exact/about, an attribution, a segment, a new
unit, currency, basis or kind.

Region, product and metric are rebuilt (copied out, dropped, created, copied back): DuckDB
cannot drop the CHECK constraints that held their domains. As in the previous revision, DuckDB
gets no keys on the statement table (the loader guarantees them, `mart check` verifies them).

Revision ID: c3a8e5f1d303
Revises: b7e4c9a5d202
Create Date: 2026-12-01 09:40:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from alembic.util import CommandError

revision: str = "c3a8e5f1d303"
down_revision: str | None = "b7e4c9a5d202"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEQUENCES = ("statement_id_seq", "segment_id_seq", "attribution_id_seq")
OLD_FACT_SEQUENCES = ("metric_fact_id_seq", "patent_fact_id_seq", "store_fact_id_seq")
OLD_UNITS = (
    "units",
    "CNY",
    "USD",
    "percent",
    "share",
    "rank",
    "patents",
    "stores",
    "people",
    "flag",
)
OLD_REGION_KINDS = ("world", "country")
OLD_PRODUCT_KINDS = ("smartphone", "chipset", "other")
# The founding units and the rules the earlier schema held as CHECK constraints:
# (unit, name, minimum, maximum, is_whole).
FOUNDING_UNITS = (
    ("units", "Units (devices, vehicles)", 0, None, False),
    ("percent", "Percent", None, None, False),
    ("share", "Share (0..1)", 0, 1, False),
    ("rank", "Rank (1 = first)", 0, None, True),
    ("patents", "Patents", 0, None, True),
    ("stores", "Stores", 0, None, True),
    ("people", "People", 0, None, False),
    ("flag", "Flag (1 = yes, 0 = no)", 0, 1, True),
)
FOUNDING_REGION_KINDS = (
    ("world", "The whole world."),
    ("country", "One country."),
)
FOUNDING_PRODUCT_KINDS = (
    ("smartphone", "A smartphone model."),
    ("chipset", "A chip or chipset."),
    ("other", "Any other product."),
)
# The stated precision of a carried-forward value: the place of its last non-zero digit
# (23160000 -> 10000, 7071 -> 1, 0.5 -> 0.1).
PLACES = [10**k for k in range(17, -1, -1)] + [f"0.{'0' * k}1" for k in range(6)]


def _keys(*constraints: sa.Constraint) -> tuple[sa.Constraint, ...]:
    """Key constraints for the statement table, except on DuckDB (see the module docstring)."""
    return () if op.get_context().dialect.name == "duckdb" else constraints


def _id(name: str) -> sa.Column[int]:
    return sa.Column(
        f"{name}_id",
        sa.BigInteger(),
        server_default=sa.text(f"nextval('{name}_id_seq')"),
        nullable=False,
        comment="Surrogate key.",
    )


def _literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _insert(table: str, columns: str, rows: Sequence[tuple[object, ...]]) -> None:
    values = ", ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in rows)
    op.execute(f"insert into {table} ({columns}) values {values}")


def _precision(column: str) -> str:
    cases = " ".join(f"when {column} % {place} = 0 then {place}" for place in PLACES)
    return f"case when {column} is null or {column} = 0 then null {cases} end"


def _carry_out(table: str) -> None:
    op.execute(f"create temp table carry_{table} as select * from {table}")
    op.drop_table(table)


def _carry_in(table: str, columns: str, select: str) -> None:
    op.execute(f"insert into {table} ({columns}) select {select} from carry_{table}")
    op.execute(f"drop table carry_{table}")


def _kind_tables() -> None:
    op.create_table(
        "region_kind",
        sa.Column(
            "region_kind",
            sa.String(length=32),
            nullable=False,
            comment="Natural key, e.g. country.",
        ),
        sa.Column("description", sa.Text(), nullable=False, comment="What the kind covers."),
        sa.PrimaryKeyConstraint("region_kind", name=op.f("pk_region_kind")),
        comment="Kinds of region the catalogue declares: world, region, country.",
    )
    op.create_table(
        "product_kind",
        sa.Column(
            "product_kind",
            sa.String(length=32),
            nullable=False,
            comment="Natural key, e.g. smartphone.",
        ),
        sa.Column("description", sa.Text(), nullable=False, comment="What the kind covers."),
        sa.PrimaryKeyConstraint("product_kind", name=op.f("pk_product_kind")),
        comment="Kinds of product the catalogue declares: smartphone, vehicle.",
    )
    op.create_table(
        "unit",
        sa.Column(
            "unit",
            sa.String(length=16),
            nullable=False,
            comment="Unit key, e.g. units, percent, USD, KRW.",
        ),
        sa.Column("unit_name", sa.String(length=200), nullable=False, comment="Display name."),
        sa.Column(
            "is_currency",
            sa.Boolean(),
            nullable=False,
            comment="True for an ISO 4217 currency code.",
        ),
        sa.Column(
            "minimum",
            sa.Numeric(precision=24, scale=6),
            nullable=True,
            comment="Smallest value allowed, e.g. 0 for counts; NULL for none.",
        ),
        sa.Column(
            "maximum",
            sa.Numeric(precision=24, scale=6),
            nullable=True,
            comment="Largest value allowed, e.g. 1 for a share; NULL for none.",
        ),
        sa.Column(
            "is_whole",
            sa.Boolean(),
            nullable=False,
            comment="True when values must be whole numbers (ranks, patents, stores).",
        ),
        sa.PrimaryKeyConstraint("unit", name=op.f("pk_unit")),
        comment="Units a value may be in: ISO 4217 currencies and the catalogue's units.",
    )
    _insert("region_kind", "region_kind, description", FOUNDING_REGION_KINDS)
    _insert("product_kind", "product_kind, description", FOUNDING_PRODUCT_KINDS)
    _insert("unit", "unit, unit_name, minimum, maximum, is_whole, is_currency",
            [(*row, False) for row in FOUNDING_UNITS])  # fmt: skip
    _insert("unit", "unit, unit_name, minimum, maximum, is_whole, is_currency",
            [(code, name, None, None, False, True) for code, name in CURRENCIES])  # fmt: skip


def _new_dimensions() -> None:
    op.create_table(
        "region",
        _id("region"),
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
        sa.Column(
            "region_kind",
            sa.String(length=32),
            nullable=False,
            comment="world, region or country (region_kind).",
        ),
        sa.ForeignKeyConstraint(
            ["region_kind"],
            ["region_kind.region_kind"],
            name=op.f("fk_region_region_kind_region_kind"),
        ),
        sa.PrimaryKeyConstraint("region_id", name=op.f("pk_region")),
        sa.UniqueConstraint("region_key", name=op.f("uq_region_region_key")),
        comment="Markets and regions facts apply to; 'global' when a fact names none.",
    )
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
        "metric",
        _id("metric"),
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
            comment="Unit of the value; 'currency' means any ISO currency code.",
        ),
        sa.Column(
            "subject",
            sa.String(length=16),
            nullable=False,
            comment="metric (a company metric), patent or store (needs a store brand).",
        ),
        sa.Column(
            "ranked_by",
            sa.String(length=200),
            nullable=True,
            comment="For rank metrics: what the ranking measures.",
        ),
        sa.Column(
            "growth_of",
            sa.String(length=64),
            nullable=True,
            comment="For growth rates: the metric key of the level that grows.",
        ),
        sa.Column(
            "compared_with",
            sa.String(length=16),
            nullable=True,
            comment="For growth rates: previous_period or year_earlier.",
        ),
        sa.Column(
            "share_of",
            sa.String(length=64),
            nullable=True,
            comment="For shares: the metric key of the whole.",
        ),
        sa.Column(
            "target_of",
            sa.String(length=64),
            nullable=True,
            comment="For targets: the metric key of the figure targeted.",
        ),
        sa.Column(
            "record_of",
            sa.String(length=64),
            nullable=True,
            comment="For record-high flags: the metric key of the level that is a record.",
        ),
        sa.Column(
            "description", sa.Text(), nullable=False, comment="What the metric means, in full."
        ),
        sa.CheckConstraint(
            "subject in ('metric', 'patent', 'store')", name=op.f("ck_metric_subject_domain")
        ),
        sa.CheckConstraint(
            "compared_with is null or compared_with in ('previous_period', 'year_earlier')",
            name=op.f("ck_metric_compared_with_domain"),
        ),
        sa.CheckConstraint(
            "(growth_of is null) = (compared_with is null)", name=op.f("ck_metric_growth_compares")
        ),
        sa.PrimaryKeyConstraint("metric_id", name=op.f("pk_metric")),
        sa.UniqueConstraint("metric_key", name=op.f("uq_metric_metric_key")),
        comment="Catalogue of metric definitions: what a figure means, its unit, and how "
        "metrics relate (growth of, share of, target of, record of).",
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
    op.create_table(
        "attribution",
        _id("attribution"),
        sa.Column(
            "attribution_key",
            sa.String(length=64),
            nullable=False,
            comment="Natural key used in seed files, e.g. counterpoint.",
        ),
        sa.Column(
            "attribution_name",
            sa.String(length=200),
            nullable=False,
            comment="Display name, e.g. Counterpoint Research or Mukesh Ambani.",
        ),
        sa.Column(
            "attribution_kind",
            sa.String(length=32),
            nullable=False,
            comment="company, executive, research_firm, analyst, regulator or other.",
        ),
        sa.PrimaryKeyConstraint("attribution_id", name=op.f("pk_attribution")),
        sa.UniqueConstraint("attribution_key", name=op.f("uq_attribution_attribution_key")),
        comment="Who a source says gives a figure: the company, an executive, a research firm.",
    )


def _statement_table() -> None:
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
            comment="reported, derived, target, expected or planned.",
        ),
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
            "basis in ('reported', 'derived', 'target', 'expected', 'planned')",
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
                name="uq_statement_fact",
                postgresql_nulls_not_distinct=True,
            ),
        ),
        comment="Figures as stated by a source: one row per statement, with its bound, "
        "attribution, period wording and the exact quote it comes from.",
    )


# The earlier fact tables' rows as statements. Patents carry a count or a share; stores a count.
CARRY_FORWARD = f"""
create temp table carry_statement as
with facts as (
    select source_id, metric_id, company_id, period_id, region_id, product_id,
        cast(null as varchar) as store_brand, value, unit, basis, period_wording, wording,
        quote, quote_start, quote_end
    from metric_fact
    union all
    select source_id, metric_id, company_id, period_id, region_id, cast(null as bigint),
        cast(null as varchar), coalesce(cast(patent_count as numeric(24, 6)), share),
        case when share is null then 'patents' else 'share' end, basis, period_wording,
        wording, quote, quote_start, quote_end
    from patent_fact
    union all
    select source_id, metric_id, company_id, period_id, region_id, cast(null as bigint),
        store_brand, cast(store_count as numeric(24, 6)), 'stores', basis, period_wording,
        wording, quote, quote_start, quote_end
    from store_fact
)
select f.*,
    case when f.basis = 'approximate' then 'about' else 'exact' end as bound,
    case when f.basis = 'approximate' then 'reported' else f.basis end as new_basis,
    {_precision("f.value")} as value_precision,
    f.value - coalesce({_precision("f.value")}, 0) * 0.5 as interval_low,
    f.value + coalesce({_precision("f.value")}, 0) * 0.5 as interval_high,
    s.source_key || '.yaml' as seed_file
from facts as f
inner join source as s on s.source_id = f.source_id
"""


def upgrade() -> None:
    for name in SEQUENCES:
        op.execute(sa.schema.CreateSequence(sa.Sequence(name)))
    _kind_tables()
    op.execute(CARRY_FORWARD)
    for table in ("store_fact", "patent_fact", "metric_fact"):
        op.drop_table(table)
    for name in OLD_FACT_SEQUENCES:
        op.execute(sa.schema.DropSequence(sa.Sequence(name)))
    for table in ("product", "region", "metric"):
        _carry_out(table)
    op.add_column(
        "company",
        sa.Column(
            "fiscal_year_end_month",
            sa.SmallInteger(),
            nullable=True,
            comment="Month (1-12) the company's fiscal year ends in, e.g. 9 for Apple; "
            "NULL = the calendar year.",
        ),
    )
    _new_dimensions()
    _carry_in(
        "region",
        "region_id, region_key, region_name, region_kind",
        "region_id, region_key, region_name, region_kind",
    )
    _carry_in(
        "product",
        "product_id, product_key, company_id, product_name, product_kind",
        "product_id, product_key, company_id, product_name, product_kind",
    )
    _carry_in(
        "metric",
        "metric_id, metric_key, metric_name, unit, subject, ranked_by, description",
        "metric_id, metric_key, metric_name, unit, "
        "case fact_table when 'patent_fact' then 'patent' when 'store_fact' then 'store' "
        "else 'metric' end, ranked_by, description",
    )
    _statement_table()
    op.execute(
        "insert into statement (source_id, metric_id, company_id, period_id, region_id, "
        "product_id, store_brand, value, bound, value_precision, interval_low, interval_high, "
        "unit, basis, period_wording, wording, quote, quote_start, quote_end, seed_file) "
        "select source_id, metric_id, company_id, period_id, region_id, product_id, store_brand, "
        "value, bound, value_precision, interval_low, interval_high, unit, new_basis, "
        "period_wording, wording, quote, "
        "quote_start, quote_end, seed_file from carry_statement "
        "order by source_id, quote_start, metric_id"
    )
    op.execute("drop table carry_statement")


def _older_revision() -> object:
    """The fact tables' own revision, whose upgrade() creates them as they were (frozen code)."""
    path = Path(__file__).with_name("2026_11_25_b7e4c9a5d202_facts.py")
    spec = importlib.util.spec_from_file_location("facts_b7e4c9a5d202", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _old_domains() -> str:
    def listed(values: tuple[str, ...]) -> str:
        return "(" + ", ".join(_literal(v) for v in values) + ")"

    return f"""
    select
        (select count(*) from statement where bound not in ('exact', 'about')
            or (bound = 'about' and basis <> 'reported') or basis = 'planned'
            or attribution_id is not null or segment_id is not null
            or unit not in {listed(OLD_UNITS)}),
        (select count(*) from region where region_kind not in {listed(OLD_REGION_KINDS)}),
        (select count(*) from product where product_kind not in {listed(OLD_PRODUCT_KINDS)}),
        (select count(*) from segment) + (select count(*) from attribution),
        (select count(*) from metric where unit not in {listed((*OLD_UNITS, "currency"))})
    """


def downgrade() -> None:
    counts = op.get_bind().exec_driver_sql(_old_domains()).one()
    if any(counts):
        raise CommandError(
            f"the mart holds what revision {down_revision} cannot: {counts[0]} statements, {counts[1]} regions, "
            f"{counts[2]} products, {counts[3]} segments or attributions and {counts[4]} metrics "
            "use what the earlier schema cannot hold (bounds other than exact/about, "
            "attributions, segments, new units, currencies, bases or kinds); nothing was changed"
        )
    op.execute("create temp table carry_statement as select * from statement")
    op.drop_table("statement")
    for table in ("product", "region", "metric"):
        _carry_out(table)
    op.drop_table("segment")
    op.drop_table("attribution")
    op.drop_column("company", "fiscal_year_end_month")
    for table in ("region_kind", "product_kind", "unit"):
        op.drop_table(table)
    for name in SEQUENCES:
        op.execute(sa.schema.DropSequence(sa.Sequence(name)))
    _old_dimensions()
    _carry_in(
        "region",
        "region_id, region_key, region_name, region_kind",
        "region_id, region_key, region_name, region_kind",
    )
    _carry_in(
        "product",
        "product_id, product_key, company_id, product_name, product_kind",
        "product_id, product_key, company_id, product_name, product_kind",
    )
    _carry_in(
        "metric",
        "metric_id, metric_key, metric_name, unit, fact_table, ranked_by, description",
        "metric_id, metric_key, metric_name, unit, subject || '_fact', ranked_by, description",
    )
    _older_revision().upgrade()  # type: ignore[attr-defined]
    shared = "source_id, metric_id, company_id, period_id, region_id"
    provenance = "period_wording, wording, quote, quote_start, quote_end"
    basis = "case when bound = 'about' then 'approximate' else basis end"
    op.execute(
        f"insert into metric_fact ({shared}, product_id, value, unit, basis, {provenance}) "
        f"select {shared}, product_id, value, unit, {basis}, {provenance} from carry_statement "
        "where unit not in ('patents', 'stores') and store_brand is null "
        "and metric_id in (select metric_id from metric where fact_table = 'metric_fact') "
        "order by statement_id"
    )
    op.execute(
        f"insert into patent_fact ({shared}, patent_count, share, basis, {provenance}) "
        f"select {shared}, case when unit = 'patents' then cast(value as bigint) end, "
        f"case when unit = 'share' then value end, {basis}, {provenance} from carry_statement "
        "where metric_id in (select metric_id from metric where fact_table = 'patent_fact') "
        "order by statement_id"
    )
    op.execute(
        f"insert into store_fact ({shared}, store_brand, store_count, basis, {provenance}) "
        f"select {shared}, store_brand, cast(value as bigint), {basis}, {provenance} "
        "from carry_statement "
        "where metric_id in (select metric_id from metric where fact_table = 'store_fact') "
        "order by statement_id"
    )
    op.execute("drop table carry_statement")


def _old_dimensions() -> None:
    """region, product and metric as revision a1d3f0c2e101 created them."""
    op.create_table(
        "region",
        _id("region"),
        sa.Column("region_key", sa.String(length=64), nullable=False,
                  comment="Natural key used in seed files, e.g. india."),
        sa.Column("region_name", sa.String(length=200), nullable=False,
                  comment="Display name, e.g. India."),
        sa.Column("region_kind", sa.String(length=16), nullable=False, comment="world or country."),
        sa.CheckConstraint("region_kind in ('world', 'country')", name=op.f("ck_region_kind_domain")),
        sa.PrimaryKeyConstraint("region_id", name=op.f("pk_region")),
        sa.UniqueConstraint("region_key", name=op.f("uq_region_region_key")),
        comment="Markets and regions facts apply to; 'global' when a fact names none.",
    )  # fmt: skip
    op.create_table(
        "product",
        _id("product"),
        sa.Column("product_key", sa.String(length=64), nullable=False,
                  comment="Natural key used in seed files, e.g. redmi-note-4."),
        sa.Column("company_id", sa.BigInteger(), nullable=False,
                  comment="Company that makes the product."),
        sa.Column("product_name", sa.String(length=200), nullable=False, comment="Display name."),
        sa.Column("product_kind", sa.String(length=16), nullable=False,
                  comment="smartphone, chipset or other."),
        sa.CheckConstraint("product_kind in ('smartphone', 'chipset', 'other')",
                           name=op.f("ck_product_kind_domain")),
        sa.ForeignKeyConstraint(["company_id"], ["company.company_id"],
                                name=op.f("fk_product_company_id_company")),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_product")),
        sa.UniqueConstraint("product_key", name=op.f("uq_product_product_key")),
        comment="Products and chips named in the sources.",
    )  # fmt: skip
    op.create_table(
        "metric",
        _id("metric"),
        sa.Column("metric_key", sa.String(length=64), nullable=False,
                  comment="Natural key used in seed files, e.g. smartphone_shipments."),
        sa.Column("metric_name", sa.String(length=200), nullable=False,
                  comment="Short display name."),
        sa.Column("unit", sa.String(length=16), nullable=False,
                  comment="Base unit of the value; 'currency' means any ISO currency code."),
        sa.Column("fact_table", sa.String(length=32), nullable=False,
                  comment="Fact table that holds it."),
        sa.Column("ranked_by", sa.String(length=200), nullable=True,
                  comment="For rank metrics: what the ranking measures."),
        sa.Column("description", sa.Text(), nullable=False,
                  comment="What the metric means, in full."),
        sa.CheckConstraint(
            "unit in ('units', 'CNY', 'USD', 'percent', 'share', 'rank', 'patents', 'stores', "
            "'people', 'flag', 'currency')", name=op.f("ck_metric_unit_domain")),
        sa.CheckConstraint("fact_table in ('metric_fact', 'patent_fact', 'store_fact')",
                           name=op.f("ck_metric_fact_table_domain")),
        sa.PrimaryKeyConstraint("metric_id", name=op.f("pk_metric")),
        sa.UniqueConstraint("metric_key", name=op.f("uq_metric_metric_key")),
        comment="Catalogue of metric definitions: what a figure means and its unit.",
    )  # fmt: skip


# ISO 4217 active currency codes (from the iso-codes data, November 2026). Frozen here: a
# currency added later comes in a later revision or the catalogue's units.
CURRENCIES = (
    ("AED", "UAE Dirham"),
    ("AFN", "Afghani"),
    ("ALL", "Lek"),
    ("AMD", "Armenian Dram"),
    ("AOA", "Kwanza"),
    ("ARS", "Argentine Peso"),
    ("AUD", "Australian Dollar"),
    ("AWG", "Aruban Florin"),
    ("AZN", "Azerbaijan Manat"),
    ("BAM", "Convertible Mark"),
    ("BBD", "Barbados Dollar"),
    ("BDT", "Taka"),
    ("BHD", "Bahraini Dinar"),
    ("BIF", "Burundi Franc"),
    ("BMD", "Bermudian Dollar"),
    ("BND", "Brunei Dollar"),
    ("BOB", "Boliviano"),
    ("BOV", "Mvdol"),
    ("BRL", "Brazilian Real"),
    ("BSD", "Bahamian Dollar"),
    ("BTN", "Ngultrum"),
    ("BWP", "Pula"),
    ("BYN", "Belarusian Ruble"),
    ("BZD", "Belize Dollar"),
    ("CAD", "Canadian Dollar"),
    ("CDF", "Congolese Franc"),
    ("CHE", "WIR Euro"),
    ("CHF", "Swiss Franc"),
    ("CHW", "WIR Franc"),
    ("CLF", "Unidad de Fomento"),
    ("CLP", "Chilean Peso"),
    ("CNY", "Yuan Renminbi"),
    ("COP", "Colombian Peso"),
    ("COU", "Unidad de Valor Real"),
    ("CRC", "Costa Rican Colon"),
    ("CUP", "Cuban Peso"),
    ("CVE", "Cabo Verde Escudo"),
    ("CZK", "Czech Koruna"),
    ("DJF", "Djibouti Franc"),
    ("DKK", "Danish Krone"),
    ("DOP", "Dominican Peso"),
    ("DZD", "Algerian Dinar"),
    ("EGP", "Egyptian Pound"),
    ("ERN", "Nakfa"),
    ("ETB", "Ethiopian Birr"),
    ("EUR", "Euro"),
    ("FJD", "Fiji Dollar"),
    ("FKP", "Falkland Islands Pound"),
    ("GBP", "Pound Sterling"),
    ("GEL", "Lari"),
    ("GHS", "Ghana Cedi"),
    ("GIP", "Gibraltar Pound"),
    ("GMD", "Dalasi"),
    ("GNF", "Guinean Franc"),
    ("GTQ", "Quetzal"),
    ("GYD", "Guyana Dollar"),
    ("HKD", "Hong Kong Dollar"),
    ("HNL", "Lempira"),
    ("HTG", "Gourde"),
    ("HUF", "Forint"),
    ("IDR", "Rupiah"),
    ("ILS", "New Israeli Sheqel"),
    ("INR", "Indian Rupee"),
    ("IQD", "Iraqi Dinar"),
    ("IRR", "Iranian Rial"),
    ("ISK", "Iceland Krona"),
    ("JMD", "Jamaican Dollar"),
    ("JOD", "Jordanian Dinar"),
    ("JPY", "Yen"),
    ("KES", "Kenyan Shilling"),
    ("KGS", "Som"),
    ("KHR", "Riel"),
    ("KMF", "Comorian Franc"),
    ("KPW", "North Korean Won"),
    ("KRW", "Won"),
    ("KWD", "Kuwaiti Dinar"),
    ("KYD", "Cayman Islands Dollar"),
    ("KZT", "Tenge"),
    ("LAK", "Lao Kip"),
    ("LBP", "Lebanese Pound"),
    ("LKR", "Sri Lanka Rupee"),
    ("LRD", "Liberian Dollar"),
    ("LSL", "Loti"),
    ("LYD", "Libyan Dinar"),
    ("MAD", "Moroccan Dirham"),
    ("MDL", "Moldovan Leu"),
    ("MGA", "Malagasy Ariary"),
    ("MKD", "Denar"),
    ("MMK", "Kyat"),
    ("MNT", "Tugrik"),
    ("MOP", "Pataca"),
    ("MRU", "Ouguiya"),
    ("MUR", "Mauritius Rupee"),
    ("MVR", "Rufiyaa"),
    ("MWK", "Malawi Kwacha"),
    ("MXN", "Mexican Peso"),
    ("MXV", "Mexican Unidad de Inversion (UDI)"),
    ("MYR", "Malaysian Ringgit"),
    ("MZN", "Mozambique Metical"),
    ("NAD", "Namibia Dollar"),
    ("NGN", "Naira"),
    ("NIO", "Cordoba Oro"),
    ("NOK", "Norwegian Krone"),
    ("NPR", "Nepalese Rupee"),
    ("NZD", "New Zealand Dollar"),
    ("OMR", "Rial Omani"),
    ("PAB", "Balboa"),
    ("PEN", "Sol"),
    ("PGK", "Kina"),
    ("PHP", "Philippine Peso"),
    ("PKR", "Pakistan Rupee"),
    ("PLN", "Zloty"),
    ("PYG", "Guarani"),
    ("QAR", "Qatari Rial"),
    ("RON", "Romanian Leu"),
    ("RSD", "Serbian Dinar"),
    ("RUB", "Russian Ruble"),
    ("RWF", "Rwanda Franc"),
    ("SAR", "Saudi Riyal"),
    ("SBD", "Solomon Islands Dollar"),
    ("SCR", "Seychelles Rupee"),
    ("SDG", "Sudanese Pound"),
    ("SEK", "Swedish Krona"),
    ("SGD", "Singapore Dollar"),
    ("SHP", "Saint Helena Pound"),
    ("SLE", "Leone"),
    ("SOS", "Somali Shilling"),
    ("SRD", "Surinam Dollar"),
    ("SSP", "South Sudanese Pound"),
    ("STN", "Dobra"),
    ("SVC", "El Salvador Colon"),
    ("SYP", "Syrian Pound"),
    ("SZL", "Lilangeni"),
    ("THB", "Baht"),
    ("TJS", "Somoni"),
    ("TMT", "Turkmenistan New Manat"),
    ("TND", "Tunisian Dinar"),
    ("TOP", "Pa'anga"),
    ("TRY", "Turkish Lira"),
    ("TTD", "Trinidad and Tobago Dollar"),
    ("TWD", "New Taiwan Dollar"),
    ("TZS", "Tanzanian Shilling"),
    ("UAH", "Hryvnia"),
    ("UGX", "Uganda Shilling"),
    ("USD", "US Dollar"),
    ("USN", "US Dollar (Next day)"),
    ("UYI", "Uruguay Peso en Unidades Indexadas (UI)"),
    ("UYU", "Peso Uruguayo"),
    ("UYW", "Unidad Previsional"),
    ("UZS", "Uzbekistan Sum"),
    ("VED", "Bolívar Soberano"),
    ("VES", "Bolívar Soberano"),
    ("VND", "Dong"),
    ("VUV", "Vatu"),
    ("WST", "Tala"),
    ("XAD", "Arab Accounting Dinar"),
    ("XAF", "CFA Franc BEAC"),
    ("XAG", "Silver"),
    ("XAU", "Gold"),
    ("XBA", "Bond Markets Unit European Composite Unit (EURCO)"),
    ("XBB", "Bond Markets Unit European Monetary Unit (E.M.U.-6)"),
    ("XBC", "Bond Markets Unit European Unit of Account 9 (E.U.A.-9)"),
    ("XBD", "Bond Markets Unit European Unit of Account 17 (E.U.A.-17)"),
    ("XCD", "East Caribbean Dollar"),
    ("XCG", "Caribbean Guilder"),
    ("XDR", "SDR (Special Drawing Right)"),
    ("XOF", "CFA Franc BCEAO"),
    ("XPD", "Palladium"),
    ("XPF", "CFP Franc"),
    ("XPT", "Platinum"),
    ("XSU", "Sucre"),
    ("XTS", "Codes specifically reserved for testing purposes"),
    ("XUA", "ADB Unit of Account"),
    ("XXX", "The codes assigned for transactions where no currency is involved"),
    ("YER", "Yemeni Rial"),
    ("ZAR", "Rand"),
    ("ZMW", "Zambian Kwacha"),
    ("ZWG", "Zimbabwe Gold"),
)
