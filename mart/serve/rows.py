"""Result sets on the wire: DuckDB types as PostgreSQL types, rows encoded in bulk.

Values are turned into PostgreSQL's text format by DuckDB itself (one projection of casts),
fetched as Arrow, and the DataRow messages are assembled with numpy: no Python loop per value.
Binary format, which a client may ask for per column, covers every type mart serve sends, as
PostgreSQL's *send/*recv functions lay them out; parameters are decoded by their type, text or
binary, arrays included.
"""

import re
import struct
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

import duckdb
import duckdb.sqltypes
import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from mart.serve.sql import SqlError
from mart.serve.types import (
    BOOL,
    BYTEA,
    DATE,
    FLOAT4,
    FLOAT8,
    INT2,
    INT4,
    INT8,
    INTERVAL,
    JSON,
    NUMERIC,
    OID,
    TEXT,
    TIME,
    TIMESTAMP,
    TIMESTAMPTZ,
    TIMETZ,
    UUID,
    VARCHAR,
    array_type,
    element_type,
    postgres_type,
    type_name,
)

POSTGRES_EPOCH = date(2000, 1, 1)
_EPOCH_DAYS = (POSTGRES_EPOCH - date(1970, 1, 1)).days
_EPOCH_MICROS = _EPOCH_DAYS * 86_400_000_000


@dataclass(frozen=True)
class Column:
    name: str
    type_oid: int
    type_size: int
    type_modifier: int
    duckdb_type: str
    element: "Column | None" = None  # an array's element type


def columns_of(relation: duckdb.DuckDBPyRelation, catalog: bool = False) -> list[Column]:
    """The RowDescription of a relation, without running it. catalog: the query reads the
    emulated catalog, whose oid columns are UINTEGER (oid, as PostgreSQL's) and whose string
    arrays are text[] (PostgreSQL's catalog has text[] and name[] columns, no varchar[]).
    asyncpg decodes oid, oid[] and text[] without asking pg_type, and must for its pg_type
    query's own columns."""
    return [
        _column(name, kind, catalog)
        for name, kind in zip(relation.columns, relation.types, strict=False)
    ]


def _column(
    name: str, kind: duckdb.sqltypes.DuckDBPyType, catalog: bool = False, in_array: bool = False
) -> Column:
    type_id, spelled = kind.id, str(kind)
    if type_id == "list":
        # Nested lists are a PostgreSQL array of more dimensions, typed by their innermost
        # element (int[] holds any number of dimensions).
        element = _column(name, kind.child, catalog, in_array=True)
        innermost = element
        while innermost.element is not None:
            innermost = innermost.element
        # VARCHAR[] is varchar[], as the catalog says (PostgreSQL would call array['a'] text[]:
        # DuckDB keeps no difference).
        oid = array_type(innermost.type_oid)
        return Column(name, oid, -1, -1, spelled, element)
    oid, size = postgres_type(spelled)
    if catalog and in_array and oid == VARCHAR:
        oid = TEXT
    if catalog and type_id == "uinteger":  # catalog.sql's oid columns (unsigned 4 bytes)
        oid, size = OID, 4
    modifier = -1
    if type_id == "decimal":
        precision, scale = (int(part) for part in spelled[8:-1].split(","))
        modifier = ((precision << 16) | scale) + 4
    return Column(name, oid, size, modifier, spelled)


def row_description(columns: list[Column], formats: list[int]) -> bytes:
    body = bytearray(struct.pack("!h", len(columns)))
    for column, format_code in zip(columns, formats, strict=False):
        body += column.name.encode() + b"\0"
        body += struct.pack(
            "!ihihih", 0, 0, column.type_oid, column.type_size, column.type_modifier, format_code
        )
    return b"T" + struct.pack("!i", len(body) + 4) + bytes(body)


def formats_for(columns: list[Column], requested: list[int]) -> list[int]:
    """Per-column result formats from Bind's codes: none = all text, one = all that one."""
    if not requested:
        return [0] * len(columns)
    if len(requested) == 1:
        return requested * len(columns)
    if len(requested) != len(columns):
        raise SqlError(
            "08P01",
            f"bind message has {len(requested)} result formats but query has "
            f"{len(columns)} columns",
        )
    return requested


