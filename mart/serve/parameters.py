"""The types of a statement's parameters, as PostgreSQL's ParameterDescription would give them.

PostgreSQL types each $n from where it stands: an explicit cast ($1::int), a comparison with a
column (company_id = $1, = ANY($1), IN ($1, $2), BETWEEN $1 AND $2), a comparison with a
constant, LIMIT/OFFSET (bigint); a parameter nothing types is text. Types the client gave in
Parse win over all of these. Clients rely on the answer: asyncpg encodes each argument in binary
by it and refuses a Python value that does not fit, pgjdbc reports it as ParameterMetaData.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pglast import ast, enums, parser
from pglast.stream import RawStream

from mart.serve import types

# Operators that compare their two sides as values of one type.
_COMPARISONS = {"=", "<>", "!=", "<", "<=", ">", ">=", "IS DISTINCT FROM"}


@dataclass
class _Clue:
    """Parameter `number` takes the type of `column` (in the select `scope`), as an array if
    `array` (= ANY($1))."""

    number: int
    column: Any
    scope: list[Any]
    array: bool = False


def infer(
    query: str, given: list[int], describe: Callable[[str], list[int]] | None = None
) -> list[int]:
    """The oid of each parameter of query: given[i] where the client gave one (not 0), else
    what the statement says, else text. describe(sql) gives the oids of a PostgreSQL query's
    columns (None: columns are not looked up)."""
    try:
        statements = parser.parse_sql(query)
    except parser.ParseError:
        return [oid or types.TEXT for oid in given]
    count = len(given)
    found: dict[int, int] = {}
    clues: list[_Clue] = []
    for raw in statements or ():
        _walk(raw.stmt, [], found, clues)
        count = max(count, _highest(raw.stmt))
    pending = [c for c in clues if _number(c) not in found and not _given(given, _number(c))]
    if pending and describe is not None:
        _resolve(pending, found, describe)
    oids = []
    for number in range(1, count + 1):
        sent = given[number - 1] if number <= len(given) else 0
        oids.append(sent or found.get(number, types.TEXT))
    return oids


def _given(given: list[int], number: int) -> bool:
    return number <= len(given) and given[number - 1] != 0


def _highest(node: Any) -> int:
    return max((_number(p) for p in _nodes(node) if isinstance(p, ast.ParamRef)), default=0)


def _number(parameter: Any) -> int:
    return int(parameter.number)


def _slots(node: Any) -> tuple[str, ...]:
    return tuple(getattr(type(node), "__slots__", ()))


def _nodes(node: Any) -> Iterator[Any]:
    if isinstance(node, tuple | list):
        for item in node:
            yield from _nodes(item)
    elif isinstance(node, ast.Node):
        yield node
        for slot in _slots(node):
            yield from _nodes(getattr(node, slot, None))


def _walk(node: Any, scopes: list[Any], found: dict[int, int], clues: list[_Clue]) -> None:
    if isinstance(node, tuple | list):
        for item in node:
            _walk(item, scopes, found, clues)
        return
    if not isinstance(node, ast.Node):
        return
    if isinstance(node, ast.SelectStmt):
        scopes = [*scopes, node]
        for clause in (node.limitCount, node.limitOffset):
            if isinstance(clause, ast.ParamRef):
                found.setdefault(_number(clause), types.INT8)
    elif isinstance(node, ast.TypeCast) and isinstance(node.arg, ast.ParamRef):
        oid = cast_oid(node.typeName)
        if oid is not None:
            found.setdefault(_number(node.arg), oid)
    elif isinstance(node, ast.A_Expr) and scopes:
        _compare(node, scopes, found, clues)
    for slot in _slots(node):
        _walk(getattr(node, slot, None), scopes, found, clues)


def cast_oid(type_name: Any) -> int | None:
    """The oid a cast's type name stands for (None: not one mart serve knows)."""
    names = [n.sval for n in type_name.names or () if isinstance(n, ast.String)]
    if not names or (len(names) == 2 and names[0] != "pg_catalog") or len(names) > 2:
        return None
    oid = types.CAST_NAMES.get(str(names[-1]).lower())
    if oid is None:
        return None
    return types.array_type(oid) if type_name.arrayBounds else oid


def _compare(node: Any, scopes: list[Any], found: dict[int, int], clues: list[_Clue]) -> None:
    kind = enums.A_Expr_Kind(node.kind)
    operator = node.name[-1].sval if node.name else ""
    left, right = node.lexpr, node.rexpr
    compares = kind == enums.A_Expr_Kind.AEXPR_OP and operator in _COMPARISONS
    if compares or kind == enums.A_Expr_Kind.AEXPR_DISTINCT:
        pairs = [(left, right), (right, left)]
    elif kind in (enums.A_Expr_Kind.AEXPR_OP_ANY, enums.A_Expr_Kind.AEXPR_OP_ALL):
        if isinstance(right, ast.ParamRef) and isinstance(left, ast.ColumnRef):
            clues.append(_Clue(_number(right), left, scopes, array=True))
        return
    elif kind in (enums.A_Expr_Kind.AEXPR_IN, enums.A_Expr_Kind.AEXPR_BETWEEN):
        pairs = [(left, item) for item in right or ()]
    else:
        return
    for column, other in pairs:
        if not isinstance(other, ast.ParamRef):
            continue
        if isinstance(column, ast.ColumnRef):
            clues.append(_Clue(_number(other), column, scopes))
        elif isinstance(column, ast.TypeCast):
            oid = cast_oid(column.typeName)
            if oid is not None:
                found.setdefault(_number(other), oid)
        elif isinstance(column, ast.A_Const) and not column.isnull:
            constant = column.val
            if isinstance(constant, ast.Integer):
                found.setdefault(_number(other), types.INT4)
            elif isinstance(constant, ast.Float):
                found.setdefault(_number(other), types.NUMERIC)
            elif isinstance(constant, ast.Boolean):
                found.setdefault(_number(other), types.BOOL)


def _resolve(
    clues: list[_Clue], found: dict[int, int], describe: Callable[[str], list[int]]
) -> None:
    """Look up the columns parameters are compared with: one query per select, its FROM
    clause (and the WITH clauses around it) with those columns as its select list."""
    by_scope: dict[int, list[_Clue]] = {}
    for clue in clues:
        by_scope.setdefault(id(clue.scope[-1]), []).append(clue)
    for group in by_scope.values():
        scope = group[0].scope
        select = scope[-1]
        if not select.fromClause or _highest(select.fromClause):
            continue  # a FROM with parameters of its own cannot be described without them
        withs = [s.withClause for s in scope if s.withClause is not None]
        probe = ast.SelectStmt(
            targetList=tuple(ast.ResTarget(val=clue.column) for clue in group),
            fromClause=select.fromClause,
            withClause=withs[0] if len(withs) == 1 else None,
            limitCount=ast.A_Const(val=ast.Integer(ival=0)),
            limitOption=enums.LimitOption.LIMIT_OPTION_COUNT,
            op=enums.SetOperation.SETOP_NONE,
        )
        if len(withs) > 1 or _highest(withs):
            continue
        try:
            oids = describe(RawStream()(probe))
        except Exception:  # a column PostgreSQL would reject: the statement will say so
            continue
        for clue, oid in zip(group, oids, strict=False):
            oid = types.TEXT if oid == types.VARCHAR else oid  # varchar = unknown: text = text
            if oid:
                found.setdefault(_number(clue), types.array_type(oid) if clue.array else oid)
