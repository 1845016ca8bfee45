"""PostgreSQL's functions and types in DuckDB's terms, and DuckDB functions kept from clients."""

from pglast.printers.dml import system_types

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
    "mart_signal_backend",
    "mart_clock_timestamp",
    "mart_numeric_quotient",
    "mart_number_to_char",
}


def _blocked(name: str) -> bool:
    return (
        name in _BLOCKED_FUNCTIONS
        or name.startswith(_BLOCKED_PREFIXES)
        or name.endswith(_BLOCKED_SUFFIXES)
    )


# PostgreSQL functions translate() writes out as DuckDB SQL ($n: the n-th argument), by name
# and number of arguments: those needing no catalog lookup of their own. Stubs answer for what
# a DuckDB mart has none of (triggers, rules, functions).
_NONE = "cast(null as varchar)"
_INLINE: dict[str, dict[int, str]] = {
    "pg_get_expr": {2: "cast($1 as varchar)", 3: "cast($1 as varchar)"},
    "pg_get_triggerdef": {1: _NONE, 2: _NONE},
    "pg_get_ruledef": {1: _NONE, 2: _NONE},
    "pg_get_statisticsobjdef_columns": {1: _NONE},
    "pg_get_partkeydef": {1: _NONE},
    "pg_get_function_arguments": {1: _NONE},
    "pg_get_function_identity_arguments": {1: _NONE},
    "pg_get_function_result": {1: _NONE},
    "pg_get_serial_sequence": {2: _NONE},
    "shobj_description": {2: _NONE},
    "pg_relation_is_publishable": {1: "false"},
    "pg_is_in_recovery": {0: "false"},
    "pg_function_is_visible": {1: "true"},
    "current_schema": {0: "'public'"},
    "current_schemas": {
        1: "case when $1 then array['pg_catalog', 'public'] else array['public'] end"
    },
    "pg_encoding_to_char": {1: "case $1 when 6 then 'UTF8' when 0 then 'SQL_ASCII' else '' end"},
    "array_upper": {2: "case when $2 = 1 and len($1) > 0 then len($1) end"},
    "array_lower": {2: "case when $2 = 1 and len($1) > 0 then 1 end"},
    # mart serve reads everything and changes nothing.
    "has_table_privilege": {
        2: "regexp_matches(lower($2), 'select|references')",
        3: "regexp_matches(lower($3), 'select|references')",
    },
    "has_any_column_privilege": {
        2: "regexp_matches(lower($2), 'select|references')",
        3: "regexp_matches(lower($3), 'select|references')",
    },
    "has_column_privilege": {
        3: "regexp_matches(lower($3), 'select|references')",
        4: "regexp_matches(lower($4), 'select|references')",
    },
    "has_schema_privilege": {
        2: "regexp_matches(lower($2), 'usage')",
        3: "regexp_matches(lower($3), 'usage')",
    },
    "has_database_privilege": {
        2: "regexp_matches(lower($2), 'connect')",
        3: "regexp_matches(lower($3), 'connect')",
    },
    "has_function_privilege": {
        2: "regexp_matches(lower($2), 'execute')",
        3: "regexp_matches(lower($3), 'execute')",
    },
    "pg_has_role": {
        2: "memory.mart_serve.regrole_oid($1) = 10",
        3: "memory.mart_serve.regrole_oid($2) = 10",
    },
    "to_regclass": {1: "memory.mart_serve.regclass_oid(cast($1 as varchar))"},
    "to_regnamespace": {1: "memory.mart_serve.regnamespace_oid(cast($1 as varchar))"},
    # A relation that is no partition is its own only ancestor.
    "pg_partition_ancestors": {1: "memory.mart_serve.regclass_oid($1)"},
    "quote_ident": {
        1: "case when regexp_full_match($1, '[a-z_][a-z0-9_$]*') then $1"
        " else '\"' || replace($1, '\"', '\"\"') || '\"' end"
    },
}

# PostgreSQL functions DuckDB has under another name.
_RENAMED = {
    "json_build_object": "json_object",
    "jsonb_build_object": "json_object",
    "btrim": "trim",
}

# pg_catalog functions the printer writes in SQL syntax (EXTRACT(x FROM y)) only when qualified.
_SQL_SYNTAX = {"extract", "position"}

# Casts: reg* types become oids or names (_Rewriter.reg_oid, reg_name); others map to DuckDB types.
_REG_TYPES = {"regclass", "regtype", "regnamespace", "regrole", "regproc", "regprocedure"}
_TYPES = {
    "oid": "int8",
    "xid": "int8",
    "xid8": "int8",
    "cid": "int8",
    "tid": "varchar",
    "name": "varchar",
    "char": "varchar",  # "char", quoted: PostgreSQL's one-byte type
    "bpchar": "varchar",
    "aclitem": "varchar",
    "pg_node_tree": "varchar",
    "inet": "varchar",
    "cidr": "varchar",
    "macaddr": "varchar",
    "anyarray": "varchar",
    "unknown": "varchar",
    "jsonb": "json",
    "int2vector": "int2[]",
    "oidvector": "int8[]",
    "sql_identifier": "varchar",
    "character_data": "varchar",
    "yes_or_no": "varchar",
    "cardinal_number": "int4",
    "time_stamp": "timestamptz",
}
_STRING_TYPES = {"text", "varchar", "name", "bpchar", "char"}
_PRINTED_TYPES = set(system_types)
# Schemas a column reference may name, which DuckDB knows under other names.
_SCHEMAS = {"pg_catalog", "information_schema", "public", "main"}
_TRIVIAL_COLLATIONS = {"default", "c", "posix", "ucs_basic"}
