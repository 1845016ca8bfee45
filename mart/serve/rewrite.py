"""A read's parse tree rewritten for DuckDB: catalog references, casts, functions, column names."""

import copy
import functools
import re
from collections.abc import Callable, Iterable
from typing import Any

from pglast import ast, enums, parser
from pglast.stream import RawStream

from mart.serve import registry
from mart.serve.catalog import (
    CATALOG,
    CATALOG_OIDS,
    CATALOG_RELATIONS,
    COMPAT,
    COMPAT_INFORMATION_SCHEMA,
    EMPTY_RELATIONS,
    HELPERS,
    ROLE,
    SEQUENCES,
    SETTINGS,
)
from mart.serve.dialect import (
    PRINTED_TYPES,
    REG_TYPES,
    SCHEMAS,
    STRING_TYPES,
    TRIVIAL_COLLATIONS,
    TYPES,
)
from mart.serve.errors import SqlError
from mart.serve.formats import is_number_pattern, number_pattern, strptime_format, to_char
from mart.serve.registry import (
    BACKEND_PID,
    DIALECT,
    NUMBER_TO_CHAR,
    SQL_SYNTAX,
    Becomes,
    blocked,
)

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


class Rewriter:
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
            ast.SortBy: self.sort_by,
            ast.GroupingFunc: self.grouping,
        }
        self.defined: set[str] = set()  # names the statement defines: aliases, CTEs, columns
        self.in_target = 0  # inside a select list (not in a subquery of it)
        self.in_aggregate = 0  # inside an aggregate's or window function's arguments

    def statement(self, node: Any) -> str:
        _refuse_cross_database_functions(node)
        self.defined = _defined_names(node)
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
        outer = self.in_target, self.in_aggregate
        self.in_target = self.in_aggregate = 0
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
            self.in_target, self.in_aggregate = outer
        return node

    def grouping(self, node: Any) -> Any:
        """grouping() is integer in PostgreSQL; DuckDB's is bigint."""
        self.descend(node)
        return ast.TypeCast(
            arg=node, typeName=ast.TypeName(names=(ast.String(sval="int4"),), typemod=-1)
        )

    def sort_by(self, node: Any) -> Any:
        """PostgreSQL sorts NULL as larger than any value: last ascending, first descending;
        DuckDB puts it last either way. Each sort key (ORDER BY, a window's, an aggregate's)
        says where, unless the client did."""
        if node.sortby_dir == enums.SortByDir.SORTBY_USING:
            raise SqlError("0A000", "ORDER BY ... USING is not supported by mart serve")
        if node.sortby_nulls == enums.SortByNulls.SORTBY_NULLS_DEFAULT:
            node.sortby_nulls = (
                enums.SortByNulls.SORTBY_NULLS_FIRST
                if node.sortby_dir == enums.SortByDir.SORTBY_DESC
                else enums.SortByNulls.SORTBY_NULLS_LAST
            )
        self.descend(node)
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
                    oid = CATALOG_OIDS.get(name)
                    constant = None if oid is None else ast.A_Const(val=ast.Integer(ival=oid))
                    found[alias] = constant, name
                elif schema in (None, "public") and name not in self.ctes:
                    oid_of = _call((*HELPERS, "regclass_oid"), _string(f"public.{name}"))
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
            self.in_target += 1
            try:
                target.val = self.walk(value)
            finally:
                self.in_target -= 1
            if target.name is None and not star and not isinstance(target.val, ast.ColumnRef):
                target.name = _column_name(value)[0]  # a system column, now its value

    # Relations.

    def range_var(self, node: Any) -> Any:
        schema, name = node.schemaname, node.relname
        if node.catalogname is not None and node.catalogname != CATALOG:
            shown = f"{node.catalogname}.{schema}.{name}"
            message = f'cross-database references are not implemented: "{shown}"'
            raise SqlError("0A000", message, _position(node))
        node.catalogname = None  # the current database: the mart
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
        if (schema is not None and schema != schema.lower()) or (
            name != name.lower() and name not in self.defined
        ):
            # A quoted name in another case: PostgreSQL compares quoted names exactly, DuckDB
            # would find the mart's lower-case relation.
            raise _undefined(node)
        if schema in (None, "public") and name in SEQUENCES and name not in self.ctes:
            # DuckDB cannot select from a sequence; catalog.sql keeps the row PostgreSQL shows.
            return ast.RangeSubselect(
                lateral=False,
                subquery=_sequence_row(name),
                alias=node.alias or ast.Alias(aliasname=name),
            )
        if schema == "public":
            node.schemaname = "main"
        return node

    def catalog_relation(self, node: Any, schema: str) -> Any:
        name = node.relname
        if name not in CATALOG_RELATIONS[schema]:
            raise _undefined(node)
        self.catalog = True
        if (schema, name) == ("pg_catalog", "pg_stat_activity"):
            # The server's sessions, as the calling session may see them (functions.sql).
            return ast.RangeSubselect(
                lateral=False,
                subquery=parser.parse_sql(
                    "select * from memory.mart_dialect.pg_stat_activity("
                    f"getvariable('{BACKEND_PID}'))"
                )[0].stmt,
                alias=node.alias or ast.Alias(aliasname=name),
            )
        if (schema, name) in EMPTY_RELATIONS:
            return ast.RangeSubselect(
                lateral=False,
                subquery=EMPTY_RELATIONS[schema, name],
                alias=node.alias or ast.Alias(aliasname=name),
            )
        node.catalogname, node.schemaname = (
            COMPAT if schema == "pg_catalog" else COMPAT_INFORMATION_SCHEMA
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
                            elements=(_call((*HELPERS, "regclass_oid"), *(call.args or ())),)
                        ),
                    )
                    if node.alias is not None and not node.alias.colnames:
                        node.alias.colnames = (ast.String(sval="relid"),)
                elif name == "regexp_split_to_table" and len(call.args or ()) == 2:
                    # DuckDB has no such table function: unnest the split instead.
                    call = _call(("unnest",), _call(("string_split_regex",), *(call.args or ())))
                    alias = node.alias.aliasname if node.alias is not None else name
                    if node.alias is None:
                        node.alias = ast.Alias(aliasname=name)
                    if not node.alias.colnames:
                        node.alias.colnames = (ast.String(sval=alias),)
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
        return _typed_series(node)

    # Expressions.

    def column_ref(self, node: Any) -> Any:
        # schema.table.column (or database.schema.table.column): the table is enough, and the
        # schema is one DuckDB knows under another name.
        names = [str(field.sval) if isinstance(field, ast.String) else "" for field in node.fields]
        if names[-1] == "tableoid" and len(names) <= 3:
            for scope in reversed(self.scopes):
                if len(names) in (2, 3) and names[-2] in scope:  # [schema.]relation.tableoid
                    return copy.deepcopy(scope[names[-2]][0]) or node
                if len(names) == 1 and len(scope) == 1:
                    return copy.deepcopy(next(iter(scope.values()))[0]) or node
        for name in names:
            if name != name.lower() and name not in self.defined:
                # "Company": PostgreSQL compares quoted names exactly; DuckDB ignores case.
                shown = ".".join(names) if len(names) > 1 else f'"{name}"'
                raise SqlError("42703", f"column {shown} does not exist", _position(node))
        if len(names) == 4 and names[0] != CATALOG:
            message = f"cross-database references are not implemented: {'.'.join(names)}"
            raise SqlError("0A000", message, _position(node))
        if len(names) == 4 and names[1] in SCHEMAS:
            node.fields = node.fields[2:]
        elif len(names) == 3 and names[0] in SCHEMAS:
            node.fields = node.fields[1:]
        return node

    def func_call(self, node: Any) -> Any:
        names = _names(node.funcname)
        name = names[-1].lower()
        schema = names[-2] if len(names) > 1 else None
        if blocked(name):
            raise SqlError("42501", f"permission denied for function {name}", _position(node))
        if names[-1] != name:
            raise SqlError("42883", f"function {names[-1]} does not exist", _position(node))
        becomes = registry.lookup(name, len(node.args or ()))
        if becomes is not None and becomes.becomes is Becomes.REFUSED:
            message = becomes.target.format(name=name)
            raise SqlError(becomes.sqlstate, message, _position(node))
        aggregate = node.over is not None or name in _AGGREGATES
        if aggregate:
            self.in_aggregate += 1
        try:
            self.descend(node)
        finally:
            if aggregate:
                self.in_aggregate -= 1
        if schema == "information_schema" and name == "_pg_expandarray":
            node.funcname = tuple(ast.String(sval=part) for part in (*HELPERS, "pg_expandarray"))
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
        if becomes is not None:
            translated = self.becomes(becomes, node)
            if translated is not None:
                return translated
        if schema is not None and name not in SQL_SYNTAX:
            node.funcname = (ast.String(sval=name),)
        return node

    def becomes(self, function: registry.Function, node: Any) -> Any:
        """The call as the registry says it becomes (its arguments already rewritten); None:
        left to DuckDB's function of the same name."""
        self.catalog = self.catalog or function.catalog
        args = tuple(node.args or ())
        if function.becomes is Becomes.TEMPLATE:
            return _expand(function.target, args)
        if function.becomes in (Becomes.MACRO, Becomes.RENAMED, Becomes.UDF):
            node.funcname = tuple(ast.String(sval=part) for part in function.target.split("."))
            return node
        return _CODE[function.target](self, node, args)

    def value_function(self, node: Any) -> Any:
        op = enums.SQLValueFunctionOp(node.op).name
        if op in ("SVFOP_CURRENT_USER", "SVFOP_USER", "SVFOP_SESSION_USER", "SVFOP_CURRENT_ROLE"):
            return _string(ROLE)
        if op == "SVFOP_CURRENT_SCHEMA":
            return _string("public")
        if op == "SVFOP_CURRENT_CATALOG":
            self.catalog = True
            return _call((*COMPAT, "current_database"))
        return node

    def type_cast(self, node: Any) -> Any:
        if self.reg_type(node):
            return self.reg_oid(node)
        names = _names(node.typeName.names)
        target = names[-1].lower()
        if (
            target in STRING_TYPES
            and isinstance(node.arg, ast.TypeCast)
            and self.reg_type(node.arg)
        ):
            node.arg = self.reg_name(node.arg)
        else:
            node.arg = self.walk(node.arg)
        if (
            target in ("text", "varchar")
            and not node.typeName.typmods
            and not node.typeName.arrayBounds
            and not isinstance(node.arg, ast.A_Const)
            and not _has_parameter(node.arg)  # $1::text types the parameter: keep the cast
        ):
            # A float's or an interval's text is not PostgreSQL's in DuckDB.
            return _call(("memory", "mart_dialect", "text_of"), node.arg)
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
            if len(names) == 1 and names[0] in TYPES:
                names = ["pg_catalog", names[0]]
            else:
                return node
        target = TYPES.get(names[1], names[1])
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
        qualified = f"pg_catalog.{target}" in PRINTED_TYPES
        return ast.TypeName(
            names=tuple(ast.String(sval=part) for part in ("pg_catalog", target)[not qualified :]),
            typmods=typmods,
            arrayBounds=bounds or None,
            typemod=-1,
        )

    def reg_type(self, node: Any) -> str | None:
        target = _names(node.typeName.names)[-1].lower()
        return target if target in REG_TYPES and not node.typeName.arrayBounds else None

    def reg_oid(self, node: Any) -> Any:
        """x::regclass where it is compared or joined: the oid, from a name or an oid."""
        self.catalog = True
        kind = self.reg_type(node)
        if kind == "regclass" and _is_string(node.arg):
            oid = CATALOG_OIDS.get(node.arg.val.sval.removeprefix("pg_catalog."))
            if oid is not None:
                return ast.A_Const(isnull=False, val=ast.Integer(ival=oid))
        if kind in ("regproc", "regprocedure"):
            return self.function_name(node.arg)
        return _call((*HELPERS, f"{kind}_oid"), self.walk(node.arg))

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
        return _call((*HELPERS, f"{kind}_name"), arg)

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
        if kind in (enums.A_Expr_Kind.AEXPR_LIKE, enums.A_Expr_Kind.AEXPR_ILIKE) or (
            kind == enums.A_Expr_Kind.AEXPR_OP and operator_name in _LIKE_OPERATORS
        ):
            return self.like(operator_name, self.walk(node.lexpr), self.walk(node.rexpr))
        if (
            kind in (enums.A_Expr_Kind.AEXPR_OP_ANY, enums.A_Expr_Kind.AEXPR_OP_ALL)
            and operator_name in _LIKE_OPERATORS
        ):
            return self.like_any(node, kind == enums.A_Expr_Kind.AEXPR_OP_ANY, operator_name)
        if kind == enums.A_Expr_Kind.AEXPR_SIMILAR:
            return self.similar(node, operator_name)
        if kind == enums.A_Expr_Kind.AEXPR_OP and operator_name == "/" and _is_interval(node.lexpr):
            return _call(
                ("memory", "mart_dialect", "interval_div"),
                self.walk(node.lexpr),
                self.walk(node.rexpr),
            )
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

    def like(self, operator: str, value: Any, pattern: Any) -> Any:
        """x LIKE p: PostgreSQL's LIKE escapes with a backslash unless told otherwise, DuckDB's
        with nothing, so 'a\\_b' would match nothing; a pattern that may hold one says so."""
        if _is_string(pattern) and "\\" not in pattern.val.sval:
            return ast.A_Expr(
                kind=enums.A_Expr_Kind.AEXPR_OP,
                name=(ast.String(sval=operator),),
                lexpr=value,
                rexpr=pattern,
            )
        function = "ilike_escape" if "*" in operator else "like_escape"
        call = _call((function,), value, pattern, _string("\\"))
        if operator.startswith("!"):
            return ast.BoolExpr(boolop=enums.BoolExprType.NOT_EXPR, args=(call,))
        return call

    def like_any(self, node: Any, any_: bool, operator: str) -> Any:
        """x LIKE ANY (ARRAY[...]): one LIKE per element, joined as ANY/ALL join them (NULLs
        included); an array that is not written out is refused."""
        array = node.rexpr
        if not isinstance(array, ast.A_ArrayExpr):
            raise SqlError(
                "0A000",
                f"{'ANY' if any_ else 'ALL'} with LIKE or ILIKE is supported by mart serve for "
                "an ARRAY[...] written out only",
                _position(node),
            )
        value = self.walk(node.lexpr)
        likes = tuple(self.like(operator, value, self.walk(item)) for item in array.elements or ())
        if not likes:
            return ast.A_Const(isnull=False, val=ast.Boolean(boolval=not any_))
        if len(likes) == 1:
            return likes[0]
        boolop = enums.BoolExprType.OR_EXPR if any_ else enums.BoolExprType.AND_EXPR
        return ast.BoolExpr(boolop=boolop, args=likes)

    def similar(self, node: Any, operator: str) -> Any:
        """x SIMILAR TO p: PostgreSQL's SQL regular expression, translated to a regular
        expression as PostgreSQL's similar_to_escape translates it; p must be a constant."""
        call = node.rexpr
        args = tuple(getattr(call, "args", None) or ())
        if not args or not _is_string(args[0]):
            raise SqlError(
                "0A000",
                "SIMILAR TO with a pattern that is not a constant is not supported by mart serve",
                _position(node),
            )
        escape = "\\"
        if len(args) > 1:
            if not _is_string(args[1]) or len(args[1].val.sval) > 1:
                raise SqlError("0A000", "SIMILAR TO ... ESCAPE needs a constant of one character")
            escape = args[1].val.sval
        regex = _similar_to_regex(args[0].val.sval, escape)
        match = _call(("regexp_full_match",), self.walk(node.lexpr), _string(regex))
        if operator.startswith("!"):
            return ast.BoolExpr(boolop=enums.BoolExprType.NOT_EXPR, args=(match,))
        return match

    def collate(self, node: Any) -> Any:
        if _names(node.collname)[-1].lower() in TRIVIAL_COLLATIONS:
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
    registry.blocked() keeps from clients, callable without parentheses; pg_catalog's and
    information_schema's relations spelled in another case ("PG_CATALOG"."PG_SETTINGS"),
    which PostgreSQL does not have and DuckDB would answer with its own."""
    lowered = name.lower()
    if lowered.startswith(("duckdb_", "pragma_", "sqlite_")) or blocked(lowered):
        return True
    if schema is None:
        return lowered.startswith("pg_") and lowered != name
    folded = schema.lower()
    return folded in _DUCKDB_SCHEMAS or (
        folded in ("pg_catalog", "information_schema") and folded != schema
    )


# Where the rewrite's own function calls live (a client's three-part names never get here).
_OWN_SCHEMAS = {HELPERS, COMPAT, DIALECT}


def _sequence_row(name: str) -> Any:
    """A sequence's one row (last_value, log_cnt, is_called), from catalog.sql's table."""
    select = (
        "select last_value, log_cnt, is_called from memory.mart_serve.sequence_values "
        "where sequence_name = " + _quote(name)
    )
    return parser.parse_sql(select)[0].stmt


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


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
    if str(constant.sval).lower() not in SETTINGS and not missing_ok:
        # An error of the call when it runs, as PostgreSQL's: no position in the query.
        raise SqlError("42704", f'unrecognized configuration parameter "{constant.sval}"')


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


@functools.lru_cache(maxsize=4096)  # bounded: to_char's patterns come from clients
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


# -- PostgreSQL's functions the registry says code rewrites (_CODE) ---------------------------

_LIKE_OPERATORS = {"~~", "~~*", "!~~", "!~~*"}
_VARIANCE = {"variance", "var_samp", "var_pop", "stddev", "stddev_samp", "stddev_pop"}
_AGGREGATES = {
    "avg", "sum", "count", "min", "max", "array_agg", "string_agg", "json_agg", "jsonb_agg",
    "json_object_agg", "jsonb_object_agg", "bool_and", "bool_or", "every", "bit_and", "bit_or",
    "percentile_cont", "percentile_disc", "mode", "corr", "covar_pop", "covar_samp",
    "regr_slope", "regr_intercept", "regr_count", "regr_r2", "regr_avgx", "regr_avgy",
    "regr_sxx", "regr_syy", "regr_sxy", "xmlagg", *_VARIANCE,
}  # fmt: skip
_FLOAT_TYPES = {"float4", "float8", "float", "real", "double precision", "double"}
# extract()'s fields (and their spellings) as PostgreSQL 14+ answers them, in numeric.
_FIELDS = {
    "epoch": "cast(epoch_us($1) as decimal(38,0)) * 0.000001",
    "second": "cast(date_part('microseconds', $1) as decimal(38,0)) * 0.000001",
    "milliseconds": "cast(date_part('microseconds', $1) as decimal(38,0)) * 0.001",
    "microseconds": "cast(date_part('microseconds', $1) as decimal(38,0))",
}
_WHOLE_FIELDS = {
    "century", "day", "decade", "dow", "doy", "hour", "isodow", "isoyear", "millennium",
    "minute", "month", "quarter", "week", "year", "timezone", "timezone_hour", "timezone_minute",
}  # fmt: skip
_FIELD_SPELLINGS = {
    "years": "year", "yr": "year", "yrs": "year", "y": "year", "months": "month", "mon": "month",
    "mons": "month", "days": "day", "d": "day", "hours": "hour", "hr": "hour", "hrs": "hour",
    "h": "hour", "minutes": "minute", "min": "minute", "mins": "minute", "m": "minute",
    "seconds": "second", "sec": "second", "secs": "second", "s": "second",
    "millisecond": "milliseconds", "ms": "milliseconds", "msec": "milliseconds",
    "msecs": "milliseconds", "millisecon": "milliseconds", "microsecond": "microseconds",
    "us": "microseconds", "usec": "microseconds", "usecs": "microseconds",
    "centuries": "century", "decades": "decade", "millenniums": "millennium",
    "millennia": "millennium", "mil": "millennium", "mils": "millennium", "qtr": "quarter",
}  # fmt: skip


def _extract(field: str, node: Any) -> str:
    field = _FIELD_SPELLINGS.get(field, field)
    if field in _FIELDS:
        return _FIELDS[field]
    if field in _WHOLE_FIELDS:
        return f"cast(date_part('{field}', $1) as decimal(38,0))"
    raise SqlError(
        "0A000", f'extract() of unit "{field}" is not supported by mart serve', _position(node)
    )


def _constant_text(node: Any, function: str, what: str) -> str:
    if not _is_string(node):
        raise SqlError(
            "0A000",
            f"{function}() with a {what} that is not a constant is not supported by mart serve",
            _position(node),
        )
    return str(node.val.sval)


def _is_float(node: Any) -> bool:
    """Whether an argument is written as a floating-point value (x::float8): avg() and the
    variances of one are double precision in PostgreSQL too."""
    if not isinstance(node, ast.TypeCast) or node.typeName is None:
        return False
    return bool(set(_names(node.typeName.names)[-1:]) & _FLOAT_TYPES)


def _is_interval(node: Any) -> bool:
    if not isinstance(node, ast.TypeCast) or node.typeName is None:
        return False
    return _names(node.typeName.names)[-1:] == ["interval"]


def _like(node: Any, name: str) -> Any:
    """The aggregate call with another function: its arguments, DISTINCT, FILTER and OVER."""
    call = copy.copy(node)
    call.funcname = (ast.String(sval=name),)
    return call


def _with_args(node: Any, name: str, args: tuple[Any, ...]) -> Any:
    call = _like(node, name)
    call.args = args
    return call


def _set_returning(name: str, node: Any) -> Any:
    if name == "unnest":
        return node  # DuckDB's unnest in a select list returns rows, as PostgreSQL's
    if name == "regexp_split_to_table":
        if len(node.args) != 2:
            raise SqlError(
                "0A000", "regexp_split_to_table() with flags is not supported by mart serve"
            )
        return _call(("unnest",), _call(("string_split_regex",), *node.args))
    node.args = _series_arguments(node.args)
    series = _call(("unnest",), node)
    if _integer_series(node):
        return _int4(series)
    return series


def _int4(node: Any) -> Any:
    return ast.TypeCast(
        arg=node, typeName=ast.TypeName(names=(ast.String(sval="int4"),), typemod=-1)
    )


def _integer_series(call: Any) -> bool:
    """generate_series(1, 5): integer in PostgreSQL, bigint in DuckDB."""
    return all(
        isinstance(arg, ast.A_Const) and isinstance(arg.val, ast.Integer) for arg in call.args or ()
    )


def _series_arguments(args: Any) -> Any:
    """generate_series of dates is PostgreSQL's of timestamptz (a date has no series of its
    own): the dates written as such are cast so, as PostgreSQL casts them."""
    return tuple(
        ast.TypeCast(
            arg=arg, typeName=ast.TypeName(names=(ast.String(sval="timestamptz"),), typemod=-1)
        )
        if isinstance(arg, ast.TypeCast)
        and arg.typeName is not None
        and _names(arg.typeName.names)[-1:] == ["date"]
        else arg
        for arg in args or ()
    )


def _typed_series(node: Any) -> Any:
    """generate_series in FROM, typed as PostgreSQL types it (see _integer_series and
    _series_arguments): an integer series becomes a subquery casting DuckDB's bigints."""
    if len(node.functions) != 1:
        return node
    call, column_definitions = node.functions[0]
    if not isinstance(call, ast.FuncCall) or _names(call.funcname)[-1:] != ["generate_series"]:
        return node
    call.args = _series_arguments(call.args)
    if not _integer_series(call) or node.ordinality or column_definitions or node.lateral:
        return node
    alias = node.alias.aliasname if node.alias is not None else "generate_series"
    colnames = _names(node.alias.colnames) if node.alias is not None else []
    column = colnames[0] if colnames else alias
    inner = ast.RangeFunction(
        lateral=False,
        ordinality=False,
        is_rowsfrom=False,
        functions=((call, None),),
        alias=ast.Alias(aliasname="series", colnames=(ast.String(sval="n"),)),
    )
    select = ast.SelectStmt(
        targetList=(
            ast.ResTarget(name=column, val=_int4(ast.ColumnRef(fields=(ast.String(sval="n"),)))),
        ),
        fromClause=(inner,),
        limitOption=enums.LimitOption.LIMIT_OPTION_DEFAULT,
        op=enums.SetOperation.SETOP_NONE,
    )
    return ast.RangeSubselect(
        lateral=False,
        subquery=select,
        alias=ast.Alias(aliasname=alias, colnames=(ast.String(sval=column),)),
    )


