"""mart serve's sessions: start-up, authentication, the message loop, statements on DuckDB.

What the bytes of each message are is protocol.py's, what a session is in (its transaction,
savepoints and settings) state.py's; here messages are read, acted on and answered.

One thread per connection: every DuckDB call blocks (and releases the GIL while it runs), so a
thread per client is the simplest model that keeps the event order of each session obvious and
lets another thread interrupt a running query (statement timeout, CancelRequest).
"""

import contextlib
import dataclasses
import ipaddress
import logging
import os
import re
import secrets
import socket
import socketserver
import struct
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as dt_time
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeAlias

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from mart.db import MartError
from mart.serve import copy, errors, functions, parameters, protocol, rows, types
from mart.serve.auth import AuthFailed, Scram, md5_matches
from mart.serve.generations import Generation, Published
from mart.serve.protocol import (
    AUTH_MESSAGE_LIMIT,
    CANCEL_REQUEST,
    GSS_REQUEST,
    PROTOCOL_3,
    SSL_REQUEST,
    STARTUP_LIMIT,
    ProtocolViolation,
)
from mart.serve.rewrite import BACKEND_PID, TIME_ZONE
from mart.serve.sql import SqlError, Statement, translate
from mart.serve.state import (
    _REPORTED,
    FAILED,
    IDLE,
    IN_TRANSACTION,
    SessionState,
    duckdb_time_zone,
)

log = logging.getLogger("mart.serve")

BATCH_ROWS = 8192
# Portals of one session with rows still to send, each holding a cursor of its own (JDBC reads
# a page of one while it runs another); PostgreSQL has no such limit, but each holds DuckDB state.
MAX_OPEN_RESULTS = 8
SMALL_BATCH = 64  # rows: a batch this small is encoded from Python values (_tuples)
PARAMETER = re.compile(r"\$(\d+)")
FLUSH_BYTES = 1 << 20


@dataclass(frozen=True)
class Settings:
    database: Path
    host: str = "127.0.0.1"
    port: int = 15432
    password: str | None = None
    auth: str = "scram-sha-256"  # or "md5"
    statement_timeout: float = 0.0  # seconds; 0 = none; a ceiling sessions may only lower
    max_connections: int = 100
    authentication_timeout: float = 60.0  # seconds from connecting to authenticated
    idle_session_timeout: float = 0.0  # seconds idle outside a transaction; 0 = never
    max_message_size: int = 16 << 20  # bytes, any message after authentication
    memory_limit: str | None = None  # DuckDB's memory_limit; None: default_memory_limit()
    auth_delay: float = 0.5  # seconds before a failed password is answered


class ClientGone(Exception):
    """The client closed the connection (or sent something that cannot be a message)."""


class SendTimedOut(ClientGone):
    """The statement timed out while its rows waited for a client that does not read them."""


class ResourceInUse(Exception):
    """A cursor still held a result: the pool gave out a cursor that was not clean."""


class IdleTimeout(SqlError):
    """The session sat idle past --idle-session-timeout."""


class Terminated(SqlError):
    """pg_terminate_backend() named the session while it was between messages."""


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
    columns: list[rows.Column] | None = None
    formats: list[int] = field(default_factory=list)
    chunks: Iterator["Chunk"] | None = None
    pending: "Chunk | None" = None
    done: bool = False
    # While rows remain: DuckDB's streaming result, and the cursor it holds (no other statement
    # may run on that cursor until the result is read out or closed).
    reader: Any = None
    cursor: duckdb.DuckDBPyConnection | None = None
    # A SQL cursor (DECLARE): it lives until CLOSE or the end of its transaction; one WITH HOLD
    # outlives the transaction once that commits (committed), until CLOSE or the session's end.
    declared: bool = False
    hold: bool = False
    committed: bool = False


# Rows on their way out: Arrow batches from DuckDB's streaming result; SHOW's few as tuples.
Chunk: TypeAlias = list[tuple[Any, ...]] | pa.RecordBatch


