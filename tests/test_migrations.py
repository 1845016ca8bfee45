"""The migration chain: linear, reversible, matching the models, views consistent at every step.

pytest-alembic's built-in tests run on DuckDB and PostgreSQL; the model-vs-DDL drift test runs
on PostgreSQL only, because duckdb-engine reflects neither unique constraints nor TEXT types
(Alembic would report differences that are not there).
"""

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.config import Config
from pytest_alembic.tests import (
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from mart import migrate, operations, views
from mart.db import MartError, make_engine
from tests.conftest import BACKENDS, MART_TABLES, STORED_TABLES

__all__ = [
    "test_model_definitions_match_ddl",
    "test_single_head_revision",
    "test_up_down_consistency",
    "test_upgrade",
]

TABLES = MART_TABLES
FACT_TABLES_BEFORE = ["metric_fact", "patent_fact", "store_fact"]
DIMENSIONS_BEFORE = ["company", "metric", "period", "product", "region", "source"]


@pytest.fixture
def alembic_config() -> Config:
    return migrate.alembic_config()


@pytest.fixture(params=BACKENDS)
def alembic_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"duckdb:///{request.getfixturevalue('tmp_path') / 'alembic.duckdb'}"
        if request.node.name.startswith("test_model_definitions_match_ddl"):
            pytest.skip("drift is checked on PostgreSQL: duckdb-engine cannot reflect it")
    engine = make_engine(url)
    yield engine
    engine.dispose()


def relations(engine: Engine) -> tuple[list[str], list[str]]:
    inspector = inspect(engine)
    tables = sorted(t for t in inspector.get_table_names() if t != "alembic_version")
    return tables, sorted(inspector.get_view_names())


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_views_exist_only_at_head(empty: Engine) -> None:
    assert operations.upgrade(empty) == migrate.head()
    assert relations(empty) == (sorted(TABLES + STORED_TABLES), sorted(views.names()))
    operations.downgrade(empty, "-1")  # derived figures: columns only
    assert relations(empty) == (TABLES, [])
    operations.downgrade(empty, "-1")  # the statement index (PostgreSQL only)
    assert relations(empty) == (TABLES, [])
    operations.downgrade(empty, "-1")
    assert relations(empty) == (TABLES, [])
    operations.downgrade(empty, "-1")
    assert relations(empty) == (sorted(DIMENSIONS_BEFORE + FACT_TABLES_BEFORE), [])
    operations.downgrade(empty, "-1")
    assert relations(empty) == (DIMENSIONS_BEFORE, [])
    operations.downgrade(empty, "base")
    assert relations(empty) == ([], [])
    operations.upgrade(empty)
    assert relations(empty) == (sorted(TABLES + STORED_TABLES), sorted(views.names()))


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_every_table_and_column_has_a_comment(migrated: Engine) -> None:
    inspector = inspect(migrated)
    for table in TABLES:
        assert inspector.get_table_comment(table)["text"], table
        missing = [c["name"] for c in inspector.get_columns(table) if not c.get("comment")]
        assert missing == [], table


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_constraints_guard_domains(migrated: Engine) -> None:
    with migrated.connect() as connection:
        connection.execute(
            text(
                "insert into period (period_label, grain, start_on, end_on) "
                "values ('2017-Q2', 'quarter', date '2017-04-01', date '2017-06-30')"
            )
        )
        with pytest.raises(DBAPIError, match=r"(?i)check constraint"):
            connection.execute(
                text(
                    "insert into period (period_label, grain, start_on, end_on) "
                    "values ('x', 'fortnight', date '2017-04-01', date '2017-06-30')"
                )
            )


def test_offline_sql_creates_tables_and_views(capsys: pytest.CaptureFixture[str]) -> None:
    from alembic import command

    config = migrate.alembic_config()
    config.set_main_option("sqlalchemy.url", "postgresql+psycopg://localhost/mart")
    command.upgrade(config, "head", sql=True)
    sql = capsys.readouterr().out
    assert "CREATE TABLE statement" in sql
    assert "create view shipments_quarterly as" in sql


FOUNDING_AT_FACT_TABLES = Path(__file__).parent / "data" / "founding-b7e4c9a5d202.sql"
OLD_TABLES = [*DIMENSIONS_BEFORE, *FACT_TABLES_BEFORE]


def _old_rows(connection: Connection) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: sorted(map(tuple, connection.execute(text(f"select * from {table}"))), key=repr)
        for table in OLD_TABLES
    }


