"""The string columns of the mart's views typed as PostgreSQL types them: text, character
varying, or character varying(n), from the views' SQL and the tables' declared types.

DuckDB has one VARCHAR, without a length; PostgreSQL's view over a varchar(200) column is
varchar(200), over a concatenation text. PostgreSQL's rules, as far as the views use them:
- a column read through keeps its type and length (through CTEs, joins, subqueries, views);
- a string constant in a select list is text; inside CASE, COALESCE, NULLIF, GREATEST or LEAST
  it takes the type of the others (unknown);
- CASE, COALESCE, GREATEST, LEAST and the columns of UNION, INTERSECT and EXCEPT take the type
  of their first input that has one (text and varchar each convert to the other implicitly, so
  PostgreSQL keeps the first; a CASE's ELSE counts first), with a length only where every
  input has that one length (a CASE without ELSE has an implicit NULL: no length);
- a function's string result is text (string_agg, lower, concat, min and max too: PostgreSQL
  has them for text, not varchar), as is `||`; a window function of a value (lag, lead,
  first_value) has the value's type without its length;
- a cast says its type.
What these rules cannot tell stays as DuckDB says (character varying, no length).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pglast import ast, enums, parser

# (typname, length): ("varchar", 200), ("varchar", -1), ("text", -1); UNKNOWN for a string
# constant not yet resolved; None for what is no string or cannot be told.
StringType = tuple[str, int]
UNKNOWN: StringType = ("unknown", -1)
TEXT: StringType = ("text", -1)
NULL: StringType = ("null", -1)  # a NULL constant: it takes the others' type, not their length
Columns = list[tuple[str, StringType | None]]
_VALUE_WINDOW_FUNCTIONS = {"lag", "lead", "first_value", "last_value", "nth_value"}
# Functions the views call whose result is no string.
_NOT_STRINGS = {
    "count", "sum", "avg", "row_number", "rank", "dense_rank", "bool_and", "bool_or", "every",
    "round", "abs", "extract", "date_part", "date_trunc", "make_date", "length", "position",
    "array_agg", "percentile_cont", "now", "ceil", "floor", "power", "sqrt",
}  # fmt: skip


@dataclass
class _Relations:
    """What a view may read: the tables' columns, and the views (resolved on demand)."""

    tables: dict[str, Columns]
    views: dict[str, str]  # name -> SQL
    resolved: dict[str, Columns]

    def columns(self, name: str) -> Columns | None:
        if name in self.tables:
            return self.tables[name]
        if name in self.views:
            if name not in self.resolved:
                self.resolved[name] = _select(parser.parse_sql(self.views[name])[0].stmt, {}, self)
            return self.resolved[name]
        return None


def view_string_types(
    tables: dict[str, Columns], views: dict[str, str]
) -> dict[tuple[str, str], StringType]:
    """(view, column) -> its string type, for every view column the rules can type.
    tables: each table's columns in order, with their string types (None: not a string)."""
    relations = _Relations(tables, views, {})
    found = {}
    for view in views:
        for column, kind in relations.columns(view) or ():
            if kind is not None and kind != UNKNOWN:
                found[view, column] = kind
    return found


def _select(node: Any, ctes: dict[str, Columns], relations: _Relations) -> Columns:
    ctes = dict(ctes)
    if node.withClause is not None:
        for cte in node.withClause.ctes or ():
            ctes[str(cte.ctename)] = _select(cte.ctequery, ctes, relations)
    if enums.SetOperation(node.op) != enums.SetOperation.SETOP_NONE:
        left = _select(node.larg, ctes, relations)
        right = _select(node.rarg, ctes, relations)
        return [
            (name, _common([a, b], keep_unknown=False))
            for (name, a), (_, b) in zip(left, right, strict=False)
        ]
    scope: dict[str, Columns] = {}
    for item in node.fromClause or ():
        _from(item, ctes, relations, scope)
    columns: Columns = []
    for target in node.targetList or ():
        value: Any = target.val
        if isinstance(value, ast.ColumnRef) and isinstance((value.fields or ())[-1], ast.A_Star):
            names = _names(value.fields or ())
            for alias, relation in scope.items():
                if not names or names[-1] == alias:
                    columns.extend(relation)
            continue
        kind = _type(value, scope, ctes, relations)
        columns.append((target.name or _name_of(value), TEXT if kind in (UNKNOWN, NULL) else kind))
    return columns


