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

-- Aggregates the statement table on ids, in two steps (each distinct value of a fact, then the
-- fact), and joins names last, as metric_values does: the fact key holds every natural key
-- (company, metric, region, product, segment, store brand, period, unit, claim, attribution),
-- so each id is the same across a fact's statements. Grouping 10M rows on a dozen names held
-- 6 GB. The company's name and the metric's key are carried from the start so that a filter on
-- either reaches the scan.
-- A source has one current statement of a fact (mart/vintages.py): statements count sources.
with current_statements as (
    select
        c.company_name as company,
        m.metric_key,
        s.*
    from statement as s
    left join company as c on s.company_id = c.company_id
    inner join metric as m on s.metric_id = m.metric_id
    where s.known_until is null
),
per_value as (
    select
        s.company,
        s.company_id,
        s.metric_key,
        s.fact_key,
        s.value,
        max(s.region_id) as region_id,
        max(s.product_id) as product_id,
        max(s.segment_id) as segment_id,
        max(s.store_brand) as store_brand,
        max(s.period_id) as period_id,
        max(s.unit) as unit,
        max(s.attribution_id) as attribution_id,
        count(*) as statement_count,
        max(s.interval_low) as interval_low,
        min(s.interval_high) as interval_high,
        string_agg(src.source_key, ', ' order by src.source_key) as value_sources
    from current_statements as s
    inner join source as src on s.source_id = src.source_id
    group by s.company, s.company_id, s.metric_key, s.fact_key, s.value
),
grouped as (
    select
        company,
        company_id,
        metric_key,
        fact_key,
        max(region_id) as region_id,
        max(product_id) as product_id,
        max(segment_id) as segment_id,
        max(store_brand) as store_brand,
        max(period_id) as period_id,
        max(unit) as unit,
        max(attribution_id) as attribution_id,
        sum(statement_count) as source_count,
        count(value) as value_count,
        min(value) as min_value,
        max(value) as max_value,
        coalesce(max(interval_low) > min(interval_high), false) as is_disputed,
        string_agg(value_sources, ', ' order by value_sources) as sources
    from per_value
    group by company, company_id, metric_key, fact_key
)
select
    g.company,
    g.company_id is null as is_market,
    g.metric_key as metric,
    p.period_label as period,
    r.region_name as region,
    pr.product_name as product,
    sg.segment_name as segment,
    g.store_brand,
    a.attribution_name as attributed_to,
    g.unit,
    split_part(g.fact_key, '|', 9) as claim,
    g.fact_key,
    cast(g.source_count as bigint) as source_count,
    g.value_count,
    cast(g.min_value as numeric(24, 6)) as min_value,
    cast(g.max_value as numeric(24, 6)) as max_value,
    g.is_disputed,
    g.sources
from grouped as g
inner join period as p on g.period_id = p.period_id
inner join region as r on g.region_id = r.region_id
left join product as pr on g.product_id = pr.product_id
left join segment as sg on g.segment_id = sg.segment_id
left join attribution as a on g.attribution_id = a.attribution_id
