"""What each PostgreSQL function becomes on DuckDB, by name and number of arguments: the one
registry the rewrite (rewrite.py) reads as it walks a query.

A function DuckDB answers as PostgreSQL does is not listed: it is left as it is. Each listed one
becomes one of:
- renamed: DuckDB's function of another name;
- template: DuckDB SQL written out in place, $n the n-th argument;
- macro: one of mart serve's macros (catalog.sql's pg_compat, functions.sql's mart_dialect);
- udf: one of the Python functions functions.py registers;
- code: a function of rewrite.py's (_CODE) that rewrites the call, or leaves it to DuckDB;
- refused: an error, with PostgreSQL's SQLSTATE for it.
"""

from dataclasses import dataclass
from enum import StrEnum

from mart.serve.catalog import COMPAT, COMPAT_FUNCTIONS

ANY = -1  # a registry entry for any number of arguments

# The Python functions functions.py registers, and the variables the rewrite reads: the
# session's process id (pg_backend_pid(); the executor sets it on a cursor whose statement
# asks for it) and its TimeZone as SHOW shows it (catalog.sql's pg_settings).
BACKEND_PID = "mart_backend_pid"
TIME_ZONE = "mart_timezone"
SIGNAL_BACKEND = "mart_signal_backend"
CLOCK_TIMESTAMP = "mart_clock_timestamp"
NUMBER_TO_CHAR = "mart_number_to_char"
STAT_ACTIVITY = "mart_stat_activity"
NUMERIC_QUOTIENT = "mart_numeric_quotient"
DIALECT = "memory", "mart_dialect"  # functions.sql's macros


class Becomes(StrEnum):
    RENAMED = "renamed"
    TEMPLATE = "template"
    MACRO = "macro"
    UDF = "udf"
    CODE = "code"
    REFUSED = "refused"


@dataclass(frozen=True)
class Function:
    """target: the new name (renamed, udf), the SQL (template), the qualified macro (macro),
    the name of rewrite.py's function (code), or the message (refused, with sqlstate).
    catalog: the call reads the emulated catalog (its query's oid columns are PostgreSQL's)."""

    becomes: Becomes
    target: str
    catalog: bool = False
    sqlstate: str = ""


def _each(
    names: str, arities: tuple[int, ...], function: Function
) -> dict[tuple[str, int], Function]:
    return {(name, arity): function for name in names.split() for arity in arities}


def _template(sql: str, catalog: bool = False) -> Function:
    return Function(Becomes.TEMPLATE, sql, catalog)


def _code(name: str) -> Function:
    return Function(Becomes.CODE, name)


# Stubs answer for what a DuckDB mart has none of (triggers, rules, functions).
_NONE = _template("cast(null as varchar)", catalog=True)
# mart serve reads everything and changes nothing.
_MAY_READ = {
    n: _template(f"regexp_matches(lower(${n}), 'select|references')", True) for n in (2, 3, 4)
}
_LENGTH = (
    "cast(case when typeof($1) = 'BLOB' then octet_length(cast($1 as blob)) else {} end as integer)"
)

