"""A BI dashboard's queries through psycopg: `mart serve` beside PostgreSQL, same mart, same run.

python -m bench.dashboard [--sizes 1000000] [--repeat 20] [--keep-data] [--database NAME] [--views]

Both servers hold the mart built from the same synthetic corpus (bench/common.py): DuckDB's file
(kept under bench/data/) served by `mart serve`, and a fresh PostgreSQL database built by `mart
build` (reached through the local socket as the current role; the database is dropped after,
unless --keep-data). Ten queries of the kind a dashboard sends on opening (view scans with
filters, group-bys, top-N, a quarterly time series, a filter's value list) and `select 1` run
--repeat times each on each server, alternating, after two warm-up runs; every row is fetched.
Goal: `mart serve` at or below PostgreSQL's median latency on every analytic query. The rows of
each query are compared between the servers (ids differ between the two builds, so no query
shows an id). --views adds one query per public view, `select * from VIEW where company =
'Company 17'` (a dashboard filtered on one company). --database times an existing PostgreSQL
database built from the same corpus (kept, not rebuilt), to profile without a 1M build each run.
"""

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from rich.table import Table

from bench.common import console, corpus, ensure_mart, error_line
from bench.postgres import fresh_database, mart_build

COMPANY = "Company 17"
QUERIES: dict[str, str] = {
    "select 1": "select 1",
    "one company's quarters (view, filter)": (
        "select period, period_start, value from metric_values "
        f"where company = '{COMPANY}' and metric = 'smartphone_shipments' order by period_start"
    ),
    "facts per metric (group-by)": (
        "select metric, count(*) as facts, sum(value) as total from metric_values "
        "group by metric order by metric"
    ),
    "top 10 companies by shipments (top-N)": (
        "select company, sum(value) as units from metric_values "
        "where metric = 'smartphone_shipments' group by company order by units desc, company "
        "limit 10"
    ),
    "shipments by quarter (time series)": (
        "select date_trunc('quarter', period_start) as quarter, sum(value) as units, "
        "count(distinct company) as companies from metric_values "
        "where metric = 'smartphone_shipments' group by 1 order by 1"
    ),
    "facts per region and basis (group-by)": (
        "select region, basis, count(*) as facts from metric_values group by 1, 2 "
        "order by 3 desc, 1, 2"
    ),
    "one quarter, first 100 companies (filter, sort, limit)": (
        "select company, metric, value from metric_values "
        "where period_start >= date '2018-01-01' and period_start < date '2018-04-01' "
        "order by company, metric, value limit 100"
    ),
    "company filter's values (distinct)": "select distinct company from metric_values order by 1",
    "quarterly shipments of one company (view)": (
        "select period, units, qoq_growth_pct from shipments_quarterly "
        f"where company = '{COMPANY}' "
        "order by period"
    ),
    "revenue growth, top 10 (view, top-N)": (
        "select company, period, yoy_growth_pct from revenue_growth "
        "where yoy_growth_pct is not null order by yoy_growth_pct desc, company, period limit 10"
    ),
    "facts per unit, statement table (scan, aggregate)": (
        "select unit, count(*) as facts, avg(value) as mean from statement group by unit "
        "order by unit"
    ),
}


