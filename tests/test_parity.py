"""Every public view returns the same rows on DuckDB and PostgreSQL for the same seeds."""

import pytest
from sqlalchemy import Engine

from mart import operations, views
from mart.config import DEFAULT_SEEDS_DIR
from mart.db import make_engine
from tests.test_views import rows


@pytest.mark.postgres
def test_every_view_returns_the_same_rows_on_both_backends(
    seeded: Engine, postgres_url: str
) -> None:
    postgres = make_engine(postgres_url)
    try:
        operations.build(postgres, [DEFAULT_SEEDS_DIR])
        for view in views.names():
            sql = f"select * from {view}"
            on_duckdb = sorted(rows(seeded, sql), key=repr)
            on_postgres = sorted(rows(postgres, sql), key=repr)
            assert on_duckdb == on_postgres, view
            assert len(on_duckdb) > 0, view
    finally:
        postgres.dispose()