def _from(
    item: Any, ctes: dict[str, Columns], relations: _Relations, scope: dict[str, Columns]
) -> None:
    if isinstance(item, ast.RangeVar):
        name = str(item.relname)
        columns = ctes.get(name) if item.schemaname is None else None
        if columns is None:
            columns = relations.columns(name) or []
        scope[str(item.alias.aliasname) if item.alias else name] = columns
    elif isinstance(item, ast.JoinExpr):
        _from(item.larg, ctes, relations, scope)
        _from(item.rarg, ctes, relations, scope)
    elif isinstance(item, ast.RangeSubselect) and item.alias is not None:
        scope[str(item.alias.aliasname)] = _select(item.subquery, ctes, relations)


def _names(fields: Iterable[Any]) -> list[str]:
    return [str(f.sval) for f in fields if isinstance(f, ast.String)]


def _name_of(value: Any) -> str:
    if isinstance(value, ast.ColumnRef):
        return _names(value.fields or ())[-1]
    if isinstance(value, ast.FuncCall):
        return _names(value.funcname or ())[-1]
    return "?column?"


def _type(
    node: Any, scope: dict[str, Columns], ctes: dict[str, Columns], relations: _Relations
) -> StringType | None:
    def of(child: Any) -> StringType | None:
        return _type(child, scope, ctes, relations)

    if isinstance(node, ast.ColumnRef):
        names = _names(node.fields or ())
        candidates = [scope[names[-2]]] if len(names) > 1 and names[-2] in scope else scope.values()
        for columns in candidates:
            for name, kind in columns:
                if name == names[-1]:
                    return kind
        return None
    if isinstance(node, ast.A_Const):
        if node.isnull:
            return NULL
        return UNKNOWN if isinstance(node.val, ast.String) else None
    if isinstance(node, ast.TypeCast):
        return _cast(node.typeName)
    if isinstance(node, ast.CaseExpr):
        # PostgreSQL weighs the ELSE first (transformCaseExpr), then each THEN in turn.
        results = [of(node.defresult) if node.defresult is not None else NULL]
        results += [of(when.result) for when in node.args or ()]
        return _common(results)
    if isinstance(node, ast.CoalesceExpr | ast.MinMaxExpr):
        return _common([of(arg) for arg in node.args or ()])
    if isinstance(node, ast.A_Expr):
        operation = enums.A_Expr_Kind(int(node.kind or 0))
        if operation == enums.A_Expr_Kind.AEXPR_NULLIF:
            first = of(node.lexpr)
            return TEXT if first == UNKNOWN else first
        if operation == enums.A_Expr_Kind.AEXPR_OP and _names(node.name or ()) == ["||"]:
            return TEXT
        return None
    if isinstance(node, ast.FuncCall):
        name = _names(node.funcname or ())[-1].lower()
        if name in _VALUE_WINDOW_FUNCTIONS and node.args:
            value = of(node.args[0])
            return None if value is None else (value[0], -1)
        return None if name in _NOT_STRINGS else TEXT  # a string result is text
    if isinstance(node, ast.SubLink) and node.subselect is not None:
        columns = _select(node.subselect, ctes, relations)
        return columns[0][1] if columns else None
    return None


def _cast(type_name: Any) -> StringType | None:
    names = _names(type_name.names)
    if type_name.arrayBounds or not names:
        return None
    name = names[-1].lower()
    if name == "text":
        return TEXT
    if name in ("varchar", "bpchar"):
        modifiers: Any = type_name.typmods or ()
        if len(modifiers) == 1 and isinstance(modifiers[0], ast.A_Const):
            length: Any = modifiers[0].val
            return ("varchar", int(length.ival))
        return ("varchar", -1)
    return None


def _common(kinds: list[StringType | None], keep_unknown: bool = True) -> StringType | None:
    """The type of CASE, COALESCE, GREATEST, LEAST or a set operation's column: the first
    string type, its length only where all agree; UNKNOWN if all are (keep_unknown). A NULL
    takes the type, but no length."""
    known = [k for k in kinds if k is not None]
    if len(known) < len(kinds):
        return None  # a non-string, or what the rules cannot tell
    strings = [k for k in known if k[0] in ("text", "varchar")]
    if not strings:
        return UNKNOWN if keep_unknown and any(k == UNKNOWN for k in known) else None
    if strings[0][0] == "text":
        return TEXT
    lengths = {k[1] for k in known}
    same = len(lengths) == 1 and all(k[0] == "varchar" for k in strings)
    return ("varchar", lengths.pop() if same else -1)
