"""`mart draft` on every corpus text, fact by fact against the hand-written fact files.

    python -m bench.draft [--seeds DIR] [--keep DIR]

Each text of the seed directory is drafted as `mart draft` does it (the loader's check included:
"refused" counts the facts it commented out), every draft is loaded with `mart seed` into a
fresh mart, and compared with the hand-written file's facts:
- figures: (value, value_high, bound) of every fact that states a figure, drafts' commented-out
  blocks included (they are figures found, with no metric matched); facts whose value is null
  ("thousands") and events (flags other than records: a launch, an announcement) are not figures;
- whole facts: (metric, value, value_high, bound, period label, region, product, basis) of every
  fact but events, as the loader stores them.
"""

import argparse
import shutil
import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import text

from mart import operations
from mart.config import CATALOGUE_NAME, DEFAULT_SEEDS_DIR
from mart.db import MartError, make_engine
from mart.draft import draft_file
from mart.seedfiles import read_catalogue

FACTS_SQL = """
select source_key, metric, value, value_high, bound, period, region_key, lower(product), basis
from fact_provenance
"""
Row = tuple[Any, ...]


def _loaded(
    folder: Path, files: list[Path], db: Path
) -> tuple[dict[str, list[Row]], dict[str, str]]:
    """Each file loaded on its own with `mart seed` (so one failure names its file): rows by
    source, and the error of each file that did not load."""
    engine = make_engine(f"duckdb:///{db}")
    errors: dict[str, str] = {}
    try:
        operations.upgrade(engine)
        for path in files:
            try:
                operations.seed(engine, [path])
            except MartError as error:
                errors[path.stem] = str(error)
        with engine.connect() as connection:
            rows = [tuple(r) for r in connection.execute(text(FACTS_SQL))]
    finally:
        engine.dispose()
    found: dict[str, list[Row]] = {}
    for row in rows:
        found.setdefault(row[0], []).append(_normal(row[1:]))
    return found, errors


def _normal(row: Row) -> Row:
    return tuple(v.normalize() if isinstance(v, Decimal) else v for v in row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS_DIR)
    parser.add_argument("--keep", type=Path, help="write the drafts into this directory")
    args = parser.parse_args()
    seeds: Path = args.seeds
    catalogue_path = seeds / CATALOGUE_NAME
    catalogue = read_catalogue(catalogue_path).spec
    events = {m.key for m in catalogue.metrics if m.unit == "flag" and not m.record_of}
    texts = sorted(seeds.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp) / "drafts"
        work.mkdir(parents=True, exist_ok=True)
        shutil.copy(catalogue_path, work / CATALOGUE_NAME)
        drafts = {}
        for path in texts:  # as `mart draft TEXT --force` does it, the loader's check included
            shutil.copy(path, work / path.name)
            out = work / f"{path.stem}.yaml"
            drafts[path.stem] = draft_file(work / path.name, out, catalogue_path, force=True)[0]
        hand, hand_errors = _loaded(
            seeds, [seeds / f"{p.stem}.yaml" for p in texts], Path(tmp) / "hand.duckdb"
        )
        drafted, errors = _loaded(
            work, [work / f"{p.stem}.yaml" for p in texts], Path(tmp) / "draft.duckdb"
        )
    if hand_errors:
        raise SystemExit(f"the hand-written seeds do not load: {hand_errors}")
    table = Table(title="mart draft against the hand-written fact files", title_justify="left")
    for column in (
        "article",
        "loads",
        "refused",
        "figures",
        "found",
        "extra",
        "fig recall",
        "fig precision",
        "facts",
        "drafted",
        "matched",
        "fact recall",
        "fact precision",
    ):
        table.add_column(column, justify="left" if column == "article" else "right")
    totals: Counter[str] = Counter()
    misses: list[str] = []
    for path in texts:
        key = path.stem
        hand_facts = [r for r in hand.get(key, []) if r[0] not in events]
        hand_figures = Counter(r[1:4] for r in hand_facts if r[1] is not None)
        ours = drafted.get(key, [])
        figures: Counter[Row] = Counter(r[1:4] for r in ours if r[1] is not None)
        for fact in drafts[key].facts:
            if (
                fact.problem
                and fact.figure.number is not None
                and fact.fields.get("metric") is None
            ):
                figure = fact.figure
                figures[_normal((figure.number, figure.high, figure.bound))] += 1
            elif fact.problem and fact.figure.number is not None:
                figures[_normal((fact.figure.number, fact.figure.high, fact.figure.bound))] += 1
        found_figures = sum((hand_figures & figures).values())
        whole_hand, whole_ours = Counter(hand_facts), Counter(ours)
        matched = sum((whole_hand & whole_ours).values())
        counts = {
            "figures": sum(hand_figures.values()),
            "found": found_figures,
            "drafted_figures": sum(figures.values()),
            "facts": len(hand_facts),
            "drafted": len(ours),
            "matched": matched,
        }
        totals.update(counts)
        refused = sum(1 for f in drafts[key].facts if (f.problem or "").startswith("the loader"))
        totals["refused"] += refused
        table.add_row(key, "no" if key in errors else "yes", str(refused), *_cells(counts))
        for row in (hand_figures - figures).elements():
            misses.append(f"{key}: figure missed: {row}")
        for row in (figures - hand_figures).elements():
            misses.append(f"{key}: figure extra: {row}")
        for row in (whole_hand - whole_ours).elements():
            misses.append(f"{key}: fact missed: {row}")
        for row in (whole_ours - whole_hand).elements():
            misses.append(f"{key}: fact drafted, not in the hand file: {row}")
        if key in errors:
            misses.append(f"{key}: draft does not load: {errors[key]}")
    loads = f"{len(texts) - len(errors)}/{len(texts)}"
    table.add_row("all", loads, str(totals["refused"]), *_cells(totals), end_section=True)
    console = Console(width=220)  # the table and the misses, unwrapped
    console.print(table)
    console.print(
        "Goal: figure recall 1.0, figure precision >= 0.95, fact recall and precision >= 0.8; "
        "every draft loads."
    )
    for line in misses:
        console.print(line, highlight=False, soft_wrap=True)


def _cells(c: Any) -> list[str]:
    def ratio(a: int, b: int) -> str:
        return f"{a / b:.3f}" if b else "-"

    return [
        str(c["figures"]),
        str(c["found"]),
        str(c["drafted_figures"] - c["found"]),
        ratio(c["found"], c["figures"]),
        ratio(c["found"], c["drafted_figures"]),
        str(c["facts"]),
        str(c["drafted"]),
        str(c["matched"]),
        ratio(c["matched"], c["facts"]),
        ratio(c["matched"], c["drafted"]),
    ]


if __name__ == "__main__":
    main()
