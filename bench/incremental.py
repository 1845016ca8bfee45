"""Incremental load: one new article into a big mart, end to end through `mart seed`.

python -m bench.incremental [--sizes 10000000] [--keep-data]

Uses the largest of --sizes whose mart load.py kept (else the largest kept mart, else builds the
largest of --sizes), on a copy so the kept mart stays as it was. The article is the founding one
under a new name, so it is a new source; the second run finds it unchanged and skips it.
"""

import shutil
import tempfile
from pathlib import Path

from rich.table import Table

from bench.common import (
    BIN,
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
GOAL = 1.0  # seconds


def pick_mart(sizes: list[int]) -> tuple[Path, bool]:
    """(the mart to copy, whether it was built just now)."""
    found = {int(p.stem.removeprefix("mart-")): p for p in DATA.glob("mart-*.duckdb")}
    kept = {size: path for size, path in found.items() if facts_in(path) > 0}
    wanted = [size for size in sizes if size in kept] or list(kept)
    if wanted:
        return kept[max(wanted)], False
    return ensure_mart(max(sizes)), True


def new_article(folder: Path) -> Path:
    """The founding article copied as new-article.{txt,yaml}, its yaml pointing at the copy."""
    shutil.copy(DEFAULT_SEEDS_DIR / f"{ARTICLE}.txt", folder / "new-article.txt")
    yaml_text = (DEFAULT_SEEDS_DIR / f"{ARTICLE}.yaml").read_text(encoding="utf-8")
    fact_file = folder / "new-article.yaml"
    fact_file.write_text(yaml_text.replace(f"{ARTICLE}.txt", "new-article.txt"), encoding="utf-8")
    return fact_file


def seed_twice(db: Path, table: Table, label: str) -> list[str]:
    """Run `mart seed` on the new article twice; add a row per run; return the goal lines."""
    goals: list[str] = []
    with tempfile.TemporaryDirectory(dir=DATA, prefix="article-") as tmp:
        fact_file = new_article(Path(tmp))
        for run in ("new article", "same again (unchanged)"):
            seconds, done = run_command([BIN / "mart", "seed", fact_file, "--db", db])
            said = last_line(done)
            table.add_row(label, run, f"{seconds:.3f}", str(done.returncode), said[:80])
            if done.returncode == 0:
                goals.append(at_most(f"{label} facts, {run}", seconds, GOAL))
            else:
                goals.append(f"{label} facts, {run}: n/a (mart seed failed: {said[:120]})")
    return goals


def main() -> None:
    args = options(__doc__.splitlines()[0], "10000000")
    table = Table(title=f"`mart seed` of one new article (goal < {GOAL:g} s)")
    for column in ("mart facts", "run", "seconds", "exit", "last line printed"):
        table.add_column(column, justify="right" if column in ("seconds", "exit") else "left")
    goals: list[str] = []
    copy = DATA / "incremental.duckdb"
    try:
        source, built = pick_mart(args.sizes)
        remove_db(copy)
        shutil.copy(source, copy)  # the kept mart stays as load.py left it
        goals = seed_twice(copy, table, f"{facts_in(source):,}")
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
