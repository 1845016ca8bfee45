"""`mart docs` on a synthetic mart: wall time, peak RSS and site size, per `--sources` choice.

python -m bench.docs [--sizes 1000000] [--sources auto,disputed] [--keep-data]

Each run is the command itself, `mart docs DIR --db MART --sources S`, in a child process:
os.wait4 gives that child's own rusage, so ru_maxrss is the peak of that run alone
(interpreter, imports and Vega's bundle included). The site is written fresh each time.
"""

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from rich.table import Table

from bench.common import BIN, DATA, at_most, ensure_mart, error_line, mart_path, remove_db, show

GOAL_SECONDS, GOAL_GB = 60.0, 2.0


def run_docs(db: Path, site: Path, sources: str) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak RSS in GB, what it printed) of one `mart docs` in a
    child process. CPU time is the child's own (user + system): on a shared machine it moves
    less than wall time does."""
    shutil.rmtree(site, ignore_errors=True)
    command = [str(BIN / "mart"), "docs", str(site), "--db", str(db), "--sources", sources]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0), err.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            lines = err.read().strip().splitlines()
            raise RuntimeError(lines[-1] if lines else f"exit {status}")
        said = out.read().strip().splitlines()[0]
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024**2, said


def site_size(site: Path) -> tuple[int, int]:
    files = [p for p in site.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000", help="facts per mart (default 1000000)")
    parser.add_argument(
        "--sources",
        default="auto,disputed",
        help="--sources choices to run (default auto,disputed)",
    )
    parser.add_argument("--keep-data", action="store_true", help="keep the marts and sites")
    args = parser.parse_args()
    table = Table(title=f"`mart docs` (goal < {GOAL_SECONDS:g} s and < {GOAL_GB:g} GB peak RSS)")
    columns = (
        "facts",
        "--sources",
        "wall s",
        "CPU s",
        "peak RSS GB",
        "files",
        "site MB",
        "printed",
    )
    for column in columns:
        table.add_column(column, justify="left" if column == "printed" else "right")
    goals: list[str] = []
    for size in (int(s) for s in args.sizes.split(",")):
        kept = mart_path(size).is_file()  # a mart bench.load kept is reused and left alone
        db = ensure_mart(size)
        for sources in args.sources.split(","):
            site = DATA / f"site-{size}-{sources}"
            label = f"{size:,} facts, --sources {sources}"
            try:
                seconds, cpu, peak, said = run_docs(db, site, sources)
                files, size_bytes = site_size(site)
                table.add_row(
                    f"{size:,}",
                    sources,
                    f"{seconds:.1f}",
                    f"{cpu:.1f}",
                    f"{peak:.2f}",
                    f"{files:,}",
                    f"{size_bytes / 1e6:,.0f}",
                    said.split(": ", 1)[-1],
                )
                goals += [
                    at_most(f"{label} time", seconds, GOAL_SECONDS),
                    at_most(f"{label} peak RSS", peak, GOAL_GB, "GB"),
                ]
            except Exception as error:
                table.add_row(f"{size:,}", sources, "", "", "", "", "", error_line(error))
                goals.append(f"{label}: n/a (mart docs failed)")
            if not args.keep_data:
                shutil.rmtree(site, ignore_errors=True)
        if not kept and not args.keep_data:
            remove_db(db)
    show(table, goals)


if __name__ == "__main__":
    main()
