-- PostgreSQL's functions and operators where DuckDB has none or answers differently: macros the
-- rewrite (rewrite.py) calls as memory.mart_dialect.*. Each statement ends with ';' at the end
-- of a line.
create schema memory.mart_dialect;

-- date_trunc as PostgreSQL types it: a date is truncated as the timestamptz it is cast to
-- (PostgreSQL has no date_trunc(text, date)); DuckDB's returns a timestamp.
create macro memory.mart_dialect.date_trunc(arg_field, arg_value date) as
    date_trunc(arg_field, cast(arg_value as timestamptz)),
    (arg_field, arg_value timestamp) as date_trunc(arg_field, arg_value),
    (arg_field, arg_value timestamptz) as date_trunc(arg_field, arg_value),
    (arg_field, arg_value interval) as date_trunc(arg_field, arg_value);

-- (arg_u / 10^arg_k) / arg_d for a positive integer arg_d, exactly and at PostgreSQL's division
-- scale (functions.py: numeric_quotient); each argument is written once, so that a call costs
-- one expansion when DuckDB binds the macro.
create macro memory.mart_dialect.numeric_div(arg_u, arg_k, arg_d) as
    cast(mart_numeric_quotient(cast(arg_u as varchar), arg_k, cast(arg_d as varchar))
        as decimal(38, 20));

-- A sum's digits and scale: sum() of an integer is a hugeint, of a decimal(w,k) a decimal(38,k).
create macro memory.mart_dialect.unscaled(arg_sum) as
    cast(replace(cast(arg_sum as varchar), '.', '') as hugeint);
create macro memory.mart_dialect.scale_of(arg_sum) as
    case when typeof(arg_sum) like 'DECIMAL(%'
    then cast(regexp_extract(typeof(arg_sum), ',(\d+)\)', 1) as integer) else 0 end;

-- avg() of an integer or numeric, as PostgreSQL's numeric avg: sum / count in numeric.
create macro memory.mart_dialect.avg_of(arg_sum, arg_count) as
    case when typeof(arg_sum) not in ('HUGEINT', 'BIGINT', 'INTEGER')
              and typeof(arg_sum) not like 'DECIMAL(%' then error(
        'avg() of ' || typeof(arg_sum) || ' is not supported by mart serve: '
        || 'cast the argument to numeric')
    else memory.mart_dialect.numeric_div(
        memory.mart_dialect.unscaled(arg_sum), memory.mart_dialect.scale_of(arg_sum), arg_count)
    end;

-- interval / number as PostgreSQL's interval_div: months and days divided in whole units, the
-- fractions carried down (a month as 30 days, a day as 24 hours), microseconds rounded.
create macro memory.mart_dialect.interval_months(arg_i) as
    datepart('year', arg_i) * 12 + datepart('month', arg_i);
create macro memory.mart_dialect.interval_micros(arg_i) as
    datepart('hour', arg_i) * 3600000000 + datepart('minute', arg_i) * 60000000
    + datepart('microseconds', arg_i);
create macro memory.mart_dialect.interval_div(arg_i, arg_f) as
    to_months(cast(trunc(memory.mart_dialect.interval_months(arg_i) / cast(arg_f as double)) as integer))
    + to_days(cast(trunc(
        datepart('day', arg_i) / cast(arg_f as double)
        + (memory.mart_dialect.interval_months(arg_i) / cast(arg_f as double)
           - trunc(memory.mart_dialect.interval_months(arg_i) / cast(arg_f as double))) * 30
      ) as integer))
    + to_microseconds(cast(round(
        memory.mart_dialect.interval_micros(arg_i) / cast(arg_f as double)
        + (datepart('day', arg_i) / cast(arg_f as double)
           + (memory.mart_dialect.interval_months(arg_i) / cast(arg_f as double)
              - trunc(memory.mart_dialect.interval_months(arg_i) / cast(arg_f as double))) * 30
           - trunc(datepart('day', arg_i) / cast(arg_f as double)
              + (memory.mart_dialect.interval_months(arg_i) / cast(arg_f as double)
                 - trunc(memory.mart_dialect.interval_months(arg_i) / cast(arg_f as double))) * 30)
          ) * 86400000000
      ) as bigint));

