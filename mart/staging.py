"""Fact rows from every seed file -> checked set-based in DuckDB -> written in bulk.

YAML fact files and bulk directories (CSV, Parquet) arrive as rows of the same staging
relations: YAML facts as an Arrow table of text (its line and index travel as columns), bulk
files as views over the files. Every rule a fact must pass is one SQL check here, over all rows
at once; a failure names the file, the line (YAML) or row (bulk), and the field. Writing is
insert-select from staging: on DuckDB in the target's own connection, on PostgreSQL after a COPY
of the staged rows.

Scopes: a YAML file's facts may name only the companies, products, segments and attributions
that file declares; a bulk file's rows, those of the dimension files in its folder. Each staged
row carries its scope (the YAML file, or the bulk folder), and the checks join on it.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy import Connection

from mart import periods, vintages
from mart.models import ANY_CURRENCY, PART_DIMENSIONS
from mart.seedfiles import BULK_FACT_COLUMNS, FACT_FIELDS, Catalogue, SeedError, YamlFacts
from mart.vocabulary import (
    ABOUT_WORDS,
    ATTRIBUTION_KINDS,
    BASES,
    BOUND_WORDS,
    BOUNDS,
    CURRENCY_SIGNS,
    FISCAL_NAMINGS,
    FLIPPED_BOUNDS,
    FORWARD_BASES,
    LOSS_WORDS,
    MULTIPLE_SUFFIXES,
    MULTIPLE_WORDS,
    SCALES,
    STATEMENT_KEY_PARTS,
    fact_key_sql,
)

Run = Callable[[str], list[tuple[Any, ...]]]
# A staged table from columns of values (text, or whole numbers for INTEGER_COLUMNS).
Register = Callable[[str, dict[str, list[Any]]], None]
INTEGER_COLUMNS = ("row_number", "yaml_index")

SOURCE_COLUMNS = {
    "source_key": True,
    "title": True,
    "publisher": False,
    "url": False,
    "is_summary": False,
    "published_on": True,
    "body": True,
}
COMPANY_COLUMNS = {
    "company_key": True,
    "company_name": True,
    "fiscal_year_end_month": False,
    "fiscal_year_named_by": False,
}
PRODUCT_COLUMNS = {
    "product_key": True,
    "product_name": True,
    "company_key": True,
    "product_kind": True,
}
SEGMENT_COLUMNS = {"segment_key": True, "segment_name": True, "company_key": True}
ATTRIBUTION_COLUMNS = {"attribution_key": True, "attribution_name": True, "attribution_kind": True}
# Bulk dimension files: stem -> (staged name, columns, YAML section, YAML field per column).
DIMENSIONS = {
    "sources": ("bulk_source", SOURCE_COLUMNS, "source", {"body": "text"}),
    "companies": (
        "bulk_company",
        COMPANY_COLUMNS,
        "companies",
        {"company_key": "key", "company_name": "name"},
    ),
    "products": (
        "bulk_product",
        PRODUCT_COLUMNS,
        "products",
        {
            "product_key": "key",
            "product_name": "name",
            "company_key": "company",
            "product_kind": "kind",
        },
    ),
    "segments": (
        "bulk_segment",
        SEGMENT_COLUMNS,
        "segments",
        {"segment_key": "key", "segment_name": "name", "company_key": "company"},
    ),
    "attributions": (
        "bulk_attribution",
        ATTRIBUTION_COLUMNS,
        "attributions",
        {"attribution_key": "key", "attribution_name": "name", "attribution_kind": "kind"},
    ),
}
REQUIRED_DIMENSIONS = ("sources", "companies")
SHOWN_ROWS = 5
# Forecasts of a period still ahead when they are stated: one for a period that had ended is a
# fiscal year misnamed or an actual misfiled. (A consensus is quoted beside the actual it is
# compared with, after the period; a target or a plan, such as a dividend proposed for the year
# just ended, may name a past period.)
FORECAST_OF_WHAT_IS_AHEAD = ("guidance", "expected")
VALUE_HINT = "write e.g. 23.16 million, 7,071, about 14 trillion, more than 2 million, "
VALUE_HINT += "between 49 billion and 52 billion"


def lit(value: object) -> str:
    """A SQL literal; values come from seed files, so quote them, never paste them."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return repr(value) if isinstance(value, int) else f"{value}"
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


@dataclass
class Stage:
    """The DuckDB connection staging runs on, and the YAML files staged (for their lines)."""

    run: Run
    register: Register
    yaml_files: dict[str, YamlFacts] = field(default_factory=dict)
    views: list[str] = field(default_factory=list)

    def error(
        self, file: str, row: int, yaml_index: int | None, section: str, column: str, message: str
    ) -> SeedError:
        """One line: file:line: facts[i].field: message (YAML), or file: row N: field: message."""
        yaml_file = self.yaml_files.get(file)
        if yaml_file is None:
            return SeedError(Path(file), None, "", f"row {row}: {column}: {message}")
        if section == "facts" and yaml_index is not None:
            line = yaml_file.fact_line(yaml_index, column)
            return SeedError(Path(file), line, f"facts[{yaml_index}].{column}", message)
        name = DIMENSION_FIELDS.get(section, {}).get(column, column)
        loc: tuple[str | int, ...] = (
            (section, name) if yaml_index is None else (section, yaml_index, name)
        )
        return yaml_file.header.error(loc, message)


DIMENSION_FIELDS = {section: fields for _n, _c, section, fields in DIMENSIONS.values()}
# Texts and what is looked for in them are compared in Unicode's composed form (NFC): a quote
# typed with e + combining accent finds the text's composed é. Offsets count NFC characters.
NFC_COLUMNS = ("body", "quote", "wording", "period_wording")


def _table_view(stage: Stage, name: str, path: Path, columns: dict[str, bool]) -> None:
    """A view over one file with exactly `columns` (absent optional ones as NULL)."""
    scan = _scan(path)
    try:
        found = [
            r[0] for r in stage.run(f"select column_name from (describe select * from {scan})")
        ]
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
    select = ", ".join(
        f"cast({c} as varchar) as {c}" if c in found else f"cast(null as varchar) as {c}"
        for c in columns
    )
    stage.run(
        f"create or replace temp view {name} as select {lit(str(path))} as file, "
        f"cast(row_number as bigint) as row_number, cast(null as bigint) as yaml_index, "
        f"{lit(str(path.parent))} as scope, {select} from {scan}"
    )
    stage.views.append(name)