_INTERVAL_PARTS = ("years", "months", "weeks", "days", "hours", "mins", "secs")


def _make_interval(node: Any) -> Any:
    """make_interval(years, months, weeks, days, hours, mins, secs), by position or name."""
    values: dict[str, Any] = {}
    for position, arg in enumerate(node.args or ()):
        if isinstance(arg, ast.NamedArgExpr):
            if arg.name not in _INTERVAL_PARTS:
                raise SqlError("42883", f"function make_interval({arg.name} => ...) does not exist")
            values[arg.name] = arg.arg
        elif position < len(_INTERVAL_PARTS):
            values[_INTERVAL_PARTS[position]] = arg
    zero = ast.A_Const(isnull=False, val=ast.Integer(ival=0))
    parts = tuple(values.get(part, zero) for part in _INTERVAL_PARTS)
    return _expand(
        "to_months(cast($1 as integer) * 12 + cast($2 as integer))"
        " + to_days(cast($3 as integer) * 7 + cast($4 as integer))"
        " + to_microseconds(cast($5 as bigint) * 3600000000 + cast($6 as bigint) * 60000000"
        " + cast(round(cast($7 as double) * 1000000) as bigint))",
        parts,
    )


def _similar_to_regex(pattern: str, escape: str) -> str:
    """A SIMILAR TO pattern as the regular expression PostgreSQL makes of it
    (similar_escape_internal in regexp.c): % and _ are .* and ., the escape character quotes
    the next one, and the characters special to POSIX but not to SQL are quoted."""
    out = ["(?s)"]
    in_class = False
    escaped = False
    for char in pattern:
        if escaped:
            if char == '"':
                raise SqlError(
                    "0A000", "SIMILAR TO with escaped double quotes is not supported by mart serve"
                )
            out.append("\\" + char if not char.isalnum() else char)
            escaped = False
        elif escape and char == escape:
            escaped = True
        elif in_class:
            if char == "\\":
                out.append("\\\\")
            else:
                out.append(char)
            if char == "]":
                in_class = False
        elif char == "[":
            out.append(char)
            in_class = True
        elif char == "%":
            out.append(".*")
        elif char == "_":
            out.append(".")
        elif char == "(":
            out.append("(?:")
        elif char in "\\.^$":
            out.append("\\" + char)
        else:
            out.append(char)
    if escaped:
        raise SqlError(
            "2201B", "invalid escape string", hint="Escape string must be empty or one character."
        )
    return "".join(out)


