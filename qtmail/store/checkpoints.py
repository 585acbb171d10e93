"""WAL checkpoints beside the account's writer, on a thread of their own (issue 18).

In WAL mode a commit appends pages to the -wal file; a checkpoint copies them back into
the database and syncs it to disk. SQLite runs one inside the commit that takes the WAL
past ``wal_autocheckpoint`` pages: during a first sync of 100,000 headers that commit
took 85-100 ms of the account's worker (goal 3: never blocked for more than 50 ms),
5% of the whole sync (goal 1). Here a PASSIVE checkpoint (it never waits for readers
or the writer) runs on a connection of its own soon after commits, at most every
INTERVAL_S; SQLite releases Python's lock for the whole of it, so it runs on the other
core meanwhile. The writer's own autocheckpoint stays as the backstop, and finds little
left to copy.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)

INTERVAL_S = 0.2
"""Least time between two checkpoints: commits meanwhile wait for the next one."""
CLOSE_WAIT_S = 10.0
"""How long closing waits for a checkpoint in progress (seconds: copying 40 MB)."""
IDLE_S = 30.0
"""Without commits for this long the thread ends and closes its connection (the next
commit starts another): an idle account, or a Store never closed, keeps nothing open."""


class Checkpoints:
    """The checkpoints of one cache file; ``nudge`` after a commit, ``close`` before the
    writer closes."""

    def __init__(self, path: Path, busy_timeout_ms: int) -> None:
        self._path = path
        self._busy_timeout_ms = busy_timeout_ms
        self._wanted = threading.Event()
        self._stop = threading.Event()
        self._closed = False
        self._lock = threading.Lock()
        """Guards _thread: a nudge may come while the thread ends for being idle."""
        self._thread: threading.Thread | None = None

    def nudge(self) -> None:
        """Pages were committed: copy them back soon (from the writer's thread)."""
        if self._closed:
            return
        with self._lock:
            self._wanted.set()
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, daemon=True,
                                                name=f"checkpoints-{self._path.name}")
                self._thread.start()

    def close(self) -> None:
        """No more checkpoints: the one running (if any) finishes first."""
        self._closed = True
        self._stop.set()
        self._wanted.set()
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(CLOSE_WAIT_S)

    def _loop(self) -> None:
        try:
            conn = sqlite3.connect(self._path, isolation_level=None)
        except sqlite3.Error as error:
            log.info("No checkpoints beside the writer (%s): it makes its own", error)
            return
        try:
            self._run(conn)
        except sqlite3.Error as error:
            log.info("Checkpoints beside the writer stopped (%s): it makes its own", error)
        finally:
            conn.close()

    def _run(self, conn: sqlite3.Connection) -> None:
        conn.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms:d}")
        while True:
            if not self._wanted.wait(IDLE_S):
                with self._lock:
                    if not self._wanted.is_set():  # (else a nudge came just now)
                        self._thread = None
                        return
            if self._closed:
                return
            self._wanted.clear()
            try:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except sqlite3.Error as error:
                # Harmless: the writer's autocheckpoint copies the pages instead.
                log.debug("checkpoint of %s failed: %s", self._path.name, error)
            # Commits meanwhile gather for the next one; closing ends the pause.
            if self._stop.wait(INTERVAL_S):
                return
