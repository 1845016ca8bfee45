-- Ranks the sources state: a company's brand in a market, or one of its products, ranked by
-- the measure named (1 = first).
-- column company: Company name.
-- column region: Market the rank applies to.
-- column subject: What is ranked: the company's brand or a product name.
-- column subject_kind: brand or product.
-- column rank: Position, 1 = first.
-- column measure: What the ranking measures, e.g. smartphone shipments.
-- column period: Period label the rank is stated for.
-- column period_start: First day of the period.
-- column period_end: Last day of the period.
-- column source_count: Number of sources stating this rank.
with ranks as (
    select
        f.company,
        f.region,
        f.product,
        f.value,
        m.ranked_by,
        f.period,
        f.period_start,
        f.period_end,
        f.source_key
    from fact_provenance as f
    inner join metric as m on f.metric = m.metric_key
    where f.unit = 'rank'
)
select
    company,
    region,
    coalesce(product, company) as subject,
    case when product is null then 'brand' else 'product' end as subject_kind,
    cast(value as integer) as rank,
    ranked_by as measure,
    period,
    period_start,
    period_end,
    count(distinct source_key) as source_count
from ranks
group by company, region, product, value, ranked_by, period, period_start, period_end
