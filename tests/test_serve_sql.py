"""mart serve's SQL layer: clients' own catalog queries get PostgreSQL's answers from DuckDB.

The queries are the ones psql, pgjdbc, psycopg, SQLAlchemy and psqlODBC sent to a real
PostgreSQL 15 holding the mart (tests/clients/*.sql). Each runs through translate() on the mart
served from DuckDB, and on a PostgreSQL database built from the same seeds; the answers must be
equal except for the differences named in DIFFERENCES, each with its reason.
"""

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest

from mart import operations
from mart.config import DEFAULT_SEEDS_DIR
from mart.db import make_engine
from mart.serve import rows, sql
from mart.serve.catalog import CATALOG_RELATIONS
from mart.serve.generations import open_mart, session_cursor
from mart.serve.sql import SqlError, Statement, install, translate
from tests.conftest import SEEDED_COMPANIES, fresh_postgres_database
from tests.serving import PUBLIC_VIEWS, TABLES
from tests.test_serve_catalog import INDEXES, RELATIONS

CLIENTS = Path(__file__).parent / "clients"
DATABASE = "mart"

Row = list[Any]


@dataclass
class Answer:
    columns: list[str]
    rows: list[Row]


# ---------------------------------------------------------------------------------------------
# The captured statements.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Captured:
    client: str
    name: str
    sql: str
    params: list[str] | None
    oids: dict[str, str]  # the capture database's oid -> relation name

    @property
    def id(self) -> str:
        return f"{self.client}/{self.name}"

    def text_for(self, oids: dict[str, int]) -> str:
        """The statement with each relation's oid on the server it is about to run on."""
        text = self.sql
        for old, relation in self.oids.items():
            text = text.replace(old, str(oids[relation]))
        return text


def captured() -> list[Captured]:
    statements = []
    for path in sorted(CLIENTS.glob("*.sql")):
        text = path.read_text()
        oids = dict(re.findall(r"(?m)^-- oid (\d+): (\w+)$", text))
        for block in re.split(r"(?m)^-- name: ", text)[1:]:
            name, _, body = block.partition("\n")
            params = None
            if body.startswith("-- params: "):
                line, _, body = body.partition("\n")
                params = json.loads(line.removeprefix("-- params: "))
            statements.append(Captured(path.stem, name, body.rstrip("\n"), params, oids))
    return statements


CAPTURED = captured()
QUERIES = [c for c in CAPTURED if all(s.kind == "query" for s in translate(c.sql))]


# ---------------------------------------------------------------------------------------------
# The mart, served as the server serves it, and on PostgreSQL.
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def mart_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB mart built from the seeds (read-only from here on)."""
    path = tmp_path_factory.mktemp("serve") / "mart.duckdb"
    engine = make_engine(f"duckdb:///{path}")
    operations.build(engine, [DEFAULT_SEEDS_DIR])
    engine.dispose()
    return path


@pytest.fixture
def served(mart_file: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = open_mart(mart_file, DATABASE)
    yield session_cursor(con)
    con.close()


def run_served(cursor: duckdb.DuckDBPyConnection, text: str, params: list[str] | None) -> Answer:
    (statement,) = translate(text)
    assert statement.kind == "query", statement
    result = cursor.execute(statement.sql, params)
    columns = [column[0] for column in result.description or ()]
    return Answer(columns, [list(row) for row in result.fetchall()])


def relation_oids_served(cursor: duckdb.DuckDBPyConnection) -> dict[str, int]:
    answer = run_served(cursor, "select relname, oid from pg_class where relnamespace = 2200", None)
    return {name: oid for name, oid in answer.rows}


@dataclass(frozen=True)
class Postgres:
    conninfo: str
    database: str


@pytest.fixture(scope="module")
def postgres_mart(postgres_admin: str) -> Iterator[Postgres]:
    """A fresh PostgreSQL database with the mart built from the same seeds, dropped afterwards
    (built once for the module: the comparisons only read it)."""
    with fresh_postgres_database(postgres_admin) as url:
        engine = make_engine(url)
        try:
            operations.build(engine, [DEFAULT_SEEDS_DIR])
        finally:
            engine.dispose()
        name = url.rsplit("/", 1)[1]
        yield Postgres(psycopg.conninfo.make_conninfo(postgres_admin, dbname=name), name)


@pytest.fixture(scope="module")
def postgres(postgres_mart: Postgres) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(postgres_mart.conninfo, autocommit=True) as connection:
        yield connection


@pytest.fixture
def served_as_postgres(
    mart_file: Path, postgres_mart: Postgres
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The DuckDB mart served under the PostgreSQL test database's name."""
    con = open_mart(mart_file, postgres_mart.database)
    yield session_cursor(con)
    con.close()


def run_postgres(
    connection: psycopg.Connection[Any], text: str, params: list[str] | None
) -> Answer:
    """Run a statement with $n parameters on PostgreSQL, the values sent untyped as text."""
    with connection.cursor() as cursor:
        if params is None:
            cursor.execute(text.encode())
        else:
            query = re.sub(r"\$(\d+)", r"%(p\1)s", text.replace("%", "%%"))
            cursor.execute(query, {f"p{n}": value for n, value in enumerate(params, start=1)})
        columns = [column.name for column in cursor.description or ()]
        return Answer(columns, [list(row) for row in cursor.fetchall()] if columns else [])


def relation_oids_postgres(connection: psycopg.Connection[Any]) -> dict[str, int]:
    answer = run_postgres(
        connection, "select relname, oid from pg_class where relnamespace = 2200", None
    )
    return {name: int(oid) for name, oid in answer.rows}


# ---------------------------------------------------------------------------------------------
# The differences, each named and explained. A normaliser rewrites one side's answer (or both)
# into what both must then equal.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    database: str
    roles: frozenset[str]  # PostgreSQL's names for the owners mart serve calls "mart"
    types: frozenset[int]  # the oids in mart serve's pg_type


Normaliser = Callable[[Answer, bool, Context], Answer]  # (answer, is_postgres, context)


def columns_named(answer: Answer, names: tuple[str, ...]) -> list[int]:
    return [index for index, column in enumerate(answer.columns) if column in names]


def without(*names: str) -> Normaliser:
    """OIDS: a relation's oid is DuckDB's on mart serve and PostgreSQL's own there."""

    def apply(answer: Answer, postgres: bool, context: Context) -> Answer:
        keep = [i for i, column in enumerate(answer.columns) if column not in names]
        return Answer(
            [answer.columns[i] for i in keep], [[row[i] for i in keep] for row in answer.rows]
        )

    return apply


def owner(*names: str) -> Normaliser:
    """OWNER: mart serve's one role, "mart" (oid 10), owns everything; on PostgreSQL the
    relations belong to whoever ran the tests and the system schemas to the bootstrap role."""

    def apply(answer: Answer, postgres: bool, context: Context) -> Answer:
        if postgres:
            for i in columns_named(answer, names):
                for row in answer.rows:
                    if row[i] in context.roles:
                        row[i] = sql.ROLE
        return answer

    return apply


STRING_OIDS = {25, 1043}
STRING_TYPE = re.compile(r"text|varchar|character varying(\(\d+\))?")


