"""SessionState: what a session is in, without a socket: its transaction, savepoints, settings.

The server's Session reads messages and runs statements; the transaction status it reports in
ReadyForQuery, the savepoints a ROLLBACK TO may name, and the settings SET, RESET, SHOW and
DISCARD act on are kept here, so that their rules are tested without a connection.
"""

import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

from mart.serve.postgres_settings import NAMES as POSTGRES_SETTINGS
from mart.serve.sql import SERVER_VERSION, SqlError, Statement

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
REPORTED = {name.lower(): name for name in STARTUP_REPORTED}

# Names SET TRANSACTION SNAPSHOT and RESET ALL carry, which are not settings.
_NOT_NAMES = {"transaction_snapshot", "all"}

IDLE, IN_TRANSACTION, FAILED = b"I", b"T", b"E"  # ReadyForQuery's transaction status


@dataclass
class SessionState:
    """ceiling_ms is the server's --statement-timeout: the most a session's may be (0: none)."""

    ceiling_ms: float = 0.0
    status: bytes = IDLE
    savepoints: list[str] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    startup_settings: dict[str, str] = field(default_factory=dict)
    timeout_ms: float = 0.0  # the session's statement_timeout, parsed

    def __post_init__(self) -> None:
        self.settings = dict(SERVER_SETTINGS)
        self.settings["statement_timeout"] = shown_milliseconds(self.ceiling_ms)
        self.startup_settings = dict(self.settings)
        self.timeout_ms = self.ceiling_ms

    def started(self, application_name: str | None, options: dict[str, str] | None = None) -> None:
        """Start-up is over: what RESET and DISCARD ALL go back to is now fixed.

        options are the start-up packet's: settings given by name (pgjdbc's TimeZone and
        DateStyle) and in options (-c name=value, libpq's PGOPTIONS); each is honoured as SET
        honours it, or refused (SqlError, which ends the connection, as PostgreSQL's FATAL).
        """
        for name, value in _startup_settings(options or {}):
            self.set(Statement("set", "", "SET", name, value))
        if application_name is not None:
            self.settings["application_name"] = application_name
        self.startup_settings = dict(self.settings)

    def reported(self) -> list[tuple[str, str]]:
        """The ParameterStatus messages of start-up: (name as PostgreSQL spells it, value)."""
        return [(name, self.settings[name.lower()]) for name in STARTUP_REPORTED]

    # -- SET, RESET, DISCARD ---------------------------------------------------------------
    def set(self, statement: Statement) -> tuple[str, str] | None:
        """SET or RESET; the ParameterStatus to send if the setting is one PostgreSQL reports."""
        name = statement.name
        if "." not in name and name not in POSTGRES_SETTINGS and name not in _NOT_NAMES:
            raise SqlError("42704", f'unrecognized configuration parameter "{name}"')
        if name == "all":  # RESET ALL
            self.reset()
            return None
        if name == "statement_timeout":
            self.timeout_ms = self._statement_timeout(statement.value)
            self.settings[name] = shown_milliseconds(self.timeout_ms)
            return None
        value = statement.value
        if value and name in _CHECKED:
            value = _CHECKED[name](value)
        self.settings[name] = value or self.startup_settings.get(name, "")
        if name in REPORTED:  # as PostgreSQL reports GUC_REPORT settings when they change
            return REPORTED[name], self.settings[name]
        return None

    def reset(self) -> None:
        self.settings = dict(self.startup_settings)
        self.timeout_ms = self.ceiling_ms

    def _statement_timeout(self, value: str) -> float:
        """SET statement_timeout: a session may lower mart serve's --statement-timeout, never
        raise it or turn it off; a value past it is refused as PostgreSQL refuses one outside
        a setting's range. RESET (value "") restores the server's, and so does 0: "no limit of
        the session's own", which pg_dump and other tools set before long reads (SHOW then
        tells the limit that holds)."""
        ceiling = self.ceiling_ms
        if not value:
            return ceiling
        milliseconds = parse_milliseconds(value)
        if milliseconds is None:
            raise SqlError("22023", f'invalid value for parameter "statement_timeout": "{value}"')
        if milliseconds == 0:
            return ceiling
        if ceiling and not 0 < milliseconds <= ceiling:
            raise SqlError(
                "22023",
                f"{_number(milliseconds)} ms is outside the valid range for parameter "
                f'"statement_timeout" (1 .. {_number(ceiling)})',
                hint=f"mart serve runs with --statement-timeout {ceiling / 1000:g}: a session "
                "may lower it, not raise it",
            )
        return milliseconds

    # -- transaction control ---------------------------------------------------------------
    def transaction(self, statement: Statement) -> tuple[str, bool]:
        """BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, ROLLBACK TO: (its command tag,
        whether the transaction ended, so that its portals go)."""
        action = statement.name
        if action == "begin":
            if self.status == IDLE:
                self.status = IN_TRANSACTION
            return "BEGIN", False
        if action in ("commit", "rollback"):
            tag = "ROLLBACK" if self.status == FAILED or action == "rollback" else "COMMIT"
            self.status = IDLE
            self.savepoints.clear()
            return tag, True
        if self.status == IDLE:
            verb = "ROLLBACK TO SAVEPOINT" if action == "rollback_to" else statement.tag
            raise SqlError("25P01", f"{verb} can only be used in transaction blocks")
        name = statement.value
        if action == "savepoint":
            self.savepoints.append(name)
            return statement.tag, False
        if name not in self.savepoints:
            raise SqlError("3B001", f'savepoint "{name}" does not exist')
        position = len(self.savepoints) - 1 - self.savepoints[::-1].index(name)
        if action == "rollback_to":
            del self.savepoints[position + 1 :]  # the savepoint itself stays
            self.status = IN_TRANSACTION
            return "ROLLBACK", False
        del self.savepoints[position:]
        return statement.tag, False

    def may_run(self, statement: Statement) -> None:
        """In a failed block only its end runs (25P02 for anything else, as in PostgreSQL)."""
        if self.status == FAILED and not (
            statement.kind == "transaction"
            and statement.name in ("commit", "rollback", "rollback_to")
        ):
            raise SqlError(
                "25P02",
                "current transaction is aborted, commands ignored until end of transaction block",
            )

    def failed(self) -> None:
        """A statement failed: an explicit block is aborted until its end."""
        if self.status == IN_TRANSACTION:
            self.status = FAILED


