"""One client's connection: the socket, start-up, authentication, message framing and the
timeouts of reading and sending; each message after start-up goes to the session (session.py).

One thread per connection: every DuckDB call blocks (and releases the GIL while it runs), so a
thread per client is the simplest model that keeps the event order of each session obvious and
lets another thread interrupt a running query (statement timeout, CancelRequest).
"""

import contextlib
import logging
import secrets
import socket
import socketserver
import struct
import time
from datetime import UTC, datetime
from typing import Protocol, cast

from mart.serve import errors, functions, protocol
from mart.serve.auth import AuthFailed, Scram, md5_matches
from mart.serve.executor import Executor
from mart.serve.generations import Published
from mart.serve.protocol import (
    AUTH_MESSAGE_LIMIT,
    CANCEL_REQUEST,
    GSS_REQUEST,
    PROTOCOL_3,
    SSL_REQUEST,
    STARTUP_LIMIT,
    ClientGone,
    ProtocolViolation,
)
from mart.serve.session import Session
from mart.serve.settings import Settings
from mart.serve.sql import SqlError
from mart.serve.state import IDLE, SessionState

log = logging.getLogger("mart.serve")

FLUSH_BYTES = 1 << 20


class SendTimedOut(ClientGone):
    """The statement timed out while its rows waited for a client that does not read them."""


class IdleTimeout(SqlError):
    """The session sat idle past --idle-session-timeout."""


class Terminated(SqlError):
    """pg_terminate_backend() named the session while it was between messages."""


class Listener(Protocol):
    """What a connection asks of the server that accepted it (server.py's MartServer)."""

    settings: Settings
    ceiling_ms: float  # --statement-timeout, in milliseconds
    published: Published

    def admit(self, connection: "Connection") -> bool: ...

    def register(self, connection: "Connection") -> tuple[int, int]: ...

    def forget(self, connection: "Connection") -> None: ...

    def cancel(self, process_id: int, secret: int) -> None: ...


class Connection(socketserver.StreamRequestHandler):
    """One client connection, from start-up packet to Terminate."""

    rbufsize = 1 << 16

    @property
    def listener(self) -> Listener:
        return cast(Listener, self.server)

    def setup(self) -> None:
        super().setup()
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.out = bytearray()
        self.state = SessionState(self.listener.ceiling_ms)  # transaction, savepoints, settings
        self.executor = Executor(self.listener.published, self.state)
        self.session = Session(self.state, self.executor, self)
        self.terminated = False  # pg_terminate_backend() named this session
        self.process_id = 0
        self.secret = 0
        self.user = ""  # the start-up packet's: pg_cancel_backend() signals the same user's only
        self.read_deadline: float | None = None  # reads time out then (start-up, idle)
        self.startup_read = False
        self.authenticated = False
        self.admitted = False  # holds one of --max-connections' slots
        self.backend_start = datetime.now(UTC)

    @property
    def deadline(self) -> float | None:
        """When the running statement times out (monotonic), if one is running."""
        return self.executor.deadline

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
            self.listener.forget(self)
            self.session.close(clean)

    def _start(self) -> bool:
        """Start-up and authentication, within --authentication-timeout of connecting."""
        limits = self.listener.settings
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
                self.listener.cancel(*struct.unpack("!ii", body))
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
        if not self.listener.admit(self):
            log.info("refused a connection from %s: too many clients", self.client_address[0])
            self._try_send_error("53300", "sorry, too many clients already", fatal=True)
            return False
        if self.listener.settings.password is not None and not self._authenticate(user):
            return False
        try:  # TimeZone, DateStyle, options=-c ...: honoured or refused (state.py)
            self.state.started(options.get("application_name"), options)
        except SqlError as error:
            self._try_send_error(error.sqlstate, error.message, fatal=True)
            return False
        self.user = user
        self.process_id, self.secret = self.listener.register(self)
        self.executor.process_id = self.process_id
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
        self.session.ready()
        return True

    def _authenticate(self, user: str) -> bool:
        password = self.listener.settings.password
        assert password is not None
        try:
            if self.listener.settings.auth == "md5":
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
            time.sleep(self.listener.settings.auth_delay)
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
        while True:
            kind, body = self._next_message()
            if self.terminated:
                ended = errors.interrupted("terminate")
                raise Terminated(ended.sqlstate, ended.message)
            if not self.session.message(kind, body):
                return

    def terminate(self) -> None:
        """pg_terminate_backend(): the running statement stops (57P01) and the session ends;
        an idle one stops reading, and ends: one that had not yet begun to read when it was
        told (its last answer just sent) ends at its next message, which SHUT_RD does not
        stop from arriving."""
        self.terminated = True
        self.executor.interrupt("terminate")
        with contextlib.suppress(OSError):
            self.request.shutdown(socket.SHUT_RD)

    def interrupt(self, reason: str) -> None:
        """Cancel the statement running now, if any (executor.py)."""
        self.executor.interrupt(reason)

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
        idle = self.listener.settings.idle_session_timeout
        if idle and self.state.status == IDLE and not self.session.open:
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
        limit = self.listener.settings.max_message_size
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
        deadline = self.executor.deadline
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

    def activity(self) -> functions.Activity:
        session = self.session
        address = self.client_address
        return functions.Activity(
            pid=self.process_id,
            user=self.user,
            application_name=self.state.settings.get("application_name", ""),
            client_addr=str(address[0]) if isinstance(address, tuple) else None,
            client_port=int(address[1]) if isinstance(address, tuple) else None,
            backend_start=self.backend_start,
            xact_start=session.xact_start,
            query_start=session.query_start,
            state_change=session.state_change,
            state=session.activity_state(),
            query=session.query,
        )

    def _try_send_error(self, code: str, message: str, fatal: bool = False) -> None:
        with contextlib.suppress(OSError):
            self._write_now(protocol.error_response(code, message, None, fatal))
