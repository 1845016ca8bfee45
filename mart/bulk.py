"""Tabular fact files (CSV, Parquet) -> checked set-based in DuckDB -> inserted in bulk.

A bulk directory holds `sources`, `companies` and (optionally) `products` tables and any number
of fact tables, each as .parquet or .csv (see README, "Bulk seed files"). Every check the YAML
loader makes is made here as SQL over the whole file, never per row in Python, and a failure
names the file, the first offending rows and the field. Writing is insert-select from staging:
on DuckDB in the target's own connection, on PostgreSQL after a COPY of the staged rows.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from mart import periods
from mart.models import BASES, COUNT_UNITS, CURRENCIES, WHOLE_UNITS
from mart.seedfiles import BULK_DIMENSIONS, Catalogue, SeedError

SUFFIXES = (".parquet", ".csv")

Run = Callable[[str], list[tuple[Any, ...]]]

# Columns of each kind of table: name -> required.
FACT_COLUMNS = {
    "source_key": True,
    "metric": True,
    "company": True,
    "period": True,
    "region": False,
    "product": False,
    "store_brand": False,
    "value": False,
    "unit": False,
    "basis": True,
    "wording": False,
    "quote": True,
    "quote_start": False,
}
SOURCE_COLUMNS = {
    "source_key": True,
    "title": True,
    "publisher": False,
    "url": False,
    "is_summary": False,
    "published_on": True,
    "body": True,
}
COMPANY_COLUMNS = {"company_key": True, "company_name": True}
PRODUCT_COLUMNS = {
    "product_key": True,
    "product_name": True,
    "company_key": True,
    "product_kind": True,
}

SHOWN_ROWS = 5


def is_bulk(path: Path) -> bool:
    return path.suffix in SUFFIXES and path.stem not in BULK_DIMENSIONS


def lit(value: object) -> str:
    """A SQL literal; values come from seed files, so quote them, never paste them."""
    if value is None:
        return "null"
    if isinstance(value, date):
        return f"date '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def _in(values: Iterable[str]) -> str:
    return "(" + ", ".join(lit(v) for v in values) + ")"


def _scan(path: Path) -> str:
    """A row-numbered read of one file; row N is the Nth data row (1-based)."""
    if path.suffix == ".parquet":
        return (
            f"(select file_row_number + 1 as row_number, * exclude (file_row_number) "
            f"from read_parquet({lit(str(path))}, file_row_number = true))"
        )
    # One thread keeps CSV rows in file order, so row numbers are those of the file.
    return (
        f"(select row_number() over () as row_number, * from read_csv({lit(str(path))}, "
        f"header = true, all_varchar = true, parallel = false))"
    )


def _table_view(run: Run, name: str, path: Path, columns: dict[str, bool]) -> None:
    """A view over one file with exactly `columns` (absent optional ones as NULL)."""
    scan = _scan(path)
    try:
        found = [row[0] for row in run(f"select column_name from (describe select * from {scan})")]
    except Exception as error:  # the driver's own error, made one line
        message = str(error).strip().splitlines()[0]
        raise SeedError(path, None, "", f"cannot read the file: {message}") from None
    found = [c for c in found if c != "row_number"]
    for column in found:
        if column not in columns:
            raise SeedError(path, None, column, "unknown column (check the spelling)")
    for column, required in columns.items():
        if required and column not in found:
            raise SeedError(path, None, column, f"missing column (the file has {', '.join(found)})")
    select = ", ".join(c if c in found else f"cast(null as varchar) as {c}" for c in columns)
    run(
        f"create or replace temp view {name} as "
        f"select {lit(str(path))} as file, row_number, {select} from {scan}"
    )


def _union_views(run: Run, name: str, paths: list[Path], columns: dict[str, bool]) -> None:
    parts = []
    for index, path in enumerate(paths):
        _table_view(run, f"{name}_{index}", path, columns)
        parts.append(f"select * from {name}_{index}")
    run(f"create or replace temp view {name} as " + " union all by name ".join(parts))


def _first_offenders(run: Run, relation: str, checks: list[tuple[str, str, str]]) -> None:
    """Raise for the first rows failing any (field, condition, message SQL) check, in file order."""
    cases = " ".join(f"when {condition} then {i}" for i, (_, condition, _m) in enumerate(checks))
    messages = " ".join(f"when {i} then {message}" for i, (_, _c, message) in enumerate(checks))
    rows = run(
        f"with failing as (select file, row_number, case {cases} end as check_index, * exclude "
        f"(file, row_number) from {relation}) select file, row_number, check_index, "
        f"case check_index {messages} end from failing where check_index is not null "
        f"order by file, row_number limit {SHOWN_ROWS}"
    )
    if rows:
        file, row_number, check_index, message = rows[0]
        same = [str(r[1]) for r in rows if r[0] == file and r[2] == check_index]
        more = f" (first offending rows: {', '.join(same)})" if len(same) > 1 else ""
        raise SeedError(
            Path(file), None, "", f"row {row_number}: {checks[check_index][0]}: {message}{more}"
        )


def _required(columns: dict[str, bool]) -> list[tuple[str, str, str]]:
    return [(c, f"{c} is null", "'missing (required)'") for c, req in columns.items() if req]


@dataclass(frozen=True)
class Staged:
    """What stage() leaves in temp tables (bulk_fact_rows, bulk_source, ...): how many sources."""

    sources: int


def _catalogue_tables(run: Run, catalogue: Catalogue) -> None:
    metrics = ", ".join(f"({lit(m.key)}, {lit(m.unit)}, {lit(m.table)})" for m in catalogue.metrics)
    run(
        "create or replace temp table bulk_metric as select * from (values "
        f"{metrics}) as t(metric_key, unit, fact_table)"
    )
    regions = ", ".join(f"({lit(r.key)})" for r in catalogue.regions)
    run(
        f"create or replace temp table bulk_region as select * from (values {regions}) "
        "as t(region_key)"
    )


def _stage_dimensions(run: Run, folders: list[Path]) -> None:
    def files(stem: str) -> list[Path]:
        return [
            f
            for folder in folders
            for f in (folder / f"{stem}.parquet", folder / f"{stem}.csv")
            if f.is_file()
        ]

    sources, companies, products = files("sources"), files("companies"), files("products")
    for stem, found in (("sources", sources), ("companies", companies)):
        if not found:
            raise SeedError(
                folders[0],
                None,
                "",
                f"a bulk fact file needs {stem}.parquet or "
                f"{stem}.csv beside it (see README, 'Bulk seed files')",
            )
    _union_views(run, "bulk_source_raw", sources, SOURCE_COLUMNS)
    _first_offenders(
        run,
        "bulk_source_raw",
        [
            *_required(SOURCE_COLUMNS),
            (
                "published_on",
                "try_cast(published_on as date) is null",
                "'not a date (write YYYY-MM-DD): ' || cast(published_on as varchar)",
            ),
            (
                "is_summary",
                "is_summary is not null and try_cast(is_summary as boolean) is null",
                "'not true or false: ' || cast(is_summary as varchar)",
            ),
        ],
    )
    # A view, not a table: 10M facts come with 435k texts (565 MB) that need not sit in memory.
    run(
        "create or replace temp view bulk_source as select file, row_number, "
        "cast(source_key as varchar) as source_key, cast(title as varchar) as title, "
        "cast(publisher as varchar) as publisher, cast(url as varchar) as url, "
        "coalesce(cast(is_summary as boolean), false) as is_summary, "
        "cast(published_on as date) as published_on, cast(body as varchar) as body "
        "from bulk_source_raw"
    )
    _duplicates(run, "bulk_source", "source_key")

    _union_views(run, "bulk_company_raw", companies, COMPANY_COLUMNS)
    _first_offenders(run, "bulk_company_raw", _required(COMPANY_COLUMNS))
    run(
        "create or replace temp table bulk_company as select file, row_number, "
        "cast(company_key as varchar) as company_key, "
        "cast(company_name as varchar) as company_name from bulk_company_raw"
    )
    _duplicates(run, "bulk_company", "company_key")

    product_columns = ", ".join(f"cast({c} as varchar) as {c}" for c in PRODUCT_COLUMNS)
    if products:
        _union_views(run, "bulk_product_raw", products, PRODUCT_COLUMNS)
        _first_offenders(
            run,
            "bulk_product_raw",
            [
                *_required(PRODUCT_COLUMNS),
                (
                    "company_key",
                    "company_key not in (select company_key from bulk_company)",
                    "'company ' || company_key || ' is not in the companies file'",
                ),
            ],
        )
        run(
            f"create or replace temp table bulk_product as select file, row_number, "
            f"{product_columns} from bulk_product_raw"
        )
        _duplicates(run, "bulk_product", "product_key")
    else:
        run(
            f"create or replace temp table bulk_product as select '' as file, 0 as row_number, "
            f"{product_columns} from (select null as product_key, null as product_name, "
            "null as company_key, null as product_kind) where false"
        )


def _duplicates(run: Run, table: str, key: str) -> None:
    rows = run(
        f"select {key}, list(file order by file, row_number), "
        f"list(row_number order by file, row_number) from {table} "
        f"group by {key} having count(*) > 1 order by 3 limit 1"
    )
    if rows:
        value, files, numbers = rows[0]
        # Rows in the first file by number; rows in another file (csv beside parquet) by name.
        where = [
            str(n) if f == files[0] else f"{Path(f).name} row {n}"
            for f, n in zip(files[:SHOWN_ROWS], numbers[:SHOWN_ROWS], strict=True)
        ]
        raise SeedError(
            Path(files[0]),
            None,
            "",
            f"rows {', '.join(where)}: {key}: {value!r} appears more than once",
        )


def _resolve_periods(run: Run) -> None:
    """Resolve each distinct wording once (per publication date only where it is relative)."""
    absolute: list[tuple[str, periods.Period]] = []
    relative: list[str] = []
    for (wording,) in run("select distinct period from bulk_fact_raw where period is not null"):
        try:
            # Leap years both, so that "February 29" resolves at either end.
            early = periods.resolve(wording, date(1904, 12, 31))
            late = periods.resolve(wording, date(2096, 12, 31))
        except periods.PeriodError as error:
            file, row_number = run(
                f"select file, row_number from bulk_fact_raw where period = "
                f"{lit(wording)} order by file, row_number limit 1"
            )[0]
            raise SeedError(Path(file), None, "", f"row {row_number}: period: {error}") from None
        if early == late:
            absolute.append((wording, early))
        else:
            relative.append(wording)
    resolved = [(w, None, p) for w, p in absolute]
    if relative:
        pairs = run(
            "select distinct f.period, s.published_on from bulk_fact_raw as f inner join "
            f"bulk_source as s using (source_key) where f.period in {_in(relative)}"
        )
        resolved += [(w, on, periods.resolve(w, on)) for w, on in pairs]
    rows = ", ".join(
        "(" + ", ".join(lit(v) for v in (w, on, p.label, p.grain, p.start_on, p.end_on)) + ")"
        for w, on, p in resolved
    )
    run(
        "create or replace temp table bulk_period_map (period varchar, published_on date, "
        "label varchar, grain varchar, start_on date, end_on date)"
    )
    if rows:
        run(f"insert into bulk_period_map values {rows}")


# A decimal(24, 6) as a person writes it: 1.500000 -> 1.5, -5.000000 -> -5.
_PLAIN = "rtrim(rtrim(cast(value as varchar), '0'), '.')"


def _fact_checks() -> list[tuple[str, str, str]]:
    counts, wholes = _in(COUNT_UNITS), _in(WHOLE_UNITS)
    return [
        (
            "source_key",
            "not source_known",
            "'source ' || source_key || ' is not in the sources file'",
        ),
        (
            "metric",
            "metric_table is null",
            "'unknown metric ' || metric || ': add it to catalogue.yaml'",
        ),
        (
            "company",
            "not company_known",
            "'company ' || company || ' is not in the companies file'",
        ),
        (
            "region",
            "not region_known",
            "'unknown region ' || region || ': add it to catalogue.yaml'",
        ),
        (
            "product",
            "product is not null and not product_known",
            "'product ' || product || ' is not in the products file'",
        ),
        ("basis", f"basis not in {_in(BASES)}", f"'not one of {', '.join(BASES)}: ' || basis"),
        (
            "store_brand",
            "(store_brand is null) = (metric_table = 'store_fact')",
            "'metric ' || metric || case when metric_table = 'store_fact' then ' needs' "
            "else ' takes no' end || ' store_brand'",
        ),
        (
            "unit",
            f"metric_unit = 'currency' and (unit is null or unit not in {_in(CURRENCIES)})",
            f"'metric ' || metric || ' needs a currency: one of {', '.join(CURRENCIES)}'",
        ),
        (
            "unit",
            "metric_unit <> 'currency' and unit <> metric_unit",
            "'''' || unit || ''' does not fit metric ' || metric "
            "|| ', measured in ' || metric_unit",
        ),
        (
            "value",
            f"value < 0 and unit in {counts}",
            f"{_PLAIN} || ' is negative; a figure in ' || unit || ' cannot be'",
        ),
        (
            "value",
            f"unit in {wholes} and value <> round(value)",
            f"{_PLAIN} || ' is not a whole number of ' || unit",
        ),
        (
            "value",
            "unit = 'share' and (value < 0 or value > 1)",
            f"{_PLAIN} || ' is not a share between 0 and 1 (write half as 0.5)'",
        ),
        (
            "value",
            "unit = 'flag' and value not in (0, 1)",
            f"{_PLAIN} || ' is not a flag (1 = yes, 0 = no)'",
        ),
        (
            "quote",
            "not quote_found",
            "'quote not found in the body of source ' || source_key || "
            "case when quote_start_given then ' at offset ' || cast(quote_start as varchar) "
            "else '' end || ': ' || quote",
        ),
        (
            "wording",
            "wording is not null and strpos(quote, wording) = 0",
            "'''' || wording || ''' is not part of the quote'",
        ),
    ]


def stage(
    run: Run,
    files: list[Path],
    catalogue: Catalogue,
    yaml_sources: set[str],
    progress: Callable[[str], None] | None = None,
) -> Staged:
    """Read and check every bulk fact file into temp table bulk_fact; raise the first SeedError."""
    _catalogue_tables(run, catalogue)
    _stage_dimensions(run, sorted({f.parent for f in files}))
    _union_views(run, "bulk_fact_raw", files, FACT_COLUMNS)
    _first_offenders(
        run,
        "bulk_fact_raw",
        [
            *_required(FACT_COLUMNS),
            (
                "value",
                "value is not null and try_cast(value as decimal(24, 6)) is null",
                "'''' || cast(value as varchar) || ''' is not a number in base units'",
            ),
            (
                "quote_start",
                "quote_start is not null and try_cast(quote_start as integer) is null",
                "'''' || cast(quote_start as varchar) || ''' is not a whole number'",
            ),
        ],
    )
    if progress:
        for file in files:
            progress(file.name)
    _resolve_periods(run)
    # Offsets the files give need no source text; finding them does.
    missing_offsets = run("select count(*) from bulk_fact_raw where quote_start is null")[0][0]
    quote_start = (
        "coalesce(cast(f.quote_start as integer), strpos(s.body, f.quote) - 1)"
        if missing_offsets
        else "cast(f.quote_start as integer)"
    )
    # The rows to write: the inserts read this view. Source texts are joined only where a row
    # needs one (an offset to find, a relative period), which keeps 600 MB of bodies out of
    # every insert at 10M facts.
    relative = run("select count(*) from bulk_period_map where published_on is not null")[0][0]
    needs_source = bool(relative or missing_offsets)
    source_join = "left join bulk_source as s on s.source_key = f.source_key"
    relative_join = (
        "left join bulk_period_map as pr on pr.period = f.period "
        "and pr.published_on = s.published_on"
    )
    run(f"""
        create or replace temp view bulk_fact_rows as
        select
            f.file, f.row_number, cast(f.source_key as varchar) as source_key,
            cast(f.metric as varchar) as metric, m.fact_table as metric_table,
            m.unit as metric_unit, cast(f.company as varchar) as company,
            coalesce(cast(f.region as varchar), 'global') as region,
            cast(f.product as varchar) as product, cast(f.store_brand as varchar) as store_brand,
            cast(f.value as decimal(24, 6)) as value,
            coalesce(cast(f.unit as varchar), case when m.unit <> 'currency' then m.unit end)
                as unit,
            cast(f.basis as varchar) as basis, cast(f.period as varchar) as period_wording,
            {"coalesce(pa.label, pr.label)" if relative else "pa.label"} as period_label,
            cast(f.wording as varchar) as wording, cast(f.quote as varchar) as quote,
            f.quote_start is not null as quote_start_given,
            {quote_start} as quote_start
        from bulk_fact_raw as f
        left join bulk_metric as m on m.metric_key = f.metric
        left join bulk_period_map as pa on pa.period = f.period and pa.published_on is null
        {source_join if needs_source else ""}
        {relative_join if relative else ""}
    """)
    # The rows with what the checks ask of them: is each name known, is the quote where it is said.
    run("""
        create or replace temp view bulk_fact as
        select
            f.*,
            s.source_key is not null as source_known,
            c.company_key is not null as company_known,
            r.region_key is not null as region_known,
            p.product_key is not null as product_known,
            coalesce(case when f.quote_start_given
                then substr(s.body, f.quote_start + 1, length(f.quote)) = f.quote
                else strpos(s.body, f.quote) > 0 end, false) as quote_found
        from bulk_fact_rows as f
        left join bulk_source as s on s.source_key = f.source_key
        left join bulk_company as c on c.company_key = f.company
        left join bulk_region as r on r.region_key = f.region
        left join bulk_product as p on p.product_key = f.product
    """)
    _first_offenders(run, "bulk_fact", _fact_checks())
    clash = (
        run(f"select source_key from bulk_source where source_key in {_in(yaml_sources)} limit 1")
        if yaml_sources
        else []
    )
    if clash:
        raise SeedError(files[0], None, "", f"source {clash[0][0]!r} has a YAML fact file too")
    _conflicts(run)
    return Staged(run("select count(*) from bulk_source")[0][0])


def _conflicts(run: Run) -> None:
    # Grouping by one hash of the key is faster than by its eight columns; a collision could
    # only report a conflict, which the row list lets a person check. Count first, and gather
    # the rows only when there is something to report (0.98 s -> 0.2 s at 1M rows, measured).
    key = "source_key, hash(metric, company, period_label, region, product, store_brand, unit)"
    counted = run(f"select count(*) = count(distinct ({key})) from bulk_fact_rows")
    if counted[0][0]:
        return
    rows = run("""
        select min(file), list(row_number order by row_number), count(distinct value)
        from bulk_fact
        group by source_key,
            hash(metric, company, period_label, region, product, store_brand, unit)
        having count(*) > 1
        order by min(file), min(row_number)
        limit 1
    """)
    if rows:
        file, numbers, values = rows[0]
        first, *others = numbers[:SHOWN_ROWS]
        what = "conflicting value" if values > 1 else "the same fact twice"
        raise SeedError(
            Path(file),
            None,
            "",
            f"row {first}: value: {what}: rows "
            f"{', '.join(map(str, [first, *others]))} state the same metric, company, "
            "period, region and product for one source",
        )


# The write phase, the same SQL on DuckDB and PostgreSQL, over staged tables of the same names.
# A digest of a source's fact rows and of its own details (title, publisher, ...): a reload
# rewrites the sources where either changed, and only those.
FACTS_DIGEST = """sha256(concat_ws('|', coalesce(d.fact_count, 0), coalesce(d.row_hash, 0),
        s.title, s.publisher, s.url, s.is_summary, s.published_on))"""

DIGEST_SQL = f"""
create or replace temp table bulk_changed as
with digest as (
    select source_key, count(*) as fact_count,
        bit_xor(hash(metric, company, period_label, region, product, store_brand, value, unit,
                     basis, period_wording, wording, quote, quote_start)) as row_hash
    from bulk_fact_rows
    group by source_key
)
select s.source_key, sha256(s.body) as text_sha256, {FACTS_DIGEST} as facts_sha256
from bulk_source as s
left join digest as d using (source_key)
left join source as t on t.source_key = s.source_key
where t.source_key is null
    or t.text_sha256 <> sha256(s.body)
    or t.facts_sha256 <> {FACTS_DIGEST}
