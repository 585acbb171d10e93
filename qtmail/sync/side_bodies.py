"""SideBodies: answers to body requests while the main connection syncs (issue 4).

Why at chunk boundaries and not from a thread of its own: the worker returns to its
loop between two sync chunks anyway, and that is where a click's request arrives.
Serving it there keeps the store's write connection on the worker's thread
(ARCHITECTURE.md boundary 4) and adds no third thread competing for the GIL with the
GUI while a sync paints the window.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from qtmail.accounts.settings import AccountSettings
from qtmail.core.commands import FetchPreviews
from qtmail.core.errors import KnownError
from qtmail.core.events import Event
from qtmail.net.sasl import Secret
from qtmail.sync.answers import Request, body_answer
from qtmail.sync.engine import AccountEngine, Connector
from qtmail.sync.side_connection import SideConnection

log = logging.getLogger(__name__)
T = TypeVar("T")

IDLE_CLOSE_S = 120.0
"""An unused side connection is logged out after this long: servers count
connections per user (Dovecot's mail_max_userip_connections defaults to 10)."""

REST_AFTER_FAILURE_S = 60.0
"""After the side connection failed, requests wait for the main connection for this
long instead of trying again at every chunk boundary."""


class SideBodies:
    """Owns the account's SideConnection; used from the worker's thread only."""

    def __init__(self, settings: AccountSettings, password: Callable[[], Secret],
                 connector: Connector, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._connection = SideConnection(settings, password, connector)
        self._clock = clock
        self._failed_at: float | None = None
        self._used_at: float | None = None

    def answer(self, engine: AccountEngine, request: Request) -> Event | None:
        """The answer, downloaded over the side connection and stored; None when the
        request has to wait for the main connection (the side one cannot be used)."""
        done, raw = self._attempt(
            engine, f"body {request.folder}/{request.uid}",
            lambda: engine.body(request.folder, request.uid, side=self._connection))
        return body_answer(engine, request, raw) if done else None

    def previews(self, engine: AccountEngine, request: FetchPreviews) -> list[int] | None:
        """The preview lines made over the side connection (the UIDs stored); None
        when the request has to wait for the main connection."""
        done, uids = self._attempt(
            engine, f"previews in {request.folder}",
            lambda: engine.previews(request.folder, request.uids, side=self._connection))
        return (uids or []) if done else None

    def _attempt(self, engine: AccountEngine, what: str, action: Callable[[], T]
                 ) -> tuple[bool, T | None]:
        """(True, the action's result), or (False, None) when the side connection is
        resting after a failure or has just failed."""
        if self._failed_at is not None \
                and self._clock() - self._failed_at < REST_AFTER_FAILURE_S:
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

    def has_open(self, folder: str) -> bool:
        """Whether the side connection is open on ``folder`` (a request there costs
        no SELECT: on a 100,000-message folder Dovecot takes ~200 ms for one)."""
        return self._connection.has_open(folder)

    def seconds_until_idle_close(self) -> float | None:
        """When the unused connection is due to be closed (None: not open)."""
        if self._used_at is None:
            return None
        return max(0.0, self._used_at + IDLE_CLOSE_S - self._clock())

    def close_if_idle(self) -> None:
        wait = self.seconds_until_idle_close()
        if wait is not None and wait <= 0:
            self.close()

    def close(self) -> None:
        """Log out now (idle, or the worker stops)."""
        self._used_at = None
        self._connection.close()
