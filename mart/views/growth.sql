-- Growth rates, for every growth relation the catalogue declares (a growth metric names the
-- level it grows and what it compares with): the stated rate, the rate computed from stated
-- levels of both periods, and the earlier level implied by a stated rate and a stated later
-- level. Quarter on quarter, year on year, every region, product and segment. One row per
-- stated growth rate, and one per pair of stated levels no source gives a rate for. Counts at a
-- date (metric.as_of) compare the day counted with the same day a year earlier or the end of
-- the previous period (level_comparisons). A whole market's growth is a row like a company's,
-- with company NULL. Every implied figure carries the interval its inputs allow.
-- column company: Company name; NULL for the whole market of the region.
-- column metric: The growth metric's key, e.g. revenue_yoy_growth.
-- column level_metric: The metric that grows, e.g. revenue.
-- column region: Region or market name.
-- column product: Product name, where the growth is of one product.
-- column segment: Business segment name, where the growth is of one segment.
-- column attributed_to: Who the source says gives the figures; NULL when the source itself.
-- column period: Label of the later period.
-- column period_start: First day of the later period.
-- column period_end: Last day of the later period.
-- column compared_with: previous_period or year_earlier.
-- column compared_period: Label of the earlier period.
-- column unit: Unit of the levels (an ISO currency for money).
-- column stated_growth_pct: Growth a source states, in percent; NULL when none does.
-- column stated_bound: Bound of the stated rate: exact, about, at_least, at_most or range.
-- column current_value: Stated level of the later period; NULL when none is stated.
-- column compared_value: Stated level of the earlier period; NULL when none is stated.
-- column computed_growth_pct: (current_value / compared_value - 1) * 100, rounded to 2 decimals; NULL when the compared level is not above 0 or the current one is below 0 (a rate across a loss is not a rate).
-- column implied_base_value: The earlier level a stated rate and the later level imply: current_value / (1 + stated_growth_pct / 100), rounded to 2 decimals.
-- column implied_base_low: Lowest earlier level the stated rate's and the later level's intervals allow, rounded down to the cent; NULL if unbounded (an "at least" rate has no lowest base).
-- column implied_base_high: Highest earlier level they allow, rounded up to the cent; NULL if unbounded ("more than doubled" to 900,000: at most 450,000.25).
-- column difference_pct: computed_growth_pct - stated_growth_pct, in percentage points.
-- column stated_low_pct: Lowest rate the stated figure allows (rounding and bound); NULL if unbounded.
-- column stated_high_pct: Highest rate the stated figure allows; NULL if unbounded.
-- column computed_low_pct: Lowest rate the stated levels allow (their rounding and bounds); NULL if unbounded.
-- column computed_high_pct: Highest rate the stated levels allow; NULL if unbounded.
-- column source_count: Sources stating the rate (for rows without one: stating the later level).
-- column rate_fact_key: The stated rate's fact (statement.fact_key; fact_provenance has its statements); NULL when none is stated.
-- column current_fact_key: The later level's fact; NULL when none is stated.
-- column compared_fact_key: The earlier level's fact; NULL when none is stated.

