-- Every figure stated anywhere, agreed across sources: one row per company, metric, region,
-- product, segment, store brand, period, unit, basis and attribution. The value shown is the
-- tightest statement (exact before ranges, "about" and bounds; then the value most sources
-- state; then the latest source); a
-- figure is disputed when the statements' intervals do not all meet ("at least 2 million" and
-- 3 million agree; "about 14.7 billion" and 14.71 billion agree). Amounts keep their currency
-- in unit, so amounts in different currencies never mix.
-- column company: Company name.
-- column company_key: Company natural key.
-- column metric: Metric key from the catalogue.
-- column region: Region or market name; Global when the figure names none.
-- column product: Product name, where the figure is about one product.
-- column segment: Business segment name, where the figure is about one segment.
-- column store_brand: Store chain, for store figures.
-- column period: Period label, e.g. 2017-Q2 or 2017-04-01/2017-07-01.
-- column fiscal_period: Fiscal label where a source words the period fiscally, e.g. FY2017-Q3.
-- column period_grain: day, month, quarter, half, year or range.
-- column period_start: First day of the period.
-- column period_end: Last day of the period.
-- column value: The agreed value in base units (the low end of a range).
-- column value_high: High end of a range; NULL otherwise.
-- column bound: exact, about, at_least, at_most or range, of the value shown.
-- column basis: reported, derived, target, expected or planned.
-- column unit: Unit of the value; an ISO 4217 code for money (USD, KRW).
-- column attributed_to: Who the sources say gives the figure; NULL when the source gives it itself.
-- column interval_low: Lowest value every statement allows (the highest of their lower limits); where they are disputed, the lowest any allows. NULL when unbounded below.
-- column interval_high: Highest value every statement allows (the lowest of their upper limits); where they are disputed, the highest any allows. NULL when unbounded above.
-- column source_count: Number of sources stating the figure.
-- column is_disputed: True when the statements' intervals do not all meet.
-- column stated_in: Where the statements are: fact file and line (or row), comma-separated.

-- Reads fact_provenance, where a statement's interval is defined. A source states a figure
-- once (unique per source, checked by the loader and `mart check`), so rows count sources.
with supported as (
    select
        f.*,
        count(*) over (
            partition by f.company, f.company_key, f.metric, f.region, f.product, f.segment,
                f.store_brand, f.period, f.unit, f.basis, f.attributed_to, f.value
        ) as value_support
    from fact_provenance as f
),
ranked as (
    select
        f.*,
        row_number() over (
            partition by f.company, f.company_key, f.metric, f.region, f.product, f.segment,
                f.store_brand, f.period, f.unit, f.basis, f.attributed_to
            order by
                case f.bound when 'exact' then 0 when 'range' then 1 when 'about' then 2
                    else 3 end,
                f.value_support desc, f.published_on desc, f.value, f.fact_id
        ) as tightness
    from supported as f
),
grouped as (
    select
        company,
        company_key,
        metric,
        region,
        product,
        segment,
        store_brand,
        period,
        max(fiscal_period) as fiscal_period,
        period_grain,
        period_start,
        period_end,
        cast(max(case when tightness = 1 then value end) as numeric(24, 6)) as value,
        cast(max(case when tightness = 1 then value_high end) as numeric(24, 6)) as value_high,
        max(case when tightness = 1 then bound end) as bound,
        basis,
        unit,
        attributed_to,
        max(interval_low) as agreed_low,
        min(interval_high) as agreed_high,
        min(interval_low) as any_low,
        max(interval_high) as any_high,
        count(interval_low) = count(*) as bounded_below,
        count(interval_high) = count(*) as bounded_above,
        count(*) as source_count,
        coalesce(max(interval_low) > min(interval_high), false) as is_disputed,
        string_agg(seed_file || ':' || cast(seed_line as varchar), ', '
            order by seed_file, seed_line) as stated_in
    from ranked
    group by
        company, company_key, metric, region, product, segment, store_brand, period, period_grain,
        period_start, period_end, unit, basis, attributed_to
)
select
    company,
    company_key,
    metric,
    region,
    product,
    segment,
    store_brand,
    period,
    fiscal_period,
    period_grain,
    period_start,
    period_end,
    value,
    value_high,
    bound,
    basis,
    unit,
    attributed_to,
    cast(case when not is_disputed then agreed_low when bounded_below then any_low end
        as numeric(24, 6)) as interval_low,
    cast(case when not is_disputed then agreed_high when bounded_above then any_high end
        as numeric(24, 6)) as interval_high,
    cast(source_count as bigint) as source_count,
    is_disputed,
    stated_in
from grouped