def _union(stage: Stage, name: str, parts: list[str], columns: dict[str, bool]) -> None:
    """One relation of all parts; with none, an empty one of the same columns."""
    if not parts:
        empty = ", ".join(f"cast(null as varchar) as {c}" for c in columns)
        parts = [
            "select cast(null as varchar) as file, cast(null as bigint) as row_number, "
            f"cast(null as bigint) as yaml_index, cast(null as varchar) as scope, {empty} "
            "where false"
        ]
    union = " union all by name ".join(parts)
    if nfc := [f"nfc_normalize({c}) as {c}" for c in NFC_COLUMNS if c in columns]:
        union = f"select * replace ({', '.join(nfc)}) from ({union})"
    stage.run(f"create or replace temp view {name} as {union}")
    stage.views.append(name)


def _first_offenders(
    stage: Stage, relation: str, section: str, checks: list[tuple[str, str, str]]
) -> None:
    """Raise for the first rows failing any (field, condition, message SQL) check, in file order."""
    cases = " ".join(f"when {condition} then {i}" for i, (_, condition, _m) in enumerate(checks))
    messages = " ".join(f"when {i} then {message}" for i, (_, _c, message) in enumerate(checks))
    rows = stage.run(
        f"with failing as (select file, row_number, yaml_index, case {cases} end as check_index, "
        f"* exclude (file, row_number, yaml_index) from {relation} as t) select file, row_number, "
        f"yaml_index, check_index, case check_index {messages} end from failing "
        f"where check_index is not null order by file, row_number limit {SHOWN_ROWS}"
    )
    if rows:
        file, row_number, yaml_index, check_index, message = rows[0]
        same = [str(r[1]) for r in rows if r[0] == file and r[3] == check_index]
        more = ""
        if len(same) > 1 and file not in stage.yaml_files:
            more = f" (first offending rows: {', '.join(same)})"
        raise stage.error(
            file, row_number, yaml_index, section, checks[check_index][0], f"{message}{more}"
        )


def _no_nul(columns: Iterable[str]) -> list[tuple[str, str, str]]:
    # DuckDB keeps a NUL in a text; PostgreSQL refuses it, so neither mart may have one.
    return [
        (
            c,
            f"strpos({c}, chr(0)) > 0",
            f"'contains a NUL byte at offset ' || (strpos({c}, chr(0)) - 1) || "
            "': remove it (PostgreSQL cannot store it)'",
        )
        for c in columns
    ]


def _required(columns: dict[str, bool]) -> list[tuple[str, str, str]]:
    # An empty or blank field (quote: "", a CSV field of spaces) says nothing: missing too.
    return [
        (c, f"nullif(trim({c}), '') is null", "'missing (required)'")
        for c, req in columns.items()
        if req
    ]


def _values(rows: list[tuple[Any, ...]], columns: str) -> str:
    """A SELECT of literal rows with typed columns ("name type, ..."); none gives no rows."""
    declared = [part.split() for part in columns.split(", ")]
    names = ", ".join(name for name, _type in declared)
    typed = ", ".join(f"cast({name} as {kind}) as {name}" for name, kind in declared)
    values = ", ".join("(" + ", ".join(lit(v) for v in row) + ")" for row in rows) or (
        "(" + ", ".join("null" for _ in declared) + ")"
    )
    empty = "" if rows else " where false"
    return f"select {typed} from (values {values}) as t({names}){empty}"


def _catalogue_tables(stage: Stage, catalogue: Catalogue, known: "KnownDomains") -> None:
    metrics = [
        (m.key, m.unit, m.subject, m.growth_of is not None, m.change_of is not None)
        for m in catalogue.metrics
    ]
    units = {row[0]: tuple(row) for row in known.units}
    for unit in catalogue.units:
        units[unit.key] = (unit.key, False, unit.minimum, unit.maximum, unit.whole)
    tables: dict[str, tuple[list[tuple[Any, ...]], str]] = {
        "bulk_metric": (
            metrics,
            "metric_key varchar, unit varchar, subject varchar, is_growth boolean, "
            "is_change boolean",
        ),
        "bulk_region": ([(r.key,) for r in catalogue.regions], "region_key varchar"),
        "bulk_unit": (
            list(units.values()),
            "unit varchar, is_currency boolean, minimum decimal(24,6), "
            "maximum decimal(24,6), is_whole boolean",
        ),
        "bulk_product_kind": (
            [(k,) for k in {*known.product_kinds, *(k.key for k in catalogue.product_kinds)}],
            "product_kind varchar",
        ),
    }
    for name, (rows, columns) in tables.items():
        stage.run(f"create or replace temp table {name} as {_values(rows, columns)}")


@dataclass(frozen=True)
class KnownDomains:
    """What the target database already holds: units with their rules, and product kinds."""

    units: list[tuple[Any, ...]]  # (unit, is_currency, minimum, maximum, is_whole)
    product_kinds: list[str]


def _yaml_dimensions(stage: Stage, files: list[YamlFacts]) -> dict[str, list[str]]:
    """The YAML files' sources and declared dimensions as Arrow tables: stem -> SQL selects."""
    columns: dict[str, dict[str, list[Any]]] = {
        stem: {c: [] for c in ("file", "row_number", "yaml_index", "scope", *cols)}
        for stem, (_n, cols, _s, _f) in DIMENSIONS.items()
    }

    def add(stem: str, yaml_file: YamlFacts, index: int | None, values: dict[str, Any]) -> None:
        table = columns[stem]
        section = DIMENSIONS[stem][2]
        loc = (section,) if index is None else (section, index)
        table["file"].append(str(yaml_file.path))
        table["row_number"].append(yaml_file.header.line(loc))
        table["yaml_index"].append(index)
        table["scope"].append(str(yaml_file.path))
        for column in DIMENSIONS[stem][1]:
            value = values.get(column)
            table[column].append(None if value is None else str(value))

    for y in files:
        spec = y.header.spec
        add(
            "sources",
            y,
            None,
            {
                "source_key": y.path.stem,
                "title": spec.source.title,
                "publisher": spec.source.publisher,
                "url": spec.source.url,
                "is_summary": spec.source.is_summary,
                "published_on": y.text.published_on,
                "body": y.text.body,
            },
        )
        for i, c in enumerate(spec.companies):
            add(
                "companies",
                y,
                i,
                {
                    "company_key": c.key,
                    "company_name": c.name,
                    "fiscal_year_end_month": c.fiscal_year_end_month,
                    "fiscal_year_named_by": c.fiscal_year_named_by,
                },
            )
        for i, p in enumerate(spec.products):
            add(
                "products",
                y,
                i,
                {
                    "product_key": p.key,
                    "product_name": p.name,
                    "company_key": p.company,
                    "product_kind": p.kind,
                },
            )
        for i, s in enumerate(spec.segments):
            add(
                "segments",
                y,
                i,
                {"segment_key": s.key, "segment_name": s.name, "company_key": s.company},
            )
        for i, a in enumerate(spec.attributions):
            add(
                "attributions",
                y,
                i,
                {"attribution_key": a.key, "attribution_name": a.name, "attribution_kind": a.kind},
            )
    selects: dict[str, list[str]] = {}
    for stem, table in columns.items():
        if table["file"]:
            name = f"yaml_{stem}"
            stage.register(name, table)
            selects[stem] = [f"select * from {name}"]
    return selects


