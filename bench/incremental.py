"""Incremental load: one new article into a big mart, end to end through `mart seed`.

python -m bench.incremental [--sizes 10000000] [--keep-data]

Uses the largest of --sizes whose mart load.py kept (else the largest kept mart, else builds the
largest of --sizes), on a copy so the kept mart stays as it was. The article is the founding one
under a new name, so it is a new source (written in the file itself: no one holds it); the second
run finds it unchanged and skips it; the third edits its title, so its facts are replaced; the
last seeds another new article while a reader holds the file, so it is published as a copy.
`mart seed` runs as `python -m mart` from this checkout, as a user runs it.
"""

import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.table import Table

from bench.common import (
    DATA,
    at_most,
    ensure_mart,
    error_line,
    facts_in,
    last_line,
    options,
    remove_db,
    run_command,
    show,
)
from mart.config import DEFAULT_SEEDS_DIR

ARTICLE = "xiaomi-q2-2017-shipments"
GOALS = {"new article": 1.0, "same again (unchanged)": 0.3}  # seconds
REPO = Path(__file__).resolve().parent.parent


def pick_mart(sizes: list[int]) -> tuple[Path, bool]:
    """(the mart to copy, whether it was built just now)."""
    found = {int(p.stem.removeprefix("mart-")): p for p in DATA.glob("mart-*.duckdb")}
    kept = {size: path for size, path in found.items() if facts_in(path) > 0}
    wanted = [size for size in sizes if size in kept] or list(kept)
    if wanted:
        return kept[max(wanted)], False
    return ensure_mart(max(sizes)), True


def new_article(folder: Path, name: str = "new-article") -> Path:
    """The founding article copied as {name}.{txt,yaml}, its yaml pointing at the copy."""
    shutil.copy(DEFAULT_SEEDS_DIR / f"{ARTICLE}.txt", folder / f"{name}.txt")
    yaml_text = (DEFAULT_SEEDS_DIR / f"{ARTICLE}.yaml").read_text(encoding="utf-8")
    fact_file = folder / f"{name}.yaml"
    fact_file.write_text(yaml_text.replace(f"{ARTICLE}.txt", f"{name}.txt"), encoding="utf-8")
    return fact_file


def edit_title(fact_file: Path) -> None:
    text = fact_file.read_text(encoding="utf-8")
    fact_file.write_text(text.replace("  title: ", "  title: (edited) ", 1), encoding="utf-8")


def seed_runs(db: Path, table: Table, label: str) -> list[str]:
    """Run `mart seed` as the module doc says; add a row per run; return the goal lines."""
    goals: list[str] = []
    with tempfile.TemporaryDirectory(dir=DATA, prefix="article-") as tmp:
        fact_file = new_article(Path(tmp))
        runs = [
            ("new article", fact_file, None),
            ("same again (unchanged)", fact_file, None),
            ("title edited (facts replaced)", fact_file, edit_title),
            ("another, a reader holding the file", new_article(Path(tmp), "other"), None),
        ]
        for run, path, before in runs:
            if before:
                before(path)
            reader = _holding_reader(db) if "reader" in run else None
            try:
                command: list[str | Path] = [sys.executable, "-m", "mart", "seed", path, "--db", db]
                used = _children_cpu()
                seconds, done = run_command(command, cwd=REPO)
                cpu = _children_cpu() - used
            finally:
                if reader:
                    reader.kill()
                    reader.wait()
            said = last_line(done)
            row = [label, run, f"{seconds:.3f}", f"{cpu:.3f}", str(done.returncode), said[:80]]
            table.add_row(*row)
            if done.returncode != 0:
                goals.append(f"{label} facts, {run}: n/a (mart seed failed: {said[:120]})")
            elif run in GOALS:
                goals.append(at_most(f"{label} facts, {run}", seconds, GOALS[run]))
    return goals


def _children_cpu() -> float:
    """CPU seconds of the finished child processes so far: on a shared machine the wall time
    of a run says as much about the other processes as about it."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _holding_reader(db: Path) -> subprocess.Popen[str]:
    """A process holding the mart open read-only (as `mart serve` or a BI tool does)."""
    code = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); "
    code += "print(1, flush=True); time.sleep(600)"
    command = [sys.executable, "-c", code, str(db)]
    reader = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert reader.stdout and reader.stdout.readline() == "1\n"
    return reader


def main() -> None:
    args = options(__doc__.splitlines()[0], "10000000")
    table = Table(title="`mart seed` of one article (goals: new < 1 s, unchanged < 0.3 s)")
    for column in ("mart facts", "run", "seconds", "cpu seconds", "exit", "last line printed"):
        right = column in ("seconds", "cpu seconds", "exit")
        table.add_column(column, justify="right" if right else "left")
    goals: list[str] = []
    copy = DATA / "incremental.duckdb"
    try:
        source, built = pick_mart(args.sizes)
        remove_db(copy)
        shutil.copy(source, copy)  # the kept mart stays as load.py left it
        os.sync()  # the first run must not pay for writing this copy out
        goals = seed_runs(copy, table, f"{facts_in(source):,}")
        if built and not args.keep_data:
            remove_db(source)
    except Exception as error:
        table.add_row("", "(failed, see below)")
        goals.append(f"n/a ({error_line(error)})")
    finally:
        remove_db(copy)
    show(table, goals)


if __name__ == "__main__":
    main()
