"""Seed files -> checked facts -> tables, all or nothing, by one path for every file format.

The catalogue is read and written first (units, kinds, regions, metrics); then every fact file,
YAML or bulk, is staged and checked set-based in DuckDB (mart.load) before the first fact is
written. Writing happens in the caller's transaction, so a database error rolls the whole run
back too: a failed load leaves the database exactly as it was.
"""

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import AddConstraint, DropConstraint

from mart import refresh
from mart.db import Base, reason
from mart.freshness import input_digest
from mart.load import phases, write
from mart.load.dimensions import KnownDomains
from mart.load.stage import INTEGER_COLUMNS, Register, Run, Stage, _insert_rows, drop_staging, lit
from mart.models import Metric, ProductKind, Region, RegionKind, Statement, Unit
from mart.publish import writes_a_copy
from mart.seedfiles import (
    Catalogue,
    Located,
    SeedError,
    fact_files_in,
    is_bulk,
    read_catalogue,
    read_fact_file,
)


@dataclass(frozen=True)
class BulkReport:
    files: int
    facts: int
    sources_loaded: int
    sources_unchanged: int


@dataclass
class LoadReport:
    loaded: dict[str, int] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    bulk: BulkReport | None = None


def _upsert(connection: Connection, model: Any, rows: list[dict[str, Any]], key: str) -> None:
    """Insert the rows, or update those whose key exists and differ (a catalogue is mostly
    unchanged from one load to the next: compiling its upsert was a fifth of a one-article
    load, measured)."""
    if not rows:
        return
    columns = list(rows[0])
    stored = {
        row[columns.index(key)]: tuple(row)
        for row in connection.execute(select(*(getattr(model, c) for c in columns)))
    }
    rows = [r for r in rows if stored.get(r[key]) != tuple(r[c] for c in columns)]
    if not rows:
        return
    # PostgreSQL's ON CONFLICT; duckdb-engine compiles it too, and DuckDB runs it as is.
    statement = pg_insert(model).values(rows)
    updates = {c: statement.excluded[c] for c in rows[0] if c != key}
    connection.execute(statement.on_conflict_do_update(index_elements=[key], set_=updates))


def _known_domains(connection: Connection) -> KnownDomains:
    units = [
        tuple(row)
        for row in connection.execute(
            select(Unit.unit, Unit.is_currency, Unit.minimum, Unit.maximum, Unit.is_whole)
        )
    ]
    kinds = list(connection.execute(select(ProductKind.product_kind)).scalars())
    return KnownDomains(units, kinds)


def write_catalogue(connection: Connection, catalogue: Located[Catalogue]) -> None:
    """Upsert the catalogue's units, kinds, regions and metrics; check what regions name."""
    spec = catalogue.spec
    region_kinds = {k.key for k in spec.region_kinds} | set(
        connection.execute(select(RegionKind.region_kind)).scalars()
    )
    units = {u.key for u in spec.units} | set(connection.execute(select(Unit.unit)).scalars())
    for index, region in enumerate(spec.regions):
        if region.kind not in region_kinds:
            raise catalogue.error(
                ("regions", index, "kind"),
                f"unknown region kind {region.kind!r}: add it under region_kinds",
            )
    for index, metric in enumerate(spec.metrics):
        if metric.unit != "currency" and metric.unit not in units:
            raise catalogue.error(
                ("metrics", index, "unit"),
                f"unknown unit {metric.unit!r}: add it under units (or write currency)",
            )
    _upsert(
        connection,
        Unit,
        [
            {
                "unit": u.key,
                "unit_name": u.name,
                "is_currency": False,
                "minimum": u.minimum,
                "maximum": u.maximum,
                "is_whole": u.whole,
            }
            for u in spec.units
        ],
        "unit",
    )
    _upsert(
        connection,
        RegionKind,
        [{"region_kind": k.key, "description": k.description} for k in spec.region_kinds],
        "region_kind",
    )
    _upsert(
        connection,
        ProductKind,
        [{"product_kind": k.key, "description": k.description} for k in spec.product_kinds],
        "product_kind",
    )
    _upsert(
        connection,
        Region,
        [{"region_key": r.key, "region_name": r.name, "region_kind": r.kind} for r in spec.regions],
        "region_key",
    )
    _upsert(
        connection,
        Metric,
        [
            {
                "metric_key": m.key,
                "metric_name": m.name,
                "unit": m.unit,
                "subject": m.subject,
                "ranked_by": m.ranked_by,
                "growth_of": m.growth_of,
                "compared_with": m.compared_with if m.growth_of else None,
                "as_of": m.as_of,
                "change_of": m.change_of,
                "change_compared_with": m.compared_with if m.change_of else None,
                "ratio_numerator": m.ratio_of[0] if m.ratio_of else None,
                "ratio_denominator": m.ratio_of[1] if m.ratio_of else None,
                "share_of": m.share_of,
                "share_within": m.share_whole,
                "target_of": m.target_of,
                "record_of": m.record_of,
                "description": m.description,
            }
            for m in spec.metrics
        ],
        "metric_key",
    )


