-- Revenue growth year on year, per company, region, period and stated value, with the
-- growth multiple it implies (328 percent growth -> revenue 4.28 times the year before).
-- column company: Company name.
-- column region: Region or market the revenue is earned in.
-- column period: Period label, e.g. 2017-H1.
-- column period_start: First day of the period.
-- column period_end: Last day of the period.
-- column yoy_growth_pct: Growth on the same period a year earlier, in percent.
-- column growth_multiple: Revenue as a multiple of the year-earlier revenue: 1 + yoy_growth_pct / 100.
-- column source_count: Number of sources stating this growth rate.
with growth as (
    select company, region, period, period_start, period_end, value, source_key
    from fact_provenance
    where metric = 'revenue_yoy_growth'
)
select
    company,
    region,
    period,
    period_start,
    period_end,
    cast(value as numeric(12, 2)) as yoy_growth_pct,
    -- value * 0.01, not value / 100: DuckDB divides decimals in double precision, and a tie such
    -- as 1.00185 would round differently from PostgreSQL's exact numeric.
    cast(1 + value * 0.01 as numeric(12, 4)) as growth_multiple,
    count(distinct source_key) as source_count
from growth
group by company, region, period, period_start, period_end, value
