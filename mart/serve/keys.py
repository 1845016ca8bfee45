"""The mart's keys, indexes, sequences and string lengths, as models.py declares them; its
views' SQL and what each reads, as mart/views declares them.

DuckDB keeps neither the names of constraints (it names them itself), nor VARCHAR lengths, nor
the statement table's keys (the migration leaves them out on DuckDB: the loader guarantees them
and `mart check` verifies them). models.py declares all of them, with the naming convention
that gives PostgreSQL's mart the same names, so it is the one source the emulated catalog reads
them from: only for a file at the migration head this code knows (catalog.install checks).

Check constraints are printed as PostgreSQL prints them (pg_get_constraintdef): its deparse
casts varchar operands to text, writes IN lists as = ANY (ARRAY[...]) and parenthesises every
operator. _deparse covers the expressions models.py uses and refuses any other, so that a new
kind of check fails the tests instead of being shown in another form than PostgreSQL's.
"""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pglast import ast, enums, keywords, parser

import mart.models  # noqa: F401 (registers the tables on Base.metadata)
from mart import views as mart_views
from mart.db import Base
from mart.migrate import head
from mart.serve import view_types

# Alembic's own table, as Alembic creates it (version_table_pk: <table>_pkc).
VERSION_TABLE = "alembic_version"
_VERSION_TABLE = sa.Table(
    VERSION_TABLE,
    sa.MetaData(),
    sa.Column("version_num", sa.String(32), nullable=False),
    sa.PrimaryKeyConstraint("version_num", name=f"{VERSION_TABLE}_pkc"),
)


@dataclass(frozen=True)
class Key:
    """One constraint: contype p (primary key), u (unique), f (foreign key), c (check)."""

    table: str
    name: str
    contype: str
    columns: tuple[str, ...]
    ref_table: str = ""
    ref_columns: tuple[str, ...] = ()
    expression: str = ""  # a check's expression, as pg_get_expr(conbin) prints it
    nulls_not_distinct: bool = False
    pretty: str = ""  # a check's expression, as pg_get_expr(conbin, conrelid, true) prints it

    @property
    def pretty_definition(self) -> str:
        """pg_get_constraintdef(oid, true)."""
        return f"CHECK ({self.pretty})" if self.contype == "c" else self.definition

    @property
    def definition(self) -> str:
        """pg_get_constraintdef(oid), with schema public on the search path."""
        columns = ", ".join(quote_ident(column) for column in self.columns)
        if self.contype == "p":
            return f"PRIMARY KEY ({columns})"
        if self.contype == "u":
            nulls = "NULLS NOT DISTINCT " if self.nulls_not_distinct else ""
            return f"UNIQUE {nulls}({columns})"
        if self.contype == "f":
            targets = ", ".join(quote_ident(column) for column in self.ref_columns)
            return f"FOREIGN KEY ({columns}) REFERENCES {quote_ident(self.ref_table)}({targets})"
        return f"CHECK ({self.expression})"

    def index_definition(self, pretty: bool = False) -> str:
        """pg_get_indexdef(oid) of a plain index or the one behind a primary key or unique
        constraint; pretty
        (pg_get_indexdef(oid, 0, true)) leaves out schema public, which is on the search path."""
        columns = ", ".join(quote_ident(column) for column in self.columns)
        nulls = " NULLS NOT DISTINCT" if self.nulls_not_distinct else ""
        schema = "" if pretty else "public."
        unique = "" if self.contype == "i" else "UNIQUE "
        return (
            f"CREATE {unique}INDEX {quote_ident(self.name)} ON {schema}{quote_ident(self.table)} "
            f"USING btree ({columns}){nulls}"
        )


@dataclass(frozen=True)
class StringColumn:
    table: str
    column: str
    typname: str  # varchar or text
    length: int  # -1: none


@dataclass(frozen=True)
class SequenceRow:
    name: str
    start: int
    increment: int
    minimum: int
    maximum: int
    cache: int
    cycle: bool


def _tables() -> list[sa.Table]:
    return [*Base.metadata.sorted_tables, _VERSION_TABLE]


