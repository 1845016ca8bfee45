"""The emulated PostgreSQL catalog: what catalog.sql and catalog_empty.sql declare; install()."""

import re
from importlib import resources
from typing import Any

import duckdb
from pglast import parser

from mart.serve import keys
from mart.serve.types import POSTGRES_TYPES, array_type

# The role every client is, as pg_authid (catalog.sql) names oid 10.
ROLE = "mart"
CATALOG = "mart"  # the attached file's DuckDB catalog name; clients see it as database "mart"
SERVER_VERSION = "15.0"


def _read(name: str) -> str:
    return resources.files("mart.serve").joinpath(name).read_text(encoding="utf-8")


def statements_of(script: str) -> tuple[str, ...]:
    """The statements of one of our SQL files: each ends with ';' at the end of a line."""
    chunks = re.split(r";[ \t]*\n", script)
    return tuple(
        chunk.strip()
        for chunk in chunks
        if any(line.strip() and not line.lstrip().startswith("--") for line in chunk.splitlines())
    )


_CATALOG_SQL = _read("catalog.sql")
_EMPTY_SQL = _read("catalog_empty.sql")
# types.py's mapping, as rows of the table catalog.sql declares for it.
_DUCKDB_TYPES = "insert into memory.mart_serve.duckdb_types values " + ", ".join(
    f"('{name}', {oid}, {array_type(oid)})" for name, (oid, _) in POSTGRES_TYPES.items()
)
_INSTALL_STATEMENTS = tuple(
    part
    for statement in statements_of(_CATALOG_SQL)
    for part in (
        (statement, _DUCKDB_TYPES)
        if "create table memory.mart_serve.duckdb_types" in statement
        else (statement,)
    )
)


