"""The mart file as published: each version of it opened once, shared by the sessions.

`mart build` swaps a new file in with one rename. A statement that starts after the swap sees
the new file; one already running (or a transaction block already open) finishes on the file
it began with, which stays open until its last session lets go of it.
"""

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

log = logging.getLogger("mart.serve")
CATALOG = "mart"  # the attached file's DuckDB catalog name; clients see it as database "mart"


@dataclass(eq=False)
class Generation:
    """One version of the file, attached read-only to an in-memory DuckDB."""

    key: tuple[int, int, int]
    connection: duckdb.DuckDBPyConnection
    users: int = 0  # cursors out
    retired: bool = False
    idle: list[duckdb.DuckDBPyConnection] = field(default_factory=list)  # cursors to reuse
    # SQL -> its columns: BI tools and pools repeat the same catalog queries.
    described: dict[str, list[Any]] = field(default_factory=dict)

    def describe(self, key: str, columns: list[Any]) -> list[Any]:
        if len(self.described) >= 2048:
            self.described.clear()
        self.described[key] = columns
        return columns

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return session_cursor(self.connection)


@dataclass
class Published:
    path: Path
    _current: Generation | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check_out(self) -> tuple[Generation, duckdb.DuckDBPyConnection]:
        """A cursor on the newest version of the file (reused where one is idle)."""
        key = _key(self.path)
        with self._lock:
            if self._current is None or (key is not None and key != self._current.key):
                if key is None:
                    raise MartError(f"no mart at {self.path}: run `mart build` first")
                self._retire(self._current)
                self._current = _open(self.path, key)
                log.info("serving %s (version of %s)", self.path, _modified(self.path))
            generation = self._current
            generation.users += 1
            cursor = generation.idle.pop() if generation.idle else None
        return generation, cursor or generation.cursor()

    def check_in(self, generation: Generation, cursor: duckdb.DuckDBPyConnection) -> None:
        with self._lock:
            generation.users -= 1
            if generation.retired:
                cursor.close()
                if generation.users == 0:
                    generation.connection.close()
            else:
                generation.idle.append(cursor)

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


def _open(path: Path, key: tuple[int, int, int]) -> Generation:
    return Generation(key, open_mart(path))


def open_mart(path: Path, database_name: str = CATALOG) -> duckdb.DuckDBPyConnection:
    """The file as mart serve reads it: attached read-only to an in-memory DuckDB, with the
    emulated PostgreSQL catalog installed for clients connecting to database_name."""
    # No replacement scans: otherwise `select * from x` could read a Python variable named x
    # on the serving thread's stack (set at connect time, so that every cursor has it too).
    connection = duckdb.connect(":memory:", config={"python_enable_replacements": False})
    try:
        quoted = str(path).replace("'", "''")
        connection.execute(f"attach '{quoted}' as {CATALOG} (read_only)")
        sql.install(connection, database_name)
        # PostgreSQL's semantics where DuckDB's differ, for every cursor (GLOBAL): 7 / 2 = 3, and
        # the time zone the server reports (UTC) for timestamptz.
        connection.execute("set global integer_division = true")
        connection.execute("set global TimeZone = 'UTC'")
        # Defence in depth under the statement checks: no file, network or extension access,
        # and no client can switch it back on.
        connection.execute("set enable_external_access = false")
        connection.execute("set lock_configuration = true")
    except duckdb.Error as error:
        connection.close()
        message = str(error).splitlines()[0]
        raise MartError(f"cannot open the mart at {path}: {message}") from None
    return connection
