-- Ratios, for every ratio relation the catalogue declares (ratio_of: numerator over
-- denominator: a margin, a figure per share, an average price, a grant rate): the ratio
-- computed from stated levels of the same company (or market), period, region, product,
-- segment and attribution, beside the stated ratio when a source gives one, each with the
-- interval its inputs allow; a stated ratio the levels contradict beyond rounding is flagged.
-- A percent ratio is 100 times the quotient. Levels of two amounts meet only in one currency.
-- One row per stated ratio and per pair of stated levels.
-- stored: per company
-- column company: Company name; NULL for the whole market of the region.
-- column is_market: True for a whole market's ratio (company NULL).
-- column metric: The ratio metric's key, e.g. operating_margin.
-- column numerator_metric: The metric over the denominator, e.g. operating_profit.
-- column denominator_metric: The metric divided by, e.g. revenue.
-- column region: Region or market name.
-- column product: Product name, where the ratio is of one product.
-- column segment: Business segment name, where the ratio is of one segment.
-- column attributed_to: Who the source says gives the figures; NULL when the source itself.
-- column period: Period label.
-- column period_start: First day of the period.
-- column period_end: Last day of the period.
-- column unit: Unit of the ratio: the ratio metric's, or the numerator's currency for an amount per unit.
-- column stated_value: The ratio a source states; NULL when none does.
-- column stated_bound: Bound of the stated ratio: exact, about, at_least, at_most or range.
-- column stated_low: Lowest ratio the stated figure allows (rounding and bound); NULL if unbounded.
-- column stated_high: Highest ratio the stated figure allows; NULL if unbounded.
-- column numerator_value: Stated numerator; NULL when none is stated.
-- column denominator_value: Stated denominator; NULL when none is stated.
-- column computed_value: numerator_value / denominator_value (x 100 for a percent), rounded to 4 decimals; NULL unless both are stated and the denominator is above 0.
-- column computed_low: Lowest ratio the levels' intervals allow, rounded down to 4 decimals; NULL if unbounded.
-- column computed_high: Highest ratio the levels' intervals allow, rounded up to 4 decimals; NULL if unbounded.
-- column difference: computed_value - stated_value.
-- column is_contradicted: True when the stated ratio and the levels' ratio cannot both hold (their intervals do not meet).
-- column source_count: Sources stating the ratio (for rows without one: stating the numerator).
-- column ratio_fact_key: The stated ratio's fact (statement.fact_key; fact_provenance has its statements); NULL when none is stated.
-- column numerator_fact_key: The numerator's fact; NULL when none is stated.
-- column denominator_fact_key: The denominator's fact; NULL when none is stated.

