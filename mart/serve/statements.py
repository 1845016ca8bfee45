"""Statements of a query string: classified, refused with their SQLSTATEs, or translated."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pglast import ast, enums, parser
from pglast.stream import RawStream

from mart.serve import copy
from mart.serve.cache import SizedCache
from mart.serve.catalog import SETTINGS
from mart.serve.errors import SqlError
from mart.serve.rewrite import Rewriter

Kind = Literal[
    "query",
    "set",
    "set_config",
    "show",
    "transaction",
    "noop",
    "empty",
    "refused",
    "copy",
    "declare",
    "fetch",
    "close",
]


@dataclass(frozen=True)
class Statement:
    """One statement of a query string, classified.

    sql is the DuckDB SQL to run for kind "query" and the statement's own text otherwise. name
    and value: for "set", the setting (lower case) and its value as text ("" for RESET); for
    "show", the setting; for a LOCK TABLE "noop", the tables (schema.name, comma-separated);
    for "set_config" (SELECT set_config('name', 'value', false), which
    pg_dump sends), the setting and the value to set and return as the query's one row; for
    "transaction", begin, commit, rollback, savepoint, release or
    rollback_to, with the savepoint's name as value; for a DEALLOCATE "noop", the prepared
    statement's name ("" for ALL): the session should forget it. A "refused" statement carries
    its error: in a string of several, the ones before it still run, as in PostgreSQL.
    """

    kind: Kind
    sql: str
    tag: str
    name: str = ""
    value: str = ""
    error: SqlError | None = None
    catalog: bool = False  # a query reading the emulated catalog (its RowDescription's types)
    # A query of the mart's tables: those it reads, and what each select-list item is of them
    # (_plain_columns), which PostgreSQL describes with the column's typmod.
    tables: tuple[str, ...] = ()
    table_columns: tuple[tuple[str, str], ...] = ()


def translate(sql: str) -> list[Statement]:
    """Split a query string into statements and classify (and translate) each.

    Raises SqlError for a syntax error (42601: the whole string is refused, as PostgreSQL
    refuses a string it cannot parse) or for a single statement mart serve refuses; in a string
    of several, a refused statement comes back as kind "refused", to fail when its turn comes.
    """
    statements = _TRANSLATED.get(sql)
    if statements is None:
        statements = _translate(sql)
        size = len(sql) + sum(len(s.sql) + len(s.value) + 200 for s in statements)
        _TRANSLATED.put(sql, statements, size)
    return list(statements)


# Query strings seen, translated: BI tools repeat theirs. Bounded by bytes, not entries, since a
# client chooses how long its query strings are.
_TRANSLATED: SizedCache[str, tuple["Statement", ...]] = SizedCache(16 << 20)


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
        try:
            statements.append(_classify(raw.stmt, text))
        except SqlError as error:
            if len(raws) == 1:
                raise
            statements.append(Statement("refused", text, "", error=error))
    return tuple(statements)


def _classify(node: Any, text: str) -> Statement:
    if isinstance(node, ast.SelectStmt):
        setting = _set_config(node)
        if setting is not None:
            return Statement("set_config", text, "SELECT 1", *setting)
        if _set_config_of_no_setting(node):
            return Statement(
                "query", "select cast(null as varchar) as set_config where false", "SELECT"
            )
        tables, table_columns = _plain_columns(node)  # before the rewrite renames tables
        rewriter = Rewriter()
        sql = rewriter.statement(node)
        return Statement(
            "query",
            sql,
            "SELECT",
            catalog=rewriter.catalog,
            tables=tables,
            table_columns=table_columns,
        )
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
    if isinstance(node, ast.LockStmt) and (node.mode or 0) <= _ROW_EXCLUSIVE and not node.nowait:
        # What pg_dump takes on each table: a transaction block reads one version of the mart
        # from its first query to its end (server.py), which no one can change meanwhile.
        names = ",".join(f"{r.schemaname or 'public'}.{r.relname}" for r in node.relations or ())
        return Statement("noop", text, "LOCK TABLE", value=names)
    if isinstance(node, ast.ListenStmt):
        return Statement("noop", text, "LISTEN")
    if isinstance(node, ast.UnlistenStmt):
        return Statement("noop", text, "UNLISTEN")
    if isinstance(node, ast.CopyStmt) and not node.is_from:
        return _copy(node, text)
    if isinstance(node, ast.DeclareCursorStmt):
        return _declare(node, text)
    if isinstance(node, ast.FetchStmt):
        return _fetch(node, text)
    if isinstance(node, ast.ClosePortalStmt):
        name = node.portalname or ""
        return Statement("close", text, "CLOSE CURSOR" if name else "CLOSE CURSOR ALL", name)
    tag = _command_tag(node)
    if tag in _UNSUPPORTED:
        raise SqlError("0A000", f"{tag} is not supported by mart serve{_UNSUPPORTED[tag]}")
    raise SqlError("25006", f"cannot execute {tag} in a read-only transaction")


# LOCK TABLE's modes a read-only transaction may take (PostgreSQL's lockdefs.h numbers).
_ROW_EXCLUSIVE = 3

# Statements that change nothing in the database but mart serve cannot honour either.
_UNSUPPORTED = {
    "PREPARE": ": prepare through the protocol (Parse/Bind/Execute)",
    "EXECUTE": ": prepare through the protocol (Parse/Bind/Execute)",
    "NOTIFY": "",
    "CHECKPOINT": "",
    "PREPARE TRANSACTION": "",
    "COMMIT PREPARED": "",
    "ROLLBACK PREPARED": "",
    "SET CONSTRAINTS": "",
}


def _set_config(node: Any) -> tuple[str, str] | None:
    """(name, value) of a SELECT [pg_catalog.]set_config('name', 'value', false) and nothing
    else: a SET that answers a row. Any other call of set_config is refused by the rewrite."""
    if node.fromClause or node.whereClause or node.valuesLists or len(node.targetList or ()) != 1:
        return None
    call: Any = node.targetList[0].val
    if not isinstance(call, ast.FuncCall) or len(call.args or ()) != 3:
        return None
    names = [str(part.sval) for part in call.funcname or ()]
    if names[-1].lower() != "set_config" or names[:-1] not in ([], ["pg_catalog"]):
        return None
    arguments: Any = call.args
    name, value, is_local = arguments
    constants = all(isinstance(arg, ast.A_Const) and not arg.isnull for arg in arguments)
    if (
        not constants
        or not isinstance(name.val, ast.String)
        or not isinstance(value.val, ast.String)
    ):
        return None
    if not isinstance(is_local.val, ast.Boolean) or is_local.val.boolval:
        return None  # set_config(..., true), SET LOCAL's: refused by the rewrite
    return str(name.val.sval).lower(), str(value.val.sval)


def _set_config_of_no_setting(node: Any) -> bool:
    """SELECT set_config(name, ...) FROM pg_settings WHERE name = 'x', of a setting x that
    pg_settings does not list (pg_dump's probe for restrict_nonsystem_relation_kind, which
    PostgreSQL 15.0, the version mart serve reports, lacks): no row, and nothing set."""
    if len(node.targetList or ()) != 1 or len(node.fromClause or ()) != 1:
        return False
    call: Any = node.targetList[0].val
    relation: Any = node.fromClause[0]
    where: Any = node.whereClause
    return (
        isinstance(call, ast.FuncCall)
        and [str(part.sval) for part in call.funcname or ()][-1].lower() == "set_config"
        and isinstance(relation, ast.RangeVar)
        and relation.relname == "pg_settings"
        and relation.schemaname in (None, "pg_catalog")
        and isinstance(where, ast.A_Expr)
        and enums.A_Expr_Kind(int(where.kind or 0)) == enums.A_Expr_Kind.AEXPR_OP
        and [part.sval for part in where.name or ()] == ["="]
        and isinstance(where.lexpr, ast.ColumnRef)
        and [getattr(f, "sval", None) for f in where.lexpr.fields or ()][-1] == "name"
        and isinstance(where.rexpr, ast.A_Const)
        and isinstance(where.rexpr.val, ast.String)
        and str(where.rexpr.val.sval).lower() not in SETTINGS
    )


def _copy(node: Any, text: str) -> Statement:
    """COPY ... TO STDOUT: sql is the query whose rows it sends, value its options (copy.py);
    name, for COPY table, the table (a view is refused when it runs, as in PostgreSQL)."""
    if node.is_program:
        raise SqlError(
            "42501",
            "must be superuser or have privileges of the pg_execute_server_program role to "
            "COPY to or from an external program",
            hint=_COPY_HINT,
        )
    if node.filename is not None:
        raise SqlError(
            "42501",
            "must be superuser or have privileges of the pg_write_server_files role to COPY "
            "to a file",
            hint=_COPY_HINT,
        )
    chosen = copy.options(node)
    if node.query is not None:
        if not isinstance(node.query, ast.SelectStmt):
            tag = _command_tag(node.query)
            raise SqlError("25006", f"cannot execute {tag} in a read-only transaction")
        return Statement("copy", Rewriter().statement(node.query), "COPY", "", chosen.dumps())
    relation = node.relation
    names = [str(column.sval) for column in node.attlist or ()]
    chosen.columns = names
    target: list[Any] = [
        ast.ResTarget(val=ast.ColumnRef(fields=(ast.String(sval=n),))) for n in names
    ] or [ast.ResTarget(val=ast.ColumnRef(fields=(ast.A_Star(),)))]
    select = ast.SelectStmt(
        targetList=tuple(target),
        fromClause=(relation,),
        limitOption=enums.LimitOption.LIMIT_OPTION_DEFAULT,
        op=enums.SetOperation.SETOP_NONE,
    )
    name = ".".join(part for part in (relation.schemaname, relation.relname) if part)
    return Statement("copy", Rewriter().statement(select), "COPY", name, chosen.dumps())


_COPY_HINT = "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for anyone."


def _declare(node: Any, text: str) -> Statement:
    """DECLARE name CURSOR [WITH HOLD] FOR query: sql is the query, value "hold" or ""."""
    if node.options & enums.CURSOR_OPT_SCROLL:
        raise SqlError("0A000", "SCROLL cursors are not supported by mart serve")
    if node.options & enums.CURSOR_OPT_BINARY:
        raise SqlError("0A000", "BINARY cursors are not supported by mart serve")
    if not isinstance(node.query, ast.SelectStmt):
        raise SqlError(
            "25006", f"cannot execute {_command_tag(node.query)} in a read-only transaction"
        )
    hold = "hold" if node.options & enums.CURSOR_OPT_HOLD else ""
    sql = Rewriter().statement(node.query)
    return Statement("declare", sql, "DECLARE CURSOR", node.portalname, hold)


def _plain_columns(node: Any) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """For a SELECT from tables of the mart (joined or listed; no set operation, WITH, USING or
    column aliases): the tables, and what each select-list item is of them: (table, column),
    table "" for a column not qualified, column "*" for all of a table's, ("", "") for
    anything else. ((), ()) otherwise."""
    if (
        node.op != enums.SetOperation.SETOP_NONE
        or node.withClause is not None
        or node.valuesLists
        or not node.fromClause
        or not node.targetList
    ):
        return (), ()
    aliases: dict[str, str] = {}  # alias -> table, in FROM order
    pending: list[Any] = list(node.fromClause)
    while pending:
        item: Any = pending.pop(0)
        if isinstance(item, ast.JoinExpr) and not item.usingClause and not item.isNatural:
            pending[:0] = [item.larg, item.rarg]
            continue
        if (
            not isinstance(item, ast.RangeVar)
            or item.schemaname not in (None, "public")
            or str(item.relname).startswith("pg_")
            or (item.alias is not None and item.alias.colnames)
        ):
            return (), ()
        alias = str(item.alias.aliasname if item.alias is not None else item.relname)
        if alias in aliases:
            return (), ()
        aliases[alias] = str(item.relname)
    found: list[tuple[str, str]] = []
    for target in node.targetList:
        fields = target.val.fields if isinstance(target.val, ast.ColumnRef) else ()
        names = [str(f.sval) if isinstance(f, ast.String) else "*" for f in fields or ()]
        if names == ["*"]:
            found.extend((table, "*") for table in aliases.values())
        elif len(names) == 1:
            found.append(("", names[0]))
        elif len(names) == 2 and names[0] in aliases:
            found.append((aliases[names[0]], names[1]))
        else:
            found.append(("", ""))
    return tuple(dict.fromkeys(aliases.values())), tuple(found)


def _fetch(node: Any, text: str) -> Statement:
    """FETCH/MOVE [FORWARD] n | ALL | NEXT FROM name: value the count ("all" for all)."""
    direction = enums.FetchDirection(node.direction)
    tag = "MOVE" if node.ismove else "FETCH"
    count = node.howMany
    if direction != enums.FetchDirection.FETCH_FORWARD or count <= 0:
        raise SqlError(
            "0A000",
            f"{tag} {direction.name.removeprefix('FETCH_')} (or a count of 0 or less) is not "
            "supported by mart serve: its cursors scan forward only (FETCH n, FETCH ALL)",
        )
    all_rows = count >= 0x7FFFFFFFFFFFFFFF
    return Statement("fetch", text, tag, node.portalname or "", "all" if all_rows else str(count))


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