def _stage_dimensions(stage: Stage, folders: list[Path], yaml_files: list[YamlFacts]) -> None:
    parts = _yaml_dimensions(stage, yaml_files)
    for folder in folders:
        for stem in DIMENSIONS:
            found = [f for f in (folder / f"{stem}.parquet", folder / f"{stem}.csv") if f.is_file()]
            if not found and stem in REQUIRED_DIMENSIONS:
                raise SeedError(
                    folder,
                    None,
                    "",
                    f"a bulk fact file needs {stem}.parquet or {stem}.csv beside it "
                    "(see README, 'Bulk seed files')",
                )
            for index, path in enumerate(found):
                name = f"bulk_{stem}_{len(stage.views)}_{index}"
                _table_view(stage, name, path, DIMENSIONS[stem][1])
                parts.setdefault(stem, []).append(f"select * from {name}")
    for stem, (name, columns, section, _fields) in DIMENSIONS.items():
        _union(stage, f"{name}_raw", parts.get(stem, []), columns)
        _first_offenders(stage, f"{name}_raw", section, _required(columns) + _no_nul(columns))
    _first_offenders(
        stage,
        "bulk_source_raw",
        "source",
        [
            (
                "published_on",
                "try_cast(published_on as date) is null",
                "'not a date (write YYYY-MM-DD): ' || published_on",
            ),
            (
                "is_summary",
                "is_summary is not null and try_cast(is_summary as boolean) is null",
                "'not true or false: ' || is_summary",
            ),
        ],
    )
    # A view, not a table: 10M facts come with 435k texts (565 MB) that need not sit in memory.
    stage.run(
        "create or replace temp view bulk_source as select file, row_number, yaml_index, scope, "
        "source_key, title, publisher, url, coalesce(cast(is_summary as boolean), false) "
        "as is_summary, cast(published_on as date) as published_on, body from bulk_source_raw"
    )
    stage.views.append("bulk_source")
    _first_offenders(
        stage,
        "bulk_company_raw",
        "companies",
        [
            (
                "fiscal_year_end_month",
                "fiscal_year_end_month is not null "
                "and coalesce(try_cast(fiscal_year_end_month as integer) not between 1 and 12, "
                "true)",
                "'not a month number 1-12: ' || fiscal_year_end_month",
            ),
            (
                "fiscal_year_named_by",
                f"fiscal_year_named_by not in {_in(FISCAL_NAMINGS)}",
                f"'not one of {', '.join(FISCAL_NAMINGS)}: ' || fiscal_year_named_by || "
                "' (end: FY2017 ends in 2017, as Apple; start: fiscal 2017 starts in 2017, "
                "as SoftBank)'",
            ),
        ],
    )
    stage.run(
        "create or replace temp table bulk_company as select file, row_number, yaml_index, "
        "scope, company_key, company_name, "
        "cast(fiscal_year_end_month as smallint) as fiscal_year_end_month, "
        "fiscal_year_named_by from bulk_company_raw"
    )
    company_known = (
        "company_key not in (select company_key from bulk_company as c where c.scope = t.scope)"
    )
    undeclared = (
        "'company ' || company_key || ' is not declared' || case when yaml_index is null "
        "then ' in the companies file' else ' under companies: in this file' end"
    )
    for stem in ("products", "segments", "attributions"):
        name, columns, section, _fields = DIMENSIONS[stem]
        checks = []
        if "company_key" in columns:
            checks.append(("company_key", company_known, undeclared))
        if stem == "products":
            checks.append(
                (
                    "product_kind",
                    "product_kind not in (select product_kind from bulk_product_kind)",
                    "'unknown product kind ' || product_kind || "
                    "': add it to catalogue.yaml under product_kinds'",
                )
            )
        if stem == "attributions":
            kinds = ATTRIBUTION_KINDS
            checks.append(
                (
                    "attribution_kind",
                    f"attribution_kind not in {_in(kinds)}",
                    f"'not one of {', '.join(kinds)}: ' || attribution_kind",
                )
            )
        _first_offenders(stage, f"{name}_raw", section, checks)
        stage.run(f"create or replace temp table {name} as select * from {name}_raw")
    for stem, key, name_column in (
        ("sources", "source_key", None),
        ("companies", "company_key", "company_name"),
        ("products", "product_key", "product_name"),
        ("segments", "segment_key", "segment_name"),
        ("attributions", "attribution_key", "attribution_name"),
    ):
        _declared_once(stage, stem, key, name_column)


