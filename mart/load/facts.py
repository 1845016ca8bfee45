"""The fact rows: staged from YAML files, and bulk_fact_rows, the checked rows the write reads
(values worded, periods resolved, quotes found), with bulk_fact, what the rules ask of them."""

from typing import Any

from mart.load.stage import Stage, _in
from mart.load.values import _BOUND, _interval
from mart.models import ANY_CURRENCY
from mart.seedfiles import FACT_FIELDS, YamlFacts
from mart.vocabulary import FORWARD_BASES


def _yaml_facts(stage: Stage, files: list[YamlFacts]) -> list[str]:
    if not files:
        return []
    columns: dict[str, list[Any]] = {
        "file": [],
        "row_number": [],
        "yaml_index": [],
        "scope": [],
        "source_key": [],
        "quote_start": [],
        **{name: [] for name in FACT_FIELDS},
    }
    for y in files:
        rows = y.rows()
        count = len(rows["yaml_index"])
        for name, values in rows.items():
            columns[name] += values
        columns["file"] += [str(y.path)] * count
        columns["scope"] += [str(y.path)] * count
        columns["source_key"] += [y.path.stem] * count
        columns["quote_start"] += [None] * count
    stage.register("yaml_facts", columns)
    return ["select * from yaml_facts"]


def _fact_rows(stage: Stage) -> None:
    run = stage.run
    # Offsets the files give need no source text; finding them does.
    missing_offsets = run("select count(*) from bulk_fact_raw where quote_start is null")[0][0]
    # Each distinct quote is looked for once, into a table: a fact file often quotes one
    # sentence for several figures, and the checks and the inserts read the offsets again.
    run(
        "create or replace temp table bulk_quote_offset as select distinct scope, source_key, "
        "quote, cast(null as integer) as quote_offset from bulk_fact_raw where quote_start is null"
    )
    # The texts searched are copied into a table first: joined straight from a Parquet file,
    # DuckDB re-reads a text for every quote (100k quotes in a 2 MB text: 35 s, against 5 s).
    run(
        "create or replace temp table bulk_quoted_text as select s.scope, s.source_key, s.body "
        "from bulk_source as s where exists (select 1 from bulk_quote_offset as q "
        "where q.scope = s.scope and q.source_key = s.source_key)"
    )
    run(
        "update bulk_quote_offset as q set quote_offset = strpos(s.body, q.quote) - 1 "
        "from bulk_quoted_text as s where s.scope = q.scope and s.source_key = q.source_key"
    )
    quote_start = (
        "coalesce(cast(f.quote_start as integer), q.quote_offset)"
        if missing_offsets
        else "cast(f.quote_start as integer)"
    )
    offset_join = (
        "left join bulk_quote_offset as q on q.scope = f.scope "
        "and q.source_key = f.source_key and q.quote = f.quote"
    )
    relative = run("select count(*) from bulk_period_map where published_on is not null")[0][0]
    period_key = (
        f"pa.period = f.period and pa.forward = coalesce(f.basis in {_in(FORWARD_BASES)}, false) "
        "and pa.fiscal_year_end_month is not distinct from c.fiscal_year_end_month "
        "and pa.fiscal_year_named_by is not distinct from c.fiscal_year_named_by "
        "and pa.period_end is not distinct from f.period_end"
    )
    absolute = period_key + " and pa.published_on is null"
    relative_key = period_key.replace("pa.", "pr.") + " and pr.published_on = sd.published_on"
    label = "coalesce(pa.{0}, pr.{0})" if relative else "pa.{0}"
    # The rows to write: the inserts read this view. Source texts are joined only where a row
    # needs one (a relative period), which keeps 600 MB of bodies out of every insert at 10M
    # facts.
    stage.relation(
        "bulk_fact_rows",
        f"""
        select
            f.file, f.row_number, f.yaml_index, f.scope, f.source_key,
            f.metric, m.subject as metric_subject, m.unit as metric_unit, f.company, f.market,
            coalesce(f.region, f.market, 'global') as region, f.region as given_region,
            f.product, f.segment, f.store_brand, f.attributed_to, f.sum_of,
            f.is_multiple, m.is_growth as metric_is_growth, m.is_change as metric_is_change,
            f.value as raw_value, f.value_high as raw_value_high,
            f.value_number as value,
            f.value_high_number as value_high,
            f.value_unreadable, f.value_high_unreadable, f.unknown_currency, f.high_given,
            f.bound as given_bound,
            f.word_bound,
            {_BOUND} as bound,
            cast(f.precision_number as decimal(24, 6)) as value_precision,
            {_interval("low")} as interval_low,
            {_interval("high")} as interval_high,
            coalesce(f.unit, case when m.unit <> '{ANY_CURRENCY}' then m.unit end,
                case when len(f.sign_currencies) = 1 then f.sign_currencies[1] end) as unit,
            f.sign_currencies, f.value_sign,
            f.basis, f.period_wording as raw_period_wording,
            coalesce(sm.stated_day, sd.published_on) as stated_on,
            f.stated_on as stated_on_wording,
            coalesce(f.period_wording, f.period) as period_wording,
            {label.format("label")} as period_label,
            {label.format("fiscal_label")} as fiscal_period,
            {label.format("end_on")} as period_end_on,
            f.wording, f.quote,
            f.quote_start is not null as quote_start_given,
            {quote_start} as quote_start
        from bulk_fact_values as f
        left join bulk_metric as m on m.metric_key = f.metric
        left join bulk_company as c on c.scope = f.scope and c.company_key = f.company
        left join bulk_period_map as pa on {absolute}
        left join bulk_source_date as sd on sd.scope = f.scope and sd.source_key = f.source_key
        left join bulk_stated_map as sm on sm.stated_on = f.stated_on
            and sm.published_on = sd.published_on
        {offset_join if missing_offsets else ""}
        {f"left join bulk_period_map as pr on {relative_key}" if relative else ""}
    """,
    )
    # The rows with what the checks ask of them: is each name known, is the quote where it is said.
    stage.relation(
        "bulk_fact",
        """
        select
            f.*,
            s.source_key is not null as source_known,
            c.company_key is not null as company_known,
            r.region_key is not null as region_known,
            p.product_key is not null as product_known,
            sg.segment_key is not null as segment_known,
            a.attribution_key is not null as attribution_known,
            u.is_currency as unit_is_currency, u.minimum as unit_minimum,
            u.maximum as unit_maximum, u.is_whole as unit_is_whole,
            coalesce(case when f.quote_start_given
                then substr(s.body, f.quote_start + 1, length(f.quote)) = f.quote
                else f.quote_start >= 0 end, false) as quote_found
        from bulk_fact_rows as f
        left join bulk_source as s on s.scope = f.scope and s.source_key = f.source_key
        left join bulk_company as c on c.scope = f.scope and c.company_key = f.company
        left join bulk_region as r on r.region_key = f.region
        left join bulk_product as p on p.scope = f.scope and p.product_key = f.product
        left join bulk_segment as sg on sg.scope = f.scope and sg.segment_key = f.segment
        left join bulk_attribution as a on a.scope = f.scope and a.attribution_key = f.attributed_to
        left join bulk_unit as u on u.unit = f.unit
    """,
    )
