"""Round trips through `mart serve` against real PostgreSQL: same rows, same client, same run.

python -m bench.serve [--rows 100000] [--repeat 2000] [--postgres "host=localhost dbname=postgres"]

Both servers hold a table of the same rows (bigint, float8, text, numeric(18,4), date); psycopg 3
runs `select 1` --repeat times (median latency) and fetches every row of the table five times
(median seconds). PostgreSQL is reached through --postgres (default: the local socket as the
current role; give host=localhost and a password for TCP, as `mart serve` is reached).
Goal: `mart serve` within 2x of PostgreSQL on both.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import psycopg
from rich.table import Table

from bench.common import console, runs

TABLE_SQL = """
    select i::bigint as id, i * 0.5::double as half, 'row ' || i::varchar as label,
           (i / 7)::decimal(18, 4) as ratio, date '2017-01-01' + (i % 365)::integer as day
    from range({rows}) t(i)
"""
PG_TABLE_SQL = """
    select i::bigint as id, i * 0.5::float8 as half, 'row ' || i as label,
           (i / 7.0)::numeric(18, 4) as ratio, date '2017-01-01' + (i % 365)::integer as day
    from generate_series(0, {rows} - 1) i
"""


def measure(dsn: str, repeat: int) -> tuple[float, float, int]:
    with psycopg.connect(dsn, autocommit=True) as connection:
        for _ in range(50):  # warm up: connection, caches, first plans
            connection.execute("select 1").fetchall()
        select_one = runs(lambda: connection.execute("select 1").fetchall(), repeat)[0]
        rows = connection.execute("select * from bench_rows").fetchall()
        fetch = runs(lambda: connection.execute("select * from bench_rows").fetchall(), 5)[0]
    return select_one, fetch, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--postgres", default="dbname=postgres")
    args = parser.parse_args()

    with psycopg.connect(args.postgres, autocommit=True) as admin:
        admin.execute("drop database if exists mart_bench_serve")
        admin.execute("create database mart_bench_serve")
    info = psycopg.conninfo.conninfo_to_dict(args.postgres)
    postgres = psycopg.conninfo.make_conninfo(**{**info, "dbname": "mart_bench_serve"})
    with psycopg.connect(postgres, autocommit=True) as connection:
        connection.execute(f"create table bench_rows as {PG_TABLE_SQL.format(rows=args.rows)}")
        connection.execute("analyze bench_rows")

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bench.duckdb"
        with duckdb.connect(str(path)) as file:
            file.execute(f"create table bench_rows as {TABLE_SQL.format(rows=args.rows)}")
        server = subprocess.Popen(
            [sys.executable, "-m", "mart", "serve", "--db", str(path), "--port", "0"],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            address = server.stdout.readline().split("listening on ", 1)[1].split()[0]
            host, port = address.rsplit(":", 1)
            ours = measure(f"host={host} port={port} dbname=mart user=bench", args.repeat)
            theirs = measure(postgres, args.repeat)
        finally:
            server.terminate()
            server.wait()
    with psycopg.connect(args.postgres, autocommit=True) as admin:
        admin.execute("drop database if exists mart_bench_serve with (force)")

    table = Table(title=f"psycopg 3 against each server, {args.rows:,} rows")
    for column in ("measure", "mart serve", "PostgreSQL", "ratio", "goal (2x)"):
        table.add_column(column, justify="right" if column != "measure" else "left")
    for label, mine, real in (
        ("select 1, median ms", ours[0] * 1000, theirs[0] * 1000),
        (f"fetch {ours[2]:,} rows, median s", ours[1], theirs[1]),
    ):
        ratio = mine / real
        table.add_row(
            label, f"{mine:.3f}", f"{real:.3f}", f"{ratio:.2f}x", "met" if ratio <= 2 else "MISSED"
        )
    console.print(table)
    console.print(f"PostgreSQL reached with: {args.postgres!r}")


if __name__ == "__main__":
    main()
