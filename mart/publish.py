"""Atomic publishing of a DuckDB mart: readers see the old mart or the new one, never half.

Writes go to a copy that replaces the file when done, or, for a small change (`mart seed`) when
no other program has the file open, into the file itself in DuckDB's own transaction, holding
the file so that no reader opens it meanwhile. A reader holding the file never makes a write
fail: DuckDB lets no writer open a file that a reader holds, but `os.replace` does not need to
open it. Readers that have the old file open keep reading it.
"""

import fcntl
import glob
import os
import shutil
import sys
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Engine

from mart.db import MartError, make_engine

# The engines of copies being written: nobody else reads a copy, and a failed write deletes it.
_COPIES: "weakref.WeakSet[Engine]" = weakref.WeakSet()


def writes_a_copy(engine: Engine) -> bool:
    """Whether the engine writes a copy that replaces the mart when done (not the mart itself):
    its writer may commit in steps, a failure still leaves the mart as it was."""
    return engine in _COPIES


def database_file(engine: Engine) -> Path | None:
    """The DuckDB file an engine opens; None for PostgreSQL and in-memory DuckDB."""
    database = engine.url.database
    if engine.dialect.name != "duckdb" or not database or database.startswith(":memory:"):
        return None
    # Through a symlink, the real file is the one to replace (and to lock).
    return Path(os.path.realpath(database))


@contextmanager
def publishing(engine: Engine, in_place: bool = False) -> Iterator[Engine]:
    """Yield the engine to write with; when the block succeeds, its writes become visible at once.

    PostgreSQL and in-memory DuckDB get `engine` back: their transactions already do this. For a
    DuckDB file, writers take turns (a second one waits for the first to finish). With
    `in_place` (a small change), when no other program has the file open, the block writes to
    the file itself in DuckDB's own transaction, holding the file so that no reader opens it
    half-written. Otherwise the file is copied beside itself (a reflink where the file system
    has them), the block writes to the copy, and the copy replaces the file. If the block
    fails, its transaction or its copy is discarded and the file keeps the same rows.
    """
    path = database_file(engine)
    if path is None:
        yield engine
        return
    with _writer_lock(path):
        alone = _held_alone(path) if in_place else None
        if alone is not None:
            with alone:
                try:
                    yield engine
                    with engine.connect() as connection:
                        connection.exec_driver_sql("checkpoint")  # readers read the file alone
                finally:
                    engine.dispose()  # DuckDB's handle; then ours, the last lock, closes
            return
        with _no_other_writer(path) as held:
            yield from _published_copy(engine, path, held)


def _held_alone(path: Path) -> BinaryIO | None:
    """The file opened and locked as DuckDB locks a file it writes, or None when another
    program has it open (a reader's shared lock, a writer's exclusive one) or it is missing.

    Held until DuckDB has closed the file: no reader can open it meanwhile (DuckDB refuses them
    the lock, they see no half-written file), and POSIX drops a process's locks on a file when
    it closes any descriptor of it, so this one closes last.
    """
    try:
        held = path.open("r+b")
    except OSError:
        return None
    try:
        fcntl.lockf(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        held.close()
        return None
    return held


def _published_copy(engine: Engine, path: Path, held: BinaryIO | None) -> Iterator[Engine]:
    building = path.with_name(f".{path.name}.{os.getpid()}.building")
    try:
        _copy(path, held, building)
        staging = make_engine(
            engine.url.set(database=str(building)).render_as_string(hide_password=False)
        )
        _COPIES.add(staging)
        try:
            yield staging
            with staging.connect() as connection:
                connection.exec_driver_sql("checkpoint")  # the copy must not need its log
        finally:
            staging.dispose()  # closes DuckDB's handle on the copy
        _fsync(building)
        engine.dispose()  # its pooled connections would go on reading the replaced file
        # The log's transactions are in the copy, and DuckDB refuses a log from another file.
        _wal(path).unlink(missing_ok=True)
        os.replace(building, path)
        _fsync(path.parent)
    except BaseException:
        _wal(building).unlink(missing_ok=True)
        building.unlink(missing_ok=True)
        raise


@contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    # A lock file, not the database: the database is replaced, so a lock on it would be lost.
    try:
        lock = path.with_name(path.name + ".lock").open("a")
    except OSError as error:
        raise MartError(
            f"cannot write {path}: {error.strerror} (check --db or MART_DATABASE_URL)"
        ) from None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another write to {path} to finish ...", file=sys.stderr)
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed, or we die
        # Holding the lock, any copy still here is from a writer that died: it is garbage.
        # DuckDB's spill folder beside a copy (`.building.tmp`) is a directory.
        for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.building*"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
        yield


@contextmanager
def _no_other_writer(path: Path) -> Iterator[BinaryIO | None]:
    """Hold a shared lock on the mart from before the copy until it is replaced.

    DuckDB holds a write lock on a file it has open for writing: copying it then could copy
    half a transaction, and whatever it committed after the copy would be lost at the rename.
    While this shared lock is held no such writer can start (DuckDB's readers share it). POSIX
    drops all of a process's locks on a file when it closes any descriptor of it: the copy
    reads through this one.
    """
    if not path.exists():
        yield None
        return
    with path.open("rb") as held:
        try:
            fcntl.lockf(held, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise MartError(
                f"{path} is open for writing in another program: close it and run this again"
            ) from None
        yield held


def _copy(path: Path, held: BinaryIO | None, building: Path) -> None:
    """Copy the mart (read through `held`) and its write-ahead log, if any; DuckDB replays a
    log beside the copy."""
    if held is None:
        return
    if _wal(path).exists():
        shutil.copyfile(_wal(path), _wal(building))
    held.seek(0)
    with building.open("wb") as copy:
        try:  # a reflink shares the blocks until either file writes them: no copy at all
            fcntl.ioctl(copy.fileno(), FICLONE, held.fileno())
        except OSError:  # ext4, tmpfs, another file system: the bytes themselves
            _copy_bytes(held, copy)
    shutil.copymode(path, building)


FICLONE = 0x40049409  # linux/fs.h: _IOW(0x94, 9, int)


def _copy_bytes(source: BinaryIO, target: BinaryIO) -> None:
    """In the kernel where it can (copy_file_range), else through a buffer."""
    size = os.fstat(source.fileno()).st_size
    offset = 0
    try:
        while offset < size:
            copied = os.copy_file_range(source.fileno(), target.fileno(), size - offset, offset)
            if copied == 0:
                break
            offset += copied
    except OSError:
        if offset:
            raise
        source.seek(0)
        shutil.copyfileobj(source, target, length=16 << 20)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
