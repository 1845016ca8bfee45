"""A draft checked by the loader itself: what `mart seed` would refuse is commented out, with
the loader's own message, so that the file `mart draft` writes always loads."""

import re
import shutil
import tempfile
from pathlib import Path

from mart.config import CATALOGUE_NAME
from mart.draft import Draft, DraftError
from mart.draft.writer import write
from mart.seedfiles import SeedError

_FACT_ERROR = re.compile(r":\d+: facts\[(\d+)\][.\w]*: (.*)$")


def refused(found: Draft, catalogue_path: Path) -> tuple[int, str] | None:
    """The first fact (index among those written) the loader refuses, and why; None if it
    loads. Loads into a throwaway DuckDB file beside a copy of the text and the catalogue."""
    from mart import operations
    from mart.db import make_engine

    text_path = found.text_path
    with tempfile.TemporaryDirectory(prefix="mart-draft-") as tmp:
        folder = Path(tmp)
        shutil.copy(text_path, folder / text_path.name)
        shutil.copy(catalogue_path, folder / CATALOGUE_NAME)
        (folder / f"{text_path.stem}.yaml").write_text(write(found, text_path.name), "utf-8")
        engine = make_engine(f"duckdb:///{folder / 'check.duckdb'}")
        try:
            operations.upgrade(engine)
            operations.seed(engine, [folder])
        except SeedError as error:
            if m := _FACT_ERROR.search(str(error)):
                return int(m[1]), m[2]
            raise DraftError(f"{text_path}: the draft does not load: {error}") from None
        finally:
            engine.dispose()
    return None


def until_it_loads(found: Draft, catalogue_path: Path) -> int:
    """Comment out each fact the loader refuses, one at a time; how many were."""
    count = 0
    while (problem := refused(found, catalogue_path)) is not None:
        index, message = problem
        written = [fact for fact in found.facts if fact.problem is None]
        if len(written) <= 1:
            raise DraftError(f"{found.text_path}: no drafted fact loads: {message}")
        written[index].problem = f"the loader refuses it: {message}"
        count += 1
    return count
