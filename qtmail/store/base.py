"""StoreBase: the writer or reader connection of a Store, its transactions and error mapping."""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import TracebackType
from typing import Concatenate, ParamSpec, Self, TypeVar

from qtmail.core.errors import QT_TRANSLATE_NOOP, StorageError
from qtmail.store.checkpoints import Checkpoints
from qtmail.store.db import (
    BUSY_TIMEOUT_MS,
    as_storage_error,
    connect,
    guarded,
    is_corruption,
    mark_damaged,
)
from qtmail.store.search import KnownWords

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound="StoreBase")


def checked(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Turn SQLite's environmental errors into StorageError; bugs pass through as they are."""

    @functools.wraps(method)
    def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as error:
            storage_error = self._storage_error(error)
            if storage_error is None:
                raise
            raise storage_error from error

    return wrapper


class StoreBase:
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
        self._checkpoints = None if readonly else Checkpoints(path, BUSY_TIMEOUT_MS)
        self._known_words = KnownWords()  # the search index's, between catch-up turns

    @classmethod
    @guarded
    def open(cls, path: Path, *, readonly: bool = False) -> Self:
        try:
            conn = connect(Path(path), readonly=readonly)
        except OSError as error:
            raise StorageError(QT_TRANSLATE_NOOP(
                "Errors", "The local mail cache could not be opened: check that its folder "
                "exists and is writable."), detail=str(error)) from error
        return cls(conn, readonly=readonly, path=Path(path))

    @property
    def readonly(self) -> bool:
        return self._readonly

    def close(self) -> None:
        """Close the connection; safe to call twice. An open transaction is rolled back."""
        if self._checkpoints is not None:
            self._checkpoints.close()
        conn, self._conn = self._conn, _closed_connection()
        conn.close()

    def __enter__(self) -> Self:
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
            if self._checkpoints is not None:
                self._checkpoints.nudge()
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

    def _durable_write(self) -> AbstractContextManager[None]:
        if self._readonly:
            raise RuntimeError("this Store was opened read-only")
        return self._transaction(True)


def _closed_connection() -> sqlite3.Connection:
    # A closed in-memory connection: any use after close() raises ProgrammingError
    # ("Cannot operate on a closed database"), a bug, as it should.
    conn = sqlite3.connect(":memory:")
    conn.close()
    return conn
