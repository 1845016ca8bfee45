"""`mart seed` of one article into a big mart: unchanged files answered from the stored digests
without a writer, a new article written in the file itself when no one holds it, and the
readers' guarantees on either path.

Readers and timed commands run in subprocesses: in one process DuckDB shares a file's handle.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mart import checks, freshness, migrate, operations, publish, seeds
from mart.cli import app
from mart.config import DEFAULT_SEEDS_DIR, REPO_ROOT
from mart.db import make_engine
from mart.load import write
from tests.conftest import snapshot
from tests.test_publish import COUNTS, HOLDING_READER, SUMMARY_ONLY, WITH_ARTICLE, counts, sha256

runner = CliRunner()
ARTICLE = "xiaomi-q2-2017-shipments"


@pytest.fixture
def summary_mart(tmp_path: Path) -> Path:
    """A mart with the Global Times summary only."""
    folder = tmp_path / "summary-seeds"
    folder.mkdir()
    for name in ("catalogue.yaml", "globaltimes-2017-07-07-summary.txt"):
        shutil.copy(DEFAULT_SEEDS_DIR / name, folder / name)
    shutil.copy(DEFAULT_SEEDS_DIR / "globaltimes-2017-07-07-summary.yaml", folder)
    db = tmp_path / "mart" / "mart.duckdb"
    db.parent.mkdir()
    result = runner.invoke(app, ["build", "--db", str(db), "--seeds", str(folder)])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def article(tmp_path: Path) -> Path:
    """The founding article's fact file and text, in a folder of their own."""
    folder = tmp_path / "article"
    folder.mkdir()
    for suffix in (".yaml", ".txt"):
        shutil.copy(DEFAULT_SEEDS_DIR / f"{ARTICLE}{suffix}", folder)
    return folder / f"{ARTICLE}.yaml"


