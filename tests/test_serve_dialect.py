"""mart serve's SQL semantics and functions: PostgreSQL's answers, or a clear refusal.

Each query runs on `mart serve` (a real server process) and on PostgreSQL holding a mart built
from the same seeds, both through psycopg2 (Superset's driver); the answers are compared value
by value and by the type oid of each column. The one difference allowed everywhere: DuckDB has
one string type, so text (25) and varchar (1043) compare equal.

The queries are Superset's (tests/clients/dialect/superset.sql: its engine spec's templates,
filled in), a dashboard suite (tests/clients/dialect/dashboard.sql), and one test per silent
difference mart serve used to have.
"""

import os
import re
import secrets
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.errors
import psycopg2.extensions
import pytest

from mart import operations
from mart.config import DEFAULT_SEEDS_DIR
from mart.db import make_engine
from mart.serve.sql import translate
from mart.serve.state import SessionState
from tests.conftest import fresh_postgres_database
from tests.serving import Served, build_mart, serving

DIALECT = Path(__file__).parent / "clients" / "dialect"
STRING_OIDS = {25, 1043}

pytestmark = pytest.mark.postgres


@dataclass
class Answer:
    types: list[int | str]
    rows: list[tuple[Any, ...]]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    path = build_mart(tmp_path_factory.mktemp("dialect") / "mart.duckdb")
    with serving(path) as server:
        yield server


@pytest.fixture(scope="module")
def postgres_dsn(postgres_admin: str) -> Iterator[str]:
    with fresh_postgres_database(postgres_admin) as url:
        engine = make_engine(url)
        try:
            operations.build(engine, [DEFAULT_SEEDS_DIR])
        finally:
            engine.dispose()
        admin = psycopg2.extensions.parse_dsn(postgres_admin)
        admin["dbname"] = url.rsplit("/", 1)[1]
        yield " ".join(f"{key}='{value}'" for key, value in admin.items())


@pytest.fixture(scope="module")
def mart(served: Served) -> Iterator[Any]:
    connection = psycopg2.connect(served.dsn())
    connection.autocommit = True
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def postgres(postgres_dsn: str) -> Iterator[Any]:
    connection = psycopg2.connect(postgres_dsn)
    connection.autocommit = True
    yield connection
    connection.close()


def answer(connection: Any, sql: str) -> Answer:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        types: list[int | str] = [
            "string" if column.type_code in STRING_OIDS else column.type_code
            for column in cursor.description
        ]
        return Answer(types, [tuple(row) for row in cursor.fetchall()])


def same(mart: Any, postgres: Any, sql: str) -> Answer:
    """The query's answer on both servers, which must be equal (values, order, types)."""
    on_postgres = answer(postgres, sql)
    on_mart = answer(mart, sql)
    assert on_mart.rows == on_postgres.rows, sql
    assert on_mart.types == on_postgres.types, sql
    return on_mart


def error_of(connection: Any, sql: str) -> Any:
    with connection.cursor() as cursor, pytest.raises(psycopg2.Error) as raised:
        cursor.execute(sql)
    return raised.value


# ---------------------------------------------------------------------------------------------
# Superset's SQL, from its PostgreSQL engine spec.
# ---------------------------------------------------------------------------------------------


def superset_templates() -> dict[str, str]:
    text = (DIALECT / "superset.sql").read_text()
    return {key: value for key, value in re.findall(r"(?m)^-- (\w+(?: \w+)?): (.+)$", text)}


SUPERSET = superset_templates()
GRAINS = {key.split()[1]: value for key, value in SUPERSET.items() if key.startswith("grain ")}
# Superset's charts group a time column by a grain within a time range: a DATE column, and a
# TIMESTAMP one (the mart's timestamps are build times, so one derived from a date).
TIME_COLUMNS = {
    "date": ("period_start", "dttm DATE", "{date}", ("2017-01-01", "2018-01-01")),
    "timestamp": (
        "(cast(period_start as timestamp) + interval '5 hours 6 minutes 7.5 seconds')",
        "dttm TIMESTAMP",
        "{datetime}",
        ("2017-01-01 00:00:00.000000", "2018-01-01 00:00:00.000000"),
    ),
}


def chart_query(grain: str, column: str) -> str:
    expression, dttm, placeholder, (start, end) = TIME_COLUMNS[column]
    timestamp = GRAINS[grain].replace("{col}", expression)
    low = SUPERSET[dttm].replace(placeholder, start)
    high = SUPERSET[dttm].replace(placeholder, end)
    # The shape of Superset's time-series chart query (a time column, a metric, a time range).
    return (
        f"SELECT {timestamp} AS __timestamp, count(*) AS count FROM public.metric_values "
        f"WHERE {expression} >= {low} AND {expression} < {high} "
        f"GROUP BY {timestamp} ORDER BY count DESC, __timestamp LIMIT 10000"
    )


