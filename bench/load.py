"""Load throughput (facts/s): raw DuckDB, mart build, pandas to_sql and dbt seed, side by side.

python -m bench.load [--sizes 100000,1000000,10000000] [--peer-max 1000000] [--keep-data]
"""

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
from rich.table import Table

from bench.common import (
    BIN,
    DATA,
    at_least,
    build_mart,
    corpus,
    error_line,
    mart_path,
    options,
    remove_db,
    run_command,
    show,
    timed,
)

Loader = Callable[[int], tuple[float, int]]  # size -> (seconds, facts loaded)

# dbt infers types from the CSV; say them so value stays exact and quote_start an integer.
SEED_TYPES = {
    "source_key": "varchar",
    "metric": "varchar",
    "company": "varchar",
    "period": "varchar",
    "region": "varchar",
    "product": "varchar",
    "store_brand": "varchar",
    "value": "decimal(24,6)",
    "unit": "varchar",
    "basis": "varchar",
    "wording": "varchar",
    "quote": "varchar",
    "quote_start": "integer",
}


def count_rows(path: Path, table: str) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute(f"select count(*) from {table}").fetchone()
    assert row is not None
    return int(row[0])


def raw_duckdb(size: int) -> tuple[float, int]:
    """The limit: a bare table, INSERT ... SELECT from the Parquet file, no checks."""
    path, facts = DATA / f"raw-{size}.duckdb", corpus(size) / "facts.parquet"
    remove_db(path)
    with duckdb.connect(str(path)) as con:
        con.execute(f"create table f as select * from read_parquet('{facts}') limit 0")
        seconds = timed(lambda: con.execute(f"insert into f select * from read_parquet('{facts}')"))
    loaded = count_rows(path, "f")
    remove_db(path)
    return seconds, loaded


def mart_build(size: int, keep: bool) -> tuple[float, int]:
    """operations.build: migrations, dimensions, checks and facts, one transaction."""
    path = mart_path(size)
    try:
        return build_mart(size, path)
    finally:
        if not keep:
            remove_db(path)


def pandas_to_sql(size: int) -> tuple[float, int]:
    """What a typical user writes: df.to_sql(name, engine, index=False), pandas' defaults
    (method=None: one executemany through SQLAlchemy + duckdb-engine; chunksize=None)."""
    import pandas as pd
    from sqlalchemy import create_engine

    path = DATA / f"to_sql-{size}.duckdb"
    remove_db(path)
    frame = pd.read_parquet(corpus(size) / "facts.parquet")  # not timed: the rows in memory
    engine = create_engine(f"duckdb:///{path}")
    seconds = timed(lambda: frame.to_sql("f", engine, index=False))
    engine.dispose()
    loaded = count_rows(path, "f")
    remove_db(path)
    return seconds, loaded


def dbt_seed(size: int) -> tuple[float, int]:
    """`dbt seed` of the same rows as CSV into a fresh DuckDB file; the whole command timed."""
    with tempfile.TemporaryDirectory(dir=DATA, prefix="dbt-") as tmp:
        project = Path(tmp)
        (project / "seeds").mkdir()
        shutil.copy(corpus(size, "csv") / "facts.csv", project / "seeds" / "facts.csv")
        types = ", ".join(f'{name}: "{kind}"' for name, kind in SEED_TYPES.items())
        (project / "dbt_project.yml").write_text(
            "name: bench_seed\nversion: '1.0'\nconfig-version: 2\nprofile: bench\n"
            f"seeds:\n  bench_seed:\n    facts:\n      +column_types: {{{types}}}\n"
        )
        (project / "profiles.yml").write_text(
            "bench:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
            f"      path: {project / 'dbt.duckdb'}\n      threads: 1\n"
        )
        command: list[str | Path] = [
            BIN / "dbt",
            "seed",
            "--project-dir",
            project,
            "--profiles-dir",
            project,
        ]
        seconds, done = run_command(command, cwd=project)
        if done.returncode != 0:
            failed = [line for line in done.stdout.splitlines() if "rror" in line]
            raise RuntimeError(failed[-1] if failed else f"dbt seed exited {done.returncode}")
        return seconds, count_rows(project / "dbt.duckdb", "facts")


def main() -> None:
    args = options(__doc__.splitlines()[0], "100000,1000000,10000000", peer_max=True)
    table = Table(title="Load throughput (one run each, fresh database file)")
    for column in ("facts", "path", "seconds", "loaded", "facts/s", "note"):
        table.add_column(column, justify="left" if column in ("path", "note") else "right")
    loaders: dict[str, Loader] = {
        "raw DuckDB insert": raw_duckdb,
        "mart build": lambda size: mart_build(size, args.keep_data),
        "pandas to_sql": pandas_to_sql,
        "dbt seed": dbt_seed,
    }
    goals: list[str] = []
    for size in args.sizes:
        rates: dict[str, float | str] = {}
        for name, loader in loaders.items():
            if name in PEERS and size > args.peer_max:
                rates[name] = "skipped"
                table.add_row(f"{size:,}", name, "", "", "", "skipped (> --peer-max)")
                continue
            try:
                seconds, loaded = loader(size)
            except Exception as error:
                rates[name] = "failed"
                table.add_row(f"{size:,}", name, "", "", "", error_line(error))
                continue
            rates[name] = loaded / seconds
            table.add_row(f"{size:,}", name, f"{seconds:.2f}", f"{loaded:,}", f"{rates[name]:,.0f}")
        table.add_section()
        goals += [ratio(size, rates, peer, goal) for peer, goal in GOALS.items()]
    show(table, goals)


PEERS = ("pandas to_sql", "dbt seed")  # slow: only up to --peer-max
GOALS = {"raw DuckDB insert": 0.5, "pandas to_sql": 20.0, "dbt seed": 20.0}  # mart / peer


def ratio(size: int, rates: dict[str, float | str], peer: str, goal: float) -> str:
    label = f"{size:,} facts, mart / {peer} >= {goal:g}"
    mart, other = rates["mart build"], rates[peer]
    if isinstance(mart, str) or isinstance(other, str):
        why = f"mart build {mart}" if isinstance(mart, str) else f"{peer} {other}"
        return f"{label}: n/a ({why})"
    return at_least(label, mart / other, goal)


if __name__ == "__main__":
    main()
