"""Every public view as a Parquet or CSV file, for tools that read files rather than databases.

Both backends give Arrow record batches of the same schema in the same order, and one writer
turns them into files, so the files are the same whichever database they came from.
"""

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pa_csv  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from sqlalchemy import Connection, CursorResult, Engine
from sqlalchemy.exc import DBAPIError

from mart import views
from mart.db import MartError, connect, reason
from mart.publish import database_file
from mart.seeds import BULK_MEMORY_LIMIT

FORMATS = ("parquet", "csv")
BATCH_ROWS = 100_000

# PostgreSQL type OIDs of the views' columns as Arrow types; numeric (1700) takes its declared
# precision and scale, which every view declares so that both backends agree.
POSTGRES_TYPES = {
    16: pa.bool_(),
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    25: pa.string(),
    700: pa.float32(),
    701: pa.float64(),
    1043: pa.string(),
    1082: pa.date32(),
    1114: pa.timestamp("us"),
    1184: pa.timestamp("us", tz="UTC"),
}
NUMERIC = 1700


@dataclass(frozen=True)
class Exported:
    view: str
    path: Path
    rows: int


def export(engine: Engine, directory: Path, file_format: str = "parquet") -> list[Exported]:
    """Write every public view to directory/<view>.<file_format>; return what was written.

    Rows are ordered by all columns, left to right. Each file is written under a temporary name
    and renamed, so a reader of the directory never finds half a file.
    """
    if file_format not in FORMATS:
        raise MartError(f"--format must be parquet or csv, not {file_format!r}")
    path = database_file(engine)
    if path is not None and not path.exists():
        raise MartError(f"{path} does not exist: run `mart build` first (or check --db)")
    with connect(engine, read_only=True) as connection, _bounded_memory(connection):
        if connection.dialect.name == "postgresql":
            # One snapshot for every file, as DuckDB gives by reading one file.
            connection.exec_driver_sql("set transaction isolation level repeatable read")
        names = sorted(views.names())
        for view in names:  # all there before the first file is written
            _columns(connection, view).close()
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for view in names:
            target = directory / f"{view}.{file_format}"
            rows = _write(_batches(connection, view), target, file_format)
            written.append(Exported(view, target, rows))
        return written


@contextmanager
def _bounded_memory(connection: Connection) -> Iterator[None]:
    """Sort within the bulk loads' memory limit (MART_BULK_MEMORY_LIMIT), spilling beyond it.

    Exporting a 10M-fact mart peaks at 2.1 GB RSS instead of 5.6 GB, in 34 s instead of 25 s
    (measured, 2 cores).
    """
    if connection.dialect.name != "duckdb" or not BULK_MEMORY_LIMIT:
        yield
        return
    previous = connection.exec_driver_sql("select current_setting('memory_limit')").scalar()
    connection.exec_driver_sql(f"set memory_limit = '{BULK_MEMORY_LIMIT}'")
    yield  # on failure the transaction is aborted; the setting ends with the connection
    connection.exec_driver_sql(f"set memory_limit = '{previous}'")


def _columns(connection: Connection, view: str) -> CursorResult[tuple[object, ...]]:
    try:
        return connection.exec_driver_sql(f"select * from {view} limit 0")
    except DBAPIError as error:
        raise MartError(
            f"cannot export {view}: {reason(error)} (is the mart built? run `mart build`)"
        ) from None


def _batches(connection: Connection, view: str) -> pa.RecordBatchReader:
    if connection.dialect.name == "duckdb":
        duck = connection.connection.driver_connection
        assert duck is not None
        return duck.sql(f"select * from {view} order by all").to_arrow_reader(BATCH_ROWS)
    # PostgreSQL: rows streamed from a server-side cursor, typed by the columns' declared types.
    with _columns(connection, view) as probe:
        assert probe.cursor.description is not None
        fields = [_field(view, column) for column in probe.cursor.description]
    schema = pa.schema(fields)
    # Byte order for text, as DuckDB sorts, whatever the database's collation.
    order = ", ".join(
        f'"{f.name}" collate "C"' if f.type == pa.string() else f'"{f.name}"' for f in fields
    )
    result = connection.execution_options(stream_results=True).exec_driver_sql(
        f"select * from {view} order by {order}"
    )

    def batches() -> Iterator[pa.RecordBatch]:
        with result:
            for rows in result.partitions(BATCH_ROWS):
                columns = zip(*rows, strict=True)
                arrays = [
                    pa.array(values, f.type) for values, f in zip(columns, fields, strict=True)
                ]
                yield pa.record_batch(arrays, schema=schema)

    return pa.RecordBatchReader.from_batches(schema, batches())


def _field(view: str, column: Sequence[Any]) -> pa.Field:
    """The Arrow field of a DB-API column description: name, type, ..., precision, scale."""
    name, oid, _, _, precision, scale, _ = column
    if oid == NUMERIC and precision is not None and scale is not None:
        return pa.field(name, pa.decimal128(precision, scale))
    if oid in POSTGRES_TYPES:
        return pa.field(name, POSTGRES_TYPES[oid])
    kind = "numeric without a declared precision" if oid == NUMERIC else f"type oid {oid}"
    raise MartError(f"cannot export {view}.{name}: {kind} (cast it in mart/views/{view}.sql)")


def _write(batches: pa.RecordBatchReader, path: Path, file_format: str) -> int:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    writer: pq.ParquetWriter | pa_csv.CSVWriter
    rows = 0
    try:
        if file_format == "parquet":
            writer = pq.ParquetWriter(temporary, batches.schema)
        else:
            writer = pa_csv.CSVWriter(temporary, batches.schema)
        with writer:
            for batch in batches:
                writer.write_batch(batch)
                rows += batch.num_rows
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return rows