def _declared_once(stage: Stage, stem: str, key: str, name_column: str | None) -> None:
    """A key is declared once per scope; across scopes (several YAML files) with one name."""
    name, _columns, section, _fields = DIMENSIONS[stem]
    rows = stage.run(
        f"select {key}, list(file order by file, row_number), "
        f"list(row_number order by file, row_number), "
        f"list(yaml_index order by file, row_number) from {name} "
        f"group by {key}, scope having count(*) > 1 order by 3 limit 1"
    )
    if rows:
        value, files, numbers, indexes = rows[0]
        if files[0] in stage.yaml_files:
            first = numbers[0]
            raise stage.error(
                files[1],
                numbers[1],
                indexes[1],
                section,
                key,
                f"{value!r} is declared twice (first at line {first})",
            )
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
    if stem == "sources":
        rows = stage.run(
            f"select {key}, list(file order by file) from {name} group by {key} "
            "having count(*) > 1 order by 1 limit 1"
        )
        if rows:
            value, files = rows[0]
            raise SeedError(
                Path(files[1]),
                None,
                "",
                f"source {value!r} is stated by {files[0]} too: one fact file per source",
            )
        return
    assert name_column is not None
    rows = stage.run(
        f"select {key}, list({name_column} order by file, row_number), "
        f"list(file order by file, row_number), list(row_number order by file, row_number), "
        f"list(yaml_index order by file, row_number) from {name} group by {key} "
        f"having count(distinct {name_column}) > 1 order by 1 limit 1"
    )
    if rows:
        value, names, files, numbers, indexes = rows[0]
        other = next(i for i, n in enumerate(names) if n != names[0])
        raise stage.error(
            files[other],
            numbers[other],
            indexes[other],
            section,
            name_column,
            f"{names[other]!r} conflicts with {names[0]!r} in {files[0]}",
        )


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


# The value as written -> number, bound and stated precision. The precision is the place of the
# last digit written (23.16 million -> 10,000); for "about" figures, of the last significant
# digit (about 60 trillion -> 10 trillion): trailing zeros of a round figure say nothing.
_NUMBER = r"(-?[0-9]+(?:\.[0-9]+)?)"


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation of the words, longest first, so that "lakh crore" wins over "lakh"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_SCALE = rf"(?:\s*({_alternatives(SCALES)}))?"
_WORDS = _alternatives(BOUND_WORDS)
_SIGN = _alternatives(CURRENCY_SIGNS)
VALUE_PATTERN = (
    rf"^(?:({_alternatives(LOSS_WORDS)})\s+)?(?:({_WORDS})\s+)?(?:({_SIGN})\s*)?{_NUMBER}{_SCALE}"
    rf"(?:\s*(?:and|to|-)\s*(?:(?:{_SIGN})\s*)?{_NUMBER}{_SCALE})?$"
)
_HIGH_PATTERN = rf"^(?:(?:{_SIGN})\s*)?{_NUMBER}{_SCALE}$"
# A multiple ("nearly tripled", "2.5 times"): read as the growth rate it states, its word kept.
MULTIPLE_PATTERN = (
    rf"^(?:({_WORDS})\s+)?(?:({_alternatives(MULTIPLE_WORDS)})|"
    rf"([0-9]+(?:\.[0-9]+)?)\s*-?\s*(?:{_alternatives(MULTIPLE_SUFFIXES)}))$"
)


def _multiple_factor(multiple: str) -> str:
    """SQL: the multiple a match of MULTIPLE_PATTERN states ("tripled" -> 3); NULL for none."""
    factors = " ".join(f"when {lit(w)} then {f}" for w, f in MULTIPLE_WORDS.items())
    return (
        f"coalesce(case {multiple}.name {factors} end, "
        f"try_cast(nullif({multiple}.number, '') as decimal(18, 6)))"
    )


def _multiple_as_growth(written: str, multiple: str) -> str:
    """SQL: the value text with a multiple written as its growth rate ("nearly tripled" ->
    "nearly 200"), from `multiple`, its match of MULTIPLE_PATTERN; any other text unchanged."""
    factor = _multiple_factor(multiple)
    rate = f"rtrim(rtrim(cast(cast(({factor} - 1) * 100 as decimal(24, 6)) as varchar), '0'), '.')"
    growth = f"ltrim({multiple}.word || ' ' || {rate})"
    return f"case when {factor} is not null then {growth} else {written} end"


def _scale(column: str) -> str:
    cases = " ".join(f"when {lit(word)} then {factor}" for word, factor in SCALES.items())
    return f"case {column} {cases} else 1 end"


def _word_bound(column: str, loss: str) -> str:
    """The bound a value's word gives; a loss ("a loss of more than 2 billion") or a fall
    ("nearly halved") flips it."""
    cases = " ".join(f"when {lit(w)} then {lit(b)}" for w, b in BOUND_WORDS.items())
    flips = " ".join(f"when {lit(b)} then {lit(f)}" for b, f in FLIPPED_BOUNDS.items())
    bound = f"case {column} {cases} end"
    return f"case when {loss} then (case {bound} {flips} else {bound} end) else {bound} end"


def _sign_currencies(column: str) -> str:
    """The ISO codes a currency written before the digits may stand for, as a list."""
    cases = " ".join(
        f"when {lit(sign)} then [{', '.join(lit(c) for c in codes)}]"
        for sign, codes in CURRENCY_SIGNS.items()
    )
    return f"case {column} {cases} end"


def _precision(mantissa: str, scale: str, significant: str) -> str:
    """10^(place of the last digit) x scale, in SQL, from the mantissa as written."""
    fraction = f"case when strpos({mantissa}, '.') > 0 then split_part({mantissa}, '.', 2) end"
    digits = f"coalesce(length(rtrim({fraction}, '0')), 0)"
    whole = f"split_part(ltrim({mantissa}, '-'), '.', 1)"
    zeros = f"(length({whole}) - length(rtrim({whole}, '0')))"
    written = f"coalesce(length({fraction}), 0)"
    place = (
        f"case when {significant} then (case when {digits} > 0 then -{digits} "
        f"when {whole} = '0' or rtrim({whole}, '0') = '' then 0 else {zeros} end) "
        f"else -{written} end"
    )
    return f"try(cast(pow(10, {place}) as decimal(38, 12)) * {scale})"