def _defined_names(node: object) -> set[str]:
    """The names a statement gives things (aliases of columns, relations and CTEs, their
    column lists, windows): a quoted reference may use exactly these."""
    names: set[str] = set()

    def visit(value: object) -> None:
        if isinstance(value, tuple):
            for item in value:
                visit(item)
            return
        if not isinstance(value, ast.Node):
            return
        if isinstance(value, ast.ResTarget) and value.name:
            names.add(value.name)
        elif isinstance(value, ast.Alias):
            names.add(str(value.aliasname))
            names.update(_names(value.colnames))
        elif isinstance(value, ast.CommonTableExpr):
            names.add(str(value.ctename))
            names.update(_names(value.aliascolnames))
        elif isinstance(value, ast.ColumnDef) and value.colname:
            names.add(value.colname)
        elif isinstance(value, ast.WindowDef) and value.name:
            names.add(value.name)
        for slot in _child_slots(type(value)):
            child = getattr(value, slot)
            if child is not None:
                visit(child)

    visit(node)
    return names


def _code_set_returning(rewriter: Rewriter, node: Any, args: tuple[Any, ...]) -> Any:
    if not args:
        return None
    name = _names(node.funcname)[-1].lower()
    if rewriter.in_aggregate:
        raise SqlError(
            "0A000",
            "aggregate function calls cannot contain set-returning function calls",
            _position(node),
        )
    if rewriter.in_target:
        # In a select list PostgreSQL returns a row per element; DuckDB one list.
        return _set_returning(name, node)
    return None


