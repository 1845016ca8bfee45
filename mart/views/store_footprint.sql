-- Retail stores per company, region and store brand as of a date: stores open, further openings
-- planned, and the total once they open. A count a source does not give stays NULL (India's
-- stores are "opening", with no number), never 0. Where sources disagree on a count, the largest
-- stated value is shown (fact_agreement lists them all).
-- column company: Company name.
-- column region: Region the stores are in.
-- column store_brand: Store chain, e.g. Mi Home.
-- column as_of: Date the counts are stated for.
-- column open_stores: Stores open on that date; NULL when the source gives no count.
-- column planned_openings: Further stores the company expects to open; NULL if none stated.
-- column stores_after_plan: open_stores + planned_openings; NULL when open_stores is unknown.
-- column source_count: Number of sources stating these figures.
with stores as (
    select company, region, store_brand, period_end as as_of, metric, value, source_key
    from fact_provenance
    where metric_subject = 'store'
),
per_date as (
    select
        company,
        region,
        store_brand,
        as_of,
        cast(max(case when metric = 'stores_open' then value end) as bigint) as open_stores,
        cast(max(case when metric = 'stores_planned' then value end) as bigint) as planned_openings,
        count(distinct source_key) as source_count
    from stores
    group by company, region, store_brand, as_of
)
select
    company,
    region,
    store_brand,
    as_of,
    open_stores,
    planned_openings,
    open_stores + coalesce(planned_openings, 0) as stores_after_plan,
    source_count
from per_date
