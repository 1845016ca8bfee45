"""A session's statements on DuckDB: its cursors, the version of the file they read, deadlines
and interrupts, and results streamed in Arrow batches.

The session (session.py) says what to run; this module runs it: open(statement, parameters,
formats) gives a Result, its columns now and its rows batch by batch. Nothing here reads or
writes the client's socket.
"""

import dataclasses
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeAlias

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from mart.db import MartError
from mart.serve import errors, parameters, rows, types
from mart.serve.generations import Generation, Published
from mart.serve.registry import BACKEND_PID, TIME_ZONE
from mart.serve.sql import SqlError, Statement, translate
from mart.serve.state import SessionState, duckdb_time_zone

log = logging.getLogger("mart.serve")

BATCH_ROWS = 8192
# Results of one session with rows still to send, each holding a cursor of its own (JDBC reads
# a page of one portal while it runs another); PostgreSQL has no such limit, but each holds
# DuckDB state.
MAX_OPEN_RESULTS = 8
PARAMETER = re.compile(r"\$(\d+)")

# Rows on their way out: Arrow batches from DuckDB's streaming result; SHOW's few as tuples.
Chunk: TypeAlias = list[tuple[Any, ...]] | pa.RecordBatch


class ResourceInUse(Exception):
    """A cursor still held a result: the pool gave out a cursor that was not clean."""


@dataclass(eq=False)
class Result:
    """A statement's columns (with the formats they are sent in) and its rows, as batches.

    batches is None for a statement bound and described but not run. While rows remain, reader
    is DuckDB's streaming result and cursor the cursor it holds: no other statement may run on
    that cursor until the result is read out or closed (Executor.close).
    """

    columns: list[rows.Column]
    formats: list[int]
    batches: Iterator[Chunk] | None = None
    reader: Any = None
    cursor: duckdb.DuckDBPyConnection | None = None


