-- Ranks the sources state: a company's brand in a market, one of its products, or a whole
-- market among others (India the second-largest smartphone market), ranked by the measure
-- named (1 = first), with the market share where a source states one. Actual
-- ranks only (a rank expected or targeted is in targets), and not a segment's rank among the
-- company's own segments. Ranks a source attributes to someone else (a research firm's) are
-- rows of their own, one per attribution, each beside the share the same attribution states.
-- column company: Company name; NULL for a whole market's rank.
-- column region: Market the rank applies to.
-- column subject: What is ranked: the company's brand, a product name, or the market's region.
-- column subject_kind: brand, product or market.
-- column rank: Position, 1 = first.
-- column measure: What the ranking measures, e.g. smartphone shipments.
-- column period: Period label the rank is stated for.
-- column period_start: First day of the period.
-- column period_end: Last day of the period.
-- column market_share_pct: The share of the market a source states for the same company, region, product and period, in percent (a share metric of the catalogue with share_within market); NULL where none is stated.
-- column attributed_to: Who the sources say gives the rank (e.g. a research firm); NULL when the source gives it itself.
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
        f.attributed_to,
        f.source_key
    from fact_provenance as f
    inner join metric as m on f.metric = m.metric_key
    where f.unit = 'rank' and f.claim = 'actual' and f.is_current and f.segment is null
),
ranked as (
    select
        company,
        region,
        product,
        cast(value as integer) as rank,
        ranked_by as measure,
        period,
        period_start,
        period_end,
        attributed_to,
        count(distinct source_key) as source_count
    from ranks
    group by
        company, region, product, value, ranked_by, period, period_start, period_end, attributed_to
),
shares as (
    select
        v.company,
        v.region,
        coalesce(v.product, '') as product_key,
        coalesce(v.attributed_to, '') as attribution_key,
        v.period,
        max(case when v.unit = 'share' then v.value * 100 else v.value end) as share_pct
    from metric_values as v
    inner join metric as m on m.metric_key = v.metric
    where m.share_within = 'market' and v.unit in ('share', 'percent')
        and v.claim = 'actual'
    group by v.company, v.region, coalesce(v.product, ''), coalesce(v.attributed_to, ''), v.period
)
select
    r.company,
    r.region,
    coalesce(r.product, r.company, r.region) as subject,
    case when r.product is not null then 'product' when r.company is not null then 'brand'
        else 'market' end as subject_kind,
    r.rank,
    r.measure,
    r.period,
    r.period_start,
    r.period_end,
    cast(s.share_pct as numeric(24, 4)) as market_share_pct,
    r.attributed_to,
    r.source_count
from ranked as r
left join shares as s
    on s.company = r.company and s.region = r.region
    and s.product_key = coalesce(r.product, '') and s.period = r.period
    and s.attribution_key = coalesce(r.attributed_to, '')