@pytest.mark.parametrize("column", sorted(TIME_COLUMNS))
@pytest.mark.parametrize("grain", sorted(GRAINS))
def test_superset_time_grain_with_a_time_range(
    mart: Any, postgres: Any, grain: str, column: str
) -> None:
    result = same(mart, postgres, chart_query(grain, column))
    assert result.rows, "the time range holds facts"
    assert result.types[0] == (1184 if column == "date" else 1114)  # timestamptz, timestamp


def test_superset_epoch_to_dttm(mart: Any, postgres: Any) -> None:
    epoch = SUPERSET["epoch"].replace("{col}", "(extract(epoch from period_start)::bigint)")
    result = same(
        mart,
        postgres,
        f"SELECT DISTINCT {epoch} AS t FROM metric_values ORDER BY t LIMIT 3",
    )
    assert result.types == [1114]


def test_superset_sql_lab_start_prequery_and_cancel_id(served: Served, postgres: Any) -> None:
    connection = psycopg2.connect(served.dsn())
    try:
        with connection.cursor() as cursor:
            cursor.execute(SUPERSET["prequery"].replace("{schema}", "public"))
            cursor.execute("show search_path")
            assert cursor.fetchone() == ("public",)
            cursor.execute(SUPERSET["start"])
            assert cursor.fetchall() == [(connection.get_backend_pid(),)]
            assert cursor.description[0].type_code == 23  # integer, as PostgreSQL's
        assert answer(postgres, SUPERSET["start"]).types == [23]
    finally:
        connection.close()


def test_superset_cancel_stops_the_query_of_the_session_it_names(served: Served) -> None:
    """SQL Lab's Stop: pg_backend_pid() on the query's connection, then a signal to it from a
    second connection, as pg_cancel_backend and pg_terminate_backend (Superset's own
    cancel_query statement, through pg_stat_activity: the next test)."""
    running = psycopg2.connect(served.dsn())
    other = psycopg2.connect(served.dsn())
    stranger = psycopg2.connect(served.dsn(user="someone_else"))
    for connection in (running, other, stranger):
        connection.autocommit = True
    try:
        with running.cursor() as cursor:
            cursor.execute("select pg_backend_pid()")
            (pid,) = cursor.fetchone()
        failure: list[BaseException] = []

        def long_query() -> None:
            try:
                with running.cursor() as cursor:
                    cursor.execute(
                        "select count(*) from generate_series(1, 200000000) a, "
                        "generate_series(1, 100) b"
                    )
            except psycopg2.Error as error:
                failure.append(error)

        thread = threading.Thread(target=long_query)
        thread.start()
        time.sleep(0.5)
        # Another user's session may not be signalled (PostgreSQL: 42501).
        denied = error_of(stranger, f"select pg_cancel_backend({pid})")
        assert denied.pgcode == "42501"
        assert denied.pgerror.startswith("ERROR:  permission denied to cancel query")
        with other.cursor() as cursor:
            cursor.execute(f"select pg_cancel_backend({pid})")
            assert cursor.fetchall() == [(True,)]
            cursor.execute("select pg_cancel_backend(12345678)")  # no such session
            assert cursor.fetchall() == [(False,)]
        thread.join(timeout=30)
        assert not thread.is_alive()
        assert [error.pgcode for error in failure] == ["57014"]  # canceled, session lives on
        with running.cursor() as cursor:
            cursor.execute("select 1")
            assert cursor.fetchall() == [(1,)]
        with other.cursor() as cursor:
            cursor.execute(f"select pg_terminate_backend({pid})")
            assert cursor.fetchall() == [(True,)]
        with pytest.raises(psycopg2.Error), running.cursor() as cursor:
            cursor.execute("select 1")  # the terminated session is gone
    finally:
        for connection in (running, other, stranger):
            connection.close()


def test_superset_cancel_query_statement(served: Served) -> None:
    """Superset's own cancel_query statement, which finds the session in pg_stat_activity."""
    running = psycopg2.connect(served.dsn())
    other = psycopg2.connect(served.dsn())
    try:
        for connection in (running, other):
            connection.autocommit = True
        with running.cursor() as cursor:
            cursor.execute(SUPERSET["start"])
            (pid,) = cursor.fetchone()
        with other.cursor() as cursor:
            cursor.execute(SUPERSET["cancel"].replace("{pid}", str(pid)))
            assert cursor.fetchall() == [(True,)]
        with pytest.raises(psycopg2.Error), running.cursor() as cursor:
            cursor.execute("select 1")
    finally:
        running.close()
        other.close()


# What a session sees of itself, of another of its user's sessions (idle, then idle in a
# transaction) and of another user's (whose query it may not see), without the pids, times
# and ports, which differ from run to run.
ACTIVITY = """
    select
        case pid when pg_backend_pid() then 'me' when {mine} then 'mine' else 'theirs' end,
        datname = current_database(), application_name, client_addr, client_hostname,
        client_port is not null, backend_start is not null, xact_start is not null,
        query_start is not null, state_change is not null, wait_event_type, wait_event, state,
        backend_xid, query_id, query, backend_type, leader_pid
    from pg_stat_activity where pid in (pg_backend_pid(), {mine}, {theirs}) order by 1
"""