class Executor:
    """One session's DuckDB side. state is the session's (its TimeZone goes to each cursor);
    query is the text the client sent last, which DuckDB's errors are placed in."""

    def __init__(self, published: Published, state: SessionState) -> None:
        self.published = published
        self.state = state
        self.process_id = 0
        self.query = ""
        self.generation: Generation | None = None
        self.cursors: list[duckdb.DuckDBPyConnection] = []  # checked out, on self.generation
        self.results: list[Result] = []  # results a cursor holds
        self.call_lock = threading.Lock()  # guards running/deadline against interrupts
        self.running: duckdb.DuckDBPyConnection | None = None  # the cursor of a call under way
        self.deadline: float | None = None  # monotonic time the running statement times out at
        self.cancelled_by: str | None = None  # why the running statement is to stop
        self.active = False  # a statement is running (statement())

    # -- statements and their results -----------------------------------------------------
    @contextmanager
    def statement(self, timeout_ms: float) -> Iterator[None]:
        """One statement under its timeout: DuckDB's work and the time its rows take to send."""
        with self.call_lock:
            self.active = True
            self.cancelled_by = None
            self.deadline = time.monotonic() + timeout_ms / 1000 if timeout_ms else None
        try:
            yield
        finally:
            with self.call_lock:
                self.active = False
                self.deadline = None

    def open(
        self,
        statement: Statement,
        values: list[Any],
        result_formats: list[int],
        bind_only: bool = False,
    ) -> Result:
        """Bind the statement on DuckDB: its columns now, its rows as they are read (bind_only:
        described, not run)."""
        cursor = self.cursor()
        assert self.generation is not None
        # Parameters type their query (select $1): only a query without any is described once.
        key = statement.sql
        columns = None if values else self.generation.described.get(key)
        if columns is None:
            sql, bound = statement.sql, bind_values(statement.sql, values)
            cursor, relation = self._on_clean_cursor(
                cursor, lambda c: self._with_pid(c, sql).sql(sql, params=bound)
            )
            if relation is None:
                raise SqlError("0A000", "mart serve runs queries that return rows only")
            described = rows.columns_of(relation, catalog=statement.catalog)
            if statement.tables:
                described = self._with_typmods(cursor, statement, described)
            columns = self.generation.describe(key, described)
        formats = rows.formats_for(columns, result_formats)
        if bind_only:
            return Result(columns, formats)
        return self.stream(rows.wire_sql(statement.sql, columns, formats), values, columns, formats)

    def stream(
        self, sql: str, values: list[Any], columns: list[rows.Column], formats: list[int]
    ) -> Result:
        """Run sql (a described statement as it is sent) and stream its rows.

        A streaming Arrow reader: DuckDB produces a batch as the last one is sent, so a session
        holds one batch, never the whole result (execute()'s reader copies it).
        """
        bound = bind_values(sql, values)
        cursor, reader = self._on_clean_cursor(
            self.cursor(), lambda c: _stream(self._with_pid(c, sql), sql, bound)
        )
        result = Result(columns, formats, _batches(reader), reader, cursor)
        self.results.append(result)
        return result

    def next_batch(self, result: Result) -> Chunk | None:
        """The result's next batch (None: no more), interruptible."""
        batches = result.batches
        assert batches is not None
        return self.call(result.cursor, lambda: next(batches, None))

    def close(self, result: Result) -> bool:
        """Let go of the result's DuckDB result (its unread rows with it); False if it failed."""
        reader, result.reader = result.reader, None
        result.cursor = None
        if result in self.results:
            self.results.remove(result)
        if reader is None:
            return True
        try:
            reader.close()
        except Exception:  # the cursor is in an unknown state: it must not be reused
            log.warning("session %d: a result did not close cleanly", self.process_id)
            return False
        return True

    def parameter_types(self, query: str, given: list[int]) -> list[int]:
        """Each parameter's type as PostgreSQL would infer it (parameters.py), with the ones
        the client gave; the columns compared with are looked up on the mart (once per query
        text and version of the file)."""
        if not given and not parameter_count(query):
            return []
        cursor = self.cursor()
        assert self.generation is not None
        generation = self.generation
        key = f"parameters\0{query}\0{given}"
        known = generation.described.get(key)
        if known is not None:
            return list(known)

        def describe(sql: str) -> list[int]:
            statements = translate(sql)
            relation = self.call(cursor, lambda: cursor.sql(statements[0].sql))
            return [column.type_oid for column in rows.columns_of(relation)]

        inferred = parameters.infer(query, given, describe)
        generation.describe(key, inferred)
        return inferred

    def is_view(self, name: str) -> bool:
        """Whether name (schema-qualified or not) is one of the mart's views."""
        schema, _, relation = name.rpartition(".")
        schema = "main" if schema in ("", "public") else schema
        cursor = self.cursor()
        found = self.call(
            cursor,
            lambda: cursor.execute(
                "select count(*) from duckdb_views() where database_name = 'mart' "
                "and schema_name = ? and view_name = ?",
                [schema, relation],
            ).fetchall(),
        )
        return bool(found[0][0])

    def relation_exists(self, name: str) -> bool:
        """Whether name resolves to a relation as PostgreSQL's regclass would."""
        cursor = self.cursor()
        found = self.call(
            cursor,
            lambda: cursor.execute("select memory.mart_serve.regclass_oid(?)", [name]).fetchall(),
        )
        return found[0][0] is not None

    def _with_typmods(
        self, cursor: duckdb.DuckDBPyConnection, statement: Statement, columns: list[rows.Column]
    ) -> list[rows.Column]:
        """A query's plain columns of the mart's tables and views described as PostgreSQL
        describes them, from the emulated catalog's pg_attribute: varchar(n) with its typmod,
        text as text (DuckDB has one VARCHAR)."""
        assert self.generation is not None
        held = self.generation.typmods.get(statement.tables)
        if held is None:
            held = self.call(
                cursor,
                lambda: cursor.execute(
                    "select c.relname, a.attname, a.atttypmod, a.atttypid "
                    "from memory.pg_compat.pg_attribute as a "
                    "inner join memory.pg_compat.pg_class as c on c.oid = a.attrelid "
                    "where c.relname in (select unnest(?)) and c.relnamespace = 2200 "
                    "and c.relkind in ('r', 'v') and a.attnum > 0 order by a.attnum",
                    [list(statement.tables)],
                ).fetchall(),
            )
            self.generation.typmods.put(statement.tables, held, 100 + 60 * len(held))
        by_table: dict[str, dict[str, tuple[int, int]]] = {}
        for table, name, typmod, oid in held:
            by_table.setdefault(table, {})[name] = (typmod, oid)

        def typmods(table: str, name: str) -> list[tuple[int, int]]:
            if name == "*":
                return list(by_table.get(table, {}).values())
            if not table:  # not qualified: the one table that has the column
                having = [t for t in statement.tables if name in by_table.get(t, {})]
                table = having[0] if len(having) == 1 else ""
            return [by_table.get(table, {}).get(name, (-1, 0))]

        expanded = [t for table, name in statement.table_columns for t in typmods(table, name)]
        if len(expanded) != len(columns):
            return columns
        described = []
        for column, (typmod, oid) in zip(columns, expanded, strict=True):
            if column.type_oid == types.VARCHAR and column.element is None:
                if oid == types.TEXT:
                    column = dataclasses.replace(column, type_oid=types.TEXT)
                elif typmod > 4:
                    column = dataclasses.replace(column, type_modifier=typmod)
            described.append(column)
        return described

    def _with_pid(self, cursor: duckdb.DuckDBPyConnection, sql: str) -> duckdb.DuckDBPyConnection:
        """The cursor, told this session's process id if the statement asks for it
        (pg_backend_pid(), pg_cancel_backend(): the rewrite reads it with getvariable)."""
        if BACKEND_PID in sql:
            cursor.execute(f"set variable {BACKEND_PID} = {self.process_id}")
        return cursor

    def _on_clean_cursor(
        self, cursor: duckdb.DuckDBPyConnection, call: Callable[[duckdb.DuckDBPyConnection], Any]
    ) -> tuple[duckdb.DuckDBPyConnection, Any]:
        """call(cursor), or call(a fresh cursor) if this one came out of the pool still holding
        a result: a bug elsewhere must not fail this session, nor every later one."""
        try:
            return cursor, self.call(cursor, lambda: call(cursor))
        except ResourceInUse:
            log.warning("session %d: a pooled cursor held an open result", self.process_id)
        assert self.generation is not None
        self.cursors.remove(cursor)
        self.published.check_in(self.generation, cursor, reuse=False)
        fresh = self.cursor()
        return fresh, self.call(fresh, lambda: call(fresh))

    # -- interrupts ------------------------------------------------------------------------
    def call(self, cursor: duckdb.DuckDBPyConnection | None, call: Callable[[], Any]) -> Any:
        """Run a DuckDB call on the cursor, interruptible (timeout, cancel), errors as SQLSTATEs."""
        with self.call_lock:
            self.running = cursor
            if self.deadline is not None and self.deadline < time.monotonic():
                self.cancelled_by = "timeout"  # its time went on sending rows
            cancelled = self.cancelled_by is not None
        try:
            if cancelled:  # a cancel or timeout that came while no DuckDB call was running
                raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")
            return call()
        except duckdb.ResourceInUseException:
            raise ResourceInUse() from None
        except duckdb.Error as error:
            raise self._sql_error(error) from None
        except pa.ArrowException as error:  # a fetch through Arrow that DuckDB interrupted
            if "INTERRUPT" in str(error):
                raise self._sql_error(duckdb.InterruptException(str(error))) from None
            raise
        finally:
            with self.call_lock:
                self.running = None

    def _sql_error(self, error: duckdb.Error) -> SqlError:
        name = type(error).__name__
        if name == "InterruptException":
            return errors.interrupted(self.cancelled_by)
        return errors.from_duckdb(name, str(error), self.query, self._describe_sql)

    def _describe_sql(self, sql: str) -> list[int]:
        """The column oids of a PostgreSQL query, bound on the mart and not run: the types of a
        missing function's arguments, for its error."""
        cursor = self.cursor()
        relation = cursor.sql(translate(sql)[0].sql)
        return [column.type_oid for column in rows.columns_of(relation)]

    def interrupt(self, reason: str) -> None:
        """Cancel the statement running now, if any (an idle session has nothing to stop, as
        in PostgreSQL): its DuckDB call is interrupted, or, while it sends rows, its next one
        fails before it starts. reason: "timeout", "user" or "terminate"."""
        with self.call_lock:
            late = self.deadline is not None and self.deadline < time.monotonic()
            if not self.active or (reason == "timeout" and not late):
                return  # the statement that timed out has ended; another may have begun
            self.cancelled_by = reason
            if self.running is not None:
                self.running.interrupt()

    # -- the cursor pool --------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of the session that holds no open result (_free_cursor), in the session's
        TimeZone: DuckDB's is per cursor, and a cursor from the pool may come with another
        session's."""
        cursor = self._free_cursor()
        assert self.generation is not None
        zones = self.generation.zones
        shown = self.state.settings["timezone"]
        if zones.get(id(cursor), "UTC") != shown:
            # The zone as DuckDB knows it, and as SHOW shows it, for current_setting().
            zone, name = (text.replace("'", "''") for text in (duckdb_time_zone(shown), shown))
            setting = f"set TimeZone = '{zone}'; set variable {TIME_ZONE} = '{name}'"
            self.call(cursor, lambda: cursor.execute(setting))
            zones[id(cursor)] = shown
        return cursor

    def _free_cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of the session that holds no open result, on the version it reads.

        Cursors are taken at the first statement after ReadyForQuery and given back at the next
        ReadyForQuery outside a transaction block with no portal left open (give_back): a block
        reads one version of the mart from its first query to COMMIT/ROLLBACK, every other
        statement the newest, and an idle session holds no version at all (an old file's space
        is freed once unused). A suspended portal keeps its cursor; the next statement takes
        another, on the same version.
        """
        held = [result.cursor for result in self.results]
        for cursor in self.cursors:
            if not any(cursor is other for other in held):
                return cursor
        if len(self.cursors) >= MAX_OPEN_RESULTS:
            raise SqlError(
                "54000",
                f"too many portals with rows left in this session (at most {MAX_OPEN_RESULTS})",
            )
        try:
            self.generation, cursor = self.published.check_out(self.generation)
        except MartError as error:
            raise SqlError("58P01", str(error)) from None
        self.cursors.append(cursor)
        return cursor

    def give_back(self, reuse: bool = True) -> None:
        """Every cursor back to the pool (reuse=False: closed), and the version they read."""
        if self.generation is not None:
            for cursor in self.cursors:
                self.published.check_in(self.generation, cursor, reuse=reuse)
        self.cursors.clear()
        self.generation = None


def parameter_count(text: str) -> int:
    """The highest $n in a statement's text."""
    return max((int(n) for n in PARAMETER.findall(text)), default=0)