def seed(db: Path, *paths: Path) -> str:
    result = runner.invoke(app, ["seed", *map(str, paths), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stderr


# `mart seed` as a user runs it, reporting which of the loader's modules it imported (typer
# imports pydantic for any command's parameters).
SEED_IMPORTS = """
import json, sys
from mart.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
loaded = ("sqlalchemy", "alembic", "mart.seedfiles", "mart.load", "mart.seeds", "pyarrow")
print(json.dumps([name for name in loaded if name in sys.modules]))
"""


def test_an_unchanged_article_is_answered_from_its_digest_alone(
    summary_mart: Path, article: Path
) -> None:
    assert seed(summary_mart, article) == f"loaded {ARTICLE}: 19 facts\n"
    before, stat = sha256(summary_mart), os.stat(summary_mart)
    done = subprocess.run(
        [sys.executable, "-c", SEED_IMPORTS, "seed", str(article), "--db", str(summary_mart)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    assert done.stderr == f"unchanged {ARTICLE}: skipped\n"
    assert json.loads(done.stdout) == []  # neither SQLAlchemy, nor Alembic, nor the loader
    assert sha256(summary_mart) == before
    assert os.stat(summary_mart).st_mtime_ns == stat.st_mtime_ns
    assert counts(summary_mart) == WITH_ARTICLE


def test_an_unchanged_article_opens_no_writer(
    summary_mart: Path, article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(summary_mart, article)

    def no_writer(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("publishing opened a writer")

    monkeypatch.setattr(publish, "publishing", no_writer)
    assert seed(summary_mart, article) == f"unchanged {ARTICLE}: skipped\n"


@pytest.mark.parametrize("changed", ["fact file", "text", "catalogue"])
def test_any_changed_input_is_reloaded(
    summary_mart: Path, article: Path, tmp_path: Path, changed: str
) -> None:
    catalogue = tmp_path / "catalogue.yaml"
    shutil.copy(DEFAULT_SEEDS_DIR / "catalogue.yaml", catalogue)
    seed(summary_mart, article)
    assert freshness.unchanged(summary_mart, [article], DEFAULT_SEEDS_DIR / "catalogue.yaml", False)
    edited = {
        "fact file": article,
        "text": article.with_suffix(".txt"),
        "catalogue": catalogue,
    }[changed]
    with edited.open("a", encoding="utf-8") as file:
        file.write("\n# one more line\n" if edited.suffix == ".yaml" else "\nOne more line.\n")
    used = catalogue if changed == "catalogue" else DEFAULT_SEEDS_DIR / "catalogue.yaml"
    assert not freshness.unchanged(summary_mart, [article], used, False)
    if changed != "catalogue":  # `mart seed` of a file reads the repository's catalogue
        assert seed(summary_mart, article) == f"loaded {ARTICLE}: 19 facts\n"
        assert seed(summary_mart, article) == f"unchanged {ARTICLE}: skipped\n"


def test_a_file_the_digests_cannot_vouch_for_goes_to_the_full_load(
    summary_mart: Path, article: Path, tmp_path: Path
) -> None:
    seed(summary_mart, article)
    catalogue = DEFAULT_SEEDS_DIR / "catalogue.yaml"
    assert freshness.unchanged(summary_mart, [article], catalogue, False)
    # Named twice, a directory, a text behind a symlink: the full load decides.
    assert not freshness.unchanged(summary_mart, [article, article], catalogue, False)
    assert operations.seed_unchanged(f"duckdb:///{summary_mart}", [article.parent]) == []
    text = article.with_suffix(".txt")
    elsewhere = tmp_path / "elsewhere.txt"
    text.rename(elsewhere)
    text.symlink_to(elsewhere)
    assert not freshness.unchanged(summary_mart, [article], catalogue, False)
    assert freshness.unchanged(summary_mart, [article], catalogue, True)


def test_the_migrations_head_is_alembics() -> None:
    assert freshness.migrations_head() == migrate.head()


def test_a_new_article_is_written_in_the_file_when_no_one_holds_it(
    summary_mart: Path, article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_copy(*_args: object) -> None:
        raise AssertionError("the mart was copied")

    monkeypatch.setattr(publish, "_copy", no_copy)
    inode = os.stat(summary_mart).st_ino
    assert seed(summary_mart, article) == f"loaded {ARTICLE}: 19 facts\n"
    assert os.stat(summary_mart).st_ino == inode
    assert counts(summary_mart) == WITH_ARTICLE
    assert sorted(p.name for p in summary_mart.parent.iterdir()) == [
        "mart.duckdb",
        "mart.duckdb.lock",
    ]


def test_a_reader_holding_the_file_keeps_the_old_mart_while_an_article_is_seeded(
    summary_mart: Path, article: Path
) -> None:
    reader = subprocess.Popen(
        [sys.executable, "-c", HOLDING_READER, str(summary_mart)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout and reader.stdin
        assert json.loads(reader.stdout.readline()) == list(SUMMARY_ONLY)
        inode = os.stat(summary_mart).st_ino
        assert seed(summary_mart, article) == f"loaded {ARTICLE}: 19 facts\n"
        assert os.stat(summary_mart).st_ino != inode  # published as a copy: the reader's stays
        reader.stdin.write("again\n")
        reader.stdin.flush()
        assert json.loads(reader.stdout.readline()) == list(SUMMARY_ONLY)
    finally:
        reader.kill()
        reader.wait()
    assert counts(summary_mart) == WITH_ARTICLE


def test_a_refused_article_leaves_the_file_as_it_was(
    summary_mart: Path, article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The checks pass; the database refuses a last statement, after the facts are written in
    # the file itself.
    refused = (
        "insert into period (period_label, grain, start_on, end_on) "
        "values ('refused', 'day', date '2017-01-02', date '2017-01-01')"
    )
    write_sql = write.write_sql
    monkeypatch.setattr(write, "write_sql", lambda **o: [*write_sql(**o), refused])
    engine = make_engine(f"duckdb:///{summary_mart}", read_only=True)
    before, rows = sha256(summary_mart), snapshot(engine)
    engine.dispose()

    result = runner.invoke(app, ["seed", str(article), "--db", str(summary_mart)])

    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {article}: the database refused it: ")
    engine = make_engine(f"duckdb:///{summary_mart}", read_only=True)
    assert snapshot(engine) == rows
    engine.dispose()
    assert sha256(summary_mart) == before
    assert sorted(p.name for p in summary_mart.parent.iterdir()) == [
        "mart.duckdb",
        "mart.duckdb.lock",
    ]


# Opens the file anew on every read until a stop file appears; what it saw, and its errors.
OPENING_READER = f"""
import duckdb, json, os, sys
path, stop = sys.argv[1:]
seen, errors, reads = set(), set(), 0
while not os.path.exists(stop):
    try:
        with duckdb.connect(path, read_only=True) as connection:
            seen.add(tuple(connection.execute({COUNTS!r}).fetchone()))
    except duckdb.IOException as error:
        errors.add("locked" if "Could not set lock on file" in str(error) else str(error))
    reads += 1
    if reads == 1:
        print("reading", flush=True)
print(json.dumps({{"seen": sorted(seen), "errors": sorted(errors), "reads": reads}}), flush=True)
"""


def test_a_reader_opening_during_an_in_place_write_sees_the_old_or_the_new_mart(
    summary_mart: Path, article: Path, tmp_path: Path
) -> None:
    """Never half: while the article is written, DuckDB refuses the reader the file."""
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", OPENING_READER, str(summary_mart), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout and reader.stdout.readline() == "reading\n"
        command = [sys.executable, "-m", "mart", "seed", str(article), "--db", str(summary_mart)]
        done = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT)
        assert done.stderr.splitlines()[-1] == f"loaded {ARTICLE}: 19 facts"
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=60)
    report = json.loads(out)
    assert report["reads"] > 3
    assert [tuple(s) for s in report["seen"]] == [SUMMARY_ONLY, WITH_ARTICLE]
    assert report["errors"] in ([], ["locked"])


LATER = "samsung-q2-2017-results-summary"  # supersedes the guidance of samsung-q2-2017-guidance
SUPERSEDED = "select count(*) from statement where known_until is not null"


@pytest.mark.parametrize("few_facts", [seeds.FEW_FACTS, 0])
def test_an_article_that_supersedes_older_statements_keeps_known_until_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, few_facts: int
) -> None:
    """Both ways mart.vintages keeps known_until (the touched facts' statements copied out, or
    the statement table filtered) update the older statements an article supersedes."""
    monkeypatch.setattr(seeds, "FEW_FACTS", few_facts)
    earlier = tmp_path / "earlier"
    shutil.copytree(DEFAULT_SEEDS_DIR, earlier, ignore=shutil.ignore_patterns(f"{LATER}.*"))
    engine = make_engine(f"duckdb:///{tmp_path / 'mart.duckdb'}")
    operations.build(engine, [earlier])
    with engine.connect() as connection:
        before = connection.exec_driver_sql(SUPERSEDED).scalar()
    operations.seed(engine, [DEFAULT_SEEDS_DIR / f"{LATER}.yaml"])
    with engine.connect() as connection:
        after = connection.exec_driver_sql(SUPERSEDED).scalar()
        vintage = [r for r in checks.run(connection) if r.check.name == "known_until_is_exact"]
    engine.dispose()
    assert (before, after) == (6, 10)
    assert [r.rows for r in vintage] == [[]]