def _activity(connect: Any) -> list[list[tuple[Any, ...]]]:
    """ACTIVITY's rows as connect(user, application_name) sessions see them."""
    me, mine, theirs = (
        connect(user, name)
        for user, name in (("one", "me app"), ("one", "my other app"), ("two", "their app"))
    )
    try:
        pids = {}
        for name, connection in (("mine", mine), ("theirs", theirs)):
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("select pg_backend_pid()")
                pids[name] = cursor.fetchone()[0]
        me.autocommit = True
        seen = []
        with me.cursor() as cursor:
            for step in ("begin", "select 42", None):
                cursor.execute(ACTIVITY.format(**pids))
                seen.append([_unnumbered(row, pids) for row in cursor.fetchall()])
                if step is not None:
                    with mine.cursor() as other:
                        other.execute(step)
        return seen
    finally:
        for connection in (me, mine, theirs):
            connection.close()


def test_pg_stat_activity_has_postgresqls_columns(mart: Any, postgres: Any) -> None:
    query = "select * from pg_stat_activity where pid = pg_backend_pid()"
    with mart.cursor() as ours, postgres.cursor() as theirs:
        ours.execute(query)
        theirs.execute(query)
        names = [column.name for column in ours.description]
        assert names == [column.name for column in theirs.description]
        typed = {"datid": 26, "pid": 23, "usesysid": 26, "client_port": 23, "query_id": 20}
        for described in (ours.description, theirs.description):
            assert {c.name: c.type_code for c in described if c.name in typed} == typed
        assert len(ours.fetchall()) == 1


def _unnumbered(row: tuple[Any, ...], pids: dict[str, int]) -> tuple[Any, ...]:
    """The row with its query's pids back as ACTIVITY's {placeholders}."""
    query = row[15]
    for name, pid in pids.items():
        query = query.replace(str(pid), "{" + name + "}")
    return (*row[:15], query, *row[16:])


def test_pg_stat_activity_lists_the_sessions_as_postgresql(
    served: Served, postgres_dsn: str, postgres_admin: str
) -> None:
    """As PostgreSQL shows them to a role without pg_read_all_stats: its own user's sessions
    whole; of another user's, the pid, user and application, and no query."""

    def on_mart(user: str, name: str) -> Any:
        return psycopg2.connect(served.dsn(user=f"activity_{user}", application_name=name))

    suffix = secrets.token_hex(4)
    password = secrets.token_hex(12)
    with psycopg2.connect(postgres_admin) as admin:
        admin.autocommit = True
        with admin.cursor() as cursor:
            for user in ("one", "two"):
                cursor.execute(f"create role activity_{user}_{suffix} login password '{password}'")
    try:

        def on_postgres(user: str, name: str) -> Any:
            return psycopg2.connect(
                postgres_dsn,
                host="127.0.0.1",
                user=f"activity_{user}_{suffix}",
                password=password,
                application_name=name,
            )

        ours, theirs = _activity(on_mart), _activity(on_postgres)
    finally:
        with psycopg2.connect(postgres_admin) as admin:
            admin.autocommit = True
            with admin.cursor() as cursor:
                for user in ("one", "two"):
                    cursor.execute(f"drop role activity_{user}_{suffix}")
    assert ours == theirs
    # who, application_name, client_addr, wait_event_type, wait_event, state, query,
    # backend_type
    assert [(r[0], r[2], r[3], r[10], r[11], r[12], r[15], r[16]) for r in ours[0]] == [
        ("me", "me app", "127.0.0.1", None, None, "active", ACTIVITY, "client backend"),
        (
            "mine",
            "my other app",
            "127.0.0.1",
            "Client",
            "ClientRead",
            "idle",
            "select pg_backend_pid()",
            "client backend",
        ),
        ("theirs", "their app", None, None, None, None, "<insufficient privilege>", None),
    ]
    assert ours[0][0][15] == ACTIVITY
    assert [rows[1][7] for rows in ours] == [False, True, True]  # xact_start, from begin on
    assert [rows[1][12:16] for rows in ours[1:]] == [
        ("idle in transaction", None, None, "begin"),
        ("idle in transaction", None, None, "select 42"),
    ]


# ---------------------------------------------------------------------------------------------
# The dashboard suite.
# ---------------------------------------------------------------------------------------------


def dashboard_queries() -> list[tuple[str, str]]:
    text = (DIALECT / "dashboard.sql").read_text()
    return [
        (name, body.strip().rstrip(";"))
        for name, body in re.findall(r"(?ms)^-- name: (\w+)\n(.*?)(?=^-- name: |\Z)", text)
    ]


DASHBOARD = dashboard_queries()