def string_types(answer: Answer, postgres: bool, context: Context) -> Answer:
    """STRING: DuckDB has one string type, VARCHAR without a length, shown as character varying
    (varchar, 1043, typmod -1); PostgreSQL's mart has text, varchar and varchar(n). A string
    column's type, typmod and lengths are compared as "string"."""
    types = columns_named(answer, ("atttypid", "typname", "format_type", "data_type", "udt_name"))
    lengths = columns_named(
        answer, ("atttypmod", "character_maximum_length", "character_octet_length")
    )
    for row in answer.rows:
        if any(row[i] in STRING_OIDS or STRING_TYPE.fullmatch(str(row[i])) for i in types):
            for i in types:
                row[i] = "string"
            for i in lengths:
                row[i] = None
    return answer


def no_constraints(answer: Answer, postgres: bool, context: Context) -> Answer:
    """CONSTRAINTS: mart serve reports no indexes, check constraints or triggers (pg_index,
    pg_constraint and pg_trigger are empty): DuckDB's constraints carry neither the names nor
    the definitions of the mart's PostgreSQL DDL. So relchecks is 0 and relhasindex and
    relhastriggers false, and psql lists none."""
    if postgres:
        for name, value in (("relchecks", 0), ("relhasindex", False), ("relhastriggers", False)):
            for i in columns_named(answer, (name,)):
                for row in answer.rows:
                    row[i] = value
    return answer


def absent(answer: Answer, postgres: bool, context: Context) -> Answer:
    """CONSTRAINTS (rows): PostgreSQL lists the table's indexes or constraints; mart serve has
    none to list (see no_constraints)."""
    if postgres:
        assert answer.rows, "PostgreSQL should list some here"
        return Answer(answer.columns, [])
    return answer


def statistics(*names: str) -> Normaliser:
    """STATISTICS: PostgreSQL's planner estimates (reltuples, relpages) of a relation come
    from ANALYZE and autovacuum; mart serve has none and reports a never-analysed relation's
    (-1 and 0)."""

    def apply(answer: Answer, postgres: bool, context: Context) -> Answer:
        for i in columns_named(answer, names):
            for row in answer.rows:
                row[i] = None
        return answer

    return apply


def view_definition(*names: str) -> Normaliser:
    """VIEWDEF: PostgreSQL prints its own deparse of a view's query, DuckDB keeps its own
    re-printed CREATE VIEW: both define the view, in texts that cannot match. Compared: there
    is one."""

    def apply(answer: Answer, postgres: bool, context: Context) -> Answer:
        for i in columns_named(answer, names):
            for row in answer.rows:
                row[i] = bool(row[i] and "SELECT" in row[i].upper())
        return answer

    return apply


def current_database_only(answer: Answer, postgres: bool, context: Context) -> Answer:
    """DATABASES: mart serve serves one database; PostgreSQL lists every one in its cluster."""
    (i,) = columns_named(answer, ("Name",))
    return Answer(answer.columns, [row for row in answer.rows if row[i] == context.database])


def byte_order_locale(*names: str) -> Normaliser:
    """LOCALE: DuckDB compares strings byte by byte, which mart serve reports as collation C;
    PostgreSQL's C.UTF-8 (the test cluster's) sorts the same way. Another locale would not."""

    def apply(answer: Answer, postgres: bool, context: Context) -> Answer:
        for i in columns_named(answer, names):
            for row in answer.rows:
                if row[i] in ("C.UTF-8", "C.utf8", "POSIX"):
                    row[i] = "C"
        return answer

    return apply


def major_version(answer: Answer, postgres: bool, context: Context) -> Answer:
    """VERSION: both say PostgreSQL 15 the way SQLAlchemy parses it; the rest of the string is
    the server's own (Debian's build there, mart serve and DuckDB here)."""
    for row in answer.rows:
        match = re.match(r"PostgreSQL (\d+)\.\d+", row[0])
        assert match is not None, row[0]
        row[0] = match.group(0).split(".")[0]
    return answer


def unordered(answer: Answer, postgres: bool, context: Context) -> Answer:
    """ORDER: the query has no ORDER BY; the servers return rows in their own orders."""
    return Answer(answer.columns, sorted(answer.rows, key=repr))


def no_temp_schemas(answer: Answer, postgres: bool, context: Context) -> Answer:
    """TEMP SCHEMAS: the statements migration carries rows through temp tables, so PostgreSQL's
    mart database keeps the pg_temp_N and pg_toast_temp_N schemas they were made in; mart serve
    has no temp tables and no such schemas."""
    i = answer.columns.index("schema_name")
    rows = [row for row in answer.rows if not re.fullmatch(r"pg_(toast_)?temp_\d+", row[i])]
    return Answer(answer.columns, rows)


def public_only(column: str) -> Normaliser:
    """SYSTEM OBJECTS: PostgreSQL lists its own system relations and information_schema's
    domains; mart serve emulates the system relations clients read (checked against
    PostgreSQL's in test_catalog_relations_have_postgresql_oids_and_columns) and no domains.
    Compared: the rows about schema public."""

    def apply(answer: Answer, postgres: bool, context: Context) -> Answer:
        (i,) = columns_named(answer, (column,))
        return Answer(answer.columns, [row for row in answer.rows if row[i] == "public"])

    return apply


def tables_and_views(column: str) -> Normaliser:
    """RELATION KINDS: mart serve lists tables and views; PostgreSQL also the indexes behind
    primary keys and unique constraints (see no_constraints) and the sequences behind the
    surrogate keys (DuckDB has these, mart serve does not list them yet)."""

    def apply(answer: Answer, postgres: bool, context: Context) -> Answer:
        (i,) = columns_named(answer, (column,))
        return Answer(answer.columns, [row for row in answer.rows if row[i] in ("TABLE", "VIEW")])

    return apply


def emulated_types(answer: Answer, postgres: bool, context: Context) -> Answer:
    """TYPES: mart serve's pg_type holds the 91 built-in types DuckDB's columns map to (their
    rows checked against PostgreSQL's in test_pg_type_rows_are_postgresql_rows); PostgreSQL
    has some 600. Compared: the rows of those 91."""
    (i,) = columns_named(answer, ("oid",))
    return Answer(answer.columns, [row for row in answer.rows if row[i] in context.types])


def read_only(*names: str) -> Normaliser:
    """READ-ONLY: nothing is insertable or updatable through mart serve."""

    def apply(answer: Answer, postgres: bool, context: Context) -> Answer:
        if postgres:
            for i in columns_named(answer, names):
                for row in answer.rows:
                    row[i] = "NO"
        return answer

    return apply


def numeric_typmod_kept(*columns: tuple[str, str]) -> Normaliser:
    """AGGREGATE NUMERIC: PostgreSQL types min() and max() of a numeric(24,6) as numeric without
    precision or scale; DuckDB keeps DECIMAL(24,6). Compared without them, for these columns."""

    def apply(answer: Answer, postgres: bool, context: Context) -> Answer:
        table, column = answer.columns.index("table_name"), answer.columns.index("column_name")
        for row in answer.rows:
            if (row[table], row[column]) in columns:
                for i in columns_named(answer, ("numeric_precision", "numeric_scale")):
                    row[i] = None
        return answer

    return apply