-- quote_literal / quote_nullable: PostgreSQL doubles quotes and, where the text holds a
-- backslash, doubles those too and writes the E'' form.
create macro memory.mart_dialect.quote_literal(arg_text) as
    case when contains(cast(arg_text as varchar), '\') then
        'E''' || replace(replace(cast(arg_text as varchar), '\', '\\'), '''', '''''') || ''''
    else '''' || replace(cast(arg_text as varchar), '''', '''''') || '''' end;
create macro memory.mart_dialect.quote_nullable(arg_text) as
    coalesce(memory.mart_dialect.quote_literal(arg_text), 'NULL');

-- initcap: the first letter of each run of letters and digits upper case, the rest lower.
create macro memory.mart_dialect.initcap(arg_text) as
    array_to_string(list_transform(
        regexp_extract_all(arg_text, '[[:alnum:]]+|[^[:alnum:]]+'),
        lambda w: upper(left(w, 1)) || lower(substr(w, 2))), '');

-- The variances and standard deviations of an integer or numeric are numeric in PostgreSQL,
-- computed exactly; DuckDB's are double precision. Only a floating-point argument is taken.
create macro memory.mart_dialect.float_only(arg_value, arg_function) as
    case when typeof(arg_value) in ('DOUBLE', 'FLOAT') then arg_value
    else error(arg_function || '() of ' || typeof(arg_value) || ' is not supported by mart serve: '
        || 'PostgreSQL computes it in numeric; cast the argument to double precision') end;

-- variance of integers or numerics as PostgreSQL's numeric_stddev_internal computes it, exactly:
-- (N * sum(x^2) - sum(x)^2) / (N * (N - 1)) (N * N for the population), at its division
-- scale; arg_sum and arg_squares are sums of the values' digits (x * 10^arg_k) and their squares.
create macro memory.mart_dialect.variance_of(arg_n, arg_sum, arg_squares, arg_k, arg_sample) as
    case when arg_n = 0 or (arg_sample and arg_n = 1) then null
    when cast(arg_n as hugeint) * arg_squares - arg_sum * arg_sum <= 0 then cast(0 as decimal(38, 20))
    else memory.mart_dialect.numeric_div(
        cast(arg_n as hugeint) * arg_squares - arg_sum * arg_sum, 2 * arg_k,
        case when arg_sample then cast(arg_n as hugeint) * (arg_n - 1)
        else cast(arg_n as hugeint) * arg_n end) end;
-- A value's digits, for variance_of: integers and decimals only.
create macro memory.mart_dialect.exact_digits(arg_value, arg_function) as
    case when typeof(arg_value) in ('DOUBLE', 'FLOAT') then error(
        arg_function || '() of double precision is not supported by mart serve: '
        || 'write the argument as x::float8')
    else memory.mart_dialect.unscaled(arg_value) end;

-- corr, covar_pop, covar_samp and regr_* as PostgreSQL computes them (float8_regr_accum, the
-- Youngs-Cramer updates, row by row in float8; then its final functions), from the aggregate's
-- arguments listed in the order rows arrive: DuckDB's own differ in the last digits.
create macro memory.mart_dialect.regr_state(arg_ys, arg_xs) as list_reduce(
    list_filter(list_zip(arg_ys, arg_xs), lambda p: p[1] is not null and p[2] is not null),
    lambda s, p: {
        'n': s.n + 1,
        'sx': s.sx + p[2],
        'sy': s.sy + p[1],
        'sxx': s.sxx + case when s.n > 0 then
            (p[2] * (s.n + 1) - (s.sx + p[2])) * (p[2] * (s.n + 1) - (s.sx + p[2]))
            * (1.0 / ((s.n + 1) * s.n)) else 0 end,
        'syy': s.syy + case when s.n > 0 then
            (p[1] * (s.n + 1) - (s.sy + p[1])) * (p[1] * (s.n + 1) - (s.sy + p[1]))
            * (1.0 / ((s.n + 1) * s.n)) else 0 end,
        'sxy': s.sxy + case when s.n > 0 then
            (p[2] * (s.n + 1) - (s.sx + p[2])) * (p[1] * (s.n + 1) - (s.sy + p[1]))
            * (1.0 / ((s.n + 1) * s.n)) else 0 end
    },
    {'n': cast(0 as double), 'sx': cast(0 as double), 'sy': cast(0 as double),
     'sxx': cast(0 as double), 'syy': cast(0 as double), 'sxy': cast(0 as double)});
create macro memory.mart_dialect.regr_final(arg_name, s) as
    case when s is null or s.n < 1 then null
    when arg_name = 'covar_pop' then s.sxy / s.n
    when arg_name = 'covar_samp' then case when s.n < 2 then null else s.sxy / (s.n - 1.0) end
    when arg_name = 'regr_sxx' then s.sxx
    when arg_name = 'regr_syy' then s.syy
    when arg_name = 'regr_sxy' then s.sxy
    when arg_name = 'regr_avgx' then s.sx / s.n
    when arg_name = 'regr_avgy' then s.sy / s.n
    when arg_name = 'corr' then
        case when s.sxx = 0 or s.syy = 0 then null else s.sxy / sqrt(s.sxx * s.syy) end
    when arg_name = 'regr_r2' then
        case when s.sxx = 0 then null when s.syy = 0 then 1.0
        else (s.sxy * s.sxy) / (s.sxx * s.syy) end
    when arg_name = 'regr_slope' then case when s.sxx = 0 then null else s.sxy / s.sxx end
    when arg_name = 'regr_intercept' then
        case when s.sxx = 0 then null else (s.sy - s.sx * s.sxy / s.sxx) / s.n end
    end;

-- percentile_cont(fraction) within group (order by x) as PostgreSQL computes it in float8: the
-- rows at floor and ceil of fraction * (n - 1) of the sorted values, lo + (hi - lo) * proportion
-- (DuckDB interpolates as lo * (1 - d) + hi * d, another last digit).
create macro memory.mart_dialect.percentile_cont_at(arg_sorted, arg_position) as
    case when ceil(arg_position) > floor(arg_position) then
        arg_sorted[cast(floor(arg_position) as bigint) + 1]
        + (arg_sorted[cast(ceil(arg_position) as bigint) + 1]
            - arg_sorted[cast(floor(arg_position) as bigint) + 1])
        * (arg_position - floor(arg_position))
    else arg_sorted[cast(floor(arg_position) as bigint) + 1] end;
-- arg_sorted: the values, not null, in order (NULL when there are none).
create macro memory.mart_dialect.percentile_cont_of(arg_sorted, arg_fraction) as
    case when arg_fraction < 0 or arg_fraction > 1 then error(
        'percentile value ' || cast(arg_fraction as varchar) || ' is not between 0 and 1')
    else memory.mart_dialect.percentile_cont_at(
        arg_sorted, cast(arg_fraction as double) * (len(arg_sorted) - 1)) end;
create macro memory.mart_dialect.percentiles_cont_of(arg_sorted, arg_fractions) as
    case when arg_sorted is not null then list_transform(
        arg_fractions, lambda f: memory.mart_dialect.percentile_cont_of(arg_sorted, f)) end;

-- x::text as PostgreSQL writes it, where DuckDB's text differs: a float without its ".0" and
-- with Infinity and NaN spelled out, an interval with "mon" and "-1 days" (rows.py writes
-- result columns the same way).
create macro memory.mart_dialect.text_of(arg_value) as
    case when typeof(arg_value) in ('DOUBLE', 'FLOAT') then
        case cast(arg_value as varchar) when 'inf' then 'Infinity' when '-inf' then '-Infinity'
        when 'nan' then 'NaN' else regexp_replace(cast(arg_value as varchar), '\.0$', '') end
    when typeof(arg_value) = 'INTERVAL' then regexp_replace(
        regexp_replace(cast(arg_value as varchar), ' month(s?)', ' mon\1', 'g'),
        '(^|[^0-9])-1 (year|mon|day)', '\1-1 \2s', 'g')
    else cast(arg_value as varchar) end;

-- pg_stat_activity, PostgreSQL 15's columns in its order: the server's sessions as
-- mart_stat_activity() (functions.py) lists them to the session arg_caller, with PostgreSQL's
-- rule of what another user's session shows (oids as UINTEGER: described as oid, rows.py).
-- Every session is in database oid 5 (pg_database's one row), as role oid 10: the catalog's
-- one role (pg_authid), while usename is the user the session started up as, which
-- pg_cancel_backend() compares.
create macro memory.mart_dialect.pg_stat_activity(arg_caller) as table
select
    cast(5 as uinteger) as datid,
    (select database_name from memory.mart_serve.server) as datname,
    a.pid,
    cast(null as integer) as leader_pid,
    cast(10 as uinteger) as usesysid,
    a.usename,
    a.application_name,
    a.client_addr,
    cast(null as varchar) as client_hostname,
    a.client_port,
    a.backend_start,
    a.xact_start,
    a.query_start,
    a.state_change,
    a.wait_event_type,
    a.wait_event,
    a.state,
    cast(null as bigint) as backend_xid,
    cast(null as bigint) as backend_xmin,
    cast(null as bigint) as query_id,
    a.query,
    a.backend_type
from (select unnest(mart_stat_activity(arg_caller), recursive := true)) as a;