FUNCTIONS: dict[tuple[str, int], Function] = {
    # -- macros of the emulated catalog (catalog.sql), any number of arguments ----------------
    **{
        (name, ANY): Function(Becomes.MACRO, ".".join((*COMPAT, name)), catalog=True)
        for name in COMPAT_FUNCTIONS
    },
    # -- catalog functions written out, by number of arguments --------------------------------
    **_each("pg_get_expr", (2, 3), _template("cast($1 as varchar)", catalog=True)),
    **_each("pg_get_triggerdef pg_get_ruledef", (1, 2), _NONE),
    **_each(
        "pg_get_statisticsobjdef_columns pg_get_partkeydef pg_get_function_arguments "
        "pg_get_function_identity_arguments pg_get_function_result",
        (1,),
        _NONE,
    ),
    **_each("pg_get_serial_sequence shobj_description", (2,), _NONE),
    ("pg_relation_is_publishable", 1): _template("false", catalog=True),
    ("pg_is_in_recovery", 0): _template("false", catalog=True),
    ("pg_function_is_visible", 1): _template("true", catalog=True),
    ("current_schema", 0): _template("'public'", catalog=True),
    ("current_schemas", 1): _template(
        "case when $1 then array['pg_catalog', 'public'] else array['public'] end", True
    ),
    ("pg_encoding_to_char", 1): _template(
        "case $1 when 6 then 'UTF8' when 0 then 'SQL_ASCII' else '' end", True
    ),
    ("array_upper", 2): _template("case when $2 = 1 and len($1) > 0 then len($1) end", True),
    ("array_lower", 2): _template("case when $2 = 1 and len($1) > 0 then 1 end", True),
    **{("has_table_privilege", n): _MAY_READ[n] for n in (2, 3)},
    **{("has_any_column_privilege", n): _MAY_READ[n] for n in (2, 3)},
    **{("has_column_privilege", n): _MAY_READ[n] for n in (3, 4)},
    **{
        (privilege, n): _template(f"regexp_matches(lower(${n}), '{what}')", catalog=True)
        for privilege, what in (
            ("has_schema_privilege", "usage"),
            ("has_database_privilege", "connect"),
            ("has_function_privilege", "execute"),
        )
        for n in (2, 3)
    },
    ("pg_has_role", 2): _template("memory.mart_serve.regrole_oid($1) = 10", True),
    ("pg_has_role", 3): _template("memory.mart_serve.regrole_oid($2) = 10", True),
    ("to_regclass", 1): _template("memory.mart_serve.regclass_oid(cast($1 as varchar))", True),
    ("to_regnamespace", 1): _template(
        "memory.mart_serve.regnamespace_oid(cast($1 as varchar))", True
    ),
    # A relation that is no partition is its own only ancestor.
    ("pg_partition_ancestors", 1): _template("memory.mart_serve.regclass_oid($1)", True),
    ("quote_ident", 1): _template(
        "case when regexp_full_match($1, '[a-z_][a-z0-9_$]*') then $1"
        " else '\"' || replace($1, '\"', '\"\"') || '\"' end",
        catalog=True,
    ),
    # -- the session's own --------------------------------------------------------------------
    ("pg_backend_pid", 0): _template(f"getvariable('{BACKEND_PID}')"),
    **{
        (f"pg_{kind}_backend", n): _template(
            f"{SIGNAL_BACKEND}(cast($1 as integer), '{kind}', getvariable('{BACKEND_PID}'))"
        )
        for kind in ("cancel", "terminate")
        for n in (1, 2)
    },
    ("clock_timestamp", 0): Function(Becomes.UDF, CLOCK_TIMESTAMP),
    # mart serve takes no advisory locks: there are none to release (other advisory functions
    # are refused, below).
    ("pg_advisory_unlock_all", 0): _template("''"),
    ("set_config", ANY): Function(
        Becomes.REFUSED,
        "set_config is not supported by mart serve here: use SET, or "
        "SELECT set_config('name', 'value', false) alone",
        sqlstate="0A000",
    ),
    # -- DuckDB's function of another name, or with another result type -----------------------
    **_each(
        "json_build_object jsonb_build_object", (ANY,), Function(Becomes.RENAMED, "json_object")
    ),
    ("btrim", ANY): Function(Becomes.RENAMED, "trim"),
    **_each(
        "length char_length character_length",
        (1,),
        _template(_LENGTH.format("length(cast($1 as varchar))")),
    ),
    ("octet_length", 1): _template(_LENGTH.format("strlen(cast($1 as varchar))")),
    **{
        (name, 1): Function(Becomes.MACRO, ".".join((*DIALECT, name)))
        for name in ("quote_literal", "quote_nullable", "initcap")
    },
    # integer in PostgreSQL, bigint in DuckDB
    **_each("strpos position array_length cardinality ascii", (ANY,), _code("int4")),
    # -- rewritten by rewrite.py's code (_CODE) -------------------------------------------------
    **_each("generate_series unnest regexp_split_to_table", (ANY,), _code("set_returning")),
    ("current_setting", ANY): _code("current_setting"),
    ("to_char", 2): _code("to_char"),
    **_each("to_date to_timestamp", (2,), _code("to_timestamp")),
    **_each("extract date_part", (2,), _code("extract")),
    ("date_trunc", 2): _code("date_trunc"),
    ("avg", 1): _code("avg"),
    **_each("variance var_samp var_pop stddev stddev_samp stddev_pop", (1,), _code("variance")),
    **_each(
        "corr covar_pop covar_samp regr_slope regr_intercept regr_r2 regr_avgx regr_avgy "
        "regr_sxx regr_syy regr_sxy",
        (2,),
        _code("regression"),
    ),
    ("regr_count", 2): _code("regr_count"),
    ("percentile_cont", 1): _code("percentile_cont"),
    **_each("json_agg jsonb_agg", (1,), _code("json_agg")),
    ("make_interval", ANY): _code("make_interval"),
    ("encode", 2): _code("encode"),
}

