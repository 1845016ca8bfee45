-- Patents per company, region, calendar year and attribution: applications filed, patents
-- granted, the grant rate, and the international share. Which patent metric is which comes from
-- the catalogue where it can say so: granted patents are the whole that a patent share metric
-- is a share of (its share_of), and international_share is that share. The founding article's "half were international patents" is read as half of the
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

-- One metric key stays: filed applications are the denominator of the grant rate, and the
-- catalogue has no ratio relation yet (issue 18's ratio_of: grant rate = granted over filed)
-- from which the view could tell the filed count from any other patent count.
with patents as (
    select
        f.company,
        f.region,
        f.attributed_to,
        cast(extract(year from f.period_start) as integer) as year,
        case
            when f.metric = 'patents_filed' then 'filed'
            when m.share_of is not null then 'share'
            when part.metric_key is not null then 'granted'
        end as role,
        f.value,
        f.source_key
    from fact_provenance as f
    inner join metric as m on m.metric_key = f.metric
    left join metric as part on part.share_of = f.metric and part.subject = 'patent'
    where f.metric_subject = 'patent' and f.period_grain = 'year' and f.claim = 'actual'
        and f.is_current
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