class Session(socketserver.StreamRequestHandler):
    """One client connection, from start-up packet to Terminate."""

    server: "MartServer"
    rbufsize = 1 << 16

    def setup(self) -> None:
        super().setup()
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.out = bytearray()
        self.state = SessionState(self.server.ceiling_ms)  # transaction, savepoints, settings
        self.prepared: dict[str, Prepared] = {}
        self.portals: dict[str, Portal] = {}
        self.generation: Generation | None = None
        self.cursors: list[duckdb.DuckDBPyConnection] = []  # checked out, on self.generation
        self.open: list[Portal] = []  # portals whose result a cursor holds
        self.call_lock = threading.Lock()  # guards running/deadline against cancels
        self.running: duckdb.DuckDBPyConnection | None = None  # the cursor of a call under way
        self.deadline: float | None = None  # monotonic time the running statement times out at
        self.cancelled_by: str | None = None  # why the running statement is to stop
        self.active = False  # a statement is running (_run)
        self.terminated = False  # pg_terminate_backend() named this session
        self.process_id = 0
        self.secret = 0
        self.user = ""  # the start-up packet's: pg_cancel_backend() signals the same user's only
        self.read_deadline: float | None = None  # reads time out then (start-up, idle)
        self.startup_read = False
        self.authenticated = False
        self.admitted = False  # holds one of --max-connections' slots
        # What pg_stat_activity shows (as PostgreSQL's pgstat_report_activity() keeps it): the
        # last query string sent, active from its Query, Parse, Bind or Execute until
        # ReadyForQuery.
        self.backend_start = datetime.now(UTC)
        self.query = ""
        self.busy = False
        self.query_start: datetime | None = None
        self.xact_start: datetime | None = None
        self.state_change: datetime | None = None

    # -- start-up -------------------------------------------------------------------------
    def handle(self) -> None:
        clean = False
        try:
            if not self._start():
                return
            self._serve()
            clean = True
        except SendTimedOut:
            log.info(
                "session %d: canceling statement due to statement timeout: the client did not "
                "read its rows; connection closed",
                self.process_id,
            )
        except (IdleTimeout, Terminated) as error:
            self._try_send_error(error.sqlstate, error.message, fatal=True)
            log.info("session %d: %s", self.process_id, error.message)
        except (ClientGone, ConnectionError, TimeoutError):
            pass
        except ProtocolViolation as error:
            self._try_send_error("08P01", str(error), fatal=True)
        finally:
            if self.process_id:
                log.info("session %d: disconnected", self.process_id)
            self.server.forget(self)
            self._tear_down(clean)

    def _tear_down(self, clean: bool) -> None:
        """The session is over: every result closed, every cursor given back or discarded.

        A cursor goes back to the pool only if its results closed without an error and the
        session ended with Terminate; otherwise (the client vanished mid-result, a send timed
        out) it is closed, and the next session gets a fresh one.
        """
        for portal in list(self.open):
            clean = self._close_result(portal) and clean
        self.portals.clear()
        self._give_back_cursors(reuse=clean)

    def _start(self) -> bool:
        """Start-up and authentication, within --authentication-timeout of connecting."""
        limits = self.server.settings
        if limits.authentication_timeout:
            self.read_deadline = time.monotonic() + limits.authentication_timeout
        try:
            started = self._start_up()
        except TimeoutError:
            if self.startup_read:  # as PostgreSQL: a client silent before that is just closed
                self._try_send_error("57014", "canceling authentication due to timeout", True)
                log.info("canceling authentication due to timeout (%s)", self.client_address[0])
            return False
        self.read_deadline = None
        # The start-up's reads ran under the authentication timeout: the session's do not (an
        # idle pooled connection was dropped --authentication-timeout after connecting).
        self.request.settimeout(None)
        return started

    def _start_up(self) -> bool:
        while True:
            length, code = struct.unpack("!ii", self._read(8))
            if not 8 <= length <= STARTUP_LIMIT:
                raise ProtocolViolation("invalid length of startup packet")
            body = self._read(length - 8)
            if code in (SSL_REQUEST, GSS_REQUEST):
                self._write_now(b"N")  # no TLS here: the client may go on in the clear
                continue
            if code == CANCEL_REQUEST and len(body) == 8:
                self.server.cancel(*struct.unpack("!ii", body))
                return False
            if code != PROTOCOL_3:
                raise ProtocolViolation(
                    f"unsupported frontend protocol {code >> 16}.{code & 0xFFFF}"
                )
            break
        self.startup_read = True
        options = protocol.startup_options(body)
        user = options.get("user", "")
        if not user:
            raise ProtocolViolation("no PostgreSQL user name specified in startup packet")
        if not self.server.admit(self):
            log.info("refused a connection from %s: too many clients", self.client_address[0])
            self._try_send_error("53300", "sorry, too many clients already", fatal=True)
            return False
        if self.server.settings.password is not None and not self._authenticate(user):
            return False
        try:  # TimeZone, DateStyle, options=-c ...: honoured or refused (state.py)
            self.state.started(options.get("application_name"), options)
        except SqlError as error:
            self._try_send_error(error.sqlstate, error.message, fatal=True)
            return False
        self.user = user
        self.process_id, self.secret = self.server.register(self)
        log.info(
            "session %d: %s connected from %s (%s)",
            self.process_id,
            user,
            self.client_address[0],
            self.state.settings["application_name"] or "no application name",
        )
        self.authenticated = True
        self.send(protocol.authentication(protocol.AUTH_OK))
        for name, value in self.state.reported():
            self.send(protocol.parameter_status(name, value))
        self.send(protocol.parameter_status("session_authorization", user))
        self.send(protocol.backend_key_data(self.process_id, self.secret))
        self._ready()
        return True

    def _authenticate(self, user: str) -> bool:
        password = self.server.settings.password
        assert password is not None
        try:
            if self.server.settings.auth == "md5":
                salt = secrets.token_bytes(4)
                self._write_now(protocol.authentication(protocol.AUTH_MD5, salt))
                if not md5_matches(self._password_message(), password, user, salt):
                    raise AuthFailed("wrong password")
            else:
                scram = Scram(password)
                self._write_now(protocol.authentication(protocol.AUTH_SASL, b"SCRAM-SHA-256\0\0"))
                initial = self._password_message()
                mechanism, _, rest = initial.partition(b"\0")
                if mechanism != b"SCRAM-SHA-256" or len(rest) < 4:
                    raise AuthFailed("unsupported SASL mechanism")
                server_first = scram.first(rest[4:])
                self._write_now(protocol.authentication(protocol.AUTH_SASL_CONTINUE, server_first))
                server_final = scram.final(self._password_message())
                self._write_now(protocol.authentication(protocol.AUTH_SASL_FINAL, server_final))
        except AuthFailed:
            log.info('password authentication failed for user "%s"', user)
            # As PostgreSQL's auth_delay: each wrong guess costs the guesser this long.
            time.sleep(self.server.settings.auth_delay)
            self._try_send_error(
                "28P01", f'password authentication failed for user "{user}"', fatal=True
            )
            return False
        return True

    def _password_message(self) -> bytes:
        kind, body = self._read_message(AUTH_MESSAGE_LIMIT)
        if kind != protocol.PASSWORD:
            raise ProtocolViolation(f"expected password response, got message type {kind[0]}")
        return body

    # -- the message loop -----------------------------------------------------------------
    def _serve(self) -> None:
        skipping = False  # after an error in an extended-query batch: ignore until Sync
        while True:
            kind, body = self._next_message()
            if self.terminated:
                raise Terminated("57P01", "terminating connection due to administrator command")
            if kind == protocol.TERMINATE:
                return
            if kind == protocol.SYNC:
                skipping = False
                self._end_of_cycle()
                continue
            if kind == protocol.FLUSH:
                self.flush()
                continue
            if skipping:
                continue
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
                    skipping = True

    def _simple_query(self, text: str) -> None:
        """Run each statement in turn; the first error ends the string (_serve answers it)."""
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
        if statement.kind in ("query", "declare", "copy") or _parameter_count(query):
            parameter_types = self._parameter_types(query, parameter_types)
        self.prepared[name] = Prepared(statement, parameter_types, query)
        self.send(protocol.PARSE_COMPLETE)

    def _parameter_types(self, query: str, given: list[int]) -> list[int]:
        """Each parameter's type as PostgreSQL would infer it (parameters.py), with the ones
        the client gave; the columns compared with are looked up on the mart (once per query
        text and version of the file)."""
        if not given and not _parameter_count(query):
            return []
        cursor = self._cursor()
        assert self.generation is not None
        generation = self.generation
        key = f"parameters\0{query}\0{given}"
        known = generation.described.get(key)
        if known is not None:
            return list(known)

        def describe(sql: str) -> list[int]:
            statements = translate(sql)
            relation = self._duckdb(cursor, lambda: cursor.sql(statements[0].sql))
            return [column.type_oid for column in rows.columns_of(relation)]

        inferred = parameters.infer(query, given, describe)
        generation.describe(key, inferred)
        return inferred

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
            count = max(len(prepared.parameter_types), _parameter_count(prepared.text))
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
            assert declared.columns is not None
            formats = rows.formats_for(declared.columns, portal.result_formats)
            self.send(rows.row_description(declared.columns, formats))
        elif statement.kind in ("query", "show", "set_config"):
            self._open(portal, bind_only=bind_only)
            assert portal.columns is not None
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
        timeout_ms = self.state.timeout_ms
        with self.call_lock:
            self.active = True
            self.cancelled_by = None
            self.deadline = time.monotonic() + timeout_ms / 1000 if timeout_ms else None
        try:
            self._run_statement(portal, max_rows, describe)
        finally:
            with self.call_lock:
                self.active = False
                self.deadline = None

    def _run_statement(self, portal: Portal, max_rows: int, describe: bool) -> None:
        statement = portal.prepared.statement
        self.state.may_run(statement)
        if statement.kind == "set_config":
            self._set_config(statement)
        if statement.kind in ("query", "show", "set_config"):
            if portal.chunks is None:  # not yet run by a Describe
                self._open(portal)
            if describe:
                assert portal.columns is not None
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
        """Bind the portal's statement on DuckDB: its columns now, its rows when fetched."""
        statement = portal.prepared.statement
        if statement.kind == "set_config":  # the value it sets (before Execute sets it)
            portal.columns = [rows.Column("set_config", types.TEXT, -1, -1, "VARCHAR")]
            portal.formats = rows.formats_for(portal.columns, portal.result_formats)
            portal.chunks = iter([[(statement.value,)]])
            return
        if statement.kind == "show":
            name = statement.name
            if name == "all":
                names = ["name", "setting", "description"]
                shown: list[tuple[Any, ...]] = [
                    (n, v, "") for n, v in sorted(self.state.settings.items())
                ]
            elif name in self.state.settings:  # the column named as PostgreSQL spells it
                names, shown = [_REPORTED.get(name, name)], [(self.state.settings[name],)]
            else:
                raise SqlError("42704", f'unrecognized configuration parameter "{name}"')
            portal.columns = [rows.Column(n, types.TEXT, -1, -1, "VARCHAR") for n in names]
            portal.formats = rows.formats_for(portal.columns, portal.result_formats)
            portal.chunks = iter([shown])
            return
        cursor = self._cursor()
        assert self.generation is not None
        # Parameters type their query (select $1): only a query without any is described once.
        key = statement.sql
        columns = None if portal.parameters else self.generation.described.get(key)
        if columns is None:
            sql, values = statement.sql, _bind_values(statement.sql, portal.parameters)
            cursor, relation = self._on_clean_cursor(
                cursor, lambda c: self._with_pid(c, sql).sql(sql, params=values)
            )
            if relation is None:
                raise SqlError("0A000", "mart serve runs queries that return rows only")
            described = rows.columns_of(relation, catalog=statement.catalog)
            if statement.tables:
                described = self._with_typmods(cursor, statement, described)
            columns = self.generation.describe(key, described)
        portal.columns = columns
        portal.formats = rows.formats_for(columns, portal.result_formats)
        if bind_only:
            return
        wire = rows.wire_sql(statement.sql, columns, portal.formats)
        # A streaming Arrow reader: DuckDB produces a batch as the last one is sent, so a
        # session holds one batch, never the whole result (execute()'s reader copies it).
        values = _bind_values(wire, portal.parameters)
        cursor, portal.reader = self._on_clean_cursor(
            cursor, lambda c: _stream(self._with_pid(c, wire), wire, values)
        )
        portal.cursor = cursor
        portal.chunks = _batches(portal.reader)
        self.open.append(portal)

    def _with_typmods(
        self, cursor: duckdb.DuckDBPyConnection, statement: Statement, columns: list[rows.Column]
    ) -> list[rows.Column]:
        """A query's plain columns of the mart's tables and views described as PostgreSQL
        describes them, from the emulated catalog's pg_attribute: varchar(n) with its typmod,
        text as text (DuckDB has one VARCHAR)."""
        assert self.generation is not None
        held = self.generation.typmods.get(statement.tables)
        if held is None:
            held = self._duckdb(
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
        self, cursor: duckdb.DuckDBPyConnection, call: Any
    ) -> tuple[duckdb.DuckDBPyConnection, Any]:
        """call(cursor), or call(a fresh cursor) if this one came out of the pool still holding
        a result: a bug elsewhere must not fail this session, nor every later one."""
        try:
            return cursor, self._duckdb(cursor, lambda: call(cursor))
        except ResourceInUse:
            log.warning("session %d: a pooled cursor held an open result", self.process_id)
        assert self.generation is not None
        self.cursors.remove(cursor)
        self.server.published.check_in(self.generation, cursor, reuse=False)
        fresh = self._cursor()
        return fresh, self._duckdb(fresh, lambda: call(fresh))

    def _send_rows(self, portal: Portal, max_rows: int) -> None:
        sent_now = self._emit(portal, max_rows)
        if not portal.done and portal.pending is None:
            chunks, cursor = portal.chunks, portal.cursor
            assert chunks is not None
            portal.pending = self._duckdb(cursor, lambda: next(chunks, None))
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
        assert portal.columns is not None and portal.chunks is not None
        chunks = portal.chunks
        cursor = portal.cursor
        formats = portal.formats if formats is None else formats
        sent_now = 0
        while max_rows <= 0 or sent_now < max_rows:
            chunk = portal.pending
            portal.pending = None
            if chunk is None:
                if portal.done:
                    break
                chunk = self._duckdb(cursor, lambda: next(chunks, None))
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
                    self.send(rows.encode_rows(chunk, portal.columns, formats))
                else:
                    self.send(rows.data_rows(chunk, portal.columns, formats))
            sent_now += size
        return sent_now

    # -- COPY and SQL cursors -------------------------------------------------------------
    def _copy(self, portal: Portal) -> None:
        """COPY ... TO STDOUT: CopyOutResponse, a CopyData per line or tuple, CopyDone.

        Rows stream in DuckDB's batches as a query's do, under the statement timeout: a client
        that does not read a huge COPY holds one batch, and is dropped at its timeout.
        """
        statement = portal.prepared.statement
        chosen = copy.CopyOptions.loads(statement.value)
        if statement.name:
            self._refuse_view(statement.name)
        binary = chosen.format == "binary"
        query = Portal(
            Prepared(Statement("query", statement.sql, "SELECT"), []),
            portal.parameters,
            [1] if binary else [],
        )
        self._open(query, bind_only=True)
        assert query.columns is not None
        columns = query.columns
        sql = rows.wire_sql(statement.sql, columns, query.formats)
        if not binary:
            sql = copy.line_sql(sql, [c.name for c in columns], chosen)
        self.send(copy.copy_out_response(len(columns), binary))
        if chosen.header:
            self.send(copy.copy_data(copy.header_line([c.name for c in columns], chosen)))
        cursor = self._cursor()
        values = _bind_values(sql, portal.parameters)
        cursor, query.reader = self._on_clean_cursor(cursor, lambda c: _stream(c, sql, values))
        query.cursor = cursor
        self.open.append(query)
        count = 0
        try:
            reader = query.reader
            while True:
                batch = self._duckdb(cursor, lambda: next(_batches(reader), None))
                if batch is None:
                    break
                if not batch.num_rows:
                    continue
                if binary:
                    data = rows.data_rows(batch, columns, query.formats, kind=b"d")
                    self.send(copy.with_binary_header(data) if count == 0 else data)
                else:
                    self.send(rows.framed(batch.column(0)))
                count += batch.num_rows
        finally:
            self._close_result(query)
        if binary:
            self.send(
                copy.copy_data(copy.BINARY_HEADER + b"\xff\xff")
                if count == 0
                else copy.BINARY_TRAILER
            )
        self.send(copy.COPY_DONE)
        self.send(protocol.command_complete(f"COPY {count}"))

    def _refuse_view(self, name: str) -> None:
        """COPY view TO: refused as PostgreSQL refuses it (only a table's rows are copied so)."""
        schema, _, relation = name.rpartition(".")
        schema = "main" if schema in ("", "public") else schema
        cursor = self._cursor()
        found = self._duckdb(
            cursor,
            lambda: cursor.execute(
                "select count(*) from duckdb_views() where database_name = 'mart' "
                "and schema_name = ? and view_name = ?",
                [schema, relation],
            ).fetchall(),
        )
        if found[0][0]:
            raise SqlError(
                "42809",
                f'cannot copy from view "{relation}"',
                hint="Try the COPY (SELECT ...) TO variant.",
            )

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
        return self.state.status != b"I"

    def _fetch(self, portal: Portal, describe: bool) -> None:
        """FETCH n / ALL / MOVE: the next rows of a cursor, which stays open until CLOSE."""
        statement = portal.prepared.statement
        declared = self._declared(statement.name)
        move = statement.tag == "MOVE"
        assert declared.columns is not None
        formats = rows.formats_for(declared.columns, portal.result_formats)
        if declared.chunks is None:  # its first FETCH: the rows start to stream now
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

    def _duckdb(self, cursor: duckdb.DuckDBPyConnection | None, call: Any) -> Any:
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
            if self.cancelled_by == "timeout":
                return SqlError("57014", "canceling statement due to statement timeout")
            if self.cancelled_by == "terminate":
                return SqlError("57P01", "terminating connection due to administrator command")
            return SqlError("57014", "canceling statement due to user request")
        return errors.from_duckdb(name, str(error), self.query, self._describe_sql)

    def _describe_sql(self, sql: str) -> list[int]:
        """The column oids of a PostgreSQL query, bound on the mart and not run: the types of a
        missing function's arguments, for its error."""
        cursor = self._cursor()
        relation = cursor.sql(translate(sql)[0].sql)
        return [column.type_oid for column in rows.columns_of(relation)]

    def terminate(self) -> None:
        """pg_terminate_backend(): the running statement stops (57P01) and the session ends;
        an idle one stops reading, and ends: one that had not yet begun to read when it was
        told (its last answer just sent) ends at its next message, which SHUT_RD does not
        stop from arriving."""
        self.terminated = True
        self.interrupt("terminate")
        with contextlib.suppress(OSError):
            self.request.shutdown(socket.SHUT_RD)

    def interrupt(self, reason: str) -> None:
        """Cancel the statement running now, if any (an idle session has nothing to stop, as
        in PostgreSQL): its DuckDB call is interrupted, or, while it sends rows, its next one
        fails before it starts."""
        with self.call_lock:
            late = self.deadline is not None and self.deadline < time.monotonic()
            if not self.active or (reason == "timeout" and not late):
                return  # the statement that timed out has ended; another may have begun
            self.cancelled_by = reason
            if self.running is not None:
                self.running.interrupt()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
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
            self._duckdb(cursor, lambda: cursor.execute(setting))
            zones[id(cursor)] = shown
        return cursor

    def _free_cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of the session that holds no open result, on the version it reads.

        Cursors are taken at the first statement after ReadyForQuery and given back at the next
        ReadyForQuery outside a transaction block with no portal left open (_ready): a block
        reads one version of the mart from its first query to COMMIT/ROLLBACK, every other
        statement the newest, and an idle session holds no version at all (an old file's space
        is freed once unused). A suspended portal keeps its cursor; the next statement takes
        another, on the same version.
        """
        held = [portal.cursor for portal in self.open]
        for cursor in self.cursors:
            if not any(cursor is other for other in held):
                return cursor
        if len(self.cursors) >= MAX_OPEN_RESULTS:
            raise SqlError(
                "54000",
                f"too many portals with rows left in this session (at most {MAX_OPEN_RESULTS})",
            )
        try:
            self.generation, cursor = self.server.published.check_out(self.generation)
        except MartError as error:
            raise SqlError("58P01", str(error)) from None
        self.cursors.append(cursor)
        return cursor

    def _give_back_cursors(self, reuse: bool = True) -> None:
        if self.generation is not None:
            for cursor in self.cursors:
                self.server.published.check_in(self.generation, cursor, reuse=reuse)
        self.cursors.clear()
        self.generation = None

    def _close_result(self, portal: Portal) -> bool:
        """Let go of the portal's DuckDB result (its unread rows with it); False if it failed."""
        reader, portal.reader = portal.reader, None
        portal.cursor = None
        if portal in self.open:
            self.open.remove(portal)
        if reader is None:
            return True
        try:
            reader.close()
        except Exception:  # the cursor is in an unknown state: it must not be reused
            log.warning("session %d: a result did not close cleanly", self.process_id)
            return False
        return True

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
        if statement.name in _REPORTED:
            self.send(protocol.parameter_status(_REPORTED[statement.name], ""))

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
            cursor = self._cursor()
            for name in statement.value.split(","):
                found = self._duckdb(
                    cursor,
                    lambda n=name: cursor.execute(
                        "select memory.mart_serve.regclass_oid(?)", [n]
                    ).fetchall(),
                )
                if found[0][0] is None:
                    raise SqlError("42P01", f'relation "{name}" does not exist')

    def _transaction(self, statement: Statement) -> str:
        tag, ended = self.state.transaction(statement)
        if ended:
            self._drop_portals(committed=tag == "COMMIT")
        return tag

    # -- the socket ------------------------------------------------------------------------
    def _read(self, size: int) -> bytes:
        if self.read_deadline is not None:
            self.request.settimeout(max(self.read_deadline - time.monotonic(), 0.001))
        data = self.rfile.read(size)
        if len(data) < size:
            raise ClientGone()
        return data

    def _read_message(self, limit: int) -> tuple[bytes, bytes]:
        kind = self._read(1)
        (length,) = struct.unpack("!i", self._read(4))
        if length < 4 or length > limit:  # refused before a byte of it is read
            raise ProtocolViolation(
                f"invalid message length {length}: at most {limit} bytes before authentication"
            )
        return kind, self._read(length - 4)

    def _next_message(self) -> tuple[bytes, bytes]:
        """The client's next message; an idle session past --idle-session-timeout is ended."""
        idle = self.server.settings.idle_session_timeout
        if idle and self.state.status == b"I" and not self.open:
            self.read_deadline = time.monotonic() + idle
            try:
                kind = self._read(1)
            except TimeoutError:
                raise IdleTimeout(
                    "57P05", "terminating connection due to idle-session timeout"
                ) from None
            finally:
                self.read_deadline = None
                self.request.settimeout(None)
        else:
            kind = self._read(1)
        (length,) = struct.unpack("!i", self._read(4))
        limit = self.server.settings.max_message_size
        if length < 4 or length > limit:
            raise ProtocolViolation(
                f"invalid message length {length}: at most {limit} bytes (--max-message-size)"
            )
        return kind, self._read(length - 4)

    def send(self, data: bytes) -> None:
        self.out += data
        if len(self.out) >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Send what is buffered; within a statement, only until its timeout (the time a
        client takes to read its rows counts, and one that never reads is dropped)."""
        if not self.out:
            return
        deadline = self.deadline
        if deadline is None:
            self.request.sendall(self.out)
        else:
            self.request.settimeout(max(deadline - time.monotonic(), 0.001))
            try:
                self.request.sendall(self.out)
            except TimeoutError:
                raise SendTimedOut() from None
            finally:
                self.request.settimeout(None)
        self.out.clear()

    def _write_now(self, data: bytes) -> None:
        self.send(data)
        self.flush()

    def _end_of_cycle(self) -> None:
        """Sync, or the end of a simple query: an implicit transaction ends with its portals."""
        if self.state.status == b"I":
            self._drop_portals()
        self._ready()

    def _report(self, query: str) -> None:
        """The session is active, running query (pg_stat_activity)."""
        now = datetime.now(UTC)
        self.query, self.query_start = query, now
        if self.xact_start is None:
            self.xact_start = now
        if not self.busy:
            self.busy, self.state_change = True, now

    def activity(self) -> functions.Activity:
        status = self.state.status
        state = (
            "active"
            if self.busy
            else "idle in transaction"
            if status == IN_TRANSACTION
            else "idle in transaction (aborted)"
            if status == FAILED
            else "idle"
        )
        address = self.client_address
        return functions.Activity(
            pid=self.process_id,
            user=self.user,
            application_name=self.state.settings.get("application_name", ""),
            client_addr=str(address[0]) if isinstance(address, tuple) else None,
            client_port=int(address[1]) if isinstance(address, tuple) else None,
            backend_start=self.backend_start,
            xact_start=self.xact_start,
            query_start=self.query_start,
            state_change=self.state_change,
            state=state,
            query=self.query,
        )

    def _ready(self) -> None:
        if self.state.status == b"I" and not self.open:
            self._give_back_cursors()
        if self.busy or self.state_change is None:
            self.busy, self.state_change = False, datetime.now(UTC)
        if self.state.status == IDLE:
            self.xact_start = None
        self.send(protocol.ready_for_query(self.state.status))
        self.flush()

    def _send_error(self, error: SqlError) -> None:
        self.send(
            protocol.error_response(
                error.sqlstate, error.message, error.position, detail=error.detail, hint=error.hint
            )
        )

    def _try_send_error(self, code: str, message: str, fatal: bool = False) -> None:
        with contextlib.suppress(OSError):
            self._write_now(protocol.error_response(code, message, None, fatal))


class MartServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = socket.SOMAXCONN

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.ceiling_ms = settings.statement_timeout * 1000
        memory_limit = settings.memory_limit or default_memory_limit()
        self.published = Published(settings.database, memory_limit)
        self.published.check_in(*self.published.check_out())  # fail now if the file is no mart
        self._sessions: dict[int, Session] = {}
        self._admitted = 0  # sessions holding a --max-connections slot
        self._connections = 0  # connections with a thread, started up or not
        self._lock = threading.Lock()
        super().__init__((settings.host, settings.port), Session)
        threading.Thread(target=self._watch_deadlines, daemon=True, name="deadlines").start()
        functions.serve_backends(self)

    def _watch_deadlines(self) -> None:
        """Interrupt statements past their timeout (one thread, not a timer per statement)."""
        while True:
            time.sleep(0.02)
            now = time.monotonic()
            with self._lock:
                sessions = list(self._sessions.values())
            for session in sessions:
                deadline = session.deadline
                if deadline is not None and deadline < now:
                    session.interrupt("timeout")  # checks again, under the session's lock

    def register(self, session: Session) -> tuple[int, int]:
        with self._lock:
            process_id = secrets.randbelow(1 << 30) + 1
            while process_id in self._sessions:
                process_id = secrets.randbelow(1 << 30) + 1
            self._sessions[process_id] = session
        return process_id, secrets.randbits(31)

    def verify_request(self, request: Any, client_address: Any) -> bool:
        """As PostgreSQL's postmaster, which has at most twice max_connections children: past
        that many connections, including ones not yet started up, refuse at once, before a
        thread is spent on a client that may never say a word."""
        with self._lock:
            if self._connections >= 2 * self.settings.max_connections:
                refused = True
            else:
                self._connections += 1
                refused = False
        if refused:
            with contextlib.suppress(OSError):
                request.settimeout(1.0)
                request.sendall(
                    protocol.error_response("53300", "sorry, too many clients already", None, True)
                )
            return False
        return True

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._lock:
                self._connections -= 1

    def admit(self, session: Session) -> bool:
        """Take one of --max-connections' slots for the session (False: none is free)."""
        with self._lock:
            if self._admitted >= self.settings.max_connections:
                return False
            self._admitted += 1
            session.admitted = True
        return True

    def forget(self, session: Session) -> None:
        with self._lock:
            self._sessions.pop(session.process_id, None)
            if session.admitted:
                session.admitted = False
                self._admitted -= 1

    def signal(self, caller: int, target: int, terminate: bool) -> str:
        """pg_cancel_backend()/pg_terminate_backend() from session caller: 'signalled',
        'missing' (no session target) or 'denied' (target is another user's)."""
        with self._lock:
            asking, session = self._sessions.get(caller), self._sessions.get(target)
        if session is None:
            return "missing"
        if asking is None or asking.user != session.user:
            return "denied"
        if terminate:
            session.terminate()
        else:
            session.interrupt("user")
        return "signalled"

    def activity(self) -> list[functions.Activity]:
        with self._lock:
            sessions = [s for s in self._sessions.values() if s.authenticated]
        return sorted((s.activity() for s in sessions), key=lambda a: a.backend_start)

    def cancel(self, process_id: int, secret: int) -> None:
        with self._lock:
            session = self._sessions.get(process_id)
        if session is not None and secrets.compare_digest(
            struct.pack("!i", session.secret), struct.pack("!i", secret)
        ):
            session.interrupt("user")

    def server_close(self) -> None:
        super().server_close()
        self.published.close()