@pytest.mark.parametrize(("name", "sql"), DASHBOARD, ids=[name for name, _ in DASHBOARD])
def test_dashboard_query_answers_as_postgresql(
    mart: Any, postgres: Any, name: str, sql: str
) -> None:
    result = same(mart, postgres, sql)
    assert result.rows, f"{name} answers no rows: it tests nothing"


# ---------------------------------------------------------------------------------------------
# The silent differences, one test each.
# ---------------------------------------------------------------------------------------------

NULLS = "(values (1, 'a'), (null, 'b'), (3, 'c')) as t(x, y)"


def test_descending_order_puts_nulls_first(mart: Any, postgres: Any) -> None:
    result = same(mart, postgres, f"select x from {NULLS} order by x desc")
    assert result.rows == [(None,), (3,), (1,)]
    ascending = same(mart, postgres, f"select x from {NULLS} order by x")
    assert ascending.rows == [(1,), (3,), (None,)]
    ranked = same(
        mart, postgres, f"select y, rank() over (order by x desc) from {NULLS} order by y"
    )
    assert ranked.rows == [("a", 3), ("b", 1), ("c", 2)]
    aggregated = same(mart, postgres, f"select array_agg(x order by x desc) from {NULLS}")
    assert aggregated.rows == [([None, 3, 1],)]
    explicit = same(mart, postgres, f"select x from {NULLS} order by x desc nulls last")
    assert explicit.rows == [(3,), (1,), (None,)]


def test_set_returning_functions_in_the_select_list_return_rows(mart: Any, postgres: Any) -> None:
    assert same(mart, postgres, "select generate_series(1, 3)").rows == [(1,), (2,), (3,)]
    assert same(mart, postgres, "select generate_series(1, 3)").types == [23]
    counted = same(mart, postgres, "select count(*) from (select generate_series(1, 5)) s")
    assert counted.rows == [(5,)]
    lockstep = same(mart, postgres, "select generate_series(1, 2) a, unnest(array[1, 2, 3]) b")
    assert lockstep.rows == [(1, 1), (2, 2), (None, 3)]
    split = same(mart, postgres, "select regexp_split_to_table('a,b,c', ',') as part")
    assert split.rows == [("a",), ("b",), ("c",)]
    error = error_of(mart, "select count(generate_series(1, 3))")
    assert error.pgcode == error_of(postgres, "select count(generate_series(1, 3))").pgcode


# Time zones: pgjdbc sends the JVM's at start-up (tests/test_serve_clients.py), libpq PGTZ's.
ZONED_QUERIES = [
    "show timezone",
    "select current_setting('TimeZone')",
    "select timestamptz '2017-07-01 23:30:00+00', timestamptz '2017-07-01 23:30:00+00'::text,"
    " timestamptz '2017-07-01 23:30:00+00'::timestamp,"
    " timestamp '2017-07-01 23:30:00'::timestamptz,"
    " timestamptz '2017-07-01 23:30:00+00'::date, date '2017-07-01'::timestamptz,"
    " '2017-07-01 10:00'::timestamptz",
    "select date_trunc('day', timestamptz '2017-07-01 23:30:00+00'),"
    " date_trunc('week', timestamptz '2017-07-01 23:30:00+00'),"
    " date_trunc('hour', timestamptz '2017-07-01 23:30:00+00'),"
    " date_trunc('month', date '2017-07-01')",
    "select extract(hour from timestamptz '2017-07-01 23:30:00+00'),"
    " extract(day from timestamptz '2017-07-01 23:30:00+00'),"
    " extract(epoch from timestamptz '2017-07-01 23:30:00+00'),"
    " extract(timezone from timestamptz '2017-07-01 23:30:00+00'),"
    " extract(timezone_hour from timestamptz '2017-07-01 23:30:00+00')",
    "select to_char(timestamptz '2017-07-01 23:30:00+00', 'YYYY-MM-DD HH24:MI:SS'),"
    " to_char(date_trunc('day', timestamptz '2017-07-01 23:30:00+00'), 'YYYY-MM-DD HH24:MI')",
    "select now()::date = current_date, date_trunc('day', now()) = current_date::timestamptz,"
    " localtimestamp::date = current_date, now() - now()",
    "select published_on::timestamptz, date_trunc('month', published_on),"
    " extract(epoch from published_on::timestamptz) from source order by 1, 2",
]


def zoned(dsn: str, zone: str) -> Any:
    """A connection whose start-up asks for the zone, reading timestamptz as the text sent."""
    connection = psycopg2.connect(f"{dsn} options='-c TimeZone={zone}'")
    connection.autocommit = True
    as_sent = psycopg2.extensions.new_type((1184,), "TIMESTAMPTZ_AS_SENT", lambda v, c: v)
    psycopg2.extensions.register_type(as_sent, connection)
    return connection


@pytest.mark.parametrize(
    "zone", ["Asia/Kolkata", "America/New_York", "Asia/Shanghai", "UTC+3", "<+05:30>-05:30"]
)
def test_time_zone_of_a_session_answers_as_postgresql(
    served: Served, postgres_dsn: str, zone: str
) -> None:
    ours, theirs = zoned(served.dsn(), zone), zoned(postgres_dsn, zone)
    try:
        for sql in ZONED_QUERIES:
            same(ours, theirs, sql)
        assert answer(ours, "show timezone").rows == [(zone,)]
    finally:
        ours.close()
        theirs.close()