# What each captured query's answers may differ in; a query not listed must answer the same.
DIFFERENCES: dict[str, tuple[Normaliser, ...]] = {
    "pgjdbc/get_columns": (string_types,),
    "psql/dt": (owner("Owner"),),
    "psql/dv": (owner("Owner"),),
    "psql/d_view_lookup": (without("oid"),),
    "psql/d_view_columns": (string_types,),
    "psql/dplus_view_lookup": (without("oid"),),
    "psql/dplus_view_columns": (string_types,),
    "psql/dplus_view_definition": (view_definition("pg_get_viewdef"),),
    "psql/dn": (owner("Owner"),),
    "psql/l": (
        current_database_only,
        owner("Owner"),
        byte_order_locale("Collate", "Ctype"),
    ),
    "psql/d_table_lookup": (without("oid"),),
    "psql/d_table_columns": (string_types,),
    "psqlodbc/sql_columns": (string_types, without("oid")),
    "psqlodbc/describe_result": (string_types, without("oid")),
    "sqlalchemy/version": (major_version,),
    "sqlalchemy/get_table_names": (unordered,),
    "sqlalchemy/get_view_names": (unordered,),
    "sqlalchemy/get_columns": (string_types,),
    "sqlalchemy/get_domains": (public_only("schema"),),
    "pgjdbc_metadata/get_all_tables": (public_only("table_schem"), tables_and_views("table_type")),
    "pgjdbc_metadata/get_columns_table": (string_types,),
    "pgjdbc_metadata/get_index_info": (statistics("cardinality", "pages"),),
    "pgjdbc_metadata/type_names": (emulated_types, unordered),
    "pgjdbc_metadata/type_info": (emulated_types,),
    "pgjdbc_metadata/result_metadata": (without("oid"), unordered),
}


@pytest.fixture(scope="module")
def context(postgres: psycopg.Connection[Any], postgres_mart: Postgres, mart_file: Path) -> Context:
    roles = run_postgres(
        postgres, "select rolname from pg_roles where oid = 10 or rolname = current_user", None
    )
    con = open_mart(mart_file, postgres_mart.database)
    types = run_served(session_cursor(con), "select oid from pg_type", None)
    con.close()
    return Context(
        postgres_mart.database,
        frozenset(row[0] for row in roles.rows),
        frozenset(row[0] for row in types.rows),
    )


def compare(
    served: Answer, postgres: Answer, normalisers: tuple[Normaliser, ...], context: Context
) -> None:
    for normalise in normalisers:
        served = normalise(served, False, context)
        postgres = normalise(postgres, True, context)
    assert served.columns == postgres.columns
    assert served.rows == postgres.rows


@pytest.mark.postgres
@pytest.mark.parametrize("statement", QUERIES, ids=lambda c: c.id)
def test_captured_query_answers_as_postgresql(
    statement: Captured,
    served_as_postgres: duckdb.DuckDBPyConnection,
    postgres: psycopg.Connection[Any],
    context: Context,
) -> None:
    served = run_served(
        served_as_postgres,
        statement.text_for(relation_oids_served(served_as_postgres)),
        statement.params,
    )
    answer = run_postgres(
        postgres, statement.text_for(relation_oids_postgres(postgres)), statement.params
    )
    compare(served, answer, DIFFERENCES.get(statement.id, ()), context)


def test_every_listed_difference_is_a_captured_query() -> None:
    assert set(DIFFERENCES) <= {query.id for query in QUERIES}


# The statements the session handles itself: (kind, tag, name, value) for each statement.
SESSION = {
    "pgjdbc/set_extra_float_digits": [("set", "SET", "extra_float_digits", "3")],
    "pgjdbc/set_application_name": [("set", "SET", "application_name", "PostgreSQL JDBC Driver")],
    "psycopg/begin": [("transaction", "BEGIN", "begin", "")],
    "sqlalchemy/begin": [("transaction", "BEGIN", "begin", "")],
    "psycopg/commit": [("transaction", "COMMIT", "commit", "")],
    "sqlalchemy/show_isolation": [("show", "SHOW", "transaction_isolation", "")],
    "sqlalchemy/show_standard_conforming_strings": [
        ("show", "SHOW", "standard_conforming_strings", "")
    ],
    "sqlalchemy/savepoint": [("transaction", "SAVEPOINT", "savepoint", "_pg3_1")],
    "sqlalchemy/release": [("transaction", "RELEASE", "release", "_pg3_1")],
    "sqlalchemy/rollback": [("transaction", "ROLLBACK", "rollback", "")],
    "psqlodbc/startup": [
        ("set", "SET", "datestyle", "ISO"),
        ("set", "SET", "extra_float_digits", "2"),
        ("show", "SHOW", "transaction_isolation", ""),
    ],
    "psqlodbc/begin": [("transaction", "BEGIN", "begin", "")],
    "psqlodbc/savepoint": [("transaction", "SAVEPOINT", "savepoint", "_exec_svp_0x55cab5964510")],
    "psqlodbc/deallocate": [
        ("transaction", "SAVEPOINT", "savepoint", "_per_query_svp_"),
        ("noop", "DEALLOCATE", "_PLAN0x55cab5991960", ""),
        ("transaction", "RELEASE", "release", "_per_query_svp_"),
    ],
    "psqlodbc/rollback": [("transaction", "ROLLBACK", "rollback", "")],
}


SESSION_CAPTURED = [c for c in CAPTURED if c not in QUERIES]


def session_key(statement: Captured) -> str:
    return re.sub(r"_\d+$", "", statement.id)  # sqlalchemy/begin_2 is another sqlalchemy/begin


@pytest.mark.parametrize("statement", SESSION_CAPTURED, ids=lambda c: c.id)
def test_captured_session_statements_are_classified(statement: Captured) -> None:
    expected = SESSION[session_key(statement)]
    assert [(s.kind, s.tag, s.name, s.value) for s in translate(statement.sql)] == expected


def test_every_session_expectation_is_a_captured_statement() -> None:
    assert set(SESSION) == {session_key(statement) for statement in SESSION_CAPTURED}


# ---------------------------------------------------------------------------------------------
# The same answers on DuckDB alone (they run where PostgreSQL does not).
# ---------------------------------------------------------------------------------------------

SHIPMENTS_COLUMNS = [
    (
        "company",
        1043,
        "Company name; NULL for the whole market of the region (a research firm's total).",
    ),
    ("region", 1043, "Region or market; Global for worldwide shipments."),
    ("period", 1043, "Quarter label, e.g. 2017-Q2."),
    ("period_start", 1082, "First day of the quarter."),
    ("period_end", 1082, "Last day of the quarter."),
    ("units", 1700, "Smartphones shipped in the quarter (implied rows rounded to 2 decimals)."),
    (
        "bound",
        25,  # text, as PostgreSQL types the view's union of a varchar(16) and 'about'
        "exact, about, at_least, at_most or range, as the figure is stated; about for implied"
        " rows (the stated rate is rounded).",
    ),
    (
        "basis",
        25,
        "reported (a source states it) or implied (derived from a stated growth rate).",
    ),
    (
        "qoq_growth_pct",
        1700,
        "Growth on the previous quarter a source states, in percent; NULL if none.",
    ),
    (
        "attributed_to",
        1043,
        "Who the sources say gives the figures (e.g. a research firm); NULL when the source gives"
        " them itself.",
    ),
    ("source_count", 20, "Sources stating the figure (for implied rows: stating the growth rate)."),
]


