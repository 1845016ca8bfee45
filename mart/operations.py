"""What the commands do, as library functions: build, seed, migrate, query, check.

Each opens its own connection and transaction: a command that fails changes nothing. Commands
that write to a DuckDB file write to a copy and swap it in when done (mart.publish).
"""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mart.config import CATALOGUE_NAME, DEFAULT_SEEDS_DIR, duckdb_file
from mart.errors import MartError, reason

# SQLAlchemy, Alembic, pydantic and the loaders are imported where used: `mart query` on a
# DuckDB file needs none of them and starts in a third of the time without them.
if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from mart.checks import CheckResult
    from mart.seeds import LoadReport

# The derived figures `mart build` prints: view -> (columns shown, order).
FIGURE_VIEWS = {
    "shipments_quarterly": (
        "company, period, units, basis, qoq_growth_pct, attributed_to, source_count",
        "company, period, attributed_to",
    ),
    "revenue_growth": (
        "company, region, period, yoy_growth_pct, growth_multiple, attributed_to, source_count",
        "company, region, period, yoy_growth_pct",
    ),
    "patent_summary": ("*", "company, year"),
    "store_footprint": (
        "company, region, store_brand, as_of, open_stores, planned_openings, "
        "stores_after_plan, source_count",
        "company, region, store_brand, as_of",
    ),
    "revenue_targets": ("*", "company, fiscal_year, currency"),
    "market_positions": (
        "company, region, subject, subject_kind, rank, measure, period, attributed_to, "
        "source_count",
        "company, region, attributed_to, rank, subject",
    ),
    "revisions": (
        "company, metric, period, previous_value, previous_stated_on, value, stated_on, "
        "direction, change_pct",
        "company, metric, period, stated_on",
    ),
    "expectations": (
        "company, metric, period, actual_value, expected_basis, expected_value, "
        "expected_value_high, surprise_pct, outcome",
        "company, metric, period, expected_basis",
    ),
    "changes": (
        "company, metric, region, period, compared_period, stated_change, computed_change, "
        "implied_compared_value, is_contradicted",
        "company, metric, region, period",
    ),
    "ratios": (
        "company, metric, segment, period, stated_value, computed_value, is_contradicted",
        "company, metric, segment, period",
    ),
    "market_shares": (
        "company, metric, region, period, attributed_to, stated_share_pct, computed_share_pct, "
        "is_contradicted",
        "metric, region, period, company",
    ),
    "part_sums": (
        "company, metric, region, dimension, period, part_count, parts_sum, whole_value, "
        "parts_exceed_whole, parts_miss_whole",
        "company, metric, region, dimension, period",
    ),
}

Progress = Callable[[str], None]


def catalogue_for(paths: list[Path]) -> Path:
    """The catalogue beside the seeds: in the first directory given that has one, else ours."""
    for path in paths:
        if path.is_dir() and (path / CATALOGUE_NAME).is_file():
            return path / CATALOGUE_NAME
    return DEFAULT_SEEDS_DIR / CATALOGUE_NAME


def build(
    engine: "Engine", seed_dirs: list[Path], progress: Progress | None = None
) -> "LoadReport":
    """Migrate to head and load every seed file, in one transaction."""
    from mart import migrate, seeds
    from mart.db import connect
    from mart.publish import publishing

    with publishing(engine) as target, connect(target) as connection, connection.begin():
        migrate.upgrade(connection)
        return seeds.load(connection, seed_dirs, catalogue_for(seed_dirs), progress)


def seed(
    engine: "Engine",
    paths: list[Path],
    progress: Progress | None = None,
    allow_outside_texts: bool = False,
) -> "LoadReport":
    """Load the given fact files (or directories of them) into a migrated mart."""
    from mart import seeds
    from mart.db import connect
    from mart.publish import publishing

    # A small change: written in place where no other program has the file open (mart.publish).
    with (
        publishing(engine, in_place=True) as target,
        connect(target) as connection,
        connection.begin(),
    ):
        if (found := _revision(connection)) != _head():
            raise MartError(
                f"the database is at revision {found or 'none'}, not at head: "
                "run `mart migrate` (or `mart build`) first"
            )
        return seeds.load(connection, paths, catalogue_for(paths), progress, allow_outside_texts)


