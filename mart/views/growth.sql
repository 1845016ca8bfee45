-- Growth rates, for every growth relation the catalogue declares (a growth metric names the
-- level it grows and what it compares with): the stated rate, the rate computed from stated
-- levels of both periods, and the earlier level implied by a stated rate and a stated later
-- level. Quarter on quarter, year on year, every region, product and segment. One row per
-- stated growth rate, and one per pair of stated levels no source gives a rate for.
-- column company: Company name.
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
-- column difference_pct: computed_growth_pct - stated_growth_pct, in percentage points.
-- column stated_low_pct: Lowest rate the stated figure allows (rounding and bound); NULL if unbounded.
-- column stated_high_pct: Highest rate the stated figure allows; NULL if unbounded.
-- column computed_low_pct: Lowest rate the stated levels allow (their rounding and bounds); NULL if unbounded.
-- column computed_high_pct: Highest rate the stated levels allow; NULL if unbounded.
-- column source_count: Sources stating the rate (for rows without one: stating the later level).

-- Dimensions are compared through coalesce(..., '') so that every join is an equality, which
-- both backends can hash (PostgreSQL cannot hash IS NOT DISTINCT FROM). Every numeric column is
-- as wide as a value (24 digits): PostgreSQL pushes a user's filter on a column below the joins,
-- where a narrower cast would be tried, and overflow, on figures of other metrics.
with relations as (
    select metric_key as metric, growth_of as level_metric, compared_with
    from metric
    where growth_of is not null
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
stated as not materialized (
    select
        v.company, v.metric, rel.level_metric, rel.compared_with, v.region,
        coalesce(v.product, '') as product_key, coalesce(v.segment, '') as segment_key,
        coalesce(v.attributed_to, '') as attribution_key, v.product, v.segment, v.attributed_to,
        v.period, v.period_start, v.period_end, v.value, v.bound, v.interval_low,
        v.interval_high, v.source_count
    from metric_values as v
    inner join relations as rel on rel.metric = v.metric
    where v.claim = 'actual'
),
pairs as not materialized (
    select
        cur.company, rel.metric, cur.metric as level_metric, rel.compared_with, cur.region,
        cur.product_key, cur.segment_key, cur.attribution_key, cur.product, cur.segment,
        cur.attributed_to, cur.period, cur.period_start, cur.period_end, pc.compared_period,
        cur.unit, cur.value as current_value, cur.interval_low as current_low,
        cur.interval_high as current_high, base.value as compared_value,
        base.interval_low as compared_low, base.interval_high as compared_high,
        cur.source_count
    from levels as cur
    inner join relations as rel on rel.level_metric = cur.metric
    inner join period_comparisons as pc
        on pc.period = cur.period and pc.compared_with = rel.compared_with
    left join levels as base
        on base.company = cur.company and base.metric = cur.metric
        and base.region = cur.region and base.product_key = cur.product_key
        and base.segment_key = cur.segment_key and base.attribution_key = cur.attribution_key
        and base.unit = cur.unit and base.period_grain = cur.period_grain
        and base.period_start = pc.compared_start
),
joined as (
    select
        s.company, s.metric, s.level_metric, s.region, s.product, s.segment, s.attributed_to,
        s.period, s.period_start, s.period_end, s.compared_with,
        coalesce(p.compared_period, pc.compared_period) as compared_period, p.unit,
        s.value as stated_growth_pct, s.bound as stated_bound, p.current_value,
        p.compared_value, s.interval_low as stated_low, s.interval_high as stated_high,
        p.current_low, p.current_high, p.compared_low, p.compared_high, s.source_count
    from stated as s
    left join pairs as p
        on p.company = s.company and p.metric = s.metric and p.region = s.region
        and p.product_key = s.product_key and p.segment_key = s.segment_key
        and p.attribution_key = s.attribution_key and p.period = s.period
    left join period_comparisons as pc
        on pc.period = s.period and pc.compared_with = s.compared_with
        and p.company is null
    union all
    select
        p.company, p.metric, p.level_metric, p.region, p.product, p.segment, p.attributed_to,
        p.period, p.period_start, p.period_end, p.compared_with, p.compared_period, p.unit,
        cast(null as numeric(24, 6)), cast(null as varchar), p.current_value, p.compared_value,
        cast(null as numeric(24, 6)), cast(null as numeric(24, 6)), p.current_low,
        p.current_high, p.compared_low, p.compared_high, p.source_count
    from pairs as p
    left join stated as s
        on s.company = p.company and s.metric = p.metric and s.region = p.region
        and s.product_key = p.product_key and s.segment_key = p.segment_key
        and s.attribution_key = p.attribution_key and s.period = p.period
    where p.compared_value is not null and s.company is null
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
    cast(source_count as bigint) as source_count
from implied
