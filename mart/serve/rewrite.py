"""A read's parse tree rewritten for DuckDB: catalog references, casts, functions, column names."""

import copy
import functools
import re
from collections.abc import Callable, Iterable
from typing import Any

from pglast import ast, enums, parser
from pglast.stream import RawStream

from mart.serve.catalog import (
    _CATALOG_OIDS,
    _CATALOG_RELATIONS,
    _COMPAT,
    _COMPAT_FUNCTIONS,
    _COMPAT_INFORMATION_SCHEMA,
    _EMPTY_RELATIONS,
    _HELPERS,
    _SETTINGS,
    ROLE,
)
from mart.serve.dialect import (
    _INLINE,
    _PRINTED_TYPES,
    _REG_TYPES,
    _RENAMED,
    _SCHEMAS,
    _SQL_SYNTAX,
    _STRING_TYPES,
    _TRIVIAL_COLLATIONS,
    _TYPES,
    _blocked,
)
from mart.serve.errors import SqlError

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
        # Per SELECT: relation alias -> (its tableoid, the catalog relation's name or None).
        self.scopes: list[dict[str, tuple[Any, str | None]]] = []
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
        _refuse_cross_database_functions(node)
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
        outermost = not self.scopes
        self.scopes.append(self.tableoids(node.fromClause or ()))
        try:
            for target in node.targetList or ():
                if outermost:
                    self.vector_as_text(target)
                self.target(target)
            self.descend(node, skip="targetList")
        finally:
            self.scopes.pop()
        return node

    def tableoids(self, items: Iterable[Any]) -> dict[str, tuple[Any, str | None]]:
        """The system column tableoid of each relation a FROM list names, by alias: PostgreSQL's
        oid of a catalog relation, DuckDB's of the mart's (None: no such column)."""
        found: dict[str, tuple[Any, str | None]] = {}
        for item in items:
            if isinstance(item, ast.JoinExpr):
                join: Any = item
                found.update(self.tableoids((join.larg, join.rarg)))
            elif isinstance(item, ast.RangeVar):
                relation: Any = item
                alias = relation.alias.aliasname if relation.alias else relation.relname
                schema, name = relation.schemaname, relation.relname
                if schema in ("pg_catalog", "information_schema") or (
                    schema is None and name.startswith("pg_") and name not in self.ctes
                ):
                    oid = _CATALOG_OIDS.get(name)
                    constant = None if oid is None else ast.A_Const(val=ast.Integer(ival=oid))
                    found[alias] = constant, name
                elif schema in (None, "public") and name not in self.ctes:
                    oid_of = _call((*_HELPERS, "regclass_oid"), _string(f"public.{name}"))
                    found[alias] = oid_of, None
                else:
                    found[alias] = None, None
            else:
                alias = getattr(getattr(item, "alias", None), "aliasname", None)
                found[alias or ""] = None, None
        return found

    def vector_as_text(self, target: Any) -> None:
        """An int2vector or oidvector column (pg_index.indkey...) in the result: PostgreSQL
        sends its text form, numbers separated by spaces (pg_dump parses it so); DuckDB holds a
        list, which the statement's own expressions keep using."""
        value: Any = target.val
        if not isinstance(value, ast.ColumnRef) or not all(
            isinstance(field, ast.String) for field in value.fields or ()
        ):
            return
        names = [str(field.sval) for field in value.fields or ()]
        scope = self.scopes[-1]
        if len(names) in (2, 3) and names[-2] in scope:  # [schema.]relation.column
            relation = scope[names[-2]][1]
        elif len(names) == 1 and len(scope) == 1:
            relation = next(iter(scope.values()))[1]
        else:
            return
        if (relation, names[-1]) in _VECTOR_COLUMNS:
            target.name = target.name or names[-1]
            target.val = _call(("array_to_string",), value, _string(" "))

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
            if target.name is None and not star and not isinstance(target.val, ast.ColumnRef):
                target.name = _column_name(value)[0]  # a system column, now its value

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
        if _internal(schema, name) or any(c in name for c in "./\\:"):
            # DuckDB's own catalog, by any spelling, and names DuckDB would read as files or
            # URLs: relations PostgreSQL does not have.
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
        if names[-1] == "tableoid" and len(names) <= 3:
            for scope in reversed(self.scopes):
                if len(names) in (2, 3) and names[-2] in scope:  # [schema.]relation.tableoid
                    return copy.deepcopy(scope[names[-2]][0]) or node
                if len(names) == 1 and len(scope) == 1:
                    return copy.deepcopy(next(iter(scope.values()))[0]) or node
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
                "0A000",
                "set_config is not supported by mart serve here: use SET, or "
                "SELECT set_config('name', 'value', false) alone",
                _position(node),
            )
        self.descend(node)
        if schema == "information_schema" and name == "_pg_expandarray":
            node.funcname = tuple(ast.String(sval=part) for part in (*_HELPERS, "pg_expandarray"))
            return node
        if tuple(names[:2]) in _OWN_SCHEMAS:  # one of the rewrite's own calls
            return node
        if schema not in (None, "pg_catalog"):
            # PostgreSQL's functions are pg_catalog's; the mart's schema public has none.
            # Left as they are, main.f or "PG_CATALOG".f would reach DuckDB's own functions.
            if schema == "public":
                raise SqlError(
                    "42883", f"function {schema}.{names[-1]} does not exist", _position(node)
                )
            raise SqlError("3F000", f'schema "{schema}" does not exist', _position(node))
        if name == "current_setting":
            _check_setting(node)
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
        if target == "numeric" and not typmods:
            # PostgreSQL's bare numeric keeps every digit; DuckDB's is decimal(18,3), which
            # would round a BI tool's CAST(x AS numeric) to 3 decimals. Widest exact instead.
            typmods = (ast.A_Const(val=ast.Integer(ival=38)), ast.A_Const(val=ast.Integer(ival=10)))
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