def _text_rows(table: str, casts: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    """An INSERT of rows sent as one '|'-separated string literal, split in SQL (binding a
    VALUES list costs DuckDB a few ms per hundred rows). casts: each field's SQL, of f[n]."""
    lines = []
    for row in rows:
        fields = [
            ",".join(v)
            if isinstance(v, tuple)
            else str(v).lower()
            if isinstance(v, bool)
            else str(v)
            for v in row
        ]
        assert all("|" not in f and "\n" not in f for f in fields), row
        lines.append("|".join(fields))
    text = "\n".join(lines).replace("'", "''")
    return (
        f"insert into {table} select {', '.join(casts)} from ("
        f"select string_split(line, '|') as f from "
        f"(select unnest(string_split('{text}', chr(10))) as line))"
    )


def _list(n: int) -> str:
    return f"case when f[{n}] = '' then [] else string_split(f[{n}], ',') end"


# What models.py declares and DuckDB does not keep (mart/serve/keys.py), as rows of the tables
# catalog.sql declares for them: filled only for a file at the migration head.
_DECLARED = (
    _text_rows(
        "memory.mart_serve.declared_keys",
        (
            "f[1]",
            "f[2]",
            "f[3]",
            _list(4),
            "nullif(f[5], '')",
            _list(6),
            "f[7]",
            "f[8] = 'true'",
            "f[9]",
            "f[10]",
            "nullif(f[11], '')",
            "nullif(f[12], '')",
        ),
        [
            (
                k.table,
                k.name,
                k.contype,
                k.columns,
                k.ref_table,
                k.ref_columns,
                k.expression,
                k.nulls_not_distinct,
                k.definition,
                k.pretty_definition,
                k.index_definition() if k.contype in "pui" else "",
                k.index_definition(pretty=True) if k.contype in "pui" else "",
            )
            for k in keys.constraints()
        ],
    ),
    _text_rows(
        "memory.mart_serve.declared_strings",
        ("f[1]", "f[2]", "f[3]", "cast(f[4] as integer)"),
        [(c.table, c.column, c.typname, c.length) for c in keys.string_columns()],
    ),
    _text_rows(
        "memory.mart_serve.declared_sequences",
        ("f[1]", *(f"cast(f[{n}] as bigint)" for n in range(2, 7)), "f[7] = 'true'"),
        [
            (s.name, s.start, s.increment, s.minimum, s.maximum, s.cache, s.cycle)
            for s in keys.sequences()
        ],
    ),
)

# The mart's sequences, which SELECT FROM public.<name> reads as PostgreSQL's sequence relation.
SEQUENCES = frozenset(s.name for s in keys.sequences())

COMPAT = "memory", "pg_compat"
COMPAT_INFORMATION_SCHEMA = "memory", "pg_compat_information_schema"
HELPERS = "memory", "mart_serve"

# Relations catalog.sql creates, by the schema clients know them in.
CATALOG_RELATIONS = {
    "pg_catalog": set(re.findall(r"create (?:table|view) memory\.pg_compat\.(\w+)", _CATALOG_SQL)),
    "information_schema": set(
        re.findall(
            r"create (?:table|view) memory\.pg_compat_information_schema\.(\w+)", _CATALOG_SQL
        )
    ),
}
# Functions catalog.sql defines as macros for clients (pg_catalog's) and for translate().
# The settings pg_settings and current_setting() know (PostgreSQL's names, lower case).
SETTINGS = frozenset(
    line.split("|", 1)[0].lower()
    for line in _CATALOG_SQL.split("create view memory.pg_compat.pg_settings", 1)[1]
    .split("trim('", 1)[1]
    .split("'", 1)[0]
    .splitlines()
    if "|" in line
)
COMPAT_FUNCTIONS = set(re.findall(r"create macro memory\.pg_compat\.(\w+)\(", _CATALOG_SQL))
# PostgreSQL 15's oids of the catalog relations ('pg_class'::regclass is 1259).
CATALOG_OIDS = {
    name: int(oid)
    for name, oid in re.findall(r"(?m)^(\w+)\|(\d+)\|[rv]\|(?:11|13207)$", _CATALOG_SQL)
}


def _empty_relations() -> dict[tuple[str, str], Any]:
    """catalog_empty.sql's declarations as typed, empty subqueries, by (schema, name)."""
    relations = {}
    for raw in parser.parse_sql(_EMPTY_SQL):
        create: Any = raw.stmt
        columns = ", ".join(
            f"cast(null as {_type_sql(column.typeName)}) as {column.colname}"
            for column in create.tableElts
        )
        select = parser.parse_sql(f"select {columns} where false")[0].stmt
        relations[create.relation.schemaname, create.relation.relname] = select
    return relations


def _type_sql(type_name: Any) -> str:
    name = ".".join(part.sval for part in type_name.names)
    return name + "[]" * len(type_name.arrayBounds or ())


EMPTY_RELATIONS = _empty_relations()
for _schema, _name in EMPTY_RELATIONS:
    CATALOG_RELATIONS[_schema].add(_name)
# The server's sessions, which the rewrite reads from functions.sql's table macro.
CATALOG_RELATIONS["pg_catalog"].add("pg_stat_activity")


def install(con: duckdb.DuckDBPyConnection, database_name: str) -> None:
    """Create the PostgreSQL catalog in con's in-memory catalog, for the attached mart.

    Call once per connection, after `ATTACH '<file>' AS mart (READ_ONLY)`. database_name is the
    database clients connect to: pg_database's one row and current_database().
    """
    declared = _DECLARED if _at_head(con) else ()
    sources = _view_sources(con)
    # One statement at a time: DuckDB took 10 to 20 ms longer for the script in one call.
    for statement in _INSTALL_STATEMENTS:
        con.execute(statement)
        if "create table memory.mart_serve.declared_sequences" in statement:
            for insert in declared:
                con.execute(insert)
            if sources:
                con.execute(
                    "insert into memory.mart_serve.declared_views "
                    "select unnest(?), unnest(?), unnest(?)",
                    [list(column) for column in zip(*sources, strict=True)],
                )
    con.execute(
        "insert into memory.mart_serve.server values (?, ?)",
        [database_name, f"PostgreSQL {SERVER_VERSION} (mart serve, DuckDB {duckdb.__version__})"],
    )


def _at_head(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the attached mart is at the migration head, the schema models.py declares."""
    (tables,) = con.execute(
        "select count(*) from duckdb_tables() where database_name = 'mart' "
        "and schema_name = 'main' and table_name = ?",
        [keys.VERSION_TABLE],
    ).fetchone() or (0,)
    if not tables:
        return False
    versions = con.execute(f"select version_num from mart.main.{keys.VERSION_TABLE}").fetchall()
    return versions == [(keys.HEAD,)]


_VIEW_SOURCES = keys.view_sources()
# (the file's CREATE VIEW, mart/views' SELECT) -> whether they define the same view.
_SAME_VIEW: dict[tuple[str, str], bool] = {}


def _view_sources(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, list[str]]]:
    """mart/views' SQL of each view the file holds as DuckDB parses it the same (DuckDB keeps a
    view as its own re-printed CREATE VIEW, in DuckDB's dialect): (name, SELECT, relations it
    reads). A view the file holds otherwise (built by another version of mart) is left out."""
    held = dict(
        con.execute(
            "select view_name, sql from duckdb_views() "
            "where database_name = 'mart' and schema_name = 'main'"
        ).fetchall()
    )
    found = []
    for view in _VIEW_SOURCES:
        created = held.get(view.name)
        if created is None:
            continue
        key = created, view.sql
        if key not in _SAME_VIEW:
            body = re.sub(r"^CREATE (OR REPLACE )?VIEW .*? AS ", "", created, flags=re.S)
            _SAME_VIEW[key] = _parsed(con, body.rstrip().rstrip(";")) == _parsed(con, view.sql)
        if _SAME_VIEW[key]:
            found.append((view.name, view.sql, list(view.reads)))
    return found


def _parsed(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """DuckDB's parse tree of a statement, without the positions of its parts in the text."""
    (tree,) = con.execute("select json_serialize_sql(?)", [sql]).fetchone() or ("",)
    return re.sub(r'"query_location(_length)?":\d+,?', "", str(tree))
