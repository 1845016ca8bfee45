"""The functions the rewrite calls that DuckDB lacks: functions.sql's macros, and the few that
need Python (the server's sessions, the clock); install() puts them on a connection."""

import datetime
import threading
from importlib import resources
from typing import Protocol

import duckdb
from duckdb import func, sqltypes

from mart.serve.catalog import _statements_of
from mart.serve.rewrite import CLOCK_TIMESTAMP, SIGNAL_BACKEND

_FUNCTIONS_SQL = resources.files("mart.serve").joinpath("functions.sql").read_text("utf-8")
_STATEMENTS = _statements_of(_FUNCTIONS_SQL)

# The message a refused signal carries; the server's error mapping turns it into 42501.
PERMISSION_DENIED = "mart serve: permission denied to "


class Backends(Protocol):
    """What pg_cancel_backend() and pg_terminate_backend() reach: the server's sessions."""

    def signal(self, caller: int, target: int, terminate: bool) -> str:
        """'signalled', 'missing' (no such session) or 'denied' (another user's)."""
        ...


_backends: Backends | None = None
_lock = threading.Lock()


def serve_backends(backends: Backends | None) -> None:
    """The server whose sessions the signal functions reach (one per process)."""
    global _backends
    with _lock:
        _backends = backends


def _signal(target: int | None, kind: str | None, caller: int | None) -> bool | None:
    if target is None:
        return None
    backends = _backends
    if backends is None or caller is None:
        return False
    outcome = backends.signal(int(caller), int(target), kind == "terminate")
    if outcome == "denied":
        what = "terminate process" if kind == "terminate" else "cancel query"
        raise PermissionError(PERMISSION_DENIED + what)
    return outcome == "signalled"


def _clock() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def install(con: duckdb.DuckDBPyConnection) -> None:
    for statement in _STATEMENTS:
        con.execute(statement)
    con.create_function(
        SIGNAL_BACKEND,
        _signal,
        [sqltypes.INTEGER, sqltypes.VARCHAR, sqltypes.INTEGER],
        sqltypes.BOOLEAN,
        null_handling=func.SPECIAL,
        side_effects=True,
    )
    con.create_function(CLOCK_TIMESTAMP, _clock, [], sqltypes.TIMESTAMP_TZ, side_effects=True)
