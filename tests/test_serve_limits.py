"""`mart serve` under bad clients: one never hurts another, and memory stays bounded.

Real clients on loopback (psql, psycopg) and sessions spoken by hand for what no client does on
purpose (a gigabyte message, a password never sent). Where a test waits for the server it waits
for a signal from it (a log line, its /proc counters), never for a fixed time; wall-clock
figures are bench/serve.py's business, not these tests'.
"""

import shutil
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from tests.conftest import SEEDED_COMPANIES
from tests.serving import MART_USER, Served, build_mart, serving, wait_for

BIG_RESULT = "select * from range(20000000) t(i)"


@pytest.fixture(scope="module")
def mart_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_mart(tmp_path_factory.mktemp("limits") / "mart.duckdb")


# The companies of the repository's seeds, which the mart these tests serve holds: the answer a
# second, well-behaved client must get while another misbehaves.
COMPANIES = (SEEDED_COMPANIES,)


def _message(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("!i", 4 + len(body)) + body


SYNC = _message(b"S", b"")


def _startup(user: bytes = b"analyst", **options: bytes) -> bytes:
    body = b"user\0" + user + b"\0database\0mart\0"
    for name, value in options.items():
        body += name.encode() + b"\0" + value + b"\0"
    body += b"\0"
    return struct.pack("!ii", 8 + len(body), 196608) + body


def _read_until_ready(raw: socket.socket) -> bytes:
    received = b""
    while not (len(received) >= 6 and received[-6:-1] == b"Z\0\0\0\5"):
        chunk = raw.recv(65536)
        assert chunk, received
        received += chunk
    return received


def _read_to_end(raw: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    while chunk := raw.recv(65536):
        received += chunk
    return received


def _error_fields(data: bytes) -> dict[str, str]:
    """The fields of the first ErrorResponse in data: {"S": "FATAL", "C": "53300", ...}."""
    at = data.index(b"E")
    while True:  # skip messages before it that happen to contain the letter
        (length,) = struct.unpack("!i", data[at + 1 : at + 5])
        if data[at : at + 1] == b"E" and data[at + 5 : at + 6] == b"S":
            body = data[at + 5 : at + 1 + length]
            break
        at = data.index(b"E", at + 1)
    return {part[:1].decode(): part[1:].decode() for part in body.split(b"\0") if part}


@contextmanager
def _raw(served: Served) -> Iterator[socket.socket]:
    with socket.create_connection((served.host, served.port), timeout=60) as raw:
        yield raw


def _resident(pid: int) -> int:
    """A process's resident memory in bytes (0 once it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _disconnects(served: Served) -> int:
    return served.logged().count(": disconnected")


def _psql(served: Served) -> list[str]:
    if shutil.which("psql") is None:
        pytest.skip("psql is not installed (apt-get install postgresql-client)")
    return ["psql", "-X", "-h", served.host, "-p", str(served.port), "-U", MART_USER, "mart"]


# -- (a) a client gone mid-result takes nothing of the pool with it ----------------------------
PSYCOPG_CLIENT = """
import sys, psycopg
connection = psycopg.connect(sys.argv[1])
connection.execute(sys.argv[2])
"""


def test_clients_killed_mid_result_leave_every_other_session_working(mart_file: Path) -> None:
    """psql, psycopg and a JDBC-style paged fetch, each gone mid-result 20 times; then 50
    clients run 20 queries each, with no failure (issue 10: `connection has an open result`)."""
    with serving(mart_file) as served:
        psql = _psql(served)
        gone = 0
        for _ in range(20):
            for command in (
                [*psql, "-c", BIG_RESULT],
                [sys.executable, "-c", PSYCOPG_CLIENT, served.dsn(), BIG_RESULT],
            ):
                client = subprocess.Popen(command, stdout=subprocess.DEVNULL)
                # psql and libpq keep every row they receive: rows are arriving once the
                # client holds 64 MB (the whole result would be about 1 GB).
                wait_for(lambda c=client: _resident(c.pid) > 64 << 20, "rows arriving")
                client.kill()
                client.wait()
                gone += 1
            with _raw(served) as raw:  # a page of a portal in a transaction, then nothing
                raw.sendall(_startup())
                _read_until_ready(raw)
                raw.sendall(_message(b"Q", b"begin\0"))
                _read_until_ready(raw)
                parse = b"\0" + BIG_RESULT.encode() + b"\0\0\0"
                bind = b"\0\0\0\0\0\0\0\0"
                execute = b"\0" + struct.pack("!i", 100)
                raw.sendall(
                    _message(b"P", parse) + _message(b"B", bind) + _message(b"E", execute) + SYNC
                )
                assert b"s\0\0\0\4" in _read_until_ready(raw)  # PortalSuspended
            gone += 1
        wait_for(lambda: _disconnects(served) >= gone, f"{gone} sessions torn down")

        failures: list[str] = []

        def client(n: int) -> None:
            try:
                with psycopg.connect(served.dsn(), autocommit=n % 2 == 0) as connection:
                    for i in range(20):
                        row = connection.execute(
                            "select count(*), %s::int from range(1000)", [i]
                        ).fetchone()
                        assert row == (1000, i), row
            except Exception as error:  # every failure counts, whatever it is
                failures.append(f"{type(error).__name__}: {error}")

        threads = [threading.Thread(target=client, args=(n,)) for n in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert "open result" not in served.logged()


# -- (b) rows are sent while DuckDB produces them ------------------------------------------------
RSS_GROWTH_BOUND = 256 << 20  # a whole range(1e9) result would be about 8 GB


def test_a_huge_result_streams_in_bounded_memory(mart_file: Path) -> None:
    """3M rows of range(1e9) read through psycopg's row-by-row stream: the server's memory
    stays within RSS_GROWTH_BOUND of what it held before, and a second client is served."""
    with serving(mart_file) as served:
        with psycopg.connect(served.dsn(), autocommit=True) as warm:
            warm.execute("select count(*) from company").fetchone()
        before = served.rss_bytes()
        streaming = psycopg.connect(served.dsn(), autocommit=True)
        try:
            peak = 0
            for count, row in enumerate(
                streaming.cursor().stream("select * from range(1000000000) t(i)"), 1
            ):
                if count == 1:
                    assert row == (0,)
                if count % 250_000 == 0:
                    peak = max(peak, served.rss_bytes())
                if count == 1_500_000:
                    with psycopg.connect(served.dsn(), autocommit=True) as other:
                        assert other.execute("select count(*) from company").fetchone() == COMPANIES
                if count == 3_000_000:
                    break
            assert peak - before < RSS_GROWTH_BOUND, (before, peak)
        finally:
            streaming.pgconn.finish()  # gone mid-result: the server stops producing rows
        with psycopg.connect(served.dsn()) as after:
            assert after.execute("select 1 + 1").fetchone() == (2,)


# -- (c) limits, with PostgreSQL's names -----------------------------------------------------------
def test_max_connections_refuses_the_next_client_with_53300(mart_file: Path) -> None:
    with serving(mart_file, "--max-connections", "2") as served:
        first = psycopg.connect(served.dsn())
        second = psycopg.connect(served.dsn())
        with _raw(served) as raw:
            raw.sendall(_startup())
            refused = _error_fields(_read_to_end(raw))
        assert (refused["S"], refused["C"], refused["M"]) == (
            "FATAL",
            "53300",
            "sorry, too many clients already",
        )
        with pytest.raises(psycopg.OperationalError, match="sorry, too many clients already"):
            psycopg.connect(served.dsn())
        first.close()
        wait_for(lambda: _disconnects(served) >= 1, "a session gone")
        with psycopg.connect(served.dsn()) as third:
            assert third.execute("select 1").fetchone() == (1,)
        second.close()


def test_connections_not_yet_started_up_are_capped_at_twice_max_connections(
    mart_file: Path,
) -> None:
    """As PostgreSQL's postmaster: silent connections cannot pile up threads."""
    with serving(mart_file, "--max-connections", "1") as served:
        with _raw(served), _raw(served):  # two connections that never say a word
            with _raw(served) as third:
                refused = _error_fields(_read_to_end(third))  # without sending a byte
            assert (refused["S"], refused["C"], refused["M"]) == (
                "FATAL",
                "53300",
                "sorry, too many clients already",
            )
        wait_for(lambda: _connects(served), "a connection possible again", timeout=30)


def _connects(served: Served) -> bool:
    try:
        with psycopg.connect(served.dsn()) as connection:
            return connection.execute("select 1").fetchone() == (1,)
    except psycopg.OperationalError:
        return False


def test_authentication_timeout_ends_a_client_that_never_answers(mart_file: Path) -> None:
    with serving(mart_file, "--authentication-timeout", "0.5", password="s3cret") as served:
        with _raw(served) as raw:
            raw.sendall(_startup())  # then no password, ever
            answer = _read_to_end(raw)
        assert answer.startswith(b"R")  # the SASL request
        failed = _error_fields(answer)
        # PostgreSQL's own words and code (ProcessInterrupts, ClientAuthInProgress).
        assert (failed["S"], failed["C"], failed["M"]) == (
            "FATAL",
            "57014",
            "canceling authentication due to timeout",
        )
        with _raw(served) as silent:  # not even a start-up packet: closed without a word
            assert _read_to_end(silent) == b""
        with psycopg.connect(served.dsn()) as connection:
            assert connection.execute("select 1").fetchone() == (1,)


def test_idle_session_timeout_ends_an_idle_session_with_57p05(mart_file: Path) -> None:
    with serving(mart_file, "--idle-session-timeout", "0.5") as served:
        with _raw(served) as raw:
            raw.sendall(_startup())
            _read_until_ready(raw)
            raw.sendall(_message(b"Q", b"begin\0"))
            _read_until_ready(raw)  # idle in a transaction: not this timeout's business
            raw.sendall(_message(b"Q", b"commit\0"))
            _read_until_ready(raw)
            ended = _error_fields(_read_to_end(raw))
        assert (ended["S"], ended["C"], ended["M"]) == (
            "FATAL",
            "57P05",
            "terminating connection due to idle-session timeout",
        )
        assert "terminating connection due to idle-session timeout" in served.logged()


@pytest.mark.parametrize(
    ("first", "message"),
    [
        (
            b"p" + struct.pack("!i", 1 << 30),
            "invalid message length 1073741824: at most 10000 bytes before authentication",
        ),
        (
            b"Q" + struct.pack("!i", 1 << 30),
            "invalid message length 1073741824: at most 10000 bytes before authentication",
        ),
        (_message(b"Q", b"select 1\0"), "expected password response, got message type 81"),
    ],
    ids=["password-1GiB", "query-1GiB", "query-instead-of-password"],
)
def test_messages_before_authentication_are_capped(
    mart_file: Path, first: bytes, message: str
) -> None:
    with serving(mart_file, password="s3cret") as served:
        with _raw(served) as raw:
            raw.sendall(_startup())
            assert raw.recv(1) == b"R"
            raw.sendall(first)  # only the header of a 1 GiB message: refused unread
            failed = _error_fields(_read_to_end(raw))
        assert (failed["S"], failed["C"], failed["M"]) == ("FATAL", "08P01", message)
        with _raw(served) as raw:
            body = b"user\0" + b"x" * 20_000 + b"\0\0"
            raw.sendall(struct.pack("!ii", 8 + len(body), 196608))
            failed = _error_fields(_read_to_end(raw))
        assert failed["M"] == "invalid length of startup packet"


def test_max_message_size_caps_messages_after_authentication(mart_file: Path) -> None:
    with serving(mart_file, "--max-message-size", "100000") as served:
        with psycopg.connect(served.dsn(), autocommit=True) as connection:
            assert connection.execute("select %s::text", ["x" * 90_000]).fetchone() is not None
        with _raw(served) as raw:
            raw.sendall(_startup())
            _read_until_ready(raw)
            raw.sendall(b"Q" + struct.pack("!i", 200_004))
            failed = _error_fields(_read_to_end(raw))
        assert (failed["S"], failed["C"], failed["M"]) == (
            "FATAL",
            "08P01",
            "invalid message length 200004: at most 100000 bytes (--max-message-size)",
        )


def test_a_query_past_the_memory_limit_fails_with_53200_and_the_server_lives(
    mart_file: Path,
) -> None:
    with serving(mart_file, "--memory-limit", "200MB") as served:
        with psycopg.connect(served.dsn(), autocommit=True) as connection:
            with pytest.raises(psycopg.errors.UndefinedObject):  # DuckDB's, not the client's
                connection.execute("select current_setting('memory_limit')")
            with pytest.raises(psycopg.errors.OutOfMemory) as failed:
                connection.execute(
                    "select length(string_agg(i::varchar, ',')) from range(100000000) t(i)"
                )
            assert failed.value.sqlstate == "53200"
            assert str(failed.value).startswith("out of memory")
            assert failed.value.diag.message_detail is not None
            assert "failed to allocate" in failed.value.diag.message_detail
            assert connection.execute("select count(*) from company").fetchone() == COMPANIES
        assert served.process.poll() is None


def test_caches_are_bounded_by_bytes_not_entries() -> None:
    from mart.serve import statements
    from mart.serve.cache import SizedCache

    cache: SizedCache[str, int] = SizedCache(1000)
    for n in range(100):
        cache.put(f"key {n}", n, 100)
    assert cache.size <= 1000 and len(cache) == 10
    assert cache.get("key 99") == 99 and cache.get("key 0") is None
    cache.put("huge", 1, 126)  # more than an eighth of the limit: never kept
    assert cache.get("huge") is None
    # 40 distinct 3 MiB query texts (issue 10 sent 20 MiB ones): none is kept.
    held = statements._TRANSLATED.size
    for n in range(40):
        statements.translate(f"select {n} as {'x' * (3 << 20)}")
    assert statements._TRANSLATED.size == held <= statements._TRANSLATED.limit


# -- (d) --statement-timeout is a ceiling, and sending rows counts ------------------------------
def test_a_session_may_lower_the_statement_timeout_but_not_raise_it(mart_file: Path) -> None:
    with (
        serving(mart_file, "--statement-timeout", "5") as served,
        psycopg.connect(served.dsn(), autocommit=True) as connection,
    ):
        assert connection.execute("show statement_timeout").fetchone() == ("5s",)
        for value, milliseconds in (("'1h'", "3600000"), ("5001", "5001")):
            with pytest.raises(psycopg.errors.InvalidParameterValue) as refused:
                connection.execute(f"set statement_timeout = {value}")
            assert refused.value.sqlstate == "22023"
            assert refused.value.diag.message_primary == (
                f'{milliseconds} ms is outside the valid range for parameter "statement_timeout"'
                " (1 .. 5000)"
            )
            assert refused.value.diag.message_hint == (
                "mart serve runs with --statement-timeout 5: a session may lower it, not raise it"
            )
        assert connection.execute("show statement_timeout").fetchone() == ("5s",)
        connection.execute("set statement_timeout = '200ms'")
        assert connection.execute("show statement_timeout").fetchone() == ("200ms",)
        with pytest.raises(psycopg.errors.QueryCanceled) as cancelled:
            connection.execute("select sum(hash(i)) from range(20000000000) t(i)")
        assert str(cancelled.value) == "canceling statement due to statement timeout"
        connection.execute("reset statement_timeout")
        assert connection.execute("show statement_timeout").fetchone() == ("5s",)
        connection.execute("set statement_timeout = '200ms'")
        connection.execute("set statement_timeout = 0")  # pg_dump's "none of my own"
        assert connection.execute("show statement_timeout").fetchone() == ("5s",)


def test_time_blocked_sending_to_a_client_that_does_not_read_counts(mart_file: Path) -> None:
    with serving(mart_file, "--statement-timeout", "1") as served:
        with socket.socket() as raw:
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # fills at once
            raw.connect((served.host, served.port))
            raw.sendall(_startup())
            _read_until_ready(raw)
            raw.sendall(_message(b"Q", b"select * from range(1000000000) t(i)\0"))  # never read
            wait_for(
                lambda: (
                    "canceling statement due to statement timeout: the client did not read"
                    in served.logged()
                ),
                "the stuck statement cancelled",
            )
            wait_for(lambda: _disconnects(served) >= 1, "the stuck session torn down")
        with psycopg.connect(served.dsn()) as other:
            assert other.execute("select count(*) from company").fetchone() == COMPANIES


# -- (e) no DuckDB internals, no server paths --------------------------------------------------
def test_duckdb_internals_are_out_of_reach_by_any_spelling(
    mart_file: Path, postgres_admin: str
) -> None:
    refused = {
        'select path from "DUCKDB_DATABASES"': (
            "42P01",
            'relation "DUCKDB_DATABASES" does not exist',
        ),
        "select * from pragma_database_list": (
            "42P01",
            'relation "pragma_database_list" does not exist',
        ),
        'select * from "PG_CATALOG"."PG_SETTINGS"': (
            "42P01",
            'relation "PG_CATALOG.PG_SETTINGS" does not exist',
        ),
        "select main.current_setting('secret_directory')": (
            "3F000",
            'schema "main" does not exist',
        ),
        "select current_setting('allowed_paths')": (
            "42704",
            'unrecognized configuration parameter "allowed_paths"',
        ),
    }
    with (
        serving(mart_file) as served,
        psycopg.connect(served.dsn(), autocommit=True) as connection,
    ):
        answers: list[str] = []
        for text, (sqlstate, message) in refused.items():
            with pytest.raises(psycopg.Error) as failed:
                connection.execute(text)
            assert (failed.value.sqlstate, failed.value.diag.message_primary) == (sqlstate, message)
            answers.append(str(failed.value))
        settings = connection.execute("select name, setting from pg_catalog.pg_settings").fetchall()
        answers += [f"{name} {setting}" for name, setting in settings]
        answers += [str(row) for row in connection.execute("show all").fetchall()]
        answers += [str(connection.execute("select current_database()").fetchone())]
    with psycopg.connect(postgres_admin) as real:
        postgresql_names = {row[0] for row in real.execute("select name from pg_settings")}
    assert {name for name, _ in settings} <= postgresql_names  # PostgreSQL's names only
    for answer in answers:
        assert str(mart_file.parent) not in answer, answer
    assert not [answer for answer in answers[len(refused) :] if "duckdb" in answer.lower()]


# -- (f) logs and passwords ------------------------------------------------------------------------
def test_log_lines_escape_what_clients_send(mart_file: Path) -> None:
    with serving(mart_file) as served:
        user = "analyst\n2026-12-01 00:00:00,000 session 1: root connected"
        with psycopg.connect(
            # libpq reads the backslash pair as one: the server gets a literal \x0a.
            served.dsn(user=user, application_name="app\r\nforged \\\\x0a"),
            autocommit=True,
        ) as connection:
            connection.execute("select 1")
        wait_for(lambda: "app" in served.logged(), "the session logged")
        lines = served.logged().splitlines()
    assert not any(line.startswith("2026-12-01 00:00:00,000") for line in lines)
    connected = next(line for line in lines if "connected from" in line)
    assert connected.endswith(
        "analyst\\x0a2026-12-01 00:00:00,000 session 1: root connected connected from "
        "127.0.0.1 (app\\x0d\\x0aforged \\\\x0a)"
    )


def test_a_wrong_password_is_answered_after_the_auth_delay(mart_file: Path) -> None:
    """The delay itself is timed in bench/serve.py (guesses per second); here: it is applied
    and the answer is still PostgreSQL's."""
    with serving(mart_file, "--auth-delay", "0.3", password="s3cret") as served:
        with pytest.raises(psycopg.OperationalError) as wrong:
            psycopg.connect(served.dsn(password="guess"))
        assert f'password authentication failed for user "{MART_USER}"' in str(wrong.value)
        assert 'password authentication failed for user "analyst"' in served.logged()
        with psycopg.connect(served.dsn()) as connection:
            assert connection.execute("select 1").fetchone() == (1,)
