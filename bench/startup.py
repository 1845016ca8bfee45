"""Command start-up: wall time of `mart --help` and `mart query "select 1"`, median of 10 runs.

python -m bench.startup [--keep-data]   (--sizes is accepted and ignored)

Each command's peer: `python -c pass` (what the interpreter alone costs on this machine) for
`mart --help`; for the query, DuckDB alone opening the same file read-only and answering
`select 1` (the floor of `mart query` on a DuckDB file). Runs alternate between the commands,
so that a busy machine slows each of them alike. The goal is the issue's: the query under 0.4 s.
The query runs against a small mart built from seeds/ (bench/data/startup.duckdb). The `mart`
script is the virtualenv's, which imports the checkout it was installed from: PYTHONPATH makes
it import this checkout instead, so that a worktree measures its own code.
"""

import os
import statistics
import sys
from pathlib import Path

from rich.table import Table

from bench.common import (
    BIN,
    DATA,
    at_most,
    error_line,
    last_line,
    options,
    remove_db,
    run_command,
    show,
)
from mart.config import DEFAULT_SEEDS_DIR, REPO_ROOT

RUNS = 10
QUERY = 'mart query "select 1"'
QUERY_GOAL = 0.4  # seconds (issue 20)
DUCKDB_ALONE = (
    "import sys, duckdb; duckdb.connect(sys.argv[1], read_only=True).execute('select 1').fetchall()"
)


def small_mart(path: Path) -> Path:
    from mart import operations
    from mart.db import make_engine

    if not path.is_file():
        engine = make_engine(f"duckdb:///{path}")
        operations.build(engine, [DEFAULT_SEEDS_DIR])
        engine.dispose()
    return path


def main() -> None:
    args = options(__doc__.splitlines()[0], "0")
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH")) if p
    )
    db = DATA / "startup.duckdb"
    DATA.mkdir(exist_ok=True)
    table = Table(title=f"Start-up wall time, {RUNS} runs")
    for column in ("command", "median s", "max s", "peer", "x peer", "note"):
        left = column in ("command", "peer", "note")
        table.add_column(column, justify="left" if left else "right")
    goals: list[str] = []
    pass_ = "python -c pass"
    alone = "duckdb alone: connect + select 1"
    # name: (command, its peer)
    commands: dict[str, tuple[list[str | Path], str | None]] = {
        pass_: ([sys.executable, "-c", "pass"], None),
        "mart --help": ([BIN / "mart", "--help"], pass_),
    }
    try:
        mart = small_mart(db)
    except Exception as error:
        goals.append(f"{QUERY}: n/a (cannot build the small mart: {error_line(error)})")
    else:
        commands[alone] = ([sys.executable, "-c", DUCKDB_ALONE, mart], pass_)
        commands[QUERY] = ([BIN / "mart", "query", "select 1", "--db", mart], alone)
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    failed: dict[str, str] = {}
    for _ in range(RUNS):
        for name, (command, _peer) in commands.items():
            if name in failed:
                continue
            elapsed, done = run_command(command)
            if done.returncode != 0:
                failed[name] = f"error: exit {done.returncode}: {last_line(done)}"
            seconds[name].append(elapsed)
    medians = {name: statistics.median(s) for name, s in seconds.items() if name not in failed}
    for name, (_command, peer) in commands.items():
        if name in failed:
            table.add_row(name, "", "", peer or "", "", failed[name])
            continue
        ratio = f"{medians[name] / medians[peer]:.1f}" if peer in medians else ""
        table.add_row(name, f"{medians[name]:.3f}", f"{max(seconds[name]):.3f}", peer or "", ratio)
    if QUERY in medians:
        goals.append(at_most(QUERY, medians[QUERY], QUERY_GOAL))
    elif QUERY in failed:
        goals.append(f"{QUERY}: n/a ({failed[QUERY]})")
    if not args.keep_data:
        remove_db(db)
    show(table, goals)


if __name__ == "__main__":
    main()
