"""The session without a socket: protocol messages in, the bytes it answers out.

A session (mart/serve/session.py) does no I/O: these tests hand it messages as a client's
connection would and read what it sends, with a fake executor where DuckDB does not matter and
with the real one on a built mart where it does.
"""

import contextlib
import struct
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pytest

from mart.serve import rows, types
from mart.serve.executor import Executor, Result
from mart.serve.generations import Published
from mart.serve.session import Session
from mart.serve.sql import Statement
from mart.serve.state import SessionState
from tests.serving import build_mart


class Collected:
    """A session's Output: what it sends, kept."""

    def __init__(self) -> None:
        self.sent = bytearray()

    def send(self, data: bytes) -> None:
        self.sent += data

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        taken, self.sent = bytes(self.sent), bytearray()
        return taken


class FakeExecutor:
    """Every query answers one int4 column n with the values given; nothing else is there."""

    def __init__(self, values: list[int]) -> None:
        self.values = values
        self.query = ""
        self.opened: list[str] = []  # the SQL of each statement run (not only described)
        self.closed = 0

    def statement(self, timeout_ms: float) -> Any:
        return contextlib.nullcontext()

    def open(
        self, statement: Statement, values: list[Any], formats: list[int], bind_only: bool = False
    ) -> Result:
        columns = [rows.Column("n", types.INT4, 4, -1, "INTEGER")]
        formats = rows.formats_for(columns, formats)
        if bind_only:
            return Result(columns, formats)
        self.opened.append(statement.sql)
        # As the real one sends them: text-format columns already as PostgreSQL's text.
        if formats == [0]:
            column = pa.array([str(v) for v in self.values])
        else:
            column = pa.array(self.values, pa.int32())
        batch = pa.RecordBatch.from_pydict({"n": column})
        return Result(columns, formats, iter([batch]))

    def next_batch(self, result: Result) -> Any:
        assert result.batches is not None
        return next(result.batches, None)

    def close(self, result: Result) -> bool:
        self.closed += 1
        return True

    def parameter_types(self, query: str, given: list[int]) -> list[int]:
        return given

    def give_back(self, reuse: bool = True) -> None:
        pass


def _session(executor: Any, state: SessionState | None = None) -> tuple[Session, Collected]:
    if state is None:
        state = SessionState()
        state.started(None)
    output = Collected()
    session = Session(state, executor, output)
    session.ready()
    assert output.take() == b"Z\0\0\0\5I"
    return session, output


def _cstring(text: str) -> bytes:
    return text.encode() + b"\0"


QUERY, PARSE, BIND, EXECUTE, SYNC = b"Q", b"P", b"B", b"E", b"S"


def _send(session: Session, output: Collected, *messages: tuple[bytes, bytes]) -> bytes:
    for kind, body in messages:
        assert session.message(kind, body)
    return output.take()


def _query(text: str) -> tuple[bytes, bytes]:
    return QUERY, _cstring(text)


def _codes(answer: bytes) -> list[str]:
    """The SQLSTATE of each ErrorResponse in the answer, in order."""
    found = []
    offset = 0
    while offset < len(answer):
        kind = answer[offset : offset + 1]
        (length,) = struct.unpack_from("!i", answer, offset + 1)
        body = answer[offset + 5 : offset + 1 + length]
        if kind == b"E":
            fields = dict((f[:1], f[1:]) for f in body.split(b"\0") if f)
            found.append(fields[b"C"].decode())
        offset += 1 + length
    return found


# -- with a fake executor: the protocol's state machine alone ---------------------------------
def test_an_error_skips_the_batch_until_sync() -> None:
    executor = FakeExecutor([7])
    session, output = _session(executor)
    answer = _send(
        session,
        output,
        (PARSE, b"\0selec $1\0\0\0"),
        (BIND, b"\0\0\0\0\0\0\0\0"),
        (EXECUTE, b"\0\0\0\0\0"),
    )
    assert _codes(answer) == ["42601"]  # Bind and Execute were skipped: no 26000, no 34000
    assert executor.opened == []
    assert _send(session, output, (SYNC, b"")) == b"Z\0\0\0\5I"
    answer = _send(session, output, (PARSE, b"\0select 7\0\0\0"), (BIND, b"\0\0\0\0\0\0\0\0"))
    assert answer == b"1\0\0\0\4" + b"2\0\0\0\4"  # ParseComplete, BindComplete


