"""`mart serve` with the real clients BI tools use: psql, psycopg, SQLAlchemy, JDBC, ODBC."""

import contextlib
import os
import shutil
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg
import pytest
import sqlalchemy as sa

from tests.conftest import SEEDED_COMPANIES, SEEDED_SOURCES, SEEDED_STATEMENTS
from tests.serving import (
    MART_USER,
    PUBLIC_VIEWS,
    TABLES,
    Served,
    build_mart,
    serving,
    sha256,
)

SLOW_QUERY = "select sum(hash(i)) from range(20000000000) t(i)"
README = Path(__file__).parent.parent / "README.md"
SERVE_DOC = README.parent / "docs" / "serve.md"  # the server's reference, linked from the README


def test_the_docs_count_what_the_mart_serves() -> None:
    """Counts in prose go stale: the README's (its BI tools' table) and the server reference's
    are the mart's (the lists above are what the server lists: test_jdbc_metadata_and_query)."""
    from mart.serve import keys
    from tests.test_serve_sql import CAPTURED

    views = sorted(path.stem for path in (README.parent / "mart" / "views").glob("*.sql"))
    assert views == PUBLIC_VIEWS
    readme = " ".join(README.read_text().split())
    assert f"the {len(PUBLIC_VIEWS)} views and {len(TABLES)} tables" in readme
    assert "[docs/serve.md](docs/serve.md)" in readme
    text = " ".join(SERVE_DOC.read_text().split())
    declared = keys.constraints()
    # A plain index (contype i: ix_statement_company_id) is no constraint: no pg_constraint row.
    constraints = [key for key in declared if key.contype != "i"]
    indexes = sum(1 for key in declared if key.contype in "pu")
    assert f"The mart's {len(constraints)} constraints" in text
    assert f"the {indexes} indexes behind its keys" in text
    assert f"({len(CAPTURED)} statements captured" in text


@pytest.fixture(scope="module")
def mart_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_mart(tmp_path_factory.mktemp("served") / "mart.duckdb")


@pytest.fixture(scope="module")
def served(mart_file: Path) -> Iterator[Served]:
    with serving(mart_file, "--statement-timeout", "5") as server:
        yield server


