-- Every stored figure, one row per statement by one source, with its value and bound, unit,
-- basis, period, attribution, source and the exact quote that states it: the row to open when
-- asking "where does this number come from?". Values are in base units (23.16 million
-- smartphones -> 23160000 units). Each statement says when it was stated and until when it was
-- current (a later forecast or the final figure supersedes it): what was known on a day D is
-- the rows with stated_on <= D and (known_until is null or known_until > D).
-- column fact_id: Id of the statement (statement.statement_id).
-- column metric_subject: What the metric is about: metric (a company metric), patent or store.
-- column company: Company name; NULL for a figure about the whole market of the region.
-- column company_key: Company natural key, e.g. xiaomi; NULL for a whole market's figure.
-- column is_market: True for a figure about the whole market of the region (company NULL).
-- column metric: Metric key from the catalogue, e.g. smartphone_shipments.
-- column metric_name: Metric display name.
-- column period: Period label: 2017-Q2, 2017-H1, 2016, 2017-02, 2017-07-07 or an ISO interval.
-- column fiscal_period: Fiscal label where the source words a fiscal period, e.g. FY2017-Q3.
-- column period_grain: day, month, quarter, half, year or range.
-- column period_start: First day of the period (NULL when open-ended).
-- column period_end: Last day of the period (NULL when open-ended).
-- column period_wording: The period as the source words it, e.g. last year.
-- column region: Region or market name; Global when the fact names none.
-- column region_key: Region natural key, e.g. india.
-- column product: Product name, where the figure is about one product.
-- column segment: Business segment name, where the figure is about one segment.
-- column store_brand: Store chain, for store figures.
-- column attributed_to: Who the source says gives the figure (an executive, a research firm); NULL when the source gives it itself.
-- column attribution_kind: company, executive, research_firm, analyst, regulator or other.
-- column value: Value in base units; the low end of a range; NULL when the source gives no figure.
-- column value_high: High end of a range; NULL unless bound is range.
-- column bound: exact, about, at_least, at_most or range.
-- column value_precision: Place of the last significant digit as stated (about 14 trillion -> 1000000000000).
-- column interval_low: Lowest value the statement allows: value - value_precision / 2 for exact and about figures, value for at_least and range; NULL when unbounded below (at_most).
-- column interval_high: Highest value the statement allows: value + value_precision / 2 for exact and about figures, value_high for a range, value for at_most; NULL when unbounded above (at_least).
-- column unit: Unit of the value: a catalogue unit (units, percent, share, ...) or an ISO 4217 currency code.
-- column claim: actual (reported, preliminary or derived) or the forecast's basis; statements compare only within one claim.
-- column fact_key: The fact stated, the same for every source and date: company|metric|region|product|segment|store brand|period|unit|claim|attribution.
-- column stated_on: Day the figure was stated: the publication date, or the earlier day the source gives.
-- column stated_on_wording: When it was stated as the source words it, e.g. in May; NULL if not given.
-- column known_until: Day a later statement superseded it (a revised forecast, the final figure); NULL while current.
-- column is_current: True while no later statement supersedes it.
-- column basis: reported, preliminary, derived (actuals); guidance, consensus, expected, target or planned.
-- column wording: The figure as the source words it.
-- column quote: The exact sentence or phrase in the source that states the figure.
-- column quote_start: Offset of the quote's first character in the source text (0-based).
-- column quote_end: Offset just past the quote's last character in the source text.
-- column seed_file: Fact file the statement was loaded from.
-- column seed_line: Line of the fact in a YAML file, or row number in a CSV/Parquet file.
-- column sum_of: segment, product or region: the source gives every part of this total by that dimension (part_sums checks they add up); NULL when it does not say.
-- column source_key: Source natural key (its seed file name).
-- column source_title: Title of the source.
-- column publisher: Publisher of the source; NULL where unknown.
-- column published_on: Publication date of the source.
-- column source_url: Address of the original article.
-- column is_summary: True when the stored source text is a summary, not the original wording.

-- One table holds every statement: no union, so a filter on company reaches the scan. The
-- interval a statement allows is stored with it by the loader, where bounds are defined once.
select
    s.statement_id as fact_id,
    m.subject as metric_subject,
    c.company_name as company,
    c.company_key,
    s.company_id is null as is_market,
    m.metric_key as metric,
    m.metric_name,
    p.period_label as period,
    s.fiscal_period,
    p.grain as period_grain,
    p.start_on as period_start,
    p.end_on as period_end,
    s.period_wording,
    r.region_name as region,
    r.region_key,
    pr.product_name as product,
    sg.segment_name as segment,
    s.store_brand,
    a.attribution_name as attributed_to,
    a.attribution_kind,
    s.value,
    s.value_high,
    s.bound,
    s.value_precision,
    s.interval_low,
    s.interval_high,
    s.unit,
    s.basis,
    -- The fact key's claim part as the loader wrote it (mart/vocabulary.py claim_sql; `mart
    -- check` holds every key to it), from the basis: splitting 10M keys cost a quarter of a
    -- full scan.
    case when s.basis in ('reported', 'preliminary', 'derived') then 'actual' else s.basis end
        as claim,
    s.fact_key,
    s.stated_on,
    s.stated_on_wording,
    s.known_until,
    s.known_until is null as is_current,
    s.wording,
    s.quote,
    s.quote_start,
    s.quote_end,
    s.seed_file,
    s.seed_line,
    s.sum_of,
    src.source_key,
    src.title as source_title,
    src.publisher,
    src.published_on,
    src.url as source_url,
    src.is_summary
from statement as s
left join company as c on s.company_id = c.company_id
inner join metric as m on s.metric_id = m.metric_id
inner join period as p on s.period_id = p.period_id
inner join region as r on s.region_id = r.region_id
inner join source as src on s.source_id = src.source_id
left join product as pr on s.product_id = pr.product_id
left join segment as sg on s.segment_id = sg.segment_id
left join attribution as a on s.attribution_id = a.attribution_id
