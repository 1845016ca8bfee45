"""Fixtures layered empty -> migrated -> seeded, on DuckDB and (when it runs) PostgreSQL."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import yaml
from sqlalchemy import Engine, text

from mart import operations
from mart.config import DEFAULT_SEEDS_DIR
from mart.db import make_engine

ADMIN_DSN = os.environ.get("MART_TEST_POSTGRES_DSN", "dbname=postgres")
BACKENDS = ["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _postgres_unavailable() -> str | None:
    try:
        with psycopg.connect(ADMIN_DSN, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]


@pytest.fixture(scope="session")
def postgres_admin() -> str:
    """A DSN of a reachable PostgreSQL server, or a skip that says how to get one."""
    problem = _postgres_unavailable()
    if problem:
        message = (
            f"PostgreSQL is not reachable at {ADMIN_DSN!r} ({problem}); start it with "
            "`pg_ctlcluster 15 main start` or set MART_TEST_POSTGRES_DSN"
        )
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must really run the PostgreSQL tests
        pytest.skip(message)
    return ADMIN_DSN


@contextmanager
def fresh_postgres_database(admin_dsn: str) -> Iterator[str]:
    """A new, empty PostgreSQL database (its SQLAlchemy URL), dropped afterwards."""
    name = f"mart_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'create database "{name}"')
    info = psycopg.conninfo.conninfo_to_dict(admin_dsn)
    host = info.get("host", "")
    user = f"{info['user']}@" if "user" in info else ""
    try:
        yield f"postgresql+psycopg://{user}{host}/{name}"
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(f'drop database if exists "{name}" with (force)')


@pytest.fixture
def postgres_url(postgres_admin: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped afterwards."""
    with fresh_postgres_database(postgres_admin) as url:
        yield url


@pytest.fixture
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty database on the backend the test is parametrised with (default DuckDB)."""
    backend = getattr(request, "param", "duckdb")
    if backend == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return f"duckdb:///{tmp_path / 'mart.duckdb'}"


@pytest.fixture
def empty(empty_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_url)
    yield engine
    engine.dispose()


@pytest.fixture
def migrated(empty: Engine) -> Engine:
    operations.upgrade(empty)
    return empty


@pytest.fixture(scope="module", params=BACKENDS)
def corpus(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """Every seed file of the repository, built once per test module and backend."""
    if request.param == "postgresql":
        with fresh_postgres_database(request.getfixturevalue("postgres_admin")) as url:
            engine = make_engine(url)
            operations.build(engine, [DEFAULT_SEEDS_DIR])
            yield engine
            engine.dispose()
    else:
        engine = make_engine(f"duckdb:///{tmp_path_factory.mktemp('corpus') / 'mart.duckdb'}")
        operations.build(engine, [DEFAULT_SEEDS_DIR])
        yield engine
        engine.dispose()


# The founding article and the Global Times summary: the mart's first two sources, whose
# figures the README quotes and the founding views' tests assert.
FOUNDING_SEEDS = [
    DEFAULT_SEEDS_DIR / "xiaomi-q2-2017-shipments.yaml",
    DEFAULT_SEEDS_DIR / "globaltimes-2017-07-07-summary.yaml",
]


def _seed_files() -> list[Path]:
    return sorted(p for p in DEFAULT_SEEDS_DIR.glob("*.yaml") if p.name != "catalogue.yaml")


# What the repository's seeds hold, counted from the files (not from a mart): every fact of
# every fact file is one statement; a company is one key, however many files declare it.
SEEDED_SOURCES = len(_seed_files())
SEEDED_STATEMENTS = sum(
    len(yaml.safe_load(p.read_text(encoding="utf-8"))["facts"]) for p in _seed_files()
)
SEEDED_COMPANIES = len(
    {
        company["key"]
        for p in _seed_files()
        for company in yaml.safe_load(p.read_text(encoding="utf-8")).get("companies") or []
    }
)


@pytest.fixture
def seeded(migrated: Engine) -> Engine:
    """Every seed file of the repository: the founding sources and the corpus."""
    operations.seed(migrated, [DEFAULT_SEEDS_DIR])
    return migrated


@pytest.fixture
def founded(migrated: Engine) -> Engine:
    """The founding sources only."""
    operations.seed(migrated, FOUNDING_SEEDS)
    return migrated


# The mart's tables, as the migrations at head create them.
MART_TABLES = [
    "attribution",
    "company",
    "metric",
    "period",
    "product",
    "product_kind",
    "region",
    "region_kind",
    "segment",
    "source",
    "statement",
    "unit",
]
# The tables the stored views' rows are kept in (mart/views: `-- stored: per company`), created
# with the views at head.
STORED_TABLES = [
    "stored_fact_agreement",
    "stored_level_comparisons",
    "stored_metric_values",
    "stored_ratios",
    "stored_revisions",
    "stored_stated_comparisons",
]


def snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every mart table, for asserting that a failed load changed nothing."""
    tables = MART_TABLES
    with engine.connect() as connection:
        return {
            table: sorted(
                (tuple(row) for row in connection.execute(text(f"select * from {table}"))), key=repr
            )
            for table in tables
        }
