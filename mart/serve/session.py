"""A session after start-up, as a state machine over the client's messages: prepared statements,
portals, SQL cursors and the transaction, with no I/O of its own.

message(kind, body) acts on one message; what is answered goes to an Output (connection.py's
socket, or a list in a test), and what runs on DuckDB to an Executor (executor.py). What a
session is in (its transaction, savepoints and settings) is state.py's.
"""

import struct
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as dt_time
from decimal import Decimal
from typing import Any, Protocol

import pyarrow as pa  # type: ignore[import-untyped]

from mart.serve import copy, errors, protocol, rows, types
from mart.serve.executor import Chunk, Executor, Result, parameter_count
from mart.serve.protocol import ClientGone
from mart.serve.sql import SqlError, Statement, translate
from mart.serve.state import FAILED, IDLE, IN_TRANSACTION, REPORTED, SessionState

SMALL_BATCH = 64  # rows: a batch this small is encoded from Python values (_tuples)


class Output(Protocol):
    """Where a session's answers go: send() buffers, flush() delivers what is buffered."""

    def send(self, data: bytes) -> None: ...

    def flush(self) -> None: ...


@dataclass
class Prepared:
    statement: Statement
    parameter_types: list[int]
    text: str = ""  # as the client sent it: its $n are the parameters Bind gives


@dataclass(eq=False)
class Portal:
    prepared: Prepared
    parameters: list[Any]
    result_formats: list[int]
    # Its columns once described, and its rows once run (result.batches).
    result: Result | None = None
    pending: Chunk | None = None
    done: bool = False
    # A SQL cursor (DECLARE): it lives until CLOSE or the end of its transaction; one WITH HOLD
    # outlives the transaction once that commits (committed), until CLOSE or the session's end.
    declared: bool = False
    hold: bool = False
    committed: bool = False

    @property
    def columns(self) -> list[rows.Column]:
        assert self.result is not None
        return self.result.columns

    @property
    def formats(self) -> list[int]:
        assert self.result is not None
        return self.result.formats

    @property
    def started(self) -> bool:
        """Its rows have begun to stream (not only described)."""
        return self.result is not None and self.result.batches is not None


