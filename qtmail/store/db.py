"""Opening the cache file: permissions, pragmas, migrations, corruption recovery, errors."""

from __future__ import annotations

import functools
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

from qtmail.core.errors import QT_TRANSLATE_NOOP, StorageError
from qtmail.store import outgoing_rows, pending, search
from qtmail.store.schema import SCHEMA_VERSION, NewerSchemaError, migrate, user_version

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

# The files SQLite keeps beside the database in WAL mode.
SIDE_SUFFIXES = ("-wal", "-shm")
BUSY_TIMEOUT_MS = 5000

# Primary result codes (https://sqlite.org/rescode.html). Extended codes carry the
# primary one in their low byte.
_PERM, _BUSY, _LOCKED, _NOMEM, _READONLY = 3, 5, 6, 7, 8
_IOERR, _CORRUPT, _FULL, _CANTOPEN, _PROTOCOL, _NOTADB = 10, 11, 13, 14, 15, 26

_BUSY_TEXT = QT_TRANSLATE_NOOP(
    "Errors", "The local mail cache is busy: another qtmail may be using the same profile.")
_NEWER_TEXT = QT_TRANSLATE_NOOP(
    "Errors", "The local mail cache was made by a newer version of qtmail.")
_DAMAGED_TEXT = QT_TRANSLATE_NOOP(
    "Errors", "The local mail cache is damaged; qtmail will rebuild it at the next start.")
_SENTENCES = {
    _FULL: QT_TRANSLATE_NOOP(
        "Errors", "The local mail cache could not be written: the disk may be full."),
    _IOERR: QT_TRANSLATE_NOOP(
        "Errors", "The local mail cache could not be read or written: the disk reported an error."),
    _READONLY: QT_TRANSLATE_NOOP(
        "Errors",
        "The local mail cache could not be written: the file or its folder is read-only."),
    _PERM: QT_TRANSLATE_NOOP(
        "Errors", "The local mail cache could not be opened: permission denied."),
    _CANTOPEN: "The local mail cache could not be opened: check that its folder exists "
               "and is writable.",
    _NOMEM: QT_TRANSLATE_NOOP("Errors", "The local mail cache ran out of memory."),
    _BUSY: _BUSY_TEXT,
    _LOCKED: _BUSY_TEXT,
    _PROTOCOL: _BUSY_TEXT,
    _CORRUPT: _DAMAGED_TEXT,
    _NOTADB: _DAMAGED_TEXT,
}

# os.umask() is process-wide: serialise our changes to it.
_umask_lock = threading.Lock()


class _Corrupt(Exception):
    """The file at hand is not a sound database (internal: triggers the move aside)."""


def result_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def as_storage_error(error: sqlite3.Error) -> StorageError | None:
    """The user's sentence for an environmental failure; None for a bug (bad SQL, misuse)."""
    code = result_code(error)
    sentence = _SENTENCES.get(code) if code is not None else None
    if sentence is None:
        return None
    name = getattr(error, "sqlite_errorname", "?")
    storage_error = StorageError(sentence, detail=f"{name}: {error}")
    # Another connection held the lock past busy_timeout: trying again later may work.
    storage_error.transient = code in (_BUSY, _LOCKED, _PROTOCOL)
    return storage_error


def is_corruption(error: sqlite3.Error) -> bool:
    return result_code(error) in (_CORRUPT, _NOTADB)


def damaged_marker(path: Path) -> Path:
    return Path(f"{path}.damaged")


def mark_damaged(path: Path) -> None:
    """Remember that SQLite reported corruption, for the next writer's open to act on.

    quick_check does not compare indexes with their tables, so without this mark a
    damaged index could fail every session while each start-up check passes.
    """
    try:
        damaged_marker(path).touch(mode=0o600)
    except OSError:
        log.warning("Could not mark the mail cache %s as damaged", path, exc_info=True)


