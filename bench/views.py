"""View latency: every public view, full scan and one company, median and max of 5 runs.

python -m bench.views [--sizes 1000000,10000000] [--runs 5] [--views growth,targets] [--keep-data]

Timed through DuckDB's Python API on the file opened read-only. A full scan fetches every row
as an Arrow table (`con.sql(q).to_arrow_table()`): the result is really materialised, columnar,
without per-value Python objects (what a BI tool or pandas user would get), not just counted.
Each full scan is set beside the same fetch of the rows every view reads, `select * from
statement` (the peer), in the same run: the goal is a ratio of at most 1.5.
"""

from pathlib import Path

import duckdb
from rich.table import Table

from bench.common import at_most, ensure_mart, error_line, mart_path, options, remove_db, runs, show
from mart import views

RUNS = 5
COMPANY = "Company 17"
RATIO_GOAL, COMPANY_GOAL = 1.5, 0.050  # full scan / bare scan of statement; seconds at 10M
PEER = "select * from statement"


def time_view(
    con: duckdb.DuckDBPyConnection, view: str, times: int = RUNS
) -> tuple[int, float, float, int, float, float]:
    """(rows, median, max) of a full scan, then the same for one company (0 rows and no time
    for a view without a company column)."""
    full = f"select * from {view}"
    one = f"select * from {view} where company = ?"
    rows = con.sql(full).to_arrow_table().num_rows
    full_median, full_max = runs(lambda: con.sql(full).to_arrow_table(), times)
    columns = [c[0] for c in con.sql(f"{full} limit 0").description]
    if "company" not in columns:
        return rows, full_median, full_max, 0, float("nan"), float("nan")
    company_rows = con.sql(one, params=[COMPANY]).to_arrow_table().num_rows
    one_median, one_max = runs(lambda: con.sql(one, params=[COMPANY]).to_arrow_table(), times)
    return rows, full_median, full_max, company_rows, one_median, one_max


def time_mart(
    path: Path,
    size: int,
    table: Table,
    goals: list[str],
    times: int = RUNS,
    only: list[str] | None = None,
) -> None:
    with duckdb.connect(str(path), read_only=True) as con:
        peer_rows = con.sql(PEER).to_arrow_table().num_rows
        peer_median, peer_max = runs(lambda: con.sql(PEER).to_arrow_table(), times)
        table.add_row(f"{size:,}", "(peer) " + PEER, f"{peer_rows:,}", f"{peer_median:.3f}",
                      f"{peer_max:.3f}", "1.00", "", "", "")  # fmt: skip
        for view in views.names():
            if only and view not in only:
                continue
            rows, full_med, full_max, one_rows, one_med, one_max = time_view(con, view, times)
            ratio = full_med / peer_median
            table.add_row(
                f"{size:,}",
                view,
                f"{rows:,}",
                f"{full_med:.3f}",
                f"{full_max:.3f}",
                f"{ratio:.2f}",
                f"{one_rows:,}",
                f"{one_med * 1000:.1f}",
                f"{one_max * 1000:.1f}",
            )
            goals.append(
                at_most(f"{size:,} {view} full scan / peer (median)", ratio, RATIO_GOAL, "x")
            )
            if one_rows:
                goals.append(
                    at_most(f"{size:,} {view} one company (median)", one_med * 1000, 50, "ms")
                )


def main() -> None:
    args = options(
        __doc__.splitlines()[0],
        "1000000,10000000",
        extra=[
            ("--runs", {"type": int, "default": RUNS, "help": f"runs per figure ({RUNS})"}),
            ("--views", {"default": "", "help": "comma-separated views (default: all)"}),
        ],
    )
    table = Table(
        title=f"View latency, {args.runs} runs, company = '{COMPANY}' "
        f"(goal: full scan <= {RATIO_GOAL}x `{PEER}`, one company < 50 ms at 10M)"
    )
    table.add_column("facts", justify="right")
    table.add_column("view")
    for column in ("rows", "full med s", "max s", "x peer", "company rows", "one med ms", "max ms"):
        table.add_column(column, justify="right")
    goals: list[str] = []
    for size in args.sizes:
        kept = mart_path(size).is_file()
        try:
            only = [v for v in args.views.split(",") if v] or None
            time_mart(ensure_mart(size), size, table, goals, args.runs, only)
        except Exception as error:
            table.add_row(f"{size:,}", "(failed, see below)")
            goals.append(f"{size:,}: n/a ({error_line(error)})")
        if not kept and not args.keep_data:
            remove_db(mart_path(size))
        table.add_section()
    show(table, goals)


if __name__ == "__main__":
    main()
