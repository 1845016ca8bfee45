"""Result sets on the wire: DuckDB types as PostgreSQL types, rows encoded in bulk.

Values are turned into PostgreSQL's text format by DuckDB itself (one projection of casts),
fetched as Arrow, and the DataRow messages are assembled with numpy: no Python loop per value.
Binary format, which a client may ask for per column, covers the fixed-width types and text.
"""

import struct
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, localcontext
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
    TEXT,
    TIMESTAMP,
    TIMESTAMPTZ,
    VARCHAR,
    array_type,
    postgres_type,
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


def columns_of(relation: duckdb.DuckDBPyRelation) -> list[Column]:
    """The RowDescription of a relation, without running it."""
    return [
        _column(name, kind) for name, kind in zip(relation.columns, relation.types, strict=False)
    ]


def _column(name: str, kind: duckdb.sqltypes.DuckDBPyType) -> Column:
    type_id, spelled = kind.id, str(kind)
    if type_id == "list":
        element = _column(name, kind.child)
        if element.element is not None:  # nested lists: text, as DuckDB spells them
            element = Column(name, TEXT, -1, -1, str(kind.child))
        return Column(name, array_type(element.type_oid), -1, -1, spelled, element)
    oid, size = postgres_type(spelled)
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


def _text_sql(ref: str, column: Column) -> str:
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
        # A PostgreSQL array literal: each element in its own text format, quoted; NULL bare.
        text = _text_sql("x", column.element)
        element = (
            "case when x is null then 'NULL' else '\"' || "
            f"replace(replace({text}, '\\', '\\\\'), '\"', '\\\"') || '\"' end"
        )
        return f"'{{' || array_to_string(list_transform({ref}, lambda x: {element}), ',') || '}}'"
    return f"{ref}::varchar"


def _binary_sql(ref: str, column: Column) -> str:
    """DuckDB SQL giving the value `ref` in the form the binary encoder takes."""
    if column.type_oid in (INT2, INT4, INT8, FLOAT4, FLOAT8, BOOL):
        return ref
    if column.type_oid == DATE:
        return f"(date_diff('day', DATE '2000-01-01', {ref}))::integer"
    if column.type_oid in (TIMESTAMP, TIMESTAMPTZ):  # microseconds since 2000-01-01 (UTC)
        return f"epoch_us({ref}) - {_EPOCH_MICROS}"
    if column.type_oid in (TEXT, VARCHAR, JSON, BYTEA):
        return f"{ref}::blob" if column.type_oid == BYTEA else f"{ref}::varchar"
    if column.type_oid == NUMERIC:
        return f"{ref}::varchar"
    if column.element is not None:
        return f"list_transform({ref}, lambda x: {_binary_sql('x', column.element)})"
    raise SqlError("0A000", f"binary format is not supported for type {column.duckdb_type}")


def wire_sql(sql: str, columns: list[Column], formats: list[int]) -> str:
    """The query wrapped so that DuckDB hands back each column as it goes on the wire."""
    expressions = [
        (_binary_sql if fmt else _text_sql)(f"#{i}", column)
        for i, (column, fmt) in enumerate(zip(columns, formats, strict=True), start=1)
    ]
    return f"select {', '.join(expressions)} from ({sql}) as wire" if expressions else sql


def encode_rows(values: list[tuple[Any, ...]], columns: list[Column], formats: list[int]) -> bytes:
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
        out += b"D" + struct.pack("!i", len(body) + 4) + body
    return bytes(out)


def _binary_value(value: Any, type_oid: int, element: Column | None = None) -> bytes:
    if element is not None:
        return _array_binary(value, element.type_oid)
    if type_oid in _FIXED:
        return bytes(np.array([value], dtype=_FIXED[type_oid]).tobytes())
    if type_oid == NUMERIC:
        return _numeric_binary(value)
    return value if isinstance(value, bytes) else str(value).encode()


def data_rows(batch: pa.RecordBatch, columns: list[Column], formats: list[int]) -> bytes:
    """DataRow messages for every row of a batch, assembled without a per-value loop."""
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
    out[starts] = ord("D")
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
}


def _fixed_binary(
    array: pa.Array, column: Column, valid: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    dtype = _FIXED[column.type_oid]
    filled = array.fill_null(False if column.type_oid == BOOL else 0)
    values = np.asarray(filled.to_numpy(zero_copy_only=False)).astype(dtype)[valid]
    lengths = np.where(valid, dtype.itemsize, -1)
    return values.view(np.uint8).reshape(-1), lengths


def _array_binary(values: list[Any], element_oid: int) -> bytes:
    """PostgreSQL's binary array (array_send): one dimension, lower bound 1."""
    has_null = any(v is None for v in values)
    if not values:
        return struct.pack("!iii", 0, 0, element_oid)
    out = bytearray(struct.pack("!iiiii", 1, int(has_null), element_oid, len(values), 1))
    for value in values:
        if value is None:
            out += struct.pack("!i", -1)
        else:
            data = _binary_value(value, element_oid)
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


def decode_parameter(value: bytes | None, type_oid: int, binary: bool) -> Any:
    """A Bind parameter as the Python value DuckDB binds."""
    if value is None:
        return None
    if binary:
        return _decode_binary(value, type_oid)
    text = value.decode()
    try:
        if type_oid in (INT2, INT4, INT8):
            return int(text)
        if type_oid in (FLOAT4, FLOAT8):
            return float(text)
        if type_oid == NUMERIC:
            return Decimal(text)
        if type_oid == BOOL:
            return text.lower() in ("t", "true", "1", "yes", "on", "y")
        if type_oid == DATE:
            return date.fromisoformat(text)
        if type_oid in (TIMESTAMP, TIMESTAMPTZ):
            return datetime.fromisoformat(text)
    except ValueError:
        raise SqlError("22P02", f"invalid input syntax for type oid {type_oid}: {text!r}") from None
    return text


def _decode_binary(value: bytes, type_oid: int) -> Any:
    layouts = {INT2: "!h", INT4: "!i", INT8: "!q", FLOAT4: "!f", FLOAT8: "!d"}
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
    if type_oid == NUMERIC:
        return _numeric_from_binary(value)
    if type_oid == BYTEA:
        return value
    if type_oid in (0, TEXT, VARCHAR, JSON):
        return value.decode()
    raise SqlError("0A000", f"binary parameters of type oid {type_oid} are not supported")


def _numeric_from_binary(value: bytes) -> Decimal:
    count, weight, sign, scale = struct.unpack("!hhHH", value[:8])
    groups = struct.unpack(f"!{count}H", value[8 : 8 + 2 * count])
    if sign == 0xC000:
        return Decimal("NaN")
    with localcontext(prec=1000):  # exact: PostgreSQL numerics run to 1000 digits
        number = sum(Decimal(g) * Decimal(10000) ** (weight - i) for i, g in enumerate(groups))
        number = number.quantize(Decimal(1).scaleb(-scale)) if count else Decimal(0)
        return -number if sign == 0x4000 else number