-- Dimensions are compared through coalesce(..., '') so that every join is an equality, which
-- both backends can hash (PostgreSQL cannot hash IS NOT DISTINCT FROM). Every numeric column is
-- as wide as a value (24 digits): PostgreSQL pushes a user's filter on a column below the joins,
-- where a narrower cast would be tried, and overflow, on figures of other metrics.
with relations as (
    select g.metric_key as metric, g.growth_of as level_metric, g.compared_with,
        coalesce(l.as_of, false) as as_of
    from metric as g
    inner join metric as l on l.metric_key = g.growth_of
    where g.growth_of is not null
),
stated as not materialized (
    select
        v.company, v.is_market, v.metric, rel.level_metric,
        rel.compared_with, v.region, coalesce(v.product, '') as product_key,
        coalesce(v.segment, '') as segment_key,
        coalesce(v.attributed_to, '') as attribution_key, v.product, v.segment, v.attributed_to,
        v.period, v.period_start, v.period_end,
        case when rel.as_of then cast(v.period_end as varchar) else v.period end as when_key,
        v.value, v.bound, v.interval_low, v.interval_high, v.source_count, v.fact_key
    from metric_values as v
    inner join relations as rel on rel.metric = v.metric
    where v.claim = 'actual'
),
pairs as not materialized (
    select
        lc.company, lc.is_market, rel.metric, lc.level_metric,
        lc.compared_with, lc.region, coalesce(lc.product, '') as product_key,
        coalesce(lc.segment, '') as segment_key,
        coalesce(lc.attributed_to, '') as attribution_key, lc.product, lc.segment,
        lc.attributed_to, lc.period, lc.period_start, lc.period_end,
        case when lc.as_of then cast(lc.period_end as varchar) else lc.period end as when_key,
        lc.compared_period, lc.unit, lc.current_value, lc.current_low, lc.current_high,
        lc.compared_value, lc.compared_low, lc.compared_high, lc.current_fact_key,
        lc.compared_fact_key, lc.source_count
    from level_comparisons as lc
    inner join relations as rel
        on rel.level_metric = lc.level_metric and rel.compared_with = lc.compared_with
),
-- Companies meet on the company's name itself, so that a filter on company reaches both sides
-- of each join (through coalesce, one company's rows took seconds at 1M facts); a whole
-- market's rows (company NULL) are each join's second branch.
stated_pairs as (
    select s.*, p.compared_period as pair_compared_period, p.unit, p.current_value, p.current_low,
        p.current_high, p.compared_value, p.compared_low, p.compared_high, p.current_fact_key,
        p.compared_fact_key, p.metric is not null as has_pair
    from stated as s
    left join pairs as p on p.company = s.company and p.metric = s.metric and p.region = s.region
        and p.product_key = s.product_key and p.segment_key = s.segment_key
        and p.attribution_key = s.attribution_key and p.when_key = s.when_key
    where s.is_market = false
    union all
    select s.*, p.compared_period as pair_compared_period, p.unit, p.current_value, p.current_low,
        p.current_high, p.compared_value, p.compared_low, p.compared_high, p.current_fact_key,
        p.compared_fact_key, p.metric is not null as has_pair
    from stated as s
    left join pairs as p on p.is_market = true and p.metric = s.metric and p.region = s.region
        and p.product_key = s.product_key and p.segment_key = s.segment_key
        and p.attribution_key = s.attribution_key and p.when_key = s.when_key
    where s.is_market = true
),
unstated_pairs as (
    select p.*
    from pairs as p
    left join stated as s on s.company = p.company and p.metric = s.metric and p.region = s.region
        and p.product_key = s.product_key and p.segment_key = s.segment_key
        and p.attribution_key = s.attribution_key and p.when_key = s.when_key
    where p.compared_value is not null and p.is_market = false and s.metric is null
    union all
    select p.*
    from pairs as p
    left join stated as s on s.is_market = true and p.metric = s.metric and p.region = s.region
        and p.product_key = s.product_key and p.segment_key = s.segment_key
        and p.attribution_key = s.attribution_key and p.when_key = s.when_key
    where p.compared_value is not null and p.is_market = true and s.metric is null
),
joined as (
    select
        s.company, s.metric, s.level_metric, s.region, s.product, s.segment, s.attributed_to,
        s.period, s.period_start, s.period_end, s.compared_with,
        coalesce(s.pair_compared_period, pc.compared_period) as compared_period, s.unit,
        s.value as stated_growth_pct, s.bound as stated_bound, s.current_value,
        s.compared_value, s.interval_low as stated_low, s.interval_high as stated_high,
        s.current_low, s.current_high, s.compared_low, s.compared_high, s.source_count,
        s.fact_key as rate_fact_key, s.current_fact_key, s.compared_fact_key
    from stated_pairs as s
    left join period_comparisons as pc
        on pc.period = s.period and pc.compared_with = s.compared_with and not s.has_pair
    union all
    select
        p.company, p.metric, p.level_metric, p.region, p.product, p.segment, p.attributed_to,
        p.period, p.period_start, p.period_end, p.compared_with, p.compared_period, p.unit,
        cast(null as numeric(24, 6)), cast(null as varchar), p.current_value, p.compared_value,
        cast(null as numeric(24, 6)), cast(null as numeric(24, 6)), p.current_low,
        p.current_high, p.compared_low, p.compared_high, p.source_count,
        cast(null as varchar), p.current_fact_key, p.compared_fact_key
    from unstated_pairs as p
),
-- The implied base is rounded to cents by long division with exact remainders: DuckDB divides
-- decimals in double precision (15-16 digits), which at 14 trillion won is not enough for the
-- cents, and PostgreSQL's numeric division is exact; both agree on this form. (mod(), not the
-- percent operator: psycopg reads it as a placeholder.)
divisors as (
    select
        joined.*,
        abs(current_value) as dividend,
        abs(1 + stated_growth_pct * 0.01) as divisor,
        case when (current_value < 0) = (1 + stated_growth_pct * 0.01 < 0) then 1 else -1 end
            as sign
    from joined
),
remainders as (
    select
        divisors.*,
        cast((dividend - mod(dividend, nullif(divisor, 0))) / nullif(divisor, 0) as numeric(24, 0))
            as whole,
        mod(dividend, nullif(divisor, 0)) * 100 as hundredths
    from divisors
),
implied as (
    select
        remainders.*,
        sign * (
            whole + 0.01 * (
                cast((hundredths - mod(hundredths, divisor)) / divisor as numeric(24, 0))
                + case when 2 * mod(hundredths, divisor) >= divisor then 1 else 0 end
            )
        ) as implied_base
    from remainders
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
    cast(stated_growth_pct as numeric(24, 2)) as stated_growth_pct,
    stated_bound,
    cast(current_value as numeric(24, 6)) as current_value,
    cast(compared_value as numeric(24, 6)) as compared_value,
    cast(round((current_value / case when compared_value > 0 and current_value >= 0 then compared_value end - 1) * 100, 2) as numeric(24, 2))
        as computed_growth_pct,
    cast(implied_base as numeric(24, 2)) as implied_base_value,
    -- Rounded outward to cents: the interval is what the inputs allow, never narrower.
    cast(floor(current_low * 100 / case when current_low >= 0 and 1 + stated_high * 0.01 > 0
        then 1 + stated_high * 0.01 end) * 0.01 as numeric(24, 2)) as implied_base_low,
    cast(ceil(current_high * 100 / case when current_low >= 0 and 1 + stated_low * 0.01 > 0
        then 1 + stated_low * 0.01 end) * 0.01 as numeric(24, 2)) as implied_base_high,
    cast(
        round((current_value / case when compared_value > 0 and current_value >= 0 then compared_value end - 1) * 100 - stated_growth_pct, 2)
        as numeric(24, 2)
    ) as difference_pct,
    cast(stated_low as numeric(24, 4)) as stated_low_pct,
    cast(stated_high as numeric(24, 4)) as stated_high_pct,
    cast(round((current_low / case when compared_low > 0 and current_low >= 0 then compared_high end - 1) * 100, 4) as numeric(24, 4))
        as computed_low_pct,
    cast(round((current_high / case when compared_low > 0 and current_low >= 0 then compared_low end - 1) * 100, 4) as numeric(24, 4))
        as computed_high_pct,
    cast(source_count as bigint) as source_count,
    rate_fact_key,
    current_fact_key,
    compared_fact_key
from implied