def _parse_values(stage: Stage) -> None:
    """bulk_fact_values: each raw row with value, value_high, bound and precision parsed.

    A loss ("a loss of 1,862 crore") is the negative figure: a range's ends swap, and the
    bound words flip (a loss of more than 2 billion is at most -2 billion). A currency written
    before the digits is kept as the codes it may stand for, for the unit check.
    """
    written = "lower(trim(replace(f.value, ',', '')))"
    text = _multiple_as_growth(written, "f.multiple")
    high_text = "lower(trim(replace(f.value_high, ',', '')))"
    stage.run(f"""
        create or replace temp view bulk_fact_parsed as
        select f.* exclude (multiple),
            coalesce(f.multiple.name <> '' or f.multiple.number <> '', false) as is_multiple,
            -- A multiple below 1 is a fall: its bound words flip as a loss's do ("nearly
            -- halved" fell by at most half, a growth of at least -50 %).
            coalesce({_multiple_factor("f.multiple")} < 1, false) as is_fall,
            regexp_extract({text}, {lit(VALUE_PATTERN)},
                ['loss', 'word', 'sign', 'low', 'low_scale', 'high', 'high_scale']) as v,
            regexp_extract({high_text}, {lit(_HIGH_PATTERN)}, ['high', 'high_scale']) as vh
        from (
            select r.*, regexp_extract(lower(trim(replace(r.value, ',', ''))),
                {lit(MULTIPLE_PATTERN)}, ['word', 'name', 'number']) as multiple
            from bulk_fact_raw as r
        ) as f
    """)
    low_scale = _scale("coalesce(nullif(p.v.low_scale, ''), nullif(p.v.high_scale, ''))")
    high_scale = _scale("nullif(p.v.high_scale, '')")
    given_high_scale = _scale("nullif(p.vh.high_scale, '')")
    low = f"""try(cast(cast(nullif(p.v.low, '') as decimal(38, 12)) * {low_scale}
        as decimal(24, 6)))"""
    high = f"""coalesce(
        try(cast(cast(nullif(p.v.high, '') as decimal(38, 12)) * {high_scale}
            as decimal(24, 6))),
        try(cast(cast(nullif(p.vh.high, '') as decimal(38, 12)) * {given_high_scale}
            as decimal(24, 6))))"""
    loss = "(p.v.loss <> '')"
    about = f"coalesce(p.v.word in {_in(ABOUT_WORDS)} or p.bound = 'about', false)"
    stage.run(f"""
        create or replace temp view bulk_fact_values as
        select p.* exclude (v, vh),
            p.value is not null and p.v.low = '' as value_unreadable,
            p.value_high is not null and p.vh.high = '' as value_high_unreadable,
            {_word_bound("p.v.word", f"({loss} or p.is_fall)")} as word_bound,
            p.v.high <> '' as has_high_words,
            case when {loss} then -coalesce({high}, {low}) else {low} end as value_number,
            case when {loss} then (case when {high} is not null then -{low} end)
                else {high} end as value_high_number,
            nullif(p.v.high, '') is not null or nullif(p.vh.high, '') is not null as high_given,
            {_sign_currencies("nullif(p.v.sign, '')")} as sign_currencies,
            nullif(p.v.sign, '') as value_sign,
            {_precision("nullif(p.v.low, '')", low_scale, about)} as precision_number
        from bulk_fact_parsed as p
    """)
    stage.views += ["bulk_fact_parsed", "bulk_fact_values"]


def _resolve_periods(stage: Stage) -> None:
    """Resolve each distinct wording once (per publication date only where it is relative).

    A wording is resolved with what decides it: the direction its basis gives (reported
    figures look back, targets forward), the company's fiscal calendar and how it names its
    years, and a stated end date.
    """
    run = stage.run
    forward = f"coalesce(f.basis in {_in(FORWARD_BASES)}, false)"
    company_join = "left join bulk_company as c on c.scope = f.scope and c.company_key = f.company"
    calendar = "c.fiscal_year_end_month, c.fiscal_year_named_by"
    keys = run(
        f"select distinct f.period, {forward}, {calendar}, f.period_end "
        f"from bulk_fact_raw as f {company_join} where f.period is not null"
    )
    resolved: list[tuple[Any, ...]] = []
    relative: dict[tuple[Any, ...], dict[str, Any]] = {}
    for key in keys:
        wording, is_forward, fiscal, naming, end = key
        try:
            ends_on = date.fromisoformat(end) if end else None
        except ValueError:
            _wording_error(stage, wording, "period_end", f"not a date (write YYYY-MM-DD): {end}")
        options: dict[str, Any] = {
            "forward": is_forward,
            "fiscal_year_end_month": fiscal or 12,
            "fiscal_year_named_by": naming or "end",
            "ends_on": ends_on,
        }
        try:
            # Leap years both, so that "February 29" resolves at either end.
            early = periods.resolve(wording, date(1904, 12, 31), **options)
            late = periods.resolve(wording, date(2096, 12, 31), **options)
        except periods.PeriodError:  # refused at a probe date: decided by the real one
            early, late = None, periods.day(date(2000, 1, 1))
        if early == late:
            resolved.append((*key, None, early))
        else:
            relative[tuple(key)] = options
    if relative:
        pairs = run(
            f"select distinct f.period, {forward}, {calendar}, f.period_end, "
            "s.published_on from bulk_fact_raw as f inner join bulk_source as s "
            f"on s.scope = f.scope and s.source_key = f.source_key {company_join} "
            f"where f.period in {_in(sorted({key[0] for key in relative}))}"
        )
        for pair in pairs:
            if (options_for := relative.get(tuple(pair[:5]))) is None:
                continue
            try:
                period = periods.resolve(pair[0], pair[5], **options_for)
            except periods.PeriodError as error:
                _wording_error(stage, pair[0], "period", str(error), pair[5])
            resolved.append((*pair, period))
    rows = [
        (*key, on, p.label, p.grain, p.start_on, p.end_on, p.fiscal_label)
        for *key, on, p in resolved
    ]
    run(
        "create or replace temp table bulk_period_map (period varchar, forward boolean, "
        "fiscal_year_end_month smallint, fiscal_year_named_by varchar, period_end varchar, "
        "published_on date, label varchar, grain varchar, start_on date, end_on date, "
        "fiscal_label varchar)"
    )
    _insert_rows(stage, "bulk_period_map", rows)
    _period_wordings_agree(stage, forward, company_join)


def _period_wordings_agree(stage: Stage, forward: str, company_join: str) -> None:
    """A period wording that names a period by itself ("Q1 FY19") must name the one period:
    gives: a fiscal label a year off (a company's naming misread) is refused, not stored."""
    wordings = stage.run(f"""
        select distinct f.period_wording, f.period, {forward}, c.fiscal_year_end_month,
            c.fiscal_year_named_by, s.published_on
        from bulk_fact_raw as f
        inner join bulk_source as s on s.scope = f.scope and s.source_key = f.source_key
        {company_join}
        where f.period_wording is not null and f.period is not null
    """)
    for wording, period, is_forward, fiscal, naming, published in wordings:
        options: dict[str, Any] = {
            "forward": is_forward,
            "fiscal_year_end_month": fiscal or 12,
            "fiscal_year_named_by": naming or "end",
        }
        try:
            said = periods.resolve(wording, published, **options)
            given = periods.resolve(period, published, **options)
        except periods.PeriodError:  # relative to another figure, or refused elsewhere
            continue
        if not said.fiscal_label:  # only a fiscal wording names its own label
            continue
        if said.start_on != given.start_on or (
            given.fiscal_label and given.fiscal_label != said.fiscal_label
        ):

            def shown(p: periods.Period) -> str:
                return f"{p.fiscal_label or p.label} ({p.start_on}/{p.end_on})"

            _wording_error(
                stage,
                period,
                "period_wording",
                f"{wording!r} reads as {shown(said)}, but period: gives {shown(given)}; check "
                "the period, or the company's fiscal_year_end_month and fiscal_year_named_by",
                published,
            )


