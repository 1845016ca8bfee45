"""The mart's tables: dimensions (company, source, period, region, product, segment, attribution,
unit, metric) and one statement table.

Every row of `statement` is one figure as one source states it: what it measures (metric), of
whom (company), where (region), of what (product, segment, store brand), when (period), who the
source says gives it (attribution), the value with its bound, and its provenance: the exact
quote and its character offsets in the source text. What every fact shares lives once, here;
the kind of subject (company metric, patent, store) is the metric's `subject` in the catalogue.
Several sources stating the same figure give several rows; the views say how far they agree.

Domains that are data (units, currencies, region kinds, product kinds) are tables that the
catalogue and seed files fill; the ones that are the model's own grammar (bases, bounds, grains,
subjects) are the tuples below, used by the constraints and the loader alike.
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
    Index,
    Integer,
    Numeric,
    Sequence,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from mart.db import Base
from mart.vocabulary import BASES, BOUNDS, FISCAL_NAMINGS, FORWARD_BASES

__all__ = ["BASES", "BOUNDS", "FORWARD_BASES"]  # the model's grammar, from the vocabulary

GRAINS = ("day", "month", "quarter", "half", "year", "range")
# The subject a metric is about; store metrics name a store brand.
SUBJECTS = ("metric", "patent", "store")
# How a growth metric compares its level: with the period just before, or a year earlier.
COMPARISONS = ("previous_period", "year_earlier")
# What a share is a share of: the company's own total (a segment's share of its revenue) or the
# whole market's (a vendor's share of a country's shipments).
SHARE_WHOLES = ("company", "market")
# The dimension a total is the sum of, where a source gives every part (statement.sum_of).
PART_DIMENSIONS = ("segment", "product", "region")
# A metric's unit may be 'currency': each statement then names its ISO 4217 currency code.
ANY_CURRENCY = "currency"
NUMERIC = Numeric(24, 6)  # every value in base units: 18 digits before the point, 6 after


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
    __table_args__ = (
        CheckConstraint(
            f"fiscal_year_named_by is null or {_in('fiscal_year_named_by', FISCAL_NAMINGS)}",
            name="fiscal_naming_domain",
        ),
        {"comment": "Companies the sources report on. One row per company."},
    )

    company_id: Mapped[int] = _id_column("company", "Surrogate key.")
    company_key: Mapped[str] = mapped_column(
        String(64), unique=True, comment="Natural key used in seed files, e.g. xiaomi."
    )
    company_name: Mapped[str] = mapped_column(String(200), comment="Display name, e.g. Xiaomi.")
    fiscal_year_end_month: Mapped[int | None] = mapped_column(
        SmallInteger,
        comment="Month (1-12) the company's fiscal year ends in, e.g. 9 for Apple; "
        "NULL = the calendar year.",
    )
    fiscal_year_named_by: Mapped[str | None] = mapped_column(
        String(8),
        comment="How the company names its fiscal years: end (FY2017 ends in 2017, as Apple) "
        "or start (fiscal 2017 starts in 2017, as SoftBank); NULL = end.",
    )


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


class RegionKind(Base):
    __tablename__ = "region_kind"
    __table_args__ = {"comment": "Kinds of region the catalogue declares: world, region, country."}

    region_kind: Mapped[str] = mapped_column(
        String(32), primary_key=True, comment="Natural key, e.g. country."
    )
    description: Mapped[str] = mapped_column(Text, comment="What the kind covers.")


class Region(Base):
    __tablename__ = "region"
    __table_args__ = {
        "comment": "Markets and regions facts apply to; 'global' when a fact names none."
    }

    region_id: Mapped[int] = _id_column("region", "Surrogate key.")
    region_key: Mapped[str] = mapped_column(
        String(64), unique=True, comment="Natural key used in seed files, e.g. india."
    )
    region_name: Mapped[str] = mapped_column(String(200), comment="Display name, e.g. India.")
    region_kind: Mapped[str] = mapped_column(
        ForeignKey("region_kind.region_kind"), comment="world, region or country (region_kind)."
    )


class ProductKind(Base):
    __tablename__ = "product_kind"
    __table_args__ = {"comment": "Kinds of product the catalogue declares: smartphone, vehicle."}

    product_kind: Mapped[str] = mapped_column(
        String(32), primary_key=True, comment="Natural key, e.g. smartphone."
    )
    description: Mapped[str] = mapped_column(Text, comment="What the kind covers.")


class Product(Base):
    __tablename__ = "product"
    __table_args__ = {"comment": "Products, models and chips named in the sources."}

    product_id: Mapped[int] = _id_column("product", "Surrogate key.")
    product_key: Mapped[str] = mapped_column(
        String(64), unique=True, comment="Natural key used in seed files, e.g. redmi-note-4."
    )
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.company_id"), comment="Company that makes the product."
    )
    product_name: Mapped[str] = mapped_column(String(200), comment="Display name.")
    product_kind: Mapped[str] = mapped_column(
        ForeignKey("product_kind.product_kind"), comment="Kind of product (product_kind)."
    )


class Segment(Base):
    __tablename__ = "segment"
    __table_args__ = {
        "comment": "Business segments of a company a figure may be about, e.g. semiconductors."
    }

    segment_id: Mapped[int] = _id_column("segment", "Surrogate key.")
    segment_key: Mapped[str] = mapped_column(
        String(64), unique=True, comment="Natural key used in seed files, e.g. samsung-ds."
    )
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.company_id"), comment="Company the segment belongs to."
    )
    segment_name: Mapped[str] = mapped_column(String(200), comment="Display name.")


class Attribution(Base):
    __tablename__ = "attribution"
    __table_args__ = {
        "comment": "Who a source says gives a figure: the company, an executive, a research firm."
    }

    attribution_id: Mapped[int] = _id_column("attribution", "Surrogate key.")
    attribution_key: Mapped[str] = mapped_column(
        String(64), unique=True, comment="Natural key used in seed files, e.g. counterpoint."
    )
    attribution_name: Mapped[str] = mapped_column(
        String(200), comment="Display name, e.g. Counterpoint Research or Mukesh Ambani."
    )
    attribution_kind: Mapped[str] = mapped_column(
        String(32), comment="company, executive, research_firm, analyst, regulator or other."
    )


class Unit(Base):
    __tablename__ = "unit"
    __table_args__ = {
        "comment": "Units a value may be in: ISO 4217 currencies and the catalogue's units."
    }

    unit: Mapped[str] = mapped_column(
        String(16), primary_key=True, comment="Unit key, e.g. units, percent, USD, KRW."
    )
    unit_name: Mapped[str] = mapped_column(String(200), comment="Display name.")
    is_currency: Mapped[bool] = mapped_column(
        Boolean, comment="True for an ISO 4217 currency code."
    )
    minimum: Mapped[Decimal | None] = mapped_column(
        NUMERIC, comment="Smallest value allowed, e.g. 0 for counts; NULL for none."
    )
    maximum: Mapped[Decimal | None] = mapped_column(
        NUMERIC, comment="Largest value allowed, e.g. 1 for a share; NULL for none."
    )
    is_whole: Mapped[bool] = mapped_column(
        Boolean, comment="True when values must be whole numbers (ranks, patents, stores)."
    )


class Metric(Base):
    __tablename__ = "metric"
    __table_args__ = (
        CheckConstraint(_in("subject", SUBJECTS), name="subject_domain"),
        CheckConstraint(
            f"compared_with is null or {_in('compared_with', COMPARISONS)}",
            name="compared_with_domain",
        ),
        CheckConstraint("(growth_of is null) = (compared_with is null)", name="growth_compares"),
        CheckConstraint(
            f"change_compared_with is null or {_in('change_compared_with', COMPARISONS)}",
            name="change_compared_with_domain",
        ),
        CheckConstraint(
            "(change_of is null) = (change_compared_with is null)", name="change_compares"
        ),
        CheckConstraint(
            "(ratio_numerator is null) = (ratio_denominator is null)", name="ratio_has_both"
        ),
        CheckConstraint(
            f"share_within is null or {_in('share_within', SHARE_WHOLES)}",
            name="share_within_domain",
        ),
        {
            "comment": "Catalogue of metric definitions: what a figure means, its unit, and how "
            "metrics relate (growth of, change of, ratio of, share of, target of, record of)."
        },
    )

    metric_id: Mapped[int] = _id_column("metric", "Surrogate key.")
    metric_key: Mapped[str] = mapped_column(
        String(64),
        unique=True,
        comment="Natural key used in seed files, e.g. smartphone_shipments.",
    )
    metric_name: Mapped[str] = mapped_column(String(200), comment="Short display name.")
    unit: Mapped[str] = mapped_column(
        String(16), comment="Unit of the value; 'currency' means any ISO currency code."
    )
    subject: Mapped[str] = mapped_column(
        String(16), comment="metric (a company metric), patent or store (needs a store brand)."
    )
    ranked_by: Mapped[str | None] = mapped_column(
        String(200), comment="For rank metrics: what the ranking measures."
    )
    growth_of: Mapped[str | None] = mapped_column(
        String(64), comment="For growth rates: the metric key of the level that grows."
    )
    compared_with: Mapped[str | None] = mapped_column(
        String(16), comment="For growth rates: previous_period or year_earlier."
    )
    share_of: Mapped[str | None] = mapped_column(
        String(64), comment="For shares: the metric key of the whole."
    )
    target_of: Mapped[str | None] = mapped_column(
        String(64), comment="For targets: the metric key of the figure targeted."
    )
    record_of: Mapped[str | None] = mapped_column(
        String(64), comment="For record-high flags: the metric key of the level that is a record."
    )
    as_of: Mapped[bool] = mapped_column(
        Boolean,
        server_default=false(),
        comment="True when figures are counts at a date (subscribers, stores): compared by the "
        "day they are counted on, the period's last day.",
    )
    change_of: Mapped[str | None] = mapped_column(
        String(64), comment="For absolute changes: the metric key of the level that changes."
    )
    change_compared_with: Mapped[str | None] = mapped_column(
        String(16), comment="For absolute changes: previous_period or year_earlier."
    )
    ratio_numerator: Mapped[str | None] = mapped_column(
        String(64),
        comment="For ratios (margins, per-share, average prices): the metric key over the "
        "denominator; a percent ratio is 100 times the quotient.",
    )
    ratio_denominator: Mapped[str | None] = mapped_column(
        String(64), comment="For ratios: the metric key the numerator is divided by."
    )
    share_within: Mapped[str | None] = mapped_column(
        String(16),
        comment="For shares: company (of the company's own total) or market (of the whole "
        "market's total).",
    )
    description: Mapped[str] = mapped_column(Text, comment="What the metric means, in full.")


class Statement(Base):
    __tablename__ = "statement"
    __table_args__ = (
        CheckConstraint(_in("basis", BASES), name="basis_domain"),
        CheckConstraint(_in("bound", BOUNDS), name="bound_domain"),
        CheckConstraint("(bound = 'range') = (value_high is not null)", name="range_has_high"),
        CheckConstraint("value_high is null or value_high >= value", name="range_ordered"),
        CheckConstraint("quote_start >= 0 and quote_end > quote_start", name="quote_span"),
        CheckConstraint(
            f"sum_of is null or {_in('sum_of', PART_DIMENSIONS)}", name="sum_of_domain"
        ),
        UniqueConstraint(
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
            "stated_on",
            "quote_start",
            name="uq_statement_fact",
            postgresql_nulls_not_distinct=True,
        ),
        # PostgreSQL only (migration e7b7fa523ede): one company's figures without a full scan.
        Index("ix_statement_company_id", "company_id"),
        {
            "comment": "Figures as stated by a source: one row per statement, with its bound, "
            "attribution, period wording and the exact quote it comes from."
        },
    )

    statement_id: Mapped[int] = _id_column("statement", "Surrogate key.")
    source_id: Mapped[int] = mapped_column(
        ForeignKey("source.source_id"), comment="Source stating the figure."
    )
    metric_id: Mapped[int] = mapped_column(
        ForeignKey("metric.metric_id"), comment="What the figure measures."
    )
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.company_id"),
        comment="Company it is about; NULL for a figure about the whole market of the region.",
    )
    period_id: Mapped[int] = mapped_column(
        ForeignKey("period.period_id"), comment="Calendar period it refers to."
    )
    region_id: Mapped[int] = mapped_column(
        ForeignKey("region.region_id"), comment="Market or region."
    )
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("product.product_id"), comment="Product the figure is about, if any."
    )
    segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("segment.segment_id"), comment="Business segment the figure is about, if any."
    )
    attribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("attribution.attribution_id"),
        comment="Who the source says gives the figure; NULL when the source gives it itself.",
    )
    store_brand: Mapped[str | None] = mapped_column(
        String(100), comment="Store chain, for store metrics, e.g. Mi Home."
    )
    value: Mapped[Decimal | None] = mapped_column(
        NUMERIC,
        comment="Value in base units (23.16 million -> 23160000); the low end of a range; "
        "NULL if the source gives no figure.",
    )
    value_high: Mapped[Decimal | None] = mapped_column(
        NUMERIC, comment="High end of a range (bound = range); NULL otherwise."
    )
    bound: Mapped[str] = mapped_column(
        String(16), comment="exact, about, at_least, at_most or range."
    )
    value_precision: Mapped[Decimal | None] = mapped_column(
        NUMERIC,
        comment="Place of the last significant digit as stated, in base units "
        "(about 14 trillion -> 1000000000000); what 'about' and rounding allow.",
    )
    interval_low: Mapped[Decimal | None] = mapped_column(
        NUMERIC,
        comment="Lowest value the statement allows: value - value_precision / 2 for exact and "
        "about figures, value for at_least and range; NULL when unbounded below (at_most).",
    )
    interval_high: Mapped[Decimal | None] = mapped_column(
        NUMERIC,
        comment="Highest value the statement allows: value + value_precision / 2 for exact and "
        "about figures, value_high for a range, value for at_most; NULL when unbounded above.",
    )
    unit: Mapped[str] = mapped_column(
        ForeignKey("unit.unit"), comment="Unit of the value: a catalogue unit or ISO currency."
    )
    basis: Mapped[str] = mapped_column(
        String(16),
        comment="reported, preliminary, derived (actuals); guidance, consensus, expected, "
        "target or planned (forecasts and goals).",
    )
    stated_on: Mapped[date] = mapped_column(
        Date,
        comment="When the figure was stated: the source's publication date, or the earlier "
        "date the source gives (a forecast made in May); a later statement of the same fact "
        "and attribution supersedes it.",
    )
    stated_on_wording: Mapped[str | None] = mapped_column(
        Text, comment="When it was stated as the source words it, e.g. 'in May'; NULL if not."
    )
    known_until: Mapped[date | None] = mapped_column(
        Date,
        comment="Day a later statement superseded this one (a revised forecast, the final "
        "figure after a preliminary one); NULL while current. Written by the loader "
        "(mart/vintages.py), verified by mart check.",
    )
    fact_key: Mapped[str] = mapped_column(
        Text,
        comment="The fact stated, the same for every source and date: company|metric|region|"
        "product|segment|store brand|period|unit|claim|attribution (natural keys, company empty "
        "for a whole market's figure; claim: "
        "actual for reported, preliminary and derived figures, else the basis).",
    )
    fiscal_period: Mapped[str | None] = mapped_column(
        String(16), comment="Fiscal label where the source words a fiscal period, e.g. FY2017-Q3."
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
    seed_file: Mapped[str] = mapped_column(
        Text, comment="File the statement was loaded from (its name in the seed directory)."
    )
    seed_line: Mapped[int | None] = mapped_column(
        Integer, comment="Line of the fact in a YAML file, or row number in a CSV/Parquet file."
    )
    sum_of: Mapped[str | None] = mapped_column(
        String(16),
        comment="segment, product or region: the source gives every part of this total by that "
        "dimension (the parts stated must add up to it); NULL when it does not say.",
    )