def constraints() -> list[Key]:
    found = []
    for table in _tables():
        for constraint in table.constraints:
            name = str(constraint.name)
            columns = tuple(column.name for column in getattr(constraint, "columns", ()))
            if isinstance(constraint, sa.PrimaryKeyConstraint):
                found.append(Key(table.name, name, "p", columns))
            elif isinstance(constraint, sa.UniqueConstraint):
                options = constraint.dialect_options["postgresql"]
                distinct = bool(options.get("nulls_not_distinct"))
                found.append(Key(table.name, name, "u", columns, nulls_not_distinct=distinct))
            elif isinstance(constraint, sa.ForeignKeyConstraint):
                referred = constraint.referred_table.name
                targets = tuple(element.column.name for element in constraint.elements)
                found.append(Key(table.name, name, "f", columns, referred, targets))
            elif isinstance(constraint, sa.CheckConstraint):
                deparser = _Deparser(table)
                expression = deparser.check(str(constraint.sqltext))
                pretty = _Deparser(table, pretty=True).check(str(constraint.sqltext))
                # PostgreSQL's conkey of a check: the columns it reads, in order of appearance.
                used = tuple(dict.fromkeys(deparser.used))
                found.append(Key(table.name, name, "c", used, expression=expression, pretty=pretty))
        # An index without a constraint (contype i here, no pg_constraint row): PostgreSQL's
        # mart has it from a migration; DuckDB's file need not.
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            if index.unique or not all(isinstance(c, sa.Column) for c in index.expressions):
                raise NotImplementedError("only plain indexes on columns are shown")
            columns = tuple(column.name for column in index.columns)
            found.append(Key(table.name, str(index.name), "i", columns))
    for view in mart_views.load():
        if view.stored:
            found.append(Key(view.table, view.index, "i", ("company",)))
    return found


def string_columns() -> list[StringColumn]:
    """The string columns of the tables, as models.py declares them, and of the views, as
    PostgreSQL types them from their SQL (view_types.py)."""
    tables: dict[str, view_types.Columns] = {}
    found = []
    for table in _tables():
        columns: view_types.Columns = []
        for column in table.columns:
            kind: view_types.StringType | None = None
            if isinstance(column.type, sa.Text):
                kind = ("text", -1)
            elif isinstance(column.type, sa.String):
                kind = ("varchar", column.type.length if column.type.length is not None else -1)
            if kind is not None:
                found.append(StringColumn(table.name, column.name, *kind))
            columns.append((column.name, kind))
        tables[table.name] = columns
    # A stored view's table has the columns its SQL computes (CREATE TABLE AS), typed alike.
    views = {
        **{view.table: view.query for view in mart_views.load() if view.stored},
        **{view.name: view.sql for view in mart_views.load()},
    }
    for (view, name), kind in view_types.view_string_types(tables, views).items():
        found.append(StringColumn(view, name, *kind))
    return found


def sequences() -> list[SequenceRow]:
    # PostgreSQL's defaults for CREATE SEQUENCE without options, which models.py's are.
    found = []
    for sequence in Base.metadata._sequences.values():
        found.append(
            SequenceRow(
                sequence.name,
                sequence.start if sequence.start is not None else 1,
                sequence.increment if sequence.increment is not None else 1,
                sequence.minvalue if sequence.minvalue is not None else 1,
                sequence.maxvalue if sequence.maxvalue is not None else 2**63 - 1,
                sequence.cache if sequence.cache is not None else 1,
                bool(sequence.cycle),
            )
        )
    return sorted(found, key=lambda s: s.name)


@dataclass(frozen=True)
class ViewSource:
    name: str
    sql: str  # the SELECT as mart/views/<name>.sql writes it, for PostgreSQL and DuckDB alike
    reads: tuple[str, ...]  # the relations it selects from


def view_sources() -> list[ViewSource]:
    found = []
    for view in mart_views.load():
        ctes: set[str] = set()
        reads: list[str] = []
        for node in _walk(parser.parse_sql(view.sql)):
            if isinstance(node, ast.CommonTableExpr):
                ctes.add(str(node.ctename))
            elif isinstance(node, ast.RangeVar):
                reads.append(str(node.relname))
        relations = tuple(dict.fromkeys(r for r in reads if r not in ctes))
        found.append(ViewSource(view.name, view.sql, relations))
    return found


def _walk(node: Any) -> Any:
    if isinstance(node, tuple):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, ast.Node):
        yield node
        for slot in getattr(node, "__slots__", ()):
            yield from _walk(getattr(node, slot, None))


HEAD = head()


# -- Check constraints as PostgreSQL prints them ------------------------------------------------

_KEYWORDS = keywords.RESERVED_KEYWORDS | keywords.TYPE_FUNC_NAME_KEYWORDS


