"""Drafts checked by the loader itself: what `mart seed` would refuse is commented out, with
the loader's own message, so that every file `mart draft` writes loads.

All the drafts of one call are checked in one loader run: one migrated throwaway mart, one
`seed` of every draft together; a refusal comments out that fact and seeds again (the seed
rolled back, the mart is still empty), without migrating again."""

import re
import shutil
import tempfile
from pathlib import Path

from mart.config import CATALOGUE_NAME
from mart.draft import Draft, DraftError
from mart.draft.writer import write
from mart.seedfiles import SeedError

_FACT_ERROR = re.compile(r"^(?P<file>.*?\.yaml):\d+: facts\[(?P<index>\d+)\][.\w]*: (?P<why>.*)$")


def until_they_load(drafts: list[Draft], catalogue_path: Path) -> int:
    """Comment out each fact the loader refuses, one at a time; how many were. A draft with no
    fact left to load is not checked: it holds only commented-out blocks."""
    from mart import operations
    from mart.db import make_engine

    count = 0
    with tempfile.TemporaryDirectory(prefix="mart-draft-") as tmp:
        folder = Path(tmp)
        shutil.copy(catalogue_path, folder / CATALOGUE_NAME)
        by_file: dict[str, Draft] = {}
        for found in drafts:
            if not any(fact.problem is None for fact in found.facts):
                continue  # nothing to load: a file of commented-out blocks
            name = found.text_path.name
            if f"{found.text_path.stem}.yaml" in by_file:
                raise DraftError(f"{found.text_path}: two texts named {name}: draft them apart")
            shutil.copy(found.text_path, folder / name)
            by_file[f"{found.text_path.stem}.yaml"] = found
        engine = make_engine(f"duckdb:///{folder / 'check.duckdb'}")
        try:
            operations.upgrade(engine)
            while True:
                for file, found in by_file.items():
                    (folder / file).write_text(write(found, found.text_path.name), "utf-8")
                try:
                    operations.seed(engine, [folder])
                    return count
                except SeedError as error:
                    m = _FACT_ERROR.search(str(error))
                    refused = by_file.get(Path(m["file"]).name) if m else None
                    if m is None or refused is None:
                        raise DraftError(f"a draft does not load: {error}") from None
                    found = refused
                    written = [fact for fact in found.facts if fact.problem is None]
                    written[int(m["index"])].problem = f"the loader refuses it: {m['why']}"
                    count += 1
                    if len(written) == 1:
                        del by_file[Path(m["file"]).name]
                        (folder / Path(m["file"]).name).unlink()
                        if not by_file:
                            return count
        finally:
            engine.dispose()


def until_it_loads(found: Draft, catalogue_path: Path) -> int:
    """One draft's check: until_they_load of it alone."""
    return until_they_load([found], catalogue_path)