def _head() -> str | None:
    """The migrations' head: read from their files where the history is one line (Alembic's
    import costs a fifth of a second of `mart seed`), else Alembic's answer."""
    from mart import freshness

    if head := freshness.migrations_head():
        return head
    from mart import migrate

    return migrate.head()


def _revision(connection: "Connection") -> str | None:
    """The revision the database is at (as Alembic's MigrationContext reads it), or None when
    it has no version table (which aborts the caller's transaction: it is to fail anyway); a
    database holding more than one revision gets Alembic's answer."""
    from sqlalchemy.exc import DBAPIError

    try:
        found = connection.exec_driver_sql("select version_num from alembic_version").all()
    except DBAPIError:
        return None
    if len(found) > 1:
        from mart import migrate

        return migrate.current(connection)
    return found[0][0] if found else None


def seed_unchanged(url: str, paths: list[Path], allow_outside_texts: bool = False) -> list[str]:
    """The source keys of the given fact files when every one is stored as it is now in the
    DuckDB file at `url`, so that seeding them would write nothing; else []. Reads the file
    read-only and imports neither SQLAlchemy nor the loader (mart.freshness)."""
    from mart import freshness

    path = duckdb_file(url)
    if path is None or not all(p.suffix in (".yaml", ".yml") and p.is_file() for p in paths):
        return []
    if not freshness.unchanged(Path(path), paths, catalogue_for(paths), allow_outside_texts):
        return []
    return [p.stem for p in paths]


def upgrade(engine: "Engine", revision: str = "head") -> str | None:
    return _move_schema(engine, "upgrade", revision)


def downgrade(engine: "Engine", revision: str) -> str | None:
    return _move_schema(engine, "downgrade", revision)


def _move_schema(engine: "Engine", direction: str, revision: str) -> str | None:
    """Upgrade or downgrade in one transaction; return the revision the database is at."""
    from alembic.util import CommandError
    from sqlalchemy.exc import DBAPIError

    from mart import migrate
    from mart.db import connect
    from mart.publish import publishing

    with publishing(engine) as target, connect(target) as connection, connection.begin():
        try:
            getattr(migrate, direction)(connection, revision)
        except DBAPIError as error:
            raise MartError(f"{direction} failed, nothing changed: {reason(error)}") from None
        except CommandError as error:
            raise MartError(f"cannot {direction} to {revision!r}: {error}") from None
        return migrate.current(connection)


def query(
    engine: "Engine", sql: str, limit: int | None = None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one read-only query; return its column names and rows."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from mart.db import connect

    with connect(engine, read_only=True) as connection:
        try:
            result = connection.execute(text(sql))
            columns = list(result.keys())
            rows = result.fetchmany(limit) if limit else result.fetchall()
        except DBAPIError as error:
            raise MartError(f"query failed: {reason(error)}") from None
        return columns, [tuple(row) for row in rows]


def query_url(url: str, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """`query` on the database a URL names; a DuckDB file is read by DuckDB alone
    (mart.duckfile)."""
    if path := duckdb_file(url):
        from mart import duckfile

        return duckfile.query(path, sql)
    from mart.db import make_engine

    engine = make_engine(url, read_only=True)
    try:
        return query(engine, sql)
    finally:
        engine.dispose()


def figures(
    engine: "Engine", limit: int = 20
) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """The derived figures: the first rows of each figure view."""
    return {
        view: query(engine, f"select {columns} from {view} order by {order}", limit)
        for view, (columns, order) in FIGURE_VIEWS.items()
    }


def check(engine: "Engine") -> list["CheckResult"]:
    from sqlalchemy.exc import DBAPIError

    from mart import checks
    from mart.db import connect

    with connect(engine, read_only=True) as connection:
        try:
            return checks.run(connection)
        except DBAPIError as error:
            raise MartError(
                f"cannot run the data tests: {reason(error)} (is the mart built?)"
            ) from None