@pytest.mark.parametrize(
    "setting",
    [
        "set time zone 'Europe/Berlin'",
        "set timezone to 'asia/kolkata'",
        "set time zone 5.5",
        "set time zone -3",
        "set time zone interval '-03:00' hour to minute",
        "set timezone = 'UTC+3'",
        "set timezone = '-05:30'",
        "set time zone local",
    ],
)
def test_set_time_zone_answers_as_postgresql(
    served: Served, postgres_dsn: str, setting: str
) -> None:
    ours, theirs = zoned(served.dsn(), "UTC"), zoned(postgres_dsn, "UTC")
    try:
        for connection in (ours, theirs):
            with connection.cursor() as cursor:
                cursor.execute(setting)
        for sql in ZONED_QUERIES[2:]:
            same(ours, theirs, sql)
        if setting != "set time zone local":  # the server's default zone: UTC, and Etc/UTC
            assert answer(ours, "show timezone").rows == answer(theirs, "show timezone").rows
    finally:
        ours.close()
        theirs.close()


def test_an_unknown_time_zone_is_refused_as_postgresql(
    served: Served, mart: Any, postgres: Any
) -> None:
    assert error_parts(mart, "set time zone 'Mars/Phobos'") == error_parts(
        postgres, "set time zone 'Mars/Phobos'"
    )
    with pytest.raises(psycopg2.OperationalError, match="Mars/Phobos"):
        psycopg2.connect(served.dsn(options="-c TimeZone=Mars/Phobos"))


def test_start_up_options_are_honoured(served: Served) -> None:
    connection = psycopg2.connect(
        served.dsn(options="-c search_path=public -c statement_timeout=5s -c DateStyle=ISO,YMD")
    )
    try:
        with connection.cursor() as cursor:
            for name, value in (
                ("search_path", "public"),
                ("statement_timeout", "5s"),
                ("DateStyle", "ISO, YMD"),
            ):
                cursor.execute(f"show {name}")
                assert cursor.fetchall() == [(value,)]
    finally:
        connection.close()
    with pytest.raises(psycopg2.OperationalError, match="search_path"):
        psycopg2.connect(served.dsn(options="-c search_path=elsewhere"))
    with pytest.raises(psycopg2.OperationalError, match="DateStyle"):
        psycopg2.connect(served.dsn(options="-c DateStyle=German"))


def test_startup_settings_are_parsed_as_postgresql_splits_options() -> None:
    state = SessionState()
    state.started(
        "app",
        {
            "user": "u",
            "TimeZone": "Etc/UTC",
            "options": r"-c statement_timeout=2s --DateStyle=ISO,\ DMY",
        },
    )
    assert state.settings["timezone"] == "Etc/UTC"
    assert state.settings["datestyle"] == "ISO, DMY"
    assert state.timeout_ms == 2000
    state.reset()
    assert state.settings["datestyle"] == "ISO, DMY"  # RESET goes back to the start-up's


def test_extract_is_numeric_with_its_fractions(mart: Any, postgres: Any) -> None:
    result = same(
        mart,
        postgres,
        "select extract(second from timestamp '2020-01-01 00:00:05.5'),"
        " extract(epoch from timestamp '2020-01-01 00:00:05.5'),"
        " extract(year from date '2020-03-01')",
    )
    assert result.rows == [(Decimal("5.500000"), Decimal("1577836805.500000"), Decimal("2020"))]
    assert result.types == [1700, 1700, 1700]


def test_avg_of_integers_and_numerics_is_numeric(mart: Any, postgres: Any) -> None:
    result = same(
        mart,
        postgres,
        "select avg(x), avg(y) from (values (1, 1.5::numeric(24,6)), (2, 2.25), (4, null)) t(x, y)",
    )
    assert result.rows == [(Decimal("2.3333333333333333"), Decimal("1.875"))]
    assert result.types == [1700, 1700]
    variances = same(
        mart,
        postgres,
        "select variance(x), var_pop(x), var_samp(y) from (values (1, 1.5), (2, -2.25), (4, 3.125))"
        " t(x, y)",
    )
    assert variances.rows == [
        (
            Decimal("2.3333333333333333"),
            Decimal("1.5555555555555556"),
            Decimal("7.5989583333333333"),
        )
    ]
    assert variances.types == [1700, 1700, 1700]
    same(
        mart,
        postgres,
        "select company, variance(source_count) from metric_values group by 1 order by 1",
    )
    error = error_of(mart, "select stddev(source_count) from metric_values")
    assert error.pgcode == "0A000"  # numeric in PostgreSQL: refused, not double


