-- Quarterly smartphone shipments per company, worldwide. Reported rows are the figures sources
-- state (one row per distinct value, with how many sources agree on it); implied rows are
-- previous quarters derived from a stated growth rate: units / (1 + qoq_growth_pct / 100).
-- column company: Company name.
-- column period: Quarter label, e.g. 2017-Q2.
-- column period_start: First day of the quarter.
-- column period_end: Last day of the quarter.
-- column units: Smartphones shipped in the quarter (implied rows rounded to 2 decimals).
-- column basis: reported (a source states it) or implied (derived from a stated growth rate).
-- column qoq_growth_pct: Stated growth on the previous quarter, in percent; NULL if none stated.
-- column source_count: Sources stating the figure (for implied rows: stating the growth rate).
-- Reads metric_fact directly rather than fact_provenance: PostgreSQL has no statistics for the
-- union inside fact_provenance and planned nested loops that took 6 s over 100k facts.
with quarterly as (
    select
        f.company_id,
        c.company_name as company,
        c.company_key,
        m.metric_key as metric,
        p.period_label as period,
        p.start_on as period_start,
        p.end_on as period_end,
        f.value,
        f.source_id
    from metric_fact as f
    inner join metric as m on f.metric_id = m.metric_id
    inner join company as c on f.company_id = c.company_id
    inner join period as p on f.period_id = p.period_id
    inner join region as r on f.region_id = r.region_id
    where m.metric_key in ('smartphone_shipments', 'smartphone_shipments_qoq_growth')
        and r.region_key = 'global'
        and p.grain = 'quarter'
),
shipments as (
    select company, company_key, period, period_start, period_end, value, source_id as source_key
    from quarterly
    where metric = 'smartphone_shipments'
),
growth as (
    select company_key, period, value, count(distinct source_id) as source_count
    from quarterly
    where metric = 'smartphone_shipments_qoq_growth'
    group by company_key, period, value
),
reported as (
    select
        company,
        company_key,
        period,
        period_start,
        period_end,
        value as units,
        count(distinct source_key) as source_count
    from shipments
    group by company, company_key, period, period_start, period_end, value
),
implied as (
    select
        r.company,
        cast(r.period_start - interval '3 months' as date) as period_start,
        cast(r.period_start - interval '1 day' as date) as period_end,
        cast(round(r.units / (1 + g.value / 100), 2) as numeric(24, 2)) as units,
        g.source_count
    from reported as r
    inner join growth as g on r.company_key = g.company_key and r.period = g.period
    where not exists (
        select 1
        from reported as earlier
        where earlier.company_key = r.company_key
            and earlier.period_end = cast(r.period_start - interval '1 day' as date)
    )
)
select
    r.company,
    r.period,
    r.period_start,
    r.period_end,
    cast(r.units as numeric(24, 2)) as units,
    'reported' as basis,
    cast(g.value as numeric(12, 2)) as qoq_growth_pct,
    r.source_count
from reported as r
left join growth as g on r.company_key = g.company_key and r.period = g.period
union all
select
    company,
    cast(cast(extract(year from period_start) as integer) as varchar)
    || '-Q'
    || cast(cast(extract(quarter from period_start) as integer) as varchar) as period,
    period_start,
    period_end,
    units,
    'implied' as basis,
    cast(null as numeric(12, 2)) as qoq_growth_pct,
    source_count
from implied
