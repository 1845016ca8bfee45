-- Quarterly smartphone shipments per company and region. Reported rows are the figures sources
-- state (agreed across sources, with how many state them); implied rows are previous quarters
-- derived from a stated growth on the previous quarter: units / (1 + qoq_growth_pct / 100),
-- wherever no source states that quarter. The rows of `metric_values` and `growth` for the
-- metric smartphone_shipments. Figures a source attributes to someone else (a research firm's)
-- are rows of their own, one per attribution: a rate is set beside, and implies a quarter from,
-- a level of the same attribution only.
-- column company: Company name; NULL for the whole market of the region (a research firm's total).
-- column region: Region or market; Global for worldwide shipments.
-- column period: Quarter label, e.g. 2017-Q2.
-- column period_start: First day of the quarter.
-- column period_end: Last day of the quarter.
-- column units: Smartphones shipped in the quarter (implied rows rounded to 2 decimals).
-- column bound: exact, about, at_least, at_most or range, as the figure is stated; about for implied rows (the stated rate is rounded).
-- column basis: reported (a source states it) or implied (derived from a stated growth rate).
-- column qoq_growth_pct: Growth on the previous quarter a source states, in percent; NULL if none.
-- column attributed_to: Who the sources say gives the figures (e.g. a research firm); NULL when the source gives them itself.
-- column source_count: Sources stating the figure (for implied rows: stating the growth rate).
with quarterly as (
    select
        company, region, attributed_to, coalesce(attributed_to, '') as attribution_key, period,
        period_start, period_end, value, bound, source_count
    from metric_values
    where metric = 'smartphone_shipments' and period_grain = 'quarter' and claim = 'actual'
        and product is null and segment is null
),
quarter_on_quarter as not materialized (
    select
        company, region, attributed_to, coalesce(attributed_to, '') as attribution_key, period,
        compared_period, stated_growth_pct, implied_base_value, compared_value, source_count
    from growth
    where level_metric = 'smartphone_shipments' and compared_with = 'previous_period'
        and stated_growth_pct is not null and product is null and segment is null
)
select
    q.company,
    q.region,
    q.period,
    q.period_start,
    q.period_end,
    cast(q.value as numeric(24, 2)) as units,
    q.bound,
    'reported' as basis,
    g.stated_growth_pct as qoq_growth_pct,
    q.attributed_to,
    q.source_count
from quarterly as q
left join quarter_on_quarter as g
    on g.company = q.company and g.region = q.region and g.period = q.period
    and g.attribution_key = q.attribution_key
union all
select
    g.company,
    g.region,
    g.compared_period as period,
    pc.compared_start as period_start,
    pc.compared_end as period_end,
    g.implied_base_value as units,
    'about' as bound,
    'implied' as basis,
    cast(null as numeric(24, 2)) as qoq_growth_pct,
    g.attributed_to,
    g.source_count
from quarter_on_quarter as g
inner join period_comparisons as pc
    on pc.period = g.period and pc.compared_with = 'previous_period'
where g.compared_value is null and g.implied_base_value is not null