def _text_sql(ref: str, column: Column, depth: int = 0) -> str:
    """DuckDB SQL giving the value `ref` in PostgreSQL's text format."""
    if column.type_oid == BOOL:
        return f"case {ref} when true then 't' when false then 'f' end"
    if column.type_oid in (FLOAT4, FLOAT8):  # PostgreSQL: 1, -0, Infinity, NaN
        return (
            f"case when isnan({ref}) then 'NaN' when isinf({ref}) and {ref} > 0 then 'Infinity' "
            f"when isinf({ref}) then '-Infinity' "
            f"else regexp_replace({ref}::varchar, '\\.0$', '') end"
        )
    if column.type_oid == INTERVAL:  # PostgreSQL: 1 year 2 mons, -1 days
        months = f"regexp_replace({ref}::varchar, ' month(s?)', ' mon\\1', 'g')"
        return f"regexp_replace({months}, '(^|[^0-9])-1 (year|mon|day)', '\\1-1 \\2s', 'g')"
    if column.type_oid == BYTEA:
        return f"'\\x' || lower(hex({ref}))"
    if column.type_oid == TIMESTAMP:  # microseconds, as PostgreSQL keeps (TIMESTAMP_NS too)
        return f"{ref}::timestamp::varchar"
    if column.element is not None:
        # A PostgreSQL array literal (array_out): each element in its own text format, quoted
        # where it must be (empty, NULL, or holding {}",\ or white space); NULL bare.
        x = f"x{depth}"
        text = _text_sql(x, column.element, depth + 1)
        if column.element.element is not None:
            element = f"case when {x} is null then 'NULL' else {text} end"
        else:
            t = text  # in each place it is needed: DuckDB's lambdas take no subquery
            escaped = f"replace(replace({t}, '\\', '\\\\'), '\"', '\\\"')"
            quote = f"{t} = '' or upper({t}) = 'NULL' or regexp_matches({t}, '[{{}}\",\\\\\\s]')"
            element = (
                f"case when {x} is null then 'NULL' when {quote} then "
                f"'\"' || {escaped} || '\"' else {t} end"
            )
        mapped = f"list_transform({ref}, lambda {x}: {element})"
        return f"'{{' || array_to_string({mapped}, ',') || '}}'"
    return f"{ref}::varchar"


def _binary_sql(ref: str, column: Column, depth: int = 0) -> str:
    """DuckDB SQL giving the value `ref` in the form the binary encoder takes."""
    if column.type_oid in (INT2, INT4, INT8, FLOAT4, FLOAT8, BOOL, OID):
        return ref
    if column.type_oid == DATE:
        return f"(date_diff('day', DATE '2000-01-01', {ref}))::integer"
    if column.type_oid in (TIMESTAMP, TIMESTAMPTZ):  # microseconds since 2000-01-01 (UTC)
        return f"epoch_us({ref}) - {_EPOCH_MICROS}"
    if column.type_oid in (TEXT, VARCHAR, JSON, BYTEA):
        return f"{ref}::blob" if column.type_oid == BYTEA else f"{ref}::varchar"
    if column.type_oid == NUMERIC:
        return f"{ref}::varchar"
    if column.type_oid == TIME:  # microseconds since midnight
        return f"epoch_us({ref})"
    if column.type_oid == TIMETZ:  # local time's microseconds, zone in seconds west of UTC
        return (
            f"case when {ref} is null then null else struct_pack(us := epoch_us({ref}::time), "
            f"zone := (-extract('timezone' from {ref}))::integer) end"
        )
    if column.type_oid == INTERVAL:  # microseconds, days, months: each kept apart
        return (
            f"case when {ref} is null then null else struct_pack("
            f"us := datepart('hour', {ref})::bigint * 3600000000 + "
            f"datepart('minute', {ref})::bigint * 60000000 + datepart('microseconds', {ref}), "
            f"d := datepart('day', {ref})::integer, "
            f"m := (datepart('year', {ref}) * 12 + datepart('month', {ref}))::integer) end"
        )
    if column.type_oid == UUID:  # the 16 bytes
        return f"unhex(replace({ref}::varchar, '-', ''))"
    if column.element is not None:
        x = f"x{depth}"
        return f"list_transform({ref}, lambda {x}: {_binary_sql(x, column.element, depth + 1)})"
    raise SqlError("0A000", f"binary format is not supported for type {column.duckdb_type}")