def captured_query(id: str) -> Captured:
    return next(c for c in CAPTURED if c.id == id)


def run_captured(cursor: duckdb.DuckDBPyConnection, id: str) -> Answer:
    statement = captured_query(id)
    return run_served(cursor, statement.text_for(relation_oids_served(cursor)), statement.params)


def test_every_captured_query_runs_on_mart_serve(served: duckdb.DuckDBPyConnection) -> None:
    for statement in QUERIES:
        run_captured(served, statement.id)


def test_psql_lists_the_mart(served: duckdb.DuckDBPyConnection) -> None:
    tables = run_captured(served, "psql/dt")
    assert tables.columns == ["Schema", "Name", "Type", "Owner"]
    assert [row[1] for row in tables.rows] == TABLES
    assert {(row[0], row[2], row[3]) for row in tables.rows} == {("public", "table", "mart")}
    views = run_captured(served, "psql/dv")
    assert [row[1] for row in views.rows] == PUBLIC_VIEWS
    assert run_captured(served, "psql/dn").rows == [["public", "pg_database_owner"]]
    assert run_captured(served, "psql/l").rows == [
        [DATABASE, "mart", "UTF8", "C", "C", None, "libc", None]
    ]


def test_psql_describes_a_table(served: duckdb.DuckDBPyConnection) -> None:
    # 6 checks, indexes, and foreign keys (PostgreSQL's internal triggers enforce them)
    assert run_captured(served, "psql/d_table_relation").rows == [
        [6, "r", True, False, True, False, False, False, False, "", 0, "", "p", "d", "heap"]
    ]
    columns = run_captured(served, "psql/d_table_columns").rows
    assert columns[:4] == [
        ["statement_id", "bigint", "nextval('statement_id_seq'::regclass)", True, None, "", ""],
        ["source_id", "bigint", None, True, None, "", ""],
        ["metric_id", "bigint", None, True, None, "", ""],
        ["company_id", "bigint", None, False, None, "", ""],  # NULL for a whole market
    ]
    assert len(columns) == 31  # with stated_on, stated_on_wording, known_until, fact_key, sum_of
    indexes = run_captured(served, "psql/d_table_indexes").rows
    assert [row[0] for row in indexes] == [
        "pk_statement",
        "ix_statement_company_id",
        "uq_statement_fact",
    ]
    assert [row[0] for row in run_captured(served, "psql/d_table_checks").rows] == [
        "ck_statement_basis_domain",
        "ck_statement_bound_domain",
        "ck_statement_quote_span",
        "ck_statement_range_has_high",
        "ck_statement_range_ordered",
        "ck_statement_sum_of_domain",
    ]
    assert len(run_captured(served, "psql/d_table_foreign_keys").rows) == 9
    assert run_captured(served, "psql/d_table_policies").rows == []


def test_pgjdbc_reads_tables_and_columns_with_comments(served: duckdb.DuckDBPyConnection) -> None:
    schemas = run_captured(served, "pgjdbc/get_schemas")
    assert schemas.rows == [["information_schema", None], ["pg_catalog", None], ["public", None]]
    tables = {row[2]: (row[3], row[4]) for row in run_captured(served, "pgjdbc/get_tables").rows}
    assert len(tables) == len(TABLES) + len(PUBLIC_VIEWS)
    assert tables["company"] == ("TABLE", "Companies the sources report on. One row per company.")
    assert tables["alembic_version"] == ("TABLE", None)
    assert tables["shipments_quarterly"][0] == "VIEW"
    assert tables["shipments_quarterly"][1].startswith("Quarterly smartphone shipments per company")
    columns = run_captured(served, "pgjdbc/get_columns")
    assert columns.columns[:5] == ["nspname", "relname", "attname", "atttypid", "attnotnull"]
    assert [(row[2], row[3], row[12]) for row in columns.rows] == SHIPMENTS_COLUMNS
    units = columns.rows[5]
    assert units[5] == ((24 << 16) | 2) + 4  # atttypmod of numeric(24,2): pgjdbc's precision
    assert [row[8] for row in columns.rows] == list(range(1, 12))


def test_sqlalchemy_inspector_queries(served: duckdb.DuckDBPyConnection) -> None:
    assert run_captured(served, "sqlalchemy/current_schema").rows == [["public"]]
    assert run_captured(served, "sqlalchemy/get_schema_names").rows == [
        ["information_schema"],
        ["public"],
    ]
    assert run_captured(served, "sqlalchemy/type_info_hstore").rows == []
    columns = run_captured(served, "sqlalchemy/get_columns")
    assert [(row[0], row[1], row[3], row[5]) for row in columns.rows] == [
        (name, type_name, False, comment)
        for (name, _, comment), type_name in zip(
            SHIPMENTS_COLUMNS,
            ["character varying(200)", "character varying(200)", "character varying", "date",
             "date", "numeric(24,2)", "text", "text", "numeric(24,2)",
             "character varying(200)", "bigint"],
            strict=True,
        )
    ]  # fmt: skip
    comment = run_captured(served, "sqlalchemy/get_table_comment_statement")
    assert comment.rows == [
        [
            "statement",
            "Figures as stated by a source: one row per statement, with its bound, attribution,"
            " period wording and the exact quote it comes from.",
        ]
    ]


def test_psqlodbc_columns(served: duckdb.DuckDBPyConnection) -> None:
    columns = run_captured(served, "psqlodbc/sql_columns")
    assert [(row[2], row[4], row[5]) for row in columns.rows] == [
        ("company", "varchar", 1), ("region", "varchar", 2), ("period", "varchar", 3),
        ("period_start", "date", 4), ("period_end", "date", 5), ("units", "numeric", 6),
        ("bound", "text", 7), ("basis", "text", 8), ("qoq_growth_pct", "numeric", 9),
        ("attributed_to", "varchar", 10), ("source_count", "int8", 11),
    ]  # fmt: skip
    assert run_captured(served, "psqlodbc/large_object_type").rows == []


def test_parameterised_query_on_public_schema(served: duckdb.DuckDBPyConnection) -> None:
    answer = run_served(
        served, "select * from public.shipments_quarterly where company = $1", ["Xiaomi"]
    )
    assert answer.columns == [name for name, _, _ in SHIPMENTS_COLUMNS]
    rows = {row[2]: row for row in answer.rows}
    assert rows["2017-Q2"] == [
        "Xiaomi", "Global", "2017-Q2", rows["2017-Q2"][3], rows["2017-Q2"][4],
        Decimal("23160000"), "exact", "reported", Decimal("70"), None, 2,
    ]  # fmt: skip
    assert str(rows["2017-Q2"][3]) == "2017-04-01"
    assert str(rows["2017-Q2"][4]) == "2017-06-30"


