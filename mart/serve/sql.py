"""mart serve's SQL layer: PostgreSQL statements classified, refused or translated for DuckDB.

translate() parses a client's query string with PostgreSQL's own parser (pglast, libpg_query)
and returns one Statement per statement in it. Reads become DuckDB SQL: references to
pg_catalog and information_schema are pointed at the emulation install() creates (catalog.sql),
schema public at the mart's schema main, PostgreSQL-only functions, operators and casts at
DuckDB's or the emulation's, and every unnamed select-list item gets PostgreSQL's column name.
SET, SHOW and transaction control are the session's business and only classified. Anything that
would write, change settings or touch the server's files is refused with PostgreSQL's SQLSTATE.
"""

import copy
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import duckdb
from pglast import ast, enums, parser
from pglast.printers.dml import system_types
from pglast.stream import RawStream

# The role every client is, as pg_authid (catalog.sql) names oid 10.
ROLE = "mart"
SERVER_VERSION = "15.0"

Kind = Literal["query", "set", "show", "transaction", "noop", "empty"]


class SqlError(Exception):
    """A statement PostgreSQL would reject, or mart serve refuses, with its SQLSTATE.

    position is PostgreSQL's: 1-based, in characters, into the whole query string.
    """

    def __init__(self, sqlstate: str, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Statement:
    """One statement of a query string, classified.

    sql is the DuckDB SQL to run for kind "query" and the statement's own text otherwise. name
    and value: for "set", the setting (lower case) and its value as text ("" for RESET); for
    "show", the setting; for "transaction", begin, commit, rollback, savepoint, release or
    rollback_to, with the savepoint's name as value; for a DEALLOCATE "noop", the prepared
    statement's name ("" for ALL): the session should forget it.
    """

    kind: Kind
    sql: str
    tag: str
    name: str = ""
    value: str = ""


# ---------------------------------------------------------------------------------------------
# The emulated catalog, as the SQL files declare it.
# ---------------------------------------------------------------------------------------------


def _read(name: str) -> str:
    return resources.files("mart.serve").joinpath(name).read_text(encoding="utf-8")


def _statements_of(script: str) -> tuple[str, ...]:
    """The statements of one of our SQL files: each ends with ';' at the end of a line."""
    chunks = re.split(r";[ \t]*\n", script)
    return tuple(
        chunk.strip()
        for chunk in chunks
        if any(line.strip() and not line.lstrip().startswith("--") for line in chunk.splitlines())
    )


_CATALOG_SQL = _read("catalog.sql")
_EMPTY_SQL = _read("catalog_empty.sql")
_INSTALL_STATEMENTS = _statements_of(_CATALOG_SQL)

_COMPAT = "memory", "pg_compat"
_COMPAT_INFORMATION_SCHEMA = "memory", "pg_compat_information_schema"
_HELPERS = "memory", "mart_serve"

# Relations catalog.sql creates, by the schema clients know them in.
_CATALOG_RELATIONS = {
    "pg_catalog": set(re.findall(r"create (?:table|view) memory\.pg_compat\.(\w+)", _CATALOG_SQL)),
    "information_schema": set(
        re.findall(
            r"create (?:table|view) memory\.pg_compat_information_schema\.(\w+)", _CATALOG_SQL
        )
    ),
}
# Functions catalog.sql defines as macros for clients (pg_catalog's) and for translate().
_COMPAT_FUNCTIONS = set(re.findall(r"create macro memory\.pg_compat\.(\w+)\(", _CATALOG_SQL))
# PostgreSQL 15's oids of the catalog relations ('pg_class'::regclass is 1259).
_CATALOG_OIDS = {
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


_EMPTY_RELATIONS = _empty_relations()
for _schema, _name in _EMPTY_RELATIONS:
    _CATALOG_RELATIONS[_schema].add(_name)


def install(con: duckdb.DuckDBPyConnection, database_name: str) -> None:
    """Create the PostgreSQL catalog in con's in-memory catalog, for the attached mart.

    Call once per connection, after `ATTACH '<file>' AS mart (READ_ONLY)`. database_name is the
    database clients connect to: pg_database's one row and current_database().
    """
    # One statement at a time: DuckDB took 10 to 20 ms longer for the script in one call.
    for statement in _INSTALL_STATEMENTS:
        con.execute(statement)
    con.execute(
        "insert into memory.mart_serve.server values (?, ?)",
        [database_name, f"PostgreSQL {SERVER_VERSION} (mart serve, DuckDB {duckdb.__version__})"],
    )


# ---------------------------------------------------------------------------------------------
# Classifying statements.
# ---------------------------------------------------------------------------------------------


def translate(sql: str) -> list[Statement]:
    """Split a query string into statements and classify (and translate) each.

    Raises SqlError for a syntax error (42601) or a statement mart serve refuses; the whole
    string is refused then, as PostgreSQL refuses a string it cannot parse.
    """
    return list(_translate(sql))


@functools.lru_cache(maxsize=1024)
def _translate(sql: str) -> tuple[Statement, ...]:
    try:
        raws = parser.parse_sql(sql)
    except parser.ParseError as error:
        message, location = error.args
        position = len(sql) + 1 if location is None else location + 1
        raise SqlError("42601", str(message), position) from None
    if not raws:
        return (Statement("empty", sql, ""),)
    statements = []
    for raw in raws:
        start = raw.stmt_location or 0
        end = start + raw.stmt_len if raw.stmt_len else len(sql)
        text = sql[start:end].strip()
        statements.append(_classify(raw.stmt, text))
    return tuple(statements)


def _classify(node: Any, text: str) -> Statement:
    if isinstance(node, ast.SelectStmt):
        return Statement("query", _Rewriter().statement(node), "SELECT")
    if isinstance(node, ast.ExplainStmt):
        return _explain(node)
    if isinstance(node, ast.VariableSetStmt):
        return _set(node, text)
    if isinstance(node, ast.VariableShowStmt):
        return Statement("show", text, "SHOW", name=(node.name or "").lower())
    if isinstance(node, ast.TransactionStmt):
        return _transaction(node, text)
    if isinstance(node, ast.DeallocateStmt):
        tag = "DEALLOCATE" if node.name else "DEALLOCATE ALL"
        return Statement("noop", text, tag, name=node.name or "")
    if isinstance(node, ast.DiscardStmt):
        mode = enums.DiscardMode(node.target or 0).name.removeprefix("DISCARD_")
        return Statement("noop", text, f"DISCARD {mode}")
    if isinstance(node, ast.ListenStmt):
        return Statement("noop", text, "LISTEN")
    if isinstance(node, ast.UnlistenStmt):
        return Statement("noop", text, "UNLISTEN")
    if isinstance(node, ast.CopyStmt) and not node.is_from:
        raise SqlError("0A000", "COPY is not supported by mart serve: run the SELECT instead")
    tag = _command_tag(node)
    if tag in _UNSUPPORTED:
        raise SqlError("0A000", f"{tag} is not supported by mart serve{_UNSUPPORTED[tag]}")
    raise SqlError("25006", f"cannot execute {tag} in a read-only transaction")


# Statements that change nothing in the database but mart serve cannot honour either.
_UNSUPPORTED = {
    "PREPARE": ": prepare through the protocol (Parse/Bind/Execute)",
    "EXECUTE": ": prepare through the protocol (Parse/Bind/Execute)",
    "DECLARE CURSOR": ": fetch through the protocol (Execute with a row limit)",
    "FETCH": ": fetch through the protocol (Execute with a row limit)",
    "MOVE": ": fetch through the protocol (Execute with a row limit)",
    "CLOSE CURSOR": "",
    "CLOSE CURSOR ALL": "",
    "NOTIFY": "",
    "CHECKPOINT": "",
    "PREPARE TRANSACTION": "",
    "COMMIT PREPARED": "",
    "ROLLBACK PREPARED": "",
    "SET CONSTRAINTS": "",
}


def _explain(node: Any) -> Statement:
    if not isinstance(node.query, ast.SelectStmt):
        raise SqlError(
            "25006", f"cannot execute {_command_tag(node.query)} in a read-only transaction"
        )
    # DuckDB's plans are not PostgreSQL's, and its EXPLAIN cannot be wrapped as a subquery, as
    # the server wraps every query to encode its rows.
    raise SqlError("0A000", "EXPLAIN is not supported by mart serve")


def _set(node: Any, text: str) -> Statement:
    kind = enums.VariableSetKind(node.kind)
    if kind == enums.VariableSetKind.VAR_RESET_ALL:
        return Statement("set", text, "RESET", name="all")
    if kind == enums.VariableSetKind.VAR_RESET:
        return Statement("set", text, "RESET", name=node.name.lower())
    if kind == enums.VariableSetKind.VAR_SET_MULTI:
        # SET TRANSACTION ... / SET SESSION CHARACTERISTICS AS TRANSACTION ...: the first item.
        if node.name == "TRANSACTION SNAPSHOT":
            return Statement("set", text, "SET", "transaction_snapshot", _value(node.args))
        item = node.args[0]
        prefix = "default_" if node.name == "SESSION CHARACTERISTICS" else ""
        value = _value((item.arg,))
        if item.defname in ("transaction_read_only", "transaction_deferrable"):
            value = "on" if value == "1" else "off"
        return Statement("set", text, "SET", prefix + item.defname, value)
    value = _value(node.args) if kind == enums.VariableSetKind.VAR_SET_VALUE else ""
    return Statement("set", text, "SET", node.name.lower(), value)


def _value(args: Iterable[Any] | None) -> str:
    values = []
    for arg in args or ():
        if isinstance(arg, ast.A_Const) and not arg.isnull:
            constant = arg.val
            if isinstance(constant, ast.String):
                values.append(str(constant.sval))
            elif isinstance(constant, ast.Integer):
                values.append(str(constant.ival))
            elif isinstance(constant, ast.Float):
                values.append(str(constant.fval))
            elif isinstance(constant, ast.Boolean):
                values.append("on" if constant.boolval else "off")
            else:
                values.append(RawStream()(arg))
        else:
            values.append(RawStream()(arg))
    return ", ".join(values)


def _transaction(node: Any, text: str) -> Statement:
    kinds = enums.TransactionStmtKind
    kind = kinds(node.kind)
    savepoint = node.savepoint_name or ""
    if kind == kinds.TRANS_STMT_BEGIN:
        return Statement("transaction", text, "BEGIN", "begin")
    if kind == kinds.TRANS_STMT_START:
        return Statement("transaction", text, "START TRANSACTION", "begin")
    if kind == kinds.TRANS_STMT_COMMIT:
        return Statement("transaction", text, "COMMIT", "commit")
    if kind == kinds.TRANS_STMT_ROLLBACK:
        return Statement("transaction", text, "ROLLBACK", "rollback")
    if kind == kinds.TRANS_STMT_SAVEPOINT:
        return Statement("transaction", text, "SAVEPOINT", "savepoint", savepoint)
    if kind == kinds.TRANS_STMT_RELEASE:
        return Statement("transaction", text, "RELEASE", "release", savepoint)
    if kind == kinds.TRANS_STMT_ROLLBACK_TO:
        return Statement("transaction", text, "ROLLBACK", "rollback_to", savepoint)
    tag = {
        kinds.TRANS_STMT_PREPARE: "PREPARE TRANSACTION",
        kinds.TRANS_STMT_COMMIT_PREPARED: "COMMIT PREPARED",
        kinds.TRANS_STMT_ROLLBACK_PREPARED: "ROLLBACK PREPARED",
    }[kind]
    raise SqlError("0A000", f"{tag} is not supported by mart serve")


# PostgreSQL's command tags (CreateCommandTag) for the statements clients are likeliest to send;
# others are named after their parse node (CreateEventTrigStmt -> CREATE EVENT TRIG).
_TAGS = {
    "InsertStmt": "INSERT",
    "UpdateStmt": "UPDATE",
    "DeleteStmt": "DELETE",
    "MergeStmt": "MERGE",
    "CreateStmt": "CREATE TABLE",
    "CreateForeignTableStmt": "CREATE FOREIGN TABLE",
    "CreateSchemaStmt": "CREATE SCHEMA",
    "CreateSeqStmt": "CREATE SEQUENCE",
    "AlterSeqStmt": "ALTER SEQUENCE",
    "ViewStmt": "CREATE VIEW",
    "IndexStmt": "CREATE INDEX",
    "CreateExtensionStmt": "CREATE EXTENSION",
    "AlterExtensionStmt": "ALTER EXTENSION",
    "CreatedbStmt": "CREATE DATABASE",
    "AlterDatabaseStmt": "ALTER DATABASE",
    "DropdbStmt": "DROP DATABASE",
    "CreateRoleStmt": "CREATE ROLE",
    "AlterRoleStmt": "ALTER ROLE",
    "AlterRoleSetStmt": "ALTER ROLE",
    "DropRoleStmt": "DROP ROLE",
    "CreateTrigStmt": "CREATE TRIGGER",
    "RuleStmt": "CREATE RULE",
    "CreatePolicyStmt": "CREATE POLICY",
    "AlterPolicyStmt": "ALTER POLICY",
    "CreateDomainStmt": "CREATE DOMAIN",
    "CompositeTypeStmt": "CREATE TYPE",
    "CreateEnumStmt": "CREATE TYPE",
    "CreateRangeStmt": "CREATE TYPE",
    "AlterEnumStmt": "ALTER TYPE",
    "CreateStatsStmt": "CREATE STATISTICS",
    "CreatePublicationStmt": "CREATE PUBLICATION",
    "CreateSubscriptionStmt": "CREATE SUBSCRIPTION",
    "TruncateStmt": "TRUNCATE TABLE",
    "CommentStmt": "COMMENT",
    "SecLabelStmt": "SECURITY LABEL",
    "CallStmt": "CALL",
    "DoStmt": "DO",
    "LockStmt": "LOCK TABLE",
    "ClusterStmt": "CLUSTER",
    "ReindexStmt": "REINDEX",
    "RefreshMatViewStmt": "REFRESH MATERIALIZED VIEW",
    "LoadStmt": "LOAD",
    "AlterSystemStmt": "ALTER SYSTEM",
    "AlterDefaultPrivilegesStmt": "ALTER DEFAULT PRIVILEGES",
    "ReassignOwnedStmt": "REASSIGN OWNED",
    "DropOwnedStmt": "DROP OWNED",
    "ImportForeignSchemaStmt": "IMPORT FOREIGN SCHEMA",
    "CheckPointStmt": "CHECKPOINT",
    "NotifyStmt": "NOTIFY",
    "PrepareStmt": "PREPARE",
    "ExecuteStmt": "EXECUTE",
    "DeclareCursorStmt": "DECLARE CURSOR",
    "ConstraintsSetStmt": "SET CONSTRAINTS",
    "CreateTableSpaceStmt": "CREATE TABLESPACE",
    "DropTableSpaceStmt": "DROP TABLESPACE",
}

_OBJECT_NAMES = {"MATVIEW": "MATERIALIZED VIEW", "FDW": "FOREIGN DATA WRAPPER"}


def _object_name(object_type: Any) -> str:
    name = enums.ObjectType(object_type).name.removeprefix("OBJECT_")
    return _OBJECT_NAMES.get(name, name.replace("_", " "))


def _command_tag(node: Any) -> str:
    """PostgreSQL's command tag for a statement that is not a read."""
    if isinstance(node, ast.CreateTableAsStmt):
        if node.is_select_into:
            return "SELECT INTO"
        if node.objtype == enums.ObjectType.OBJECT_MATVIEW:
            return "CREATE MATERIALIZED VIEW"
        return "CREATE TABLE AS"
    if isinstance(node, ast.CopyStmt):
        return "COPY FROM" if node.is_from else "COPY"
    if isinstance(node, ast.DropStmt):
        return f"DROP {_object_name(node.removeType)}"
    if isinstance(node, ast.AlterTableStmt):
        return f"ALTER {_object_name(node.objtype)}"
    if isinstance(node, ast.RenameStmt):
        renamed = node.renameType
        if renamed in (enums.ObjectType.OBJECT_COLUMN, enums.ObjectType.OBJECT_TABCONSTRAINT):
            renamed = node.relationType
        return f"ALTER {_object_name(renamed)}"
    if isinstance(node, ast.AlterObjectSchemaStmt | ast.AlterOwnerStmt):
        return f"ALTER {_object_name(node.objectType)}"
    if isinstance(node, ast.GrantStmt):
        return "GRANT" if node.is_grant else "REVOKE"
    if isinstance(node, ast.GrantRoleStmt):
        return "GRANT ROLE" if node.is_grant else "REVOKE ROLE"
    if isinstance(node, ast.VacuumStmt):
        return "VACUUM" if node.is_vacuumcmd else "ANALYZE"
    if isinstance(node, ast.CreateFunctionStmt):
        return "CREATE PROCEDURE" if node.is_procedure else "CREATE FUNCTION"
    if isinstance(node, ast.DefineStmt):
        return f"CREATE {_object_name(node.kind)}"
    if isinstance(node, ast.FetchStmt):
        return "MOVE" if node.ismove else "FETCH"
    if isinstance(node, ast.ClosePortalStmt):
        return "CLOSE CURSOR" if node.portalname else "CLOSE CURSOR ALL"
    name = type(node).__name__
    if name in _TAGS:
        return _TAGS[name]
    words = re.findall(r"[A-Z][a-z]*", name.removesuffix("Stmt"))
    return " ".join(words).upper()


# ---------------------------------------------------------------------------------------------
# Rewriting reads for DuckDB.
# ---------------------------------------------------------------------------------------------

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
}


def _blocked(name: str) -> bool:
    return (
        name in _BLOCKED_FUNCTIONS
        or name.startswith(_BLOCKED_PREFIXES)
        or name.endswith(_BLOCKED_SUFFIXES)
    )


# PostgreSQL functions translate() writes out as DuckDB SQL ($n: the n-th argument), by name
# and number of arguments: those needing no catalog lookup of their own. Stubs answer for what
# a DuckDB mart has none of (constraints, indexes, triggers, rules, sequences, functions).
_NONE = "cast(null as varchar)"
_INLINE: dict[str, dict[int, str]] = {
    "pg_get_expr": {2: "cast($1 as varchar)", 3: "cast($1 as varchar)"},
    "pg_get_constraintdef": {1: _NONE, 2: _NONE},
    "pg_get_indexdef": {1: _NONE, 3: _NONE},
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

# Casts: reg* types become oids or names (see _Rewriter.reg_cast); others map to DuckDB types.
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

# PostgreSQL's names for the SQL-standard functions without parentheses.
_VALUE_FUNCTIONS = {
    "SVFOP_CURRENT_DATE": "current_date",
    "SVFOP_CURRENT_TIME": "current_time",
    "SVFOP_CURRENT_TIME_N": "current_time",
    "SVFOP_CURRENT_TIMESTAMP": "current_timestamp",
    "SVFOP_CURRENT_TIMESTAMP_N": "current_timestamp",
    "SVFOP_LOCALTIME": "localtime",
    "SVFOP_LOCALTIME_N": "localtime",
    "SVFOP_LOCALTIMESTAMP": "localtimestamp",
    "SVFOP_LOCALTIMESTAMP_N": "localtimestamp",
    "SVFOP_CURRENT_ROLE": "current_role",
    "SVFOP_CURRENT_USER": "current_user",
    "SVFOP_USER": "user",
    "SVFOP_SESSION_USER": "session_user",
    "SVFOP_CURRENT_CATALOG": "current_catalog",
    "SVFOP_CURRENT_SCHEMA": "current_schema",
}

_WRITES = (ast.InsertStmt, ast.UpdateStmt, ast.DeleteStmt, ast.MergeStmt)
_ARRAY_LITERAL = re.compile(r"\{[^{}\"]*\}")


def _string(value: str) -> Any:
    return ast.A_Const(isnull=False, val=ast.String(sval=value))


def _call(names: tuple[str, ...], *args: Any) -> Any:
    return ast.FuncCall(
        funcname=tuple(ast.String(sval=name) for name in names),
        args=args,
        funcformat=enums.CoercionForm.COERCE_EXPLICIT_CALL,
    )


def _names(nodes: Iterable[Any] | None) -> list[str]:
    return [str(node.sval) for node in nodes or () if isinstance(node, ast.String)]


_SLOTS: dict[type, tuple[str, ...]] = {}


def _child_slots(cls: type) -> tuple[str, ...]:
    """The attributes of a parse node class that may hold other nodes."""
    slots = _SLOTS.get(cls)
    if slots is None:
        slots = _SLOTS[cls] = tuple(
            name
            for name, info in vars(cls)["__slots__"].items()
            if info.c_type.endswith("*") and info.c_type != "char*"
        )
    return slots


class _Rewriter:
    """Rewrites one read statement's parse tree in place, then prints it for DuckDB."""

    def __init__(self) -> None:
        self.ctes: set[str] = set()
        self.catalog = False
        self.array_literals: list[Any] = []
        self.handlers: dict[type, Callable[[Any], Any]] = {
            ast.SelectStmt: self.select,
            ast.RangeVar: self.range_var,
            ast.RangeFunction: self.range_function,
            ast.ColumnRef: self.column_ref,
            ast.FuncCall: self.func_call,
            ast.TypeCast: self.type_cast,
            ast.A_Expr: self.a_expr,
            ast.CollateClause: self.collate,
            ast.SQLValueFunction: self.value_function,
            ast.CommonTableExpr: self.cte,
        }

    def statement(self, node: Any) -> str:
        self.walk(node)
        if node.valuesLists and not node.targetList:
            # A bare VALUES: PostgreSQL names its columns column1, column2...; DuckDB col0...
            count = len(node.valuesLists[0])
            node = ast.SelectStmt(
                targetList=(ast.ResTarget(val=ast.ColumnRef(fields=(ast.A_Star(),))),),
                fromClause=(
                    ast.RangeSubselect(
                        lateral=False,
                        subquery=node,
                        alias=ast.Alias(
                            aliasname="*VALUES*",
                            colnames=tuple(
                                ast.String(sval=f"column{n}") for n in range(1, count + 1)
                            ),
                        ),
                    ),
                ),
                limitOption=enums.LimitOption.LIMIT_OPTION_DEFAULT,
                op=enums.SetOperation.SETOP_NONE,
            )
        if self.catalog:
            # PostgreSQL reads '{0}' as an array; DuckDB writes arrays [0].
            for constant in self.array_literals:
                constant.val = ast.String(sval="[" + constant.val.sval[1:-1] + "]")
        return str(RawStream()(node))

    # The traversal: handlers replace nodes; everything else is searched for nodes to handle.

    def walk(self, node: Any) -> Any:
        handler = self.handlers.get(type(node))
        if handler is not None:
            return handler(node)
        if isinstance(node, _WRITES):
            # A data-modifying WITH: PostgreSQL names the statement around it.
            raise SqlError("25006", "cannot execute SELECT in a read-only transaction")
        self.descend(node)
        return node

    def descend(self, node: Any, skip: str = "") -> None:
        for slot in _child_slots(type(node)):
            value = getattr(node, slot)
            if value is not None and slot != skip:
                setattr(node, slot, self.value(value))

    def value(self, value: object) -> object:
        if isinstance(value, ast.Node):
            return self.walk(value)
        if isinstance(value, tuple):
            return tuple(self.value(item) for item in value)
        return value

    # Statements.

    def select(self, node: Any) -> Any:
        if node.intoClause is not None:
            raise SqlError("25006", "cannot execute SELECT INTO in a read-only transaction")
        if node.lockingClause:
            strength = enums.LockClauseStrength(node.lockingClause[0].strength).name
            what = {
                "LCS_FORKEYSHARE": "KEY SHARE",
                "LCS_FORSHARE": "SHARE",
                "LCS_FORNOKEYUPDATE": "NO KEY UPDATE",
            }.get(strength, "UPDATE")
            raise SqlError("25006", f"cannot execute SELECT FOR {what} in a read-only transaction")
        if node.withClause is not None:
            for cte in node.withClause.ctes:
                self.ctes.add(cte.ctename)
        for target in node.targetList or ():
            self.target(target)
        self.descend(node, skip="targetList")
        return node

    def cte(self, node: Any) -> Any:
        if isinstance(node.ctequery, _WRITES):
            raise SqlError("25006", "cannot execute SELECT in a read-only transaction")
        self.descend(node)
        return node

    def target(self, target: Any) -> None:
        """A select-list item, named as PostgreSQL names it; reg* values print as names."""
        value = target.val
        star = isinstance(value, ast.ColumnRef) and isinstance((value.fields or ())[-1], ast.A_Star)
        if target.name is None and not star:
            name = _column_name(value)[0]
            # DuckDB names a plain column after it too; everything else differently.
            if not (isinstance(value, ast.ColumnRef) and _names(value.fields)[-1:] == [name]):
                target.name = name
        if isinstance(value, ast.TypeCast) and self.reg_type(value):
            target.val = self.reg_name(value)
        else:
            target.val = self.walk(value)

    # Relations.

    def range_var(self, node: Any) -> Any:
        schema, name = node.schemaname, node.relname
        node.catalogname = None  # PostgreSQL only allows the current database here
        if schema == "pg_catalog" or (
            schema is None and name.startswith("pg_") and (name not in self.ctes)
        ):
            # PostgreSQL searches pg_catalog before any other schema.
            return self.catalog_relation(node, "pg_catalog")
        if schema == "information_schema":
            return self.catalog_relation(node, "information_schema")
        if name.startswith("duckdb_") or any(c in name for c in "./\\:"):
            # DuckDB's own catalog views, and names DuckDB would read as files or URLs.
            raise _undefined(node)
        if schema == "public":
            node.schemaname = "main"
        return node

    def catalog_relation(self, node: Any, schema: str) -> Any:
        name = node.relname
        if name not in _CATALOG_RELATIONS[schema]:
            raise _undefined(node)
        self.catalog = True
        if (schema, name) in _EMPTY_RELATIONS:
            return ast.RangeSubselect(
                lateral=False,
                subquery=_EMPTY_RELATIONS[schema, name],
                alias=node.alias or ast.Alias(aliasname=name),
            )
        node.catalogname, node.schemaname = (
            _COMPAT if schema == "pg_catalog" else _COMPAT_INFORMATION_SCHEMA
        )
        return node

    def range_function(self, node: Any) -> Any:
        functions = []
        for item in node.functions:
            call, column_definitions = item
            if isinstance(call, ast.FuncCall):
                name = _names(call.funcname)[-1].lower()
                if name == "pg_partition_ancestors" and len(call.args or ()) == 1:
                    call = _call(
                        ("unnest",),
                        ast.A_ArrayExpr(
                            elements=(_call((*_HELPERS, "regclass_oid"), *(call.args or ())),)
                        ),
                    )
                    if node.alias is not None and not node.alias.colnames:
                        node.alias.colnames = (ast.String(sval="relid"),)
                elif (
                    name in ("unnest", "generate_series")
                    and node.alias is not None
                    and not node.alias.colnames
                    and not node.ordinality
                ):
                    # PostgreSQL names a one-column function's column after its alias.
                    node.alias.colnames = (ast.String(sval=node.alias.aliasname),)
            functions.append((self.walk(call), column_definitions))
        node.functions = tuple(functions)
        return node

    # Expressions.

    def column_ref(self, node: Any) -> Any:
        # schema.table.column (or database.schema.table.column): the table is enough, and the
        # schema is one DuckDB knows under another name.
        names = [field.sval if isinstance(field, ast.String) else "" for field in node.fields]
        if len(names) == 4 and names[1] in _SCHEMAS:
            node.fields = node.fields[2:]
        elif len(names) == 3 and names[0] in _SCHEMAS:
            node.fields = node.fields[1:]
        return node

    def func_call(self, node: Any) -> Any:
        names = _names(node.funcname)
        name = names[-1].lower()
        schema = names[-2] if len(names) > 1 else None
        if _blocked(name):
            raise SqlError("42501", f"permission denied for function {name}", _position(node))
        if name == "set_config":
            raise SqlError(
                "0A000", "set_config is not supported by mart serve: use SET", _position(node)
            )
        self.descend(node)
        if schema == "information_schema" and name == "_pg_expandarray":
            node.funcname = tuple(ast.String(sval=part) for part in (*_HELPERS, "pg_expandarray"))
            return node
        if schema not in (None, "pg_catalog"):
            return node
        arity = len(node.args or ())
        if name in _INLINE and arity in _INLINE[name]:
            self.catalog = True
            return _expand(_INLINE[name][arity], node.args or ())
        if name in _COMPAT_FUNCTIONS:
            self.catalog = True
            node.funcname = tuple(ast.String(sval=part) for part in (*_COMPAT, name))
        elif name in _RENAMED:
            node.funcname = (ast.String(sval=_RENAMED[name]),)
        elif schema is not None and name not in _SQL_SYNTAX:
            node.funcname = (ast.String(sval=name),)
        return node

    def value_function(self, node: Any) -> Any:
        op = enums.SQLValueFunctionOp(node.op).name
        if op in ("SVFOP_CURRENT_USER", "SVFOP_USER", "SVFOP_SESSION_USER", "SVFOP_CURRENT_ROLE"):
            return _string(ROLE)
        if op == "SVFOP_CURRENT_SCHEMA":
            return _string("public")
        if op == "SVFOP_CURRENT_CATALOG":
            self.catalog = True
            return _call((*_COMPAT, "current_database"))
        return node

    def type_cast(self, node: Any) -> Any:
        if self.reg_type(node):
            return self.reg_oid(node)
        names = _names(node.typeName.names)
        target = names[-1].lower()
        if (
            target in _STRING_TYPES
            and isinstance(node.arg, ast.TypeCast)
            and self.reg_type(node.arg)
        ):
            node.arg = self.reg_name(node.arg)
        else:
            node.arg = self.walk(node.arg)
        node.typeName = self.type_name(node.typeName)
        if node.typeName.arrayBounds and _is_string(node.arg, _ARRAY_LITERAL):
            # '{1,2}'::int[]: DuckDB writes array literals [1,2].
            text = node.arg.val.sval
            node.arg = _string("[" + text[1:-1] + "]")
        return node

    def type_name(self, node: Any) -> Any:
        """A type as DuckDB knows it: PostgreSQL's own types mapped, pg_catalog left out."""
        names = _names(node.names)
        if len(names) != 2 or names[0] not in ("pg_catalog", "information_schema"):
            if len(names) == 1 and names[0] in _TYPES:
                names = ["pg_catalog", names[0]]
            else:
                return node
        target = _TYPES.get(names[1], names[1])
        bounds = node.arrayBounds or ()
        typmods = node.typmods if target == names[1] else None
        if target.endswith("[]"):
            target, bounds = target[:-2], (*bounds, ast.Integer(ival=-1))
        # The printer writes the common system types in SQL syntax (pg_catalog.int8 as bigint)
        # and any other qualified name as it is, which DuckDB would not know.
        qualified = f"pg_catalog.{target}" in _PRINTED_TYPES
        return ast.TypeName(
            names=tuple(ast.String(sval=part) for part in ("pg_catalog", target)[not qualified :]),
            typmods=typmods,
            arrayBounds=bounds or None,
            typemod=-1,
        )

    def reg_type(self, node: Any) -> str | None:
        target = _names(node.typeName.names)[-1].lower()
        return target if target in _REG_TYPES and not node.typeName.arrayBounds else None

    def reg_oid(self, node: Any) -> Any:
        """x::regclass where it is compared or joined: the oid, from a name or an oid."""
        self.catalog = True
        kind = self.reg_type(node)
        if kind == "regclass" and _is_string(node.arg):
            oid = _CATALOG_OIDS.get(node.arg.val.sval.removeprefix("pg_catalog."))
            if oid is not None:
                return ast.A_Const(isnull=False, val=ast.Integer(ival=oid))
        if kind in ("regproc", "regprocedure"):
            return self.function_name(node.arg)
        return _call((*_HELPERS, f"{kind}_oid"), self.walk(node.arg))

    def function_name(self, node: Any) -> Any:
        """x::regproc: pg_catalog's regproc columns hold a function's bare name here."""
        if _is_string(node):
            name = re.sub(r"^pg_catalog\.|\(.*\)$", "", str(node.val.sval))
            return _string(name)
        return _expand("cast($1 as varchar)", (self.walk(node),))

    def reg_name(self, node: Any) -> Any:
        """x::regclass where it is printed: the name PostgreSQL prints."""
        self.catalog = True
        kind = self.reg_type(node)
        if kind in ("regproc", "regprocedure"):
            return self.function_name(node.arg)
        arg = self.walk(node.arg)
        if kind == "regrole":
            return _expand(
                "memory.pg_compat.pg_get_userbyid(memory.mart_serve.regrole_oid($1))", (arg,)
            )
        return _call((*_HELPERS, f"{kind}_name"), arg)

    def a_expr(self, node: Any) -> Any:
        kind = enums.A_Expr_Kind(node.kind)
        operator = _names(node.name)
        if len(operator) == 2 and operator[0] == "pg_catalog":
            node.name = (ast.String(sval=operator[1]),)  # OPERATOR(pg_catalog.~)
        operator_name = operator[-1]
        if (
            kind in (enums.A_Expr_Kind.AEXPR_LIKE, enums.A_Expr_Kind.AEXPR_ILIKE)
            and isinstance(node.rexpr, ast.FuncCall)
            and _names(node.rexpr.funcname)[-1] == "like_escape"
        ):
            # x LIKE p ESCAPE e, which PostgreSQL parses as x ~~ like_escape(p, e).
            pattern, escape = node.rexpr.args or (None, None)
            function = "ilike_escape" if kind == enums.A_Expr_Kind.AEXPR_ILIKE else "like_escape"
            call = _call((function,), self.walk(node.lexpr), self.walk(pattern), self.walk(escape))
            if operator_name.startswith("!"):
                return ast.BoolExpr(boolop=enums.BoolExprType.NOT_EXPR, args=(call,))
            return call
        if kind == enums.A_Expr_Kind.AEXPR_OP:
            if operator_name == "||" and (_is_array(node.lexpr) or _is_array(node.rexpr)):
                # PostgreSQL's array || NULL is the array; DuckDB's is NULL.
                return _call(("list_concat",), self.walk(node.lexpr), self.walk(node.rexpr))
            if operator_name in ("=", "<>", "!="):
                for side in (node.lexpr, node.rexpr):
                    if _is_string(side, _ARRAY_LITERAL):
                        self.array_literals.append(side)
        self.descend(node)
        return node

    def collate(self, node: Any) -> Any:
        if _names(node.collname)[-1].lower() in _TRIVIAL_COLLATIONS:
            return self.walk(node.arg)  # DuckDB compares bytes, as collation C does
        self.descend(node)
        return node


def _undefined(node: Any) -> SqlError:
    name = f"{node.schemaname}.{node.relname}" if node.schemaname else node.relname
    return SqlError("42P01", f'relation "{name}" does not exist', _position(node))


def _position(node: Any) -> int | None:
    location = getattr(node, "location", None)
    return location + 1 if isinstance(location, int) and location >= 0 else None


def _is_string(node: Any, pattern: re.Pattern[str] | None = None) -> bool:
    return (
        isinstance(node, ast.A_Const)
        and isinstance(node.val, ast.String)
        and (pattern is None or pattern.fullmatch(node.val.sval or "") is not None)
    )


def _is_array(node: Any) -> bool:
    return isinstance(node, ast.A_ArrayExpr) or (
        isinstance(node, ast.SubLink) and node.subLinkType == enums.SubLinkType.ARRAY_SUBLINK
    )


@functools.cache
def _template(sql: str) -> Any:
    select: Any = parser.parse_sql(f"select {sql}")[0].stmt
    return select.targetList[0].val


def _expand(sql: str, args: tuple[Any, ...]) -> Any:
    """An expression template with its $n replaced by the (already rewritten) arguments."""
    expression = copy.deepcopy(_template(sql))

    def substitute(value: Any) -> Any:
        if isinstance(value, ast.ParamRef):
            return args[(value.number or 0) - 1]
        if isinstance(value, tuple):
            return tuple(substitute(item) for item in value)
        if isinstance(value, ast.Node):
            for slot in _child_slots(type(value)):
                child = getattr(value, slot)
                if child is not None:
                    setattr(value, slot, substitute(child))
        return value

    result = substitute(expression)
    # An argument the template drops may hold a parameter; DuckDB refuses parameters the
    # statement no longer mentions, so the argument stays, evaluated and ignored.
    for number, arg in enumerate(args, start=1):
        if not re.search(rf"\${number}(?!\d)", sql) and _has_parameter(arg):
            unused = ast.NullTest(arg=arg, nulltesttype=enums.NullTestType.IS_NULL)
            result = ast.CaseExpr(
                args=(ast.CaseWhen(expr=unused, result=result),), defresult=result
            )
    return result


def _has_parameter(node: object) -> bool:
    if isinstance(node, ast.ParamRef):
        return True
    if isinstance(node, tuple):
        return any(_has_parameter(item) for item in node)
    if isinstance(node, ast.Node):
        return any(_has_parameter(getattr(node, slot)) for slot in _child_slots(type(node)))
    return False


def _column_name(node: Any) -> tuple[str, int]:
    """PostgreSQL's name for an unnamed select-list item, and how strongly it holds.

    After FigureColnameInternal (parser/parse_target.c): 2 for a name taken from a column or a
    function, 1 for a fallback such as "case" or a type's name, 0 for ?column?.
    """
    kind = type(node)
    if kind is ast.ColumnRef:
        names = _names(node.fields)
        return (names[-1], 2) if names else ("?column?", 0)
    if kind is ast.A_Indirection:
        names = _names(node.indirection)
        return (names[-1], 2) if names else _column_name(node.arg)
    if kind is ast.FuncCall:
        return _names(node.funcname)[-1], 2
    if kind is ast.A_Expr:
        return ("nullif", 2) if node.kind == enums.A_Expr_Kind.AEXPR_NULLIF else ("?column?", 0)
    if kind is ast.TypeCast:
        name, strength = _column_name(node.arg)
        return (_names(node.typeName.names)[-1], 1) if strength <= 1 else (name, strength)
    if kind is ast.CollateClause:
        return _column_name(node.arg)
    if kind is ast.CaseExpr:
        name, strength = _column_name(node.defresult)
        return (name, strength) if strength > 1 else ("case", 1)
    if kind is ast.SubLink:
        if node.subLinkType == enums.SubLinkType.EXISTS_SUBLINK:
            return "exists", 2
        if node.subLinkType == enums.SubLinkType.ARRAY_SUBLINK:
            return "array", 2
        targets = getattr(node.subselect, "targetList", None)
        if node.subLinkType == enums.SubLinkType.EXPR_SUBLINK and targets:
            return targets[0].name or _column_name(targets[0].val)[0], 2
        return "?column?", 0
    if kind is ast.SQLValueFunction:
        return _VALUE_FUNCTIONS[node.op.name], 2
    if kind is ast.MinMaxExpr:
        return ("greatest" if node.op == enums.MinMaxOp.IS_GREATEST else "least"), 2
    return _FALLBACK_NAMES.get(kind, ("?column?", 0))


_FALLBACK_NAMES: dict[type, tuple[str, int]] = {
    ast.GroupingFunc: ("grouping", 2),
    ast.CoalesceExpr: ("coalesce", 2),
    ast.A_ArrayExpr: ("array", 1),
    ast.RowExpr: ("row", 1),
}
