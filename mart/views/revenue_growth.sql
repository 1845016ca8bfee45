-- Revenue growth year on year, per company, region, period and stated rate, with the growth
-- multiple it implies (328 percent growth -> revenue 4.28 times the year before). The rows of
-- `growth` for the level metric revenue compared with the same period a year earlier. A rate a
-- source attributes to someone else is a row of its own, computed from that attribution's
-- levels only.
-- column company: Company name.
-- column region: Region or market the revenue is earned in.
-- column period: Period label, e.g. 2017-H1.
-- column period_start: First day of the period.
-- column period_end: Last day of the period.
-- column yoy_growth_pct: Growth on the same period a year earlier, in percent.
-- column growth_multiple: Revenue as a multiple of the year-earlier revenue: 1 + yoy_growth_pct / 100.
-- column computed_growth_pct: Growth computed from the stated revenue of both periods; NULL unless both are stated.
-- column attributed_to: Who the sources say gives the rate; NULL when the source gives it itself.
-- column source_count: Number of sources stating this growth rate.
select
    company,
    region,
    period,
    period_start,
    period_end,
    stated_growth_pct as yoy_growth_pct,
    -- value * 0.01, not value / 100: DuckDB divides decimals in double precision, and a tie such
    -- as 1.00185 would round differently from PostgreSQL's exact numeric.
    cast(1 + stated_growth_pct * 0.01 as numeric(24, 4)) as growth_multiple,
    cast(max(computed_growth_pct) as numeric(24, 2)) as computed_growth_pct,
    attributed_to,
    cast(max(source_count) as bigint) as source_count
from growth
where level_metric = 'revenue' and compared_with = 'year_earlier'
    and stated_growth_pct is not null and product is null and segment is null
group by company, region, period, period_start, period_end, stated_growth_pct, attributed_to
