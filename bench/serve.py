"""Round trips through `mart serve` against real PostgreSQL: same rows, same client, same run.

python -m bench.serve [--rows 100000] [--repeat 2000] [--postgres "host=localhost dbname=postgres"]

Both servers hold a table of the same rows (bigint, float8, text, numeric(18,4), date); psycopg 3
runs `select 1` --repeat times (median latency) and fetches every row of the table five times
(median seconds). PostgreSQL is reached through --postgres (default: the local socket as the
current role; give host=localhost and a password for TCP, as `mart serve` is reached).
Goal: `mart serve` within 2x of PostgreSQL on both.

Then, on `mart serve` alone (issue 10, one bad client never hurts another): the time to the first
row of `select * from range(1000000000)` and the server's peak RSS while 5M of its rows stream;
its RSS after 40 distinct 10 MiB query texts; wrong passwords answered per second to 20 clients
guessing at once, with --auth-delay 0 and with the default 0.5 s.
"""

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def mart_serve(path: Path, *options: str) -> Iterator[tuple[str, int]]:
    """`mart serve` on the file, on a free port: (dsn, server pid)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "mart", "serve", "--db", str(path), "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        address = server.stdout.readline().split("listening on ", 1)[1].split()[0]
        host, port = address.rsplit(":", 1)
        yield f"host={host} port={port} dbname=mart user=bench", server.pid
    finally:
        server.terminate()
        server.wait()


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def streaming(dsn: str, pid: int) -> tuple[float, float, float]:
    """Seconds to the first row of range(1e9), RSS (MiB) before, peak RSS over 5M rows."""
    before = rss_mib(pid)
    connection = psycopg.connect(dsn, autocommit=True)
    try:
        started = time.perf_counter()
        first = 0.0
        peak = before
        for count, _ in enumerate(connection.cursor().stream("select * from range(1000000000)")):
            if count == 0:
                first = time.perf_counter() - started
            if count % 100_000 == 0:
                peak = max(peak, rss_mib(pid))
            if count == 5_000_000:
                break
    finally:
        connection.pgconn.finish()
    return first, before, peak


def query_texts(dsn: str, pid: int) -> tuple[float, float]:
    """RSS (MiB) before and after 40 distinct 10 MiB query texts, their session gone."""
    before = rss_mib(pid)
    with psycopg.connect(dsn, autocommit=True) as connection:
        for n in range(40):
            connection.execute(f"select {n} as x -- {'x' * (10 << 20)}".encode())
    time.sleep(1)
    return before, rss_mib(pid)


def guesses_per_second(path: Path, delay: str, seconds: float = 5.0) -> float:
    """Wrong passwords answered per second to 20 clients guessing at once."""
    secret = path.with_name("password.txt")
    secret.write_text("s3cret\n")
    answered = 0
    lock = threading.Lock()
    with mart_serve(path, "--password-file", str(secret), "--auth-delay", delay) as (dsn, _):
        deadline = time.monotonic() + seconds

        def guess() -> None:
            nonlocal answered
            while time.monotonic() < deadline:
                try:
                    psycopg.connect(f"{dsn} password=guess").close()
                except psycopg.OperationalError:
                    with lock:
                        answered += 1

        threads = [threading.Thread(target=guess) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return answered / seconds


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
        with mart_serve(path) as (dsn, pid):
            ours = measure(dsn, args.repeat)
            theirs = measure(postgres, args.repeat)
            first_row, rss_before, rss_peak = streaming(dsn, pid)
            texts_before, texts_after = query_texts(dsn, pid)
        no_delay = guesses_per_second(path, "0")
        default_delay = guesses_per_second(path, "0.5")
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

    bad = Table(title="mart serve under bad clients (issue 10)")
    bad.add_column("measure")
    bad.add_column("value", justify="right")
    bad.add_row("first row of select * from range(1e9), s", f"{first_row:.3f}")
    bad.add_row(
        "server RSS before / peak over 5M streamed rows, MiB", f"{rss_before:.0f} / {rss_peak:.0f}"
    )
    bad.add_row(
        "server RSS before / after 40 x 10 MiB query texts, MiB",
        f"{texts_before:.0f} / {texts_after:.0f}",
    )
    bad.add_row("wrong passwords answered per second, --auth-delay 0", f"{no_delay:.0f}")
    bad.add_row("wrong passwords answered per second, --auth-delay 0.5", f"{default_delay:.0f}")
    console.print(bad)


if __name__ == "__main__":
    main()
