"""Command start-up: wall time of `mart --help` and `mart query "select 1"`, median of 10 runs.

python -m bench.startup [--keep-data]   (--sizes is accepted and ignored)

`python -c pass` is the floor: what the interpreter alone costs on this machine.
The query runs against a small mart built from seeds/ (bench/data/startup.duckdb). The `mart`
script is the virtualenv's, which imports the checkout it was installed from: PYTHONPATH makes
it import this checkout instead, so that a worktree measures its own code.
"""

import os
import statistics
import sys
from pathlib import Path

from rich.table import Table

from bench.common import BIN, DATA, error_line, last_line, options, remove_db, run_command, show
from mart.config import DEFAULT_SEEDS_DIR, REPO_ROOT

RUNS = 10


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
    for column in ("command", "median s", "max s", "note"):
        table.add_column(column, justify="left" if column in ("command", "note") else "right")
    goals: list[str] = []
    try:
        commands: dict[str, list[str | Path]] = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "mart --help": [BIN / "mart", "--help"],
            'mart query "select 1"': [BIN / "mart", "query", "select 1", "--db", small_mart(db)],
        }
    except Exception as error:
        commands = {}
        goals.append(f"n/a (cannot build the small mart: {error_line(error)})")
    for name, command in commands.items():
        seconds = []
        for _ in range(RUNS):
            elapsed, done = run_command(command)
            if done.returncode != 0:
                table.add_row(name, "", "", f"error: exit {done.returncode}: {last_line(done)}")
                break
            seconds.append(elapsed)
        else:
            table.add_row(name, f"{statistics.median(seconds):.3f}", f"{max(seconds):.3f}")
            goals.append(f"{name}: no goal set (for information)")
    if not args.keep_data:
        remove_db(db)
    show(table, goals)


if __name__ == "__main__":
    main()
