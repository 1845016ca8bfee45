-- Which period each period is compared with: the period just before it of the same length
-- (previous_period: the quarter before a quarter, the half before a half), and the same period
-- a year earlier (year_earlier). The compared period need not be stated anywhere: its label
-- and dates are computed (2017-Q2 -> 2017-Q1). Growth views match levels on grain and start
-- date, so a fiscal quarter whose stated end differs by a day still meets the one before. A
-- day (a count at a date: metric.as_of) is compared with the same day a year earlier (a
-- month's last day with that month's last day) and, a month's last day, with the last day of
-- the month 1, 3, 6 and 12 months before (previous_period, step month, quarter, half, year:
-- fiscal periods end in any month); the step says which, so that a change stated over a half
-- meets the count six months earlier.
-- column period: Period label.
-- column grain: day, month, quarter, half or year.
-- column compared_with: previous_period or year_earlier.
-- column compared_period: Label of the period it is compared with.
-- column period_start: First day of the period.
-- column compared_start: First day of the compared period.
-- column compared_end: Last day of the compared period.
-- column step: How far back the comparison reaches: month, quarter, half or year (year for every year_earlier row).

with lengths as (
    select
        period_label,
        grain,
        start_on,
        case grain when 'month' then 1 when 'quarter' then 3 when 'half' then 6
            when 'year' then 12 end as months
    from period
    where grain in ('month', 'quarter', 'half', 'year') and start_on is not null
),
comparisons as (
    select period_label, grain, start_on, months, 'previous_period' as compared_with,
        cast(start_on - months * interval '1 month' as date) as compared_start
    from lengths
    union all
    select period_label, grain, start_on, months, 'year_earlier' as compared_with,
        cast(start_on - interval '12 months' as date) as compared_start
    from lengths
),
days as (
    select
        period_label,
        start_on,
        cast(date_trunc('month', start_on) + interval '1 month' - interval '1 day' as date)
            = start_on as is_month_end
    from period
    where grain = 'day' and start_on is not null
),
steps as (
    select 'month' as step, 1 as months
    union all
    select 'quarter', 3
    union all
    select 'half', 6
    union all
    select 'year', 12
),
day_comparisons as (
    select period_label, start_on, 'year_earlier' as compared_with, 'year' as step,
        case when is_month_end
            then cast(date_trunc('month', start_on) - interval '11 months' - interval '1 day'
                as date)
            else cast(start_on - interval '12 months' as date)
        end as compared_on
    from days
    union all
    select d.period_label, d.start_on, 'previous_period', st.step,
        cast(date_trunc('month', d.start_on) - (st.months - 1) * interval '1 month'
            - interval '1 day' as date)
    from days as d
    cross join steps as st
    where d.is_month_end
),
dated as (
    select
        period_label, grain, start_on, compared_with, compared_start,
        cast(compared_start + months * interval '1 month' - interval '1 day' as date)
            as compared_end,
        cast(extract(year from compared_start) as integer) as start_year,
        cast(extract(month from compared_start) as integer) as start_month
    from comparisons
)
select
    period_label as period,
    grain,
    compared_with,
    case
        when grain = 'year' and start_month = 1 then cast(start_year as varchar)
        when grain = 'half' and start_month in (1, 7)
            then cast(start_year as varchar) || '-H'
                || case start_month when 1 then '1' else '2' end
        when grain = 'quarter' and start_month in (1, 4, 7, 10)
            then cast(start_year as varchar) || '-Q'
                || case start_month when 1 then '1' when 4 then '2' when 7 then '3' else '4' end
        when grain = 'month'
            then cast(start_year as varchar) || '-' || lpad(cast(start_month as varchar), 2, '0')
        else cast(compared_start as varchar) || '/' || cast(compared_end as varchar)
    end as compared_period,
    start_on as period_start,
    compared_start,
    compared_end,
    case when compared_with = 'year_earlier' then 'year' else grain end as step
from dated
union all
select
    period_label as period,
    'day' as grain,
    compared_with,
    cast(compared_on as varchar) as compared_period,
    start_on as period_start,
    compared_on as compared_start,
    compared_on as compared_end,
    step
from day_comparisons