def wire_sql(sql: str, columns: list[Column], formats: list[int]) -> str:
    """The query wrapped so that DuckDB hands back each column as it goes on the wire."""
    expressions = [
        (_binary_sql if fmt else _text_sql)(f"#{i}", column)
        for i, (column, fmt) in enumerate(zip(columns, formats, strict=True), start=1)
    ]
    return f"select {', '.join(expressions)} from ({sql}) as wire" if expressions else sql


def encode_rows(
    values: list[tuple[Any, ...]], columns: list[Column], formats: list[int], kind: bytes = b"D"
) -> bytes:
    """DataRow messages for a few rows fetched as Python values (cheaper than Arrow for few)."""
    out = bytearray()
    count = struct.pack("!h", len(columns))
    for row in values:
        body = bytearray(count)
        for value, column, fmt in zip(row, columns, formats, strict=True):
            if value is None:
                body += b"\xff\xff\xff\xff"
                continue
            data = _binary_value(value, column.type_oid, column.element) if fmt else value.encode()
            body += struct.pack("!i", len(data)) + data
        out += kind + struct.pack("!i", len(body) + 4) + body
    return bytes(out)


def _binary_value(value: Any, type_oid: int, element: Column | None = None) -> bytes:
    if element is not None:
        return _array_binary(value, element)
    if type_oid in _FIXED:
        return bytes(np.array([value], dtype=_FIXED[type_oid]).tobytes())
    if type_oid in _COMPOSITE:
        layout = _COMPOSITE[type_oid]
        record = np.zeros(1, dtype=layout)
        for name in layout.names or ():
            record[name] = value[name]
        return record.tobytes()
    if type_oid == NUMERIC:
        return _numeric_binary(value)
    return value if isinstance(value, bytes) else str(value).encode()


