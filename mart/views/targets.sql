-- Every target, goal, plan or guidance for any metric: figures with a forward-looking basis
-- (target, guidance, expected, planned; analysts' consensus is in expectations) and figures of
-- a metric the catalogue declares a target of another (revenue_target: target_of revenue),
-- each in its latest vintage (revisions has the earlier ones). Ranges and bounds are kept, in
-- any currency.
-- column company: Company name.
-- column metric: The metric targeted, e.g. revenue (for revenue_target, its target_of).
-- column stated_metric: The metric as stated, e.g. revenue_target or revenue.
-- column region: Region or market name.
-- column product: Product name, where the target is for one product.
-- column segment: Business segment name, where the target is for one segment.
-- column period: Period label the target is for.
-- column fiscal_period: Fiscal label, where a source words the period fiscally.
-- column period_grain: day, month, quarter, half, year or range.
-- column period_start: First day of the period.
-- column period_end: Last day of the period.
-- column value: Target value in base units (the low end of a range).
-- column value_high: High end of a range; NULL otherwise.
-- column bound: exact, about, at_least, at_most or range.
-- column unit: Unit of the value; an ISO 4217 code for money.
-- column basis: target, guidance (the company's forecast), expected (anyone else's), planned, or reported for a target metric.
-- column stated_on: Day the latest vintage was stated.
-- column attributed_to: Who the sources say set the target; NULL when the source itself.
-- column source_count: Number of sources stating it.
-- column is_disputed: True when the sources' figures do not meet.
select
    v.company,
    coalesce(m.target_of, v.metric) as metric,
    v.metric as stated_metric,
    v.region,
    v.product,
    v.segment,
    v.period,
    v.fiscal_period,
    v.period_grain,
    v.period_start,
    v.period_end,
    v.value,
    v.value_high,
    v.bound,
    v.unit,
    v.basis,
    v.stated_on,
    v.attributed_to,
    v.source_count,
    v.is_disputed
from metric_values as v
inner join metric as m on m.metric_key = v.metric
where v.basis in ('target', 'guidance', 'expected', 'planned') or m.target_of is not null