class Session:
    """One client's session, from its first ReadyForQuery to Terminate."""

    def __init__(self, state: SessionState, executor: Executor, output: Output) -> None:
        self.state = state
        self.executor = executor
        self.output = output
        self.prepared: dict[str, Prepared] = {}
        self.portals: dict[str, Portal] = {}
        self.open: list[Portal] = []  # portals whose result a cursor holds
        self.skipping = False  # after an error in an extended-query batch: ignore until Sync
        # What pg_stat_activity shows (as PostgreSQL's pgstat_report_activity() keeps it): the
        # last query string sent, active from its Query, Parse, Bind or Execute until
        # ReadyForQuery.
        self.query = ""
        self.busy = False
        self.query_start: datetime | None = None
        self.xact_start: datetime | None = None
        self.state_change: datetime | None = None

    def send(self, data: bytes) -> None:
        self.output.send(data)

    # -- the messages ---------------------------------------------------------------------
    def message(self, kind: bytes, body: bytes) -> bool:
        """Act on one message of the client's; False once it says Terminate."""
        if kind == protocol.TERMINATE:
            return False
        if kind == protocol.SYNC:
            self.skipping = False
            self._end_of_cycle()
            return True
        if kind == protocol.FLUSH:
            self.output.flush()
            return True
        if self.skipping:
            return True
        try:
            if kind == protocol.QUERY:
                self._simple_query(protocol.cstrings(body)[0])
            elif kind == protocol.PARSE:
                self._parse(body)
            elif kind == protocol.BIND:
                self._bind(body)
            elif kind == protocol.DESCRIBE:
                self._describe(body)
            elif kind == protocol.EXECUTE:
                self._execute(body)
            elif kind == protocol.CLOSE:
                self._close(body)
            else:
                raise SqlError("0A000", f"message type {kind!r} is not supported by mart serve")
        except (ClientGone, ConnectionError, TimeoutError):
            raise
        except Exception as error:  # a SQL error, or a message we cannot read
            # A failed statement's result, and any other left open, goes now: an aborted
            # block runs nothing until it ends, and an implicit one ends at the next Sync.
            for portal in list(self.open):
                if not portal.committed:
                    self._close_result(portal)
            self.state.failed()
            self._send_error(errors.of_session(error))
            if kind == protocol.QUERY:
                self._end_of_cycle()
            else:
                self.skipping = True
        return True

    def close(self, clean: bool) -> bool:
        """The session is over: every result closed, every cursor given back or discarded.

        A cursor goes back to the pool only if its results closed without an error and the
        session ended with Terminate (clean); otherwise (the client vanished mid-result, a
        send timed out) it is closed, and the next session gets a fresh one.
        """
        for portal in list(self.open):
            clean = self._close_result(portal) and clean
        self.portals.clear()
        self.executor.give_back(reuse=clean)
        return clean

    def _simple_query(self, text: str) -> None:
        """Run each statement in turn; the first error ends the string (message() answers it)."""
        self._report(text)
        for statement in translate(text):
            if statement.kind == "empty":
                self.send(protocol.EMPTY_QUERY_RESPONSE)
            elif statement.error is not None:  # refused: the statements before it have run
                raise statement.error
            else:
                portal = Portal(Prepared(statement, []), [], [])
                try:
                    self._run(portal, max_rows=0, describe=True)
                finally:
                    self._close_result(portal)
        self._end_of_cycle()

    def _parse(self, body: bytes) -> None:
        name, query = protocol.cstrings(body, 2)
        self._report(query)
        offset = len(name.encode()) + len(query.encode()) + 2
        (count,) = struct.unpack_from("!h", body, offset)
        parameter_types = list(struct.unpack_from(f"!{count}i", body, offset + 2))
        statements = [s for s in translate(query) if s.kind != "empty"]
        if len(statements) > 1:
            raise SqlError("42601", "cannot insert multiple commands into a prepared statement")
        statement = statements[0] if statements else Statement("empty", "", "")
        if name and name in self.prepared:
            raise SqlError("42P05", f'prepared statement "{name}" already exists')
        if statement.kind in ("query", "declare", "copy") or parameter_count(query):
            parameter_types = self.executor.parameter_types(query, parameter_types)
        self.prepared[name] = Prepared(statement, parameter_types, query)
        self.send(protocol.PARSE_COMPLETE)

    def _bind(self, body: bytes) -> None:
        portal_name, statement_name = protocol.cstrings(body, 2)
        offset = len(portal_name.encode()) + len(statement_name.encode()) + 2
        prepared = self.prepared.get(statement_name)
        if prepared is None:
            raise SqlError("26000", f'prepared statement "{statement_name}" does not exist')
        self._report(prepared.text)
        formats, offset = protocol.int16s(body, offset)
        (count,) = struct.unpack_from("!h", body, offset)
        offset += 2
        if len(formats) not in (0, 1, count):
            raise SqlError("08P01", f"bind message has {len(formats)} parameter formats")
        values: list[Any] = []
        for i in range(count):
            (length,) = struct.unpack_from("!i", body, offset)
            offset += 4
            raw = None if length < 0 else body[offset : offset + length]
            offset += max(length, 0)
            fmt = formats[0] if len(formats) == 1 else (formats[i] if formats else 0)
            oid = prepared.parameter_types[i] if i < len(prepared.parameter_types) else 0
            try:
                values.append(rows.decode_parameter(raw, oid, fmt == 1))
            except rows.BadParameter as error:
                raise SqlError(error.sqlstate, error.message) from None
            except (struct.error, ValueError, OverflowError, ArithmeticError):
                raise SqlError(
                    "22P03" if fmt == 1 else "22P02",
                    f"incorrect {'binary data' if fmt == 1 else 'text'} format "
                    f"in bind parameter {i + 1}",
                ) from None
        result_formats, _ = protocol.int16s(body, offset)
        replaced = self.portals.pop(portal_name, None)
        if replaced is not None:  # as PostgreSQL drops an unnamed portal bound again
            self._close_result(replaced)
        self.portals[portal_name] = Portal(prepared, values, result_formats)
        self.send(protocol.BIND_COMPLETE)

    def _describe(self, body: bytes) -> None:
        target, name = body[:1], protocol.cstrings(body[1:])[0]
        if target == b"S":
            prepared = self.prepared.get(name)
            if prepared is None:
                raise SqlError("26000", f'prepared statement "{name}" does not exist')
            count = max(len(prepared.parameter_types), parameter_count(prepared.text))
            oids = [
                t or types.TEXT
                for t in prepared.parameter_types + [0] * (count - len(prepared.parameter_types))
            ]
            self.send(protocol.parameter_description(oids))
            portal = Portal(prepared, [_placeholder(oid) for oid in oids], [])
            self._describe_portal(portal, bind_only=True)
        else:
            bound = self.portals.get(name)
            if bound is None:
                raise SqlError("34000", f'portal "{name}" does not exist')
            self._describe_portal(bound, bind_only=bound.declared)

    def _describe_portal(self, portal: Portal, bind_only: bool = False) -> None:
        statement = portal.prepared.statement
        if statement.kind == "fetch" and statement.tag == "FETCH" and not bind_only:
            declared = self._declared(statement.name)
            formats = rows.formats_for(declared.columns, portal.result_formats)
            self.send(rows.row_description(declared.columns, formats))
        elif statement.kind in ("query", "show", "set_config"):
            self._open(portal, bind_only=bind_only)
            self.send(rows.row_description(portal.columns, portal.formats))
        else:
            self.send(protocol.NO_DATA)

    def _execute(self, body: bytes) -> None:
        name = protocol.cstrings(body)[0]
        (max_rows,) = struct.unpack_from("!i", body, len(name.encode()) + 1)
        portal = self.portals.get(name)
        if portal is None:
            raise SqlError("34000", f'portal "{name}" does not exist')
        self._report(portal.prepared.text)
        if portal.prepared.statement.kind == "empty":
            self.send(protocol.EMPTY_QUERY_RESPONSE)
            return
        self._run(portal, max_rows=max_rows, describe=False)

    def _close(self, body: bytes) -> None:
        target, name = body[:1], protocol.cstrings(body[1:])[0]
        if target == b"S":
            self.prepared.pop(name, None)
        else:
            closed = self.portals.pop(name, None)
            if closed is not None:
                self._close_result(closed)
        self.send(protocol.CLOSE_COMPLETE)

    # -- running statements ---------------------------------------------------------------
    def _run(self, portal: Portal, max_rows: int, describe: bool) -> None:
        """One statement (a simple query's, or an Execute), under the statement timeout.

        The timeout covers the whole statement: DuckDB's work and the time spent sending rows
        to a client that reads them slowly, or not at all (flush).
        """
        with self.executor.statement(self.state.timeout_ms):
            self._run_statement(portal, max_rows, describe)

    def _run_statement(self, portal: Portal, max_rows: int, describe: bool) -> None:
        statement = portal.prepared.statement
        self.state.may_run(statement)
        if statement.kind == "set_config":
            self._set_config(statement)
        if statement.kind in ("query", "show", "set_config"):
            if not portal.started:  # not yet run by a Describe
                self._open(portal)
            if describe:
                self.send(rows.row_description(portal.columns, portal.formats))
            self._send_rows(portal, max_rows)
            return
        if statement.kind == "copy":
            self._copy(portal)
            return
        if statement.kind == "declare":
            self._declare(portal)
        elif statement.kind == "fetch":
            self._fetch(portal, describe)
            return
        elif statement.kind == "close":
            self._close_cursors(statement.name)
        elif statement.kind == "set":
            self._set(statement)
        elif statement.kind == "noop":
            self._noop(statement)
        elif statement.kind == "transaction":
            tag = self._transaction(statement)
            self.send(protocol.command_complete(tag))
            return
        self.send(protocol.command_complete(statement.tag))

    def _open(self, portal: Portal, bind_only: bool = False) -> None:
        """The portal's columns now, and its rows when fetched (bind_only: columns only)."""
        statement = portal.prepared.statement
        if statement.kind == "set_config":  # the value it sets (before Execute sets it)
            portal.result = _answer(["set_config"], [(statement.value,)], portal.result_formats)
            return
        if statement.kind == "show":
            name = statement.name
            if name == "all":
                names = ["name", "setting", "description"]
                shown: list[tuple[Any, ...]] = [
                    (n, v, "") for n, v in sorted(self.state.settings.items())
                ]
            elif name in self.state.settings:  # the column named as PostgreSQL spells it
                names, shown = [REPORTED.get(name, name)], [(self.state.settings[name],)]
            else:
                raise SqlError("42704", f'unrecognized configuration parameter "{name}"')
            portal.result = _answer(names, shown, portal.result_formats)
            return
        portal.result = self.executor.open(
            statement, portal.parameters, portal.result_formats, bind_only=bind_only
        )
        if not bind_only:
            self.open.append(portal)

    def _send_rows(self, portal: Portal, max_rows: int) -> None:
        sent_now = self._emit(portal, max_rows)
        if not portal.done and portal.pending is None:
            assert portal.result is not None
            portal.pending = self.executor.next_batch(portal.result)
            portal.done = portal.pending is None
        if not portal.done:
            self.send(protocol.PORTAL_SUSPENDED)
            return
        self._close_result(portal)
        # The rows of this Execute, as PostgreSQL counts them for a portal run in pieces.
        tag = "SHOW" if portal.prepared.statement.kind == "show" else f"SELECT {sent_now}"
        self.send(protocol.command_complete(tag))

    def _emit(
        self, portal: Portal, max_rows: int, formats: list[int] | None = None, send: bool = True
    ) -> int:
        """Send up to max_rows (<= 0: all) of the portal's rows as DataRows (in formats, by
        default the portal's; send=False: read past them, as MOVE does); how many there were."""
        result = portal.result
        assert result is not None and result.batches is not None
        formats = result.formats if formats is None else formats
        sent_now = 0
        while max_rows <= 0 or sent_now < max_rows:
            chunk = portal.pending
            portal.pending = None
            if chunk is None:
                if portal.done:
                    break
                chunk = self.executor.next_batch(result)
                if chunk is None:
                    portal.done = True
                    break
            size = len(chunk)
            if max_rows > 0 and sent_now + size > max_rows:
                take = max_rows - sent_now
                chunk, portal.pending = chunk[:take], chunk[take:]
                size = take
            if send:
                if not isinstance(chunk, list) and size <= SMALL_BATCH:
                    chunk = _tuples(chunk)
                if isinstance(chunk, list):
                    self.send(rows.encode_rows(chunk, result.columns, formats))
                else:
                    self.send(rows.data_rows(chunk, result.columns, formats))
            sent_now += size
        return sent_now

    def _close_result(self, portal: Portal) -> bool:
        """Let go of the portal's DuckDB result (its unread rows with it); False if it failed."""
        if portal in self.open:
            self.open.remove(portal)
        if portal.result is None:
            return True
        return self.executor.close(portal.result)

    # -- COPY and SQL cursors -------------------------------------------------------------
    def _copy(self, portal: Portal) -> None:
        """COPY ... TO STDOUT: CopyOutResponse, a CopyData per line or tuple, CopyDone.

        Rows stream in DuckDB's batches as a query's do, under the statement timeout: a client
        that does not read a huge COPY holds one batch, and is dropped at its timeout.
        """
        statement = portal.prepared.statement
        chosen = copy.CopyOptions.loads(statement.value)
        if statement.name and self.executor.is_view(statement.name):
            # As PostgreSQL refuses it: only a table's rows are copied so.
            raise SqlError(
                "42809",
                f'cannot copy from view "{statement.name.rpartition(".")[2]}"',
                hint="Try the COPY (SELECT ...) TO variant.",
            )
        binary = chosen.format == "binary"
        query = Statement("query", statement.sql, "SELECT")
        described = self.executor.open(
            query, portal.parameters, [1] if binary else [], bind_only=True
        )
        columns, formats = described.columns, described.formats
        sql = rows.wire_sql(statement.sql, columns, formats)
        if not binary:
            sql = copy.line_sql(sql, [c.name for c in columns], chosen)
        self.send(copy.copy_out_response(len(columns), binary))
        if chosen.header:
            self.send(copy.copy_data(copy.header_line([c.name for c in columns], chosen)))
        result = self.executor.stream(sql, portal.parameters, columns, formats)
        count = 0
        try:
            while True:
                batch = self.executor.next_batch(result)
                if batch is None:
                    break
                assert not isinstance(batch, list)  # DuckDB's, a record batch
                if not batch.num_rows:
                    continue
                if binary:
                    data = rows.data_rows(batch, columns, formats, kind=b"d")
                    self.send(copy.with_binary_header(data) if count == 0 else data)
                else:
                    self.send(rows.framed(batch.column(0)))
                count += batch.num_rows
        finally:
            self.executor.close(result)
        if binary:
            self.send(
                copy.copy_data(copy.BINARY_HEADER + b"\xff\xff")
                if count == 0
                else copy.BINARY_TRAILER
            )
        self.send(copy.COPY_DONE)
        self.send(protocol.command_complete(f"COPY {count}"))

    def _declared(self, name: str) -> Portal:
        declared = self.portals.get(name)
        if declared is None:
            raise SqlError("34000", f'cursor "{name}" does not exist')
        return declared

    def _declare(self, portal: Portal) -> None:
        statement = portal.prepared.statement
        hold = statement.value == "hold"
        if not hold and not self._in_block():
            raise SqlError("25P01", "DECLARE CURSOR can only be used in transaction blocks")
        if statement.name in self.portals:
            raise SqlError("42P03", f'cursor "{statement.name}" already exists')
        declared = Portal(
            Prepared(Statement("query", statement.sql, "SELECT"), []),
            portal.parameters,
            [],
            declared=True,
            hold=hold,
            committed=hold and not self._in_block(),
        )
        self._open(declared, bind_only=True)  # a query that cannot run fails now, as in PG
        self.portals[statement.name] = declared

    def _in_block(self) -> bool:
        return self.state.status != IDLE

    def _fetch(self, portal: Portal, describe: bool) -> None:
        """FETCH n / ALL / MOVE: the next rows of a cursor, which stays open until CLOSE."""
        statement = portal.prepared.statement
        declared = self._declared(statement.name)
        move = statement.tag == "MOVE"
        formats = rows.formats_for(declared.columns, portal.result_formats)
        if not declared.started:  # its first FETCH: the rows start to stream now
            declared.result_formats = formats
            self._open(declared)
        if describe and not move:
            self.send(rows.row_description(declared.columns, formats))
        count = 0 if statement.value == "all" else int(statement.value)
        if not move and formats != declared.formats:
            raise SqlError(
                "0A000",
                "mart serve sends a cursor's rows in the formats of its first FETCH only",
            )
        fetched = self._emit(declared, count, send=not move)
        if declared.done and declared.pending is None:
            self._close_result(declared)  # its DuckDB result; the cursor stays, at its end
        self.send(protocol.command_complete(f"{statement.tag} {fetched}"))

    def _close_cursors(self, name: str) -> None:
        names = [name] if name else [n for n, p in self.portals.items() if p.declared]
        if name:
            self._declared(name)
        for each in names:
            self._close_result(self.portals.pop(each))

    def _drop_portals(self, committed: bool = True) -> None:
        """End of a transaction: its portals go, unread rows and all (as in PostgreSQL), but
        for cursors declared WITH HOLD in a transaction that committed, or before it."""
        kept = {
            name: portal
            for name, portal in self.portals.items()
            if portal.hold and (portal.committed or committed)
        }
        for portal in kept.values():
            portal.committed = True
        for portal in list(self.open):
            if not any(portal is other for other in kept.values()):
                self._close_result(portal)
        self.portals = kept
        self.state.savepoints.clear()

    # -- session statements ---------------------------------------------------------------
    def _set(self, statement: Statement) -> None:
        reported = self.state.set(statement)
        if reported is not None:
            self.send(protocol.parameter_status(*reported))

    def _set_config(self, statement: Statement) -> None:
        """set_config('name', 'value', false): SET, where '' is a value (SET's "" is RESET)."""
        if statement.value:
            self._set(statement)
            return
        self.state.settings[statement.name] = ""
        if statement.name in REPORTED:
            self.send(protocol.parameter_status(REPORTED[statement.name], ""))

    def _noop(self, statement: Statement) -> None:
        """DEALLOCATE and DISCARD act on the session's own state; LISTEN has nothing to hear."""
        if statement.tag in ("DEALLOCATE ALL", "DISCARD ALL"):
            self.prepared.clear()
        if statement.tag == "DEALLOCATE" and self.prepared.pop(statement.name, None) is None:
            raise SqlError("26000", f'prepared statement "{statement.name}" does not exist')
        if statement.tag == "DISCARD ALL":
            self.state.reset()
            self._close_cursors("")
        if statement.tag == "LOCK TABLE":
            if self.state.status == IDLE:
                raise SqlError("25P01", "LOCK TABLE can only be used in transaction blocks")
            for name in statement.value.split(","):
                if not self.executor.relation_exists(name):
                    raise SqlError("42P01", f'relation "{name}" does not exist')

    def _transaction(self, statement: Statement) -> str:
        tag, ended = self.state.transaction(statement)
        if ended:
            self._drop_portals(committed=tag == "COMMIT")
        return tag

    # -- the end of a cycle ----------------------------------------------------------------
    def _end_of_cycle(self) -> None:
        """Sync, or the end of a simple query: an implicit transaction ends with its portals."""
        if self.state.status == IDLE:
            self._drop_portals()
        self.ready()

    def _report(self, query: str) -> None:
        """The session is active, running query (pg_stat_activity)."""
        now = datetime.now(UTC)
        self.query, self.query_start = query, now
        self.executor.query = query  # DuckDB's errors are placed in it
        if self.xact_start is None:
            self.xact_start = now
        if not self.busy:
            self.busy, self.state_change = True, now

    def activity_state(self) -> str:
        """pg_stat_activity's state."""
        status = self.state.status
        if self.busy:
            return "active"
        if status == IN_TRANSACTION:
            return "idle in transaction"
        if status == FAILED:
            return "idle in transaction (aborted)"
        return "idle"

    def ready(self) -> None:
        """ReadyForQuery: outside a block with no portal open, the cursors go back."""
        if self.state.status == IDLE and not self.open:
            self.executor.give_back()
        if self.busy or self.state_change is None:
            self.busy, self.state_change = False, datetime.now(UTC)
        if self.state.status == IDLE:
            self.xact_start = None
        self.send(protocol.ready_for_query(self.state.status))
        self.output.flush()

    def _send_error(self, error: SqlError) -> None:
        self.send(
            protocol.error_response(
                error.sqlstate, error.message, error.position, detail=error.detail, hint=error.hint
            )
        )


