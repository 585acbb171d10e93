"""Store: the one object the rest of qtmail uses to read and write the local cache."""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import TracebackType
from typing import Concatenate, ParamSpec, TypeVar

from qtmail.core.errors import StorageError
from qtmail.core.types import (
    Flags,
    FolderCounts,
    FolderInfo,
    FolderSyncState,
    MessageSummary,
    Quota,
)
from qtmail.store import bodies, headers
from qtmail.store import folders as folder_rows
from qtmail.store.db import as_storage_error, connect, guarded, is_corruption, mark_damaged

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


def _checked(method: Callable[Concatenate[Store, P], R]) -> Callable[Concatenate[Store, P], R]:
    """Turn SQLite's environmental errors into StorageError; bugs pass through as they are."""

    @functools.wraps(method)
    def wrapper(self: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as error:
            storage_error = self._storage_error(error)
            if storage_error is None:
                raise
            raise storage_error from error

    return wrapper


class Store:
    """One connection to an account's cache file.

    The account worker holds the writer (``Store.open(path)``); the GUI may hold a
    reader (``readonly=True``) beside it. A Store belongs to the thread that opened it.
    Every write method is one transaction of its own, or joins the caller's
    ``transaction()``. Environmental failures (disk full, I/O) raise StorageError;
    a damaged file is replaced at open without an error.
    """

    def __init__(self, conn: sqlite3.Connection, *, readonly: bool, path: Path) -> None:
        self._conn = conn
        self._readonly = readonly
        self._depth = 0
        self._durable = False
        self.path = path

    @classmethod
    @guarded
    def open(cls, path: Path, *, readonly: bool = False) -> Store:
        try:
            conn = connect(Path(path), readonly=readonly)
        except OSError as error:
            raise StorageError("The local mail cache could not be opened: check that its "
                               "folder exists and is writable.", detail=str(error)) from error
        return cls(conn, readonly=readonly, path=Path(path))

    @property
    def readonly(self) -> bool:
        return self._readonly

    def close(self) -> None:
        """Close the connection; safe to call twice. An open transaction is rolled back."""
        conn, self._conn = self._conn, _closed_connection()
        conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------------

    def transaction(self, *, durable: bool = False) -> AbstractContextManager[None]:
        """Group writes: nested calls join the outermost transaction.

        A nested block that raises is undone on its own (a savepoint) before the error
        propagates. `durable=True` commits with ``synchronous=FULL`` for what exists only
        locally (RELIABILITY.md H); it must be set on the outermost transaction, since
        SQLite cannot change the safety level inside one.
        """
        return self._transaction(durable)

    @contextmanager
    def _transaction(self, durable: bool) -> Iterator[None]:
        if self._depth:
            if durable and not self._durable:
                raise RuntimeError("a durable transaction cannot join a non-durable one")
            yield from self._savepoint()
            return
        if durable:
            self._run("PRAGMA synchronous = FULL")
        try:
            self._run("BEGIN" if self._readonly else "BEGIN IMMEDIATE")
            self._depth, self._durable = 1, durable
            try:
                if self._readonly:
                    # A deferred BEGIN takes its snapshot at the first read: take it now,
                    # so every read inside the block sees the same commit.
                    self._run("SELECT count(*) FROM quota")
                yield
                self._run("COMMIT")
            except BaseException:
                self._rollback()
                raise
        finally:
            self._depth, self._durable = 0, False
            if durable:
                self._run("PRAGMA synchronous = NORMAL")

    def _savepoint(self) -> Iterator[None]:
        name = f"nested_{self._depth}"
        self._run(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._run(f"ROLLBACK TO {name}")
            self._run(f"RELEASE {name}")
            raise
        else:
            self._run(f"RELEASE {name}")
        finally:
            self._depth -= 1

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                # SQLite may already have rolled back (e.g. after SQLITE_FULL); the error
                # that got us here is the one worth reporting.
                log.debug("ROLLBACK failed", exc_info=True)

    def _run(self, sql: str) -> None:
        try:
            self._conn.execute(sql)
        except sqlite3.Error as error:
            storage_error = self._storage_error(error)
            if storage_error is None:
                raise
            raise storage_error from error

    def _storage_error(self, error: sqlite3.Error) -> StorageError | None:
        """The StorageError to raise for `error`; None for a bug, to re-raise as it is."""
        storage_error = as_storage_error(error)
        if storage_error is not None and is_corruption(error):
            # Our _DAMAGED_TEXT promises a rebuild at the next start: make it so.
            mark_damaged(self.path)
        return storage_error

    def _write(self) -> AbstractContextManager[None]:
        if self._readonly:
            raise RuntimeError("this Store was opened read-only")
        return self._transaction(False)

    # -- folders --------------------------------------------------------------------

    @_checked
    def save_folders(self, folders: Sequence[FolderInfo]) -> tuple[list[str], list[str]]:
        """Upsert the server's folder list; drop the folders no longer in it, with their
        messages, bodies and state. Returns (added names, removed names)."""
        with self._write():
            return folder_rows.save(self._conn, folders)

    @_checked
    def rename_folder(self, old: str, new: FolderInfo) -> bool:
        """One folder's new name, keeping its cache; False when `old` is unknown.
        Children are not renamed: the next save_folders() brings their names."""
        with self._write():
            return folder_rows.rename(self._conn, old, new)

    @_checked
    def folders(self) -> list[FolderInfo]:
        """All folders, ordered by name."""
        return folder_rows.all_folders(self._conn)

    @_checked
    def folder(self, name: str) -> FolderInfo | None:
        return folder_rows.one_folder(self._conn, name)

    @_checked
    def folder_state(self, name: str) -> FolderSyncState | None:
        """None for an unknown folder or one never synced."""
        return folder_rows.state(self._conn, name)

    @_checked
    def set_folder_state(self, name: str, state: FolderSyncState) -> None:
        """Raises FolderNotFound (a KeyError) for an unknown folder."""
        with self._write():
            folder_rows.set_state(self._conn, name, state)

    @_checked
    def reset_folder(self, name: str, uidvalidity: int) -> int:
        """UIDVALIDITY changed: drop the folder's messages and bodies, keep only the new
        UIDVALIDITY as state. Returns how many messages were dropped."""
        with self._write():
            return folder_rows.reset(self._conn, name, uidvalidity)

    # -- headers --------------------------------------------------------------------

    @_checked
    def add_summaries(self, folder: str, summaries: Sequence[MessageSummary]) -> None:
        """Insert or replace by (folder, uid) in one transaction; a replaced message keeps
        its cached body. Raises FolderNotFound for an unknown folder."""
        with self._write():
            headers.add(self._conn, folder_rows.require_folder_id(self._conn, folder), summaries)

    @_checked
    def set_flags(self, folder: str, changes: Mapping[int, Flags]) -> list[int]:
        """Store new flags; return the UIDs whose flags really changed, ascending.
        Unknown UIDs (and an unknown folder) are ignored."""
        with self._write():
            fid = folder_rows.folder_id(self._conn, folder)
            return [] if fid is None else headers.set_flags(self._conn, fid, changes)

    @_checked
    def remove_messages(self, folder: str, uids: Iterable[int]) -> list[int]:
        """Remove messages and their bodies; return the UIDs actually removed, ascending."""
        with self._write():
            fid = folder_rows.folder_id(self._conn, folder)
            return [] if fid is None else headers.remove(self._conn, fid, uids)

    @_checked
    def uids(self, folder: str) -> list[int]:
        """Every cached UID of the folder, ascending."""
        return headers.uids(self._conn, folder)

    @_checked
    def flags_map(self, folder: str) -> dict[int, Flags]:
        return headers.flags_map(self._conn, folder)

    @_checked
    def message_count(self, folder: str) -> int:
        return headers.count(self._conn, folder)

    @_checked
    def summaries(self, folder: str, *, offset: int = 0, limit: int = 100,
                  newest_first: bool = True) -> list[MessageSummary]:
        """A window of the folder ordered by (internaldate, uid), newest first by default."""
        return headers.window(self._conn, folder, offset=offset, limit=limit,
                              newest_first=newest_first)

    @_checked
    def summary(self, folder: str, uid: int) -> MessageSummary | None:
        return headers.one(self._conn, folder, uid)

    @_checked
    def counts(self, folder: str) -> FolderCounts:
        """Total and unread (no \\Seen); zeros for an unknown folder."""
        return folder_rows.counts(self._conn, folder)

    @_checked
    def all_counts(self) -> dict[str, FolderCounts]:
        return folder_rows.all_counts(self._conn)

    # -- bodies ---------------------------------------------------------------------

    @_checked
    def body(self, folder: str, uid: int) -> bytes | None:
        """The cached raw message, marked as just opened (by the writer only: a reader
        cannot write, so its reads leave the LRU order as it is)."""
        if self._readonly:
            return bodies.get(self._conn, folder, uid, touch=False)
        with self._write():
            return bodies.get(self._conn, folder, uid, touch=True)

    @_checked
    def put_body(self, folder: str, uid: int, raw: bytes) -> None:
        """Cache a raw message as just opened. Ignored when the message is not cached
        (removed meanwhile): a body is only ever shown beside its summary."""
        with self._write():
            if not bodies.put(self._conn, folder, uid, raw):
                log.debug("Body of %s/%d not cached: no such message", folder, uid)

    @_checked
    def has_body(self, folder: str, uid: int) -> bool:
        return bodies.has(self._conn, folder, uid)

    @_checked
    def body_bytes(self) -> int:
        """Total size of the cached bodies."""
        return bodies.total_bytes(self._conn)

    @_checked
    def evict_bodies(self, cap_bytes: int) -> int:
        """Evict least recently opened bodies until the total is <= cap; return how many."""
        with self._write():
            return bodies.evict(self._conn, cap_bytes)

    # -- server storage (RFC 9208) ----------------------------------------------------------

    @_checked
    def set_quota(self, quota: Quota | None) -> None:
        with self._write():
            bodies.set_quota(self._conn, quota)

    @_checked
    def quota(self) -> Quota | None:
        return bodies.get_quota(self._conn)


def _closed_connection() -> sqlite3.Connection:
    # A closed in-memory connection: any use after close() raises ProgrammingError
    # ("Cannot operate on a closed database"), a bug, as it should.
    conn = sqlite3.connect(":memory:")
    conn.close()
    return conn
