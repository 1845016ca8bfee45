"""The mart file as published: each version of it opened once, shared by the sessions.

`mart build` swaps a new file in with one rename. A statement that starts after the swap sees
the new file; one already running (or a transaction block already open) finishes on the file
it began with, which stays open until its last session lets go of it.
"""

import contextlib
import logging
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from mart.db import MartError
from mart.serve import sql
from mart.serve.cache import SizedCache
from mart.serve.catalog import CATALOG

log = logging.getLogger("mart.serve")
DESCRIBED_BYTES = 8 << 20  # the columns of queries seen, per version; their SQL counts too


@dataclass(eq=False)
class Generation:
    """One version of the file, attached read-only to an in-memory DuckDB."""

    key: tuple[int, int, int]
    connection: duckdb.DuckDBPyConnection
    users: int = 0  # cursors out
    retired: bool = False
    idle: list[duckdb.DuckDBPyConnection] = field(default_factory=list)  # cursors to reuse
    # SQL -> its columns: BI tools and pools repeat the same catalog queries.
    described: SizedCache[str, list[Any]] = field(
        default_factory=lambda: SizedCache(DESCRIBED_BYTES)
    )

    # A live cursor's id -> the TimeZone (as SHOW shows it) a session gave it; none: UTC, the
    # global one. Setting it costs more than a short query, so a cursor keeps it for the next.
    zones: dict[int, str] = field(default_factory=dict)
    # Tables -> their columns' (table, name, typmod), for RowDescription (server.py).
    typmods: SizedCache[tuple[str, ...], list[Any]] = field(
        default_factory=lambda: SizedCache(DESCRIBED_BYTES // 8)
    )

    def describe(self, key: str, columns: list[Any]) -> list[Any]:
        self.described.put(key, columns, len(key) + 200 * len(columns))
        return columns

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return session_cursor(self.connection)


@dataclass
class Published:
    path: Path
    memory_limit: str | None = None  # DuckDB's, for each version opened
    _current: Generation | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check_out(
        self, generation: Generation | None = None
    ) -> tuple[Generation, duckdb.DuckDBPyConnection]:
        """A cursor on the newest version of the file (reused where one is idle), or on the
        version given (a session's second cursor within a transaction block)."""
        if generation is not None:
            with self._lock:
                generation.users += 1
                cursor = generation.idle.pop() if generation.idle else None
            return generation, cursor or generation.cursor()
        key = _key(self.path)
        with self._lock:
            if self._current is None or (key is not None and key != self._current.key):
                if key is None:
                    raise MartError(f"no mart at {self.path}: run `mart build` first")
                self._retire(self._current)
                opened = open_mart(self.path, memory_limit=self.memory_limit)
                self._current = Generation(key, opened)
                log.info("serving %s (version of %s)", self.path, _modified(self.path))
            generation = self._current
            generation.users += 1
            cursor = generation.idle.pop() if generation.idle else None
        return generation, cursor or generation.cursor()

    def check_in(
        self, generation: Generation, cursor: duckdb.DuckDBPyConnection, reuse: bool = True
    ) -> None:
        """Take a cursor back: to reuse if the session says it holds nothing open and
        it proves clean, else closed (the next session gets a fresh one)."""
        reuse = reuse and not generation.retired and _clean(cursor)
        with self._lock:
            generation.users -= 1
            if reuse:
                generation.idle.append(cursor)
            if generation.retired and generation.users == 0:
                generation.connection.close()
        if not reuse:
            generation.zones.pop(id(cursor), None)
            with contextlib.suppress(duckdb.Error):
                cursor.close()

    def _retire(self, generation: Generation | None) -> None:
        if generation is not None:
            generation.retired = True
            for cursor in generation.idle:
                cursor.close()
            generation.idle.clear()
            if generation.users == 0:
                generation.connection.close()

    def close(self) -> None:
        with self._lock:
            self._retire(self._current)
            self._current = None


def _key(path: Path) -> tuple[int, int, int] | None:
    """What tells one published file from the next: a rename gives a new inode."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _modified(path: Path) -> str:
    return datetime.fromtimestamp(os.stat(path).st_mtime).isoformat(sep=" ", timespec="seconds")


def session_cursor(connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A client session's own cursor, with the mart as its default catalog."""
    cursor = connection.cursor()
    cursor.execute(f"use {CATALOG}")
    return cursor


def _clean(cursor: duckdb.DuckDBPyConnection) -> bool:
    """Whether a cursor holds no unfinished execute() result once abort() has ended any (it
    costs nothing when there is none). A relation's reader left open is the session's to close
    (Session._close_result); should one slip through, the next user's first statement on the
    cursor fails with ResourceInUse and takes a fresh cursor instead (Session._relation)."""
    try:
        cursor.abort()
    except duckdb.Error:
        return False
    return True


def open_mart(
    path: Path, database_name: str = CATALOG, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """The file as mart serve reads it: attached read-only to an in-memory DuckDB, with the
    emulated PostgreSQL catalog installed for clients connecting to database_name; memory_limit
    is DuckDB's for it (a query needing more fails with 53200, the server lives on)."""
    # No replacement scans: otherwise `select * from x` could read a Python variable named x
    # on the serving thread's stack (set at connect time, so that every cursor has it too).
    connection = duckdb.connect(":memory:", config={"python_enable_replacements": False})
    try:
        quoted = str(path).replace("'", "''")
        connection.execute(f"attach '{quoted}' as {CATALOG} (read_only)")
        sql.install(connection, database_name)
        # PostgreSQL's semantics where DuckDB's differ, for every cursor (GLOBAL): 7 / 2 = 3, and
        # the time zone a session starts in (UTC; each session's cursors get its own TimeZone).
        connection.execute("set global integer_division = true")
        connection.execute("set global TimeZone = 'UTC'")
        if memory_limit is not None:
            connection.execute("set memory_limit = ?", [memory_limit])
        # No spilling: DuckDB would write temporary files into the server's working directory;
        # a query past memory_limit fails (53200) instead.
        connection.execute("set temp_directory = ''")
        # Defence in depth under the statement checks: no file, network or extension access,
        # which DuckDB lets no one switch back on while the database runs. The configuration
        # is not locked (lock_configuration) because each session sets its cursors' TimeZone;
        # no client's SQL reaches DuckDB as a SET: SET, RESET and set_config() are the
        # session's (state.py), and the rewrite writes only queries.
        connection.execute("set enable_external_access = false")
    except duckdb.Error as error:
        connection.close()
        message = str(error).splitlines()[0]
        raise MartError(f"cannot open the mart at {path}: {message}") from None
    return connection