def _code_current_setting(rewriter: Rewriter, node: Any, args: tuple[Any, ...]) -> Any:
    _check_setting(node)
    rewriter.catalog = True
    node.funcname = tuple(ast.String(sval=part) for part in (*COMPAT, "current_setting"))
    return node


def _code_to_char(rewriter: Rewriter, node: Any, args: tuple[Any, ...]) -> Any:
    pattern = _constant_text(args[1], "to_char", "format")
    if is_number_pattern(pattern):
        number_pattern(pattern)  # refuses what it cannot translate
        quoted = pattern.replace("'", "''")
        return _expand(
            f"case when typeof($1) in ('DOUBLE', 'FLOAT')"
            f" then {NUMBER_TO_CHAR}(null, cast($1 as double), '{quoted}')"
            f" else {NUMBER_TO_CHAR}(cast($1 as varchar), null, '{quoted}') end",
            args[:1],
        )
    return _expand(to_char("($1)", pattern), args[:1])


def _code_to_timestamp(rewriter: Rewriter, node: Any, args: tuple[Any, ...]) -> Any:
    name = _names(node.funcname)[-1].lower()
    pattern = _constant_text(args[1], name, "format")
    target = "date" if name == "to_date" else "timestamptz"
    spec = strptime_format(name, pattern).replace("'", "''")
    return _expand(f"cast(strptime($1, '{spec}') as {target})", args[:1])