def test_like_escapes_with_backslash_by_default(mart: Any, postgres: Any) -> None:
    result = same(
        mart,
        postgres,
        r"select 'a_b' like 'a\_b', 'axb' like 'a\_b', '50%' like '50\%', 'a_b' not like 'a\_b',"
        r" 'A_B' ilike 'a\_b'",
    )
    assert result.rows == [(True, False, True, False, True)]


def test_quoted_identifiers_are_case_sensitive(mart: Any, postgres: Any) -> None:
    for sql, code in (
        ('select * from "Company"', "42P01"),
        ('select "Company_name" from company', "42703"),
        ('select c."company_NAME" from company c', "42703"),
    ):
        assert error_of(mart, sql).pgcode == code == error_of(postgres, sql).pgcode
    same(mart, postgres, 'select company_name as "Name" from company order by "Name"')
    same(mart, postgres, 'select "T".x from (select 1 as x) as "T"')


def test_division_by_zero_is_22012(mart: Any, postgres: Any) -> None:
    for sql in ("select 1 / 0", "select 1.5 / 0", "select 5 % 0"):
        assert error_of(mart, sql).pgcode == "22012" == error_of(postgres, sql).pgcode


def test_similar_to_answers_as_postgresql(mart: Any, postgres: Any) -> None:
    result = same(
        mart,
        postgres,
        "select 'abc' similar to 'a%', 'abc' similar to '(a|b)%c', 'a.c' similar to 'a.c',"
        " 'abc' similar to 'a.c', 'ab' similar to 'a_', 'a+' similar to 'a\\+'",
    )
    assert result.rows == [(True, True, True, False, True, True)]


# ---------------------------------------------------------------------------------------------
# Functions that were missing or failing.
# ---------------------------------------------------------------------------------------------

FUNCTIONS = [
    "select quote_literal('it''s'), quote_literal('a\\b'), quote_nullable(null), quote_nullable(1)",
    "select initcap('hello wORLD-foo bar1x'), initcap(null)",
    "select make_interval(days => 3, hours => 2), make_interval(1, 2), make_interval(secs => 1.5)",
    "select interval '1 hour' / 2, interval '1 month' / 2, interval '3 days' / 2",
    "select encode('abc'::bytea, 'hex'), encode('abc'::bytea, 'base64'), length('abc'::bytea),"
    " length('héllo')",
    "select json_agg(x order by x desc) from (values (1), (2)) t(x)",
    "select 'abc' ilike any (array['A%', 'x']), 'abc' ilike all (array['A%', 'x']),"
    " 'abc' like any (array['x'])",
    "select clock_timestamp() >= now(), pg_typeof(clock_timestamp())::text",
    "select to_date('2017-01-05', 'YYYY-MM-DD'),"
    " to_timestamp('2017-01-05 10:11:12.345678', 'YYYY-MM-DD HH24:MI:SS.US')",
    "select to_char(timestamp '2017-03-04 15:06:07.123456',"
    " 'YYYY-MM-DD HH24:MI:SS.US Mon MONTH Day dy AM hh12 FMDD Q \"Q\"Q IW WW W CC J a.m.')",
    "select * from regexp_split_to_table('a,b', ',') as part",
    "select to_char(date '2017-03-04', '\"it''s $1 50%\" FMMonth'),"
    " to_char(timestamp '2017-03-04 00:06:07', 'HH12 HH FMHH12 AM pm')",
    "select to_timestamp('05 Mar 2017 03:04 PM', 'DD Mon YYYY HH12:MI PM'),"
    " to_date('20170305', 'YYYYMMDD'), to_date('2017-3-5', 'YYYY-MM-DD'),"
    " to_date('05/03/17', 'DD/MM/YY')",
    "select * from generate_series(1, 5, 2) as n",
    "select * from generate_series('2017-01-01'::date, '2017-03-01'::date, interval '1 month')",
    "select variance(x), var_pop(x) from (values (1), (2), (4)) t(x)",
    "select to_char(12, '9999'), to_char(-1234, '9,999'), to_char(0.5, '9.99'),"
    " to_char(-0.5, '9.99'), to_char(12345, '999'), to_char(1.0, 'FM9.99'),"
    " to_char(1234567.891, 'FM999,999,990.00'), to_char(0, '9999'), to_char(2.675::float8, '9.99'),"
    " to_char(1234.5, '\"EUR \"9,999.9'), to_char(-0.004, 'FM0.00'), to_char(123, '09999')",
    "select x::text as a, cast(x as varchar) as b from (values (1.0::float8), ('inf'::float8),"
    " (1.5::float8), ('nan'::float8)) t(x) order by x",
    "select (interval '1 month 1 day')::text, (interval '-1 day')::text,"
    " age(date '2017-03-01', date '2016-01-15')::text",
    "select position('l' in 'hello'), strpos('hello', 'l'), array_length(array[1, 2], 1),"
    " cardinality(array[1, 2, 3]), ascii('a'), grouping(x) from (values (1)) t(x) group by x",
]