def parse_milliseconds(value: str) -> float | None:
    """A statement_timeout setting in milliseconds ('5000', '5s', '1min'); None if invalid."""
    match = re.fullmatch(r"\s*'?(\d+(?:\.\d+)?)\s*(ms|s|min|h)?'?\s*", value)
    if not match:
        return None
    scale = {"ms": 1, None: 1, "s": 1000, "min": 60_000, "h": 3_600_000}[match.group(2)]
    return float(match.group(1)) * scale


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def shown_milliseconds(milliseconds: float) -> str:
    """A statement_timeout as PostgreSQL shows it: in the largest unit that divides it."""
    if not milliseconds:
        return "0"
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("min", 60_000), ("s", 1000)):
        if milliseconds % size == 0:
            return f"{_number(milliseconds // size)}{unit}"
    return f"{_number(milliseconds)}ms"


# -- settings that change answers: honoured where mart serve can, refused where it cannot -------


def _not_supported(name: str, value: str, why: str) -> SqlError:
    return SqlError("0A000", f'{name} = "{value}" is not supported by mart serve: {why}', hint=why)


# The time zone database's names, by lower case: PostgreSQL takes a name in any case and shows
# it as the database spells it.
_ZONES = {name.lower(): name for name in zoneinfo.available_timezones() if name != "localtime"}
# A POSIX zone without rules: a name (UTC, <+05>) and hours WEST of UTC (UTC+3 is UTC-03:00).
_POSIX = re.compile(r"(?:<[^<>]+>|[A-Za-z]{3,})?([+-]?)(\d{1,2})(?::(\d\d))?(?::(\d\d))?")
_INTERVAL = re.compile(r"CAST\('([+-]?)(\d{1,2})(?::(\d\d))?' AS interval.*\)", re.IGNORECASE)


def _time_zone(value: str) -> str:
    """TimeZone as PostgreSQL takes it and shows it (SHOW, ParameterStatus): a zone name in any
    case (Asia/Kolkata), a number of hours east of UTC (SET TIME ZONE 5.5: <+05:30>-05:30), an
    interval, or a POSIX offset (UTC+3 is three hours west). duckdb_time_zone() is the zone
    the session's timestamptz values, their text, now(), date_trunc, extract, to_char and
    casts are computed in."""
    text = value.strip().strip("'")
    if text.lower() in _ZONES:
        return _ZONES[text.lower()]
    interval = _INTERVAL.fullmatch(text)
    if interval is not None:
        sign, hours, minutes = interval.groups()
        east = (int(hours) * 3600 + int(minutes or 0) * 60) * (-1 if sign == "-" else 1)
        return _shown_offset(east)
    try:
        hours_east = float(text)
    except ValueError:
        pass
    else:
        if abs(hours_east) <= 15:
            return _shown_offset(round(hours_east * 3600))
    if _POSIX.fullmatch(text) and _seconds_east(text) is not None:
        return text
    raise SqlError("22023", f'invalid value for parameter "TimeZone": "{text}"')


def _shown_offset(east: int) -> str:
    """A fixed offset as PostgreSQL shows it: <+05:30>-05:30 (the POSIX part counts west)."""
    sign = "-" if east < 0 else "+"
    hours, rest = divmod(abs(east), 3600)
    minutes, seconds = divmod(rest, 60)
    clock = f"{hours:02d}" + (f":{minutes:02d}" if minutes or seconds else "")
    clock += f":{seconds:02d}" if seconds else ""
    west = "-" if sign == "+" else "+"
    return f"<{sign}{clock}>{west}{clock}"


def _seconds_east(posix: str) -> int | None:
    match = _POSIX.fullmatch(posix)
    if match is None:
        return None
    sign, hours, minutes, seconds = match.groups()
    west = int(hours) * 3600 + int(minutes or 0) * 60 + int(seconds or 0)
    if west > 15 * 3600:
        return None
    return west if sign == "-" else -west


