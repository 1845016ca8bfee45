-- Every figure stated anywhere, agreed across sources: one row per fact (company, metric,
-- region, product, segment, store brand, period, unit, claim and attribution: fact_key), from
-- its current statements (statement.known_until is NULL: a revised forecast or a preliminary
-- figure that the final one replaced is not shown here, but in revisions). The value shown is the
-- tightest statement (exact before ranges, "about" and bounds; then the value most sources
-- state; then the latest source); a
-- figure is disputed when the statements' intervals do not all meet ("at least 2 million" and
-- 3 million agree; "about 14.7 billion" and 14.71 billion agree). Amounts keep their currency
-- in unit, so amounts in different currencies never mix. fact_provenance has each statement
-- behind a figure, with its quote, fact file and line.
-- stored: per company
-- column company: Company name; NULL for a figure about the whole market of the region.
-- column company_key: Company natural key; NULL for a whole market's figure.
-- column is_market: True for a figure about the whole market of the region (stated with market: instead of a company).
-- column metric: Metric key from the catalogue.
-- column region: Region or market name; Global when the figure names none.
-- column product: Product name, where the figure is about one product.
-- column segment: Business segment name, where the figure is about one segment.
-- column store_brand: Store chain, for store figures.
-- column period: Period label, e.g. 2017-Q2 or 2017-04-01/2017-07-01.
-- column fiscal_period: Fiscal label where a source words the period fiscally, e.g. FY2017-Q3.
-- column period_grain: day, month, quarter, half, year or range.
-- column period_start: First day of the period.
-- column period_end: Last day of the period.
-- column value: The agreed value in base units (the low end of a range).
-- column value_high: High end of a range; NULL otherwise.
-- column bound: exact, about, at_least, at_most or range, of the value shown.
-- column basis: reported, preliminary or derived for an actual (the final basis where there is one); guidance, consensus, expected, target or planned.
-- column claim: actual (reported, preliminary or derived) or the forecast's basis; statements compare only within one claim.
-- column stated_on: The latest day a current statement of the figure was stated.
-- column fact_key: The fact (statement.fact_key): company|metric|region|product|segment|store brand|period|unit|claim|attribution.
-- column unit: Unit of the value; an ISO 4217 code for money (USD, KRW).
-- column attributed_to: Who the sources say gives the figure; NULL when the source gives it itself.
-- column interval_low: Lowest value every statement allows (the highest of their lower limits); where they are disputed, the lowest any allows. NULL when unbounded below.
-- column interval_high: Highest value every statement allows (the lowest of their upper limits); where they are disputed, the highest any allows. NULL when unbounded above.
-- column source_count: Number of sources stating the figure.
-- column is_disputed: True when the statements' intervals do not all meet.
-- column sum_of: segment, product or region when a source says the figure is the sum of its parts by that dimension (part_sums checks them); NULL otherwise.

