"""The PostgreSQL wire protocol (v3) over the mart: sessions, messages, errors.

One thread per connection: every DuckDB call blocks (and releases the GIL while it runs), so a
thread per client is the simplest model that keeps the event order of each session obvious and
lets another thread interrupt a running query (statement timeout, CancelRequest).
"""

import contextlib
import functools
import ipaddress
import logging
import re
import secrets
import socket
import socketserver
import struct
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias, cast

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from mart.db import MartError
from mart.serve import rows, types
from mart.serve.auth import AuthFailed, Scram, md5_matches
from mart.serve.generations import Generation, Published
from mart.serve.sql import SERVER_VERSION, SqlError, Statement, translate

log = logging.getLogger("mart.serve")
# Arrow batches of a DB-API result cost one copy; that is the price of fetching a few rows first.
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)

PROTOCOL_3 = 196608
SSL_REQUEST, GSS_REQUEST, CANCEL_REQUEST = 80877103, 80877104, 80877102
BATCH_ROWS = 8192
PARAMETER = re.compile(r"\$(\d+)")
FLUSH_BYTES = 1 << 20

# What a session reports as its settings (ParameterStatus at start-up, SHOW later).
SERVER_SETTINGS = {
    "server_version": SERVER_VERSION,
    "server_version_num": "150000",
    "server_encoding": "UTF8",
    "client_encoding": "UTF8",
    "datestyle": "ISO, MDY",
    "timezone": "UTC",
    "intervalstyle": "postgres",
    "integer_datetimes": "on",
    "standard_conforming_strings": "on",
    "is_superuser": "off",
    "default_transaction_read_only": "on",
    "transaction_read_only": "on",
    "transaction_isolation": "read committed",
    "default_transaction_isolation": "read committed",
    "max_identifier_length": "63",
    "search_path": '"$user", public',
    "statement_timeout": "0",
    "extra_float_digits": "1",
    "application_name": "",
    "lc_messages": "C",
    "lc_monetary": "C",
    "lc_numeric": "C",
    "lc_time": "C",
    "bytea_output": "hex",
}
# Sent as ParameterStatus on start-up, spelled as PostgreSQL spells them.
STARTUP_REPORTED = (
    "server_version",
    "server_encoding",
    "client_encoding",
    "DateStyle",
    "TimeZone",
    "IntervalStyle",
    "integer_datetimes",
    "standard_conforming_strings",
    "is_superuser",
    "default_transaction_read_only",
    "application_name",
)
_REPORTED = {name.lower(): name for name in STARTUP_REPORTED}