def _code_extract(rewriter: Rewriter, node: Any, args: tuple[Any, ...]) -> Any:
    name = _names(node.funcname)[-1].lower()
    field = _constant_text(args[0], name, "field").lower()
    expression = _extract(field, node)
    if name == "date_part":  # PostgreSQL's date_part is double precision
        expression = f"cast({expression} as double)"
    return _expand(expression, args[1:])


def _code_date_trunc(rewriter: Rewriter, node: Any, args: tuple[Any, ...]) -> Any:
    value = args[1]
    if (
        isinstance(value, ast.FuncCall)
        and _names(value.funcname) in (["min"], ["max"])
        and len(value.args or ()) == 1
        and value.over is None
    ):
        # DuckDB cannot choose the macro's overload for an aggregate's value; truncation
        # keeps order, so the truncated min (max) is the min (max) of the truncated.
        (inner,) = value.args or ()
        truncated = _call((*DIALECT, "date_trunc"), args[0], inner)
        return _with_args(value, _names(value.funcname)[0], (truncated,))
    return _call((*DIALECT, "date_trunc"), *args)


def _code_avg(rewriter: Rewriter, node: Any, args: tuple[Any, ...]) -> Any:
    if _is_float(args[0]):
        return None
    return _expand(
        "memory.mart_dialect.avg_of($1, $2)",
        (_like(node, "sum"), _like(node, "count")),
    )


