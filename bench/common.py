"""What every benchmark shares: options, cached corpora, mart builds, timing and goal lines."""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console
from rich.table import Table

from mart.config import DEFAULT_SEEDS_DIR

DATA = Path(__file__).with_name("data")
BIN = Path(sys.executable).parent  # the virtualenv's scripts: mart, dbt
FACT_COUNT_SQL = "select count(*) from statement"
# Wide enough for error notes when the output is piped (rich falls back to 80 columns).
console = Console(width=shutil.get_terminal_size((140, 24)).columns)


def options(
    description: str,
    sizes: str,
    peer_max: bool = False,
    extra: list[tuple[str, dict[str, Any]]] | None = None,
) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    for flag, settings in extra or []:
        parser.add_argument(flag, **settings)
    parser.add_argument("--sizes", default=sizes, help=f"facts per corpus (default {sizes})")
    parser.add_argument(
        "--keep-data", action="store_true", help="keep the databases built under bench/data/"
    )
    if peer_max:
        parser.add_argument(
            "--peer-max",
            type=int,
            default=1_000_000,
            help="largest size the slow peers (to_sql, dbt) run at (default 1000000)",
        )
    args = parser.parse_args()
    args.sizes = [int(size) for size in args.sizes.split(",")]
    return args


def corpus(size: int, file_format: str = "parquet") -> Path:
    """The synthetic corpus of about `size` facts, generated once and cached under bench/data/."""
    out = DATA / f"corpus-{size}-{file_format}"
    if not (out / f"facts.{file_format}").is_file():
        from mart.synth import generate

        partial = out.with_name(out.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        console.print(f"generating {size:,} facts as {file_format} ...")
        generate(size, partial, seed=0, file_format=file_format)
        shutil.rmtree(out, ignore_errors=True)
        partial.rename(out)
    # The facts are cached; the catalogue is the repository's of today (an article seeded into
    # a mart built with an older one would rewrite the catalogue, and every stored row).
    catalogue = DEFAULT_SEEDS_DIR / "catalogue.yaml"
    if (out / "catalogue.yaml").read_bytes() != catalogue.read_bytes():
        shutil.copy(catalogue, out / "catalogue.yaml")
    return out


def corpus_facts(size: int) -> int:
    """Rows in the corpus's facts file (a little under `size`: whole sources only)."""
    path = corpus(size) / "facts.parquet"
    with duckdb.connect() as con:
        row = con.execute("select count(*) from read_parquet(?)", [str(path)]).fetchone()
    assert row is not None
    return int(row[0])


def remove_db(path: Path) -> None:
    for leftover in [path, *path.parent.glob(path.name + ".*")]:
        leftover.unlink(missing_ok=True)


def mart_path(size: int) -> Path:
    return DATA / f"mart-{size}.duckdb"


def facts_in(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute(FACT_COUNT_SQL).fetchone()
    assert row is not None
    return int(row[0])


def build_mart(size: int, path: Path) -> tuple[float, int]:
    """Build a fresh mart file from the corpus; return (seconds, facts loaded)."""
    from mart import operations
    from mart.db import make_engine

    seeds = corpus(size)
    remove_db(path)
    engine = make_engine(f"duckdb:///{path}")
    try:
        seconds = timed(lambda: operations.build(engine, [seeds]))
        engine.dispose()
        facts = facts_in(path)
        if facts == 0:
            raise RuntimeError("mart build loaded 0 facts (no bulk loader for .parquet yet?)")
    except BaseException:
        engine.dispose()
        remove_db(path)  # never leave a half-built mart for views.py to reuse
        raise
    return seconds, facts


def ensure_mart(size: int) -> Path:
    """The mart at this size: the one load.py kept if it holds facts, else a new build (kept)."""
    path = mart_path(size)
    if path.is_file() and facts_in(path) > 0:
        return path
    console.print(f"building the {size:,}-fact mart ...")
    build_mart(size, path)
    return path


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def run_command(
    command: list[str | Path], cwd: Path | None = None
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Wall seconds of one command (output captured), and what it did."""
    env = os.environ | {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}  # no network call in timings
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    return time.perf_counter() - start, done


def last_line(done: subprocess.CompletedProcess[str]) -> str:
    said = (done.stdout + done.stderr).strip().splitlines()
    return said[-1].strip() if said else ""


def runs(action: Callable[[], object], times: int) -> tuple[float, float]:
    """(median, max) seconds over `times` runs."""
    seconds = [timed(action) for _ in range(times)]
    return statistics.median(seconds), max(seconds)


def error_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return "error: " + (lines[0] if lines else type(error).__name__)[:160]


def at_most(label: str, value: float, goal: float, unit: str = "s") -> str:
    """Goal line for a figure that should stay under `goal`."""
    if value <= goal:
        return f"{label}: met ({value:.3g} {unit} <= {goal:g} {unit})"
    return f"{label}: missed by {value - goal:.3g} {unit} ({value / goal:.1f}x the {goal:g} {unit})"


def at_least(label: str, value: float, goal: float) -> str:
    """Goal line for a ratio that should reach `goal`."""
    if value >= goal:
        return f"{label}: met ({value:.2f} >= {goal:g})"
    return f"{label}: missed by {goal - value:.2f} ({value:.2f} < {goal:g})"


def show(table: Table, goals: list[str]) -> None:
    console.print(table)
    for goal in goals:
        console.print(f"goal {goal}")
