-- Each actual figure against what was expected of it: the latest guidance (the company's own
-- forecast) and the latest consensus (analysts' expectation) of the same company, metric,
-- region, product, segment, store brand, period and unit known when the actual was first
-- stated, one row per actual and expectation (basis and who gave it). The surprise is the
-- actual's middle against the expectation's middle (a range's middle), in percent of the
-- expectation; its interval is what the bounds and rounding of both allow. outcome: beat
-- (the actual is above everything the expectation allows), missed (below it), met (they
-- overlap). Intervals that only touch are apart: 0.15 against a consensus of 0.16 is missed
-- "by a penny", though 0.155 is in both.
-- column company: Company name.
-- column metric: Metric key from the catalogue.
-- column region: Region or market name.
-- column product: Product name, where the figure is about one product.
-- column segment: Business segment name, where the figure is about one segment.
-- column store_brand: Store chain, for store figures.
-- column period: Period label.
-- column fiscal_period: Fiscal label, where a source words the period fiscally.
-- column unit: Unit of the values.
-- column actual_basis: reported, preliminary or derived.
-- column actual_value: The actual in base units, as metric_values shows it (the low end of a range).
-- column actual_value_high: High end of the actual's range; NULL otherwise.
-- column actual_bound: exact, about, at_least, at_most or range.
-- column actual_stated_on: Day the actual was first stated: expectations stated after it are not compared.
-- column expected_basis: guidance or consensus.
-- column expected_by: Who gave the expectation (an attribution: the company, an analyst, a compiler of consensus); NULL when the source gives it itself.
-- column expected_value: The expectation in base units (the low end of a range).
-- column expected_value_high: High end of the expectation's range; NULL otherwise.
-- column expected_bound: exact, about, at_least, at_most or range.
-- column expected_stated_on: Day the expectation was stated.
-- column surprise_pct: (actual middle - expected middle) / |expected middle| x 100; NULL when the expectation is 0.
-- column surprise_low_pct: The smallest surprise the two intervals allow, in percent; NULL when unbounded.
-- column surprise_high_pct: The largest surprise the two intervals allow, in percent; NULL when unbounded.
-- column outcome: beat, met or missed.
-- column actual_fact_key: The actual's fact (statement.fact_key).
-- column expected_fact_id: The expectation's statement (fact_provenance.fact_id).

-- Company first in every join and partition, so that a filter on company reaches the scans.
with actual as not materialized (
    select
        company, company_key, metric, region, product, segment, store_brand, period,
        fiscal_period, unit, basis, value, value_high, bound, interval_low, interval_high,
        fact_key,
        case when bound = 'range' then (value + value_high) / 2 else value end as middle
    from metric_values
    where claim = 'actual' and value is not null
),
expected as not materialized (
    select
        fact_id, company, company_key, metric, region, product, segment, store_brand, period, unit,
        basis, attributed_to, value, value_high, bound, interval_low, interval_high, stated_on,
        case when bound = 'range' then (value + value_high) / 2 else value end as middle
    from fact_provenance
    where basis in ('guidance', 'consensus') and value is not null
),
-- Each actual beside each expectation of the same figure.
pairs as not materialized (
    select
        a.*,
        e.fact_id as expected_fact_id,
        e.basis as expected_basis,
        e.attributed_to as expected_by,
        e.value as expected_value,
        e.value_high as expected_value_high,
        e.bound as expected_bound,
        e.interval_low as expected_low,
        e.interval_high as expected_high,
        e.stated_on as expected_stated_on,
        e.middle as expected_middle
    from actual as a
    inner join expected as e
        on e.company = a.company
        and e.company_key = a.company_key
        and e.metric = a.metric
        and e.region = a.region
        and e.period = a.period
        and e.unit = a.unit
        and e.product is not distinct from a.product
        and e.segment is not distinct from a.segment
        and e.store_brand is not distinct from a.store_brand
),
-- When each of those actuals was first stated (the fact key holds the company and the claim):
-- read for them only, not grouped over every statement.
first_stated as (
    select p.company, s.fact_key, min(s.stated_on) as stated_on
    from (select distinct company, fact_key from pairs) as p
    inner join statement as s on s.fact_key = p.fact_key
    group by p.company, s.fact_key
),
latest as (
    select
        p.*,
        f.stated_on as actual_stated_on,
        row_number() over (
            partition by p.company, p.fact_key, p.expected_basis, p.expected_by
            order by p.expected_stated_on desc,
                case p.expected_bound when 'exact' then 0 when 'range' then 1 when 'about' then 2
                    else 3 end,
                p.expected_fact_id
        ) as pick
    from pairs as p
    inner join first_stated as f on f.company = p.company and f.fact_key = p.fact_key
    where p.expected_stated_on <= f.stated_on
)

select
    company,
    metric,
    region,
    product,
    segment,
    store_brand,
    period,
    fiscal_period,
    unit,
    basis as actual_basis,
    cast(value as numeric(24, 6)) as actual_value,
    cast(value_high as numeric(24, 6)) as actual_value_high,
    bound as actual_bound,
    actual_stated_on,
    expected_basis,
    expected_by,
    cast(expected_value as numeric(24, 6)) as expected_value,
    cast(expected_value_high as numeric(24, 6)) as expected_value_high,
    expected_bound,
    expected_stated_on,
    -- Rounded half away from zero by long division with an exact remainder: DuckDB divides
    -- decimals in double precision, which breaks a tie (79.16675) otherwise than PostgreSQL.
    cast(
        sign((middle - expected_middle)) * (round((abs((middle - expected_middle)) * 1000000 - mod(abs((middle - expected_middle)) * 1000000, nullif(abs(expected_middle), 0))) / nullif(abs(expected_middle), 0))
            + case when 2 * mod(abs((middle - expected_middle)) * 1000000, nullif(abs(expected_middle), 0)) >= nullif(abs(expected_middle), 0) then 1 else 0 end) * 0.0001
        as numeric(24, 4)
    ) as surprise_pct,
    cast(
        sign((interval_low - expected_high)) * (round((abs((interval_low - expected_high)) * 1000000 - mod(abs((interval_low - expected_high)) * 1000000, nullif(abs(expected_middle), 0))) / nullif(abs(expected_middle), 0))
            + case when 2 * mod(abs((interval_low - expected_high)) * 1000000, nullif(abs(expected_middle), 0)) >= nullif(abs(expected_middle), 0) then 1 else 0 end) * 0.0001
        as numeric(24, 4)
    ) as surprise_low_pct,
    cast(
        sign((interval_high - expected_low)) * (round((abs((interval_high - expected_low)) * 1000000 - mod(abs((interval_high - expected_low)) * 1000000, nullif(abs(expected_middle), 0))) / nullif(abs(expected_middle), 0))
            + case when 2 * mod(abs((interval_high - expected_low)) * 1000000, nullif(abs(expected_middle), 0)) >= nullif(abs(expected_middle), 0) then 1 else 0 end) * 0.0001
        as numeric(24, 4)
    ) as surprise_high_pct,
    case
        when expected_high is not null and interval_low >= expected_high
            and middle > expected_middle then 'beat'
        when expected_low is not null and interval_high <= expected_low
            and middle < expected_middle then 'missed'
        else 'met'
    end as outcome,
    fact_key as actual_fact_key,
    expected_fact_id
from latest
where pick = 1
