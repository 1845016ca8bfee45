"""Whether `mart seed` has anything to do: digests of what a fact file is loaded from.

A YAML source's stored facts_sha256 is the digest of its inputs: the fact file's bytes, its
source text's bytes, the catalogue's bytes and mart's own code (the loader and the
migrations). Equal digests mean the load would stage the same rows and pass the same checks,
so `mart seed` of unchanged files answers from the stored digests alone: the mart opened
read-only, no writer, no copy, and none of the loader imported. Anything this module cannot
decide for certain (a file it cannot read, a text outside its folder, a mart not at head, a
bulk file) goes to the full load, which decides as it always has.
"""

import hashlib
import re
from functools import cache
from pathlib import Path

from mart.config import REPO_ROOT

_CODE_ROOTS = (REPO_ROOT / "mart", REPO_ROOT / "migrations")


@cache
def code_digest() -> str:
    """Of every Python file of mart and its migrations: a new loader reloads every source."""
    digest = hashlib.sha256()
    for root in _CODE_ROOTS:
        for path in sorted(root.rglob("*.py")):
            digest.update(str(path.relative_to(REPO_ROOT)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def input_digest(fact_sha256: str, text_sha256: str, catalogue_sha256: str) -> str:
    """A YAML source's facts_sha256, from the sha256 of each input's bytes."""
    parts = ("yaml-inputs", fact_sha256, text_sha256, catalogue_sha256, code_digest())
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def misplaced_text(folder: Path, path: Path) -> str | None:
    """Why a fact file may not read this source text without --allow-outside-texts, or None:
    it must lie in the fact file's folder tree and not be reached through a symlink."""
    inside = path.resolve().is_relative_to(folder.resolve())
    linked = any(
        p.is_symlink() for p in (path, *path.parents) if p != folder and p.is_relative_to(folder)
    )
    if inside and not linked:
        return None
    return "through a symlink" if inside else "outside the seed directory"


_REVISION = re.compile(r"^(down_revision|revision)\b[^=]*=\s*(?:\"([0-9a-f]+)\"|None)\s*$", re.M)


def migrations_head() -> str | None:
    """The newest migration's revision, read from the files without importing Alembic; None
    when the history is anything but one line (Alembic's own answer is then needed)."""
    revisions, parents = set(), set()
    for path in (REPO_ROOT / "migrations" / "versions").glob("*.py"):
        found = dict((name, value) for name, value in _REVISION.findall(path.read_text()))
        if "revision" not in found or not found["revision"]:
            return None
        revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _yaml_inputs(fact_file: Path, allow_outside_texts: bool) -> tuple[str, str, str] | None:
    """(source key, fact file sha256, text sha256), or None where the full load must decide."""
    from mart import yamlsafe

    try:
        raw = fact_file.read_bytes()
        root = yamlsafe.read(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, yamlsafe.YamlError):
        return None
    source = root.get("source") if isinstance(root, yamlsafe.Mapping) else None
    name = source.get("text") if isinstance(source, yamlsafe.Mapping) else None
    if not isinstance(name, yamlsafe.Scalar):
        return None
    text = fact_file.parent / name.text
    if not allow_outside_texts and misplaced_text(fact_file.parent, text):
        return None
    try:
        body = text.read_bytes()
    except OSError:
        return None
    return fact_file.stem, hashlib.sha256(raw).hexdigest(), hashlib.sha256(body).hexdigest()


def unchanged(
    database: Path, fact_files: list[Path], catalogue: Path, allow_outside_texts: bool
) -> bool:
    """Whether every fact file is YAML and stored as it is now, in a mart at head: `mart seed`
    of them would write nothing. Reads the mart read-only; False whenever in doubt."""
    if not fact_files or not database.is_file():
        return False
    try:
        catalogue_sha256 = hashlib.sha256(catalogue.read_bytes()).hexdigest()
    except OSError:
        return False
    wanted: dict[str, str] = {}
    for path in fact_files:
        if path.suffix not in (".yaml", ".yml"):
            return False
        inputs = _yaml_inputs(path, allow_outside_texts)
        if inputs is None or inputs[0] in wanted:
            return False
        key, fact_sha256, text_sha256 = inputs
        wanted[key] = input_digest(fact_sha256, text_sha256, catalogue_sha256)
    head = migrations_head()
    if head is None:
        return False
    import duckdb

    try:
        with duckdb.connect(str(database), read_only=True) as connection:
            revision = connection.execute("select version_num from alembic_version").fetchall()
            stored = connection.execute(
                "select source_key, facts_sha256 from source where source_key in "
                f"({', '.join('?' for _ in wanted)})",
                list(wanted),
            ).fetchall()
    except duckdb.Error:  # held by a writer, not a mart, not migrated: the full load says so
        return False
    return revision == [(head,)] and dict(stored) == wanted
