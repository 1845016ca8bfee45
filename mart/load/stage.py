"""The Stage: the DuckDB connection staging runs on, staged views over files, SQL literals,
the first-offender check every rule runs through, and dropping it all afterwards."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from mart.load.columns import DIMENSION_FIELDS, NFC_COLUMNS
from mart.seedfiles import SeedError, YamlFacts

Run = Callable[[str], list[tuple[Any, ...]]]
# A staged table from columns of values (text, or whole numbers for INTEGER_COLUMNS).
Register = Callable[[str, dict[str, list[Any]]], None]
INTEGER_COLUMNS = ("row_number", "yaml_index")
SHOWN_ROWS = 5


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
    # A small load's staged relations are tables, a large one's views (mart.load.phases).
    small: bool = False

    def relation(self, name: str, select: str) -> None:
        """A staged relation computed from the ones before it: for a small load a table (each
        later statement plans over tables: planning a chain of views cost 30-90 ms a statement,
        most of a one-article load), else a view (rows computed as read, never all held)."""
        kind = "table" if self.small else "view"
        self.run(f"create or replace temp {kind} {name} as {select}")
        self.views.append(name)

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


def _insert_rows(stage: Stage, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Literal rows into a staged table, a thousand a statement."""
    for start in range(0, len(rows), 1000):
        chunk = rows[start : start + 1000]
        values = ", ".join("(" + ", ".join(lit(v) for v in row) + ")" for row in chunk)
        stage.run(f"insert into {table} values {values}")


def drop_staging(stage: Stage) -> None:
    """Drop every temp table and view staging made (bulk_..., yaml_...), and the registrations."""
    for kind, catalog in (("view", "duckdb_views()"), ("table", "duckdb_tables()")):
        names = stage.run(
            f"select {kind}_name from {catalog} where temporary and "
            f"(starts_with({kind}_name, 'bulk_') or starts_with({kind}_name, 'yaml_'))"
        )
        for (name,) in names:
            stage.run(f"drop {kind} if exists {name}")