def check_settings(settings: Settings) -> None:
    """Refuse to start where the mart would be open to the network without a password."""
    if settings.password is None and not _is_loopback(settings.host):
        raise MartError(
            f"refusing to serve on {settings.host} without a password: anyone who can reach "
            "it could read the mart; pass --password-file, or bind to 127.0.0.1"
        )
    if settings.password is not None and not settings.password:
        raise MartError("the password file is empty: put the password on its first line")


def default_memory_limit() -> str:
    """Half the machine's memory: DuckDB's own default (80%) leaves the OS, the page cache and
    the sessions' buffers too little, and is shared with anything else on the machine."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return "2GB"
    return f"{total // 2 // (1 << 20)}MB"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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


def _tuples(batch: pa.RecordBatch) -> list[tuple[Any, ...]]:
    """A small batch as rows of Python values: numpy's set-up costs more than a few rows."""
    if batch.num_columns == 0:
        return [()] * batch.num_rows
    return list(zip(*(column.to_pylist() for column in batch.columns), strict=True))


def _batches(reader: Any) -> Iterator[Chunk]:
    """The record batches of DuckDB's streaming result, as DuckDB produces them."""
    while True:
        try:
            yield reader.read_next_batch()
        except StopIteration:
            return


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


def _parameter_count(text: str) -> int:
    return max((int(n) for n in PARAMETER.findall(text)), default=0)


def _bind_values(sql: str, values: list[Any]) -> list[Any] | dict[str, Any] | None:
    """Parameters as DuckDB takes them: by name where the rewrite left some $n out."""
    if not values:
        return None
    used = {int(n) for n in PARAMETER.findall(sql)}
    if used == set(range(1, len(values) + 1)):
        return values
    return {str(n): values[n - 1] for n in used if n <= len(values)}


# What a client sends may hold anything: in a log line, control characters (a newline would
# start a forged line), backslashes and Unicode line separators are written as escapes.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\\\u2028\u2029]")


def printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: "\\\\" if m.group() == "\\" else _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class EscapeClientText(logging.Filter):
    """Escapes every string argument of a mart.serve log record (printable())."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(printable(a) if isinstance(a, str) else a for a in record.args)
        return True


log.addFilter(EscapeClientText())


def serve(settings: Settings, ready: Any = None) -> None:
    """Serve until interrupted; call ready(host, port) once listening."""
    check_settings(settings)
    with MartServer(settings) as server:
        host, port = server.server_address[:2]
        if ready is not None:
            ready(host, port)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever(poll_interval=0.5)
