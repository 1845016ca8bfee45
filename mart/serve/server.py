"""mart serve: its settings, the listening server that owns the published mart and every
connection (connection.py), and the signals between sessions (cancel, terminate).

A connection reads and writes the socket (connection.py), its session acts on the messages
(session.py), its executor runs statements on DuckDB (executor.py).
"""

import contextlib
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
from typing import Any

from mart.db import MartError
from mart.serve import functions, protocol
from mart.serve.connection import Connection
from mart.serve.generations import Published
from mart.serve.settings import Settings as Settings  # as `mart serve` (cli.py) imports it

log = logging.getLogger("mart.serve")


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
        self._sessions: dict[int, Connection] = {}
        self._admitted = 0  # sessions holding a --max-connections slot
        self._connections = 0  # connections with a thread, started up or not
        self._lock = threading.Lock()
        super().__init__((settings.host, settings.port), Connection)
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

    def register(self, session: Connection) -> tuple[int, int]:
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

    def admit(self, session: Connection) -> bool:
        """Take one of --max-connections' slots for the session (False: none is free)."""
        with self._lock:
            if self._admitted >= self.settings.max_connections:
                return False
            self._admitted += 1
            session.admitted = True
        return True

    def forget(self, session: Connection) -> None:
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