def test_an_error_in_parse_aborts_the_transaction_block() -> None:
    session, output = _session(FakeExecutor([1]))
    assert _send(session, output, _query("begin")).endswith(b"Z\0\0\0\5T")
    answer = _send(session, output, (PARSE, b"\0selec $1\0\0\0"), (SYNC, b""))
    assert _codes(answer) == ["42601"] and answer.endswith(b"Z\0\0\0\5E")
    answer = _send(session, output, _query("select 1"))
    assert _codes(answer) == ["25P02"] and answer.endswith(b"Z\0\0\0\5E")
    assert _send(session, output, _query("rollback")).endswith(b"C\0\0\0\rROLLBACK\0Z\0\0\0\5I")
    answer = _send(session, output, _query("select 1"))
    assert b"D\0\0\0\x0b\0\1\0\0\0\x011" in answer and answer.endswith(b"Z\0\0\0\5I")


def test_a_portal_run_in_pieces_is_suspended_then_completed() -> None:
    executor = FakeExecutor([1, 2, 3])
    session, output = _session(executor)
    execute_two = b"\0" + struct.pack("!i", 2)
    answer = _send(
        session,
        output,
        (PARSE, b"\0select n\0\0\0"),
        (BIND, b"\0\0\0\0\0\0\0\0"),
        (EXECUTE, execute_two),
    )
    assert answer.count(b"D\0\0\0\x0b") == 2 and answer.endswith(b"s\0\0\0\4")
    answer = _send(session, output, (EXECUTE, execute_two), (SYNC, b""))
    assert answer == (b"D\0\0\0\x0b\0\1\0\0\0\x013" + b"C\0\0\0\rSELECT 1\0" + b"Z\0\0\0\5I")
    assert executor.closed == 1


# -- with the real executor on a built mart, still without a socket ----------------------------
@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    path: Path = build_mart(tmp_path_factory.mktemp("session") / "mart.duckdb")
    published = Published(path)
    yield published
    published.close()


@pytest.fixture
def duckdb_session(published: Published) -> Iterator[tuple[Session, Collected]]:
    state = SessionState()
    state.started(None)
    session, output = _session(Executor(published, state), state)
    yield session, output
    assert session.close(clean=True)


def test_malformed_messages_get_an_error_not_a_dropped_connection(
    duckdb_session: tuple[Session, Collected],
) -> None:
    session, output = duckdb_session
    answer = _send(session, output, (QUERY, b"select '\xff'\0"))
    assert _codes(answer) == ["22021"] and answer.endswith(b"Z\0\0\0\5I")
    truncated_bind = b"\0\0\0\0\0\1\0\0"  # one parameter announced, its length cut off
    answer = _send(
        session, output, (PARSE, b"\0select $1::int\0\0\0"), (BIND, truncated_bind), (SYNC, b"")
    )
    assert _codes(answer) == ["08P01"] and answer.endswith(b"Z\0\0\0\5I")
    assert b"42" in _send(session, output, _query("select 40 + 2"))


def test_a_portal_left_unread_is_dropped_at_sync(
    duckdb_session: tuple[Session, Collected],
) -> None:
    """As JDBC's setMaxRows does: a row limit, then Sync; the rest is not read, ever."""
    session, output = duckdb_session
    execute = b"\0" + struct.pack("!i", 1)
    answer = _send(
        session,
        output,
        (PARSE, b"\0select i from range(30000000) t(i)\0\0\0"),
        (BIND, b"\0\0\0\0\0\0\0\0"),
        (EXECUTE, execute),
        (SYNC, b""),
    )
    assert b"s\0\0\0\4" in answer  # PortalSuspended after the one row asked for
    started = time.monotonic()
    assert b"42" in _send(session, output, _query("select 40 + 2"))
    assert time.monotonic() - started < 2  # the 30M rows left were not read
    answer = _send(session, output, (EXECUTE, execute), (SYNC, b""))
    assert _codes(answer) == ["34000"]  # the portal is gone, as in PostgreSQL


def test_savepoints_are_tracked(duckdb_session: tuple[Session, Collected]) -> None:
    session, output = duckdb_session
    assert _send(session, output, _query("begin")).endswith(b"Z\0\0\0\5T")
    assert _send(session, output, _query("savepoint a")).endswith(b"Z\0\0\0\5T")
    answer = _send(session, output, _query("select * from nosuch"))
    assert _codes(answer) == ["42P01"] and answer.endswith(b"Z\0\0\0\5E")
    answer = _send(session, output, _query("rollback to savepoint nosuch"))
    assert _codes(answer) == ["3B001"] and b'Msavepoint "nosuch" does not exist\0' in answer
    answer = _send(session, output, _query("rollback to savepoint a"))  # back from the error
    assert answer.endswith(b"Z\0\0\0\5T")
    answer = _send(session, output, _query("select 1"))
    assert b"D\0\0\0\x0b\0\1\0\0\0\x011" in answer and answer.endswith(b"Z\0\0\0\5T")
    assert _send(session, output, _query("commit")).endswith(b"Z\0\0\0\5I")