def duckdb_time_zone(shown: str) -> str:
    """The zone DuckDB (ICU) computes in for a TimeZone as SHOW gives it: a named zone as it
    is, a fixed offset as Etc/GMT-5 (whole hours; its sign is POSIX's) or GMT+05:30."""
    if shown.lower() in _ZONES:
        return shown
    east = _seconds_east(shown)
    if east is None:  # a value _time_zone() took, so a named zone
        return shown
    if east % 3600 == 0:
        hours = east // 3600
        return "Etc/GMT" if hours == 0 else f"Etc/GMT{-hours:+d}"
    sign = "-" if east < 0 else "+"
    hours, rest = divmod(abs(east), 3600)
    return f"GMT{sign}{hours:02d}:{rest // 60:02d}"


def _date_style(value: str) -> str:
    """DateStyle: output in ISO only (the order of day and month matters only for input DuckDB
    does not take: '01/02/2017')."""
    parts = [part.strip().lower() for part in value.replace("'", "").split(",") if part.strip()]
    styles = [p for p in parts if p in ("iso", "sql", "postgres", "german")]
    orders = [
        p
        for p in parts
        if p in ("mdy", "dmy", "ymd", "us", "euro", "european", "noneuro", "noneuropean")
    ]
    if len(styles) + len(orders) != len(parts) or any(style != "iso" for style in styles):
        raise _not_supported("DateStyle", value, "mart serve writes dates in ISO style only")
    order = {"us": "mdy", "noneuro": "mdy", "noneuropean": "mdy", "euro": "dmy", "european": "dmy"}
    shown = order.get(orders[-1], orders[-1]).upper() if orders else "MDY"
    return f"ISO, {shown}"


def _search_path(value: str) -> str:
    """search_path: the mart has one schema, public, and pg_catalog is searched first anyway;
    a path without public would make every unqualified name fail."""
    schemas = [part.strip().strip('"') for part in value.split(",") if part.strip()]
    if "public" not in schemas or any(
        schema not in ("public", "$user", "pg_catalog") for schema in schemas
    ):
        raise _not_supported(
            "search_path", value, "the mart has one schema, public, which must be on the path"
        )
    return value


def _only(name: str, allowed: tuple[str, ...], why: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value.strip().strip("'").lower() not in allowed:
            raise _not_supported(name, value, why)
        return value

    return check


def _client_encoding(value: str) -> str:
    """client_encoding: UTF8 only, reported as PostgreSQL spells it whatever was asked for."""
    _only("client_encoding", ("utf8", "utf-8", "unicode"), "mart serve speaks UTF8 only")(value)
    return "UTF8"


def _float_digits(value: str) -> str:
    """extra_float_digits: mart serve writes floats in their shortest exact form, PostgreSQL's
    answer for 1 and more; fewer digits would round them."""
    try:
        digits = int(value.strip().strip("'"))
    except ValueError:
        message = f'invalid value for parameter "extra_float_digits": "{value}"'
        raise SqlError("22023", message) from None
    if digits < 1:
        raise _not_supported(
            "extra_float_digits", value, "floats are written in full (extra_float_digits >= 1)"
        )
    return str(digits)


_CHECKED: dict[str, Callable[[str], str]] = {
    "timezone": _time_zone,
    "datestyle": _date_style,
    "search_path": _search_path,
    "intervalstyle": _only("IntervalStyle", ("postgres",), "intervals are written postgres-style"),
    "client_encoding": _client_encoding,
    "standard_conforming_strings": _only(
        "standard_conforming_strings", ("on", "true", "1", "yes"), "backslashes in '' are text"
    ),
    "bytea_output": _only("bytea_output", ("hex",), "bytea is written in hex"),
    "extra_float_digits": _float_digits,
}

# Start-up packet keys that are not settings.
_NOT_SETTINGS = {"user", "database", "options", "replication", "application_name"}


def _startup_settings(options: dict[str, str]) -> list[tuple[str, str]]:
    """(setting, value) pairs of a start-up packet: its keys, then its options string's
    -c name=value (or --name=value) items, backslash-escaped spaces kept (as PostgreSQL
    reads pg_split_opts)."""
    pairs = [(k.lower(), v) for k, v in options.items() if k.lower() not in _NOT_SETTINGS]
    words = re.findall(r"(?:\\.|[^\s\\])+", options.get("options", ""))
    words = [re.sub(r"\\(.)", r"\1", word) for word in words]
    i = 0
    while i < len(words):
        word = words[i]
        if word == "-c" and i + 1 < len(words):
            word, i = "--" + words[i + 1], i + 1
        elif word.startswith("-c"):
            word = "--" + word[2:]
        if not word.startswith("--") or "=" not in word:
            raise SqlError("22023", f"invalid command-line argument for server process: {word}")
        name, _, value = word[2:].partition("=")
        pairs.append((name.replace("-", "_").lower(), value))
        i += 1
    return pairs
