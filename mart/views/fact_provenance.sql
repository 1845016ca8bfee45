-- Every stored fact, one row per statement by one source, with its value, unit, basis, period,
-- source and the exact quote that states it: the row to open when asking "where does this number
-- come from?". Values are in base units (23.16 million smartphones -> 23160000 units).
-- column fact_id: Stable id of the statement: fact table and row id, e.g. metric_fact:12.
-- column fact_table: Table that stores the fact: metric_fact, patent_fact or store_fact.
-- column company: Company name.
-- column company_key: Company natural key, e.g. xiaomi.
-- column metric: Metric key from the catalogue, e.g. smartphone_shipments.
-- column metric_name: Metric display name.
-- column period: Period label: 2017-Q2, 2017-H1, 2016, 2017-02, 2017-07-07 or an ISO interval.
-- column period_grain: day, month, quarter, half, year or range.
-- column period_start: First day of the period (NULL when open-ended).
-- column period_end: Last day of the period (NULL when open-ended).
-- column period_wording: The period as the source words it, e.g. last year.
-- column region: Region or market name; Global when the fact names none.
-- column region_key: Region natural key, e.g. india.
-- column product: Product name, where the fact is about one product.
-- column store_brand: Store chain, for store facts.
-- column value: Value in base units; NULL when the source gives no figure.
-- column unit: units, CNY, USD, percent, share (0..1), rank, patents, stores, people or flag (1 = yes).
-- column basis: reported, derived, target, expected or approximate.
-- column wording: The figure as the source words it.
-- column quote: The exact sentence or phrase in the source that states the fact.
-- column quote_start: Offset of the quote's first character in the source text (0-based).
-- column quote_end: Offset just past the quote's last character in the source text.
-- column source_key: Source natural key (its seed file name).
-- column source_title: Title of the source.
-- column publisher: Publisher of the source; NULL where unknown.
-- column published_on: Publication date of the source.
-- column source_url: Address of the original article.
-- column is_summary: True when the stored source text is a summary, not the original wording.
with statements as (
    select
        'metric_fact' as fact_table,
        metric_fact_id as row_id,
        source_id,
        metric_id,
        company_id,
        period_id,
        region_id,
        product_id,
        cast(null as varchar) as store_brand,
        value,
        unit,
        basis,
        period_wording,
        wording,
        quote,
        quote_start,
        quote_end
    from metric_fact
    union all
    select
        'patent_fact' as fact_table,
        patent_fact_id as row_id,
        source_id,
        metric_id,
        company_id,
        period_id,
        region_id,
        cast(null as bigint) as product_id,
        cast(null as varchar) as store_brand,
        coalesce(cast(patent_count as numeric(24, 6)), share) as value,
        cast(null as varchar) as unit,
        basis,
        period_wording,
        wording,
        quote,
        quote_start,
        quote_end
    from patent_fact
    union all
    select
        'store_fact' as fact_table,
        store_fact_id as row_id,
        source_id,
        metric_id,
        company_id,
        period_id,
        region_id,
        cast(null as bigint) as product_id,
        store_brand,
        cast(store_count as numeric(24, 6)) as value,
        'stores' as unit,
        basis,
        period_wording,
        wording,
        quote,
        quote_start,
        quote_end
    from store_fact
)
select
    s.fact_table || ':' || cast(s.row_id as varchar) as fact_id,
    s.fact_table,
    c.company_name as company,
    c.company_key,
    m.metric_key as metric,
    m.metric_name,
    p.period_label as period,
    p.grain as period_grain,
    p.start_on as period_start,
    p.end_on as period_end,
    s.period_wording,
    r.region_name as region,
    r.region_key,
    pr.product_name as product,
    s.store_brand,
    cast(s.value as numeric(24, 6)) as value,
    coalesce(s.unit, m.unit) as unit,
    s.basis,
    s.wording,
    s.quote,
    s.quote_start,
    s.quote_end,
    src.source_key,
    src.title as source_title,
    src.publisher,
    src.published_on,
    src.url as source_url,
    src.is_summary
from statements as s
inner join company as c on s.company_id = c.company_id
inner join metric as m on s.metric_id = m.metric_id
inner join period as p on s.period_id = p.period_id
inner join region as r on s.region_id = r.region_id
inner join source as src on s.source_id = src.source_id
left join product as pr on s.product_id = pr.product_id
