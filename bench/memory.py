"""Peak memory (RSS) of a mart build, run in a child process.

python -m bench.memory [--sizes 10000000] [--keep-data]

Each build runs in its own child Python; os.wait4 returns that child's own rusage, so
ru_maxrss (KiB on Linux) is the peak of that build alone (interpreter and imports included).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.table import Table

from bench.common import DATA, FACT_COUNT_SQL, at_most, corpus, error_line, options, remove_db, show

GOAL_GB = 2.0
CHILD = f"""
import sys
from pathlib import Path
from sqlalchemy import text
from mart import operations
from mart.db import make_engine
engine = make_engine("duckdb:///" + sys.argv[1])
operations.build(engine, [Path(sys.argv[2])])
with engine.connect() as connection:
    print(connection.execute(text("{FACT_COUNT_SQL}")).scalar_one())
"""


def peak_build(size: int, db: Path) -> tuple[float, float, int]:
    """(seconds, peak RSS in GB, facts loaded) of a build in a child process."""
    seeds = corpus(size)
    remove_db(db)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db), str(seeds)], stdout=out, stderr=err
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        if child.returncode != 0:
            lines = err.read().strip().splitlines()
            raise RuntimeError(lines[-1] if lines else f"exit {child.returncode}")
        facts = int(out.read().split()[-1])
    if facts == 0:
        raise RuntimeError("mart build loaded 0 facts (no bulk loader for .parquet yet?)")
    return seconds, usage.ru_maxrss / 1024**2, facts


def main() -> None:
    args = options(__doc__.splitlines()[0], "10000000")
    table = Table(title=f"Peak RSS of `operations.build` (goal < {GOAL_GB:g} GB)")
    for column in ("facts", "loaded", "seconds", "peak RSS GB", "note"):
        table.add_column(column, justify="left" if column == "note" else "right")
    goals: list[str] = []
    for size in args.sizes:
        db = DATA / f"memory-{size}.duckdb"
        try:
            seconds, peak, facts = peak_build(size, db)
            table.add_row(f"{size:,}", f"{facts:,}", f"{seconds:.1f}", f"{peak:.2f}")
            goals.append(at_most(f"{size:,} facts peak RSS", peak, GOAL_GB, "GB"))
        except Exception as error:
            table.add_row(f"{size:,}", "", "", "", error_line(error))
            goals.append(f"{size:,} facts: n/a (build failed)")
        if not args.keep_data:
            remove_db(db)
    show(table, goals)


if __name__ == "__main__":
    main()