def quote_ident(name: str) -> str:
    if name.isidentifier() and name == name.lower() and name not in _KEYWORDS:
        return name
    return '"' + name.replace('"', '""') + '"'


class _Deparser:
    """PostgreSQL's deparse of a check expression; pretty: as pg_get_constraintdef(oid, true)
    prints it, with the parentheses PostgreSQL's pretty printer leaves out."""

    def __init__(self, table: sa.Table, pretty: bool = False) -> None:
        self.table = table
        self.pretty = pretty
        self.used: list[str] = []

    def check(self, sql: str) -> str:
        (raw,) = parser.parse_sql(f"select {sql}")
        statement: Any = raw.stmt
        (target,) = statement.targetList
        return self.expression(target.val, "top")

    def string_column(self, node: Any) -> bool:
        if not isinstance(node, ast.ColumnRef):
            return False
        column = self.table.columns[self.column_name(node)]
        return isinstance(column.type, sa.String) and not isinstance(column.type, sa.Text)

    def column_name(self, node: Any) -> str:
        (field,) = node.fields
        assert isinstance(field, ast.String)
        self.used.append(str(field.sval))
        return str(field.sval)

    def wrap(self, text: str, bare: bool) -> str:
        """Parenthesised, unless pretty and the context needs none (bare)."""
        return text if self.pretty and bare else f"({text})"

    def cast(self, text: str, type_name: str) -> str:
        return f"{text}::{type_name}" if self.pretty else f"({text})::{type_name}"

    def operand(self, node: Any, textual: bool, parent: str) -> str:
        """An operator's or function's operand; textual: it is compared as text."""
        if isinstance(node, ast.ColumnRef):
            name = quote_ident(self.column_name(node))
            return self.cast(name, "text") if textual and self.string_column(node) else name
        if isinstance(node, ast.A_Const) and isinstance(node.val, ast.String):
            return _literal(str(node.val.sval)) + "::text"
        if isinstance(node, ast.A_Const) and isinstance(node.val, ast.Integer):
            return str(node.val.ival)
        return self.expression(node, parent)

    def expression(self, node: Any, parent: str) -> str:
        if isinstance(node, ast.BoolExpr):
            boolop: Any = node.boolop
            args: Any = node.args
            if enums.BoolExprType(boolop) == enums.BoolExprType.NOT_EXPR:
                return self.wrap(f"NOT {self.expression(args[0], 'bool')}", parent == "top")
            word = " AND " if enums.BoolExprType(boolop) == enums.BoolExprType.AND_EXPR else " OR "
            text = word.join(self.expression(arg, "bool") for arg in args)
            return self.wrap(text, parent == "top")
        if isinstance(node, ast.NullTest):
            test = enums.NullTestType(int(node.nulltesttype or 0))
            what = "IS NULL" if test == enums.NullTestType.IS_NULL else "IS NOT NULL"
            text = f"{self.operand(node.arg, False, 'op')} {what}"
            return self.wrap(text, parent in ("top", "bool"))
        if isinstance(node, ast.A_Expr):
            expression: Any = node
            kind = enums.A_Expr_Kind(int(expression.kind))
            (operator,) = expression.name
            if kind == enums.A_Expr_Kind.AEXPR_IN and self.string_column(expression.lexpr):
                items = ", ".join(
                    _literal(str(item.val.sval)) + "::character varying"
                    for item in expression.rexpr
                )
                left = self.operand(expression.lexpr, True, "op")
                array = self.cast(f"ARRAY[{items}]", "text[]")
                return self.wrap(f"{left} = ANY ({array})", parent == "top")
            if kind == enums.A_Expr_Kind.AEXPR_OP:
                textual = self.string_column(expression.lexpr) or self.string_column(
                    expression.rexpr
                )
                left = self.operand(expression.lexpr, textual, "op")
                right = self.operand(expression.rexpr, textual, "op")
                return self.wrap(f"{left} {operator.sval} {right}", parent != "op")
        if isinstance(node, ast.FuncCall):
            call: Any = node
            (name,) = call.funcname
            if name.sval == "length":
                (arg,) = call.args
                return f"length({self.operand(arg, True, 'func')})"
        if isinstance(node, ast.ColumnRef):
            return self.operand(node, False, parent)
        raise NotImplementedError(f"check constraint not printed as PostgreSQL would: {node}")


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
