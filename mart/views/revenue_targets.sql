-- Revenue targets per company and fiscal year, in the currency the sources state them in, with
-- the US dollar figure where a source gives one.
-- column company: Company name.
-- column fiscal_year: Year the target is for.
-- column target_amount: Target revenue in base currency units (100 billion yuan -> 100000000000).
-- column currency: ISO currency code of target_amount.
-- column target_amount_usd: The same target in US dollars, where a source gives it.
-- column source_count: Number of sources stating target_amount.
with targets as (
    select
        company,
        cast(extract(year from period_start) as integer) as fiscal_year,
        unit as currency,
        value,
        source_key
    from fact_provenance
    where metric = 'revenue_target' and period_grain = 'year'
),
agreed as (
    select company, fiscal_year, currency, value, count(distinct source_key) as source_count
    from targets
    group by company, fiscal_year, currency, value
),
usd as (
    select company, fiscal_year, max(value) as value
    from agreed
    where currency = 'USD'
    group by company, fiscal_year
)
select
    a.company,
    a.fiscal_year,
    cast(a.value as numeric(24, 2)) as target_amount,
    a.currency,
    cast(u.value as numeric(24, 2)) as target_amount_usd,
    a.source_count
from agreed as a
left join usd as u on a.company = u.company and a.fiscal_year = u.fiscal_year
where a.currency <> 'USD'
    or not exists (
        select 1 from agreed as other
        where other.company = a.company
            and other.fiscal_year = a.fiscal_year
            and other.currency <> 'USD'
    )