"""

WRITE_SQL = [
    """insert into company (company_key, company_name)
       select company_key, company_name from bulk_company
       on conflict (company_key) do update set company_name = excluded.company_name""",
    """insert into product (product_key, product_name, company_id, product_kind)
       select p.product_key, p.product_name, c.company_id, p.product_kind
       from bulk_product as p inner join company as c on c.company_key = p.company_key
       on conflict (product_key) do update set product_name = excluded.product_name,
           company_id = excluded.company_id, product_kind = excluded.product_kind""",
    """insert into period (period_label, grain, start_on, end_on)
       select distinct label, grain, start_on, end_on from bulk_period_map
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

FACT_INSERT = """
insert into {table} (source_id, metric_id, company_id, period_id, region_id, {columns},
    basis, period_wording, wording, quote, quote_start, quote_end)
select s.source_id, m.metric_id, c.company_id, p.period_id, r.region_id, {values},
    f.basis, f.period_wording, f.wording, f.quote, f.quote_start,
    f.quote_start + length(f.quote)
from bulk_fact_rows as f
inner join source as s on s.source_key = f.source_key
inner join metric as m on m.metric_key = f.metric
inner join company as c on c.company_key = f.company
inner join period as p on p.period_label = f.period_label
inner join region as r on r.region_key = f.region
{product_join}
where f.metric_table = '{table}'
    and f.source_key in (select source_key from bulk_changed)
"""

