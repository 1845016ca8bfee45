-- Parts and wholes: a figure's parts added up beside the whole they belong to, for every
-- additive metric (a level or a change; not a rate, ratio, share, rank, flag or record): a
-- company's segments, its products of one kind, its regions of one kind against its worldwide
-- figure, and the companies of a market against the market's total (a figure stated with
-- market:). Actual, current figures of one period, unit and attribution. Parts that exceed
-- their whole beyond rounding are flagged where no part can be negative (a unit with a minimum
-- of 0: units, subscribers, stores; an amount of money may be a loss, and a part's profit may
-- exceed the whole's); parts that miss or exceed it are flagged whenever a source says the
-- whole is the sum of its parts by that dimension (sum_of). One row per set of parts, where
-- there is a stated whole, or two parts or more of one company.
-- column company: Company name; NULL when the parts are the companies of a whole market.
-- column metric: Metric key.
-- column region: Region of the whole (and of the parts, except regional parts).
-- column dimension: What the parts are: segment, product, region or company.
-- column part_kind: Product kind or region kind of the parts; NULL for segments and companies.
-- column period: Period label.
-- column period_start: First day of the period.
-- column period_end: Last day of the period.
-- column unit: Unit of the figures (an ISO currency for money).
-- column attributed_to: Who the source says gives the figures; NULL when the source itself.
-- column part_count: Number of parts stated.
-- column parts: The parts' names, in order.
-- column parts_sum: Sum of the parts' values.
-- column parts_low: Lowest sum the parts' intervals allow; NULL if any is unbounded below.
-- column parts_high: Highest sum the parts' intervals allow; NULL if any is unbounded above.
-- column whole_value: The whole's stated value; NULL when none is stated.
-- column whole_low: Lowest value the whole's statements allow; NULL if unbounded.
-- column whole_high: Highest value the whole's statements allow; NULL if unbounded.
-- column is_sum_of_parts: True when a source says the whole is the sum of its parts by this dimension (statement.sum_of).
-- column parts_exceed_whole: True when the parts add up to more than the whole can be (parts_low above whole_high), where no part can be negative or the whole is the sum of its parts.
-- column parts_miss_whole: True when the whole is the sum of its parts but they add up to less than it can be (parts_high below whole_low).
-- column whole_fact_key: The whole's fact (statement.fact_key; fact_provenance has its statements); NULL when none is stated.

-- Region, product and segment keys are parts of the fact key (mart/vocabulary.py's order:
-- company|metric|region|product|segment|...), which names no display name twice.
with additive as (
    select metric_key
    from metric
    where growth_of is null and ratio_numerator is null and share_of is null
        and record_of is null and ranked_by is null
        and unit not in ('percent', 'share', 'rank', 'flag', 'ratio')
),
levels as not materialized (
    select
        v.company, v.is_market, v.metric, v.region,
        split_part(v.fact_key, '|', 3) as region_key, r.region_kind, v.product,
        pk.product_kind, v.segment, v.period, v.period_start, v.period_end, v.unit,
        v.attributed_to, coalesce(v.attributed_to, '') as attribution_key, v.value,
        v.interval_low, v.interval_high, v.fact_key, coalesce(v.sum_of, '') as sum_of,
        coalesce(u.minimum >= 0, false) as is_never_negative
    from metric_values as v
    inner join additive as a on a.metric_key = v.metric
    inner join unit as u on u.unit = v.unit
    inner join region as r on r.region_key = split_part(v.fact_key, '|', 3)
    left join product as pk on pk.product_key = split_part(v.fact_key, '|', 4)
    where v.claim = 'actual' and v.value is not null and v.store_brand is null
),
wholes as not materialized (
    select *
    from levels
    where product is null and segment is null
),
parts as not materialized (
    select company, metric, region_key, region, 'segment' as dimension,
        cast(null as varchar) as part_kind, period, period_start, period_end, unit,
        attributed_to, attribution_key, segment as part, value, interval_low, interval_high,
        is_never_negative
    from levels
    where segment is not null and product is null
    union all
    select company, metric, region_key, region, 'product', product_kind, period,
        period_start, period_end, unit, attributed_to, attribution_key, product, value,
        interval_low, interval_high, is_never_negative
    from levels
    where product is not null and segment is null
    union all
    select p.company, p.metric, w.region_key, w.region_name, 'region',
        p.region_kind, p.period, p.period_start, p.period_end, p.unit, p.attributed_to,
        p.attribution_key, p.region, p.value, p.interval_low, p.interval_high,
        p.is_never_negative
    from levels as p
    inner join region as w on w.region_kind = 'world'
    where p.product is null and p.segment is null and p.region_kind <> 'world'
        and p.is_market = false
    union all
    -- Companies are added up only where their market's total is stated (semi-joined first:
    -- grouping every company's figures to drop them all took 7.7 s at 10M facts).
    select cast(null as varchar), p.metric, p.region_key, p.region, 'company',
        cast(null as varchar), p.period, p.period_start, p.period_end, p.unit, p.attributed_to,
        p.attribution_key, p.company, p.value, p.interval_low, p.interval_high,
        p.is_never_negative
    from levels as p
    where p.product is null and p.segment is null and p.is_market = false
        and exists (
            select 1 from wholes as w
            where w.is_market = true and w.metric = p.metric and w.region_key = p.region_key
                and w.period = p.period and w.unit = p.unit
                and w.attribution_key = p.attribution_key
        )
),
summed as not materialized (
    select
        company, metric, region_key, max(region) as region,
        dimension, part_kind, period, max(period_start) as period_start,
        max(period_end) as period_end, unit, max(attributed_to) as attributed_to,
        attribution_key, count(*) as part_count,
        string_agg(part, ', ' order by part) as parts,
        sum(value) as parts_sum,
        case when count(interval_low) = count(*) then sum(interval_low) end as parts_low,
        case when count(interval_high) = count(*) then sum(interval_high) end as parts_high,
        bool_and(is_never_negative) as is_never_negative
    from parts
    group by company, metric, region_key, dimension, part_kind, period, unit,
        attribution_key
),
-- Companies meet their whole on the company's name, so that a filter on company reaches both
-- sides; a market's companies (company NULL) meet the market's total in the second branch.
matched as (
    select p.*, w.value as whole_value, w.interval_low as whole_low,
        w.interval_high as whole_high, w.sum_of, w.fact_key as whole_fact_key
    from summed as p
    left join wholes as w
        on w.company = p.company and w.metric = p.metric and w.region_key = p.region_key
        and w.period = p.period and w.unit = p.unit and w.attribution_key = p.attribution_key
    where p.dimension <> 'company'
    union all
    select p.*, w.value, w.interval_low, w.interval_high, w.sum_of, w.fact_key
    from summed as p
    left join wholes as w
        on w.is_market = true and w.metric = p.metric and w.region_key = p.region_key
        and w.period = p.period and w.unit = p.unit and w.attribution_key = p.attribution_key
    where p.dimension = 'company'
)
select
    company,
    metric,
    region,
    dimension,
    part_kind,
    period,
    period_start,
    period_end,
    unit,
    attributed_to,
    cast(part_count as bigint) as part_count,
    parts,
    cast(parts_sum as numeric(24, 6)) as parts_sum,
    cast(parts_low as numeric(24, 6)) as parts_low,
    cast(parts_high as numeric(24, 6)) as parts_high,
    cast(whole_value as numeric(24, 6)) as whole_value,
    cast(whole_low as numeric(24, 6)) as whole_low,
    cast(whole_high as numeric(24, 6)) as whole_high,
    coalesce(sum_of = dimension, false) as is_sum_of_parts,
    coalesce((is_never_negative or sum_of = dimension) and parts_low > whole_high, false)
        as parts_exceed_whole,
    coalesce(sum_of = dimension and parts_high < whole_low, false) as parts_miss_whole,
    whole_fact_key
from matched
-- One part and no whole says nothing a figure does not already say; nor do companies added up
-- with no market total to set them against.
where whole_value is not null or (part_count > 1 and dimension <> 'company')
