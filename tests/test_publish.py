"""Writes to a DuckDB file are published atomically: readers see the old mart or the new one.

Readers run in subprocesses: in one process DuckDB shares a file's handle between connections
and refuses to open it again with a different read_only setting.
"""

import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import Connection
from typer.testing import CliRunner

from mart import operations, refresh, seeds, views
from mart.cli import app
from mart.config import DEFAULT_SEEDS_DIR
from mart.db import MartError, make_engine
from mart.load import write
from mart.publish import database_file, publishing
from tests.conftest import SEEDED_SOURCES, SEEDED_STATEMENTS
from tests.test_seeds import GOOD

runner = CliRunner()

# The Global Times summary alone, then with every other seed file: (facts, sources).
SUMMARY_ONLY = (13, 1)
BOTH = (SEEDED_STATEMENTS, SEEDED_SOURCES)
WITH_ARTICLE = (32, 2)  # the summary and the founding article
COUNTS = "select (select count(*) from fact_provenance), (select count(*) from source)"

# Holds the file open read-only: prints what it reads, reads again when told to, then exits.
HOLDING_READER = f"""
import duckdb, sys
connection = duckdb.connect(sys.argv[1], read_only=True)
print(list(connection.execute({COUNTS!r}).fetchone()), flush=True)
sys.stdin.readline()
print(list(connection.execute({COUNTS!r}).fetchone()), flush=True)
"""