def load(
    connection: Connection,
    paths: list[Path],
    catalogue_path: Path,
    progress: Callable[[str], None] | None = None,
    allow_outside_texts: bool = False,
) -> LoadReport:
    """Check every fact file under paths, then write them on the caller's transaction."""
    files = fact_files_in(paths)
    catalogue = read_catalogue(catalogue_path)
    yaml_files = []
    for path in files:
        if not is_bulk(path):
            yaml_files.append(read_fact_file(path, allow_outside_texts))
            if progress:
                progress(path.name)
    bulk_files = [f for f in files if is_bulk(f)]
    refresh.snapshot(connection)
    write_catalogue(connection, catalogue)
    known = _known_domains(connection)
    if connection.dialect.name == "duckdb":
        stage = _target_stage(connection)
        with _bounded_memory(stage.run):
            return _load(
                connection,
                stage,
                bulk_files,
                yaml_files,
                catalogue,
                known,
                progress,
                _commit_step(connection) if writes_a_copy(connection.engine) else None,
            )
    import duckdb  # PostgreSQL targets: check in an in-memory DuckDB, then COPY

    with duckdb.connect() as duck, tempfile.TemporaryDirectory(prefix="mart-spill-") as spill:
        stage = _duck_stage(duck)
        stage.run(f"set temp_directory = {lit(spill)}")
        with _bounded_memory(stage.run):
            return _load(connection, stage, bulk_files, yaml_files, catalogue, known, progress)


# DuckDB's memory during a load; beyond it DuckDB spills to disk. Unbounded, it may take 80% of
# RAM (a 10M-fact build: 6.2 GB peak RSS, 129 s, measured). Bounded to 1.5GB, the same build
# peaked at 1.71 GB and took 172 s (spilling; bench.memory): so the default is DuckDB's own.
# The bound holds because a load that writes a copy commits in steps (_commit_step): in one
# transaction, DuckDB 2.0.1 ran out of memory computing the stored views, or failed with
# "Invalid unicode (byte sequence mismatch) detected in segment statistics update".
# MART_BULK_MEMORY_LIMIT sets a bound (e.g. 1.5GB; '' for DuckDB's default).
BULK_MEMORY_LIMIT = os.environ.get("MART_BULK_MEMORY_LIMIT", "")


@contextmanager
def _bounded_memory(run: Run) -> Iterator[None]:
    if not BULK_MEMORY_LIMIT:
        yield
        return
    previous = run("select current_setting('memory_limit')")[0][0]
    run(f"set memory_limit = {lit(BULK_MEMORY_LIMIT)}")
    yield  # on failure the transaction is aborted; the setting ends with the connection
    run(f"set memory_limit = {lit(previous)}")


def _commit_step(connection: Connection) -> Callable[[], None]:
    """Commit what the load wrote so far and go on in a new transaction, on a copy of the mart
    (mart.publish: a failure deletes the copy, the mart stays as it was). DuckDB can then write
    the committed rows out and free their memory: a 10M-fact build's stored views, computed
    in the statements' own transaction, held 6 GB whatever MART_BULK_MEMORY_LIMIT said."""

    def commit() -> None:
        connection.exec_driver_sql("commit")
        connection.exec_driver_sql("begin")

    return commit


def _target_stage(connection: Connection) -> Stage:
    def run(sql: str) -> list[tuple[Any, ...]]:
        result = connection.exec_driver_sql(sql)
        return [tuple(row) for row in result] if result.returns_rows else []

    return Stage(run, _registrar(connection.connection.driver_connection))


def _duck_stage(duck: Any) -> Stage:
    def run(sql: str) -> list[tuple[Any, ...]]:
        cursor = duck.execute(sql)
        return [tuple(row) for row in cursor.fetchall()] if cursor.description else []

    return Stage(run, _registrar(duck))


def _registrar(duck: Any) -> Register:
    """Staged tables from Python lists, passed to DuckDB as list parameters: registering an
    Arrow table would import pandas (0.3 s) inside DuckDB, for a few rows."""

    def register(name: str, columns: dict[str, list[Any]]) -> None:
        selects = ", ".join(
            f"unnest(${n}::{'bigint' if c in INTEGER_COLUMNS else 'varchar'}[]) as {c}"
            for n, c in enumerate(columns, 1)
        )
        values = list(columns.values())
        duck.execute(f"create or replace temp table {name} as select {selects}", values)

    return register


