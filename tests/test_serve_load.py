"""`mart serve` while `mart build` republishes the file: clients see old or new, never half."""

import contextlib
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from mart.config import DEFAULT_SEEDS_DIR
from tests.conftest import SEEDED_SOURCES
from tests.serving import build_mart, serving

# Enough clients that answers are in flight on several sessions at each swap; the load itself
# (a hundred clients in tight loops across republishing) is bench/soak.py's --republish.
CLIENTS = 4
QUERIES_AFTER = 10  # each client's queries once both rebuilds are published
PAUSE = 0.25  # seconds between a client's queries while the rebuilds run: they must not starve
MOST_QUERIES = 240  # a bound on each client's loop (a minute), should a rebuild never finish
# One query a BI dashboard could run: its answer tells which version of the mart it came from.
DASHBOARD = (
    "select (select count(*) from fact_provenance) as facts, "
    "(select count(*) from source) as sources, "
    "(select sum(units) from shipments_quarterly) as units"
)


def _small_seeds(seeds: Path) -> Path:
    """The catalogue and one article: a mart `mart build` makes in a fraction of the seeds'
    time, so that the rebuilds a test waits for are quick."""
    seeds.mkdir()
    for name in ("catalogue.yaml", "xiaomi-q2-2017-shipments.txt", "xiaomi-q2-2017-shipments.yaml"):
        (seeds / name).write_bytes((DEFAULT_SEEDS_DIR / name).read_bytes())
    return seeds


def _add_article(seeds: Path, number: int) -> Path:
    """One more article in the seeds (the repository's, if seeds is not there yet), so each
    rebuilt mart differs from the one before."""
    if not seeds.exists():
        shutil.copytree(DEFAULT_SEEDS_DIR, seeds)
    quote = f"Acme {number} shipped 5 million smartphones in Q2 2017."
    (seeds / f"acme-{number}.txt").write_text(f"date 2017-07-10\n{quote}\n")
    (seeds / f"acme-{number}.yaml").write_text(
        f"""source:
  text: acme-{number}.txt
  title: Acme {number} ships 5 million phones
  publisher: Acme Wire
  url: https://example.com/acme-{number}
  published_on: 2017-07-10
companies:
  - {{key: acme-{number}, name: Acme {number}}}
facts:
  - metric: smartphone_shipments
    company: acme-{number}
    period: in Q2 2017
    value: 5 million
    basis: reported
    wording: 5 million smartphones
    quote: "{quote}"
"""
    )
    return seeds