@pytest.mark.parametrize("sql", FUNCTIONS)
def test_function_answers_as_postgresql(mart: Any, postgres: Any, sql: str) -> None:
    same(mart, postgres, sql)


def test_asyncpg_pool_reset_runs(mart: Any) -> None:
    with mart.cursor() as cursor:
        cursor.execute("select pg_advisory_unlock_all()")
        assert cursor.fetchall() == [("",)]
        cursor.execute("close all")
        assert cursor.statusmessage == "CLOSE CURSOR ALL"


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        ("select to_char(now(), 'YYYY TZ')", 'to_char() format pattern "TZ"'),
        ("select to_char(now(), 'DDth')", 'suffix "TH"'),
        ("select to_char(12, 'S999')", 'to_char() format pattern "S" (of a number)'),
        ("select to_char(-12, '999PR')", '"PR" (of a number)'),
        ("select to_date('2017', 'RM')", 'to_date() format pattern "RM"'),
        ("select 'a' similar to x from (values ('a')) t(x)", "SIMILAR TO with a pattern"),
        ("select 'a' like any (x) from (values (array['a'])) t(x)", "ARRAY[...] written out"),
        ("select pg_advisory_lock(1)", "pg_advisory_lock() is not supported"),
        ("select extract(julian from date '2017-01-01')", 'unit "julian"'),
    ],
)
def test_unsupported_parts_are_refused_by_name(mart: Any, sql: str, words: str) -> None:
    error = error_of(mart, sql)
    assert error.pgcode == "0A000"
    assert words in error.pgerror


def test_translate_marks_the_sort_keys_and_like() -> None:
    (statement,) = translate("select x from t order by x desc, y")
    assert statement.sql == "SELECT x FROM t ORDER BY x DESC NULLS FIRST, y NULLS LAST"
    (statement,) = translate(r"select 'a' like 'a\_'")
    assert "like_escape('a', 'a\\_', '\\')" in statement.sql


def test_dates_compare_with_the_converted_bounds(mart: Any, postgres: Any) -> None:
    """Superset's bounds are timestamptz for TO_TIMESTAMP; a date column compared with one."""
    result = same(
        mart,
        postgres,
        "select min(period_start), max(period_start) from metric_values where period_start >= "
        "TO_TIMESTAMP('2017-04-01 00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US')",
    )
    low, high = result.rows[0]
    assert isinstance(low, date) and not isinstance(low, datetime)
    assert low >= date(2017, 4, 1) and high >= low


# ---------------------------------------------------------------------------------------------
# Errors in PostgreSQL's words, with its SQLSTATE and the position psql marks (LINE 1: ... ^).
# ---------------------------------------------------------------------------------------------


def error_parts(connection: Any, sql: str) -> tuple[str, str, str | None]:
    error = error_of(connection, sql)
    diagnostic = error.diag
    for part in (diagnostic.message_primary, diagnostic.message_hint or ""):
        assert "Did you mean" not in part and "Candidate" not in part, part
    return error.pgcode, diagnostic.message_primary, diagnostic.statement_position


SAME_ERRORS = [
    # Settings PostgreSQL does not have (DuckDB's own names among them).
    "set memory_limit = '100GB'",
    "set threads = 64",
    "reset threads",
    "show memory_limit",
    "select current_setting('threads')",
    "select set_config('memory_limit', '1GB', false)",
    # Another database's relation or column.
    "select * from system.main.statement",
    "select system.main.statement.x from company",
    # A missing relation, column or function; a syntax error.
    "select * from x",
    "select * from public.nosuch",
    "select * from nosuch.x",
    "select 1;\nselect * from company join nosuch using (company_id)",
    "select y from company",
    "select c.y from company c",
    "select d.company_id from company c",
    "select f(1)",
    "select length(1, 2, 3)",
    "select lower(1)",
    "select lower(1, 'a')",
    "select nosuch(1, 'a', 2.5, null, true, date '2020-01-01')",
    "select nosuch(company_name, company_id) from company",
    "select nosuch_agg(distinct company_id) from company",
    "select count(*) from nosuch_fn()",
    "select upper(company_id) from company",
    "selec 1",
    "select * from company where",
    # Operators and comparisons of types that do not go together.
    "select 1 + 'a'::text",
    "select -'a'::varchar",
    "select 1 = 'a'::varchar",
    "select lower(company_name) + 1 from company",
    "select company_key > 1 from company",
    "select company_id from company where company_key = 1",
    "select * from company where company_id = 'a'",
]


@pytest.mark.parametrize("sql", SAME_ERRORS)
def test_errors_are_postgresqls_words_and_positions(mart: Any, postgres: Any, sql: str) -> None:
    assert error_parts(mart, sql) == error_parts(postgres, sql)


def test_error_positions_reach_psql_as_postgresql_marks_them(served: Served) -> None:
    """psql shows the position as LINE 1 and a caret under what is wrong."""
    result = subprocess.run(
        ["psql", "-X", "-d", served.dsn(), "-c", "select company_id, nosuch from company"],
        capture_output=True,
        text=True,
        env={**os.environ, "PGCONNECT_TIMEOUT": "10"},
    )
    assert result.stderr == (
        'ERROR:  column "nosuch" does not exist\n'
        "LINE 1: select company_id, nosuch from company\n"
        "                           ^\n"
    )


