-- Each company's share of a whole market: its level of a metric a market share is declared of
-- (shipments, sales) over the market's total of the same metric, region, period, unit and attribution (a figure stated
-- with market: instead of company:), beside the share a source states (a metric the catalogue
-- declares share_of that metric with share_within: market), each with the interval its inputs
-- allow; a stated share the levels contradict beyond rounding is flagged. One row per stated
-- share and per company level with a market total.
-- column company: Company name.
-- column metric: The metric shared, e.g. smartphone_shipments.
-- column share_metric: The share metric a source states, e.g. smartphone_market_share; NULL when none is stated.
-- column region: The market's region.
-- column period: Period label.
-- column period_start: First day of the period.
-- column period_end: Last day of the period.
-- column attributed_to: Who the source says gives the figures (e.g. a research firm); NULL when the source itself.
-- column unit: Unit of the levels (an ISO currency for money).
-- column company_value: The company's stated level; NULL when none is stated.
-- column market_value: The market's stated total; NULL when none is stated.
-- column stated_share_pct: The share a source states, in percent; NULL when none does.
-- column stated_bound: Bound of the stated share: exact, about, at_least, at_most or range.
-- column stated_low_pct: Lowest share the stated figure allows, in percent; NULL if unbounded.
-- column stated_high_pct: Highest share the stated figure allows, in percent; NULL if unbounded.
-- column computed_share_pct: company_value / market_value x 100, rounded to 4 decimals; NULL unless both are stated.
-- column computed_low_pct: Lowest share the levels' intervals allow, rounded down to 4 decimals; NULL if unbounded.
-- column computed_high_pct: Highest share the levels' intervals allow, rounded up to 4 decimals; NULL if unbounded.
-- column difference_pct: computed_share_pct - stated_share_pct, in percentage points.
-- column is_contradicted: True when the stated share and the levels' share cannot both hold (their intervals do not meet).
-- column source_count: Sources stating the share (for rows without one: stating the company's level).
-- column share_fact_key: The stated share's fact (statement.fact_key; fact_provenance has its statements); NULL when none is stated.
-- column company_fact_key: The company level's fact; NULL when none is stated.
-- column market_fact_key: The market total's fact; NULL when none is stated.

with relations as (
    select s.metric_key as share_metric, s.share_of as metric,
        case when s.unit = 'share' then 100 else 1 end as to_pct
    from metric as s
    where s.share_of is not null and s.share_within = 'market'
),
levels as not materialized (
    select
        v.*,
        coalesce(v.attributed_to, '') as attribution_key
    from metric_values as v
    -- Only metrics a market share is declared of: a growth rate has no share of a market.
    inner join (select distinct metric from relations) as shared on shared.metric = v.metric
    where v.claim = 'actual' and v.value is not null and v.product is null
        and v.segment is null and v.store_brand is null
),
computed as not materialized (
    select
        c.company, c.metric, c.region, c.attribution_key, c.attributed_to, c.period,
        c.period_start, c.period_end, c.unit, c.value as company_value,
        c.interval_low as company_low, c.interval_high as company_high,
        m.value as market_value, m.interval_low as market_low, m.interval_high as market_high,
        c.source_count, c.fact_key as company_fact_key, m.fact_key as market_fact_key
    from levels as c
    inner join levels as m
        on m.metric = c.metric and m.region = c.region and m.period = c.period
        and m.unit = c.unit and m.attribution_key = c.attribution_key
    where c.is_market = false and m.is_market = true
),
stated as not materialized (
    select
        v.company, rel.metric, rel.share_metric, v.region,
        coalesce(v.attributed_to, '') as attribution_key, v.attributed_to, v.period,
        v.period_start, v.period_end, v.value * rel.to_pct as share_pct, v.bound,
        v.interval_low * rel.to_pct as share_low, v.interval_high * rel.to_pct as share_high,
        v.source_count, v.fact_key
    from metric_values as v
    inner join relations as rel on rel.share_metric = v.metric
    where v.claim = 'actual' and v.value is not null and v.is_market = false
        and v.product is null and v.segment is null
),
-- Joined on the company's name, so that a filter on company reaches both sides.
joined as (
    select
        s.company, s.metric, s.share_metric, s.region, s.period, s.period_start,
        s.period_end, s.attributed_to, c.unit, c.company_value, c.company_low,
        c.company_high, c.market_value, c.market_low, c.market_high, s.share_pct, s.bound,
        s.share_low, s.share_high, s.source_count, s.fact_key as share_fact_key,
        c.company_fact_key, c.market_fact_key
    from stated as s
    left join computed as c on c.company = s.company and c.metric = s.metric and c.region = s.region
        and c.period = s.period and c.attribution_key = s.attribution_key
    union all
    select
        c.company, c.metric, cast(null as varchar), c.region, c.period, c.period_start,
        c.period_end, c.attributed_to, c.unit, c.company_value, c.company_low,
        c.company_high, c.market_value, c.market_low, c.market_high,
        cast(null as numeric(24, 6)), cast(null as varchar), cast(null as numeric(24, 6)),
        cast(null as numeric(24, 6)), c.source_count, cast(null as varchar),
        c.company_fact_key, c.market_fact_key
    from computed as c
    left join stated as s on c.company = s.company and c.metric = s.metric and c.region = s.region
        and c.period = s.period and c.attribution_key = s.attribution_key
    where s.company is null
),
bounded as (
    select
        joined.*,
        case when market_value > 0 then company_value * 100 / market_value end as computed,
        case when market_high > 0 and company_low >= 0
            then company_low * 100 / market_high end as computed_low_raw,
        case when market_low > 0 then company_high * 100 / market_low end as computed_high_raw
    from joined
)
select
    company,
    metric,
    share_metric,
    region,
    period,
    period_start,
    period_end,
    attributed_to,
    unit,
    cast(company_value as numeric(24, 6)) as company_value,
    cast(market_value as numeric(24, 6)) as market_value,
    cast(share_pct as numeric(24, 4)) as stated_share_pct,
    bound as stated_bound,
    cast(share_low as numeric(24, 4)) as stated_low_pct,
    cast(share_high as numeric(24, 4)) as stated_high_pct,
    cast(round(computed, 4) as numeric(24, 4)) as computed_share_pct,
    cast(floor(computed_low_raw * 10000) * 0.0001 as numeric(24, 4)) as computed_low_pct,
    cast(ceil(computed_high_raw * 10000) * 0.0001 as numeric(24, 4)) as computed_high_pct,
    cast(round(computed - share_pct, 4) as numeric(24, 4)) as difference_pct,
    coalesce(computed_low_raw > share_high, false)
        or coalesce(computed_high_raw < share_low, false) as is_contradicted,
    cast(source_count as bigint) as source_count,
    share_fact_key,
    company_fact_key,
    market_fact_key
from bounded