def _code_variance(rewriter: Rewriter, node: Any, args: tuple[Any, ...]) -> Any:
    if _is_float(args[0]):
        return None
    name = _names(node.funcname)[-1].lower()
    if name.startswith("stddev") or node.agg_distinct:
        node.args = (_expand(f"memory.mart_dialect.float_only($1, '{name}')", args),)
        return node
    digits = _expand(f"memory.mart_dialect.exact_digits($1, '{name}')", args)
    squares = ast.A_Expr(
        kind=enums.A_Expr_Kind.AEXPR_OP,
        name=(ast.String(sval="*"),),
        lexpr=digits,
        rexpr=digits,
    )
    sample = "false" if name == "var_pop" else "true"
    return _expand(
        f"memory.mart_dialect.variance_of($1, $2, $3, memory.mart_dialect.scale_of($4), {sample})",
        (
            _like(node, "count"),
            _with_args(node, "sum", (digits,)),
            _with_args(node, "sum", (squares,)),
            _like(node, "sum"),
        ),
    )


def _code_regression(rewriter: Rewriter, node: Any, args: tuple[Any, ...]) -> Any:
    """PostgreSQL's float8 aggregates of two arguments (float8_regr_accum and its final
    functions), in PostgreSQL's order of float8 operations, row by row (functions.sql):
    DuckDB's own algorithms differ in the last digits. Both lists see the rows in one order."""
    if node.agg_distinct:
        return None
    name = _names(node.funcname)[-1].lower()
    ys, xs = (_with_args(node, "list", (_expand("cast($1 as double)", (arg,)),)) for arg in args)
    return _expand(
        f"memory.mart_dialect.regr_final('{name}', memory.mart_dialect.regr_state($1, $2))",
        (ys, xs),
    )