# ---------------------------------------------------------------------------------------------
# The emulated catalog against PostgreSQL's own.
# ---------------------------------------------------------------------------------------------

INFORMATION_SCHEMA = {
    "schemata": (
        "select catalog_name, schema_name, schema_owner from information_schema.schemata"
        " order by schema_name",
        (owner("schema_owner"), no_temp_schemas),
    ),
    "tables": (
        "select table_catalog, table_schema, table_name, table_type, is_insertable_into,"
        " is_typed from information_schema.tables where table_schema = 'public'"
        " order by table_name",
        (read_only("is_insertable_into"),),
    ),
    "columns": (
        "select table_catalog, table_name, column_name, ordinal_position, column_default,"
        " is_nullable, data_type, character_maximum_length, character_octet_length,"
        " numeric_precision, numeric_precision_radix, numeric_scale, datetime_precision,"
        " udt_name, is_updatable from information_schema.columns"
        " where table_schema = 'public' order by table_name, ordinal_position",
        (
            string_types,
            read_only("is_updatable"),
            numeric_typmod_kept(("fact_agreement", "min_value"), ("fact_agreement", "max_value")),
        ),
    ),
    "views": (
        "select table_name, view_definition, check_option, is_updatable, is_insertable_into"
        " from information_schema.views where table_schema = 'public' order by table_name",
        (view_definition("view_definition"), read_only("is_updatable", "is_insertable_into")),
    ),
}


@pytest.mark.postgres
@pytest.mark.parametrize("view", INFORMATION_SCHEMA)
def test_information_schema_answers_as_postgresql(
    view: str,
    served_as_postgres: duckdb.DuckDBPyConnection,
    postgres: psycopg.Connection[Any],
    context: Context,
) -> None:
    query, normalisers = INFORMATION_SCHEMA[view]
    served = run_served(served_as_postgres, query, None)
    answer = run_postgres(postgres, query, None)
    assert served.rows, view
    compare(served, answer, normalisers, context)


@pytest.mark.postgres
def test_catalog_relations_have_postgresql_oids_and_columns(
    served: duckdb.DuckDBPyConnection, postgres: psycopg.Connection[Any]
) -> None:
    """Every emulated pg_catalog and information_schema relation has PostgreSQL 15's oid and
    kind, and PostgreSQL's columns in PostgreSQL's order (empty ones included)."""
    query = (
        "select n.nspname, c.relname, c.oid, c.relkind from pg_class c"
        " join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname in ('pg_catalog', 'information_schema') order by 1, 2"
    )
    ours = run_served(served, query, None).rows
    theirs = {(row[0], row[1]): row for row in run_postgres(postgres, query, None).rows}
    assert len(ours) == 34
    for row in ours:
        assert theirs[row[0], row[1]] == row
    relations = [(schema, name) for schema, names in CATALOG_RELATIONS.items() for name in names]
    assert len(relations) == 80
    for schema, name in relations:
        text = f"select * from {schema}.{name} limit 0"
        assert run_served(served, text, None).columns == run_postgres(postgres, text, None).columns


@pytest.mark.postgres
def test_pg_type_rows_are_postgresql_rows(
    served: duckdb.DuckDBPyConnection, postgres: psycopg.Connection[Any]
) -> None:
    query = (
        "select oid, typname, typnamespace, typlen, typbyval, typtype, typcategory, typdelim,"
        " typelem, typarray, typinput::text, typoutput::text, typreceive::text, typsend::text,"
        " typalign, typstorage, typcollation, format_type(oid, null) as name,"
        " oid::regtype::text as regtype from pg_type order by oid"
    )
    ours = run_served(served, query, None)
    oids = [row[0] for row in ours.rows]
    listed = f"where oid in ({', '.join(map(str, oids))}) order by"
    theirs = run_postgres(postgres, query.replace("order by", listed), None)
    assert len(ours.rows) == 91
    assert ours == theirs


@pytest.mark.postgres
@pytest.mark.parametrize(
    "expression",
    [
        "format_type(1700, ((24 << 16) | 6) + 4)",
        "format_type(1043, 20)",
        "format_type(1043, -1)",
        "format_type(1231, -1)",
        "format_type(99999, -1)",
        "format_type(null, -1)",
        "'pg_class'::regclass::oid",
        "'pg_catalog.pg_namespace'::regclass::oid",
        "'information_schema.tables'::regclass::oid",
        "'pg_class'::regclass::text",
        "1259::regclass::text",
        "13425::regclass::text",
        "to_regtype('integer')::oid",
        "to_regtype('character varying')::oid",
        "to_regtype('hstore')",
        "'int4'::regtype::oid",
        "23::regtype::text",
        "'pg_catalog'::regnamespace::oid",
        "11::regnamespace::text",
        "pg_get_userbyid(6171)",
        "pg_encoding_to_char(6)",
        "current_schema()",
        "current_schemas(true)",
        "current_schemas(false)",
        "array_upper(array[1, 2, 3], 1)",
        "array_lower(array[1, 2, 3], 1)",
        "array_upper(array[]::int[], 1)",
        "has_table_privilege('pg_class', 'SELECT')",
        "has_schema_privilege('public', 'USAGE')",
        "obj_description(2200, 'pg_namespace')",
        "'{1,2}'::int[]",
        "current_setting('server_version_num')::int / 10000",
        "current_setting('standard_conforming_strings')",
        "'x' like 'x' escape '/'",
        "'pg_1' not like 'pg/_%' escape '/'",
        "'a' || 'b' collate pg_catalog.default",
        "'pg_temp_1' !~ '^pg_temp_'",
        "'abc' operator(pg_catalog.~) 'b'",
        "array['a'] || array(select 'b')",
        "null::text[] || array(select 'b' where false)",
        "pg_catalog.array_to_string(array['a', 'b'], ', ')",
        "trim(trailing ';' from 'x;')",
        "(select count(*) from pg_catalog.generate_series(1, 3) s where s > 1)",
        "quote_ident('Mixed')",
    ],
)
def test_functions_and_casts_answer_as_postgresql(
    expression: str, served: duckdb.DuckDBPyConnection, postgres: psycopg.Connection[Any]
) -> None:
    text = f"select {expression}"
    assert run_served(served, text, None) == run_postgres(postgres, text, None)


def test_relation_oids_do_not_collide_with_postgresql_system_oids(
    served: duckdb.DuckDBPyConnection,
) -> None:
    """DuckDB numbers the mart's relations above PostgreSQL's first user oid (16384), so they
    never collide with the fixed oids of the catalogs, types and namespaces; the indexes behind
    keys are numbered after them."""
    oids = relation_oids_served(served)
    assert len(oids) == RELATIONS  # tables and views, indexes, sequences
    assert min(oids.values()) >= 16384