def _statements_of_the_dump(text_sql: str) -> list[str]:
    body = "\n".join(line for line in text_sql.splitlines() if not line.startswith("--"))
    return ["insert into " + part.rstrip().rstrip(";") for part in body.split("insert into ")[1:]]


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_the_founding_mart_upgrades_with_every_fact_and_downgrades_back(empty: Engine) -> None:
    """The founding mart as the fact-table revision held it (frozen rows of `mart build` at that
    revision) upgrades to statements with every fact kept, and downgrades to the same rows."""
    operations.upgrade(empty, "b7e4c9a5d202")
    with empty.begin() as connection:
        raw = connection.connection.driver_connection
        for statement in _statements_of_the_dump(FOUNDING_AT_FACT_TABLES.read_text("utf-8")):
            raw.execute(statement)  # type: ignore[union-attr]  (no placeholders: '%' is text)
    with empty.connect() as connection:
        before = _old_rows(connection)
    assert [len(before[t]) for t in FACT_TABLES_BEFORE] == [25, 3, 4]
    operations.upgrade(empty)
    with empty.connect() as connection:
        statements = connection.execute(
            text(
                "select m.metric_key, s.value, s.bound, s.value_precision, s.unit, s.basis "
                "from statement as s inner join metric as m using (metric_id)"
            )
        ).all()
    assert len(statements) == 32
    assert sorted(set(s for s in statements if s[0] == "rd_hiring_plan")) == [
        ("rd_hiring_plan", None, "about", None, "people", "reported")
    ]
    assert ("smartphone_shipments", Decimal("23160000"), "exact", Decimal("10000"), "units",
            "reported") in statements  # fmt: skip
    assert ("patents_international_share", Decimal("0.5"), "exact", Decimal("0.1"), "share",
            "reported") in statements  # fmt: skip
    assert ("revenue_target", Decimal("100000000000"), "exact", Decimal("100000000000"),
            "CNY", "target") in statements  # fmt: skip
    operations.downgrade(empty, "b7e4c9a5d202")
    with empty.connect() as connection:
        after = _old_rows(connection)
    # Surrogate ids of the fact rows are new (the statement table numbered them afresh).
    for table in FACT_TABLES_BEFORE:
        before[table] = sorted((row[1:] for row in before[table]), key=repr)
        after[table] = sorted((row[1:] for row in after[table]), key=repr)
    assert after == before


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_downgrade_refuses_what_the_earlier_schema_cannot_hold(founded: Engine) -> None:
    """The founding seeds now say the hiring plan is planned, a basis the fact tables lacked."""
    with pytest.raises(MartError) as error:
        operations.downgrade(founded, "b7e4c9a5d202")
    assert str(error.value).startswith(
        "cannot downgrade to 'b7e4c9a5d202': the mart holds what revision b7e4c9a5d202 cannot: "
        "2 statements, "
        "8 regions, 0 products, 0 segments or attributions and 17 metrics use what the earlier "
        "schema cannot hold"
    )
    with founded.connect() as connection:
        assert migrate.current(connection) == migrate.head()
        assert connection.execute(text("select count(*) from statement")).scalar_one() == 32


SEEDS_BEFORE_IN_TIME = Path(__file__).parent / "data" / "seeds-c3a8e5f1d303.sql"
BEFORE_IN_TIME = "c3a8e5f1d303"


def _all_rows(connection: Connection) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: sorted(
            (tuple(row) for row in connection.execute(text(f"select * from {table}"))), key=repr
        )
        for table in TABLES
    }


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_every_statement_is_carried_into_time_and_back(empty: Engine) -> None:
    """Every seed as the revision before statements in time held it (frozen rows of `mart
    build` at that revision) gains its day and fact key, expected forecasts become guidance,
    and the downgrade gives back the same rows."""
    operations.upgrade(empty, BEFORE_IN_TIME)
    with empty.begin() as connection:
        raw = connection.connection.driver_connection
        for statement in _statements_of_the_dump(SEEDS_BEFORE_IN_TIME.read_text("utf-8")):
            raw.execute(statement)  # type: ignore[union-attr]  (no placeholders: '%' is text)
    with empty.connect() as connection:
        before = _all_rows(connection)
    assert len(before["statement"]) == 72
    operations.upgrade(empty)
    with empty.connect() as connection:
        carried = connection.execute(
            text(
                "select count(*), count(distinct fact_key), "
                "count(*) filter (where s.stated_on = src.published_on), "
                "count(*) filter (where basis = 'guidance'), "
                "count(*) filter (where basis = 'expected') "
                "from statement as s inner join source as src using (source_id)"
            )
        ).one()
        guidance = connection.execute(
            text("select fact_key from statement where basis = 'guidance' order by fact_key")
        ).all()
    assert tuple(carried) == (72, 59, 72, 3, 0)
    assert [row[0] for row in guidance] == [
        "apple|gross_margin|global||||2017-Q3|percent|guidance|",
        "apple|revenue|global||||2017-Q3|USD|guidance|",
        "tesla|production_start|global|model-3|||2017-07-07|flag|guidance|",
    ]
    operations.downgrade(empty, BEFORE_IN_TIME)
    with empty.connect() as connection:
        after = _all_rows(connection)
    assert after == before


def statement_indexes(engine: Engine) -> list[tuple[str, list[str]]]:
    """The statement table's indexes that no constraint makes (PostgreSQL's catalog)."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "select i.relname, array_agg(a.attname order by k.ord) "
                "from pg_index as x join pg_class as i on i.oid = x.indexrelid "
                "join pg_class as t on t.oid = x.indrelid "
                "cross join unnest(x.indkey) with ordinality as k(attnum, ord) "
                "join pg_attribute as a on a.attrelid = t.oid and a.attnum = k.attnum "
                "where t.relname = 'statement' and not exists "
                "(select 1 from pg_constraint as c where c.conindid = x.indexrelid) "
                "group by i.relname order by 1"
            )
        )
        return [(name, list(columns)) for name, columns in rows]


@pytest.mark.postgres
def test_postgresql_indexes_statement_by_company_up_and_down(postgres_url: str) -> None:
    # One company's figures read through the index, not a scan of every statement.
    engine = make_engine(postgres_url)
    try:
        operations.upgrade(engine, "d5f2a7b9c404")
        assert statement_indexes(engine) == []
        operations.upgrade(engine)
        assert statement_indexes(engine) == [("ix_statement_company_id", ["company_id"])]
        assert operations.downgrade(engine, "e7b7fa523ede") == "e7b7fa523ede"
        assert statement_indexes(engine) == [("ix_statement_company_id", ["company_id"])]
        assert operations.downgrade(engine, "-1") == "d5f2a7b9c404"
        assert statement_indexes(engine) == []
    finally:
        engine.dispose()


def test_duckdb_gets_no_statement_index(migrated: Engine) -> None:
    with migrated.connect() as connection:
        indexes = connection.exec_driver_sql(
            "select index_name from duckdb_indexes() where table_name = 'statement'"
        ).all()
    assert indexes == []