def _code_regr_count(rewriter: Rewriter, node: Any, args: tuple[Any, ...]) -> Any:
    pairs = _expand("case when $1 is not null and $2 is not null then 1 end", args)
    return _with_args(node, "count", (pairs,))


def _code_percentile_cont(rewriter: Rewriter, node: Any, args: tuple[Any, ...]) -> Any:
    """PostgreSQL's is of double precision (or interval), so a numeric's median is not
    rounded to the column's scale, and interpolates in its own order of operations
    (functions.sql): the values, sorted, go to a macro."""
    if not node.agg_within_group:
        return None
    (key,) = node.agg_order
    if _is_interval(key.node):
        return node
    sorted_key = copy.copy(key)
    sorted_key.node = _expand("cast($1 as double)", (key.node,))
    values = _with_args(node, "list", (sorted_key.node,))
    values.agg_within_group, values.agg_order = False, (sorted_key,)
    not_null = ast.NullTest(arg=key.node, nulltesttype=enums.NullTestType.IS_NOT_NULL)
    both = enums.BoolExprType.AND_EXPR
    values.agg_filter = (
        not_null
        if node.agg_filter is None
        else ast.BoolExpr(boolop=both, args=(not_null, node.agg_filter))
    )
    many = isinstance(args[0], ast.A_ArrayExpr) or (
        isinstance(args[0], ast.TypeCast)
        and args[0].typeName is not None
        and bool(args[0].typeName.arrayBounds)
    )
    macro = "percentiles_cont_of" if many else "percentile_cont_of"
    return _expand(f"memory.mart_dialect.{macro}($1, $2)", (values, args[0]))


