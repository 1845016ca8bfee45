"""The write phase: which sources changed (digests), the insert-selects, and on PostgreSQL
the COPY of the staged tables."""

import csv
import io
import re
from pathlib import Path

from sqlalchemy import Connection

from mart import vintages
from mart.load.conflicts import STATEMENT_KEY
from mart.load.stage import Stage, lit
from mart.vocabulary import fact_key_sql

# The write phase, the same SQL on DuckDB and PostgreSQL, over staged tables of the same names.
# A digest of a source's fact rows and of its own details (title, publisher, ...): a reload
# rewrites the sources where either changed, and only those.
FACTS_DIGEST = """sha256(concat_ws('|', coalesce(d.fact_count, 0), coalesce(d.row_hash, 0),
        s.title, s.publisher, s.url, s.is_summary, s.published_on))"""

# A YAML source's digest is that of its inputs (mart.freshness), given in bulk_input_digest, so
# that `mart seed` of an unchanged file can answer without staging it.
DIGEST_SQL = f"""
create or replace temp table bulk_changed as
with digest as (
    select source_key, count(*) as fact_count,
        bit_xor(hash({STATEMENT_KEY}, value, value_high, bound, value_precision,
                     period_wording, fiscal_period, wording, quote, quote_start, sum_of,
                     regexp_extract(file, '[^/]*$'), row_number)) as row_hash
    from bulk_fact_rows
    group by source_key
)
select s.source_key, sha256(s.body) as text_sha256,
    coalesce(i.facts_sha256, {FACTS_DIGEST}) as facts_sha256
from bulk_source as s
left join digest as d using (source_key)
left join bulk_input_digest as i using (source_key)
left join source as t on t.source_key = s.source_key
where t.source_key is null
    or t.text_sha256 <> sha256(s.body)
    or t.facts_sha256 <> coalesce(i.facts_sha256, {FACTS_DIGEST})
"""

# The dimensions and sources, upserted.
UPSERT_SQL = [
    """insert into company (company_key, company_name, fiscal_year_end_month,
           fiscal_year_named_by)
       select company_key, max(company_name), max(fiscal_year_end_month),
           max(fiscal_year_named_by)
       from bulk_company
       group by company_key
       on conflict (company_key) do update set company_name = excluded.company_name,
           fiscal_year_end_month = excluded.fiscal_year_end_month,
           fiscal_year_named_by = excluded.fiscal_year_named_by""",
    """insert into product (product_key, product_name, company_id, product_kind)
       select p.product_key, max(p.product_name), max(c.company_id), max(p.product_kind)
       from bulk_product as p inner join company as c on c.company_key = p.company_key
       group by p.product_key
       on conflict (product_key) do update set product_name = excluded.product_name,
           company_id = excluded.company_id, product_kind = excluded.product_kind""",
    """insert into segment (segment_key, segment_name, company_id)
       select s.segment_key, max(s.segment_name), max(c.company_id)
       from bulk_segment as s inner join company as c on c.company_key = s.company_key
       group by s.segment_key
       on conflict (segment_key) do update set segment_name = excluded.segment_name,
           company_id = excluded.company_id""",
    """insert into attribution (attribution_key, attribution_name, attribution_kind)
       select attribution_key, max(attribution_name), max(attribution_kind)
       from bulk_attribution group by attribution_key
       on conflict (attribution_key) do update set attribution_name = excluded.attribution_name,
           attribution_kind = excluded.attribution_kind""",
    """insert into period (period_label, grain, start_on, end_on)
       select label, max(grain), max(start_on), max(end_on) from bulk_period_map group by label
       on conflict (period_label) do nothing""",
    """insert into source (source_key, title, publisher, url, is_summary, published_on,
           text_sha256, facts_sha256, body)
       select s.source_key, s.title, s.publisher, s.url, s.is_summary, s.published_on,
           c.text_sha256, c.facts_sha256, s.body
       from bulk_changed as c inner join bulk_source as s on s.source_key = c.source_key
       on conflict (source_key) do update set title = excluded.title,
           publisher = excluded.publisher, url = excluded.url, is_summary = excluded.is_summary,
           published_on = excluded.published_on, text_sha256 = excluded.text_sha256,
           facts_sha256 = excluded.facts_sha256, body = excluded.body""",
]