@contextmanager
def mart_serve(path: Path) -> Iterator[str]:
    """`mart serve` on the file, on a free port, its log beside the file."""
    log = path.with_name("dashboard-serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mart", "serve", "--db", str(path), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        assert server.stdout is not None
        address = server.stdout.readline().split("listening on ", 1)[1].split()[0]
        host, port = address.rsplit(":", 1)
        yield f"host={host} port={port} dbname=mart user=bench"
    finally:
        server.terminate()
        server.wait()
        log.close()


def _same(ours: list[tuple[Any, ...]], theirs: list[tuple[Any, ...]], ordered: bool) -> bool:
    """The same rows (in the same order, if the query orders them)."""

    def norm(value: Any) -> Any:
        if isinstance(value, Decimal | float):
            return round(float(value), 6)
        if hasattr(value, "replace") and hasattr(value, "tzinfo"):
            return value.replace(tzinfo=None)
        return value

    mine, others = ([tuple(map(norm, r)) for r in rows] for rows in (ours, theirs))
    return mine == others if ordered else sorted(mine, key=repr) == sorted(others, key=repr)


def view_queries() -> dict[str, str]:
    """One company's rows of every public view, as a dashboard filtered on one company asks."""
    from mart import views

    return {
        f"{name}, one company (view)": f"select * from {name} where company = '{COMPANY}'"
        for name in sorted(views.names())
        if name != "period_comparisons"  # the one view without a company column
    }


def measure(
    dsns: dict[str, str], queries: dict[str, str], repeat: int, timeout: float
) -> list[tuple[str, dict[str, float | None], str]]:
    """Per query: (label, {server: median ms, None if past --timeout seconds}, note). A query
    past the timeout on a server is stopped there (statement_timeout) and not timed further."""
    connections = {name: _connect(dsn, timeout) for name, dsn in dsns.items()}
    results: list[tuple[str, dict[str, float | None], str]] = []
    try:
        for label, sql in queries.items():
            answers: dict[str, list[tuple[Any, ...]]] = {}
            times: dict[str, list[float]] = {name: [] for name in connections}
            errors: list[str] = []
            for name, connection in connections.items():
                try:
                    for _ in range(2):  # warm-up: plans, caches
                        answers[name] = connection.execute(sql).fetchall()
                except psycopg.errors.QueryCanceled:
                    pass
                except psycopg.Error as error:
                    errors.append(f"{name}: {error_line(error)}")
                    if connection.closed or connection.broken:
                        connections[name] = _connect(dsns[name], timeout)
            for _ in range(repeat):
                for name, connection in connections.items():
                    if name not in answers:
                        continue
                    started = time.perf_counter()
                    try:
                        connection.execute(sql).fetchall()
                    except psycopg.errors.QueryCanceled:
                        # Under the timeout when warm, past it now: past it, as in the warm-up.
                        del answers[name]
                        times[name] = []
                        continue
                    times[name].append(time.perf_counter() - started)
            medians: dict[str, float | None] = {
                name: statistics.median(t) * 1000 if t else None for name, t in times.items()
            }
            if errors:
                note = "; ".join(errors)
            elif len(answers) < len(connections):
                slow = [name for name in connections if name not in answers]
                note = f"past the {timeout:g} s timeout on {' and '.join(slow)}"
            else:
                ours, theirs = answers["mart serve"], answers["PostgreSQL"]
                same = _same(ours, theirs, ordered=" order by " in sql)
                note = f"{len(ours):,} rows" + ("" if same else ", ROWS DIFFER")
            results.append((label, medians, note))
    finally:
        for connection in connections.values():
            connection.close()
    return results


def _connect(dsn: str, timeout: float) -> psycopg.Connection[Any]:
    connection = psycopg.connect(dsn, autocommit=True)
    connection.execute(f"set statement_timeout = {int(timeout * 1000)}")
    return connection


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000", help="facts per corpus (default 1000000)")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per query (default 20)")
    parser.add_argument(
        "--timeout", type=float, default=60, help="seconds a query may take (default 60)"
    )
    parser.add_argument("--keep-data", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument(
        "--database",
        help="an existing PostgreSQL database holding the mart of the (one) size given, "
        "e.g. one kept by --keep-data: timed as it is, neither rebuilt nor dropped",
    )
    parser.add_argument(
        "--views", action="store_true", help="also time one company's rows of every view"
    )
    args = parser.parse_args()
    repeat = args.repeat
    queries = QUERIES | (view_queries() if args.views else {})
    for size in (int(s) for s in args.sizes.split(",")):
        corpus(size)
        path = ensure_mart(size)
        database = args.database or f"bench_dashboard_{size}"
        with nullcontext(database) if args.database else fresh_database(database, args.keep_data):
            if not args.database:
                seconds, facts = mart_build(size, database)
                console.print(f"PostgreSQL mart built: {facts:,} facts in {seconds:.1f} s")
                with psycopg.connect(f"dbname={database}", autocommit=True) as connection:
                    connection.execute("analyze")
            with mart_serve(path) as ours:
                dsns = {"mart serve": ours, "PostgreSQL": f"dbname={database}"}
                results = measure(dsns, queries, repeat, args.timeout)
        table = Table(
            title=f"Dashboard queries through psycopg, {size:,} facts, median of {repeat}"
        )
        for column in ("query", "mart serve ms", "PostgreSQL ms", "ratio", "goal", "rows"):
            table.add_column(column, justify="left" if column in ("query", "rows") else "right")
        met = 0
        analytic = 0
        for label, medians, note in results:
            mine, theirs = medians.get("mart serve"), medians.get("PostgreSQL")
            goal = ""
            if label != "select 1":
                analytic += 1
                # Met: mart serve answered, and no slower than PostgreSQL (or PostgreSQL did not
                # answer within the timeout).
                passed = mine is not None and (theirs is None or mine <= theirs)
                met += passed
                goal = "met" if passed else "MISSED"
            ratio = f"{mine / theirs:.2f}x" if mine is not None and theirs is not None else ""
            table.add_row(
                label,
                "" if mine is None else f"{mine:.2f}",
                f"> {args.timeout * 1000:.0f}" if theirs is None else f"{theirs:.2f}",
                ratio,
                goal,
                note,
            )
        console.print(table)
        console.print(
            f"goal mart serve at or below PostgreSQL's median on every analytic query: "
            f"{'met' if met == analytic else 'missed'} ({met} of {analytic})"
        )


if __name__ == "__main__":
    main()
