-- Patents per company, region and calendar year: applications filed, patents granted, the grant rate,
-- and the international share. The founding article's "half were international patents" is read
-- as half of the granted patents, so international_share applies to granted. Where sources
-- disagree on a figure, the largest stated value is shown (fact_agreement lists them all).
-- column company: Company name.
-- column region: Region the patents are counted in; Global when the source names none.
-- column year: Calendar year the patents were filed and granted in.
-- column filed: Patent applications filed in the year.
-- column granted: Patents granted in the year.
-- column grant_rate: granted / filed, rounded to 6 decimals.
-- column international_share: Share (0..1) of the granted patents that are international.
-- column source_count: Number of sources stating any of these figures.
with patents as (
    select
        company,
        region,
        cast(extract(year from period_start) as integer) as year,
        metric,
        value,
        source_key
    from fact_provenance
    where metric_subject = 'patent' and period_grain = 'year'
),
per_year as (
    select
        company,
        region,
        year,
        cast(max(case when metric = 'patents_filed' then value end) as bigint) as filed,
        cast(max(case when metric = 'patents_granted' then value end) as bigint) as granted,
        max(case when metric = 'patents_international_share' then value end) as international,
        count(distinct source_key) as source_count
    from patents
    group by company, region, year
)
select
    company,
    region,
    year,
    filed,
    granted,
    -- Rounded half up by hand: DuckDB divides decimals in double precision, so round() could
    -- break a tie (7 / 640 = 0.0109375) differently from PostgreSQL's exact numeric.
    cast(
        floor((cast(granted as numeric(24, 6)) * 2000000 / nullif(filed, 0) + 1) / 2) / 1000000
        as numeric(9, 6)
    ) as grant_rate,
    cast(international as numeric(9, 6)) as international_share,
    source_count
from per_year
