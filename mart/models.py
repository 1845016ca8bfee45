"""The mart's tables: dimensions (company, source, period, region, product, metric) and facts.

Three fact tables, one per subject an analyst asks about: company metrics, patents and stores.
Every fact row is one statement by one source and carries its provenance: the exact quote and
its character offsets in the source text. Several sources stating the same figure give several
rows; the views count how many agree.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    Sequence,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from mart.db import Base

BASES = ("reported", "derived", "target", "expected", "approximate")
GRAINS = ("day", "month", "quarter", "half", "year", "range")
UNITS = ("units", "CNY", "USD", "percent", "share", "rank", "patents", "stores", "people", "flag")
CURRENCIES = ("CNY", "USD")
COUNT_UNITS = ("units", "people", "rank", "CNY", "USD", "patents", "stores")  # never negative
WHOLE_UNITS = ("patents", "stores", "rank")  # whole numbers only
FACT_TABLES = ("metric_fact", "patent_fact", "store_fact")
REGION_KINDS = ("world", "country")
PRODUCT_KINDS = ("smartphone", "chipset", "other")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} in ({', '.join(repr(v) for v in values)})"


def _id_column(table: str, comment: str) -> Mapped[int]:
    # DuckDB has no SERIAL/IDENTITY; a named sequence works on DuckDB and PostgreSQL alike.
    seq = Sequence(f"{table}_id_seq")
    return mapped_column(
        BigInteger, seq, primary_key=True, server_default=seq.next_value(), comment=comment
    )


class Company(Base):
    __tablename__ = "company"
    __table_args__ = {"comment": "Companies the sources report on. One row per company."}

    company_id: Mapped[int] = _id_column("company", "Surrogate key.")
    company_key: Mapped[str] = mapped_column(
        String(64), unique=True, comment="Natural key used in seed files, e.g. xiaomi."
    )
    company_name: Mapped[str] = mapped_column(String(200), comment="Display name, e.g. Xiaomi.")


class Source(Base):
    __tablename__ = "source"
    __table_args__ = (
        CheckConstraint("length(text_sha256) = 64", name="sha256_length"),
        {"comment": "Source documents (news articles or our summaries of them), with full text."},
    )

    source_id: Mapped[int] = _id_column("source", "Surrogate key.")
    source_key: Mapped[str] = mapped_column(
        String(200), unique=True, comment="Natural key: the seed file's name without extension."
    )
    title: Mapped[str] = mapped_column(Text, comment="Title of the article or summary.")
    publisher: Mapped[str | None] = mapped_column(
        String(200), comment="Who published the original; NULL where the corpus does not say."
    )
    url: Mapped[str | None] = mapped_column(Text, comment="Address of the original article.")
    is_summary: Mapped[bool] = mapped_column(
        Boolean, comment="True when the stored text is our summary, not the original wording."
    )
    published_on: Mapped[date] = mapped_column(Date, comment="Publication date of the source.")
    text_sha256: Mapped[str] = mapped_column(
        String(64), comment="SHA-256 of the source text file, hex; changes when the text changes."
    )
    facts_sha256: Mapped[str] = mapped_column(
        String(64),
        comment="SHA-256 of the YAML fact file, or of the source's rows in a bulk file; "
        "a source whose text and facts are unchanged is skipped on reload.",
    )
    body: Mapped[str] = mapped_column(Text, comment="Full source text; quote offsets point here.")
    loaded_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.current_timestamp(), comment="When this source was loaded."
    )


class Period(Base):
    __tablename__ = "period"
    __table_args__ = (
        CheckConstraint(_in("grain", GRAINS), name="grain_domain"),
        CheckConstraint("start_on <= end_on", name="start_before_end"),
        {"comment": "Calendar periods facts refer to, resolved from the source's wording."},
    )

    period_id: Mapped[int] = _id_column("period", "Surrogate key.")
    period_label: Mapped[str] = mapped_column(
        String(32),
        unique=True,
        comment="Canonical label: 2017-Q2, 2017-H1, 2016, 2017-02, 2017-07-07, "
        "or an ISO interval 2017-07-08/2018-07-07; open ends use '..'.",
    )
    grain: Mapped[str] = mapped_column(
        String(16), comment="day, month, quarter, half, year or range."
    )
    start_on: Mapped[date | None] = mapped_column(
        Date, comment="First day of the period; NULL when open-ended."
    )
    end_on: Mapped[date | None] = mapped_column(
        Date, comment="Last day of the period (inclusive); NULL when open-ended."
    )


class Region(Base):
    __tablename__ = "region"
    __table_args__ = (
        CheckConstraint(_in("region_kind", REGION_KINDS), name="kind_domain"),
        {"comment": "Markets and regions facts apply to; 'global' when a fact names none."},
    )

    region_id: Mapped[int] = _id_column("region", "Surrogate key.")
    region_key: Mapped[str] = mapped_column(
        String(64), unique=True, comment="Natural key used in seed files, e.g. india."
    )
    region_name: Mapped[str] = mapped_column(String(200), comment="Display name, e.g. India.")
    region_kind: Mapped[str] = mapped_column(String(16), comment="world or country.")


class Product(Base):
    __tablename__ = "product"
    __table_args__ = (
        CheckConstraint(_in("product_kind", PRODUCT_KINDS), name="kind_domain"),
        {"comment": "Products and chips named in the sources."},
    )

    product_id: Mapped[int] = _id_column("product", "Surrogate key.")
    product_key: Mapped[str] = mapped_column(
        String(64), unique=True, comment="Natural key used in seed files, e.g. redmi-note-4."
    )
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.company_id"), comment="Company that makes the product."
    )
    product_name: Mapped[str] = mapped_column(String(200), comment="Display name.")
    product_kind: Mapped[str] = mapped_column(String(16), comment="smartphone, chipset or other.")


class Metric(Base):
    __tablename__ = "metric"
    __table_args__ = (
        CheckConstraint(_in("unit", (*UNITS, "currency")), name="unit_domain"),
        CheckConstraint(_in("fact_table", FACT_TABLES), name="fact_table_domain"),
        {"comment": "Catalogue of metric definitions: what a figure means and its unit."},
    )

    metric_id: Mapped[int] = _id_column("metric", "Surrogate key.")
    metric_key: Mapped[str] = mapped_column(
        String(64),
        unique=True,
        comment="Natural key used in seed files, e.g. smartphone_shipments.",
    )
    metric_name: Mapped[str] = mapped_column(String(200), comment="Short display name.")
    unit: Mapped[str] = mapped_column(
        String(16), comment="Base unit of the value; 'currency' means any ISO currency code."
    )
    fact_table: Mapped[str] = mapped_column(String(32), comment="Fact table that holds it.")
    ranked_by: Mapped[str | None] = mapped_column(
        String(200), comment="For rank metrics: what the ranking measures."
    )
    description: Mapped[str] = mapped_column(Text, comment="What the metric means, in full.")


class FactColumns:
    """Columns every fact table shares: dimensions, basis and provenance."""

    @declared_attr
    def source_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("source.source_id"), comment="Source stating the fact.")

    @declared_attr
    def metric_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("metric.metric_id"), comment="What the figure measures.")

    @declared_attr
    def company_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("company.company_id"), comment="Company it is about.")

    @declared_attr
    def period_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("period.period_id"), comment="Period it refers to.")

    @declared_attr
    def region_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("region.region_id"), comment="Market or region.")

    basis: Mapped[str] = mapped_column(
        String(16), comment="reported, derived, target, expected or approximate."
    )
    period_wording: Mapped[str] = mapped_column(
        Text, comment="The period as the source words it, e.g. 'last year'."
    )
    wording: Mapped[str | None] = mapped_column(
        Text, comment="The figure as the source words it, e.g. '23.16 million smartphones'."
    )
    quote: Mapped[str] = mapped_column(Text, comment="Exact sentence or phrase stating the fact.")
    quote_start: Mapped[int] = mapped_column(
        Integer, comment="Offset of the quote's first character in source.body (0-based)."
    )
    quote_end: Mapped[int] = mapped_column(
        Integer, comment="Offset just past the quote's last character in source.body."
    )


def _fact_checks() -> tuple[CheckConstraint, ...]:
    return (
        CheckConstraint(_in("basis", BASES), name="basis_domain"),
        CheckConstraint("quote_start >= 0 and quote_end > quote_start", name="quote_span"),
    )


class MetricFact(FactColumns, Base):
    __tablename__ = "metric_fact"
    __table_args__ = (
        *_fact_checks(),
        CheckConstraint(_in("unit", UNITS), name="unit_domain"),
        CheckConstraint(
            "value is null or unit not in ('units', 'people', 'rank', 'CNY', 'USD') or value >= 0",
            name="counts_non_negative",
        ),
        CheckConstraint(
            "value is null or unit <> 'share' or value between 0 and 1", name="share_0_1"
        ),
        CheckConstraint("value is null or unit <> 'flag' or value in (0, 1)", name="flag_0_1"),
        UniqueConstraint(
            "source_id",
            "metric_id",
            "company_id",
            "period_id",
            "region_id",
            "product_id",
            "unit",
            name="uq_metric_fact_statement",
        ),
        {
            "comment": "Company metrics as stated by a source: shipments, growth, revenue, ranks, "
            "targets, launches. One row per statement."
        },
    )

    metric_fact_id: Mapped[int] = _id_column("metric_fact", "Surrogate key.")
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("product.product_id"), comment="Product the fact is about, if any."
    )
    value: Mapped[Decimal | None] = mapped_column(
        Numeric(24, 6), comment="Value in base units (23.16 million -> 23160000); NULL if unstated."
    )
    unit: Mapped[str] = mapped_column(
        String(16),
        comment="units, CNY, USD, percent, share (0..1), rank, people or flag (1 = yes).",
    )


class PatentFact(FactColumns, Base):
    __tablename__ = "patent_fact"
    __table_args__ = (
        *_fact_checks(),
        CheckConstraint("patent_count >= 0", name="count_non_negative"),
        CheckConstraint("share between 0 and 1", name="share_0_1"),
        CheckConstraint("patent_count is null or share is null", name="count_or_share"),
        UniqueConstraint(
            "source_id",
            "metric_id",
            "company_id",
            "period_id",
            "region_id",
            name="uq_patent_fact_statement",
        ),
        {"comment": "Patent applications and grants as stated by a source."},
    )

    patent_fact_id: Mapped[int] = _id_column("patent_fact", "Surrogate key.")
    patent_count: Mapped[int | None] = mapped_column(
        BigInteger, comment="Number of patents, for count metrics (filed, granted)."
    )
    share: Mapped[Decimal | None] = mapped_column(
        Numeric(9, 6), comment="Share 0..1, for share metrics (international share of granted)."
    )


class StoreFact(FactColumns, Base):
    __tablename__ = "store_fact"
    __table_args__ = (
        *_fact_checks(),
        CheckConstraint("store_count >= 0", name="count_non_negative"),
        UniqueConstraint(
            "source_id",
            "metric_id",
            "company_id",
            "period_id",
            "region_id",
            "store_brand",
            name="uq_store_fact_statement",
        ),
        {"comment": "Retail store counts (open, planned) as stated by a source, as of a date."},
    )

    store_fact_id: Mapped[int] = _id_column("store_fact", "Surrogate key.")
    store_brand: Mapped[str] = mapped_column(String(100), comment="Store chain, e.g. Mi Home.")
    store_count: Mapped[int | None] = mapped_column(
        BigInteger, comment="Number of stores; NULL when the source gives no count."
    )


FACT_MODELS: dict[str, type[MetricFact] | type[PatentFact] | type[StoreFact]] = {
    "metric_fact": MetricFact,
    "patent_fact": PatentFact,
    "store_fact": StoreFact,
}
