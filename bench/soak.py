"""Soak `mart serve`: well-behaved clients beside misbehaving ones, against a clean run.

python -m bench.soak [--clients 100] [--bad 20] [--seconds 30] [--republish 0]

--clients psycopg 3 sessions each run short queries in a loop (a count over 10,000 rows, a
100-row page of a table, a parameterised lookup) for --seconds; in the second run --bad more
clients misbehave at the same time, in turn: one reads a few rows of a 20M-row result and
vanishes, one sends a query and never reads, one fetches a page of a portal in a transaction
and vanishes, one connects and says nothing, one announces a 1 GiB message. Printed per run:
queries, failed queries, p50/p99 latency of the good clients, the server's peak RSS (sampled
every 0.1 s from /proc). Goal: no failed query, p99 within 2x of the clean run.

--republish N publishes a new version of the file N times during each run (a copy renamed over
it, as `mart build` publishes): the load under which tests/test_serve_load.py checks, with a
few clients, that every answer comes from one whole version.
"""

import argparse
import contextlib
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg
from rich.table import Table

from bench.common import console

QUERIES = [
    ("select count(*) from range(10000)", None),
    ("select * from bench_rows order by id limit 100", None),
    ("select label from bench_rows where id = %s", [4242]),
]


def _message(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("!i", 4 + len(body)) + body


def _startup() -> bytes:
    body = b"user\0soak\0database\0mart\0\0"
    return struct.pack("!ii", 8 + len(body), 196608) + body


def _ready(raw: socket.socket) -> None:
    received = b""
    while not (len(received) >= 6 and received[-6:-1] == b"Z\0\0\0\5"):
        chunk = raw.recv(65536)
        if not chunk:
            return
        received += chunk


def _vanish_mid_result(address: tuple[str, int]) -> None:
    with socket.create_connection(address, timeout=30) as raw:
        raw.sendall(_startup())
        _ready(raw)
        raw.sendall(_message(b"Q", b"select * from range(20000000) t(i)\0"))
        raw.recv(1 << 20)


def _never_read(address: tuple[str, int]) -> None:
    with socket.socket() as raw:
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        raw.settimeout(30)
        raw.connect(address)
        raw.sendall(_startup())
        _ready(raw)
        raw.sendall(_message(b"Q", b"select * from range(1000000000) t(i)\0"))
        time.sleep(2)


def _paged_then_gone(address: tuple[str, int]) -> None:
    with socket.create_connection(address, timeout=30) as raw:
        raw.sendall(_startup())
        _ready(raw)
        raw.sendall(_message(b"Q", b"begin\0"))
        _ready(raw)
        parse = b"\0select * from range(20000000) t(i)\0\0\0"
        execute = b"\0" + struct.pack("!i", 100)
        raw.sendall(
            _message(b"P", parse)
            + _message(b"B", b"\0\0\0\0\0\0\0\0")
            + _message(b"E", execute)
            + _message(b"S", b"")
        )
        _ready(raw)


def _silent(address: tuple[str, int]) -> None:
    with socket.create_connection(address, timeout=30):
        time.sleep(2)


def _huge_message(address: tuple[str, int]) -> None:
    with socket.create_connection(address, timeout=30) as raw:
        raw.sendall(_startup())
        _ready(raw)
        raw.sendall(b"Q" + struct.pack("!i", 1 << 30))
        while raw.recv(65536):
            pass


BAD: list[Callable[[tuple[str, int]], None]] = [
    _vanish_mid_result,
    _never_read,
    _paged_then_gone,
    _silent,
    _huge_message,
]


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass(frozen=True)
class Figures:
    queries: int
    failed: int
    p50_ms: float
    p99_ms: float
    peak_rss_mib: float
    misbehaved: int
    first_failure: str


def _republish(path: Path, times: int, seconds: float, deadline: float) -> None:
    """A new version of the file `times` times before the deadline: a copy renamed over it."""
    for _ in range(times):
        time.sleep(seconds / (times + 1))
        if time.monotonic() >= deadline:
            return
        copy = path.with_name(f".{path.name}.next")
        shutil.copy(path, copy)
        copy.replace(path)


def run(path: Path, clients: int, bad: int, seconds: float, republish: int = 0) -> Figures:
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "mart", "serve", "--db", str(path), "--port", "0"),
            *("--statement-timeout", "5", "--max-connections", str(clients + bad + 10)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        bound = server.stdout.readline().split("listening on ", 1)[1].split()[0]
        host, port = bound.rsplit(":", 1)
        address = (host, int(port))
        dsn = f"host={host} port={port} dbname=mart user=soak"
        deadline = time.monotonic() + seconds
        latencies: list[float] = []
        failures: list[str] = []
        misbehaved = [0]
        lock = threading.Lock()
        peak = [_rss_mib(server.pid)]

        def good(n: int) -> None:
            try:
                with psycopg.connect(dsn, autocommit=True) as connection:
                    i = n
                    while time.monotonic() < deadline:
                        sql, params = QUERIES[i % len(QUERIES)]
                        i += 1
                        started = time.perf_counter()
                        try:
                            connection.execute(sql, params).fetchall()
                        except psycopg.Error as error:
                            with lock:
                                failures.append(f"{type(error).__name__}: {error}")
                            continue
                        with lock:
                            latencies.append(time.perf_counter() - started)
            except psycopg.Error as error:
                with lock:
                    failures.append(f"connect: {error}")

        def misbehave(n: int) -> None:
            i = n
            while time.monotonic() < deadline:
                with contextlib.suppress(OSError):
                    BAD[i % len(BAD)](address)
                i += 1
                with lock:
                    misbehaved[0] += 1

        def sample() -> None:
            while time.monotonic() < deadline + 1:
                peak[0] = max(peak[0], _rss_mib(server.pid))
                time.sleep(0.1)

        threads = [threading.Thread(target=good, args=(n,)) for n in range(clients)]
        threads += [threading.Thread(target=misbehave, args=(n,)) for n in range(bad)]
        threads.append(threading.Thread(target=sample))
        if republish:
            threads.append(
                threading.Thread(target=_republish, args=(path, republish, seconds, deadline))
            )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with psycopg.connect(dsn, autocommit=True) as after:  # the server still answers
            after.execute("select 1").fetchall()
    finally:
        server.terminate()
        server.wait()
    ordered = sorted(latencies)
    return Figures(
        queries=len(latencies),
        failed=len(failures),
        p50_ms=statistics.median(ordered) * 1000 if ordered else float("nan"),
        p99_ms=ordered[int(len(ordered) * 0.99)] * 1000 if ordered else float("nan"),
        peak_rss_mib=peak[0],
        misbehaved=misbehaved[0],
        first_failure=failures[0] if failures else "",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--bad", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--republish", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "soak.duckdb"
        with duckdb.connect(str(path)) as file:
            file.execute(
                "create table bench_rows as select i::bigint as id, 'row ' || i as label "
                "from range(100000) t(i)"
            )
        clean = run(path, args.clients, 0, args.seconds, args.republish)
        soaked = run(path, args.clients, args.bad, args.seconds, args.republish)
    table = Table(
        title=f"{args.clients} clients for {args.seconds:g} s; then beside {args.bad} bad"
        + (f"; the file republished {args.republish} times in each" if args.republish else "")
    )
    for column in ("run", "queries", "failed", "p50 ms", "p99 ms", "peak RSS MiB", "bad acts"):
        table.add_column(column, justify="left" if column == "run" else "right")
    for label, figures in (("clean", clean), (f"+{args.bad} misbehaving", soaked)):
        table.add_row(
            label,
            f"{figures.queries:,}",
            str(figures.failed),
            f"{figures.p50_ms:.2f}",
            f"{figures.p99_ms:.2f}",
            f"{figures.peak_rss_mib:.0f}",
            str(figures.misbehaved),
        )
    console.print(table)
    for label, figures in (("clean", clean), ("soaked", soaked)):
        if figures.first_failure:
            console.print(f"{label}: first failure: {figures.first_failure}")
    ratio = soaked.p99_ms / clean.p99_ms
    met = soaked.failed == 0 and ratio <= 2
    console.print(
        f"p99 soaked / clean: {ratio:.2f}x; goal (0 failed, <= 2x): {'met' if met else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