def _build(path: Path, seeds: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mart", "build", "--db", str(path), "--seeds", str(seeds)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_connected_client_sees_the_rebuilt_mart_without_reconnecting(tmp_path: Path) -> None:
    path = build_mart(tmp_path / "mart.duckdb")
    smaller = _small_seeds(tmp_path / "smaller")
    with (
        serving(path) as server,
        psycopg.connect(server.dsn(), autocommit=True) as client,
        psycopg.connect(server.dsn()) as in_transactions,  # psycopg's default: BEGIN first
    ):
        assert client.execute("select count(*) from source").fetchone() == (SEEDED_SOURCES,)
        assert in_transactions.execute("select count(*) from source").fetchone() == (
            SEEDED_SOURCES,
        )
        in_transactions.commit()
        rebuilt = subprocess.run(
            [
                sys.executable,
                "-m",
                "mart",
                "build",
                "--db",
                str(tmp_path / "next.duckdb"),
                "--seeds",
                str(smaller),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert rebuilt.returncode == 0, rebuilt.stderr
        (tmp_path / "next.duckdb").replace(path)  # what `mart build` does when it publishes
        assert client.execute("select count(*) from source").fetchone() == (1,)
        assert client.execute("select count(*) from fact_provenance").fetchone() == (19,)
        assert in_transactions.execute("select count(*) from source").fetchone() == (1,)


@pytest.mark.parametrize("rebuilds", [2])
def test_clients_during_two_rebuilds(tmp_path: Path, rebuilds: int) -> None:
    """Clients querying before, during and after two rebuilds each get one whole version of
    the mart in every answer: the old one or a new one, never a mixture. The mart is small
    (_small_seeds): what is proved is the swap, not the size of what is swapped."""
    seeds = _small_seeds(tmp_path / "seeds")
    path = build_mart(tmp_path / "mart.duckdb", [seeds])
    with serving(path) as server:
        with psycopg.connect(server.dsn()) as first:
            before = first.execute(DASHBOARD).fetchone()
        answers: list[tuple[object, ...]] = []
        failures: list[str] = []
        lock = threading.Lock()
        start = threading.Barrier(CLIENTS + 1)
        built = threading.Event()

        def client() -> None:
            try:
                with psycopg.connect(server.dsn(), autocommit=True) as connection:
                    start.wait()
                    mine = []
                    # While the rebuilds run, paced and bounded; then a few more each.
                    while not built.is_set() and len(mine) < MOST_QUERIES:
                        mine.append(connection.execute(DASHBOARD).fetchone())
                        time.sleep(PAUSE)
                    for _ in range(QUERIES_AFTER):
                        mine.append(connection.execute(DASHBOARD).fetchone())
                with lock:
                    answers.extend(row for row in mine if row is not None)
            except Exception as error:  # every failure is reported, none is swallowed
                with lock:
                    failures.append(f"{type(error).__name__}: {error}")

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        start.wait()
        builds = [_build(path, _add_article(seeds, i)) for i in range(1, rebuilds + 1)]
        built.set()
        for thread in threads:
            thread.join(timeout=300)
        with psycopg.connect(server.dsn()) as last:
            after = last.execute(DASHBOARD).fetchone()

    assert failures == []
    assert [b.returncode for b in builds] == [0] * rebuilds, [b.stderr for b in builds]
    assert len(answers) >= CLIENTS * (QUERIES_AFTER + 1)  # each queried during and after
    assert before is not None and after is not None
    versions = {
        (before[0] + k, before[1] + k, before[2] + 5_000_000 * k) for k in range(rebuilds + 1)
    }
    assert after == max(versions)
    assert set(answers) <= versions  # every answer is one whole version of the mart
    assert {before, after} <= set(answers)  # the clients were served across the rebuilds


def test_an_idle_session_holds_no_old_version_of_the_file(tmp_path: Path) -> None:
    path = build_mart(tmp_path / "mart.duckdb")
    with serving(path) as server, psycopg.connect(server.dsn(), autocommit=True) as idle:
        assert idle.execute("select count(*) from source").fetchone() == (SEEDED_SOURCES,)
        descriptors = Path(f"/proc/{server.process.pid}/fd")
        if not descriptors.is_dir():
            pytest.skip("needs /proc to see the server's open files")
        rebuilt = tmp_path / "next.duckdb"
        shutil.copy(path, rebuilt)
        rebuilt.replace(path)  # a new version, published as `mart build` does
        with psycopg.connect(server.dsn(), autocommit=True) as busy:
            assert busy.execute("select count(*) from source").fetchone() == (SEEDED_SOURCES,)
        # DuckDB lets go of a closed database's file as its last reference goes: allow it a
        # moment on a busy machine.
        deadline = time.monotonic() + 5
        while (marts := _open_marts(descriptors)) != [str(path)] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marts == [str(path)]
        assert idle.execute("select count(*) from source").fetchone() == (SEEDED_SOURCES,)


def _open_marts(descriptors: Path) -> list[str]:
    """The mart files a process has open, as /proc names them ("... (deleted)" once replaced)."""
    names = []
    for descriptor in descriptors.iterdir():
        with contextlib.suppress(FileNotFoundError):  # closed while we looked
            names.append(os.readlink(descriptor))
    return [name for name in names if "mart.duckdb" in name]