# The catalog columns of types int2vector and oidvector, which DuckDB holds as lists.
_VECTOR_COLUMNS = {
    ("pg_index", "indkey"),
    ("pg_index", "indcollation"),
    ("pg_index", "indclass"),
    ("pg_index", "indoption"),
    ("pg_proc", "proargtypes"),
    ("pg_trigger", "tgattr"),
    ("pg_partitioned_table", "partattrs"),
    ("pg_partitioned_table", "partclass"),
    ("pg_partitioned_table", "partcollation"),
    ("pg_statistic_ext", "stxkeys"),
}

# Schemas of DuckDB's own (its system and temp catalogs, the emulation's) that a name may reach.
_DUCKDB_SCHEMAS = {"system", "temp", "memory", "main_memory", "mart_serve", "pg_compat"}


def _internal(schema: str | None, name: str) -> bool:
    """Whether a relation name reaches DuckDB's own catalog (DuckDB folds the case of quoted
    names too, PostgreSQL does not): duckdb_*, pragma_*, sqlite_* and the other functions
    _blocked() keeps from clients, callable without parentheses; pg_catalog's and
    information_schema's relations spelled in another case ("PG_CATALOG"."PG_SETTINGS"),
    which PostgreSQL does not have and DuckDB would answer with its own."""
    lowered = name.lower()
    if lowered.startswith(("duckdb_", "pragma_", "sqlite_")) or _blocked(lowered):
        return True
    if schema is None:
        return lowered.startswith("pg_") and lowered != name
    folded = schema.lower()
    return folded in _DUCKDB_SCHEMAS or (
        folded in ("pg_catalog", "information_schema") and folded != schema
    )


# Where the rewrite's own function calls live (a client's three-part names never get here).
_OWN_SCHEMAS = {_HELPERS, _COMPAT}


def _refuse_cross_database_functions(node: Any) -> None:
    """A client's database.schema.function(), before the rewrite adds its own (memory.x.f)."""
    if isinstance(node, ast.FuncCall):
        names = _names(node.funcname)
        if len(names) > 2:
            raise SqlError(
                "0A000",
                f"cross-database references are not implemented: {'.'.join(names)}",
                _position(node),
            )
    if isinstance(node, tuple):
        for item in node:
            _refuse_cross_database_functions(item)
    elif isinstance(node, ast.Node):
        for slot in _child_slots(type(node)):
            value = getattr(node, slot)
            if value is not None:
                _refuse_cross_database_functions(value)


def _check_setting(node: Any) -> None:
    """current_setting('name') of a setting PostgreSQL does not have fails as in PostgreSQL,
    instead of answering NULL (or, unrewritten, DuckDB's setting of that name)."""
    args = node.args or ()
    if not args or not isinstance(args[0], ast.A_Const) or args[0].isnull:
        return
    constant = args[0].val
    if not isinstance(constant, ast.String):
        return
    missing_ok = len(args) > 1 and not (
        isinstance(args[1], ast.A_Const)
        and isinstance(args[1].val, ast.Boolean)
        and not args[1].val.boolval
    )
    if str(constant.sval).lower() == "statement_timeout":  # the session's, not the server's
        raise SqlError(
            "0A000",
            "current_setting('statement_timeout') is not supported by mart serve: "
            "use SHOW statement_timeout",
            _position(node),
        )
    if str(constant.sval).lower() not in _SETTINGS and not missing_ok:
        raise SqlError(
            "42704", f'unrecognized configuration parameter "{constant.sval}"', _position(node)
        )


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
