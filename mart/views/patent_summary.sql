-- Patents per company, region, calendar year and attribution: applications filed, patents
-- granted, the grant rate, and the international share. Which patent metric is which comes from
-- the catalogue's relations: filed applications are what a patent ratio (the grant rate) divides
-- by, granted patents what it divides and the whole a patent share metric is of, and
-- international_share is that share. The founding article's "half were international patents" is read as half of the
-- granted patents, so international_share applies to granted. Actual, current figures only;
-- figures a source attributes to someone else are a row of their own, so a grant rate never
-- sets one attribution's grants over another's filings. Where sources disagree on a figure, the
-- largest stated value is shown (fact_agreement lists them all).
-- column company: Company name.
-- column region: Region the patents are counted in; Global when the source names none.
-- column year: Calendar year the patents were filed and granted in.
-- column filed: Patent applications filed in the year.
-- column granted: Patents granted in the year.
-- column grant_rate: granted / filed, rounded to 6 decimals.
-- column international_share: Share (0..1) of the granted patents that are international.
-- column attributed_to: Who the sources say gives the figures; NULL when the source gives them itself.
-- column source_count: Number of sources stating any of these figures.

-- Which patent metric is which comes from the catalogue's relations, not metric keys: filed
-- applications are the denominator of a patent ratio (the grant rate: ratio_of granted over
-- filed), granted patents its numerator or the whole a patent share is of (share_of), and the
-- share is that share.
with roles as (
    select
        m.metric_key,
        case
            when m.share_of is not null then 'share'
            when exists (
                select 1 from metric as r
                inner join metric as n on n.metric_key = r.ratio_numerator
                where r.ratio_denominator = m.metric_key and n.subject = 'patent'
            ) then 'filed'
            when exists (
                select 1 from metric as r
                where r.ratio_numerator = m.metric_key or r.share_of = m.metric_key
            ) then 'granted'
        end as role
    from metric as m
    where m.subject = 'patent'
),
patents as (
    select
        f.company,
        f.region,
        f.attributed_to,
        cast(extract(year from f.period_start) as integer) as year,
        r.role,
        f.value,
        f.source_key
    from fact_provenance as f
    inner join roles as r on r.metric_key = f.metric
    where f.metric_subject = 'patent' and f.period_grain = 'year' and f.claim = 'actual'
        and f.is_current and r.role is not null
),
per_year as (
    select
        company,
        region,
        year,
        attributed_to,
        cast(max(case when role = 'filed' then value end) as bigint) as filed,
        cast(max(case when role = 'granted' then value end) as bigint) as granted,
        max(case when role = 'share' then value end) as international,
        count(distinct source_key) as source_count
    from patents
    group by company, region, year, attributed_to
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
    attributed_to,
    source_count
from per_year