DUCKDB_TYPES = [
    ("BOOLEAN", 16, "boolean"),
    ("TINYINT", 21, "smallint"),
    ("SMALLINT", 21, "smallint"),
    ("USMALLINT", 23, "integer"),
    ("INTEGER", 23, "integer"),
    ("UINTEGER", 20, "bigint"),
    ("BIGINT", 20, "bigint"),
    ("UBIGINT", 1700, "numeric"),
    ("HUGEINT", 1700, "numeric"),
    ("DECIMAL(12, 2)", 1700, "numeric(12,2)"),
    ("FLOAT", 700, "real"),
    ("DOUBLE", 701, "double precision"),
    ("VARCHAR", 1043, "character varying"),
    ("BLOB", 17, "bytea"),
    ("DATE", 1082, "date"),
    ("TIME", 1083, "time without time zone"),
    ("TIMESTAMP", 1114, "timestamp without time zone"),
    ("TIMESTAMPTZ", 1184, "timestamp with time zone"),
    ("INTERVAL", 1186, "interval"),
    ("UUID", 2950, "uuid"),
    ("JSON", 114, "json"),
    ("INTEGER[]", 1007, "integer[]"),
    ("VARCHAR[]", 1015, "character varying[]"),
    ("DATE[]", 1182, "date[]"),
    ("STRUCT(a INTEGER)", 25, "text"),
    ("MAP(VARCHAR, INTEGER)", 25, "text"),
    ("STRUCT(a INTEGER)[]", 1009, "text[]"),
]


def test_duckdb_types_map_to_postgresql_types(tmp_path: Path) -> None:
    path = tmp_path / "types.duckdb"
    with duckdb.connect(str(path)) as con:
        columns = ", ".join(f"c{i} {t}" for i, (t, _, _) in enumerate(DUCKDB_TYPES))
        con.execute(f"create table every_type ({columns})")
    con = open_mart(path, DATABASE)
    answer = run_served(
        session_cursor(con),
        "select attname, atttypid, format_type(atttypid, atttypmod), attlen,"
        " t.typlen from pg_attribute a join pg_type t on t.oid = a.atttypid"
        " where attrelid = 'every_type'::regclass order by attnum",
        None,
    )
    assert [(row[1], row[2]) for row in answer.rows] == [(o, n) for _, o, n in DUCKDB_TYPES]
    assert all(row[3] == row[4] for row in answer.rows)  # attlen is the type's length
    # The rows mart serve sends say the same types as its catalog.
    described = rows.columns_of(session_cursor(con).sql("select * from every_type"))
    assert [column.type_oid for column in described] == [o for _, o, _ in DUCKDB_TYPES]
    con.close()


# ---------------------------------------------------------------------------------------------
# Statements mart serve refuses.
# ---------------------------------------------------------------------------------------------

