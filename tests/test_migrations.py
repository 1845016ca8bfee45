"""The migration chain: linear, reversible, matching the models, views consistent at every step.

pytest-alembic's built-in tests run on DuckDB and PostgreSQL; the model-vs-DDL drift test runs
on PostgreSQL only, because duckdb-engine reflects neither unique constraints nor TEXT types
(Alembic would report differences that are not there).
"""

from collections.abc import Iterator

import pytest
from alembic.config import Config
from pytest_alembic.tests import (
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from mart import migrate, operations, views
from mart.db import make_engine
from tests.conftest import BACKENDS

__all__ = [
    "test_model_definitions_match_ddl",
    "test_single_head_revision",
    "test_up_down_consistency",
    "test_upgrade",
]

TABLES = [
    "company",
    "metric",
    "metric_fact",
    "patent_fact",
    "period",
    "product",
    "region",
    "source",
    "store_fact",
]


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
    assert relations(empty) == (TABLES, sorted(views.names()))
    operations.downgrade(empty, "-1")
    assert relations(empty) == (["company", "metric", "period", "product", "region", "source"], [])
    operations.downgrade(empty, "base")
    assert relations(empty) == ([], [])
    operations.upgrade(empty)
    assert relations(empty) == (TABLES, sorted(views.names()))


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
    assert "CREATE TABLE metric_fact" in sql
    assert "create view shipments_quarterly as" in sql