-- Aggregates the statement table on ids, in two steps (each distinct figure of a group, then
-- the group), and joins names last: windows and groups over 10M rows of names are several times
-- slower. The company's name and the metric's key are carried from the start so that a filter
-- on either reaches the scan (on PostgreSQL, a dashboard's metric filter read every statement).
-- A source has one current statement of a fact (the looser of two wordings is superseded by
-- the tighter, mart/vintages.py), so statements count sources.
with current_statements as (
    select
        c.company_name as company,
        m.metric_key,
        s.*
    from statement as s
    left join company as c on s.company_id = c.company_id
    inner join metric as m on s.metric_id = m.metric_id
    where s.known_until is null
),
per_value as (
    select
        s.company,
        c.company_key,
        s.company_id,
        s.metric_key,
        s.fact_key,
        s.value,
        s.value_high,
        s.bound,
        max(s.metric_id) as metric_id,
        max(s.region_id) as region_id,
        max(s.product_id) as product_id,
        max(s.segment_id) as segment_id,
        max(s.store_brand) as store_brand,
        max(s.period_id) as period_id,
        max(s.unit) as unit,
        max(s.attribution_id) as attribution_id,
        max(case s.basis when 'reported' then 3 when 'derived' then 2 when 'preliminary' then 1
            else 0 end) as final_rank,
        max(case when s.basis not in ('reported', 'preliminary', 'derived') then s.basis end)
            as forecast_basis,
        count(*) as support,
        max(src.published_on) as latest,
        max(s.stated_on) as stated_on,
        max(s.fiscal_period) as fiscal_period,
        max(s.sum_of) as sum_of,
        max(s.interval_low) as agreed_low,
        min(s.interval_high) as agreed_high,
        min(s.interval_low) as any_low,
        max(s.interval_high) as any_high,
        count(s.interval_low) as bounded_below,
        count(s.interval_high) as bounded_above
    from current_statements as s
    left join company as c on s.company_id = c.company_id
    inner join source as src on s.source_id = src.source_id
    group by s.company, c.company_key, s.company_id, s.metric_key, s.fact_key, s.value,
        s.value_high, s.bound
),
ranked as (
    select
        per_value.*,
        row_number() over (
            partition by company, company_id, metric_key, fact_key
            order by
                case bound when 'exact' then 0 when 'range' then 1 when 'about' then 2 else 3 end,
                support desc, latest desc, value
        ) as tightness
    from per_value
),
grouped as (
    select
        company as company_name,
        company_key,
        company_id,
        metric_key,
        fact_key,
        max(metric_id) as metric_id,
        max(region_id) as region_id,
        max(product_id) as product_id,
        max(segment_id) as segment_id,
        max(store_brand) as store_brand,
        max(period_id) as period_id,
        max(unit) as unit,
        max(attribution_id) as attribution_id,
        coalesce(max(forecast_basis), 'actual') as claim,
        coalesce(max(forecast_basis), case max(final_rank) when 3 then 'reported'
            when 2 then 'derived' else 'preliminary' end) as basis,
        max(stated_on) as stated_on,
        max(fiscal_period) as fiscal_period,
        max(sum_of) as sum_of,
        max(case when tightness = 1 then value end) as value,
        max(case when tightness = 1 then value_high end) as value_high,
        max(case when tightness = 1 then bound end) as bound,
        max(agreed_low) as agreed_low,
        min(agreed_high) as agreed_high,
        min(any_low) as any_low,
        max(any_high) as any_high,
        sum(bounded_below) = sum(support) as bounded_below,
        sum(bounded_above) = sum(support) as bounded_above,
        sum(support) as source_count
    from ranked
    group by company, company_key, company_id, metric_key, fact_key
)
select
    g.company_name as company,
    g.company_key,
    -- From the statements' company_id, so that a filter on it reaches the scan.
    g.company_id is null as is_market,
    g.metric_key as metric,
    r.region_name as region,
    pr.product_name as product,
    sg.segment_name as segment,
    g.store_brand,
    p.period_label as period,
    g.fiscal_period,
    p.grain as period_grain,
    p.start_on as period_start,
    p.end_on as period_end,
    cast(g.value as numeric(24, 6)) as value,
    cast(g.value_high as numeric(24, 6)) as value_high,
    g.bound,
    g.basis,
    -- From the statements' bases, not split_part(fact_key): a filter on that expression is
    -- pushed to the scan, where DuckDB then misjudges the joins (claim = 'actual' took 4x the
    -- whole view at 1M facts).
    g.claim,
    g.stated_on,
    g.fact_key,
    g.unit,
    a.attribution_name as attributed_to,
    cast(
        case when g.agreed_low <= g.agreed_high or g.agreed_high is null or g.agreed_low is null
            then g.agreed_low when g.bounded_below then g.any_low end
        as numeric(24, 6)
    ) as interval_low,
    cast(
        case when g.agreed_low <= g.agreed_high or g.agreed_high is null or g.agreed_low is null
            then g.agreed_high when g.bounded_above then g.any_high end
        as numeric(24, 6)
    ) as interval_high,
    cast(g.source_count as bigint) as source_count,
    coalesce(g.agreed_low > g.agreed_high, false) as is_disputed,
    g.sum_of
from grouped as g
inner join period as p on g.period_id = p.period_id
inner join region as r on g.region_id = r.region_id
left join product as pr on g.product_id = pr.product_id
left join segment as sg on g.segment_id = sg.segment_id
left join attribution as a on g.attribution_id = a.attribution_id
