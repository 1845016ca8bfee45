-- Each stated level beside the level of the period it is compared with, for every comparison a
-- relation of the catalogue declares (a growth_of or change_of metric and its compared_with):
-- the input of growth and changes, one row per stated level and comparison. Actual, current
-- figures only; a figure a source attributes to someone else is compared with the same
-- attribution's figures only. Counts at a date (metric.as_of: subscribers, stores) are
-- compared by the day counted, the period's last day, whatever period a source words them by
-- (a count "at the end of June" meets one "for the second quarter"), as far back as the step
-- of the rate or change stated (a quarter, a half); other levels by period grain and first day.
-- stored: per company
-- column company: Company name; NULL for a figure about the whole market of the region.
-- column company_key: Company natural key; NULL for a whole market's figure.
-- column is_market: True for a whole market's figures (company NULL).
-- column level_metric: The metric compared, e.g. revenue.
-- column compared_with: previous_period or year_earlier.
-- column as_of: True when the metric's figures are counts at a date (compared by day).
-- column region: Region or market name.
-- column product: Product name, where the level is of one product.
-- column segment: Business segment name, where the level is of one segment.
-- column attributed_to: Who the source says gives the figures; NULL when the source itself.
-- column period: Label of the later period.
-- column period_start: First day of the later period.
-- column period_end: Last day of the later period (the day counted, for as_of metrics).
-- column compared_period: Label of the earlier period (a day for as_of metrics).
-- column compared_start: First day of the earlier period.
-- column compared_end: Last day of the earlier period.
-- column step: How far back the comparison reaches: month, quarter, half or year (period_comparisons.step); a count at a date has one row per step its day ends.
-- column unit: Unit of the levels (an ISO currency for money).
-- column current_value: Stated level of the later period.
-- column current_low: Lowest value the later level's statements allow; NULL if unbounded.
-- column current_high: Highest value the later level's statements allow; NULL if unbounded.
-- column compared_value: Stated level of the earlier period; NULL when none is stated.
-- column compared_low: Lowest value the earlier level's statements allow; NULL if unbounded or unstated.
-- column compared_high: Highest value the earlier level's statements allow; NULL if unbounded or unstated.
-- column current_fact_key: The later level's fact (statement.fact_key; fact_provenance has its statements).
-- column compared_fact_key: The earlier level's fact; NULL when none is stated.
-- column source_count: Sources stating the later level.

-- Dimensions are compared through coalesce(..., '') so that every join is an equality, which
-- both backends can hash (PostgreSQL cannot hash IS NOT DISTINCT FROM). Companies meet on the
-- company's name itself, so that a filter on company reaches both sides of the join (through
-- coalesce, one company's rows took seconds at 1M facts); a whole market's rows (company NULL)
-- are the second branch.
with relations as (
    select growth_of as level_metric, compared_with from metric where growth_of is not null
    union
    select change_of, change_compared_with from metric where change_of is not null
),
levels as not materialized (
    select
        v.*,
        coalesce(v.product, '') as product_key,
        coalesce(v.segment, '') as segment_key,
        coalesce(v.attributed_to, '') as attribution_key,
        coalesce(m.as_of, false) as as_of,
        case when m.as_of then cast(v.period_end as varchar)
            else v.period_grain || ' ' || cast(v.period_start as varchar) end as at_key
    from metric_values as v
    inner join metric as m on m.metric_key = v.metric
    where v.claim = 'actual' and v.value is not null and v.store_brand is null
),
targets as not materialized (
    select
        cur.*,
        rel.compared_with,
        pc.compared_period,
        pc.compared_start,
        pc.compared_end,
        pc.step,
        case when cur.as_of then cast(pc.compared_end as varchar)
            else cur.period_grain || ' ' || cast(pc.compared_start as varchar) end
            as compared_at_key
    from levels as cur
    inner join relations as rel on rel.level_metric = cur.metric
    inner join period_comparisons as pc
        on pc.period = cur.period and pc.compared_with = rel.compared_with
),
compared as (
    select t.*, base.value as compared_value, base.interval_low as compared_low,
        base.interval_high as compared_high, base.fact_key as compared_fact_key
    from targets as t
    left join levels as base
        on base.company = t.company and base.is_market = t.is_market
        and base.metric = t.metric and base.region = t.region
        and base.product_key = t.product_key and base.segment_key = t.segment_key
        and base.attribution_key = t.attribution_key and base.unit = t.unit
        and base.at_key = t.compared_at_key
    where t.is_market = false
    union all
    select t.*, base.value, base.interval_low, base.interval_high, base.fact_key
    from targets as t
    left join levels as base
        on base.is_market = true and base.metric = t.metric and base.region = t.region
        and base.attribution_key = t.attribution_key and base.unit = t.unit
        and base.at_key = t.compared_at_key
    where t.is_market = true
)
select
    company,
    company_key,
    is_market,
    metric as level_metric,
    compared_with,
    as_of,
    region,
    product,
    segment,
    attributed_to,
    period,
    period_start,
    period_end,
    compared_period,
    compared_start,
    compared_end,
    step,
    unit,
    value as current_value,
    interval_low as current_low,
    interval_high as current_high,
    compared_value,
    compared_low,
    compared_high,
    fact_key as current_fact_key,
    compared_fact_key,
    source_count
from compared