def _resolve_stated_on(stage: Stage) -> None:
    """bulk_stated_map: each distinct stated_on wording, per publication date, as a day; and
    every source's publication date (the default), without its text."""
    run = stage.run
    run(
        "create or replace temp table bulk_source_date as "
        "select scope, source_key, published_on from bulk_source"
    )
    pairs = run(
        "select distinct f.stated_on, s.published_on from bulk_fact_raw as f "
        "inner join bulk_source_date as s on s.scope = f.scope and s.source_key = f.source_key "
        "where f.stated_on is not null"
    )
    rows: list[tuple[Any, ...]] = []
    for wording, published in pairs:
        try:
            stated = periods.stated_day(wording, published)
        except periods.PeriodError as error:
            _wording_error(stage, wording, "stated_on", str(error), published, "stated_on")
        rows.append((wording, published, stated))
    run(
        "create or replace temp table bulk_stated_map (stated_on varchar, published_on date, "
        "stated_day date)"
    )
    _insert_rows(stage, "bulk_stated_map", rows)


def _insert_rows(stage: Stage, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Literal rows into a staged table, a thousand a statement."""
    for start in range(0, len(rows), 1000):
        chunk = rows[start : start + 1000]
        values = ", ".join("(" + ", ".join(lit(v) for v in row) + ")" for row in chunk)
        stage.run(f"insert into {table} values {values}")


def _wording_error(
    stage: Stage,
    wording: str,
    field: str,
    message: str,
    on: date | None = None,
    written_in: str = "period",
) -> NoReturn:
    """The first fact whose `written_in` field holds the wording (from a source published `on`,
    where the wording is read against that day), refused in `field`."""
    published = f" and s.published_on = {lit(on)}" if on is not None else ""
    file, row_number, yaml_index = stage.run(
        "select f.file, f.row_number, f.yaml_index from bulk_fact_raw as f "
        "left join bulk_source as s on s.scope = f.scope and s.source_key = f.source_key "
        f"where f.{written_in} = {lit(wording)}{published} order by f.file, f.row_number limit 1"
    )[0]
    raise stage.error(file, row_number, yaml_index, "facts", field, message)


# A decimal(24, 6) as a person writes it: 1.500000 -> 1.5, -5.000000 -> -5.
def _plain(column: str) -> str:
    return f"rtrim(rtrim(cast({column} as varchar), '0'), '.')"


def _shown(column: str) -> str:
    """A field as a message shows it: at most 70 characters, as a quote is shown."""
    return f"case when length({column}) > 70 then left({column}, 67) || '...' else {column} end"


def _fact_checks() -> list[tuple[str, str, str]]:
    bases = ", ".join(BASES)
    return [
        (
            "source_key",
            "not source_known",
            "'source ' || source_key || ' is not in the sources file'",
        ),
        (
            "metric",
            "metric_subject is null",
            "'unknown metric ' || metric || ': add it to catalogue.yaml'",
        ),
        (
            "company",
            "company is null and market is null",
            "'missing (required): the company the figure is about, or market: (a region) for a "
            "figure about a whole market'",
        ),
        (
            "market",
            "company is not null and market is not null",
            "'a figure is about a company or a whole market, not both: drop market: (write "
            "the company''s market as region:) or company:'",
        ),
        (
            "company",
            "company is not null and not company_known",
            "'company ' || company || ' is not declared' || case when yaml_index is null "
            "then ' in the companies file' else ' under companies: in this file' end",
        ),
        (
            "region",
            "market is not null and given_region is not null and given_region <> market",
            "'region ' || given_region || ' differs from market ' || market || ' (a whole "
            "market''s figure is about the market''s region: give market: only)'",
        ),
        (
            "market",
            "market is not null and (product is not null or segment is not null "
            "or store_brand is not null)",
            "'a whole market''s figure is about no product, segment or store brand of a "
            "company (its metric says what is counted)'",
        ),
        (
            "region",
            "not region_known",
            "'unknown region ' || region || ': add it to catalogue.yaml'",
        ),
        (
            "product",
            "product is not null and not product_known",
            "'product ' || product || ' is not declared' || case when yaml_index is null "
            "then ' in the products file' else ' under products: in this file' end",
        ),
        (
            "segment",
            "segment is not null and not segment_known",
            "'segment ' || segment || ' is not declared' || case when yaml_index is null "
            "then ' in the segments file' else ' under segments: in this file' end",
        ),
        (
            "attributed_to",
            "attributed_to is not null and not attribution_known",
            "'' || attributed_to || ' is not declared' || case when yaml_index is null "
            "then ' in the attributions file' else ' under attributions: in this file' end",
        ),
        (
            "basis",
            "basis = 'approximate'",
            "'approximate is no longer a basis: write basis: reported (or target, expected) and "
            "put the word in the value, e.g. value: about 14 trillion'",
        ),
        ("basis", f"basis not in {_in(BASES)}", f"'not one of {bases}: ' || basis"),
        (
            "sum_of",
            f"sum_of is not null and sum_of not in {_in(PART_DIMENSIONS)}",
            f"'not one of {', '.join(PART_DIMENSIONS)}: ' || sum_of",
        ),
        (
            "sum_of",
            "(sum_of = 'segment' and segment is not null) "
            "or (sum_of = 'product' and product is not null)",
            "'a total by ' || sum_of || ' is the whole of its parts: it names no ' || sum_of",
        ),
        (
            "value",
            "is_multiple and not coalesce(metric_is_growth, true)",
            f"'''' || {_shown('raw_value')} || ''' is a multiple of an earlier level: only a "
            "growth rate (a metric with growth_of) may be written so; metric ' || metric "
            "|| ' takes the figure itself'",
        ),
        (
            "store_brand",
            "(store_brand is null) = (metric_subject = 'store')",
            "'metric ' || metric || case when metric_subject = 'store' then ' needs' "
            "else ' takes no' end || ' store_brand'",
        ),
        (
            "unit",
            f"metric_unit = '{ANY_CURRENCY}' and unit is null",
            "'metric ' || metric || ' needs a currency: an ISO 4217 code such as USD, EUR or KRW'",
        ),
        (
            "unit",
            f"metric_unit = '{ANY_CURRENCY}' and not coalesce(unit_is_currency, false)",
            "'' || unit || ' is not an ISO 4217 currency code (metric ' || metric "
            "|| ' is an amount of money: write e.g. USD, CNY, KRW, INR)'",
        ),
        (
            "unit",
            f"metric_unit <> '{ANY_CURRENCY}' and unit <> metric_unit",
            "'''' || unit || ''' does not fit metric ' || metric "
            "|| ', measured in ' || metric_unit",
        ),
        (
            "unit",
            "unit_is_currency is null",
            "'unknown unit ' || unit || ': add it to catalogue.yaml under units'",
        ),
        (
            "value",
            f"sign_currencies is not null and metric_unit <> '{ANY_CURRENCY}'",
            f"'''' || {_shown('raw_value')} || ''' is an amount of money, but metric ' || metric "
            "|| ' is measured in ' || metric_unit",
        ),
        (
            "value",
            "sign_currencies is not null and not list_contains(sign_currencies, unit)",
            f"'''' || {_shown('raw_value')} || ''' is written in ' || "
            "array_to_string(sign_currencies, ' or ') || ', but unit is ' || unit",
        ),
        (
            "value",
            "value_unreadable",
            f"'''' || {_shown('raw_value')} || ''' is not a number ({VALUE_HINT})'",
        ),
        (
            "value",
            "raw_value is not null and value is null",
            f"'''' || {_shown('raw_value')} || ''' has more digits than a value may have "
            "(18 before the point, 6 after)'",
        ),
        (
            "value_high",
            "value_high_unreadable or (high_given and value_high is null)",
            "'''' || coalesce(raw_value_high, raw_value) || ''' is not a number for the range''s "
            "high end'",
        ),
        (
            "bound",
            f"given_bound is not null and given_bound not in {_in(BOUNDS)}",
            f"'not one of {', '.join(BOUNDS)}: ' || given_bound",
        ),
        (
            "bound",
            "given_bound is not null and word_bound is not null and given_bound <> word_bound",
            "'''' || given_bound || ''' contradicts the value''s own word: ' || raw_value",
        ),
        (
            "value",
            "bound = 'range' and value_high is null",
            "'a range needs its high end: write between 49 billion and 52 billion, or give "
            "value_high'",
        ),
        (
            "value_high",
            "bound <> 'range' and value_high is not null",
            "'a high end is only for a range (bound: range, or between X and Y)'",
        ),
        (
            "value_high",
            "value_high < value",
            f"'the range''s high end ' || {_plain('value_high')} || ' is below its low end ' "
            f"|| {_plain('value')}",
        ),
        (
            "value",
            # A change may be a fall: a change metric's unit bounds levels, not changes.
            "value < unit_minimum and not coalesce(metric_is_change, false)",
            f"{_plain('value')} || case when unit_minimum = 0 then ' is negative; a figure in ' "
            f"|| unit || ' cannot be' else ' is below ' || {_plain('unit_minimum')} || ', the "
            f"smallest ' || unit || ' value' end",
        ),
        (
            "value",
            "value > unit_maximum or value_high > unit_maximum",
            f"{_plain('coalesce(value_high, value)')} || ' is above ' || "
            f"{_plain('unit_maximum')} || ', the largest ' || unit || ' value' || case when "
            "unit = 'share' then ' (write half as 0.5)' else '' end",
        ),
        (
            "value",
            "unit_is_whole and (value <> round(value) or value_high <> round(value_high))",
            f"{_plain('value')} || ' is not a whole number of ' || unit",
        ),
        (
            "quote",
            "not quote_found",
            "'quote not found in ' || case when yaml_index is null then 'the body of source ' "
            "|| source_key else 'the source text' end || "
            "case when quote_start_given then ' at offset ' || cast(quote_start as varchar) "
            "else '' end || ': ' || case when length(quote) > 70 then left(quote, 67) || '...' "
            "else quote end",
        ),
        (
            "wording",
            "wording is not null and strpos(quote, wording) = 0",
            "'''' || wording || ''' is not part of the quote'",
        ),
        (
            "period",
            f"basis in {_in(FORECAST_OF_WHAT_IS_AHEAD)} and period_end_on < stated_on",
            "'a ' || basis || ' figure for ' || period_label || ', which ended on ' || "
            "cast(period_end_on as varchar) || ', before it was stated (' || "
            "cast(stated_on as varchar) || '): check the period and the company''s "
            "fiscal_year_named_by, give stated_on when it was stated earlier, or write an "
            "actual as reported or preliminary'",
        ),
        (
            "stated_on",
            "stated_on_wording is not null "
            "and not regexp_full_match(stated_on_wording, '[0-9]{4}-[0-9]{2}-[0-9]{2}') "
            f"and lower(stated_on_wording) not in {_in(periods.EARLIER_WORDS)} "
            "and strpos(lower(quote), lower(stated_on_wording)) = 0",
            "'''' || stated_on_wording || ''' is not part of the quote (write the day as "
            "YYYY-MM-DD, or the words the quote holds)'",
        ),
        (
            "period_wording",
            "raw_period_wording is not null "
            "and strpos(lower(quote), lower(raw_period_wording)) = 0",
            "'''' || raw_period_wording || ''' is not part of the quote'",
        ),
    ]


def stage(
    stage: Stage,
    bulk_files: list[Path],
    yaml_files: list[YamlFacts],
    catalogue: Catalogue,
    known: KnownDomains,
) -> None:
    """Stage and check every fact of every file into bulk_fact_rows; raise the first SeedError."""
    stage.yaml_files = {str(y.path): y for y in yaml_files}
    _catalogue_tables(stage, catalogue, known)
    _stage_dimensions(stage, sorted({f.parent for f in bulk_files}), yaml_files)
    parts = _yaml_facts(stage, yaml_files)
    for index, path in enumerate(bulk_files):
        name = f"bulk_fact_{index}"
        _table_view(stage, name, path, BULK_FACT_COLUMNS)
        parts.append(f"select * from {name}")
    _union(stage, "bulk_fact_raw", parts, BULK_FACT_COLUMNS)
    _first_offenders(
        stage,
        "bulk_fact_raw",
        "facts",
        [
            *_required(BULK_FACT_COLUMNS),
            # The fields no other check compares with a text, a key or a word list.
            *_no_nul(("store_brand",)),
            (
                "quote_start",
                "quote_start is not null and try_cast(quote_start as integer) is null",
                "'''' || quote_start || ''' is not a whole number'",
            ),
        ],
    )
    _parse_values(stage)
    _resolve_periods(stage)
    _resolve_stated_on(stage)
    _fact_rows(stage)
    _first_offenders(stage, "bulk_fact", "facts", _fact_checks())
    _conflicts(stage)


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
    run(f"""
        create or replace temp view bulk_fact_rows as
        select
            f.file, f.row_number, f.yaml_index, f.scope, f.source_key,
            f.metric, m.subject as metric_subject, m.unit as metric_unit, f.company, f.market,
            coalesce(f.region, f.market, 'global') as region, f.region as given_region,
            f.product, f.segment, f.store_brand, f.attributed_to, f.sum_of,
            f.is_multiple, m.is_growth as metric_is_growth, m.is_change as metric_is_change,
            f.value as raw_value, f.value_high as raw_value_high,
            f.value_number as value,
            f.value_high_number as value_high,
            f.value_unreadable, f.value_high_unreadable, f.high_given, f.bound as given_bound,
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
    """)
    stage.views += ["bulk_fact_rows", "bulk_fact"]


# The interval of values a statement allows, the one definition every agreement and check reads
# (stored with the statement): rounding of the stated digits (half a unit of the last one either
# way), "about" (half a unit of the last significant digit, by the precision above), at least,
# at most, and ranges.
_BOUND = (
    "coalesce(f.word_bound, case when f.has_high_words then 'range' end, f.bound, "
    "case when f.high_given then 'range' end, 'exact')"
)


def _interval(side: str) -> str:
    """SQL for the low or high end of the interval of the row's value, as bound and precision
    allow; NULL where the bound leaves that side open."""
    low = side == "low"
    rounding = f"f.value_number {'-' if low else '+'} coalesce(f.precision_number, 0) * 0.5"
    at_least, at_most = ("f.value_number", "null") if low else ("null", "f.value_number")
    range_end = "f.value_number" if low else "f.value_high_number"
    return (
        f"cast(case {_BOUND} when 'at_least' then {at_least} when 'at_most' then {at_most} "
        f"when 'range' then {range_end} else {rounding} end as decimal(24, 6))"
    )


# A statement within one source, as mart.vocabulary defines it (the claim is the basis's).
STATEMENT_KEY = ", ".join(
    {"period": "period_label"}.get(part, part) for part in STATEMENT_KEY_PARTS if part != "claim"
)


def _conflicts(stage: Stage) -> None:
    """One source states a fact once at a date, or in several wordings (at other places of its
    text) whose intervals overlap: "nearly 10 billion" and "9,870 million" agree; 21 million
    and 22 million, which only touch at 21.5 million, are a conflict within one source."""
    # Grouping by one hash of the key is faster than by its columns; a collision could only
    # report a conflict, which the row list lets a person check. Count first, and gather the
    # rows only when there is something to report (0.98 s -> 0.2 s at 1M rows, measured).
    key = f"source_key, hash({STATEMENT_KEY})"
    counted = stage.run(f"select count(*) = count(distinct ({key})) from bulk_fact_rows")
    if counted[0][0]:
        return
    rows = stage.run(f"""
        select min(file), list(row_number order by row_number),
            list(yaml_index order by row_number), count(distinct value),
            list(coalesce({_plain("value")}, 'null') order by row_number)
        from bulk_fact_rows
        group by {key}
        having count(*) > 1 and (count(distinct quote_start) < count(*)
            or coalesce(max(interval_low) >= min(interval_high), false)
            or count(value) < count(*))
        order by min(file), min(row_number)
        limit 1
    """)
    if not rows:
        return
    file, numbers, indexes, values, shown = rows[0]
    same = "metric, company, period, region, product, segment, attribution, unit and basis"
    if file in stage.yaml_files:
        if values > 1 or shown[0] != shown[1]:
            message = (
                f"conflicting value: {shown[1]} here, {shown[0]} at line {numbers[0]} for the "
                f"same {same}"
            )
            raise stage.error(file, numbers[1], indexes[1], "facts", "value", message)
        raise stage.error(
            file,
            numbers[1],
            indexes[1],
            "facts",
            "metric",
            f"states the same fact as line {numbers[0]}",
        )
    first, *others = numbers[:SHOWN_ROWS]
    what = "conflicting value" if values > 1 else "the same fact twice"
    raise SeedError(
        Path(file),
        None,
        "",
        f"row {first}: value: {what}: rows {', '.join(map(str, [first, *others]))} state the "
        f"same {same} for one source",
    )


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

WRITE_SQL = [
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
    # The facts this load touches: those of the statements it replaces and of the new ones.
    """create temp table bulk_touched as select distinct fact_key from statement
       where source_id in (select s.source_id from source as s
       inner join bulk_changed as c on c.source_key = s.source_key)""",
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
    """insert into bulk_touched select distinct fact_key from bulk_fact_written
       where source_key in (select source_key from bulk_changed)""",
]


def write_sql(few: bool = False) -> list[str]:
    """Every statement of the write phase, after bulk_changed exists; `few`: a small load, whose
    known_until upkeep reads only the statements of the facts it touches (mart.vintages). The
    facts it touched stay in bulk_touched (mart.refresh reads them; the caller drops it)."""
    return [
        *WRITE_SQL,
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


def drop_staging(stage: Stage) -> None:
    """Drop every temp table and view staging made (bulk_..., yaml_...), and the registrations."""
    for kind, catalog in (("view", "duckdb_views()"), ("table", "duckdb_tables()")):
        names = stage.run(
            f"select {kind}_name from {catalog} where temporary and "
            f"(starts_with({kind}_name, 'bulk_') or starts_with({kind}_name, 'yaml_'))"
        )
        for (name,) in names:
            stage.run(f"drop {kind} if exists {name}")
