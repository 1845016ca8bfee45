"""COPY ... TO STDOUT: its options as PostgreSQL checks them, and its rows as CopyData messages.

Text and CSV lines are built by DuckDB (one projection over the query's text-format columns),
binary tuples are the DataRow bodies rows.py assembles; each line or tuple goes out as one
CopyData message, as PostgreSQL sends them (psycopg parses a message as one row).
"""

import json
import struct
from dataclasses import asdict, dataclass, field
from typing import Any

from pglast import ast

from mart.serve.errors import SqlError

BINARY_HEADER = b"PGCOPY\n\xff\r\n\0" + struct.pack("!ii", 0, 0)
BINARY_TRAILER = b"d\0\0\0\6\xff\xff"
COPY_DONE = b"c\0\0\0\4"


@dataclass
class CopyOptions:
    format: str = "text"  # text, csv or binary
    delimiter: str = "\t"
    null: str = "\\N"
    header: bool = False
    quote: str = '"'
    escape: str = '"'
    force_quote: list[str] | None = None  # column names; ["*"]: every column
    columns: list[str] = field(default_factory=list)  # COPY table (a, b): those, in that order

    def dumps(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def loads(cls, text: str) -> "CopyOptions":
        return cls(**json.loads(text))


def options(node: Any) -> CopyOptions:
    """The options of a COPY ... TO statement, refused as ProcessCopyOptions refuses them."""
    chosen = CopyOptions()
    seen: set[str] = set()
    given: dict[str, Any] = {}
    for item in node.options or ():
        name = item.defname
        if name in seen:
            raise SqlError("42601", "conflicting or redundant options")
        seen.add(name)
        given[name] = item.arg
    format_name = _word(given.pop("format", None)) or "text"
    if format_name not in ("text", "csv", "binary"):
        raise SqlError("22023", f'COPY format "{format_name}" not recognized')
    chosen.format = format_name
    csv = format_name == "csv"
    if csv:
        chosen.delimiter, chosen.null = ",", ""
    for name, arg in given.items():
        if name == "delimiter":
            chosen.delimiter = _word(arg)
        elif name == "null":
            chosen.null = _word(arg)
        elif name == "header":
            value = _word(arg) if arg is not None else "true"
            if value == "match":
                raise SqlError("0A000", 'cannot use "match" with HEADER in COPY TO')
            chosen.header = value in ("true", "on", "1", "yes")
            if value not in ("true", "on", "1", "yes", "false", "off", "0", "no"):
                raise SqlError("22023", 'header requires a Boolean value or "match"')
        elif name == "quote":
            chosen.quote = _word(arg)
        elif name == "escape":
            chosen.escape = _word(arg)
        elif name == "force_quote":
            if isinstance(arg, ast.A_Star):
                chosen.force_quote = ["*"]
            else:
                chosen.force_quote = [_word(a) for a in arg or ()]
        elif name in ("force_not_null", "force_null"):
            words = "not null" if name == "force_not_null" else "null"
            if not csv:
                raise SqlError("0A000", f"COPY force {words} available only in CSV mode")
            raise SqlError("0A000", f"COPY force {words} only available using COPY FROM")
        elif name == "encoding":
            encoding = _word(arg).upper().replace("-", "").replace("_", "")
            if encoding not in ("UTF8", "UNICODE"):
                raise SqlError(
                    "0A000", "COPY ENCODING is not supported by mart serve: it sends UTF8 only"
                )
        elif name == "freeze":
            pass  # accepted and meaningless for COPY TO, as in PostgreSQL
        else:
            raise SqlError("42601", f'option "{name}" not recognized')
    if "escape" not in given:
        chosen.escape = chosen.quote
    _check(chosen, given)
    return chosen


def _check(chosen: CopyOptions, given: dict[str, Any]) -> None:
    binary, csv = chosen.format == "binary", chosen.format == "csv"
    if binary and "delimiter" in given:
        raise SqlError("0A000", "cannot specify DELIMITER in BINARY mode")
    if binary and "null" in given:
        raise SqlError("0A000", "cannot specify NULL in BINARY mode")
    if binary and chosen.header:
        raise SqlError("0A000", "cannot specify HEADER in BINARY mode")
    if len(chosen.delimiter.encode()) != 1:
        raise SqlError("0A000", "COPY delimiter must be a single one-byte character")
    if chosen.delimiter in "\r\n":
        raise SqlError("22023", "COPY delimiter cannot be newline or carriage return")
    if "\r" in chosen.null or "\n" in chosen.null:
        raise SqlError("22023", "COPY null representation cannot use newline or carriage return")
    if not csv and chosen.delimiter in "\\.abcdefghijklmnopqrstuvwxyz0123456789":
        raise SqlError("22023", f'COPY delimiter cannot be "{chosen.delimiter}"')
    if not csv and "quote" in given:
        raise SqlError("0A000", "COPY quote available only in CSV mode")
    if not csv and "escape" in given:
        raise SqlError("0A000", "COPY escape available only in CSV mode")
    if not csv and chosen.force_quote is not None:
        raise SqlError("0A000", "COPY force quote available only in CSV mode")
    if csv and len(chosen.quote.encode()) != 1:
        raise SqlError("0A000", "COPY quote must be a single one-byte character")
    if csv and len(chosen.escape.encode()) != 1:
        raise SqlError("0A000", "COPY escape must be a single one-byte character")
    if csv and chosen.delimiter == chosen.quote:
        raise SqlError("22023", "COPY delimiter and quote must be different")
    if csv and chosen.delimiter in chosen.null:
        raise SqlError("22023", "COPY delimiter must not appear in the NULL specification")
    if csv and chosen.quote in chosen.null:
        raise SqlError("22023", "CSV quote character must not appear in the NULL specification")


def _word(arg: Any) -> str:
    if arg is None:
        return ""
    if isinstance(arg, ast.String):
        return str(arg.sval)
    if isinstance(arg, ast.Integer):
        return str(arg.ival)
    if isinstance(arg, ast.Boolean):
        return "true" if arg.boolval else "false"
    if isinstance(arg, ast.A_Const):
        return _word(arg.val)
    if isinstance(arg, ast.ColumnRef):
        return ".".join(str(f.sval) for f in arg.fields or () if isinstance(f, ast.String))
    return str(getattr(arg, "sval", arg))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def line_sql(sql: str, names: list[str], chosen: CopyOptions) -> str:
    """DuckDB SQL giving one text or CSV line per row (newline included) of `sql`, whose
    columns are the query's in PostgreSQL's text format (rows.wire_sql with text formats)."""
    fields = []
    for i, name in enumerate(names, start=1):
        ref = f"#{i}"
        if chosen.format == "csv":
            fields.append(_csv_field(ref, name, chosen))
        else:
            fields.append(
                f"coalesce({_text_escaped(ref, chosen.delimiter)}, {_literal(chosen.null)})"
            )
    if not fields:
        return f"select '' || chr(10) as line from ({sql}) as copied"
    joined = f" || {_literal(chosen.delimiter)} || ".join(fields)
    return f"select {joined} || chr(10) as line from ({sql}) as copied"


def _text_escaped(ref: str, delimiter: str) -> str:
    """CopyAttributeOutText: backslash, the delimiter and control characters as escapes."""
    out = f"replace({ref}, '\\', '\\\\')"
    for char, escape in (
        ("chr(8)", "\\b"),
        ("chr(12)", "\\f"),
        ("chr(10)", "\\n"),
        ("chr(13)", "\\r"),
        ("chr(9)", "\\t"),
        ("chr(11)", "\\v"),
    ):
        out = f"replace({out}, {char}, {_literal(escape)})"
    if delimiter not in "\t\b\f\n\r\v":
        out = f"replace({out}, {_literal(delimiter)}, {_literal(chr(92) + delimiter)})"
    return out


def _csv_field(ref: str, name: str, chosen: CopyOptions) -> str:
    quote, escape, null = _literal(chosen.quote), _literal(chosen.escape), _literal(chosen.null)
    escaped = f"replace({ref}, {quote}, {escape} || {quote})"
    if chosen.escape != chosen.quote:
        escaped = (
            f"replace(replace({ref}, {escape}, {escape} || {escape}), {quote}, {escape} || {quote})"
        )
    quoted = f"{quote} || {escaped} || {quote}"
    forced = chosen.force_quote is not None and (
        chosen.force_quote == ["*"] or name in chosen.force_quote
    )
    if forced:
        return f"case when {ref} is null then {null} else {quoted} end"
    needs = (
        f"strpos({ref}, {_literal(chosen.delimiter)}) > 0 or strpos({ref}, {quote}) > 0 "
        f"or strpos({ref}, chr(10)) > 0 or strpos({ref}, chr(13)) > 0 or {ref} = {null} "
        f"or {ref} = '\\.'"
    )
    if chosen.escape != chosen.quote:
        needs += f" or strpos({ref}, {escape}) > 0"
    return f"case when {ref} is null then {null} when {needs} then {quoted} else {ref} end"


def header_line(names: list[str], chosen: CopyOptions) -> bytes:
    if chosen.format == "csv":
        cells = []
        for name in names:
            special = any(c in name for c in (chosen.delimiter, chosen.quote, "\n", "\r"))
            if special or name == chosen.null or (chosen.force_quote == ["*"]):
                doubled = name.replace(chosen.quote, chosen.escape + chosen.quote)
                cells.append(chosen.quote + doubled + chosen.quote)
            else:
                cells.append(name)
        return (chosen.delimiter.join(cells) + "\n").encode()
    return (chosen.delimiter.join(names) + "\n").encode()


def copy_out_response(columns: int, binary: bool) -> bytes:
    body = struct.pack(f"!bh{columns}h", int(binary), columns, *([int(binary)] * columns))
    return b"H" + struct.pack("!i", len(body) + 4) + body


def copy_data(data: bytes) -> bytes:
    return b"d" + struct.pack("!i", len(data) + 4) + data


def with_binary_header(messages: bytes) -> bytes:
    """The first CopyData message of a binary COPY, the file header put before its tuple."""
    (length,) = struct.unpack_from("!i", messages, 1)
    return b"d" + struct.pack("!i", length + len(BINARY_HEADER)) + BINARY_HEADER + messages[5:]
