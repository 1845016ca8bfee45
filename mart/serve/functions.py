"""The functions the rewrite calls that DuckDB lacks: functions.sql's macros, and the few that
need Python (the server's sessions, the clock); install() puts them on a connection."""

import datetime
import functools
import threading
from decimal import Decimal
from importlib import resources
from typing import Protocol

import duckdb
from duckdb import func, sqltypes

from mart.serve.catalog import _statements_of
from mart.serve.formats import format_number, number_pattern
from mart.serve.rewrite import CLOCK_TIMESTAMP, NUMBER_TO_CHAR, SIGNAL_BACKEND

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


@functools.lru_cache(maxsize=256)
def _number_items(pattern: str) -> list[tuple[str, str]]:
    return number_pattern(pattern)


def _number_to_char(text: str | None, number: float | None, pattern: str | None) -> str | None:
    """to_char(number, pattern): a numeric or integer as its text (exact), a float as its
    binary value (PostgreSQL formats a double with printf, which rounds that value)."""
    if pattern is None:
        return None
    if text is not None:
        value = Decimal(text)
    elif number is not None:
        value = Decimal(number)
    else:
        return None
    return format_number(value, _number_items(pattern), exact=text is not None)


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
    con.create_function(
        NUMBER_TO_CHAR,
        _number_to_char,
        [sqltypes.VARCHAR, sqltypes.DOUBLE, sqltypes.VARCHAR],
        sqltypes.VARCHAR,
        null_handling=func.SPECIAL,
    )