# Refused by the start of their name, whatever follows: mart serve takes no locks.
_REFUSED_PREFIXES = {
    prefix: Function(
        Becomes.REFUSED,
        "{name}() is not supported by mart serve: it takes no locks",
        sqlstate="0A000",
    )
    for prefix in ("pg_advisory", "pg_try_advisory")
}

# pg_catalog functions the printer writes in SQL syntax (EXTRACT(x FROM y)) only when qualified.
SQL_SYNTAX = {"extract", "position"}


def lookup(name: str, arity: int) -> Function | None:
    """What the PostgreSQL function name (lower case, unqualified) of arity arguments becomes;
    None: DuckDB's own of that name answers as PostgreSQL's."""
    found = FUNCTIONS.get((name, arity)) or FUNCTIONS.get((name, ANY))
    if found is not None:
        return found
    for prefix, refused in _REFUSED_PREFIXES.items():
        if name.startswith(prefix):
            return refused
    return None


def code_names() -> set[str]:
    """The names of the rewrite's functions the registry refers to."""
    return {f.target for f in FUNCTIONS.values() if f.becomes is Becomes.CODE}


# -- DuckDB's own functions, kept from clients ------------------------------------------------
# Functions that read or write files, or reach DuckDB's settings, secrets, logs or extensions.
_BLOCKED_PREFIXES = (
    "read_",
    "parquet_",
    "pragma_",
    "duckdb_",
    "sqlite_",
    "postgres_",
    "mysql_",
    "iceberg_",
    "delta_",
    "ducklake_",
    "arrow_",
    "python_",
    "pandas_",
    "http_",
)
_BLOCKED_SUFFIXES = ("_scan", "_attach")
_BLOCKED_FUNCTIONS = {
    "glob",
    "sniff_csv",
    "query",
    "query_table",
    "checkpoint",
    "force_checkpoint",
    "which_secret",
    "json_execute_serialized_sql",
    "write_log",
    "getvariable",
    "getenv",
    "enable_logging",
    "disable_logging",
    "truncate_duckdb_logs",
    "enable_profiling",
    "disable_profiling",
    "add_grammar_extension",
    "remove_grammar_extension",
    "create_external_resource",
    "register_external_resource",
    "register_external_resource_type",
    "deregister_external_resource",
    "destroy_external_resource",
    "summary",
    "copy_database",
    "import_database",
    "install_extension",
    "load_extension",
    # The rewrite's own (functions.py): a client calling them could name another session.
    SIGNAL_BACKEND,
    CLOCK_TIMESTAMP,
    NUMERIC_QUOTIENT,
    NUMBER_TO_CHAR,
}


def blocked(name: str) -> bool:
    """A DuckDB function no client may call, by any spelling (42501)."""
    return (
        name in _BLOCKED_FUNCTIONS
        or name.startswith(_BLOCKED_PREFIXES)
        or name.endswith(_BLOCKED_SUFFIXES)
    )
