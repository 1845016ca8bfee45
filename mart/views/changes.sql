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

with joined as (
    select
        company, metric, level_metric, region, product, segment, attributed_to, period,
        period_start, period_end, compared_with, compared_period, unit,
        stated_value as stated_change, stated_bound, stated_low, stated_high, current_value,
        current_low, current_high, compared_value, compared_low, compared_high, source_count,
        stated_fact_key as change_fact_key, current_fact_key, compared_fact_key
    from stated_comparisons
    where relation = 'change'
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
