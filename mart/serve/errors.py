"""Errors as PostgreSQL gives them: SqlError, DuckDB's exceptions mapped to SQLSTATEs, and
DuckDB's messages for the common mistakes (a missing relation, column or function, an operator
or comparison of the wrong types) in PostgreSQL's words with the position of what is wrong in
the client's query, so that psql shows `LINE 1: ... ^`. DuckDB's own hints ("Did you mean",
candidate functions) never reach a client: they name DuckDB's functions and types.
"""

import functools
import logging
import re
import struct
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from pglast import ast, enums, parser
from pglast.stream import RawStream

from mart.serve import keys, types
from mart.serve.protocol import ProtocolViolation

log = logging.getLogger("mart.serve")


class SqlError(Exception):
    """A statement PostgreSQL would reject, or mart serve refuses, with its SQLSTATE.

    position is PostgreSQL's: 1-based, in characters, into the whole query string.
    """

    def __init__(
        self,
        sqlstate: str,
        message: str,
        position: int | None = None,
        detail: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
        self.message = message
        self.position = position
        self.detail = detail
        self.hint = hint


# DuckDB's errors that PostgreSQL reports under a SQLSTATE of their own: (message start, code,
# PostgreSQL's message or None to keep DuckDB's, without its "Invalid Input Error: ").
_REFINED = (
    ("Division by zero", "22012", "division by zero"),
    ("Could not parse string", "22007", None),
    (
        "Out of Range Error: Overflow in multiplication of INT128",
        "22003",
        "value out of range: mart serve computes exact numbers in 128 bits, "
        "PostgreSQL's numeric has no such bound",
    ),
    (
        "Python exception occurred while executing the UDF: PermissionError: mart serve: "
        "permission denied to ",
        "42501",
        None,
    ),
)
_DETAILS = {
    "42501": "Only roles with privileges of the role whose query is being canceled or with "
    'privileges of the "pg_signal_backend" role may cancel this query.'
}


def refined(code: str, message: str) -> SqlError | None:
    """A DuckDB error (its SQLSTATE by exception class, and its message) as the error
    PostgreSQL gives for the same failure, where the class alone does not tell; None if not.
    The rewrite's own refusals (error() in functions.sql: "... not supported by mart serve")
    are 0A000."""
    text = message.removeprefix("Invalid Input Error: ")
    for start, sqlstate, replacement in _REFINED:
        if text.startswith(start):
            if sqlstate == "42501":
                what = text.removeprefix(start)
                return SqlError(sqlstate, f"permission denied to {what}", detail=_DETAILS[sqlstate])
            return SqlError(sqlstate, replacement or text.split("\n", 1)[0])
    if code == "22023" and "is not supported by mart serve" in text:
        return SqlError("0A000", text.split("\n", 1)[0])
    return None


def of_session(error: Exception) -> SqlError:
    """Any failure of a message as the ErrorResponse PostgreSQL would send for it."""
    if isinstance(error, SqlError):
        return error
    if isinstance(error, UnicodeDecodeError):
        return SqlError("22021", 'invalid byte sequence for encoding "UTF8"')
    if isinstance(error, (struct.error, ProtocolViolation)):
        return SqlError("08P01", f"invalid message format: {error}")
    # One line, escaped: the error's text may hold what the client sent.
    log.error("unexpected error in a session: %s", "".join(traceback.format_exception(error)))
    return SqlError("XX000", f"internal error in mart serve: {type(error).__name__}: {error}")


def interrupted(reason: str | None) -> SqlError:
    """A statement DuckDB was told to stop: by its timeout, pg_terminate_backend(), or a cancel
    (CancelRequest, pg_cancel_backend())."""
    if reason == "timeout":
        return SqlError("57014", "canceling statement due to statement timeout")
    if reason == "terminate":
        return SqlError("57P01", "terminating connection due to administrator command")
    return SqlError("57014", "canceling statement due to user request")


# DuckDB's exception class -> SQLSTATE.
SQLSTATES = {
    "ParserException": "42601",
    "CatalogException": "42P01",
    "BinderException": "42703",
    "ConversionException": "22P02",
    "InvalidInputException": "22023",
    "OutOfRangeException": "22003",
    "PermissionException": "42501",
    "InterruptException": "57014",
    "OutOfMemoryException": "53200",
    "NotImplementedException": "0A000",
    "TransactionException": "25000",
    "IOException": "58030",
}
_PREFIXES = ("Catalog Error: ", "Binder Error: ", "Parser Error: ", "Conversion Error: ")
_FUNCTION_HINT = (
    "No function matches the given name and argument types. "
    "You might need to add explicit type casts."
)
_OPERATOR_HINT = (
    "No operator matches the given name and argument types. "
    "You might need to add explicit type casts."
)
_UNARY_OPERATOR_HINT = (
    "No operator matches the given name and argument type. "
    "You might need to add an explicit type cast."
)

# Describes a PostgreSQL query (translated and bound on the mart): its columns' oids.
Describe = Callable[[str], list[int]]


def from_duckdb(
    kind: str, message: str, query: str = "", describe: Describe | None = None
) -> SqlError:
    """A DuckDB error (its exception class's name and message) as PostgreSQL's error for the
    same mistake in query, the client's query string. describe looks up the types of a
    missing function's arguments that are not constants."""
    text = message.split("\n\n")[0]
    for prefix in _PREFIXES:
        text = text.removeprefix(prefix)
    code = SQLSTATES.get(kind, "XX000")
    if kind == "CatalogException" and "Function" in text:
        code = "42883"
    better = refined(code, text.replace("\n", " "))  # division by zero, refused functions, ...
    if better is not None:
        return better
    if code == "53200":  # as PostgreSQL words it; DuckDB's account is the detail
        return SqlError(code, "out of memory", detail=text.removeprefix("Out of Memory Error: "))
    try:
        worded = _in_postgres_words(text, query, describe)
    except parser.ParseError:
        worded = None
    if worded is not None:
        return worded
    # Otherwise DuckDB's first line: what follows it are DuckDB's hints and candidates.
    return SqlError(code, text.split("\n", 1)[0].removesuffix("!"))


def _in_postgres_words(text: str, query: str, describe: Describe | None) -> SqlError | None:
    match = re.match(r"Table with name (\S+) does not exist!", text) or re.match(
        r'Table with name "[^"]*" does not exist because schema "[^"]*" does not exist', text
    )
    if match:
        return _missing_relation(text, query)
    match = re.match(r'Referenced column "(.+?)" not found in FROM clause!', text)
    if match:
        column = match[1]
        node = _first(query, ast.ColumnRef, lambda n: _column_names(n)[-1:] == [column])
        return SqlError("42703", f'column "{column}" does not exist', _position(node))
    match = re.match(r'Table "(.+?)" does not have a column named "(.+?)"', text)
    if match:
        table, column = match[1], match[2]
        node = _first(query, ast.ColumnRef, lambda n: _column_names(n)[-2:] == [table, column])
        shown = ".".join(_column_names(node)) if node is not None else f"{table}.{column}"
        return SqlError("42703", f"column {shown} does not exist", _position(node))
    match = re.match(r'Referenced table "(.+?)" not found!', text)
    if match:
        table = match[1]
        node = _first(query, ast.ColumnRef, lambda n: _column_names(n)[-2:-1] == [table])
        message = f'missing FROM-clause entry for table "{table}"'
        return SqlError("42P01", message, _position(node))
    match = re.match(r"(?:Scalar |Table |Aggregate )?Function with name (\w+) does not exist", text)
    if match:
        return _missing_function(match[1], query, describe)
    match = re.match(
        r"No function matches the given name and argument types '([^(]+)\((.*)\)'\. ", text
    )
    if match:
        return _no_match(match[1], _duckdb_types(match[2]), query)
    match = re.match(
        r"Cannot compare values of type (.+) and type (.+) - an explicit cast is required", text
    )
    if match:
        return _no_match(None, [match[1], match[2]], query)
    match = re.match(
        r"Could not convert string (['\"])(.*)\1 to (\w+)( when casting from source column (\w+))?",
        text,
    )
    if match:
        return _not_converted(match[2], match[3], match[5], query)
    return None


# -- the parts of the client's query an error is about -----------------------------------------


def _nodes(node: Any) -> Iterator[Any]:
    if isinstance(node, tuple | list):
        for item in node:
            yield from _nodes(item)
    elif isinstance(node, ast.Node):
        yield node
        for slot in getattr(type(node), "__slots__", ()):
            yield from _nodes(getattr(node, slot, None))


@functools.lru_cache(maxsize=4)
def _parsed(query: str) -> tuple[Any, ...]:
    """The query's statements, parsed once for all the look-ups of one error."""
    return tuple(raw.stmt for raw in parser.parse_sql(query) or ())


def _all(query: str, kind: type) -> Iterator[Any]:
    if not query:
        return
    for statement in _parsed(query):
        for node in _nodes(statement):
            if isinstance(node, kind):
                yield node


def _first(query: str, kind: type, accept: Callable[[Any], bool]) -> Any:
    return next((node for node in _all(query, kind) if accept(node)), None)


def _position(node: Any) -> int | None:
    location = getattr(node, "location", None)
    return location + 1 if isinstance(location, int) and location >= 0 else None


def _column_names(node: Any) -> list[str]:
    return [str(f.sval) for f in getattr(node, "fields", None) or () if isinstance(f, ast.String)]


def _names(nodes: Any) -> list[str]:
    return [str(n.sval) for n in nodes or () if isinstance(n, ast.String)]


def _missing_relation(text: str, query: str) -> SqlError:
    match = re.match(r'Table with name "?([^"!]+?)"? does not exist', text)
    assert match is not None
    name = match[1].rsplit(".", 1)[-1]
    node = _first(query, ast.RangeVar, lambda n: n.relname == name)
    if node is None:
        return SqlError("42P01", f'relation "{match[1]}" does not exist')
    shown = f"{node.schemaname}.{node.relname}" if node.schemaname else node.relname
    return SqlError("42P01", f'relation "{shown}" does not exist', _position(node))


# -- types in PostgreSQL's words ---------------------------------------------------------------

# DuckDB's names in its messages for constants, and its internal names in conversion errors.
_DUCKDB_NAMES = {
    "INTEGER_LITERAL": "integer",
    "STRING_LITERAL": "unknown",
    "NULL": "unknown",
    "INT16": "smallint",
    "INT32": "integer",
    "INT64": "bigint",
    "HUGEINT": "numeric",
    "BOOL": "boolean",
    "TIMESTAMP WITH TIME ZONE": "timestamp with time zone",
    "VARCHAR": "text",
}


def _duckdb_types(listed: str) -> list[str]:
    return [part.strip() for part in listed.split(",")] if listed.strip() else []


def _type_word(duckdb_type: str) -> str:
    """A DuckDB type as PostgreSQL names it in a message (text for DuckDB's one string type)."""
    if duckdb_type.endswith("[]"):
        return _type_word(duckdb_type[:-2]) + "[]"
    if duckdb_type in _DUCKDB_NAMES:
        return _DUCKDB_NAMES[duckdb_type]
    oid, _ = types.postgres_type(duckdb_type)
    return types.type_name(oid)


@functools.cache
def _declared_strings() -> dict[str, dict[str, str]]:
    """relation -> column -> character varying or text: the tables' and views' string columns."""
    found: dict[str, dict[str, str]] = {}
    for column in keys.string_columns():
        word = "character varying" if column.typname == "varchar" else "text"
        found.setdefault(column.table, {})[column.column] = word
    return found


def _string_columns(query: str) -> dict[str, str]:
    """column -> character varying or text, for the mart's tables and views the query reads."""
    declared = _declared_strings()
    found: dict[str, str] = {}
    for node in _all(query, ast.RangeVar):
        for column, word in declared.get(str(node.relname), {}).items():
            found.setdefault(column, word)
    return found


def _node_type(node: Any, query: str) -> str | None:
    """An expression's type as PostgreSQL names it, where the expression alone says it."""
    if isinstance(node, ast.A_Const):
        value = node.val
        if node.isnull or isinstance(value, ast.String):
            return "unknown"
        if isinstance(value, ast.Integer):
            return "integer"
        if isinstance(value, ast.Float):
            return "bigint" if re.fullmatch(r"-?\d+", str(value.fval)) else "numeric"
        if isinstance(value, ast.Boolean):
            return "boolean"
    if isinstance(node, ast.TypeCast) and node.typeName is not None:
        names = _names(node.typeName.names)
        oid = types.CAST_NAMES.get(names[-1].lower()) if names else None
        if oid is not None:
            return types.type_name(types.array_type(oid) if node.typeName.arrayBounds else oid)
    if isinstance(node, ast.ColumnRef):
        names = _column_names(node)
        if names:
            return _string_columns(query).get(names[-1])
    return None


def _refine(word: str, node: Any, query: str) -> str:
    """DuckDB's type of an argument, made exact by the argument itself where it can be: DuckDB
    has one string type where PostgreSQL has text, character varying and unknown."""
    if word in ("text", "unknown"):
        return _node_type(node, query) or word
    return word


def _arguments(node: Any) -> list[Any]:
    if isinstance(node, ast.FuncCall):
        return list(node.args or ())
    return [side for side in (node.lexpr, node.rexpr) if side is not None]


# -- functions and operators -------------------------------------------------------------------


def _missing_function(name: str, query: str, describe: Describe | None) -> SqlError:
    node = _first(query, ast.FuncCall, lambda n: _names(n.funcname)[-1:] == [name])
    if node is None:
        return SqlError("42883", f"function {name} does not exist", hint=_FUNCTION_HINT)
    words = [_node_type(arg, query) for arg in node.args or ()]
    if describe is not None and None in words:
        looked_up = _described(query, node, describe)
        words = [
            word or (_type_word_of_oid(looked_up[i]) if i < len(looked_up) else "unknown")
            for i, word in enumerate(words)
        ]
    shown = ", ".join(word or "unknown" for word in words)
    full = ".".join(_names(node.funcname))
    message = f"function {full}({shown}) does not exist"
    return SqlError("42883", message, _position(node), hint=_FUNCTION_HINT)


def _type_word_of_oid(oid: int) -> str:
    return types.type_name(oid) if oid else "unknown"


def _described(query: str, call: Any, describe: Describe) -> list[int]:
    """The oids of a call's arguments: select them from the FROM clause of the select the call
    is in (nothing if that cannot be described)."""
    for select in _all(query, ast.SelectStmt):
        if not any(node is call for node in _nodes(select.targetList)) and not any(
            node is call for node in _nodes(select.whereClause)
        ):
            continue
        probe = ast.SelectStmt(
            targetList=tuple(ast.ResTarget(val=arg) for arg in call.args or ()),
            fromClause=select.fromClause,
            limitCount=ast.A_Const(val=ast.Integer(ival=0)),
            limitOption=enums.LimitOption.LIMIT_OPTION_COUNT,
            op=enums.SetOperation.SETOP_NONE,
        )
        try:
            return describe(RawStream()(probe))
        except Exception:  # the arguments have errors of their own: the types stay unknown
            return []
    return []


_COMPARISONS = ("=", "<>", "!=", "<", "<=", ">", ">=")


def _no_match(name: str | None, duckdb_types: list[str], query: str) -> SqlError:
    """No function or operator for these argument types (name None: a comparison)."""
    words = [_type_word(t) for t in duckdb_types]
    if name is not None and re.fullmatch(r"\w+", name):
        node = _first(
            query,
            ast.FuncCall,
            lambda n: _names(n.funcname)[-1:] == [name] and len(n.args or ()) == len(words),
        )
        if node is not None:
            words = [_refine(w, arg, query) for w, arg in zip(words, node.args, strict=False)]
        message = f"function {name}({', '.join(words)}) does not exist"
        return SqlError("42883", message, _position(node), hint=_FUNCTION_HINT)
    node = _operator(query, name, words)
    if node is not None:
        words = [_refine(w, arg, query) for w, arg in zip(words, _arguments(node), strict=False)]
        name = _names(node.name)[-1]
    symbol = name or "="
    if len(words) == 1:
        message = f"operator does not exist: {symbol} {words[0]}"
        return SqlError("42883", message, _position(node), hint=_UNARY_OPERATOR_HINT)
    message = f"operator does not exist: {words[0]} {symbol} {words[1]}"
    return SqlError("42883", message, _position(node), hint=_OPERATOR_HINT)


def _operator(query: str, name: str | None, words: list[str]) -> Any:
    """The operator expression an error is about: the first of that name (a comparison, for
    None) and number of operands whose operands do not say other types than DuckDB's."""

    def fits(node: Any) -> bool:
        if enums.A_Expr_Kind(int(node.kind or 0)) != enums.A_Expr_Kind.AEXPR_OP:
            return False
        symbol = _names(node.name)[-1:]
        if (name is None and not set(symbol) & set(_COMPARISONS)) or (
            name is not None and symbol != [name]
        ):
            return False
        operands = _arguments(node)
        if len(operands) != len(words):
            return False
        for word, operand in zip(words, operands, strict=False):
            said = _node_type(operand, query)
            if said is not None and _refine(word, operand, query) != said:
                return False
        return True

    return _first(query, ast.A_Expr, fits)


_CONVERTED = {
    "INT16": "smallint",
    "INT32": "integer",
    "INT64": "bigint",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "BOOL": "boolean",
    "DECIMAL": "numeric",
}


def _not_converted(value: str, target: str, column: str | None, query: str) -> SqlError | None:
    """DuckDB casts a string to a number where PostgreSQL has no operator for a string column
    and a number, and fails on its rows; where PostgreSQL converts a constant, it says so."""
    if column is not None:
        strings = _string_columns(query)

        def compares(node: Any) -> bool:
            return enums.A_Expr_Kind(int(node.kind or 0)) == enums.A_Expr_Kind.AEXPR_OP and any(
                _column_names(side)[-1:] == [column] for side in _arguments(node)
            )

        node = _first(query, ast.A_Expr, compares)
        if node is None or len(_arguments(node)) != 2:
            return None
        words = []
        for side in _arguments(node):
            if _column_names(side)[-1:] == [column]:
                words.append(strings.get(column, "text"))
            else:
                words.append(_node_type(side, query) or _CONVERTED.get(target, "unknown"))
        symbol = _names(node.name)[-1]
        message = f"operator does not exist: {words[0]} {symbol} {words[1]}"
        return SqlError("42883", message, _position(node), hint=_OPERATOR_HINT)
    word = _CONVERTED.get(target.split("(", 1)[0])
    if word is None:
        return None
    constant = _first(
        query,
        ast.A_Const,
        lambda n: isinstance(n.val, ast.String) and str(n.val.sval) == value,
    )
    cast = _first(
        query,
        ast.TypeCast,
        lambda n: (
            isinstance(n.arg, ast.A_Const)
            and isinstance(n.arg.val, ast.String)
            and str(n.arg.val.sval) == value
        ),
    )
    if cast is not None and _node_type(cast, query) in ("text", "character varying"):
        # 1 = 'a'::varchar: PostgreSQL has no operator for a number and a string.
        node = _first(query, ast.A_Expr, lambda n: any(side is cast for side in _arguments(n)))
        if node is not None and len(_arguments(node)) == 2:
            words = [_node_type(side, query) or word for side in _arguments(node)]
            symbol = _names(node.name)[-1]
            message = f"operator does not exist: {words[0]} {symbol} {words[1]}"
            return SqlError("42883", message, _position(node), hint=_OPERATOR_HINT)
    message = f'invalid input syntax for type {word}: "{value}"'
    return SqlError("22P02", message, _literal_position(query, value) if constant else None)


def _literal_position(query: str, value: str) -> int | None:
    """Where the string constant 'value' is written (pglast keeps no location of constants)."""
    written = "'" + value.replace("'", "''") + "'"
    for token in parser.scan(query):
        if token.name == "SCONST" and query[token.start : token.end + 1] == written:
            return token.start + 1
    return None