READ_ONLY = "in a read-only transaction"
# PostgreSQL refuses these in a read-only transaction with the same SQLSTATE and words.
REFUSED_AS_POSTGRESQL = [
    (
        "insert into company (company_key, company_name) values ('a', 'b')",
        "25006",
        f"cannot execute INSERT {READ_ONLY}",
    ),
    ("update company set company_name = 'x'", "25006", f"cannot execute UPDATE {READ_ONLY}"),
    ("delete from company", "25006", f"cannot execute DELETE {READ_ONLY}"),
    (
        "merge into company c using company d on c.company_id = d.company_id"
        " when matched then delete",
        "25006",
        f"cannot execute MERGE {READ_ONLY}",
    ),
    ("create table t (a int)", "25006", f"cannot execute CREATE TABLE {READ_ONLY}"),
    ("create table t as select 1", "25006", f"cannot execute CREATE TABLE AS {READ_ONLY}"),
    ("select 1 as a into t", "25006", f"cannot execute SELECT INTO {READ_ONLY}"),
    ("create view v as select 1", "25006", f"cannot execute CREATE VIEW {READ_ONLY}"),
    ("create index on company (company_name)", "25006", f"cannot execute CREATE INDEX {READ_ONLY}"),
    ("create schema s", "25006", f"cannot execute CREATE SCHEMA {READ_ONLY}"),
    ("drop table company", "25006", f"cannot execute DROP TABLE {READ_ONLY}"),
    ("drop view shipments_quarterly", "25006", f"cannot execute DROP VIEW {READ_ONLY}"),
    ("alter table company add column x int", "25006", f"cannot execute ALTER TABLE {READ_ONLY}"),
    (
        "alter view shipments_quarterly rename to s2",
        "25006",
        f"cannot execute ALTER VIEW {READ_ONLY}",
    ),
    ("alter table company rename to c2", "25006", f"cannot execute ALTER TABLE {READ_ONLY}"),
    ("truncate company", "25006", f"cannot execute TRUNCATE TABLE {READ_ONLY}"),
    ("copy company from stdin", "25006", f"cannot execute COPY FROM {READ_ONLY}"),
    ("grant select on company to public", "25006", f"cannot execute GRANT {READ_ONLY}"),
    ("revoke select on company from public", "25006", f"cannot execute REVOKE {READ_ONLY}"),
    ("comment on table company is 'x'", "25006", f"cannot execute COMMENT {READ_ONLY}"),
    ("select * from company for update", "25006", f"cannot execute SELECT FOR UPDATE {READ_ONLY}"),
    (
        "with d as (delete from company returning *) select * from d",
        "25006",
        f"cannot execute SELECT {READ_ONLY}",
    ),
    ("create sequence sq", "25006", f"cannot execute CREATE SEQUENCE {READ_ONLY}"),
    (
        "create function f() returns int as 'select 1' language sql",
        "25006",
        f"cannot execute CREATE FUNCTION {READ_ONLY}",
    ),
    ("create extension hstore", "25006", f"cannot execute CREATE EXTENSION {READ_ONLY}"),
    ("create role r", "25006", f"cannot execute CREATE ROLE {READ_ONLY}"),
    ("explain analyze delete from company", "25006", f"cannot execute DELETE {READ_ONLY}"),
]
REFUSED = [
    *REFUSED_AS_POSTGRESQL,
    # DuckDB's own catalog and settings by any spelling: case, quoting, schema qualification,
    # no parentheses (DuckDB folds the case of quoted names; PostgreSQL has none of these).
    ('select path from "DUCKDB_DATABASES"', "42P01", 'relation "DUCKDB_DATABASES" does not exist'),
    (
        "select * from pragma_database_list",
        "42P01",
        'relation "pragma_database_list" does not exist',
    ),
    (
        'select * from "Pragma_Database_List"',
        "42P01",
        'relation "Pragma_Database_List" does not exist',
    ),
    (
        "select * from system.main.duckdb_databases",
        "0A000",
        'cross-database references are not implemented: "system.main.duckdb_databases"',
    ),
    (
        'select * from "PG_CATALOG"."PG_SETTINGS"',
        "42P01",
        'relation "PG_CATALOG.PG_SETTINGS" does not exist',
    ),
    ('select * from "PG_SETTINGS"', "42P01", 'relation "PG_SETTINGS" does not exist'),
    (
        'select * from "INFORMATION_SCHEMA".tables',
        "42P01",
        'relation "INFORMATION_SCHEMA.tables" does not exist',
    ),
    (
        "select * from memory.mart_serve.relations",
        "0A000",
        'cross-database references are not implemented: "memory.mart_serve.relations"',
    ),
    (
        "select * from system.sqlite_master",
        "42P01",
        'relation "system.sqlite_master" does not exist',
    ),
    (
        'select * from "DUCKDB_SETTINGS"()',
        "42501",
        "permission denied for function duckdb_settings",
    ),
    ("select main.current_setting('secret_directory')", "3F000", 'schema "main" does not exist'),
    (
        """select "PG_CATALOG".current_setting('allowed_paths')""",
        "3F000",
        'schema "PG_CATALOG" does not exist',
    ),
    ("select public.lower('x')", "42883", "function public.lower does not exist"),
    (
        "select memory.mart_serve.regclass_oid('company')",
        "0A000",
        "cross-database references are not implemented: memory.mart_serve.regclass_oid",
    ),
    (
        "select current_setting('secret_directory')",
        "42704",
        'unrecognized configuration parameter "secret_directory"',
    ),
    (
        "select pg_catalog.current_setting('memory_limit')",
        "42704",
        'unrecognized configuration parameter "memory_limit"',
    ),
    (
        "select current_setting('Allowed_Paths', false)",
        "42704",
        'unrecognized configuration parameter "Allowed_Paths"',
    ),
    # Refused although PostgreSQL allows them in a read-only transaction: they run code, write
    # files or statistics, or load libraries.
    ("vacuum company", "25006", f"cannot execute VACUUM {READ_ONLY}"),
    ("analyze company", "25006", f"cannot execute ANALYZE {READ_ONLY}"),
    ("do $$ begin end $$", "25006", f"cannot execute DO {READ_ONLY}"),
    ("call f()", "25006", f"cannot execute CALL {READ_ONLY}"),
    ("load 'plpgsql'", "25006", f"cannot execute LOAD {READ_ONLY}"),
    ("lock table company", "25006", f"cannot execute LOCK TABLE {READ_ONLY}"),
    # The server's files are out of reach, as for a PostgreSQL role without
    # pg_write_server_files (COPY ... TO STDOUT is served: tests/test_serve_clients.py).
    (
        "copy (select 1) to '/tmp/x'",
        "42501",
        "must be superuser or have privileges of the pg_write_server_files role to COPY to a file",
    ),
    # Neither writes nor reads the mart, and mart serve cannot do them.
    (
        "prepare p as select 1",
        "0A000",
        "PREPARE is not supported by mart serve: prepare through the protocol (Parse/Bind/Execute)",
    ),
    ("notify x", "0A000", "NOTIFY is not supported by mart serve"),
    ("explain select 1", "0A000", "EXPLAIN is not supported by mart serve"),
    (
        "select set_config('search_path', 'x', true)",
        "0A000",
        "set_config is not supported by mart serve here: use SET, or "
        "SELECT set_config('name', 'value', false) alone",
    ),
    # DuckDB's own statements are not PostgreSQL: its parser rejects them.
    ("attach 'x.duckdb' as x", "42601", 'syntax error at or near "attach"'),
    ("install httpfs", "42601", 'syntax error at or near "install"'),
    ("pragma database_list", "42601", 'syntax error at or near "pragma"'),
    ("export database 'x'", "42601", 'syntax error at or near "export"'),
    # Functions and names that reach files, settings or secrets.
    ("select * from read_csv('/etc/passwd')", "42501", "permission denied for function read_csv"),
    (
        "select * from read_parquet('x.parquet')",
        "42501",
        "permission denied for function read_parquet",
    ),
    ("select * from glob('/*')", "42501", "permission denied for function glob"),
    ("select * from read_text('/etc/passwd')", "42501", "permission denied for function read_text"),
    ("select * from query('select 1')", "42501", "permission denied for function query"),
    ("select * from duckdb_secrets()", "42501", "permission denied for function duckdb_secrets"),
    ("select * from duckdb_settings()", "42501", "permission denied for function duckdb_settings"),
    (
        "select * from pragma_table_info('company')",
        "42501",
        "permission denied for function pragma_table_info",
    ),
    ("select * from main.sniff_csv('x.csv')", "42501", "permission denied for function sniff_csv"),
    ("select getvariable('x')", "42501", "permission denied for function getvariable"),
    (
        "select (select count(*) from read_csv_auto('x.csv'))",
        "42501",
        "permission denied for function read_csv_auto",
    ),
    ('select * from "x.csv"', "42P01", 'relation "x.csv" does not exist'),
    (
        "select * from 'https://example.com/x.parquet'",
        "42601",
        "syntax error at or near \"'https://example.com/x.parquet'\"",
    ),
    ("select * from duckdb_databases", "42P01", 'relation "duckdb_databases" does not exist'),
    ("select * from pg_stat_statements", "42P01", 'relation "pg_stat_statements" does not exist'),
    (
        "select * from pg_catalog.pg_nothing",
        "42P01",
        'relation "pg_catalog.pg_nothing" does not exist',
    ),
    (
        "select * from information_schema.character_sets",
        "42P01",
        'relation "information_schema.character_sets" does not exist',
    ),
]