# The changed sources' statements, replaced.
REPLACE_SQL = [
    """delete from statement where source_id in (select s.source_id from source as s
       inner join bulk_changed as c on c.source_key = s.source_key)""",
    """insert into statement (source_id, metric_id, company_id, period_id, region_id,
           product_id, segment_id, attribution_id, store_brand, value, value_high, bound,
           value_precision, interval_low, interval_high, unit, basis, fiscal_period,
           period_wording, wording, quote, quote_start, quote_end, seed_file, seed_line,
           stated_on, stated_on_wording, fact_key, sum_of)
       select s.source_id, m.metric_id, c.company_id, p.period_id, r.region_id,
           pr.product_id, sg.segment_id, a.attribution_id, f.store_brand, f.value, f.value_high,
           f.bound, f.value_precision, f.interval_low, f.interval_high, f.unit, f.basis,
           f.fiscal_period, f.period_wording, f.wording, f.quote, f.quote_start,
           f.quote_start + length(f.quote), f.seed_file, f.row_number,
           f.stated_on, f.stated_on_wording, f.fact_key, f.sum_of
       from bulk_fact_written as f
       inner join source as s on s.source_key = f.source_key
       inner join metric as m on m.metric_key = f.metric
       left join company as c on c.company_key = f.company
       inner join period as p on p.period_label = f.period_label
       inner join region as r on r.region_key = f.region
       left join product as pr on pr.product_key = f.product
       left join segment as sg on sg.segment_key = f.segment
       left join attribution as a on a.attribution_key = f.attributed_to
       where f.source_key in (select source_key from bulk_changed)""",
]

# The facts a load touches: those of the statements it replaces (before the delete) and of the
# new ones (after the insert), in bulk_touched (mart.refresh reads them; the caller drops it).
TOUCHED_BEFORE = """create temp table bulk_touched as select distinct fact_key from statement
    where source_id in (select s.source_id from source as s
    inner join bulk_changed as c on c.source_key = s.source_key)"""
TOUCHED_AFTER = """insert into bulk_touched select distinct fact_key from bulk_fact_written
    where source_key in (select source_key from bulk_changed)"""

# Whether the load rewrites the whole mart: no statement it keeps (a build into an empty mart,
# or every source changed). Then every fact is touched, and listing them costs more than the
# rest of the write (10M facts: a distinct over every fact key, 17 s, and a semi-join on it).
REWRITES_ALL_SQL = """select not exists (select 1 from statement where source_id not in
    (select s.source_id from source as s inner join bulk_changed as c using (source_key)))"""


def write_sql(few: bool = False, every: bool = False) -> list[str]:
    """Every statement of the write phase, after bulk_changed exists. `few`: a small load, whose
    known_until upkeep reads only the statements of the facts it touches (mart.vintages);
    `every`: the load rewrites the whole mart (REWRITES_ALL_SQL), no fact list is kept and
    known_until is set over every statement."""
    if every:
        return [*UPSERT_SQL, *REPLACE_SQL, *vintages.write_known_until_sql(None)]
    return [
        *UPSERT_SQL,
        TOUCHED_BEFORE,
        *REPLACE_SQL,
        TOUCHED_AFTER,
        *vintages.write_known_until_sql("select fact_key from bulk_touched", few),
    ]