FACT_VALUES = {
    "metric_fact": (
        "product_id, value, unit",
        "pr.product_id, f.value, f.unit",
        "left join product as pr on pr.product_key = f.product",
    ),
    "patent_fact": (
        "patent_count, share",
        "case when f.unit = 'patents' then cast(f.value as bigint) end, "
        "case when f.unit = 'share' then f.value end",
        "",
    ),
    "store_fact": ("store_brand, store_count", "f.store_brand, cast(f.value as bigint)", ""),
}


def write_sql() -> list[str]:
    """Every statement of the write phase, after bulk_changed exists."""
    statements = list(WRITE_SQL)
    for table, (columns, values, join) in FACT_VALUES.items():
        statements.append(
            f"delete from {table} where source_id in (select s.source_id from source as s "
            "inner join bulk_changed as c on c.source_key = s.source_key)"
        )
        statements.append(
            FACT_INSERT.format(table=table, columns=columns, values=values, product_join=join)
        )
    return statements


# PostgreSQL: the staged tables travel by COPY, as CSV written by DuckDB.
PG_TABLES = {
    "bulk_company": "company_key text, company_name text",
    "bulk_product": "product_key text, product_name text, company_key text, product_kind text",
    "bulk_period_map": "period text, published_on date, label text, grain text, start_on date, "
    "end_on date",
    "bulk_changed": "source_key text, text_sha256 text, facts_sha256 text",
    "bulk_source": "source_key text, title text, publisher text, url text, is_summary boolean, "
    "published_on date, body text",
    "bulk_fact_rows": "source_key text, metric text, metric_table text, company text, "
    "region text, "
    "product text, store_brand text, value numeric(24, 6), unit text, basis text, "
    "period_wording text, period_label text, wording text, quote text, "
    "quote_start integer",
}


def _columns(ddl: str) -> list[str]:
    return [part.strip().split()[0] for part in re.split(r",(?![^()]*\))", ddl)]


def copy_to_postgres(run: Run, connection: Connection, folder: Path) -> None:
    """Create the staged tables in PostgreSQL and fill them by COPY from DuckDB's CSV."""
    import psycopg

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
    raw = connection.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    with raw.cursor() as cursor:
        for table, ddl in PG_TABLES.items():
            columns = ", ".join(_columns(ddl))
            rows = (
                " where source_key in (select source_key from bulk_changed)"
                if table in ("bulk_fact_rows", "bulk_source")
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


def drop_staging(run: Run) -> None:
    """Drop every temp table and view staging made (all are named bulk_..., per-file ones too)."""
    for kind, catalog in (("view", "duckdb_views()"), ("table", "duckdb_tables()")):
        names = run(
            f"select {kind}_name from {catalog} "
            f"where temporary and starts_with({kind}_name, 'bulk_')"
        )
        for (name,) in names:
            run(f"drop {kind} if exists {name}")