def _code_json_agg(rewriter: Rewriter, node: Any, args: tuple[Any, ...]) -> Any:
    if node.over is not None:
        return None
    return _call(("to_json",), _like(node, "list"))


def _code_make_interval(rewriter: Rewriter, node: Any, args: tuple[Any, ...]) -> Any:
    return _make_interval(node)


def _code_encode(rewriter: Rewriter, node: Any, args: tuple[Any, ...]) -> Any:
    encoding = _constant_text(args[1], "encode", "encoding").lower()
    if encoding == "hex":
        return _expand("lower(hex($1))", args[:1])
    if encoding == "base64":
        return _expand(
            "rtrim(regexp_replace(to_base64($1), '(.{76})', '\\1' || chr(10), 'g'), chr(10))",
            args[:1],
        )
    raise SqlError(
        "0A000", f"encode() to {encoding} is not supported by mart serve", _position(node)
    )


def _code_int4(rewriter: Rewriter, node: Any, args: tuple[Any, ...]) -> Any:
    return _int4(node)


# The registry's code entries (registry.py), by name: each rewrites a call (its arguments
# already rewritten), or returns None to leave it to DuckDB's function of that name.
_CODE: dict[str, Callable[[Rewriter, Any, tuple[Any, ...]], Any]] = {
    name.removeprefix("_code_"): function
    for name, function in list(globals().items())
    if name.startswith("_code_")
}
assert set(_CODE) == registry.code_names(), "registry.py and rewrite.py's _CODE differ"
