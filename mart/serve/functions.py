"""The functions the rewrite calls that DuckDB lacks: functions.sql's macros, and the few that
need Python (the server's sessions, the clock); install() puts them on a connection."""

import datetime
import functools
import threading
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Protocol

import duckdb
from duckdb import func, sqltypes

from mart.serve.catalog import statements_of
from mart.serve.formats import format_number, number_pattern
from mart.serve.registry import (
    CLOCK_TIMESTAMP,
    NUMBER_TO_CHAR,
    NUMERIC_QUOTIENT,
    SIGNAL_BACKEND,
    STAT_ACTIVITY,
)

_FUNCTIONS_SQL = resources.files("mart.serve").joinpath("functions.sql").read_text("utf-8")
_STATEMENTS = statements_of(_FUNCTIONS_SQL)

# The message a refused signal carries; the server's error mapping turns it into 42501.
PERMISSION_DENIED = "mart serve: permission denied to "


@dataclass(frozen=True)
class Activity:
    """One session, as pg_stat_activity shows it to its own user."""

    pid: int
    user: str  # the start-up packet's, which pg_cancel_backend() compares
    application_name: str
    client_addr: str | None
    client_port: int | None
    backend_start: datetime.datetime
    xact_start: datetime.datetime | None
    query_start: datetime.datetime | None
    state_change: datetime.datetime | None
    state: str  # 'active', 'idle', 'idle in transaction' or 'idle in transaction (aborted)'
    query: str  # the last query string the session was sent


class Backends(Protocol):
    """What pg_cancel_backend(), pg_terminate_backend() and pg_stat_activity reach: the
    server's sessions."""

    def signal(self, caller: int, target: int, terminate: bool) -> str:
        """'signalled', 'missing' (no such session) or 'denied' (another user's)."""
        ...

    def activity(self) -> list[Activity]:
        """Every session that has started up, in the order they did."""
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


# pg_stat_activity's columns that come from the session, with DuckDB's types (catalog.sql's
# oid is bigint; inet, as the emulation's other network columns, is varchar).
_ACTIVITY_COLUMNS = {
    "pid": sqltypes.INTEGER,
    "usename": sqltypes.VARCHAR,
    "application_name": sqltypes.VARCHAR,
    "client_addr": sqltypes.VARCHAR,
    "client_port": sqltypes.INTEGER,
    "backend_start": sqltypes.TIMESTAMP_TZ,
    "xact_start": sqltypes.TIMESTAMP_TZ,
    "query_start": sqltypes.TIMESTAMP_TZ,
    "state_change": sqltypes.TIMESTAMP_TZ,
    "wait_event_type": sqltypes.VARCHAR,
    "wait_event": sqltypes.VARCHAR,
    "state": sqltypes.VARCHAR,
    "query": sqltypes.VARCHAR,
    "backend_type": sqltypes.VARCHAR,
}


def _stat_activity(caller: int | None) -> list[dict[str, object]]:
    """The sessions as PostgreSQL's pg_stat_get_activity() shows them to caller, a role
    without pg_read_all_stats: of another user's session only its pid, user and
    application_name, and '<insufficient privilege>' for its query."""
    backends = _backends
    sessions = backends.activity() if backends is not None else []
    user = next((s.user for s in sessions if s.pid == caller), None)
    found: list[dict[str, object]] = []
    for s in sessions:
        row: dict[str, object] = dict.fromkeys(_ACTIVITY_COLUMNS)
        row.update(pid=s.pid, usename=s.user, application_name=s.application_name)
        if s.user != user:
            row["query"] = "<insufficient privilege>"
            found.append(row)
            continue
        row.update(
            client_addr=s.client_addr,
            client_port=s.client_port,
            backend_start=s.backend_start,
            xact_start=s.xact_start,
            query_start=s.query_start,
            state_change=s.state_change,
            state=s.state,
            query=s.query,
            backend_type="client backend",
        )
        if s.state != "active":  # waiting for the client's next message
            row.update(wait_event_type="Client", wait_event="ClientRead")
        found.append(row)
    return found


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


def _nbase(digits: int, scale: int) -> tuple[int, int]:
    """A number's weight and first digit in base 10000, as PostgreSQL's numeric stores it: the
    value is digits / 10^scale."""
    if digits == 0:
        return 0, 0
    weight = (len(str(abs(digits))) - scale - 1) // 4
    exponent = scale + 4 * weight
    first = abs(digits) // 10**exponent if exponent >= 0 else abs(digits) * 10**-exponent
    return weight, first


def numeric_quotient(dividend: str | None, scale: int | None, divisor: str | None) -> str | None:
    """(dividend / 10^scale) / divisor, divisor a positive integer, as PostgreSQL's numeric
    division answers it: at select_div_scale's scale (at least 16 significant digits, no fewer
    decimals than the dividend), rounded half away from zero, exactly. None when divisor <= 0
    (avg of no rows)."""
    if dividend is None or scale is None or divisor is None:
        return None
    digits, by = int(dividend), int(divisor)
    if by <= 0:
        return None
    (weight, first), (by_weight, by_first) = _nbase(digits, scale), _nbase(by, 0)
    quotient_weight = weight - by_weight - (1 if first <= by_first else 0)
    result_scale = min(max(16 - 4 * quotient_weight, scale, 0), 1000)
    if result_scale > 20:
        raise ValueError(
            f"mart serve cannot compute this quotient to the {result_scale} decimals PostgreSQL "
            "gives it (at most 20)"
        )
    rounded = (2 * abs(digits) * 10 ** (result_scale - scale) + by) // (2 * by)
    text = str(rounded).rjust(result_scale + 1, "0")
    whole, fraction = text[: len(text) - result_scale], text[len(text) - result_scale :]
    return ("-" if digits < 0 else "") + whole + "." + fraction + "0"


def install(con: duckdb.DuckDBPyConnection) -> None:
    # The Python functions first: DuckDB binds a table macro's calls when it is created.
    con.create_function(
        SIGNAL_BACKEND,
        _signal,
        [sqltypes.INTEGER, sqltypes.VARCHAR, sqltypes.INTEGER],
        sqltypes.BOOLEAN,
        null_handling=func.SPECIAL,
        side_effects=True,
    )
    con.create_function(
        STAT_ACTIVITY,
        _stat_activity,
        [sqltypes.INTEGER],
        duckdb.list_type(duckdb.struct_type(_ACTIVITY_COLUMNS)),
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
    con.create_function(
        NUMERIC_QUOTIENT,
        numeric_quotient,
        [sqltypes.VARCHAR, sqltypes.INTEGER, sqltypes.VARCHAR],
        sqltypes.VARCHAR,
    )
    for statement in _STATEMENTS:
        con.execute(statement)