def _answer(names: list[str], values: list[tuple[Any, ...]], result_formats: list[int]) -> Result:
    """A result the session answers itself (SHOW, set_config): text columns, rows at hand."""
    columns = [rows.Column(name, types.TEXT, -1, -1, "VARCHAR") for name in names]
    return Result(columns, rows.formats_for(columns, result_formats), iter([values]))


def _tuples(batch: pa.RecordBatch) -> list[tuple[Any, ...]]:
    """A small batch as rows of Python values: numpy's set-up costs more than a few rows."""
    if batch.num_columns == 0:
        return [()] * batch.num_rows
    return list(zip(*(column.to_pylist() for column in batch.columns), strict=True))


# A value of each type to describe a statement's columns by before its parameters are bound:
# DuckDB types `select $1` by what is bound, so NULL would make it an INTEGER column.
_PLACEHOLDERS: dict[int, Any] = {
    types.BOOL: False,
    types.INT2: 0,
    types.INT4: 0,
    types.INT8: 0,
    types.FLOAT4: 0.0,
    types.FLOAT8: 0.0,
    types.NUMERIC: Decimal(0),
    types.DATE: date(2000, 1, 1),
    types.TIMESTAMP: datetime(2000, 1, 1),
    types.TIMESTAMPTZ: datetime(2000, 1, 1, tzinfo=UTC),
    types.TIME: dt_time(0),
    types.UUID: uuid.UUID(int=0),
    types.BYTEA: b"",
}


def _placeholder(oid: int) -> Any:
    if types.element_type(oid) is not None:
        element = _placeholder(types.element_type(oid) or types.TEXT)
        return [element]
    return _PLACEHOLDERS.get(oid, "")
