"""SideBodies: answers to body requests while the main connection syncs (issue 4).

Why at chunk boundaries and not from a thread of its own: the worker returns to its
loop between two sync chunks anyway, and that is where a click's request arrives.
Serving it there keeps the store's write connection on the worker's thread
(ARCHITECTURE.md boundary 4) and adds no third thread competing for the GIL with the
GUI while a sync paints the window.

Getting the connection ready is another matter (issue 18, goal 3): connecting, logging
in and opening a 20,000-message INBOX took 50-110 ms, all of it added to the first click
of a sync. When a first sync starts, or a sync goes on past its first chunk, the worker
asks for the connection to be made ready (``prepare``) on a lane of its own
(sync/lane.py), mostly waiting on sockets; the connection has one user at a time: the
worker waits for the preparations in flight before it uses the connection itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from qtmail.accounts.settings import AccountSettings
from qtmail.core.commands import FetchPreviews
from qtmail.core.errors import KnownError
from qtmail.core.events import Event
from qtmail.net.sasl import Secret
from qtmail.sync.answers import Request, body_answer
from qtmail.sync.engine import AccountEngine, Connector
from qtmail.sync.lane import POLL_S, Lane, Result
from qtmail.sync.side_connection import SideConnection

log = logging.getLogger(__name__)
T = TypeVar("T")

IDLE_CLOSE_S = 120.0
"""An unused side connection is logged out after this long: servers count
connections per user (Dovecot's mail_max_userip_connections defaults to 10)."""

REST_AFTER_FAILURE_S = 60.0
"""After the side connection failed, requests wait for the main connection for this
long instead of trying again at every chunk boundary."""

CLOSE_WAIT_S = 5.0
"""When the worker stops, how long a preparation in flight and the LOGOUT after it may
still take."""


class SideBodies:
    """Owns the account's SideConnection; used from the worker's thread only."""

    def __init__(self, settings: AccountSettings, password: Callable[[], Secret],
                 connector: Connector, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._connection = SideConnection(settings, password, connector)
        self._lane = Lane(f"side-{settings.name}")
        self._preparing = 0
        """Preparations started whose outcome is not taken yet: the lane has the
        connection."""
        self._wanted: str | None = None
        """The folder the last of them opens."""
        self._clock = clock
        self._failed_at: float | None = None
        self._used_at: float | None = None

    def prepare(self, engine: AccountEngine, folder: str) -> None:
        """Have the connection open on ``folder`` soon, made ready on the lane; nothing
        when it is or will be, or while it rests after a failure."""
        self._lane.collect()
        if self._resting() or folder == self.open_folder:
            return
        try:
            info = engine.folder(folder)
        except KnownError:
            return  # not a folder (any more): nothing to get ready for
        self._preparing += 1
        self._wanted = folder
        self._lane.start(partial(self._connection.open_on, info),
                         partial(self._prepared, engine.name, folder))

    def _prepared(self, account: str, folder: str, outcome: Result[None]) -> None:
        self._preparing -= 1
        try:
            outcome()
        except KnownError as error:
            log.info("%s: side connection not made ready for %s: %s", account, folder,
                     error.detail or error)
            self._failed_at = self._clock()
            if not self._preparing:  # (else the lane has it: the next outcome decides)
                self._connection.close()
            return
        self._used_at = self._clock()  # an unused connection is closed after IDLE_CLOSE_S

    def _settle(self) -> None:
        """Wait for a preparation in flight and take its outcome: the connection is the
        worker's again (it would have had to wait as long to connect itself)."""
        if self._preparing:
            self._lane.wait(None)
        self._lane.collect()

    def answer(self, engine: AccountEngine, request: Request) -> Event | None:
        """The answer, downloaded over the side connection and stored; None when the
        request has to wait for the main connection (the side one cannot be used)."""
        self._settle()
        done, raw = self._attempt(
            engine, f"body {request.folder}/{request.uid}",
            lambda: engine.body(request.folder, request.uid, side=self._connection))
        return body_answer(engine, request, raw) if done else None

    def previews(self, engine: AccountEngine, request: FetchPreviews) -> list[int] | None:
        """The preview lines made over the side connection (the UIDs stored); None
        when the request has to wait for the main connection."""
        self._settle()
        done, uids = self._attempt(
            engine, f"previews in {request.folder}",
            lambda: engine.previews(request.folder, request.uids, side=self._connection))
        return (uids or []) if done else None

    def _attempt(self, engine: AccountEngine, what: str, action: Callable[[], T]
                 ) -> tuple[bool, T | None]:
        """(True, the action's result), or (False, None) when the side connection is
        resting after a failure or has just failed."""
        if self._resting():
            return False, None
        try:
            result = action()
        except KnownError as error:
            # E.g. the server allows no further connection: the main one will do it
            # once the sync is done, as before there was a side connection.
            log.info("%s: %s not fetched on the side connection: %s",
                     engine.name, what, error.detail or error)
            self._failed_at = self._clock()
            self._connection.close()
            return False, None
        self._failed_at = None
        self._used_at = self._clock()
        return True, result

    def _resting(self) -> bool:
        return self._failed_at is not None \
            and self._clock() - self._failed_at < REST_AFTER_FAILURE_S

    @property
    def connected(self) -> bool:
        """Connected, or being connected."""
        return bool(self._preparing) or self._connection.connected

    @property
    def open_folder(self) -> str | None:
        """The folder the connection has open, or is being made ready on."""
        if self._preparing:
            return self._wanted
        return self._connection.open_folder

    def has_open(self, folder: str) -> bool:
        """Whether the side connection is open on ``folder`` (a request there costs
        no SELECT: on a 100,000-message folder Dovecot takes ~200 ms for one). Not while
        it is being made ready (never waits for that)."""
        self._lane.collect()
        return not self._preparing and self._connection.has_open(folder)

    def seconds_until_idle_close(self) -> float | None:
        """When the unused connection is due to be closed (None: not open); a short
        poll while it is being made ready (its outcome is taken on the worker's turn)."""
        if self._preparing:
            return POLL_S
        if self._used_at is None:
            return None
        return max(0.0, self._used_at + IDLE_CLOSE_S - self._clock())

    def close_if_idle(self) -> None:
        self._lane.collect()
        wait = self.seconds_until_idle_close()
        if wait is not None and wait <= 0:
            self.close()

    def close(self) -> None:
        """Log out now (idle); the next request opens a new connection."""
        self._settle()
        self._used_at = None
        self._connection.close()

    def stop(self) -> None:
        """The worker stops: log out, on the lane after a preparation in flight (waiting
        for it CLOSE_WAIT_S at most: a server that does not answer never holds up the
        end), and the lane's thread ends."""
        self._used_at = None
        if self._preparing:
            self._lane.start(self._connection.close, lambda outcome: None)
        else:
            self._connection.close()
        self._lane.close(wait=CLOSE_WAIT_S)
