-- The synthetic corpus, generated set-based. $name placeholders are filled in by synth.py.
create or replace temp table synth_company as
select
    i as c,
    'co-' || lpad(cast(i as varchar), 6, '0') as company_key,
    'Company ' || cast(i as varchar) as company_name,
    1000000 + hash($seed, 'base', i) % 40000000 as base_units
from range($companies) as t(i);

create or replace temp table synth_source as
select
    c.c,
    c.company_key,
    c.company_name,
    y.year,
    s.s,
    'synth-' || c.company_key || '-' || cast(y.year as varchar) || '-' || cast(s.s as varchar)
        as source_key,
    cast(make_date(y.year + 1, 1, 10) + cast(s.s * 7 + hash($seed, 'day', c.c, y.year) % 20 as integer)
        as date) as published_on,
    ['Daily Ledger', 'Tech Times', 'Market Post'][s.s + 1] as publisher
from synth_company as c
cross join (select $first_year + i as year from range($years) as t(i)) as y
cross join (select i as s from range($sources_per_year) as t(i)) as s;

-- The true quarterly figures; sources state them (later sources sometimes 1% off).
create or replace temp table synth_quarter as
select
    c.c,
    y.year,
    q.q,
    cast(round(c.base_units * (1 + ((y.year - $first_year) * 4 + q.q) * 0.02)
        * (0.9 + (hash($seed, 'q', c.c, y.year, q.q) % 200) / 1000.0)) as bigint) as units,
    cast(hash($seed, 'india', c.c, y.year, q.q) % 4000 as integer) / 10.0 - 50 as india_growth,
    cast(hash($seed, 'china', c.c, y.year, q.q) % 1500 as integer) / 10.0 - 20 as china_growth,
    cast(10 + hash($seed, 'stores', c.c) % 300 + ((y.year - $first_year) * 4 + q.q) * 3
        as bigint) as stores
from synth_company as c
cross join (select $first_year + i as year from range($years) as t(i)) as y
cross join (select i + 1 as q from range(4) as t(i)) as q;

create or replace temp table synth_growth as
select
    cur.*,
    round((cur.units * 1.0 / prev.units - 1) * 100, 1) as qoq_growth
from synth_quarter as cur
left join synth_quarter as prev
    on prev.c = cur.c
    and prev.year * 4 + prev.q = cur.year * 4 + cur.q - 1;

create or replace temp table synth_fact_raw as
with quarterly as (
    select
        s.source_key, s.company_key, s.company_name, s.s, s.c, g.year, g.q,
        'Q' || cast(g.q as varchar) || ' ' || cast(g.year as varchar) as quarter_wording,
        g.units, g.qoq_growth, g.india_growth, g.china_growth, g.stores
    from synth_source as s
    inner join synth_growth as g on g.c = s.c and g.year = s.year
),
stated as (
    select 1 as kind, source_key, company_key, company_name, s, c, year, q,
        'smartphone_shipments' as metric, quarter_wording as period, 'global' as region,
        cast(null as varchar) as store_brand, cast(units as double) as value
    from quarterly
    union all
    select 2, source_key, company_key, company_name, s, c, year, q,
        'smartphone_shipments_qoq_growth', quarter_wording, 'global', null, qoq_growth
    from quarterly where qoq_growth is not null
    union all
    select 3, source_key, company_key, company_name, s, c, year, q,
        'revenue_yoy_growth', quarter_wording, 'india', null, india_growth
    from quarterly
    union all
    select 4, source_key, company_key, company_name, s, c, year, q,
        'revenue_yoy_growth', quarter_wording, 'china', null, china_growth
    from quarterly
    union all
    select 5, source_key, company_key, company_name, s, c, year, q,
        'stores_open', cast(make_date(year, q * 3, 1) + interval 1 month - interval 1 day as date)
            ::varchar, 'china', company_name || ' Store', stores
    from quarterly
    union all
    select 6, source_key, company_key, company_name, s, c, year, 5,
        'patents_filed', cast(year as varchar), 'global', null,
        100 + hash($seed, 'filed', c, year) % 9000
    from synth_source
    union all
    select 7, source_key, company_key, company_name, s, c, year, 5,
        'patents_granted', cast(year as varchar), 'global', null,
        50 + hash($seed, 'granted', c, year) % 90
    from synth_source
    union all
    select 8, source_key, company_key, company_name, s, c, year, 5,
        'revenue_target', cast(year + 1 as varchar), 'global', null,
        (1 + hash($seed, 'target', c, year) % 500) * 1000000000
    from synth_source
)
select
    *,
    -- Later sources misstate about 2% of figures by 1%: sources that disagree.
    case
        when s > 0 and hash($seed, 'off', source_key, kind, q) % 50 = 0
            then round(value * 1.01, case when kind in (2, 3, 4) then 1 else 0 end)
        else value
    end as stated_value
from stated;

create or replace temp table synth_fact as
with worded as (
    select
        *,
        case kind
            when 1 then format('{:,} smartphones', cast(stated_value as bigint))
            when 5 then format('{:,} stores', cast(stated_value as bigint))
            when 6 then format('{:,} patents', cast(stated_value as bigint))
            when 7 then format('{:,} patents were granted', cast(stated_value as bigint))
            when 8 then format('{:,} yuan', cast(stated_value as bigint))
            else format('{:.1f} percent', stated_value)
        end as wording
    from synth_fact_raw
),
quoted as (
    select
        *,
        case kind
            when 1 then format('{} shipped {} in {}.', company_name, wording, period)
            when 2 then format('Shipments changed by {} on the previous quarter in {}.', wording, period)
            when 3 then format('Revenue in India changed by {} year on year in {}.', wording, period)
            when 4 then format('Revenue in China changed by {} year on year in {}.', wording, period)
            when 5 then format('{} had {} open in China on {}.', company_name, wording, period)
            when 6 then format('{} applied for {} in {}.', company_name, wording, period)
            when 7 then format('Of the patents filed in {}, {}.', period, wording)
            else format('{} set a revenue goal of {} for {}.', company_name, wording, period)
        end as quote
    from worded
),
numbered as (
    select
        *,
        row_number() over (partition by source_key order by q, kind) as ordinal
    from quoted
)
select
    n.source_key,
    n.metric,
    n.company_key as company,
    n.period,
    n.region,
    cast(null as varchar) as product,
    n.store_brand,
    cast(n.stated_value as decimal(24, 6)) as value,
    case when n.metric = 'revenue_target' then 'CNY' end as unit,
    case when n.metric = 'revenue_target' then 'target' else 'reported' end as basis,
    n.wording,
    n.quote,
    cast(length('date 2017-01-01' || chr(10))
        + sum(length(n.quote) + 1) over (
            partition by n.source_key order by n.ordinal rows unbounded preceding
        ) - length(n.quote) - 1 as integer) as quote_start,
    n.ordinal
from numbered as n;
