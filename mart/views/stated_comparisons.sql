-- Each stated growth rate or absolute change beside the stated levels it compares, and each
-- pair of stated levels no source states one for: the one matching of figures to levels that
-- growth and changes derive from (a relation of the catalogue: growth_of or change_of, with
-- compared_with). Counts at a date (metric.as_of) meet the levels as far back as the stated
-- figure reaches (level_comparisons' step); a whole market's figures (company NULL) meet the
-- market's levels. Values as stated, no arithmetic.
-- stored: per company
-- column relation: growth (a rate in percent) or change (an absolute change in the level's unit).
-- column company: Company name; NULL for the whole market of the region.
-- column is_market: True for a whole market's figures.
-- column metric: The rate's or change's metric key, e.g. revenue_yoy_growth.
-- column level_metric: The metric compared, e.g. revenue.
-- column region: Region or market name.
-- column product: Product name, where the figures are of one product.
-- column segment: Business segment name, where the figures are of one segment.
-- column attributed_to: Who the source says gives the figures; NULL when the source itself.
-- column period: Label of the later period.
-- column period_start: First day of the later period.
-- column period_end: Last day of the later period.
-- column compared_with: previous_period or year_earlier.
-- column compared_period: Label of the earlier period.
-- column unit: Unit of the levels (an ISO currency for money); NULL for a stated rate with no stated level.
-- column stated_value: The rate (percent) or change a source states; NULL for a pair of levels alone.
-- column stated_bound: Bound of the stated figure: exact, about, at_least, at_most or range.
-- column stated_low: Lowest value the stated figure allows; NULL if unbounded.
-- column stated_high: Highest value the stated figure allows; NULL if unbounded.
-- column current_value: Stated level of the later period; NULL when none is stated.
-- column current_low: Lowest value the later level allows; NULL if unbounded.
-- column current_high: Highest value the later level allows; NULL if unbounded.
-- column compared_value: Stated level of the earlier period; NULL when none is stated.
-- column compared_low: Lowest value the earlier level allows; NULL if unbounded.
-- column compared_high: Highest value the earlier level allows; NULL if unbounded.
-- column source_count: Sources stating the figure (for a pair alone: stating the later level).
-- column stated_fact_key: The stated figure's fact (statement.fact_key; fact_provenance has its statements).
-- column current_fact_key: The later level's fact.
-- column compared_fact_key: The earlier level's fact.

with relations as (
    select 'growth' as relation, g.metric_key as metric, g.growth_of as level_metric,
        g.compared_with, coalesce(l.as_of, false) as as_of
    from metric as g
    inner join metric as l on l.metric_key = g.growth_of
    where g.growth_of is not null
    union all
    select 'change', c.metric_key, c.change_of, c.change_compared_with,
        coalesce(l.as_of, false)
    from metric as c
    inner join metric as l on l.metric_key = c.change_of
    where c.change_of is not null
),
-- A change meets levels of its own unit (a rate, of any).
stated as not materialized (
    select
        rel.relation, v.company, v.is_market, v.metric, rel.level_metric,
        rel.compared_with, v.region, coalesce(v.product, '') as product_key,
        coalesce(v.segment, '') as segment_key,
        coalesce(v.attributed_to, '') as attribution_key, v.product, v.segment, v.attributed_to,
        v.period, v.period_start, v.period_end, v.unit,
        case when rel.relation = 'change' then v.unit else '' end as unit_key,
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
        rel.relation, lc.company, lc.is_market, rel.metric, lc.level_metric,
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
        lc.compared_period, lc.unit,
        case when rel.relation = 'change' then lc.unit else '' end as unit_key,
        lc.current_value, lc.current_low, lc.current_high,
        lc.compared_value, lc.compared_low, lc.compared_high, lc.current_fact_key,
        lc.compared_fact_key, lc.source_count
    from level_comparisons as lc
    inner join relations as rel
        on rel.level_metric = lc.level_metric and rel.compared_with = lc.compared_with
),
-- Companies meet on the company's name itself, so that a filter on company reaches both sides
-- of each join; a whole market's rows (company NULL) are each join's second branch.
stated_pairs as (
    select s.*, p.compared_period as pair_compared_period, p.unit as pair_unit, p.current_value, p.current_low,
        p.current_high, p.compared_value, p.compared_low, p.compared_high, p.current_fact_key,
        p.compared_fact_key, p.metric is not null as has_pair
    from stated as s
    left join pairs as p on p.company = s.company and p.metric = s.metric and p.region = s.region
        and p.product_key = s.product_key and p.segment_key = s.segment_key
        and p.attribution_key = s.attribution_key and p.when_key = s.when_key
        and p.unit_key = s.unit_key
    where s.is_market = false
    union all
    select s.*, p.compared_period as pair_compared_period, p.unit as pair_unit, p.current_value, p.current_low,
        p.current_high, p.compared_value, p.compared_low, p.compared_high, p.current_fact_key,
        p.compared_fact_key, p.metric is not null as has_pair
    from stated as s
    left join pairs as p on p.is_market = true and p.metric = s.metric and p.region = s.region
        and p.product_key = s.product_key and p.segment_key = s.segment_key
        and p.attribution_key = s.attribution_key and p.when_key = s.when_key
        and p.unit_key = s.unit_key
    where s.is_market = true
),
unstated_pairs as (
    select p.*
    from pairs as p
    left join stated as s on s.company = p.company and p.metric = s.metric and p.region = s.region
        and p.product_key = s.product_key and p.segment_key = s.segment_key
        and p.attribution_key = s.attribution_key and p.when_key = s.when_key
        and p.unit_key = s.unit_key
    where p.compared_value is not null and p.is_market = false and s.metric is null
        and p.is_default_step
    union all
    select p.*
    from pairs as p
    left join stated as s on s.is_market = true and p.metric = s.metric and p.region = s.region
        and p.product_key = s.product_key and p.segment_key = s.segment_key
        and p.attribution_key = s.attribution_key and p.when_key = s.when_key
        and p.unit_key = s.unit_key
    where p.compared_value is not null and p.is_market = true and s.metric is null
        and p.is_default_step
),
joined as (
    select
        s.relation, s.company, s.is_market, s.metric, s.level_metric, s.region, s.product,
        s.segment, s.attributed_to, s.period, s.period_start, s.period_end, s.compared_with,
        coalesce(s.pair_compared_period, pc.compared_period) as compared_period,
        case when s.relation = 'change' then s.unit else s.pair_unit end as unit,
        s.value as stated_value, s.bound as stated_bound, s.interval_low as stated_low,
        s.interval_high as stated_high, s.current_value, s.current_low, s.current_high,
        s.compared_value, s.compared_low, s.compared_high, s.source_count,
        s.fact_key as stated_fact_key, s.current_fact_key, s.compared_fact_key
    from stated_pairs as s
    left join period_comparisons as pc
        on pc.period = s.period and pc.compared_with = s.compared_with
        and pc.step = s.step and not s.has_pair
    union all
    select
        p.relation, p.company, p.is_market, p.metric, p.level_metric, p.region, p.product,
        p.segment, p.attributed_to, p.period, p.period_start, p.period_end, p.compared_with,
        p.compared_period, p.unit, cast(null as numeric(24, 6)), cast(null as varchar),
        cast(null as numeric(24, 6)), cast(null as numeric(24, 6)), p.current_value,
        p.current_low, p.current_high, p.compared_value, p.compared_low, p.compared_high,
        p.source_count, cast(null as varchar), p.current_fact_key, p.compared_fact_key
    from unstated_pairs as p
)
select * from joined
