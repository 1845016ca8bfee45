-- One row per fact as several sources may state it (same company, metric, period, region,
-- product, segment, store brand, attribution and unit): how many sources state it, how many
-- distinct values they give, and whether they disagree. Disagreement respects bounds: a
-- dispute is two statements whose intervals do not meet ("at least 2 million" and 3 million
-- agree). Filter is_disputed = true for the facts to check by hand.
-- column company: Company name.
-- column metric: Metric key from the catalogue.
-- column period: Period label.
-- column region: Region or market name.
-- column product: Product name, where the fact is about one product.
-- column segment: Business segment name, where the fact is about one segment.
-- column store_brand: Store chain, for store facts.
-- column attributed_to: Who the sources say gives the figure; NULL when the source itself.
-- column unit: Unit of the values.
-- column source_count: Number of sources that state the fact.
-- column value_count: Number of distinct non-NULL values the sources give.
-- column min_value: Smallest value stated, in base units.
-- column max_value: Largest value stated, in base units.
-- column is_disputed: True when the statements' intervals do not all meet.
-- column sources: Keys of the sources that state the fact, comma-separated.

-- Counts statements rather than distinct sources: a source states a fact once per basis.
with per_value as (
    select
        company, metric, period, region, product, segment, store_brand, attributed_to, unit,
        value,
        count(*) as statement_count,
        max(interval_low) as interval_low,
        min(interval_high) as interval_high,
        string_agg(source_key, ', ' order by source_key) as value_sources
    from fact_provenance
    group by
        company, metric, period, region, product, segment, store_brand, attributed_to, unit,
        value
)
select
    company,
    metric,
    period,
    region,
    product,
    segment,
    store_brand,
    attributed_to,
    unit,
    cast(sum(statement_count) as bigint) as source_count,
    count(value) as value_count,
    cast(min(value) as numeric(24, 6)) as min_value,
    cast(max(value) as numeric(24, 6)) as max_value,
    coalesce(max(interval_low) > min(interval_high), false) as is_disputed,
    string_agg(value_sources, ', ' order by value_sources) as sources
from per_value
group by company, metric, period, region, product, segment, store_brand, attributed_to, unit
