-- Dashboard SQL over the mart's views and tables, as BI tools write it: tests/test_serve_dialect.py
-- runs each on mart serve and on PostgreSQL holding the same mart (psycopg2) and compares the
-- answers value by value and column type by column type. Every query orders its rows fully.

-- name: date_trunc_month_of_date
select date_trunc('month', period_start) as month, count(*) as facts
from metric_values group by 1 order by 1 desc nulls last, 2;

-- name: date_trunc_grains_of_timestamp
select date_trunc('quarter', cast(period_start as timestamp)) as q,
       date_trunc('week', cast(period_end as timestamp)) as w, count(*) as n
from metric_values group by 1, 2 order by 1, 2;

-- name: extract_fields
select distinct extract(year from period_start) as y, extract(quarter from period_start) as q,
       extract(month from period_end) as m, extract(dow from period_end) as dow,
       extract(doy from period_end) as doy, extract(epoch from period_start) as epoch_day
from metric_values order by 1, 2, 3, 4, 5, 6;

-- name: extract_seconds_of_timestamp
select extract(second from timestamp '2017-03-04 05:06:07.250') as s,
       extract(epoch from timestamp '2017-03-04 05:06:07.250') as e,
       extract(milliseconds from timestamp '2017-03-04 05:06:07.250') as ms,
       date_part('hour', timestamp '2017-03-04 05:06:07') as h;

-- name: to_char_labels
select distinct to_char(period_start, 'YYYY-MM') as ym, to_char(period_start, 'Mon YYYY') as label,
       to_char(period_start, 'YYYY "Q"Q') as quarter, to_char(period_end, 'FMMonth FMDD, YYYY') as long_end,
       to_char(period_end, 'Dy DD.MM.YY') as short_end
from metric_values order by 1, 2, 3, 4, 5;

-- name: to_char_time_of_day
select to_char(cast(start_on as timestamp) + interval '13 hours 5 minutes', 'HH24:MI:SS HH12 AM') as t
from period order by period_label limit 3;

-- name: generate_series_calendar
select d::date as day, count(m.metric) as facts
from generate_series(timestamp '2017-01-01', timestamp '2017-01-10', interval '3 days') as d
left join metric_values m on m.period_start = d::date
group by 1 order by 1;

-- name: generate_series_in_select
select generate_series(1, 4) as n, 'x' as label order by n;

-- name: generate_series_counted
select count(*) as n, max(s) as top, sum(s::bigint) as total
from (select generate_series(1, 10) as s) as t;

-- name: window_rank_by_value
select company, metric, value,
       rank() over (partition by metric order by value desc) as value_rank,
       row_number() over (partition by metric order by value desc, company, period) as rn
from metric_values where metric in ('revenue', 'smartphone_shipments')
order by metric, rn;

-- name: window_running_total
select company, period_start, units,
       sum(units) over (partition by company order by period_start, period) as running_units,
       lag(units) over (partition by company order by period_start, period) as previous_units
from shipments_quarterly order by company, period_start, period;

-- name: filter_aggregates
select company, count(*) as facts,
       count(*) filter (where is_disputed) as disputed,
       count(*) filter (where bound is not null) as bounded,
       max(value) filter (where unit = 'units') as max_units
from metric_values group by company order by company;

-- name: rollup_company_metric
select company, metric, count(*) as facts, grouping(company, metric) as level
from metric_values group by rollup (company, metric)
order by company nulls first, metric nulls first, level;

-- name: ilike_search
select company_name from company where company_name ilike '%sam%' or company_name ilike 'x%'
order by 1;

-- name: ilike_any_array
select metric_key from metric where metric_key ilike any (array['%REVENUE%', 'smart%'])
order by 1;

-- name: like_escaped_underscore
select metric_key, metric_key like '%\_growth%' as is_growth, metric_key like 'revenue\_%' as r
from metric order by 1;

-- name: casts
select cast(value as bigint) as whole, value::numeric(30, 2) as two_places, value::text as text,
       period_start::timestamp as at_midnight, source_count::int as sources, is_disputed::text as flag
from metric_values order by company, metric, period, region nulls first, product nulls first,
       segment nulls first, store_brand nulls first, basis limit 20;

-- name: paging_offset
select company, metric, period, value from metric_values
order by value desc, company, metric, period limit 5 offset 5;

-- name: null_order_desc
select company, region, product, value from metric_values
order by product desc, region desc, company, metric, period, value limit 15;

-- name: null_order_asc_and_window
select company, product,
       first_value(product) over (partition by company order by product desc
           rows between unbounded preceding and unbounded following) as top_product
from metric_values order by company, product desc, period, metric, value limit 15;

-- name: string_agg_ordered
select company, string_agg(distinct metric, ', ' order by metric desc) as metrics
from metric_values group by company order by company;

-- name: avg_by_company
select company, avg(value) as avg_value, avg(source_count) as avg_sources
from metric_values group by company order by company;

-- name: top_n_with_nulls
select company, store_brand, max(value) as top_value from metric_values
group by 1, 2 order by 2 desc, 1 limit 8;

-- name: case_and_coalesce
select company, coalesce(product, region, 'all') as slice,
       case when value >= 1000000 then 'large' when value >= 1000 then 'medium' else 'small' end as size
from metric_values order by 1, 2, 3, value limit 20;

-- name: growth_view
select company, period, yoy_growth_pct, computed_growth_pct, growth_multiple
from revenue_growth order by computed_growth_pct desc, company, period, yoy_growth_pct;

-- name: patents_view
select company, year, filed, granted, grant_rate from patent_summary
order by grant_rate desc, company, year;

-- name: distinct_on
select distinct on (company) company, metric, value from metric_values
order by company, value desc, metric;

-- name: date_arithmetic
select period_label, end_on, start_on + 30 as plus_30,
       start_on + interval '1 month' as next_month
from period order by period_label limit 6;

-- name: to_char_numbers
select company, to_char(value, 'FM999,999,999,999,990.00') as shown,
       to_char(source_count, '000') as sources
from metric_values order by value desc nulls last, company, metric, period limit 10;

-- name: initcap_and_quote
select initcap(metric_name) as title, quote_literal(metric_key) as literal, length(metric_key) as len
from metric order by metric_key;

-- name: time_range_filter
select count(*) as facts from metric_values
where period_start >= to_date('2017-01-01', 'YYYY-MM-DD')
  and period_start < to_timestamp('2018-01-01 00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US');
