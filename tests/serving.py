"""Running `mart serve` for the tests: a real process on a free loopback port."""

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mart import operations
from mart.config import DEFAULT_SEEDS_DIR
from mart.db import make_engine
from tests.conftest import MART_TABLES, STORED_TABLES

MART_USER = "analyst"
# What the served mart lists: its views (one per mart/views/*.sql) and its tables.
PUBLIC_VIEWS = [
    "changes",
    "expectations",
    "fact_agreement",
    "fact_provenance",
    "growth",
    "level_comparisons",
    "market_positions",
    "market_shares",
    "metric_values",
    "part_sums",
    "patent_summary",
    "period_comparisons",
    "ratios",
    "revenue_growth",
    "revenue_targets",
    "revisions",
    "shipments_quarterly",
    "stated_comparisons",
    "store_footprint",
    "targets",
]
# The mart's tables, its stored views' and Alembic's.
TABLES = sorted(["alembic_version", *MART_TABLES, *STORED_TABLES])


@dataclass(frozen=True)
class Served:
    path: Path
    host: str
    port: int
    process: subprocess.Popen[str]
    password: str | None = None
    log: Path | None = None  # the server's stderr: its log lines

    def logged(self) -> str:
        assert self.log is not None
        return self.log.read_text()

    def rss_bytes(self) -> int:
        """The server's resident memory now (VmRSS of /proc/<pid>/status)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise AssertionError("no VmRSS line")

    def dsn(self, **extra: str) -> str:
        parts = {"host": self.host, "port": str(self.port), "dbname": "mart", "user": MART_USER}
        if self.password is not None:
            parts["password"] = self.password
        parts.update(extra)
        return " ".join(f"{k}='{v}'" for k, v in parts.items())

    def url(self, driver: str = "postgresql+psycopg") -> str:
        secret = f":{self.password}" if self.password else ""
        return f"{driver}://{MART_USER}{secret}@{self.host}:{self.port}/mart"


def build_mart(path: Path, seed_dirs: list[Path] | None = None) -> Path:
    engine = make_engine(f"duckdb:///{path}")
    try:
        operations.build(engine, seed_dirs or [DEFAULT_SEEDS_DIR])
    finally:
        engine.dispose()
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60.0) -> None:
    """Poll until condition() is true: a signal from the server (a log line, /proc), never a
    fixed sleep; fail saying what did not happen."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@contextmanager
def serving(path: Path, *options: str, password: str | None = None) -> Iterator[Served]:
    """`mart serve` on the file, on a free port, stopped afterwards."""
    arguments = [sys.executable, "-m", "mart", "serve", "--db", str(path), "--port", "0"]
    if password is not None:
        secret = path.parent / "password.txt"
        secret.write_text(password + "\n")
        arguments += ["--password-file", str(secret)]
    log = path.with_name(f"serve-{os.getpid()}-{id(arguments)}.log")  # its stderr: never full
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [*arguments, *options],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    assert process.stdout is not None
    line = process.stdout.readline()
    if "listening on" not in line:
        process.kill()
        process.wait()
        raise AssertionError(f"mart serve did not start: {line}{log.read_text()}")
    address = line.split("listening on ", 1)[1].split()[0]
    host, port = address.rsplit(":", 1)
    try:
        yield Served(path, host, int(port), process, password, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