@pytest.mark.parametrize(("text", "sqlstate", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused(text: str, sqlstate: str, message: str) -> None:
    with pytest.raises(SqlError) as refused:
        translate(text)
    assert (refused.value.sqlstate, refused.value.message) == (sqlstate, message)


@pytest.mark.postgres
def test_refusals_are_postgresql_own_in_a_read_only_transaction(
    postgres: psycopg.Connection[Any],
) -> None:
    """PostgreSQL, in a read-only transaction, refuses these statements with the same words."""
    with postgres.cursor() as cursor:
        cursor.execute("set default_transaction_read_only = on")
        try:
            for text, sqlstate, message in REFUSED_AS_POSTGRESQL:
                with pytest.raises(psycopg.Error) as refused:
                    cursor.execute(text.encode())
                diagnostic = refused.value.diag
                assert (diagnostic.sqlstate, diagnostic.message_primary) == (sqlstate, message), (
                    text
                )
        finally:
            cursor.execute("set default_transaction_read_only = off")


def test_syntax_error_carries_position() -> None:
    with pytest.raises(SqlError) as error:
        translate("select 1;\nselec 2")
    assert (error.value.sqlstate, error.value.message, error.value.position) == (
        "42601",
        'syntax error at or near "selec"',
        11,
    )
    with pytest.raises(SqlError) as error:
        translate("select 1 from")
    assert (error.value.message, error.value.position) == ("syntax error at end of input", 14)
    with pytest.raises(SqlError) as error:
        translate("select 'é' ; selec 2")
    assert error.value.position == 14  # in characters, as PostgreSQL counts


@pytest.mark.postgres
def test_syntax_errors_are_postgresql_own(postgres: psycopg.Connection[Any]) -> None:
    for text in ("select 1;\nselec 2", "select 1 from", "select 'é' ; selec 2", "select 'abc"):
        with pytest.raises(SqlError) as ours:
            translate(text)
        with pytest.raises(psycopg.errors.SyntaxError) as theirs:
            postgres.execute(text.encode())
        diagnostic = theirs.value.diag
        assert (ours.value.message, ours.value.position) == (
            diagnostic.message_primary,
            int(diagnostic.statement_position or 0),
        )


# ---------------------------------------------------------------------------------------------
# Splitting and classifying what the session handles.
# ---------------------------------------------------------------------------------------------


def kinds(text: str) -> list[tuple[str, str, str, str]]:
    return [(s.kind, s.tag, s.name, s.value) for s in translate(text)]


def test_session_statements() -> None:
    assert kinds("SET DateStyle = 'ISO';SET extra_float_digits = 2;show transaction_isolation") == [
        ("set", "SET", "datestyle", "ISO"),
        ("set", "SET", "extra_float_digits", "2"),
        ("show", "SHOW", "transaction_isolation", ""),
    ]
    assert kinds("show transaction isolation level") == [
        ("show", "SHOW", "transaction_isolation", "")
    ]
    assert kinds("SHOW TIME ZONE; show all") == [
        ("show", "SHOW", "timezone", ""),
        ("show", "SHOW", "all", ""),
    ]
    assert kinds("set search_path = \"$user\", public; set time zone 'UTC'; reset all") == [
        ("set", "SET", "search_path", "$user, public"),
        ("set", "SET", "timezone", "UTC"),
        ("set", "RESET", "all", ""),
    ]
    assert kinds("reset application_name; set x to default; set session characteristics as "
                 "transaction read only; set transaction isolation level serializable") == [
        ("set", "RESET", "application_name", ""),
        ("set", "SET", "x", ""),
        ("set", "SET", "default_transaction_read_only", "on"),
        ("set", "SET", "transaction_isolation", "serializable"),
    ]  # fmt: skip
    assert kinds("begin; start transaction read only; savepoint a; release a; rollback to a;"
                 " commit; end; rollback; abort") == [
        ("transaction", "BEGIN", "begin", ""),
        ("transaction", "START TRANSACTION", "begin", ""),
        ("transaction", "SAVEPOINT", "savepoint", "a"),
        ("transaction", "RELEASE", "release", "a"),
        ("transaction", "ROLLBACK", "rollback_to", "a"),
        ("transaction", "COMMIT", "commit", ""),
        ("transaction", "COMMIT", "commit", ""),
        ("transaction", "ROLLBACK", "rollback", ""),
        ("transaction", "ROLLBACK", "rollback", ""),
    ]  # fmt: skip
    assert kinds("DEALLOCATE p; deallocate all; DISCARD ALL; unlisten *; listen x") == [
        ("noop", "DEALLOCATE", "p", ""),
        ("noop", "DEALLOCATE ALL", "", ""),
        ("noop", "DISCARD ALL", "", ""),
        ("noop", "UNLISTEN", "", ""),
        ("noop", "LISTEN", "", ""),
    ]
    assert kinds("") == [("empty", "", "", "")]
    assert kinds(";") == [("empty", "", "", "")]
    assert kinds(" ; -- nothing\n") == [("empty", "", "", "")]
    assert [s.kind for s in translate("select 1;; select 2;")] == ["query", "query"]


def test_queries_get_postgresql_column_names(served: duckdb.DuckDBPyConnection) -> None:
    answer = run_served(
        served,
        "select 1, count(*) over (), 1::int, 'a'::text, x, t.x as \"Y\", current_user,"
        " nullif(1, 2), case when true then 1 end, coalesce(null, 1), (select 2), array[1],"
        " exists(select 1), now() is not null, current_schema from (values (5)) t(x)",
        None,
    )
    assert answer.columns == [
        "?column?", "count", "int4", "text", "x", "Y", "current_user", "nullif", "case",
        "coalesce", "?column?", "array", "exists", "?column?", "current_schema",
    ]  # fmt: skip
    assert answer.rows == [[1, 1, 1, "a", 5, 5, "mart", 1, 1, 1, 2, [1], True, True, "public"]]
    assert run_served(served, "values (1, 'a')", None) == Answer(["column1", "column2"], [[1, "a"]])


def test_queries_without_the_catalog_are_reprinted(served: duckdb.DuckDBPyConnection) -> None:
    (statement,) = translate("select company, units from shipments_quarterly where units > $1")
    assert statement == Statement(
        "query",
        "SELECT company, units FROM shipments_quarterly WHERE units > $1",
        "SELECT",
        tables=("shipments_quarterly",),
        table_columns=(("", "company"), ("", "units")),
    )
    answer = run_served(served, statement.sql, ["20000000"])
    assert answer.rows == [["Xiaomi", Decimal("23160000.00")], [None, Decimal("40000000.00")]]


def test_names_resolve_as_in_postgresql(served: duckdb.DuckDBPyConnection) -> None:
    def scalar(text: str) -> Any:
        return run_served(served, text, None).rows[0][0]

    assert scalar("select count(*) from public.company") == SEEDED_COMPANIES
    assert scalar("select count(*) from main.company") == SEEDED_COMPANIES
    # database.schema.table
    assert scalar("select count(*) from mart.public.company") == SEEDED_COMPANIES
    assert scalar("select max(public.company.company_name) from public.company") == "Xiaomi"
    assert scalar("select count(*) from pg_class where relnamespace = 2200") == RELATIONS
    assert scalar("select count(*) from information_schema.tables") == (
        34 + len(TABLES) + len(PUBLIC_VIEWS)
    )
    assert scalar("with pg_class as (select 7 as n) select n from pg_class") == 7
    assert scalar("select relname from pg_catalog.pg_class where oid = 'company'::regclass") == (
        "company"
    )
    assert scalar("select 'public.company'::regclass = 'company'::regclass") is True
    assert scalar("select c.oid::regclass from pg_class c where c.relname = 'company'") == (
        "company"
    )
    assert scalar("select count(*) from pg_index i join pg_class c on c.oid = i.indrelid") == len(
        INDEXES
    )


def test_translate_is_cached_and_fast(mart_file: Path) -> None:
    """Printed, not asserted: translate() for the hot path, and install()."""
    misses = []
    for n in range(200):
        start = time.perf_counter()
        translate(f"select {n}")
        misses.append(time.perf_counter() - start)
    miss = sorted(misses)[100]
    rounds = 100_000
    start = time.perf_counter()
    for _ in range(rounds):
        translate("select 1")
    hit = (time.perf_counter() - start) / rounds
    catalog = captured_query("pgjdbc/get_columns").sql + " "  # not yet cached
    start = time.perf_counter()
    translate(catalog)
    catalog_miss = time.perf_counter() - start
    installs = []
    for _ in range(5):
        con = duckdb.connect(":memory:")
        con.execute(f"ATTACH '{mart_file}' AS mart (READ_ONLY)")
        start = time.perf_counter()
        install(con, DATABASE)
        installs.append(time.perf_counter() - start)
        con.close()
    print(
        f"\ntranslate('select n'): miss {miss * 1e6:.0f} us (median), hit {hit * 1e6:.2f} us;"
        f" pgjdbc getColumns miss {catalog_miss * 1e3:.2f} ms;"
        f" install() {min(installs) * 1e3:.1f} ms best, {sorted(installs)[2] * 1e3:.1f} ms median"
    )
    assert translate("select 1") is not translate("select 1")  # callers get their own list