# Opens the file anew on every read until a stop file appears, then reads once more.
POLLING_READER = f"""
import duckdb, json, os, sys
path, stop = sys.argv[1:]
seen, errors, reads = set(), [], 0
while True:
    stopping = os.path.exists(stop)
    try:
        with duckdb.connect(path, read_only=True) as connection:
            seen.add(tuple(connection.execute({COUNTS!r}).fetchone()))
    except Exception as error:
        errors.append(str(error))
    reads += 1
    if reads == 1:
        print("reading", flush=True)
    if stopping:
        break
print(json.dumps({{"seen": sorted(seen), "errors": errors[:3], "reads": reads}}), flush=True)
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "mart" / "mart.duckdb"


@pytest.fixture
def summary_seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "summary-seeds"
    folder.mkdir()
    for name in ("catalogue.yaml", "globaltimes-2017-07-07-summary.txt"):
        shutil.copy(DEFAULT_SEEDS_DIR / name, folder / name)
    shutil.copy(DEFAULT_SEEDS_DIR / "globaltimes-2017-07-07-summary.yaml", folder)
    return folder


@pytest.fixture
def summary_built(db: Path, summary_seeds: Path) -> Path:
    db.parent.mkdir()
    result = runner.invoke(app, ["build", "--db", str(db), "--seeds", str(summary_seeds)])
    assert result.exit_code == 0, result.output
    return db


def counts(db: Path) -> tuple[int, int]:
    with duckdb.connect(str(db), read_only=True) as connection:
        row = connection.execute(COUNTS).fetchone()
    assert row is not None
    return row[0], row[1]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(db: Path, *more: str) -> None:
    result = runner.invoke(app, ["build", "--db", str(db), *more])
    assert result.exit_code == 0, result.output


def test_a_reader_holding_the_file_keeps_the_old_mart_and_the_build_succeeds(
    summary_built: Path,
) -> None:
    reader = subprocess.Popen(
        [sys.executable, "-c", HOLDING_READER, str(summary_built)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout and reader.stdin
        assert json.loads(reader.stdout.readline()) == list(SUMMARY_ONLY)
        build(summary_built)
        reader.stdin.write("again\n")
        reader.stdin.flush()
        assert json.loads(reader.stdout.readline()) == list(SUMMARY_ONLY)
    finally:
        reader.kill()
        reader.wait()
    assert counts(summary_built) == BOTH
    assert sorted(p.name for p in summary_built.parent.iterdir()) == [
        "mart.duckdb",
        "mart.duckdb.lock",
    ]


def test_a_polling_reader_sees_the_old_or_the_new_mart_never_an_error(
    summary_built: Path, tmp_path: Path
) -> None:
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", POLLING_READER, str(summary_built), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout
        assert reader.stdout.readline() == "reading\n"
        build(summary_built)  # loads the Gizbot article
        build(summary_built)  # unchanged, published again
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=60)
    report = json.loads(out)
    assert report["errors"] == []
    assert report["reads"] > 3
    assert [tuple(s) for s in report["seen"]] == [SUMMARY_ONLY, BOTH]


def test_a_failed_load_leaves_the_file_byte_for_byte_unchanged(
    summary_built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The checks pass; the database itself refuses a last statement, after the facts are written.
    bad = tmp_path / "bad-seeds"
    bad.mkdir()
    shutil.copy(DEFAULT_SEEDS_DIR / "xiaomi-q2-2017-shipments.txt", bad / "article.txt")
    (bad / "a-good.yaml").write_text(GOOD, encoding="utf-8")
    refused = (
        "insert into period (period_label, grain, start_on, end_on) "
        "values ('refused', 'day', date '2017-01-02', date '2017-01-01')"
    )
    write_sql = write.write_sql
    monkeypatch.setattr(write, "write_sql", lambda **o: [*write_sql(**o), refused])
    before = sha256(summary_built)

    result = runner.invoke(app, ["build", "--db", str(summary_built), "--seeds", str(bad)])

    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {bad / 'a-good.yaml'}: the database refused it: ")
    assert sha256(summary_built) == before
    assert sorted(p.name for p in summary_built.parent.iterdir()) == [
        "mart.duckdb",
        "mart.duckdb.lock",
    ]


def test_a_build_failing_after_it_committed_steps_leaves_the_file_unchanged(
    summary_built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A build writes a copy, so it commits after the statements and after each stored view's
    # rows (DuckDB frees their memory); a failure after those commits still discards the copy.
    steps: list[str] = []
    commit_step = seeds._commit_step

    def counted(connection: Connection) -> Callable[[], None]:
        commit = commit_step(connection)
        return lambda: (commit(), steps.append("committed"))[0]

    def refused(*_args: object) -> None:
        raise MartError(f"refused after {len(steps)} committed step")

    monkeypatch.setattr(seeds, "_commit_step", counted)
    monkeypatch.setattr(refresh, "after_load", refused)
    before = sha256(summary_built)

    result = runner.invoke(app, ["build", "--db", str(summary_built)])

    assert result.exit_code == 1
    assert result.stderr == "error: refused after 1 committed step\n"
    assert sha256(summary_built) == before
    assert sorted(p.name for p in summary_built.parent.iterdir()) == [
        "mart.duckdb",
        "mart.duckdb.lock",
    ]


def test_a_build_commits_after_the_statements_and_each_stored_view(
    db: Path, summary_seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps: list[int] = []
    commit_step = seeds._commit_step

    def counted(connection: Connection) -> Callable[[], None]:
        commit = commit_step(connection)
        return lambda: (commit(), steps.append(counts_in(connection)))[0]

    monkeypatch.setattr(seeds, "_commit_step", counted)
    db.parent.mkdir()
    build(db, "--seeds", str(summary_seeds))

    stored = [v for v in views.load() if v.stored]
    assert len(steps) == 1 + len(stored)
    assert steps == [SUMMARY_ONLY[0]] * len(steps)
    assert counts(db) == SUMMARY_ONLY


def counts_in(connection: Connection) -> int:
    return int(connection.exec_driver_sql("select count(*) from statement").scalar_one())


@pytest.mark.parametrize(
    "command",
    [
        ["seed", "{tmp}/nowhere.yaml"],
        ["migrate", "nope"],
        ["downgrade", "nope"],
    ],
)
def test_failed_commands_leave_the_file_unchanged(
    summary_built: Path, tmp_path: Path, command: list[str]
) -> None:
    before = sha256(summary_built)
    args = [arg.format(tmp=tmp_path) for arg in command]
    result = runner.invoke(app, [*args, "--db", str(summary_built)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert sha256(summary_built) == before
    assert len(list(summary_built.parent.iterdir())) == 2


def test_a_failing_block_discards_its_writes(summary_built: Path) -> None:
    before = sha256(summary_built)
    engine = make_engine(f"duckdb:///{summary_built}")
    with pytest.raises(RuntimeError), publishing(engine) as target:
        with target.begin() as connection:
            connection.exec_driver_sql("delete from statement")
        raise RuntimeError("interrupted after a commit")
    assert sha256(summary_built) == before
    assert counts(summary_built) == SUMMARY_ONLY
    assert len(list(summary_built.parent.iterdir())) == 2


def test_seeding_a_missing_file_creates_no_database(db: Path) -> None:
    db.parent.mkdir()
    with pytest.raises(MartError, match="not at head"):
        operations.seed(make_engine(f"duckdb:///{db}"), [DEFAULT_SEEDS_DIR])
    assert [p.name for p in db.parent.iterdir()] == ["mart.duckdb.lock"]


def test_a_missing_directory_is_one_clear_line(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "mart.duckdb"
    result = runner.invoke(app, ["build", "--db", str(target)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: cannot write {target}: No such file or directory "
        "(check --db or MART_DATABASE_URL)\n"
    )


def test_a_log_from_an_interrupted_write_is_kept(summary_built: Path) -> None:
    # A writer that dies before its checkpoint leaves committed rows only in mart.duckdb.wal.
    code = (
        "import duckdb, os, sys; c = duckdb.connect(sys.argv[1]); "
        "c.execute(\"set checkpoint_threshold = '1TB'\"); "
        'c.execute("create table note as select 42 as answer"); os._exit(0)'
    )
    subprocess.run([sys.executable, "-c", code, str(summary_built)], check=True)
    assert (summary_built.parent / "mart.duckdb.wal").exists()

    build(summary_built)

    with duckdb.connect(str(summary_built), read_only=True) as connection:
        assert connection.execute("select answer from note").fetchall() == [(42,)]
    assert counts(summary_built) == BOTH
    assert len(list(summary_built.parent.iterdir())) == 2


def test_leftovers_of_a_build_that_died_are_removed(summary_built: Path) -> None:
    for name in (".mart.duckdb.4242.building", ".mart.duckdb.4242.building.wal"):
        (summary_built.parent / name).write_bytes(b"half a mart")
    spill = summary_built.parent / ".mart.duckdb.4242.building.tmp"  # DuckDB's spill folder
    spill.mkdir()
    (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"spilled")
    build(summary_built)
    assert len(list(summary_built.parent.iterdir())) == 2


def test_another_program_writing_the_file_is_refused(summary_built: Path) -> None:
    code = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print(1, flush=True); "
    code += "time.sleep(60)"
    writer = subprocess.Popen(
        [sys.executable, "-c", code, str(summary_built)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout and writer.stdout.readline() == "1\n"
        before = sha256(summary_built)
        result = runner.invoke(app, ["build", "--db", str(summary_built)])
    finally:
        writer.kill()
        writer.wait()
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {summary_built} is open for writing in another program: "
        "close it and run this again\n"
    )
    assert sha256(summary_built) == before


def test_two_builds_take_turns(summary_built: Path) -> None:
    command = [sys.executable, "-m", "mart", "build", "--db", str(summary_built)]
    builds = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = []
    for process in builds:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        outputs.append(err)
    # The second copies the first one's result, so it finds the article already loaded.
    loaded = [o for o in outputs if "loaded xiaomi-q2-2017-shipments: 19 facts" in o]
    unchanged = [o for o in outputs if "unchanged xiaomi-q2-2017-shipments: skipped" in o]
    assert (len(loaded), len(unchanged)) == (1, 1)
    assert counts(summary_built) == BOTH


def test_only_duckdb_files_are_published(tmp_path: Path) -> None:
    assert database_file(make_engine(f"duckdb:///{tmp_path}/m.duckdb")) == tmp_path / "m.duckdb"
    assert database_file(make_engine("duckdb:///:memory:")) is None
    assert database_file(make_engine("postgresql+psycopg:///mart")) is None
    memory = make_engine("duckdb:///:memory:")
    with publishing(memory) as target:
        assert target is memory


WRITER = "import duckdb, sys; duckdb.connect(sys.argv[1]).execute('create table notes (x int)')"


def test_no_other_program_can_write_while_a_write_is_published(summary_built: Path) -> None:
    """Whatever another program committed between the copy and the rename would be lost."""
    engine = make_engine(f"duckdb:///{summary_built}")
    with publishing(engine) as staging:
        late = subprocess.run(
            [sys.executable, "-c", WRITER, str(summary_built)], capture_output=True, text=True
        )
        assert late.returncode == 1
        assert "Could not set lock on file" in late.stderr
        operations.seed(staging, [DEFAULT_SEEDS_DIR / "xiaomi-q2-2017-shipments.yaml"])
    engine.dispose()
    assert counts(summary_built) == WITH_ARTICLE
    after = subprocess.run([sys.executable, "-c", WRITER, str(summary_built)])
    assert after.returncode == 0  # once published, the file is anyone's again


def test_a_symlinked_mart_is_published_through_the_link(summary_built: Path) -> None:
    link = summary_built.with_name("link.duckdb")
    link.symlink_to(summary_built)
    build(link)
    assert link.is_symlink() and link.resolve() == summary_built
    assert counts(summary_built) == BOTH


def test_a_second_writer_says_it_waits(summary_built: Path) -> None:
    import fcntl

    with summary_built.with_name(summary_built.name + ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        waiting = subprocess.Popen(
            [sys.executable, "-m", "mart", "build", "--db", str(summary_built)],
            stderr=subprocess.PIPE,
            text=True,
        )
        assert waiting.stderr is not None
        assert waiting.stderr.readline() == (
            f"waiting for another write to {summary_built} to finish ...\n"
        )
    _, rest = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, rest
    assert counts(summary_built) == BOTH