# From this many rows on, PostgreSQL checks the statement table's foreign keys once, set-based,
# after the inserts instead of one trigger per row and key: 700k rows took 22 s with triggers
# (measured).
SET_BASED_KEY_CHECK_ROWS = 100_000


# Up to this many facts, a load's known_until upkeep copies out the statements of the facts it
# touches instead of filtering the statement table in each part (mart.vintages).
FEW_FACTS = 100_000


@contextmanager
def _foreign_keys_checked_once(connection: Connection, rows: int) -> Iterator[None]:
    """Drop the statement table's foreign keys for a large insert and add them back (which
    validates every row in one query), all inside the caller's transaction."""
    if connection.dialect.name != "postgresql" or rows < SET_BASED_KEY_CHECK_ROWS:
        yield
        return
    keys = list(Base.metadata.tables[Statement.__tablename__].foreign_key_constraints)
    for constraint in keys:
        connection.execute(DropConstraint(constraint))
    yield
    for constraint in keys:
        connection.execute(AddConstraint(constraint))


def _input_digests(stage: Stage, yaml_files: list[Any], catalogue_sha256: str) -> None:
    """bulk_input_digest: each YAML source's facts_sha256, the digest of its inputs."""
    stage.run(
        "create or replace temp table bulk_input_digest (source_key varchar, facts_sha256 varchar)"
    )
    rows = [
        (y.path.stem, input_digest(y.header.sha256, y.text.sha256, catalogue_sha256))
        for y in yaml_files
    ]
    _insert_rows(stage, "bulk_input_digest", rows)


def _load(
    connection: Connection,
    stage: Stage,
    bulk_files: list[Path],
    yaml_files: list[Any],
    catalogue: Located[Catalogue],
    known: KnownDomains,
    progress: Callable[[str], None] | None,
    step: Callable[[], None] | None = None,
) -> LoadReport:
    """Stage, check and write; `step`, where given, commits between the write and each stored
    view's rows (_commit_step)."""
    phases.stage(stage, bulk_files, yaml_files, catalogue.spec, known, FEW_FACTS)
    _input_digests(stage, yaml_files, catalogue.sha256)
    if progress:
        for file in bulk_files:
            progress(file.name)
    report = LoadReport()
    with tempfile.TemporaryDirectory(prefix="mart-load-") as scratch:
        if connection.dialect.name == "duckdb":
            stage.run(write.DIGEST_SQL)
            stage.run(write.WRITTEN_FACTS)
        else:
            write.copy_to_postgres(stage, connection, Path(scratch))
        counts = stage.run(
            "select s.source_key, c.source_key is not null, count(f.source_key) "
            "from bulk_source as s left join bulk_changed as c using (source_key) "
            "left join bulk_fact_rows as f on f.source_key = s.source_key "
            "group by s.source_key, c.source_key order by s.source_key"
        )
        facts = sum(n for _key, changed, n in counts if changed)
        every = bool(connection.exec_driver_sql(write.REWRITES_ALL_SQL).scalar())
        try:
            with _foreign_keys_checked_once(connection, facts):
                for statement in write.write_sql(few=facts < FEW_FACTS, every=every):
                    connection.exec_driver_sql(statement)
        except DBAPIError as error:
            first = yaml_files[0].path if yaml_files else bulk_files[0]
            raise SeedError(first, None, "", f"the database refused it: {reason(error)}") from None
    if connection.dialect.name == "postgresql":
        # Fresh statistics, or PostgreSQL plans the views' joins for empty tables (measured:
        # shipments_quarterly took 6 s instead of 0.1 s over 100k facts right after a load).
        for table in ("source", "company", "period", "product", "statement"):
            connection.exec_driver_sql(f"analyze {table}")
    if step:
        step()
    refresh.after_load(connection, every, step)
    if not every:
        connection.exec_driver_sql("drop table bulk_touched")
    if connection.dialect.name == "duckdb":
        drop_staging(stage)
    yaml_keys = {y.path.stem for y in yaml_files}
    for key, changed, count in counts:
        if key in yaml_keys:
            if changed:
                report.loaded[key] = count
            else:
                report.unchanged.append(key)
    if bulk_files:
        bulk = [(changed, n) for key, changed, n in counts if key not in yaml_keys]
        report.bulk = BulkReport(
            len(bulk_files),
            sum(n for changed, n in bulk if changed),
            sum(1 for changed, _n in bulk if changed),
            sum(1 for changed, _n in bulk if not changed),
        )
    return report
