-- Quarterly smartphone shipments per company, worldwide. Reported rows are the figures sources
-- state (one row per distinct value, with how many sources agree on it); implied rows are
-- previous quarters derived from a stated growth rate: units / (1 + qoq_growth_pct / 100), from
-- the values most sources agree on, wherever no source states that quarter.
-- column company: Company name.
-- column period: Quarter label, e.g. 2017-Q2.
-- column period_start: First day of the quarter.
-- column period_end: Last day of the quarter.
-- column units: Smartphones shipped in the quarter (implied rows rounded to 2 decimals).
-- column basis: reported (a source states it) or implied (derived from a stated growth rate).
-- column qoq_growth_pct: Growth on the previous quarter most sources state, in percent; NULL if none.
-- column source_count: Sources stating the figure (for implied rows: stating the growth rate).

-- Reads metric_fact directly and relates quarters with window functions, not self-joins:
-- PostgreSQL has no statistics for fact_provenance's union or for CTEs, and its nested-loop plans
-- took 6 to 9 s over 100k facts (measured); DuckDB plans either form well. Windows partition
-- by company name as well as id so that a filter on company is pushed below them.
with quarterly as (
    select
        f.company_id,
        c.company_name as company,
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
stated as (
    select
        company_id,
        company,
        metric,
        period,
        period_start,
        period_end,
        value,
        count(distinct source_id) as source_count
    from quarterly
    group by company_id, company, metric, period, period_start, period_end, value
),
ranked as (
    select
        company_id,
        company,
        metric,
        period,
        period_start,
        period_end,
        value,
        source_count,
        row_number() over (
            partition by company_id, company, period, metric order by source_count desc, value
        ) as agreement_rank
    from stated
),
with_growth as (
    select
        company_id,
        company,
        metric,
        period,
        period_start,
        period_end,
        value,
        source_count,
        agreement_rank,
        max(case when metric = 'smartphone_shipments_qoq_growth' and agreement_rank = 1
            then value end) over (partition by company_id, company, period) as qoq_growth,
        max(case when metric = 'smartphone_shipments_qoq_growth' and agreement_rank = 1
            then source_count end) over (partition by company_id, company, period) as growth_sources
    from ranked
),
agreed as (
    select
        company,
        period_start,
        value as units,
        qoq_growth,
        growth_sources,
        lag(period_end) over (partition by company_id, company order by period_start)
            as previous_end
    from with_growth
    where metric = 'smartphone_shipments' and agreement_rank = 1
),
implied as (
    select
        company,
        cast(period_start - interval '3 months' as date) as period_start,
        cast(period_start - interval '1 day' as date) as period_end,
        cast(round(units / (1 + qoq_growth / 100), 2) as numeric(24, 2)) as units,
        growth_sources as source_count
    from agreed
    where qoq_growth is not null
        and (previous_end is null or previous_end <> cast(period_start - interval '1 day' as date))
)
select
    company,
    period,
    period_start,
    period_end,
    cast(value as numeric(24, 2)) as units,
    'reported' as basis,
    cast(qoq_growth as numeric(12, 2)) as qoq_growth_pct,
    source_count
from with_growth
where metric = 'smartphone_shipments'
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
