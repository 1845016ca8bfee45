-- One row per fact as several sources may state it (same company, metric, period, region,
-- product, segment, store brand, attribution, unit and claim: fact_key), from its current
-- statements: how many sources state it, how many distinct values they give, and whether they
-- disagree. Disagreement respects bounds: a dispute is two statements whose intervals do not
-- meet ("at least 2 million" and 3 million agree). Actuals are compared with actuals and
-- forecasts with forecasts of the same kind, never a forecast with an actual; a revised
-- forecast or preliminary figure is a revision (see revisions), not a dispute. Filter
-- is_disputed = true for the facts to check by hand.
-- stored: per company
-- column company: Company name; NULL for a figure about the whole market of the region.
-- column is_market: True for a figure about the whole market of the region.
-- column metric: Metric key from the catalogue.
-- column period: Period label.
-- column region: Region or market name.
-- column product: Product name, where the fact is about one product.
-- column segment: Business segment name, where the fact is about one segment.
-- column store_brand: Store chain, for store facts.
-- column attributed_to: Who the sources say gives the figure; NULL when the source itself.
-- column unit: Unit of the values.
-- column claim: actual (reported, preliminary or derived) or the forecast's basis (guidance, consensus, expected, target, planned).
-- column fact_key: The fact (statement.fact_key).
-- column source_count: Number of sources that state the fact.
-- column value_count: Number of distinct non-NULL values the sources give.
-- column min_value: Smallest value stated, in base units.
-- column max_value: Largest value stated, in base units.
-- column is_disputed: True when the statements' intervals do not all meet.
-- column sources: Keys of the sources that state the fact, comma-separated.

-- A source has one current statement of a fact (mart/vintages.py): statements count sources.
with per_value as (
    select
        fact_key, company, is_market, metric, period, region, product, segment, store_brand,
        attributed_to, unit, claim, value,
        count(*) as statement_count,
        max(interval_low) as interval_low,
        min(interval_high) as interval_high,
        string_agg(source_key, ', ' order by source_key) as value_sources
    from fact_provenance
    where is_current
    group by
        fact_key, company, is_market, metric, period, region, product, segment, store_brand,
        attributed_to, unit, claim, value
)
select
    company,
    is_market,
    metric,
    period,
    region,
    product,
    segment,
    store_brand,
    attributed_to,
    unit,
    claim,
    fact_key,
    cast(sum(statement_count) as bigint) as source_count,
    count(value) as value_count,
    cast(min(value) as numeric(24, 6)) as min_value,
    cast(max(value) as numeric(24, 6)) as max_value,
    coalesce(max(interval_low) > min(interval_high), false) as is_disputed,
    string_agg(value_sources, ', ' order by value_sources) as sources
from per_value
group by
    company, is_market, metric, period, region, product, segment, store_brand, attributed_to, unit,
    claim, fact_key