def framed(array: pa.Array, kind: bytes = b"d") -> bytes:
    """Each (non-NULL) string or blob of the array as one message of the kind (CopyData)."""
    data, lengths = _field_bytes(array, Column("", TEXT, -1, -1, "VARCHAR"), 0)
    if not len(lengths):
        return b""
    sizes = lengths + 5
    starts = np.zeros(len(sizes), dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    out = np.empty(int(sizes.sum()), dtype=np.uint8)
    out[starts] = kind[0]
    _put_int32(out, starts + 1, lengths + 4)
    if data.size:
        destination = np.repeat(starts + 5 - _offsets(lengths)[:-1], lengths)
        destination += np.arange(data.size, dtype=np.int64)
        out[destination] = data
    return out.tobytes()


def data_rows(
    batch: pa.RecordBatch, columns: list[Column], formats: list[int], kind: bytes = b"D"
) -> bytes:
    """DataRow messages for every row of a batch, assembled without a per-value loop (as
    CopyData messages of a binary COPY, whose tuples are DataRow bodies, for kind b"d")."""
    rows = batch.num_rows
    if rows == 0:
        return b""
    fields = [
        _field_bytes(batch.column(i), column, fmt)
        for i, (column, fmt) in enumerate(zip(columns, formats, strict=False))
    ]
    field_lengths = [np.where(lengths < 0, 0, lengths) for _, lengths in fields]
    row_sizes = 7 + 4 * len(fields) + sum(field_lengths, np.zeros(rows, dtype=np.int64))
    starts = np.zeros(rows, dtype=np.int64)
    np.cumsum(row_sizes[:-1], out=starts[1:])
    out = np.empty(int(row_sizes.sum()), dtype=np.uint8)
    out[starts] = kind[0]
    _put_int32(out, starts + 1, row_sizes - 1)
    out[starts + 5] = (len(fields) >> 8) & 0xFF
    out[starts + 6] = len(fields) & 0xFF
    position = starts + 7
    for (data, lengths), length in zip(fields, field_lengths, strict=False):
        _put_int32(out, position, lengths)
        if data.size:
            destination = np.repeat(position + 4 - _offsets(length)[:-1], length)
            destination += np.arange(data.size, dtype=np.int64)
            out[destination] = data
        position = position + 4 + length
    return out.tobytes()


def _offsets(lengths: np.ndarray) -> np.ndarray:
    offsets = np.zeros(lengths.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets


def _put_int32(out: np.ndarray, at: np.ndarray, values: np.ndarray) -> None:
    """Big-endian int32s at arbitrary (unaligned) byte positions."""
    values = values.astype(np.int64) & 0xFFFFFFFF
    for shift, step in ((24, 0), (16, 1), (8, 2), (0, 3)):
        out[at + step] = (values >> shift) & 0xFF


def _field_bytes(array: pa.Array, column: Column, fmt: int) -> tuple[np.ndarray, np.ndarray]:
    """(all values' bytes back to back, per-row length or -1 for NULL)."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    valid = ~np.asarray(array.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    if fmt == 1 and column.type_oid in _FIXED:
        return _fixed_binary(array, column, valid)
    if fmt == 1 and column.type_oid in _COMPOSITE:
        return _composite_binary(array, column, valid)
    if fmt == 1 and (column.type_oid == NUMERIC or column.element is not None):
        array = pa.array(
            [
                None if v is None else _binary_value(v, column.type_oid, column.element)
                for v in array.to_pylist()
            ],
            pa.binary(),
        )
    large = pa.types.is_large_string(array.type) or pa.types.is_large_binary(array.type)
    if not (large or pa.types.is_string(array.type) or pa.types.is_binary(array.type)):
        array = array.cast(pa.string())
    offset_type = np.int64 if large else np.int32
    buffers = array.buffers()
    offsets = np.frombuffer(buffers[1], dtype=offset_type)[
        array.offset : array.offset + len(array) + 1
    ].astype(np.int64)
    data = (
        np.frombuffer(buffers[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
        if buffers[2] is not None
        else np.zeros(0, dtype=np.uint8)
    )
    lengths = np.diff(offsets)
    return data, np.where(valid, lengths, -1)


# Binary wire layout of fixed-width types: oid -> numpy dtype.
_FIXED: dict[int, np.dtype[Any]] = {
    BOOL: np.dtype("u1"),
    INT2: np.dtype(">i2"),
    INT4: np.dtype(">i4"),
    INT8: np.dtype(">i8"),
    FLOAT4: np.dtype(">f4"),
    FLOAT8: np.dtype(">f8"),
    DATE: np.dtype(">i4"),
    TIMESTAMP: np.dtype(">i8"),
    TIMESTAMPTZ: np.dtype(">i8"),
    TIME: np.dtype(">i8"),
    OID: np.dtype(">u4"),
}

# Binary layouts of several fixed-width fields (time_send with a zone, interval_send): the
# struct _binary_sql builds, field by field.
_COMPOSITE: dict[int, np.dtype[Any]] = {
    TIMETZ: np.dtype([("us", ">i8"), ("zone", ">i4")]),
    INTERVAL: np.dtype([("us", ">i8"), ("d", ">i4"), ("m", ">i4")]),
}


def _composite_binary(
    array: pa.Array, column: Column, valid: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    layout = _COMPOSITE[column.type_oid]
    records = np.zeros(len(array), dtype=layout)
    for name in layout.names or ():
        field = array.field(name).fill_null(0)
        records[name] = np.asarray(field.to_numpy(zero_copy_only=False))
    records = records[valid]
    lengths = np.where(valid, layout.itemsize, -1)
    return records.view(np.uint8).reshape(-1), lengths


def _fixed_binary(
    array: pa.Array, column: Column, valid: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    dtype = _FIXED[column.type_oid]
    filled = array.fill_null(False if column.type_oid == BOOL else 0)
    values = np.asarray(filled.to_numpy(zero_copy_only=False)).astype(dtype)[valid]
    lengths = np.where(valid, dtype.itemsize, -1)
    return values.view(np.uint8).reshape(-1), lengths


def _array_binary(values: list[Any], element: Column) -> bytes:
    """PostgreSQL's binary array (array_send): dimensions (nested lists), lower bounds 1."""
    sizes = []
    level: Any = values
    column: Column | None = element
    while True:
        sizes.append(len(level))
        if column is None or column.element is None or not level:
            break
        if level[0] is None:
            raise SqlError(
                "2202E",
                "multidimensional arrays must have array expressions with matching dimensions",
            )
        level, column = level[0], column.element
    innermost = element
    while innermost.element is not None:
        innermost = innermost.element
    element_oid = innermost.type_oid
    flat: list[Any] = values
    for size in sizes[1:]:
        if any(item is None or len(item) != size for item in flat):
            raise SqlError(
                "2202E",
                "multidimensional arrays must have array expressions with matching dimensions",
            )
        flat = [inner for item in flat for inner in item]
    if not flat:
        return struct.pack("!iii", 0, 0, element_oid)
    has_null = any(v is None for v in flat)
    out = bytearray(struct.pack("!iii", len(sizes), int(has_null), element_oid))
    for size in sizes:
        out += struct.pack("!ii", size, 1)
    for value in flat:
        if value is None:
            out += struct.pack("!i", -1)
        else:
            data = _binary_value(value, innermost.type_oid)
            out += struct.pack("!i", len(data)) + data
    return bytes(out)


def _numeric_binary(text: str) -> bytes:
    """PostgreSQL's binary numeric: base-10000 digits, weight, sign, display scale."""
    value = Decimal(text)
    sign, _digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    scale = max(-exponent, 0)
    # copy_abs, not abs(): abs() rounds to the context's 28 digits.
    integer_part, _, fraction = f"{value.copy_abs():f}".partition(".")
    integer_part = integer_part.lstrip("0")
    pad_left = (-len(integer_part)) % 4
    pad_right = (-len(fraction)) % 4
    spelled = "0" * pad_left + integer_part + fraction + "0" * pad_right
    groups = [int(spelled[i : i + 4]) for i in range(0, len(spelled), 4)]
    weight = (pad_left + len(integer_part)) // 4 - 1
    while groups and groups[0] == 0:
        groups.pop(0)
        weight -= 1
    while groups and groups[-1] == 0:
        groups.pop()
    if not groups:
        weight = 0
    header = struct.pack("!hhHH", len(groups), weight, 0x4000 if sign else 0, scale)
    return header + struct.pack(f"!{len(groups)}H", *groups)


# PostgreSQL's limits on an array parameter (MAXDIM, MaxArraySize).
MAX_DIMENSIONS = 6
MAX_ARRAY_ELEMENTS = 0x3FFFFFFF // 8
_DATE_TEXT = re.compile(r"\s*(\d{4,}-\d{1,2}-\d{1,2})(?:\s+[+-]\d{1,2}(?::?\d\d)?)?\s*$")
_TIME_ZONE = re.compile(r"(\d)\s*(?:[+-]\d{1,2}(?::?\d\d){0,2}|Z|UTC)$", re.IGNORECASE)
# A PostgreSQL array literal's tokens: a quoted element, a brace or comma, a bare element.
_ARRAY_TOKENS = re.compile(r'"((?:[^"\\]|\\.)*)"|([{},])|([^{},"]+)', re.DOTALL)
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)


class BadParameter(ValueError):
    """A parameter value PostgreSQL's input function would refuse, with its SQLSTATE."""

    def __init__(self, sqlstate: str, message: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
        self.message = message


def decode_parameter(value: bytes | None, type_oid: int, binary: bool) -> Any:
    """A Bind parameter as the Python value DuckDB binds.

    Raises BadParameter (its SQLSTATE and PostgreSQL's words), or struct.error, ValueError and
    the like for bytes that are no value of the type (the caller words those).
    """
    if value is None:
        return None
    if binary:
        return _decode_binary(value, type_oid)
    return _decode_text(value.decode(), type_oid)


def _decode_text(text: str, type_oid: int) -> Any:
    element = element_type(type_oid)
    try:
        if element is not None:
            return _array_from_text(text, element)
        if type_oid in (INT2, INT4, INT8, OID):
            number = int(text.strip())
            bits = {INT2: 16, INT4: 32, INT8: 64, OID: 33}[type_oid]
            if not -(1 << (bits - 1)) <= number < 1 << (bits - 1):
                raise BadParameter(
                    "22003", f'value "{text}" is out of range for type {type_name(type_oid)}'
                )
            return number
        if type_oid in (FLOAT4, FLOAT8):
            return float(text)
        if type_oid == NUMERIC:
            return Decimal(text.strip())
        if type_oid == BOOL:
            word = text.strip().lower()
            if word and any(w.startswith(word) for w in ("true", "yes", "on")) and word != "o":
                return True
            if word and any(w.startswith(word) for w in ("false", "no", "off")) and word != "o":
                return False
            if word in ("1", "0"):
                return word == "1"
            raise ValueError(text)
        if type_oid in (DATE, TIMESTAMP, TIMESTAMPTZ, TIME, TIMETZ):
            return _datetime_text(text.strip(), type_oid)
        if type_oid == UUID:
            return uuid.UUID(text.strip())
        if type_oid == BYTEA:
            return bytes.fromhex(text[2:]) if text.startswith("\\x") else text.encode()
    except (ValueError, InvalidOperation):
        if isinstance(sys.exc_info()[1], BadParameter):
            raise
        raise BadParameter(
            "22P02", f'invalid input syntax for type {type_name(type_oid)}: "{text}"'
        ) from None
    return text


def _datetime_text(text: str, type_oid: int) -> Any:
    """A date or time as the Python value DuckDB binds; what Python cannot read ('infinity',
    'today', '2017-01-01 BC', a value to read in the session's time zone) stays text, for
    DuckDB's cast to accept or refuse in the statement."""
    try:
        if type_oid == DATE:
            # pgjdbc's setDate() sends "2017-01-01 +00": PostgreSQL's date input drops the zone.
            matched = _DATE_TEXT.match(text)
            return date.fromisoformat(_padded_date(matched.group(1))) if matched else text
        if type_oid == TIME:
            return time.fromisoformat(_TIME_ZONE.sub(r"\1", text))
        if type_oid == TIMETZ:
            parsed_time = time.fromisoformat(text)
            return parsed_time if parsed_time.tzinfo else text
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return text
    if type_oid == TIMESTAMP:
        return parsed.replace(tzinfo=None)  # as PostgreSQL: a zone given is ignored
    return parsed if parsed.tzinfo else text


def _padded_date(text: str) -> str:
    year, month, day = text.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _array_from_text(text: str, element_oid: int) -> list[Any]:
    """A PostgreSQL array literal ('{1,NULL,"a b"}', nested for more dimensions) as lists."""
    stack: list[list[Any]] = []
    result: list[Any] | None = None
    expect_value = True
    position = 0
    body = text.strip()
    if body[:1] == "[":  # explicit bounds ('[0:1]={1,2}'): their lower bound is not kept
        body = body.split("=", 1)[1].strip() if "=" in body else ""
    inner = body[1:-1]
    if body[:1] == "{" and body[-1:] == "}" and not any(c in inner for c in '{}"\\'):
        # One dimension, nothing quoted: split at once (a 16 MiB list of numbers in a second).
        if not inner.strip():
            return []
        words = [word.strip() for word in inner.split(",")]
        if element_oid in (INT2, INT4, INT8) and "NULL" not in inner.upper():
            numbers = [int(word) for word in words]  # ValueError: refused by the caller
            bits = {INT2: 16, INT4: 32, INT8: 64}[element_oid]
            if numbers and not -(1 << (bits - 1)) <= min(numbers) <= max(numbers) < 1 << (bits - 1):
                raise BadParameter("22003", f"value out of range for type {type_name(element_oid)}")
            return numbers
        if "" in words:
            raise ValueError(text)
        return [None if w.upper() == "NULL" else _decode_text(w, element_oid) for w in words]
    if (
        body[:1] == "{"
        and body[-1:] == "}"
        and "{" not in inner
        and "}" not in inner.replace('\\"', "")
    ):
        flat = _flat_array(inner, element_oid)
        if flat is not None:
            return flat
    for match in _ARRAY_TOKENS.finditer(body):
        if match.start() != position and body[position : match.start()].strip():
            raise ValueError(text)
        position = match.end()
        quoted, punctuation, bare = match.groups()
        if result is not None:
            if (bare or "").strip():
                raise ValueError(text)
            continue
        if punctuation == "{":
            if stack and not expect_value:
                raise ValueError(text)
            nested: list[Any] = []
            if stack:
                stack[-1].append(nested)
            stack.append(nested)
            if len(stack) > MAX_DIMENSIONS:
                raise BadParameter(
                    "54000",
                    f"number of array dimensions ({len(stack)}) exceeds the maximum allowed "
                    f"({MAX_DIMENSIONS})",
                )
            expect_value = True
        elif punctuation == "}":
            if not stack:
                raise ValueError(text)
            done = stack.pop()
            if not stack:
                result = done
            expect_value = False
        elif punctuation == ",":
            if not stack or expect_value:
                raise ValueError(text)
            expect_value = True
        else:
            if not stack or not expect_value:
                raise ValueError(text)
            if quoted is not None:
                stack[-1].append(_decode_text(_ESCAPED.sub(r"\1", quoted), element_oid))
            else:
                word = (bare or "").strip()
                if not word and bare:
                    continue  # blanks around a comma or brace
                item = _ESCAPED.sub(r"\1", word)
                is_null = word.upper() == "NULL"
                stack[-1].append(None if is_null else _decode_text(item, element_oid))
            expect_value = False
    if result is None or body[position:].strip():
        raise ValueError(text)
    return result


# Fixed-width binary parameters: oid -> length in bytes.
_WIDTHS = {
    INT2: 2,
    INT4: 4,
    INT8: 8,
    FLOAT4: 4,
    FLOAT8: 8,
    OID: 4,
    BOOL: 1,
    DATE: 4,
    TIMESTAMP: 8,
    TIMESTAMPTZ: 8,
    TIME: 8,
    TIMETZ: 12,
    INTERVAL: 16,
    UUID: 16,
}


# One element of a one-dimensional array literal: quoted (group 1) or bare (group 2), then a
# comma or the end (group 3).
_FLAT_ELEMENT = re.compile(r'\s*(?:"((?:[^"\\]|\\.)*)"|([^,{}"\\]*?))\s*(,|$)', re.DOTALL)


def _flat_array(inner: str, element_oid: int) -> list[Any] | None:
    """A one-dimensional literal's elements with quotes, read by one regular expression; None
    where it is not one (the general reader then takes it)."""
    elements: list[Any] = []
    position = 0
    textual = element_oid in (TEXT, VARCHAR)
    for match in _FLAT_ELEMENT.finditer(inner):
        if match.start() != position:
            return None
        quoted, bare, comma = match.groups()
        if quoted is not None:
            item = _ESCAPED.sub(r"\1", quoted) if "\\" in quoted else quoted
            elements.append(item if textual else _decode_text(item, element_oid))
        elif not bare:
            return None  # an empty element: the general reader refuses it
        elif bare.upper() == "NULL":
            elements.append(None)
        else:
            elements.append(bare if textual else _decode_text(bare, element_oid))
        position = match.end()
        if not comma:
            break
    return elements if position == len(inner) else None


def _decode_binary(value: bytes, type_oid: int) -> Any:
    width = _WIDTHS.get(type_oid)
    if width is not None and len(value) != width:
        # As PostgreSQL's *recv: too few bytes is the message's fault (08P01), too many the
        # value's (22P03, "incorrect binary data format", worded by the caller).
        if len(value) < width:
            raise BadParameter("08P01", "insufficient data left in message")
        raise struct.error("bytes left over")
    layouts = {INT2: "!h", INT4: "!i", INT8: "!q", FLOAT4: "!f", FLOAT8: "!d", OID: "!I"}
    if type_oid in layouts:
        return struct.unpack(layouts[type_oid], value)[0]
    if type_oid == BOOL:
        return value != b"\0"
    if type_oid == DATE:
        return date.fromordinal(POSTGRES_EPOCH.toordinal() + struct.unpack("!i", value)[0])
    if type_oid in (TIMESTAMP, TIMESTAMPTZ):
        micros = struct.unpack("!q", value)[0]
        zone = UTC if type_oid == TIMESTAMPTZ else None
        return datetime(2000, 1, 1, tzinfo=zone) + timedelta(microseconds=micros)
    if type_oid == TIME:
        return _time_of(struct.unpack("!q", value)[0])
    if type_oid == TIMETZ:
        micros, west = struct.unpack("!qi", value)
        return _time_of(micros).replace(tzinfo=timezone(timedelta(seconds=-west)))
    if type_oid == INTERVAL:
        micros, days, months = struct.unpack("!qii", value)
        if months == 0:
            return timedelta(days=days, microseconds=micros)
        return f"{months} months {days} days {micros} microseconds"  # DuckDB casts it
    if type_oid == UUID:
        return uuid.UUID(bytes=value)
    if type_oid == NUMERIC:
        return _numeric_from_binary(value)
    if type_oid == BYTEA:
        return value
    if type_oid in (0, TEXT, VARCHAR, JSON):
        return value.decode()
    element = element_type(type_oid)
    if element is not None:
        return _array_from_binary(value, element)
    raise SqlError("0A000", f"binary parameters of type {type_name(type_oid)} are not supported")


def _time_of(micros: int) -> time:
    if not 0 <= micros < 86_400_000_000:
        raise BadParameter("22008", "time out of range")
    seconds, micro = divmod(micros, 1_000_000)
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60, micro)


def _array_from_binary(value: bytes, element_oid: int) -> list[Any]:
    """array_recv: dimensions, a null flag, the element type, (size, lower bound) per
    dimension, then each element as a length and its bytes (-1: NULL)."""
    dimensions, _flags, sent_oid = struct.unpack_from("!iii", value, 0)
    if dimensions == 0:
        if len(value) != 12:
            raise struct.error("bytes after an empty array")
        return []
    if not 0 < dimensions <= MAX_DIMENSIONS:
        raise BadParameter(
            "54000" if dimensions > 0 else "22P03",
            f"number of array dimensions ({dimensions}) exceeds the maximum allowed "
            f"({MAX_DIMENSIONS})"
            if dimensions > 0
            else f"invalid number of dimensions: {dimensions}",
        )
    if sent_oid != element_oid:
        raise BadParameter(
            "42804",
            f"binary data has array element type {sent_oid} ({type_name(sent_oid)}) "
            f"instead of expected {element_oid} ({type_name(element_oid)})",
        )
    sizes = [struct.unpack_from("!ii", value, 12 + 8 * d)[0] for d in range(dimensions)]
    count = 1
    for size in sizes:
        if size < 0:
            raise BadParameter("22P03", "invalid array dimensions")
        count *= size
    # Every element takes at least its 4-byte length: a count the bytes cannot hold is a lie,
    # refused before anything is allocated for it.
    offset = 12 + 8 * dimensions
    if count > MAX_ARRAY_ELEMENTS:
        raise BadParameter(
            "54000", f"array size exceeds the maximum allowed ({MAX_ARRAY_ELEMENTS})"
        )
    if count * 4 > len(value) - offset:
        raise BadParameter("08P01", "insufficient data left in message")
    flat = _elements(value, offset, count, element_oid)
    for size in reversed(sizes[1:]):
        flat = [flat[i : i + size] for i in range(0, len(flat), size)]
    return flat


_FIXED_ELEMENTS = {
    INT2: ">i2",
    INT4: ">i4",
    INT8: ">i8",
    FLOAT4: ">f4",
    FLOAT8: ">f8",
    OID: ">u4",
}


def _elements(value: bytes, offset: int, count: int, element_oid: int) -> list[Any]:
    width = np.dtype(_FIXED_ELEMENTS.get(element_oid, ">i4")).itemsize
    if element_oid in _FIXED_ELEMENTS and len(value) - offset == count * (4 + width):
        # No NULLs, every element its fixed width: read them all at once.
        layout = np.dtype([("length", ">i4"), ("value", _FIXED_ELEMENTS[element_oid])])
        records = np.frombuffer(value, dtype=layout, count=count, offset=offset)
        if bool((records["length"] == width).all()):
            return list(records["value"].tolist())
    elements: list[Any] = []
    for _ in range(count):
        (length,) = struct.unpack_from("!i", value, offset)
        offset += 4
        if length < 0:
            elements.append(None)
            continue
        if offset + length > len(value):
            raise BadParameter("22P03", "insufficient data left in message")
        elements.append(_decode_binary(value[offset : offset + length], element_oid))
        offset += length
    if offset != len(value):
        raise BadParameter("22P03", "incorrect binary data format in array")
    return elements


def _numeric_from_binary(value: bytes) -> Decimal:
    count, weight, sign, scale = struct.unpack("!hhHH", value[:8])
    groups = struct.unpack(f"!{count}H", value[8 : 8 + 2 * count])
    if sign == 0xC000:
        return Decimal("NaN")
    with localcontext(prec=1000):  # exact: PostgreSQL numerics run to 1000 digits
        number = sum(Decimal(g) * Decimal(10000) ** (weight - i) for i, g in enumerate(groups))
        number = number.quantize(Decimal(1).scaleb(-scale)) if count else Decimal(0)
        return -number if sign == 0x4000 else number