def guarded(func: Callable[P, R]) -> Callable[P, R]:
    """Turn SQLite's environmental errors (disk full, I/O, locked) into StorageError."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except sqlite3.Error as error:
            storage_error = as_storage_error(error)
            if storage_error is None:
                raise
            raise storage_error from error

    return wrapper


def connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    """A connection to a ready, current-schema cache at `path` (see Store.open)."""
    if readonly:
        return _open_reader(path)
    try:
        if damaged_marker(path).exists():
            if path.exists():
                raise _Corrupt("SQLite reported damage during an earlier session")
            damaged_marker(path).unlink()  # the damaged file is gone already
        return _open_writer(path)
    except _Corrupt as corrupt:
        # RELIABILITY.md H.62: the cache can be rebuilt from the server, so a damaged
        # file is kept for inspection and replaced, never shown to the user as an error.
        try:
            aside = move_aside(path)
        except OSError as error:
            raise StorageError(_DAMAGED_TEXT, detail=f"{corrupt}; moving it aside: {error}"
                               ) from error
        log.warning("The mail cache %s is damaged (%s); moved it to %s and started afresh",
                    path, corrupt, aside)
        damaged_marker(path).unlink(missing_ok=True)
    try:
        conn = _open_writer(path)
    except _Corrupt as corrupt:
        _put_back(aside, path)
        raise StorageError(_DAMAGED_TEXT, detail=str(corrupt)) from corrupt
    except BaseException:
        _put_back(aside, path)
        raise
    try:
        rescue_from(aside, conn)
    except BaseException:
        conn.close()
        _put_back(aside, path)
        raise
    return conn


def rescue_from(aside: Path, conn: sqlite3.Connection) -> None:
    """Copy what exists only locally out of the damaged cache `aside` into the fresh one
    (RELIABILITY.md H.62: "pending operations rescued first"; the Outbox and drafts in
    progress too), before anyone uses it.

    If this fails (disk full), the open fails and connect() puts the damaged file back.
    """
    wal = Path(f"{aside}-wal")
    had_wal = wal.exists()
    try:
        pending.rescue(aside, conn)
        outgoing_rows.rescue(aside, conn)
    finally:
        # Reading in WAL mode made a -shm (only an index into the WAL), and an empty WAL
        # if there was none: leave the damaged file as it was found.
        Path(f"{aside}-shm").unlink(missing_ok=True)
        if not had_wal:
            wal.unlink(missing_ok=True)


def _put_back(aside: Path, path: Path) -> None:
    """The fresh cache could not be made or filled: restore the damaged file, marked, so
    the next start moves it aside and rescues again, rather than the only copy of the
    pending operations staying in a file no start looks at."""
    try:
        for suffix in ("", *SIDE_SUFFIXES):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(aside, path)
        if Path(f"{aside}-wal").exists():
            os.replace(Path(f"{aside}-wal"), Path(f"{path}-wal"))
    except OSError:
        log.warning("Could not put the damaged mail cache %s back", aside, exc_info=True)
        return
    mark_damaged(path)


@contextmanager
def _private_umask() -> Iterator[None]:
    with _umask_lock:
        previous = os.umask(0o077)
        try:
            yield
        finally:
            os.umask(previous)


def _restrict_permissions(path: Path) -> None:
    # RELIABILITY.md H.58. Files made by an older build, or copied in, may be wider.
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in SIDE_SUFFIXES)):
        try:
            if candidate.stat().st_mode & 0o777 != 0o600:
                os.chmod(candidate, 0o600)
        except FileNotFoundError:
            continue


def _open_writer(path: Path) -> sqlite3.Connection:
    with _private_umask():
        # The -wal and -shm files inherit the main file's mode (SQLite's unix VFS), so a
        # 0600 main file is what keeps them private; the umask covers their first creation.
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        os.close(fd)
        _restrict_permissions(path)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves (Store.transaction).
        # check_same_thread=False: the writer has one owner at a time, but ownership may
        # move once (opened by the command line, then run by a LiveSync thread).
        conn = sqlite3.connect(path, isolation_level=None, cached_statements=256,
                               check_same_thread=False)
        try:
            _configure_writer(conn)
            _check_integrity(conn)
            try:
                migrate(conn)
            except NewerSchemaError as error:
                raise StorageError(
                    _NEWER_TEXT,
                    detail=str(error)) from error
            search.register(conn)
            search.tune(conn)
            _restrict_permissions(path)
        except sqlite3.DatabaseError as error:
            conn.close()
            if is_corruption(error):
                raise _Corrupt(str(error)) from error
            raise
        except BaseException:
            conn.close()
            raise
    return conn


def _configure_writer(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
    # WAL: the GUI's read-only connection reads beside this writer (ARCHITECTURE.md 4).
    # It is the first statement that reads the file header, so a non-database fails here.
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        log.warning("The mail cache could not switch to WAL mode (it is in %s mode)", mode)
    # NORMAL is durable against application crashes and keeps integrity on power loss;
    # only the last commits may be lost, and headers and bodies can be refetched. What
    # exists only locally commits with FULL: Store.transaction(durable=True).
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    # Checkpoint every ~40 MB of WAL instead of every 4 MB: a first sync of 100,000
    # headers then copies its hot index pages into the database (with an fsync) a few
    # times instead of dozens; measured 15-30% faster. The limit then truncates the WAL
    # back to 16 MB after a checkpoint, so it does not stay at its high-water mark.
    conn.execute("PRAGMA wal_autocheckpoint = 10000")
    conn.execute("PRAGMA journal_size_limit = 16777216")


def _check_integrity(conn: sqlite3.Connection) -> None:
    # quick_check skips the index-content cross-checks of integrity_check: O(N), not
    # O(N log N), which keeps start-up fast on a big cache.
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if rows != [("ok",)]:
        raise _Corrupt("; ".join(str(row[0]) for row in rows[:5]))


def _open_reader(path: Path) -> sqlite3.Connection:
    # mode=ro: this connection can never write, not even by accident; WAL lets it read
    # while the worker's writer commits. It never creates, migrates or repairs the file:
    # that is the writer's job.
    uri = f"{path.resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, cached_statements=256)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        conn.execute("PRAGMA query_only = ON")
        search.register(conn)
        version = user_version(conn)
        if version != SCHEMA_VERSION:
            newer = version > SCHEMA_VERSION
            raise StorageError(
                _NEWER_TEXT if newer
                else QT_TRANSLATE_NOOP("Errors", "The local mail cache is not ready yet."),
                detail=f"schema {version}, expected {SCHEMA_VERSION}")
    except BaseException:
        conn.close()
        raise
    return conn


def move_aside(path: Path) -> Path:
    """Rename the file (and its WAL) to `<name>.corrupt-<timestamp>`; drop its -shm."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while aside.exists():
        counter += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    os.replace(path, aside)
    wal = Path(f"{path}-wal")
    if wal.exists():
        # The WAL may hold the newest commits: keep it with its database for inspection.
        os.replace(wal, Path(f"{aside}-wal"))
    # The -shm is only an index into the WAL, rebuilt on open: a stale one must not
    # be paired with the new file.
    Path(f"{path}-shm").unlink(missing_ok=True)
    return aside