# The fact key of a staged row, as mart.vocabulary defines it.
FACT_KEY = fact_key_sql(
    {
        "company": "company",
        "metric": "metric",
        "region": "region",
        "product": "product",
        "segment": "segment",
        "store_brand": "store_brand",
        "period": "period_label",
        "unit": "unit",
        "basis": "basis",
        "attributed_to": "attributed_to",
    }
)
# bulk_fact_rows as the write phase reads it: the file's name, not its path.
WRITTEN_FACTS = f"""
create or replace temp view bulk_fact_written as
select source_key, metric, company, region, product, segment, store_brand, attributed_to,
    value, value_high, bound, value_precision, interval_low, interval_high, unit, basis,
    fiscal_period, period_wording, period_label, wording, quote, quote_start, row_number, seed_file,
    stated_on, stated_on_wording, {FACT_KEY} as fact_key, sum_of
from (select *, regexp_extract(file, '[^/]*$') as seed_file from bulk_fact_rows)
"""

# PostgreSQL: the staged tables travel by COPY, as CSV written by DuckDB.
PG_TABLES = {
    "bulk_company": "company_key text, company_name text, fiscal_year_end_month smallint, "
    "fiscal_year_named_by text",
    "bulk_product": "product_key text, product_name text, company_key text, product_kind text",
    "bulk_segment": "segment_key text, segment_name text, company_key text",
    "bulk_attribution": "attribution_key text, attribution_name text, attribution_kind text",
    "bulk_period_map": "label text, grain text, start_on date, end_on date",
    "bulk_changed": "source_key text, text_sha256 text, facts_sha256 text",
    "bulk_source": "source_key text, title text, publisher text, url text, is_summary boolean, "
    "published_on date, body text",
    "bulk_fact_written": "source_key text, metric text, company text, region text, product text, "
    "segment text, store_brand text, attributed_to text, value numeric(24, 6), "
    "value_high numeric(24, 6), bound text, value_precision numeric(24, 6), "
    "interval_low numeric(24, 6), interval_high numeric(24, 6), unit text, "
    "basis text, fiscal_period text, period_wording text, period_label text, wording text, "
    "quote text, quote_start integer, row_number integer, seed_file text, stated_on date, "
    "stated_on_wording text, fact_key text, sum_of text",
}


def _columns(ddl: str) -> list[str]:
    return [part.strip().split()[0] for part in re.split(r",(?![^()]*\))", ddl)]


def copy_to_postgres(stage: Stage, connection: Connection, folder: Path) -> None:
    """Create the staged tables in PostgreSQL and fill them by COPY from DuckDB's CSV."""
    import psycopg

    run = stage.run
    # bulk_changed needs the target's source table to compare digests: fetch its hashes.
    hashes = list(
        connection.exec_driver_sql("select source_key, text_sha256, facts_sha256 from source")
    )
    run(
        "create or replace temp table source (source_key varchar, text_sha256 varchar, "
        "facts_sha256 varchar)"
    )
    if hashes:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(hashes)
        path = folder / "source_hashes.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        run(f"copy source from {lit(str(path))} (header false)")
    run(DIGEST_SQL)
    run(WRITTEN_FACTS)
    raw = connection.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    with raw.cursor() as cursor:
        for table, ddl in PG_TABLES.items():
            columns = ", ".join(_columns(ddl))
            rows = (
                " where source_key in (select source_key from bulk_changed)"
                if table in ("bulk_fact_written", "bulk_source")
                else ""
            )
            out = folder / f"{table}.csv"
            run(f"copy (select {columns} from {table}{rows}) to {lit(str(out))} (header false)")
            cursor.execute(f"create temp table {table} ({ddl}) on commit drop")
            with (
                out.open("rb") as data,
                cursor.copy(f"copy {table} ({columns}) from stdin (format csv)") as copy,
            ):
                while chunk := data.read(1 << 20):
                    copy.write(chunk)
            out.unlink()
            # Temp tables are never auto-analyzed: without statistics PostgreSQL plans the
            # inserts' joins with nested loops.
            cursor.execute(f"analyze {table}")
