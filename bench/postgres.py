"""Load throughput into PostgreSQL: raw COPY, mart build and pandas to_sql, side by side.

python -m bench.postgres [--sizes 100000,1000000] [--keep-data]

Local server reached through the unix socket as the current role; every load gets a fresh
database (created and dropped with psycopg in autocommit). --keep-data keeps the databases.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
from rich.table import Table
from sqlalchemy import create_engine, text

from bench.common import FACT_COUNT_SQL, at_least, corpus, error_line, options, show, timed

Loader = Callable[[int, str], tuple[float, int]]  # (size, database) -> (seconds, facts loaded)
FACT_COLUMNS = """
    source_key text, metric text, company text, period text, region text, product text,
    store_brand text, value numeric(24, 6), unit text, basis text, wording text, quote text,
    quote_start integer
"""


@contextmanager
def fresh_database(name: str, keep: bool) -> Iterator[str]:
    with psycopg.connect("dbname=postgres", autocommit=True) as admin:
        admin.execute(f"drop database if exists {name}")
        admin.execute(f"create database {name}")
    try:
        yield name
    finally:
        if not keep:
            with psycopg.connect("dbname=postgres", autocommit=True) as admin:
                admin.execute(f"drop database if exists {name} with (force)")


def count(database: str, sql: str) -> int:
    with psycopg.connect(f"dbname={database}") as con:
        row = con.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def raw_copy(size: int, database: str) -> tuple[float, int]:
    """The limit: COPY of the CSV file into a bare table, no checks."""
    facts = corpus(size, "csv") / "facts.csv"
    with psycopg.connect(f"dbname={database}") as con:
        con.execute(f"create table f ({FACT_COLUMNS})")
        con.commit()

        def copy() -> None:
            with (
                con.cursor().copy("copy f from stdin (format csv, header)") as pipe,
                facts.open("rb") as source,
            ):
                while chunk := source.read(1 << 20):
                    pipe.write(chunk)
            con.commit()

        seconds = timed(copy)
    return seconds, count(database, "select count(*) from f")


def mart_build(size: int, database: str) -> tuple[float, int]:
    from mart import operations
    from mart.db import make_engine

    seeds = corpus(size)
    engine = make_engine(f"postgresql+psycopg:///{database}")
    seconds = timed(lambda: operations.build(engine, [seeds]))
    with engine.connect() as connection:
        facts = int(connection.execute(text(FACT_COUNT_SQL)).scalar_one())
    engine.dispose()
    if facts == 0:
        raise RuntimeError("mart build loaded 0 facts (no bulk loader for .parquet yet?)")
    return seconds, facts


def pandas_to_sql(size: int, database: str) -> tuple[float, int]:
    """df.to_sql(name, engine, index=False) with pandas' defaults (method=None, one batch)."""
    import pandas as pd

    frame = pd.read_parquet(corpus(size) / "facts.parquet")  # not timed: the rows in memory
    engine = create_engine(f"postgresql+psycopg:///{database}")
    seconds = timed(lambda: frame.to_sql("f", engine, index=False))
    engine.dispose()
    return seconds, count(database, "select count(*) from f")


LOADERS: dict[str, Loader] = {
    "raw COPY (csv)": raw_copy,
    "mart build": mart_build,
    "pandas to_sql": pandas_to_sql,
}
# DuckDB's load goals (bench/load.py), applied here for reference: mart / peer.
GOALS = {"raw COPY (csv)": 0.5, "pandas to_sql": 20.0}


def main() -> None:
    args = options(__doc__.splitlines()[0], "100000,1000000")
    table = Table(title="PostgreSQL load throughput (one run each, fresh database)")
    for column in ("facts", "path", "seconds", "loaded", "facts/s", "note"):
        table.add_column(column, justify="left" if column in ("path", "note") else "right")
    goals: list[str] = []
    for size in args.sizes:
        corpus(size)  # generated before any timing
        corpus(size, "csv")
        rates: dict[str, float] = {}
        for name, loader in LOADERS.items():
            database = f"bench_{name.split()[0].lower()}_{size}"
            try:
                with fresh_database(database, args.keep_data):
                    seconds, loaded = loader(size, database)
            except Exception as error:
                table.add_row(f"{size:,}", name, "", "", "", error_line(error))
                continue
            rates[name] = loaded / seconds
            table.add_row(f"{size:,}", name, f"{seconds:.2f}", f"{loaded:,}", f"{rates[name]:,.0f}")
        table.add_section()
        for peer, goal in GOALS.items():
            label = f"{size:,} facts, mart / {peer} >= {goal:g}"
            if "mart build" in rates and peer in rates:
                goals.append(at_least(label, rates["mart build"] / rates[peer], goal))
            else:
                goals.append(f"{label}: n/a (a load failed)")
    show(table, goals)


if __name__ == "__main__":
    main()