with relations as (
    select
        r.metric_key as metric, r.ratio_numerator as numerator_metric,
        r.ratio_denominator as denominator_metric, r.unit as ratio_unit,
        n.unit = d.unit and n.unit = 'currency' as same_currency,
        case when r.unit = 'percent' then 100 else 1 end as factor
    from metric as r
    inner join metric as n on n.metric_key = r.ratio_numerator
    inner join metric as d on d.metric_key = r.ratio_denominator
    where r.ratio_numerator is not null
),
levels as not materialized (
    select
        v.*,
        coalesce(v.product, '') as product_key,
        coalesce(v.segment, '') as segment_key,
        coalesce(v.attributed_to, '') as attribution_key
    from metric_values as v
    where v.claim = 'actual' and v.value is not null and v.store_brand is null
),
-- Companies meet on the company's name itself, so that a filter on company reaches both sides
-- of each join; a whole market's rows (company NULL) are each join's second branch.
computed as not materialized (
    select
        rel.metric, rel.numerator_metric, rel.denominator_metric, rel.factor, n.company,
        n.is_market, n.region, n.product_key, n.segment_key, n.attribution_key, n.product, n.segment,
        n.attributed_to, n.period, n.period_start, n.period_end,
        case when rel.ratio_unit = 'currency' then n.unit else rel.ratio_unit end as unit,
        n.value as numerator_value, n.interval_low as numerator_low,
        n.interval_high as numerator_high, d.value as denominator_value,
        d.interval_low as denominator_low, d.interval_high as denominator_high,
        n.source_count, n.fact_key as numerator_fact_key, d.fact_key as denominator_fact_key
    from relations as rel
    inner join levels as n on n.metric = rel.numerator_metric and n.is_market = false
    inner join levels as d on d.company = n.company and d.is_market = false and d.metric = rel.denominator_metric
        and d.region = n.region and d.product_key = n.product_key
        and d.segment_key = n.segment_key and d.attribution_key = n.attribution_key
        and d.period = n.period
        and case when rel.same_currency then d.unit else '' end
            = case when rel.same_currency then n.unit else '' end
    union all
    select
        rel.metric, rel.numerator_metric, rel.denominator_metric, rel.factor, n.company,
        n.is_market, n.region, n.product_key, n.segment_key, n.attribution_key, n.product, n.segment,
        n.attributed_to, n.period, n.period_start, n.period_end,
        case when rel.ratio_unit = 'currency' then n.unit else rel.ratio_unit end as unit,
        n.value as numerator_value, n.interval_low as numerator_low,
        n.interval_high as numerator_high, d.value as denominator_value,
        d.interval_low as denominator_low, d.interval_high as denominator_high,
        n.source_count, n.fact_key as numerator_fact_key, d.fact_key as denominator_fact_key
    from relations as rel
    inner join levels as n on n.metric = rel.numerator_metric and n.is_market = true
    inner join levels as d on d.is_market = true and d.metric = rel.denominator_metric
        and d.region = n.region and d.product_key = n.product_key
        and d.segment_key = n.segment_key and d.attribution_key = n.attribution_key
        and d.period = n.period
        and case when rel.same_currency then d.unit else '' end
            = case when rel.same_currency then n.unit else '' end
),
stated as not materialized (
    select
        rel.metric, rel.numerator_metric, rel.denominator_metric, rel.factor, v.company,
        v.is_market, v.region, coalesce(v.product, '') as product_key,
        coalesce(v.segment, '') as segment_key,
        coalesce(v.attributed_to, '') as attribution_key, v.product, v.segment,
        v.attributed_to, v.period, v.period_start, v.period_end, v.unit, v.value, v.bound,
        v.interval_low, v.interval_high, v.source_count, v.fact_key
    from metric_values as v
    inner join relations as rel on rel.metric = v.metric
    where v.claim = 'actual' and v.value is not null and v.store_brand is null
),
stated_computed as (
    select s.*, c.numerator_value, c.numerator_low, c.numerator_high, c.denominator_value,
        c.denominator_low, c.denominator_high, c.numerator_fact_key, c.denominator_fact_key
    from stated as s
    left join computed as c on c.company = s.company and c.metric = s.metric and c.region = s.region
        and c.product_key = s.product_key and c.segment_key = s.segment_key
        and c.attribution_key = s.attribution_key and c.period = s.period and c.unit = s.unit
    where s.is_market = false
    union all
    select s.*, c.numerator_value, c.numerator_low, c.numerator_high, c.denominator_value,
        c.denominator_low, c.denominator_high, c.numerator_fact_key, c.denominator_fact_key
    from stated as s
    left join computed as c on c.is_market = true and c.metric = s.metric and c.region = s.region
        and c.product_key = s.product_key and c.segment_key = s.segment_key
        and c.attribution_key = s.attribution_key and c.period = s.period and c.unit = s.unit
    where s.is_market = true
),
unstated_computed as (
    select c.*
    from computed as c
    left join stated as s on s.company = c.company and c.metric = s.metric and c.region = s.region
        and c.product_key = s.product_key and c.segment_key = s.segment_key
        and c.attribution_key = s.attribution_key and c.period = s.period and c.unit = s.unit
    where c.is_market = false and s.metric is null
    union all
    select c.*
    from computed as c
    left join stated as s on s.is_market = true and c.metric = s.metric and c.region = s.region
        and c.product_key = s.product_key and c.segment_key = s.segment_key
        and c.attribution_key = s.attribution_key and c.period = s.period and c.unit = s.unit
    where c.is_market = true and s.metric is null
),
joined as (
    select
        company, is_market, metric, numerator_metric, denominator_metric, factor, region, product,
        segment, attributed_to, period, period_start, period_end, unit, value as stated_value,
        bound as stated_bound, interval_low as stated_low, interval_high as stated_high,
        numerator_value, numerator_low, numerator_high, denominator_value, denominator_low,
        denominator_high, source_count, fact_key as ratio_fact_key, numerator_fact_key,
        denominator_fact_key
    from stated_computed
    union all
    select
        company, is_market, metric, numerator_metric, denominator_metric, factor, region, product,
        segment, attributed_to, period, period_start, period_end, unit,
        cast(null as numeric(24, 6)), cast(null as varchar), cast(null as numeric(24, 6)),
        cast(null as numeric(24, 6)), numerator_value, numerator_low, numerator_high,
        denominator_value, denominator_low, denominator_high, source_count,
        cast(null as varchar), numerator_fact_key, denominator_fact_key
    from unstated_computed
),
bounded as (
    select
        joined.*,
        case when denominator_value > 0
            then numerator_value * factor / denominator_value end as computed,
        -- Over a positive denominator: the lowest quotient takes the lowest numerator over the
        -- highest denominator (the lowest one, for a negative numerator), and the highest the
        -- other way round.
        case when denominator_low > 0 then numerator_low * factor / case
            when numerator_low >= 0 then denominator_high else denominator_low end end
            as computed_low_raw,
        case when denominator_low > 0 then numerator_high * factor / case
            when numerator_high >= 0 then denominator_low else denominator_high end end
            as computed_high_raw
    from joined
)
select
    company,
    is_market,
    metric,
    numerator_metric,
    denominator_metric,
    region,
    product,
    segment,
    attributed_to,
    period,
    period_start,
    period_end,
    unit,
    cast(stated_value as numeric(24, 6)) as stated_value,
    stated_bound,
    cast(stated_low as numeric(24, 6)) as stated_low,
    cast(stated_high as numeric(24, 6)) as stated_high,
    cast(numerator_value as numeric(24, 6)) as numerator_value,
    cast(denominator_value as numeric(24, 6)) as denominator_value,
    cast(round(computed, 4) as numeric(24, 4)) as computed_value,
    cast(floor(computed_low_raw * 10000) * 0.0001 as numeric(24, 4)) as computed_low,
    cast(ceil(computed_high_raw * 10000) * 0.0001 as numeric(24, 4)) as computed_high,
    cast(round(computed - stated_value, 4) as numeric(24, 4)) as difference,
    coalesce(computed_low_raw > stated_high, false)
        or coalesce(computed_high_raw < stated_low, false) as is_contradicted,
    cast(source_count as bigint) as source_count,
    ratio_fact_key,
    numerator_fact_key,
    denominator_fact_key
from bounded