# DuckDB exception class -> SQLSTATE.
_SQLSTATES = {
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


@dataclass(frozen=True)
class Settings:
    database: Path
    host: str = "127.0.0.1"
    port: int = 15432
    password: str | None = None
    auth: str = "scram-sha-256"  # or "md5"
    statement_timeout: float = 0.0  # seconds; 0 = none


class ClientGone(Exception):
    """The client closed the connection (or sent something that cannot be a message)."""


class ProtocolViolation(Exception):
    pass


@dataclass
class Prepared:
    statement: Statement
    parameter_types: list[int]
    text: str = ""  # as the client sent it: its $n are the parameters Bind gives


@dataclass
class Portal:
    prepared: Prepared
    parameters: list[Any]
    result_formats: list[int]
    columns: list[rows.Column] | None = None
    formats: list[int] = field(default_factory=list)
    chunks: Iterator["Chunk"] | None = None
    pending: "Chunk | None" = None
    done: bool = False


# Rows on their way out: a few as Python tuples (the first fetch), the rest as Arrow batches.
Chunk: TypeAlias = list[tuple[Any, ...]] | pa.RecordBatch
SMALL_RESULT = 64


class Session(socketserver.StreamRequestHandler):
    """One client connection, from start-up packet to Terminate."""

    server: "MartServer"
    rbufsize = 1 << 16

    def setup(self) -> None:
        super().setup()
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.out = bytearray()
        self.status = b"I"
        self.settings = dict(SERVER_SETTINGS)
        self.startup_settings = dict(SERVER_SETTINGS)
        self.prepared: dict[str, Prepared] = {}
        self.portals: dict[str, Portal] = {}
        self.generation: Generation | None = None
        self.cursor: duckdb.DuckDBPyConnection | None = None
        self.open_portal: Portal | None = None  # the portal whose result the cursor holds
        self.call_lock = threading.Lock()  # guards running/deadline against cancels
        self.running = False  # a DuckDB call of this session is under way
        self.savepoints: list[str] = []
        self.deadline: float | None = None  # monotonic time the running call times out at
        self.cancelled_by: str | None = None
        self.process_id = 0
        self.secret = 0

    # -- start-up -------------------------------------------------------------------------
    def handle(self) -> None:
        try:
            if not self._start():
                return
            self._serve()
        except (ClientGone, ConnectionError, TimeoutError):
            pass
        except ProtocolViolation as error:
            self._try_send_error("08P01", str(error), fatal=True)
        finally:
            if self.process_id:
                log.info("session %d: disconnected", self.process_id)
            self.server.forget(self)
            self._give_back_cursor()

    def _start(self) -> bool:
        while True:
            length, code = struct.unpack("!ii", self._read(8))
            if not 8 <= length <= 10_000:
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
        parts = body.split(b"\0")
        options = {
            parts[i].decode(errors="replace"): parts[i + 1].decode(errors="replace")
            for i in range(0, len(parts) - 1, 2)
            if parts[i]
        }
        user = options.get("user", "")
        if not user:
            raise ProtocolViolation("no PostgreSQL user name specified in startup packet")
        if self.server.settings.password is not None and not self._authenticate(user):
            return False
        if "application_name" in options:
            self.settings["application_name"] = options["application_name"]
        self.startup_settings = dict(self.settings)
        self.process_id, self.secret = self.server.register(self)
        log.info(
            "session %d: %s connected from %s (%s)",
            self.process_id,
            user,
            self.client_address[0],
            self.settings["application_name"] or "no application name",
        )
        self.send(_message(b"R", struct.pack("!i", 0)))
        for name in STARTUP_REPORTED:
            value = self.settings[name.lower()]
            self.send(_message(b"S", name.encode() + b"\0" + value.encode() + b"\0"))
        self.send(_message(b"S", b"session_authorization\0" + user.encode() + b"\0"))
        self.send(_message(b"K", struct.pack("!ii", self.process_id, self.secret)))
        self._ready()
        return True

    def _authenticate(self, user: str) -> bool:
        password = self.server.settings.password
        assert password is not None
        try:
            if self.server.settings.auth == "md5":
                salt = secrets.token_bytes(4)
                self._write_now(_message(b"R", struct.pack("!i", 5) + salt))
                if not md5_matches(self._password_message(), password, user, salt):
                    raise AuthFailed("wrong password")
            else:
                scram = Scram(password)
                self._write_now(_message(b"R", struct.pack("!i", 10) + b"SCRAM-SHA-256\0\0"))
                initial = self._password_message()
                mechanism, _, rest = initial.partition(b"\0")
                if mechanism != b"SCRAM-SHA-256" or len(rest) < 4:
                    raise AuthFailed("unsupported SASL mechanism")
                server_first = scram.first(rest[4:])
                self._write_now(_message(b"R", struct.pack("!i", 11) + server_first))
                server_final = scram.final(self._password_message())
                self._write_now(_message(b"R", struct.pack("!i", 12) + server_final))
        except AuthFailed:
            log.info("password authentication failed for user %r", user)
            self._try_send_error(
                "28P01", f'password authentication failed for user "{user}"', fatal=True
            )
            return False
        return True

    def _password_message(self) -> bytes:
        kind, body = self._read_message()
        if kind != b"p":
            raise AuthFailed("expected a password message")
        return body

    # -- the message loop -----------------------------------------------------------------
    def _serve(self) -> None:
        skipping = False  # after an error in an extended-query batch: ignore until Sync
        while True:
            kind, body = self._read_message()
            if kind == b"X":
                return
            if kind == b"S":
                skipping = False
                self._end_of_cycle()
                continue
            if kind == b"H":
                self.flush()
                continue
            if skipping:
                continue
            try:
                if kind == b"Q":
                    self._simple_query(_cstring(body)[0])
                elif kind == b"P":
                    self._parse(body)
                elif kind == b"B":
                    self._bind(body)
                elif kind == b"D":
                    self._describe(body)
                elif kind == b"E":
                    self._execute(body)
                elif kind == b"C":
                    self._close(body)
                else:
                    raise SqlError("0A000", f"message type {kind!r} is not supported by mart serve")
            except (ClientGone, ConnectionError, TimeoutError):
                raise
            except Exception as error:  # a SQL error, or a message we cannot read
                self._fail_transaction()
                self._send_error(_as_sql_error(error))
                if kind == b"Q":
                    self._end_of_cycle()
                else:
                    skipping = True

    def _simple_query(self, text: str) -> None:
        """Run each statement in turn; the first error ends the string (_serve answers it)."""
        for statement in translate(text):
            if statement.kind == "empty":
                self.send(b"I\0\0\0\4")
            elif statement.error is not None:  # refused: the statements before it have run
                raise statement.error
            else:
                self._run(Portal(Prepared(statement, []), [], []), max_rows=0, describe=True)
        self._end_of_cycle()

    def _parse(self, body: bytes) -> None:
        name, query = _cstring(body, 2)
        offset = len(name.encode()) + len(query.encode()) + 2
        (count,) = struct.unpack_from("!h", body, offset)
        parameter_types = list(struct.unpack_from(f"!{count}i", body, offset + 2))
        statements = [s for s in translate(query) if s.kind != "empty"]
        if len(statements) > 1:
            raise SqlError("42601", "cannot insert multiple commands into a prepared statement")
        statement = statements[0] if statements else Statement("empty", "", "")
        if name and name in self.prepared:
            raise SqlError("42P05", f'prepared statement "{name}" already exists')
        self.prepared[name] = Prepared(statement, parameter_types, query)
        self.send(b"1\0\0\0\4")

    def _bind(self, body: bytes) -> None:
        portal_name, statement_name = _cstring(body, 2)
        offset = len(portal_name.encode()) + len(statement_name.encode()) + 2
        prepared = self.prepared.get(statement_name)
        if prepared is None:
            raise SqlError("26000", f'prepared statement "{statement_name}" does not exist')
        formats, offset = _int16s(body, offset)
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
            except (struct.error, ValueError, OverflowError, ArithmeticError):
                raise SqlError(
                    "22P03" if fmt == 1 else "22P02",
                    f"incorrect {'binary data' if fmt == 1 else 'text'} format "
                    f"in bind parameter {i + 1}",
                ) from None
        result_formats, _ = _int16s(body, offset)
        self.portals[portal_name] = Portal(prepared, values, result_formats)
        self.send(b"2\0\0\0\4")

    def _describe(self, body: bytes) -> None:
        target, name = body[:1], _cstring(body[1:])[0]
        if target == b"S":
            prepared = self.prepared.get(name)
            if prepared is None:
                raise SqlError("26000", f'prepared statement "{name}" does not exist')
            count = max(len(prepared.parameter_types), _parameter_count(prepared.text))
            oids = [
                t or types.TEXT
                for t in prepared.parameter_types + [0] * (count - len(prepared.parameter_types))
            ]
            self.send(_message(b"t", struct.pack(f"!h{count}i", count, *oids)))
            portal = Portal(prepared, [None] * count, [])
            self._describe_portal(portal, bind_only=True)
        else:
            bound = self.portals.get(name)
            if bound is None:
                raise SqlError("34000", f'portal "{name}" does not exist')
            self._describe_portal(bound)

    def _describe_portal(self, portal: Portal, bind_only: bool = False) -> None:
        if portal.prepared.statement.kind in ("query", "show"):
            self._open(portal, bind_only=bind_only)
            assert portal.columns is not None
            self.send(rows.row_description(portal.columns, portal.formats))
        else:
            self.send(b"n\0\0\0\4")

    def _execute(self, body: bytes) -> None:
        name = _cstring(body)[0]
        (max_rows,) = struct.unpack_from("!i", body, len(name.encode()) + 1)
        portal = self.portals.get(name)
        if portal is None:
            raise SqlError("34000", f'portal "{name}" does not exist')
        if portal.prepared.statement.kind == "empty":
            self.send(b"I\0\0\0\4")
            return
        self._run(portal, max_rows=max_rows, describe=False)

    def _close(self, body: bytes) -> None:
        target, name = body[:1], _cstring(body[1:])[0]
        if target == b"S":
            self.prepared.pop(name, None)
        elif self.portals.pop(name, None) is self.open_portal:
            self.open_portal = None
        self.send(b"3\0\0\0\4")

    # -- running statements ---------------------------------------------------------------
    def _run(self, portal: Portal, max_rows: int, describe: bool) -> None:
        statement = portal.prepared.statement
        if self.status == b"E" and not (
            statement.kind == "transaction"
            and statement.name in ("commit", "rollback", "rollback_to")
        ):
            raise SqlError(
                "25P02",
                "current transaction is aborted, commands ignored until end of transaction block",
            )
        if statement.kind == "query" or statement.kind == "show":
            if portal.chunks is None:  # not yet run by a Describe
                self._open(portal)
            if describe:
                assert portal.columns is not None
                self.send(rows.row_description(portal.columns, portal.formats))
            self._send_rows(portal, max_rows)
            return
        if statement.kind == "set":
            self._set(statement)
        elif statement.kind == "noop":
            self._noop(statement)
        elif statement.kind == "transaction":
            tag = self._transaction(statement)
            self.send(_message(b"C", tag.encode() + b"\0"))
            return
        self.send(_message(b"C", statement.tag.encode() + b"\0"))

    def _open(self, portal: Portal, bind_only: bool = False) -> None:
        """Bind the portal's statement on DuckDB: its columns now, its rows when fetched."""
        statement = portal.prepared.statement
        if statement.kind == "show":
            name = statement.name
            if name == "all":
                names = ["name", "setting", "description"]
                shown: list[tuple[Any, ...]] = [
                    (n, v, "") for n, v in sorted(self.settings.items())
                ]
            elif name in self.settings:
                names, shown = [name], [(self.settings[name],)]
            else:
                raise SqlError("42704", f'unrecognized configuration parameter "{name}"')
            portal.columns = [rows.Column(n, types.TEXT, -1, -1, "VARCHAR") for n in names]
            portal.formats = rows.formats_for(portal.columns, portal.result_formats)
            portal.chunks = iter([shown])
            return
        cursor = self._cursor()
        self._detach_open_portal()
        assert self.generation is not None
        # Parameters type their query (select $1): only a query without any is described once.
        key = statement.sql
        columns = None if portal.parameters else self.generation.described.get(key)
        if columns is None:
            relation = self._duckdb(
                lambda: cursor.sql(
                    statement.sql, params=_bind_values(statement.sql, portal.parameters)
                )
            )
            if relation is None:
                raise SqlError("0A000", "mart serve runs queries that return rows only")
            columns = self.generation.describe(key, rows.columns_of(relation))
        portal.columns = columns
        portal.formats = rows.formats_for(columns, portal.result_formats)
        if bind_only:
            return
        wire = rows.wire_sql(statement.sql, columns, portal.formats)
        self._duckdb(lambda: cursor.execute(wire, _bind_values(wire, portal.parameters)))
        portal.chunks = _chunks(cursor)
        self.open_portal = portal

    def _detach_open_portal(self) -> None:
        """Another statement needs the cursor: keep the rest of a suspended portal in memory."""
        suspended, self.open_portal = self.open_portal, None
        if suspended is not None and not suspended.done and suspended.chunks is not None:
            chunks = suspended.chunks
            suspended.chunks = iter(self._duckdb(lambda: list(chunks)))

    def _send_rows(self, portal: Portal, max_rows: int) -> None:
        assert portal.columns is not None and portal.chunks is not None
        sent_now = 0
        while max_rows <= 0 or sent_now < max_rows:
            chunk = portal.pending
            portal.pending = None
            if chunk is None:
                chunk = self._duckdb(lambda: next(portal.chunks, None))
                if chunk is None:
                    portal.done = True
                    break
            size = len(chunk)
            if max_rows > 0 and sent_now + size > max_rows:
                take = max_rows - sent_now
                chunk, portal.pending = chunk[:take], chunk[take:]
                size = take
            if isinstance(chunk, list):
                self.send(rows.encode_rows(chunk, portal.columns, portal.formats))
            else:
                self.send(rows.data_rows(chunk, portal.columns, portal.formats))
            sent_now += size
        if not portal.done and portal.pending is None:
            portal.pending = self._duckdb(lambda: next(portal.chunks, None))
            portal.done = portal.pending is None
        if not portal.done:
            self.send(b"s\0\0\0\4")
            return
        if self.open_portal is portal:
            self.open_portal = None
        # The rows of this Execute, as PostgreSQL counts them for a portal run in pieces.
        tag = "SHOW" if portal.prepared.statement.kind == "show" else f"SELECT {sent_now}"
        self.send(_message(b"C", tag.encode() + b"\0"))

    def _duckdb(self, call: Any) -> Any:
        """Run a DuckDB call under the statement timeout, errors as SQLSTATEs."""
        timeout = self._timeout()
        with self.call_lock:
            self.running = True
            self.cancelled_by = None
            self.deadline = time.monotonic() + timeout if timeout else None
        try:
            return call()
        except duckdb.Error as error:
            raise self._sql_error(error) from None
        except pa.ArrowException as error:  # a fetch through Arrow that DuckDB interrupted
            if "INTERRUPT" in str(error):
                raise self._sql_error(duckdb.InterruptException(str(error))) from None
            raise
        finally:
            with self.call_lock:
                self.running = False
                self.deadline = None

    def _sql_error(self, error: duckdb.Error) -> SqlError:
        name = type(error).__name__
        if name == "InterruptException":
            if self.cancelled_by == "timeout":
                return SqlError("57014", "canceling statement due to statement timeout")
            return SqlError("57014", "canceling statement due to user request")
        message = str(error).split("\n\n")[0].replace("\n", " ")
        for prefix in ("Catalog Error: ", "Binder Error: ", "Parser Error: ", "Conversion Error: "):
            message = message.removeprefix(prefix)
        code = _SQLSTATES.get(name, "XX000")
        if name == "CatalogException" and "Function" in message:
            code = "42883"
        return SqlError(code, message)

    def interrupt(self, reason: str) -> None:
        """Interrupt the DuckDB call running now, if any: an idle session has nothing to stop,
        and an interrupt left pending would fail its next fetch."""
        with self.call_lock:
            late = self.deadline is not None and self.deadline < time.monotonic()
            if reason == "timeout" and not late:
                return  # the call that timed out has ended; another may have begun
            if self.running and self.cursor is not None:
                self.cancelled_by = reason
                self.cursor.interrupt()

    def _timeout(self) -> float:
        value = self.settings.get("statement_timeout", "0")
        milliseconds = _milliseconds(value)
        return milliseconds / 1000 if milliseconds else self.server.settings.statement_timeout

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        """The session's cursor on the newest published file, held until the session is idle.

        It is taken at the first statement after ReadyForQuery and given back at the next
        ReadyForQuery outside a transaction block (_ready): a block reads one version of the
        mart from its first query to COMMIT/ROLLBACK, every other statement the newest, and an
        idle session holds no version at all (an old file's space is freed once unused).
        """
        if self.cursor is None:
            try:
                self.generation, self.cursor = self.server.published.check_out()
            except MartError as error:
                raise SqlError("58P01", str(error)) from None
        return self.cursor

    def _give_back_cursor(self) -> None:
        if self.generation is not None and self.cursor is not None:
            self.server.published.check_in(self.generation, self.cursor)
        self.generation = self.cursor = None

    def _drop_portals(self) -> None:
        """End of a transaction: its portals go, unread rows and all (as in PostgreSQL)."""
        self.portals.clear()
        self.savepoints.clear()
        self.open_portal = None

    def _set(self, statement: Statement) -> None:
        name = statement.name
        if name == "all":  # RESET ALL
            self.settings = dict(self.startup_settings)
            return
        if name == "statement_timeout" and _milliseconds(statement.value or "0") is None:
            raise SqlError(
                "22023", f'invalid value for parameter "statement_timeout": "{statement.value}"'
            )
        self.settings[name] = statement.value or self.startup_settings.get(name, "")
        if name in _REPORTED:  # as PostgreSQL reports GUC_REPORT settings when they change
            value = self.settings[name].encode()
            self.send(_message(b"S", _REPORTED[name].encode() + b"\0" + value + b"\0"))

    def _noop(self, statement: Statement) -> None:
        """DEALLOCATE and DISCARD act on the session's own state; LISTEN has nothing to hear."""
        if statement.tag in ("DEALLOCATE ALL", "DISCARD ALL"):
            self.prepared.clear()
        if statement.tag == "DEALLOCATE" and self.prepared.pop(statement.name, None) is None:
            raise SqlError("26000", f'prepared statement "{statement.name}" does not exist')
        if statement.tag == "DISCARD ALL":
            self.settings = dict(self.startup_settings)

    def _transaction(self, statement: Statement) -> str:
        action = statement.name
        if action == "begin":
            if self.status == b"I":
                self.status = b"T"
            return "BEGIN"
        if action in ("commit", "rollback"):
            tag = "ROLLBACK" if self.status == b"E" or action == "rollback" else "COMMIT"
            self.status = b"I"
            self._drop_portals()
            return tag
        if self.status == b"I":
            verb = "ROLLBACK TO SAVEPOINT" if action == "rollback_to" else statement.tag
            raise SqlError("25P01", f"{verb} can only be used in transaction blocks")
        name = statement.value
        if action == "savepoint":
            self.savepoints.append(name)
            return statement.tag
        if name not in self.savepoints:
            raise SqlError("3B001", f'savepoint "{name}" does not exist')
        position = len(self.savepoints) - 1 - self.savepoints[::-1].index(name)
        if action == "rollback_to":
            del self.savepoints[position + 1 :]  # the savepoint itself stays
            self.status = b"T"
            return "ROLLBACK"
        del self.savepoints[position:]
        return statement.tag

    def _fail_transaction(self) -> None:
        if self.status == b"T":
            self.status = b"E"

    # -- the socket ------------------------------------------------------------------------
    def _read(self, size: int) -> bytes:
        data = self.rfile.read(size)
        if len(data) < size:
            raise ClientGone()
        return data

    def _read_message(self) -> tuple[bytes, bytes]:
        kind = self._read(1)
        (length,) = struct.unpack("!i", self._read(4))
        if length < 4 or length > 1 << 30:
            raise ProtocolViolation(f"invalid message length {length}")
        return kind, self._read(length - 4)

    def send(self, data: bytes) -> None:
        self.out += data
        if len(self.out) >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.out:
            self.request.sendall(self.out)
            self.out.clear()

    def _write_now(self, data: bytes) -> None:
        self.send(data)
        self.flush()

    def _end_of_cycle(self) -> None:
        """Sync, or the end of a simple query: an implicit transaction ends with its portals."""
        if self.status == b"I":
            self._drop_portals()
        self._ready()

    def _ready(self) -> None:
        if self.status == b"I" and self.open_portal is None:
            self._give_back_cursor()
        self.send(b"Z\0\0\0\5" + self.status)
        self.flush()

    def _send_error(self, error: SqlError) -> None:
        self.send(_error_message(error.sqlstate, error.message, error.position))

    def _try_send_error(self, code: str, message: str, fatal: bool = False) -> None:
        with contextlib.suppress(OSError):
            self._write_now(_error_message(code, message, None, fatal))


class MartServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = socket.SOMAXCONN

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.published = Published(settings.database)
        self.published.check_in(*self.published.check_out())  # fail now if the file is no mart
        self._sessions: dict[int, Session] = {}
        self._lock = threading.Lock()
        super().__init__((settings.host, settings.port), Session)
        threading.Thread(target=self._watch_deadlines, daemon=True, name="deadlines").start()

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

    def forget(self, session: Session) -> None:
        with self._lock:
            self._sessions.pop(session.process_id, None)

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


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _message(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("!i", len(body) + 4) + body


def _error_message(code: str, message: str, position: int | None, fatal: bool = False) -> bytes:
    severity = b"FATAL" if fatal else b"ERROR"
    body = b"S" + severity + b"\0V" + severity + b"\0C" + code.encode() + b"\0"
    body += b"M" + message.encode() + b"\0"
    if position:
        body += b"P" + str(position).encode() + b"\0"
    return _message(b"E", body + b"\0")


def _as_sql_error(error: Exception) -> SqlError:
    """Any failure of a message as the ErrorResponse PostgreSQL would send for it."""
    if isinstance(error, SqlError):
        return error
    if isinstance(error, UnicodeDecodeError):
        return SqlError("22021", 'invalid byte sequence for encoding "UTF8"')
    if isinstance(error, (struct.error, ProtocolViolation)):
        return SqlError("08P01", f"invalid message format: {error}")
    log.exception("unexpected error in a session")
    return SqlError("XX000", f"internal error in mart serve: {type(error).__name__}: {error}")


def _cstring(data: bytes, count: int = 1) -> list[str]:
    parts = data.split(b"\0", count)
    if len(parts) <= count:
        raise ProtocolViolation("message string is not terminated")
    return [part.decode() for part in parts[:count]]


def _int16s(data: bytes, offset: int) -> tuple[list[int], int]:
    (count,) = struct.unpack_from("!h", data, offset)
    values = list(struct.unpack_from(f"!{count}h", data, offset + 2))
    return values, offset + 2 + 2 * count


def _chunks(cursor: duckdb.DuckDBPyConnection) -> Iterator[Chunk]:
    """The executed result: a first few rows as tuples, then Arrow batches if there are more."""
    first = cursor.fetchmany(SMALL_RESULT)
    if first:
        yield first
    if len(first) == SMALL_RESULT:
        yield from cast(Iterator[Chunk], cursor.to_arrow_reader(BATCH_ROWS))


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


@functools.cache  # read before every DuckDB call: parse each spelling once
def _milliseconds(value: str) -> float | None:
    """A statement_timeout setting in milliseconds ('5000', '5s', '1min'); None if invalid."""
    match = re.fullmatch(r"\s*'?(\d+(?:\.\d+)?)\s*(ms|s|min|h)?'?\s*", value)
    if not match:
        return None
    scale = {"ms": 1, None: 1, "s": 1000, "min": 60_000, "h": 3_600_000}[match.group(2)]
    return float(match.group(1)) * scale


def serve(settings: Settings, ready: Any = None) -> None:
    """Serve until interrupted; call ready(host, port) once listening."""
    check_settings(settings)
    with MartServer(settings) as server:
        host, port = server.server_address[:2]
        if ready is not None:
            ready(host, port)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever(poll_interval=0.5)
