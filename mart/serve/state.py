"""SessionState: what a session is in, without a socket: its transaction, savepoints, settings.

The server's Session reads messages and runs statements; the transaction status it reports in
ReadyForQuery, the savepoints a ROLLBACK TO may name, and the settings SET, RESET, SHOW and
DISCARD act on are kept here, so that their rules are tested without a connection.
"""

import re
from dataclasses import dataclass, field

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
_REPORTED = {name.lower(): name for name in STARTUP_REPORTED}

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

    def started(self, application_name: str | None) -> None:
        """Start-up is over: what RESET and DISCARD ALL go back to is now fixed."""
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
        if name == "all":  # RESET ALL
            self.reset()
            return None
        if name == "statement_timeout":
            self.timeout_ms = self._statement_timeout(statement.value)
            self.settings[name] = shown_milliseconds(self.timeout_ms)
            return None
        self.settings[name] = statement.value or self.startup_settings.get(name, "")
        if name in _REPORTED:  # as PostgreSQL reports GUC_REPORT settings when they change
            return _REPORTED[name], self.settings[name]
        return None

    def reset(self) -> None:
        self.settings = dict(self.startup_settings)
        self.timeout_ms = self.ceiling_ms

    def _statement_timeout(self, value: str) -> float:
        """SET statement_timeout: a session may lower mart serve's --statement-timeout, never
        raise it or turn it off; a value past it is refused as PostgreSQL refuses one outside
        a setting's range. RESET (value "") restores the server's."""
        ceiling = self.ceiling_ms
        if not value:
            return ceiling
        milliseconds = parse_milliseconds(value)
        if milliseconds is None:
            raise SqlError("22023", f'invalid value for parameter "statement_timeout": "{value}"')
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
