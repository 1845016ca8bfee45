-- Retail stores per company, region, store brand and attribution as of a date: stores open,
-- further openings planned, and the total once they open. Open stores are the actual, current
-- counts of the catalogue's store metrics (subject store) counted in stores and not declared a
-- target of another metric. A count a source does not give stays NULL (India's stores are
-- "opening", with no number), never 0. Figures a source attributes to someone else are a row
-- of their own. Where sources disagree on a count, the largest stated value is shown
-- (fact_agreement lists them all).
-- column company: Company name.
-- column region: Region the stores are in.
-- column store_brand: Store chain, e.g. Mi Home.
-- column as_of: Date the counts are stated for.
-- column open_stores: Stores open on that date; NULL when the source gives no count.
-- column planned_openings: Further stores the company expects to open; NULL if none stated.
-- column stores_after_plan: open_stores + planned_openings; NULL when open_stores is unknown.
-- column attributed_to: Who the sources say gives the counts; NULL when the source gives them itself.
-- column source_count: Number of sources stating these figures.

-- Which store metric is which comes from the catalogue's relations, not metric keys: planned
-- openings are a change of the open stores (change_of) stated at a date, from that date on (a
-- change over a quarter is one that happened); open stores a count in stores that is neither a
-- change nor a target of another metric.
with stores as (
    select
        f.company,
        f.region,
        f.store_brand,
        f.attributed_to,
        f.period_end as as_of,
        m.change_of is not null and f.period_grain = 'day' as is_planned,
        m.unit = 'stores' and m.target_of is null and m.change_of is null
            and f.claim = 'actual' as is_open_count,
        f.value,
        f.source_key
    from fact_provenance as f
    inner join metric as m on m.metric_key = f.metric
    where f.metric_subject = 'store' and f.is_current
),
per_date as (
    select
        company,
        region,
        store_brand,
        as_of,
        attributed_to,
        cast(max(case when not is_planned then value end) as bigint) as open_stores,
        cast(max(case when is_planned then value end) as bigint) as planned_openings,
        count(distinct source_key) as source_count
    from stores
    where is_planned or is_open_count
    group by company, region, store_brand, as_of, attributed_to
)
select
    company,
    region,
    store_brand,
    as_of,
    open_stores,
    planned_openings,
    open_stores + coalesce(planned_openings, 0) as stores_after_plan,
    attributed_to,
    source_count
from per_date
