-- Absolute changes, for every change relation the catalogue declares (a change_of metric names
-- the level that changes and what it compares with): the stated change ("added 8 million
-- subscribers in the quarter", "25,898 more than a year earlier"), the change computed from
-- stated levels of both periods, and the earlier level a stated change and the later level
-- imply. One row per stated change, and one per pair of stated levels no source gives a
-- change for. Counts at a date (metric.as_of) compare days (level_comparisons). Every derived
-- figure carries the interval its inputs allow.
-- column company: Company name; NULL for the whole market of the region.
-- column metric: The change metric's key, e.g. subscriber_net_additions.
-- column level_metric: The metric that changes, e.g. paid_subscribers.
-- column region: Region or market name.
-- column product: Product name, where the change is of one product.
-- column segment: Business segment name, where the change is of one segment.
-- column attributed_to: Who the source says gives the figures; NULL when the source itself.
-- column period: Label of the later period.
-- column period_start: First day of the later period.
-- column period_end: Last day of the later period.
-- column compared_with: previous_period or year_earlier.
-- column compared_period: Label of the earlier period.
-- column unit: Unit of the levels and the change (an ISO currency for money).
-- column stated_change: Change a source states; NULL when none does.
-- column stated_bound: Bound of the stated change: exact, about, at_least, at_most or range.
-- column stated_low: Lowest change the stated figure allows (rounding and bound); NULL if unbounded.
-- column stated_high: Highest change the stated figure allows; NULL if unbounded.
-- column current_value: Stated level of the later period; NULL when none is stated.
-- column compared_value: Stated level of the earlier period; NULL when none is stated.
-- column computed_change: current_value - compared_value; NULL unless both are stated.
-- column computed_low: Lowest change the stated levels allow (current_low - compared_high); NULL if unbounded.
-- column computed_high: Highest change the stated levels allow (current_high - compared_low); NULL if unbounded.
-- column implied_compared_value: The earlier level a stated change and the later level imply: current_value - stated_change.
-- column implied_compared_low: Lowest earlier level they allow (current_low - stated_high); NULL if unbounded.
-- column implied_compared_high: Highest earlier level they allow (current_high - stated_low); NULL if unbounded.
-- column is_contradicted: True when the stated change and the levels' change cannot both hold (their intervals do not meet).
-- column source_count: Sources stating the change (for rows without one: stating the later level).
-- column change_fact_key: The stated change's fact (statement.fact_key; fact_provenance has its statements); NULL when none is stated.
-- column current_fact_key: The later level's fact; NULL when none is stated.
-- column compared_fact_key: The earlier level's fact; NULL when none is stated.

with relations as (
    select c.metric_key as metric, c.change_of as level_metric,
        c.change_compared_with as compared_with, coalesce(l.as_of, false) as as_of
    from metric as c
    inner join metric as l on l.metric_key = c.change_of
    where c.change_of is not null
),
stated as not materialized (
    select
        v.company, v.is_market, v.metric, rel.level_metric,
        rel.compared_with, v.region, coalesce(v.product, '') as product_key,
        coalesce(v.segment, '') as segment_key,
        coalesce(v.attributed_to, '') as attribution_key, v.product, v.segment, v.attributed_to,
        v.period, v.period_start, v.period_end, v.unit,
        case when rel.as_of then cast(v.period_end as varchar) || ' ' || st.step
            else v.period end as when_key,
        st.step,
        v.value, v.bound, v.interval_low, v.interval_high, v.source_count, v.fact_key
    from metric_values as v
    inner join relations as rel on rel.metric = v.metric
    -- How far back the stated figure reaches: a year, or its own period (a quarter for a
    -- day: period_comparisons' steps).
    cross join lateral (
        select case when rel.compared_with = 'year_earlier' then 'year'
            when v.period_grain in ('month', 'quarter', 'half', 'year') then v.period_grain
            else 'quarter' end as step
    ) as st
    where v.claim = 'actual'
),
pairs as not materialized (
    select
        lc.company, lc.is_market, rel.metric, lc.level_metric,
        -- A pair no source states a figure for: a count at a date is compared a quarter
        -- back (or a year), not at every step its day allows.
        not lc.as_of or lc.step = case lc.compared_with when 'year_earlier' then 'year'
            else 'quarter' end as is_default_step,
        lc.compared_with, lc.region, coalesce(lc.product, '') as product_key,
        coalesce(lc.segment, '') as segment_key,
        coalesce(lc.attributed_to, '') as attribution_key, lc.product, lc.segment,
        lc.attributed_to, lc.period, lc.period_start, lc.period_end,
        case when lc.as_of then cast(lc.period_end as varchar) || ' ' || lc.step
            else lc.period end as when_key,
        lc.compared_period, lc.unit, lc.current_value, lc.current_low, lc.current_high,
        lc.compared_value, lc.compared_low, lc.compared_high, lc.current_fact_key,
        lc.compared_fact_key, lc.source_count
    from level_comparisons as lc
    inner join relations as rel
        on rel.level_metric = lc.level_metric and rel.compared_with = lc.compared_with
),
-- Companies meet on the company's name itself, so that a filter on company reaches both sides
-- of each join; a whole market's rows (company NULL) are each join's second branch.
stated_pairs as (
    select s.*, p.compared_period as pair_compared_period, p.current_value, p.current_low,
        p.current_high, p.compared_value, p.compared_low, p.compared_high, p.current_fact_key,
        p.compared_fact_key, p.metric is not null as has_pair
    from stated as s
    left join pairs as p on p.company = s.company and p.metric = s.metric and p.region = s.region
        and p.product_key = s.product_key and p.segment_key = s.segment_key
        and p.attribution_key = s.attribution_key and p.when_key = s.when_key
        and p.unit = s.unit
    where s.is_market = false
    union all
    select s.*, p.compared_period as pair_compared_period, p.current_value, p.current_low,
        p.current_high, p.compared_value, p.compared_low, p.compared_high, p.current_fact_key,
        p.compared_fact_key, p.metric is not null as has_pair
    from stated as s
    left join pairs as p on p.is_market = true and p.metric = s.metric and p.region = s.region
        and p.product_key = s.product_key and p.segment_key = s.segment_key
        and p.attribution_key = s.attribution_key and p.when_key = s.when_key
        and p.unit = s.unit
    where s.is_market = true
),
unstated_pairs as (
    select p.*
    from pairs as p
    left join stated as s on s.company = p.company and p.metric = s.metric and p.region = s.region
        and p.product_key = s.product_key and p.segment_key = s.segment_key
        and p.attribution_key = s.attribution_key and p.when_key = s.when_key
        and p.unit = s.unit
    where p.compared_value is not null and p.is_market = false and s.metric is null
        and p.is_default_step
    union all
    select p.*
    from pairs as p
    left join stated as s on s.is_market = true and p.metric = s.metric and p.region = s.region
        and p.product_key = s.product_key and p.segment_key = s.segment_key
        and p.attribution_key = s.attribution_key and p.when_key = s.when_key
        and p.unit = s.unit
    where p.compared_value is not null and p.is_market = true and s.metric is null
        and p.is_default_step
),
joined as (
    select
        s.company, s.metric, s.level_metric, s.region, s.product, s.segment, s.attributed_to,
        s.period, s.period_start, s.period_end, s.compared_with,
        coalesce(s.pair_compared_period, pc.compared_period) as compared_period, s.unit,
        s.value as stated_change, s.bound as stated_bound, s.interval_low as stated_low,
        s.interval_high as stated_high, s.current_value, s.current_low, s.current_high,
        s.compared_value, s.compared_low, s.compared_high, s.source_count,
        s.fact_key as change_fact_key, s.current_fact_key, s.compared_fact_key
    from stated_pairs as s
    left join period_comparisons as pc
        on pc.period = s.period and pc.compared_with = s.compared_with
        and pc.step = s.step and not s.has_pair
    union all
    select
        p.company, p.metric, p.level_metric, p.region, p.product, p.segment, p.attributed_to,
        p.period, p.period_start, p.period_end, p.compared_with, p.compared_period, p.unit,
        cast(null as numeric(24, 6)), cast(null as varchar), cast(null as numeric(24, 6)),
        cast(null as numeric(24, 6)), p.current_value, p.current_low, p.current_high,
        p.compared_value, p.compared_low, p.compared_high, p.source_count,
        cast(null as varchar), p.current_fact_key, p.compared_fact_key
    from unstated_pairs as p
)
select
    company,
    metric,
    level_metric,
    region,
    product,
    segment,
    attributed_to,
    period,
    period_start,
    period_end,
    compared_with,
    compared_period,
    unit,
    cast(stated_change as numeric(24, 6)) as stated_change,
    stated_bound,
    cast(stated_low as numeric(24, 6)) as stated_low,
    cast(stated_high as numeric(24, 6)) as stated_high,
    cast(current_value as numeric(24, 6)) as current_value,
    cast(compared_value as numeric(24, 6)) as compared_value,
    cast(current_value - compared_value as numeric(24, 6)) as computed_change,
    cast(current_low - compared_high as numeric(24, 6)) as computed_low,
    cast(current_high - compared_low as numeric(24, 6)) as computed_high,
    cast(current_value - stated_change as numeric(24, 6)) as implied_compared_value,
    cast(current_low - stated_high as numeric(24, 6)) as implied_compared_low,
    cast(current_high - stated_low as numeric(24, 6)) as implied_compared_high,
    coalesce(current_low - compared_high > stated_high, false)
        or coalesce(current_high - compared_low < stated_low, false) as is_contradicted,
    cast(source_count as bigint) as source_count,
    change_fact_key,
    current_fact_key,
    compared_fact_key
from joined
