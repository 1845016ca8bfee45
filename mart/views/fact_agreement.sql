-- One row per fact as several sources may state it (same company, metric, period, region,
-- product, store brand and unit): how many sources state it, how many distinct values they give,
-- and whether they disagree. Filter is_disputed = true for the facts to check by hand.
-- column company: Company name.
-- column metric: Metric key from the catalogue.
-- column period: Period label.
-- column region: Region or market name.
-- column product: Product name, where the fact is about one product.
-- column store_brand: Store chain, for store facts.
-- column unit: Unit of the values.
-- column source_count: Number of sources that state the fact.
-- column value_count: Number of distinct non-NULL values the sources give.
-- column min_value: Smallest value stated, in base units.
-- column max_value: Largest value stated, in base units.
-- column is_disputed: True when the sources give more than one value.
-- column sources: Keys of the sources that state the fact, comma-separated.
with statements as (
    select
        company,
        metric,
        period,
        region,
        product,
        store_brand,
        unit,
        value,
        source_key
    from fact_provenance
)
select
    company,
    metric,
    period,
    region,
    product,
    store_brand,
    unit,
    count(distinct source_key) as source_count,
    count(distinct value) as value_count,
    min(value) as min_value,
    max(value) as max_value,
    count(distinct value) > 1 as is_disputed,
    string_agg(distinct source_key, ', ' order by source_key) as sources
from statements
group by company, metric, period, region, product, store_brand, unit