def _psql(served: Served, *commands: str, csv: bool = False) -> str:
    if shutil.which("psql") is None:
        pytest.skip("psql is not installed (apt-get install postgresql-client)")
    arguments = ["psql", "-X", "-h", served.host, "-p", str(served.port), "-U", MART_USER, "mart"]
    arguments += ["--csv"] if csv else []
    for command in commands:
        arguments += ["-c", command]
    done = subprocess.run(arguments, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


# -- psql ------------------------------------------------------------------------------------
def test_psql_lists_tables_and_views(served: Served) -> None:
    tables = _psql(served, r"\dt")
    views = _psql(served, r"\dv")
    assert [line.split("|")[1].strip() for line in tables.splitlines()[3:-2]] == TABLES
    assert {line.split("|")[2].strip() for line in tables.splitlines()[3:-2]} == {"table"}
    assert [line.split("|")[1].strip() for line in views.splitlines()[3:-2]] == PUBLIC_VIEWS
    assert tables.splitlines()[-2] == f"({len(TABLES)} rows)"
    assert views.splitlines()[-2] == f"({len(PUBLIC_VIEWS)} rows)"


def test_psql_describes_a_view(served: Served) -> None:
    described = _psql(served, r"\d shipments_quarterly").splitlines()
    assert described[0].strip() == 'View "public.shipments_quarterly"'
    columns = [[cell.strip() for cell in line.split("|")[:2]] for line in described[3:] if line]
    assert columns == [  # as PostgreSQL's \d shows them (tests/test_serve_catalog.py compares)
        ["company", "character varying(200)"],
        ["region", "character varying(200)"],
        ["period", "character varying"],
        ["period_start", "date"],
        ["period_end", "date"],
        ["units", "numeric(24,2)"],
        ["bound", "text"],
        ["basis", "text"],
        ["qoq_growth_pct", "numeric(24,2)"],
        ["attributed_to", "character varying(200)"],
        ["source_count", "bigint"],
    ]


@pytest.mark.parametrize("view", PUBLIC_VIEWS)
def test_psql_selects_every_public_view(served: Served, mart_file: Path, view: str) -> None:
    import duckdb

    shown = _psql(served, f"select * from {view}", csv=True).splitlines()
    with duckdb.connect(str(mart_file), read_only=True) as direct:
        relation = direct.sql(f"select * from {view}")
        expected_rows = relation.fetchall()
        columns = relation.columns
    assert shown[0].split(",") == columns
    assert len(shown) - 1 == len(expected_rows) > 0


def test_psql_shows_the_article_figures(served: Served) -> None:
    shown = _psql(
        served,
        "select company, period, units, qoq_growth_pct, source_count from shipments_quarterly "
        "where attributed_to is null order by period",
        csv=True,
    )
    assert shown.splitlines() == [
        "company,period,units,qoq_growth_pct,source_count",
        "Xiaomi,2017-Q1,13623529.41,,2",
        "Xiaomi,2017-Q2,23160000.00,70.00,2",
    ]


# -- psycopg -----------------------------------------------------------------------------------
@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_psycopg_types_arrive_right(served: Served, binary: bool) -> None:
    with psycopg.connect(served.dsn()) as connection:
        row = (
            connection.cursor(binary=binary)
            .execute(
                "select s.period_start, s.units, s.source_count, a.is_disputed, src.loaded_at, "
                "s.qoq_growth_pct, s.company "
                "from shipments_quarterly s, fact_agreement a, source src "
                "where s.company = %s and s.period = %s and a.metric = %s and a.period = %s "
                "and src.source_key = %s",
                [
                    "Xiaomi",
                    "2017-Q1",
                    "smartphone_shipments",
                    "2017-Q2",
                    "xiaomi-q2-2017-shipments",
                ],
            )
            .fetchone()
        )
    assert row is not None
    period_start, units, source_count, is_disputed, loaded_at, growth, company = row
    assert period_start == date(2017, 1, 1)
    assert units == Decimal("13623529.41")
    assert source_count == 2 and isinstance(source_count, int)
    assert is_disputed is False
    assert isinstance(loaded_at, datetime)
    assert growth is None
    assert company == "Xiaomi"


def test_psycopg_binary_and_typed_parameters(served: Served) -> None:
    with psycopg.connect(served.dsn()) as connection:
        rows = connection.execute(
            "select period, units from shipments_quarterly "
            "where period_start >= %b and units > %b and source_count = %b order by period",
            [date(2017, 4, 1), Decimal("1000000.5"), 2],
        ).fetchall()
        untyped = connection.execute(
            "select filed, granted, grant_rate from patent_summary where year = %t",
            ["2016"],
        ).fetchall()
    assert rows == [("2017-Q2", Decimal("23160000.00"))]
    assert untyped == [(7071, 2895, Decimal("0.409419"))]


def test_psycopg_large_result_and_nulls(served: Served) -> None:
    with psycopg.connect(served.dsn()) as connection:
        rows = connection.execute(
            "select i, case when i % 3 = 0 then null else 'row ' || i end, i * 0.5 "
            "from range(100000) t(i) order by i"
        ).fetchall()
    assert len(rows) == 100000
    assert rows[0] == (0, None, Decimal("0.0"))
    assert rows[99998] == (99998, "row 99998", Decimal("49999.0"))
    assert rows[99999] == (99999, None, Decimal("49999.5"))


# -- SQLAlchemy (what Superset does when a database is added) -----------------------------------
def test_sqlalchemy_inspector(served: Served) -> None:
    engine = sa.create_engine(served.url())
    try:
        inspector = sa.inspect(engine)
        assert inspector.get_schema_names() == ["information_schema", "public"]
        assert sorted(inspector.get_table_names()) == TABLES
        assert sorted(inspector.get_view_names()) == PUBLIC_VIEWS
        columns = inspector.get_columns("shipments_quarterly")
        assert [c["name"] for c in columns] == [
            "company",
            "region",
            "period",
            "period_start",
            "period_end",
            "units",
            "bound",
            "basis",
            "qoq_growth_pct",
            "attributed_to",
            "source_count",
        ]
        assert columns[0]["comment"] == (
            "Company name; NULL for the whole market of the region (a research firm's total)."
        )
        assert str(columns[5]["type"]) == "NUMERIC(24, 2)"
        assert isinstance(columns[3]["type"], sa.Date)
        comment = inspector.get_table_comment("statement")["text"]
        assert comment is not None and comment.startswith("Figures as stated by a source")
        with engine.connect() as connection:
            figure = connection.execute(
                sa.text("select units from public.shipments_quarterly where period = :p"),
                {"p": "2017-Q2"},
            ).scalar_one()
        assert figure == Decimal("23160000.00")
    finally:
        engine.dispose()


def test_sqlalchemy_inspector_matches_real_postgresql(served: Served, postgres_url: str) -> None:
    """The catalog answers as PostgreSQL does for the same mart (names, order, comments)."""
    from mart import operations
    from mart.config import DEFAULT_SEEDS_DIR
    from mart.db import make_engine

    real = make_engine(postgres_url)
    ours = sa.create_engine(served.url())
    try:
        operations.build(real, [DEFAULT_SEEDS_DIR])
        theirs, mine = sa.inspect(real), sa.inspect(ours)
        assert sorted(mine.get_table_names()) == sorted(theirs.get_table_names())
        assert sorted(mine.get_view_names()) == sorted(theirs.get_view_names())
        for name in TABLES + PUBLIC_VIEWS:
            assert mine.get_table_comment(name) == theirs.get_table_comment(name), name
            expected = [(c["name"], c["comment"]) for c in theirs.get_columns(name)]
            assert [(c["name"], c["comment"]) for c in mine.get_columns(name)] == expected, name
    finally:
        real.dispose()
        ours.dispose()


# -- JDBC (Metabase, DBeaver, Tableau) -----------------------------------------------------------
JDBC_JARS = [
    Path.home() / ".m2/repository/org/postgresql/postgresql/42.7.13/postgresql-42.7.13.jar",
    Path("/usr/share/java/postgresql.jar"),
]


def _needs(reason: str) -> None:
    """Skip on a user's machine; fail in CI, which must have every client."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def test_jdbc_metadata_and_query(served: Served) -> None:
    jar = next((j for j in JDBC_JARS if j.is_file()), None)
    if shutil.which("java") is None or jar is None:
        _needs(
            "needs java and the PostgreSQL JDBC driver (apt-get install libpostgresql-jdbc-java)"
        )
    program = Path(__file__).parent / "clients" / "MartMetadata.java"
    url = f"jdbc:postgresql://{served.host}:{served.port}/mart"
    done = subprocess.run(
        ["java", "-cp", str(jar), str(program), url, MART_USER, served.password or ""],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = [line.split("\t") for line in done.stdout.splitlines()]
    assert ["product", "PostgreSQL"] in lines
    assert [line[1] for line in lines if line[0] == "schema"] == [
        "information_schema",
        "pg_catalog",
        "public",
    ]
    tables = [(line[2], line[3]) for line in lines if line[0] == "table"]
    assert tables == [(t, "TABLE") for t in TABLES] + [(v, "VIEW") for v in PUBLIC_VIEWS]
    remarks = {line[2]: line[4] for line in lines if line[0] == "table"}
    assert remarks["statement"].startswith("Figures as stated by a source")
    columns = [line[1:4] for line in lines if line[0] == "column"]
    assert columns[:5] == [
        ["company", "12", "varchar"],
        ["region", "12", "varchar"],
        ["period", "12", "varchar"],
        ["period_start", "91", "date"],
        ["period_end", "91", "date"],
    ]
    assert [line for line in lines if line[0] == "row"] == [
        ["row", "Xiaomi", "2017-Q1", "2017-01-01", "13623529.41", "null", "2"],
        ["row", "Xiaomi", "2017-Q2", "2017-04-01", "23160000.00", "70.00", "2"],
        # Canalys' figure for India (attributed_to Canalys, beside Xiaomi's own quarters)
        ["row", "Xiaomi", "2017-Q3", "2017-07-01", "9200000.00", "null", "1"],
    ]


# -- ODBC (Excel, Power BI) ----------------------------------------------------------------------
def test_odbc_tables_columns_and_query(served: Served) -> None:
    try:
        import pyodbc
    except ImportError as error:
        _needs(f"needs pyodbc and unixODBC (apt-get install unixodbc): {error}")
    if "PostgreSQL Unicode" not in pyodbc.drivers():
        _needs("needs the psqlODBC driver (apt-get install odbc-postgresql)")
    connection = pyodbc.connect(
        f"DRIVER={{PostgreSQL Unicode}};SERVER={served.host};PORT={served.port};"
        f"DATABASE=mart;UID={MART_USER};PWD={served.password or ''}",
        timeout=30,
    )
    try:
        cursor = connection.cursor()
        found = [(row.table_name, row.table_type) for row in cursor.tables(schema="public")]
        assert sorted(found) == sorted(
            [(t, "TABLE") for t in TABLES] + [(v, "VIEW") for v in PUBLIC_VIEWS]
        )
        columns = [
            (row.column_name, row.type_name) for row in cursor.columns(table="store_footprint")
        ]
        assert columns[:5] == [
            ("company", "varchar"),
            ("region", "varchar"),
            ("store_brand", "varchar"),
            ("as_of", "date"),
            ("open_stores", "int8"),
        ]
        rows = cursor.execute(
            "select region, open_stores, planned_openings, stores_after_plan "
            "from store_footprint where company = ? order by region",
            "Xiaomi",
        ).fetchall()
        assert [tuple(row) for row in rows] == [
            ("China", 123, 14, 137),
            ("India", None, None, None),
        ]
    finally:
        connection.close()


# -- read-only ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("statement", "tag"),
    [
        ("insert into company (name) values ('Acme')", "INSERT"),
        ("update company set name = 'x'", "UPDATE"),
        ("delete from statement", "DELETE"),
        ("create table t (x int)", "CREATE TABLE"),
        ("drop view shipments_quarterly", "DROP VIEW"),
        ("copy company from '/tmp/company.csv'", "COPY FROM"),
        ("alter table company add column x int", "ALTER TABLE"),
        ("truncate statement", "TRUNCATE TABLE"),
    ],
)
def test_writes_are_refused(served: Served, statement: str, tag: str) -> None:
    before = sha256(served.path)
    with psycopg.connect(served.dsn(), autocommit=True) as connection:
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction) as refused:
            connection.execute(statement)
        assert refused.value.sqlstate == "25006"
        assert str(refused.value) == f"cannot execute {tag} in a read-only transaction"
        assert connection.execute("select count(*) from company").fetchone() == (SEEDED_COMPANIES,)
    assert sha256(served.path) == before


def test_an_error_leaves_the_transaction_aborted_until_rollback(served: Served) -> None:
    with psycopg.connect(served.dsn()) as connection:
        with pytest.raises(psycopg.errors.UndefinedTable):
            connection.execute("select * from no_such_view")
        with pytest.raises(psycopg.errors.InFailedSqlTransaction):
            connection.execute("select 1")
        connection.rollback()
        assert connection.execute("select 1 + 1").fetchone() == (2,)


# -- authentication ------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["scram-sha-256", "md5"])
def test_password_is_checked(mart_file: Path, method: str) -> None:
    with serving(mart_file, "--auth", method, password="s3cret") as server:
        with psycopg.connect(server.dsn()) as connection:
            assert connection.execute("select year from patent_summary").fetchone() == (2016,)
        with pytest.raises(psycopg.OperationalError) as wrong:
            psycopg.connect(server.dsn(password="guess"))
        assert f'password authentication failed for user "{MART_USER}"' in str(wrong.value)
        with pytest.raises(psycopg.OperationalError) as missing:
            psycopg.connect(server.dsn(password=""))
        assert "password" in str(missing.value)


@pytest.mark.parametrize("password", ["Café", "\ufb01sh", "pass\u00a0word"])
def test_scram_prepares_non_ascii_passwords_as_libpq_does(mart_file: Path, password: str) -> None:
    with (
        serving(mart_file, password=password) as server,
        psycopg.connect(server.dsn()) as connection,
    ):
        assert connection.execute("select 1").fetchone() == (1,)


def test_no_password_on_a_public_address_is_refused(mart_file: Path) -> None:
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "mart", "serve", "--db", str(mart_file), "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "error: refusing to serve on 0.0.0.0 without a password: anyone who can reach it could "
        "read the mart; pass --password-file, or bind to 127.0.0.1"
    )


# -- bad clients -------------------------------------------------------------------------------
def test_garbage_start_up_packet_is_dropped(served: Served) -> None:
    with socket.create_connection((served.host, served.port), timeout=10) as raw:
        raw.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = raw.recv(1000)
    assert answer[:1] in (b"", b"E")
    with psycopg.connect(served.dsn()) as connection:
        assert connection.execute("select count(*) from fact_provenance").fetchone() == (
            SEEDED_STATEMENTS,
        )


def test_ssl_request_is_declined_politely(served: Served) -> None:
    with socket.create_connection((served.host, served.port), timeout=10) as raw:
        raw.sendall(struct.pack("!ii", 8, 80877103))
        assert raw.recv(1) == b"N"
    with psycopg.connect(served.dsn(sslmode="prefer")) as connection:
        assert connection.execute("select 1").fetchone() == (1,)


def test_connection_dropped_mid_query(served: Served) -> None:
    connection = psycopg.connect(served.dsn())
    thread = threading.Thread(target=_swallow, args=(connection, SLOW_QUERY))
    thread.start()
    time.sleep(0.5)
    connection.pgconn.finish()  # the socket closes under the running query
    thread.join(timeout=30)
    with psycopg.connect(served.dsn()) as other:
        assert other.execute("select rank from market_positions order by rank limit 1").fetchone()


def _swallow(connection: psycopg.Connection, query: str) -> None:
    with contextlib.suppress(psycopg.Error):
        connection.execute(query)


def test_statement_timeout_cancels_with_57014(mart_file: Path) -> None:
    with (
        serving(mart_file, "--statement-timeout", "0.5") as server,
        psycopg.connect(server.dsn()) as connection,
    ):
        started = time.monotonic()
        with pytest.raises(psycopg.errors.QueryCanceled) as cancelled:
            connection.execute(SLOW_QUERY)
        assert time.monotonic() - started < 5
        assert cancelled.value.sqlstate == "57014"
        assert str(cancelled.value) == "canceling statement due to statement timeout"
        connection.rollback()
        assert connection.execute("select 1").fetchone() == (1,)


def test_cancel_request_from_psycopg(served: Served) -> None:
    with psycopg.connect(served.dsn()) as connection:
        threading.Timer(0.5, connection.cancel_safe).start()
        with pytest.raises(psycopg.errors.QueryCanceled) as cancelled:
            connection.execute(SLOW_QUERY)
        assert str(cancelled.value) == "canceling statement due to user request"
        connection.rollback()
        assert connection.execute("select 2").fetchone() == (2,)


def test_ctrl_c_in_psql_cancels_only_that_query(served: Served) -> None:
    if shutil.which("psql") is None:
        pytest.skip("psql is not installed")
    import signal

    psql = subprocess.Popen(
        ["psql", "-X", "-h", served.host, "-p", str(served.port), "-U", MART_USER, "mart"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert psql.stdin is not None
    psql.stdin.write(SLOW_QUERY + ";\n")
    psql.stdin.flush()
    time.sleep(1.0)
    psql.send_signal(signal.SIGINT)  # what Ctrl-C does: psql sends a CancelRequest
    _, err = psql.communicate(timeout=30)
    assert err.splitlines() == [
        "Cancel request sent",
        "ERROR:  canceling statement due to user request",
    ]
    assert psql.returncode == 3  # psql's own exit code for a script stopped by the user
    assert _psql(served, "select 40 + 2 as answer", csv=True).splitlines() == ["answer", "42"]


# -- route 2: the DuckDB file itself, opened read-only (Superset with duckdb-engine) -----------
def test_read_only_duckdb_reader_never_blocks_a_rebuild(tmp_path: Path) -> None:
    import sys

    from tests.test_serve_load import _add_article

    path = build_mart(tmp_path / "mart.duckdb")
    reader = sa.create_engine(f"duckdb:///{path}", connect_args={"read_only": True})
    try:
        with reader.connect() as held:
            assert (
                held.execute(sa.text("select count(*) from source")).scalar_one() == SEEDED_SOURCES
            )
            seeds = _add_article(tmp_path / "seeds", 1)
            rebuilt = subprocess.run(
                [sys.executable, "-m", "mart", "build", "--db", str(path), "--seeds", str(seeds)],
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert rebuilt.returncode == 0, rebuilt.stderr
            assert (
                held.execute(sa.text("select count(*) from source")).scalar_one() == SEEDED_SOURCES
            )
        reader.dispose()
        with reader.connect() as fresh:
            assert (
                fresh.execute(sa.text("select count(*) from source")).scalar_one()
                == SEEDED_SOURCES + 1
            )
    finally:
        reader.dispose()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--db", "postgresql:///mart"],
            "error: mart serve serves a DuckDB file, not postgresql+psycopg: "
            "BI tools connect to PostgreSQL directly",
        ),
        (
            ["--db", "{tmp}/none.duckdb"],
            "error: no mart at {tmp}/none.duckdb: run `mart build` first",
        ),
        (
            ["--password-file", "{tmp}/missing.txt"],
            "error: cannot read the password file: [Errno 2] No such file or directory: "
            "'{tmp}/missing.txt'",
        ),
        (
            ["--password-file", "{tmp}/empty.txt"],
            "error: the password file is empty: put the password on its first line",
        ),
    ],
    ids=["postgresql", "no-file", "no-password-file", "empty-password"],
)
def test_serve_refuses_bad_settings_in_one_line(
    mart_file: Path, tmp_path: Path, arguments: list[str], message: str
) -> None:
    from typer.testing import CliRunner

    from mart.cli import app

    (tmp_path / "empty.txt").write_text("\n")
    given = [a.replace("{tmp}", str(tmp_path)) for a in arguments]
    if "--db" not in given:
        given += ["--db", str(mart_file)]
    result = CliRunner().invoke(app, ["serve", "--port", "0", *given])
    assert result.exit_code == 1
    assert result.stderr.strip() == message.replace("{tmp}", str(tmp_path))


def test_session_statements_act_on_the_session(served: Served) -> None:
    with psycopg.connect(served.dsn(), autocommit=True) as connection:
        connection.execute("set application_name = 'dashboard'")
        assert connection.execute("show application_name").fetchone() == ("dashboard",)
        connection.execute("discard all")
        assert connection.execute("show application_name").fetchone() == ("",)
        with pytest.raises(psycopg.errors.InvalidSqlStatementName) as unknown:
            connection.execute("deallocate nothing_prepared")
        assert str(unknown.value) == 'prepared statement "nothing_prepared" does not exist'
        with pytest.raises(psycopg.errors.UndefinedObject) as unset:
            connection.execute("show no_such_setting")
        assert str(unset.value) == 'unrecognized configuration parameter "no_such_setting"'


def test_clients_cannot_reach_python_objects_or_files(mart_file: Path) -> None:
    from mart.serve.generations import Published

    published = Published(mart_file)
    generation, cursor = published.check_out()
    try:
        settings = cursor.execute(
            "select current_setting('python_enable_replacements'), "
            "current_setting('enable_external_access')"
        )
        assert settings.fetchone() == (False, False)
        # Not locked (each session sets its cursors' TimeZone), and none can switch it back on.
        with pytest.raises(duckdb.InvalidInputException, match="external access"):
            cursor.execute("set enable_external_access = true")
    finally:
        published.check_in(generation, cursor)
        published.close()


# -- values as PostgreSQL sends them ------------------------------------------------------------
@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_values_arrive_as_postgresql_sends_them(served: Served, binary: bool) -> None:
    big = Decimal("-99999999999999999999999999999999.123456")
    with psycopg.connect(served.dsn(), autocommit=True) as connection:
        cursor = connection.cursor(binary=binary)
        row = cursor.execute(
            "select 7 / 2, 1.0::float8, -0.0::float8, 'infinity'::float8, "
            "(-99999999999999999999999999999999.123456)::numeric(38, 6), "
            "timestamptz '2024-01-01 00:00:00+00', %s::numeric(38, 6)",
            [big],
        ).fetchone()
    assert row is not None
    assert row[:4] == (3, 1.0, -0.0, float("inf"))
    assert row[4] == big and row[6] == big
    assert row[5].isoformat() == "2024-01-01T00:00:00+00:00"
    with psycopg.connect(served.dsn(), autocommit=True) as connection:
        arrays = connection.execute("select array['a,b', null, 'say \"hi\"'], array[1, 2]")
        assert arrays.fetchone() == (["a,b", None, 'say "hi"'], [1, 2])
    shown = _psql(served, "select 1.0::float8 as f, -0.0::float8 as z, interval '14 months' as i")
    assert shown.splitlines()[2] == " 1 | -0 | 1 year 2 mons"


def test_a_parameter_takes_its_own_type_each_time(served: Served) -> None:
    with psycopg.connect(served.dsn(), autocommit=True) as connection:
        assert connection.execute("select %s as x", [1]).fetchone() == (1,)
        assert connection.execute("select %s as x", ["abc"]).fetchone() == ("abc",)
        assert connection.execute("select %s as x", [1.5]).fetchone() == (1.5,)
        assert connection.cursor(binary=True).execute("select %s as x", [10**12]).fetchone() == (
            10**12,
        )


def test_division_by_zero_is_an_error(served: Served) -> None:
    with psycopg.connect(served.dsn(), autocommit=True) as connection:
        with pytest.raises(psycopg.Error) as failed:
            connection.execute("select 1::int / 0")
        assert failed.value.sqlstate is not None
        assert connection.execute("select 6 / 3").fetchone() == (2,)


def _message(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("!i", 4 + len(body)) + body


SYNC = _message(b"S", b"")


@contextmanager
def _raw_session(served: Served) -> Iterator[tuple[socket.socket, bytes]]:
    """A session spoken by hand, started as analyst on database mart: (socket, greeting)."""
    with socket.create_connection((served.host, served.port), timeout=30) as raw:
        startup = b"user\0analyst\0database\0mart\0\0"
        raw.sendall(struct.pack("!ii", 8 + len(startup), 196608) + startup)
        yield raw, _read_until_ready(raw)


def _read_until_ready(raw: socket.socket) -> bytes:
    received = b""
    while not (len(received) >= 6 and received[-6:-1] == b"Z\0\0\0\5"):
        chunk = raw.recv(65536)
        assert chunk, received
        received += chunk
    return received


def test_reset_all_restores_the_settings(served: Served) -> None:
    with psycopg.connect(served.dsn(), autocommit=True) as connection:
        connection.execute("set statement_timeout = 1234")
        connection.execute("reset all")  # back to the server's --statement-timeout 5
        assert connection.execute("show statement_timeout").fetchone() == ("5s",)
        shown = connection.execute("show all").fetchall()
        assert ("server_version", "15.0", "") in shown


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_arrays_of_each_type(served: Served, binary: bool) -> None:
    with psycopg.connect(served.dsn(), autocommit=True) as connection:
        row = (
            connection.cursor(binary=binary)
            .execute(
                "select array[true, false, null], array[date '2017-04-01'], "
                "array[1.5::numeric(4, 1), 2], array['x\\\\y', null], "
                "array[timestamptz '2024-01-01 00:00:00+00'], "
                "(select proargtypes from pg_catalog.pg_proc limit 1)"
            )
            .fetchone()
        )
    assert row is not None
    assert row[0] == [True, False, None]
    assert row[1] == [date(2017, 4, 1)]
    assert row[2] == [Decimal("1.5"), Decimal("2.0")]
    assert row[3] == ["x\\\\y", None]  # standard_conforming_strings: two backslashes
    assert [t.isoformat() for t in row[4]] == ["2024-01-01T00:00:00+00:00"]
    assert row[5] is None  # the emulated pg_proc is empty


def test_reset_restores_the_start_up_application_name(served: Served) -> None:
    with psycopg.connect(served.dsn(application_name="app0"), autocommit=True) as connection:
        connection.execute("set application_name = 'app1'")
        assert connection.info.parameter_status("application_name") == "app1"
        connection.execute("reset all")
        assert connection.execute("show application_name").fetchone() == ("app0",)
        connection.execute("set application_name = 'app2'")
        connection.execute("discard all")
        assert connection.execute("show application_name").fetchone() == ("app0",)


def test_a_cancel_while_a_portal_waits_leaves_the_session_working(served: Served) -> None:
    with _raw_session(served) as (raw, greeting):
        key = greeting[greeting.index(b"K\0\0\0\x0c") + 5 :][:8]
        raw.sendall(_message(b"Q", b"begin\0"))
        _read_until_ready(raw)
        parse = b"p\0select i from range(100000) t(i)\0\0\0"
        bind = b"p\0p\0\0\0\0\0\0\0"
        execute = b"p\0" + struct.pack("!i", 100)
        raw.sendall(_message(b"P", parse) + _message(b"B", bind) + _message(b"E", execute) + SYNC)
        assert b"s\0\0\0\4" in _read_until_ready(raw)
        with socket.create_connection((served.host, served.port), timeout=10) as cancel:
            cancel.sendall(struct.pack("!ii", 16, 80877102) + key)  # the session is idle
            cancel.recv(1)
        rest = b"p\0" + struct.pack("!i", 0)
        raw.sendall(_message(b"E", rest) + SYNC)
        answer = _read_until_ready(raw)
        assert b"C\0\0\0\x11SELECT 99900\0" in answer  # the rest of the rows, none lost


def test_a_bare_numeric_cast_keeps_its_digits(served: Served) -> None:
    """PostgreSQL's numeric keeps every digit; DuckDB's bare numeric would round to 3."""
    with psycopg.connect(served.dsn(), autocommit=True) as connection:
        row = connection.execute(
            "select 0.0000001::numeric, %s::numeric, cast(units as numeric) "
            "from shipments_quarterly where period = '2017-Q1'",
            [Decimal("-0.123456789")],
        ).fetchone()
    assert row == (Decimal("1E-7"), Decimal("-0.123456789"), Decimal("13623529.41"))


def test_statements_before_a_refused_one_still_run(served: Served) -> None:
    """As PostgreSQL runs `select 1; insert ...`: the select answers, then the insert fails."""
    if shutil.which("psql") is None:
        pytest.skip("psql is not installed")
    before = sha256(served.path)
    arguments = ["psql", "-X", "-A", "-t", "-h", served.host, "-p", str(served.port)]
    done = subprocess.run(
        [*arguments, "-U", MART_USER, "mart", "-c", "select 41 + 1; delete from company"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.splitlines() == ["42"]
    assert done.stderr.strip() == "ERROR:  cannot execute DELETE in a read-only transaction"
    assert sha256(served.path) == before
