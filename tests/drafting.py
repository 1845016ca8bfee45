"""What the drafter's tests share: draft a made-up text with the repository's catalogue, and a
row of the bench's comparison fields."""

from pathlib import Path

from bench.draft import FIELDS
from mart.config import DEFAULT_SEEDS_DIR
from mart.draft import draft
from mart.draft.writer import write

CATALOGUE = DEFAULT_SEEDS_DIR / "catalogue.yaml"


def draft_text(tmp_path: Path, body: str) -> str:
    """The draft `mart draft` writes for `body`, saved as article.txt in tmp_path."""
    path = tmp_path / "article.txt"
    path.write_text(body, encoding="utf-8")
    return write(draft(path, CATALOGUE), path.name)


def bench_row(**fields: object) -> tuple[object, ...]:
    """A fact as bench/draft.py compares it, from the fields given (the others None)."""
    return tuple(fields.get(f) for f in FIELDS)