def test_settings_with_a_dot_are_kept_as_postgresql_keeps_them(mart: Any, postgres: Any) -> None:
    for connection in (mart, postgres):
        with connection.cursor() as cursor:
            cursor.execute("set myapp.tenant = 'x'")
            cursor.execute("show myapp.tenant")
            assert cursor.fetchall() == [("x",)]


# ---------------------------------------------------------------------------------------------
# Ordered-set and statistical aggregates: PostgreSQL's values and types, of integer, numeric and
# double precision columns (statement.seed_line, statement.value, value::float8).
# ---------------------------------------------------------------------------------------------

COLUMNS = {"integer": "seed_line", "numeric": "value", "double": "value::float8"}
REGRESSION = [
    "corr", "covar_pop", "covar_samp", "regr_slope", "regr_intercept", "regr_count", "regr_r2",
    "regr_avgx", "regr_avgy", "regr_sxx", "regr_syy", "regr_sxy",
]  # fmt: skip


@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_ordered_set_aggregates_answer_as_postgresql(mart: Any, postgres: Any, kind: str) -> None:
    column = COLUMNS[kind]
    result = same(
        mart,
        postgres,
        f"select unit, percentile_cont(0.5) within group (order by {column}) as median, "
        f"percentile_cont(0.37) within group (order by {column} desc), "
        f"percentile_cont(array[0.1, 0.5, 0.9]) within group (order by {column}), "
        f"percentile_disc(0.37) within group (order by {column}), "
        f"percentile_disc(array[0.25, 0.75]) within group (order by {column}), "
        f"mode() within group (order by {column}) "
        "from statement group by unit order by unit",
    )
    float8, float8_array = 701, 1022
    assert result.types[1:4] == [float8, float8, float8_array]  # never the column's numeric


def test_median_of_a_numeric_is_not_rounded_to_its_scale(mart: Any, postgres: Any) -> None:
    """Superset's median metric: 50000001.5 as a float, not 50000001.500000 in numeric(24,6)
    (nor 0.02 for 0.01666... rounded to a scale of 2), interpolated as PostgreSQL does."""
    result = same(
        mart,
        postgres,
        "select percentile_cont(0.5) within group (order by x),"
        " percentile_cont(0.25) within group (order by x),"
        " percentile_cont(1.0 / 3) within group (order by y)"
        " from (values (50000005.5::numeric(24, 6), 0.01::numeric(24, 2)),"
        " (50000001.5, 0.02), (1.25, 1.01)) as t(x, y)",
    )
    assert result.rows == [(50000001.5, 25000001.375, 0.016666666666666666)]
    assert result.types == [701, 701, 701]


# Each aggregate sums its rows in float8 in the order they come: PostgreSQL's answer in the last
# digits depends on that order (its heap's, which updates change), so the rows are ordered.
IN_ORDER = "order by seed_file, seed_line"


@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_statistical_aggregates_answer_as_postgresql(mart: Any, postgres: Any, kind: str) -> None:
    y = COLUMNS[kind]
    calls = ", ".join(f"{name}({y}, seed_line {IN_ORDER}) as {name}" for name in REGRESSION)
    filtered = f"corr({y}, quote_start {IN_ORDER}) filter (where bound = 'exact') as exact_corr"
    result = same(
        mart,
        postgres,
        f"select unit, {calls}, {filtered} from statement group by unit order by unit",
    )
    assert result.types[1:] == [20 if name == "regr_count" else 701 for name in REGRESSION] + [701]
    assert any(row[1] is not None for row in result.rows)
    whole = same(mart, postgres, f"select {calls} from statement")
    pairs = answer(postgres, f"select count(*) from statement where {y} is not null")
    assert whole.rows[0][REGRESSION.index("regr_count")] == pairs.rows[0][0]


def test_statistical_aggregates_of_no_rows_as_postgresql(mart: Any, postgres: Any) -> None:
    calls = ", ".join(f"{name}(value, seed_line)" for name in REGRESSION)
    result = same(mart, postgres, f"select {calls} from statement where false")
    assert result.rows == [tuple(0 if n == "regr_count" else None for n in REGRESSION)]


def test_date_trunc_of_a_min_or_max_answers_as_postgresql(mart: Any, postgres: Any) -> None:
    """DuckDB cannot pick date_trunc's typed macro for an aggregate's value (it failed with
    "multiple overloads"): the truncated min is the min of the truncated."""
    result = same(
        mart,
        postgres,
        "select date_trunc('month', min(published_on)), date_trunc('day', max(published_on)"
        " filter (where publisher is not null)), date_trunc('hour', max(published_on::timestamp))"
        " from source",
    )
    assert result.types == [1184, 1184, 1114]