def bind_values(sql: str, values: Sequence[Any]) -> list[Any] | dict[str, Any] | None:
    """Parameters as DuckDB takes them: by name where the rewrite left some $n out."""
    if not values:
        return None
    used = {int(n) for n in PARAMETER.findall(sql)}
    if used == set(range(1, len(values) + 1)):
        return list(values)
    return {str(n): values[n - 1] for n in used if n <= len(values)}


def _stream(cursor: duckdb.DuckDBPyConnection, sql: str, values: Any) -> Any:
    """A streaming Arrow reader over the statement's result.

    What a relation's to_arrow_reader() runs, without building the relation first: binding it
    in Python costs 0.2 ms, doubling a short query's round trip. duckdb._seam is DuckDB 2.0's
    own layer under its relations; should it go, the relation's reader does the same work.
    """
    if _SUBMIT is not None:
        return _SUBMIT(cursor, sql, values, "stream", BATCH_ROWS).arrow_reader()
    return cursor.sql(sql, params=values).to_arrow_reader(BATCH_ROWS)


_SUBMIT: Any = None
try:
    from duckdb._seam import submit

    _SUBMIT = submit
except ImportError:  # pragma: no cover - another DuckDB
    pass


def _batches(reader: Any) -> Iterator[Chunk]:
    """The record batches of DuckDB's streaming result, as DuckDB produces them."""
    while True:
        try:
            yield reader.read_next_batch()
        except StopIteration:
            return
