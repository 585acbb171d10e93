"""SideBodies: the worker's answers to body requests while its main connection syncs.

Why at chunk boundaries and not from a thread of its own (issue 4): the worker
returns to its event loop between two sync chunks (every few hundred milliseconds,
chunks are at most 5,000 summaries), and that is where a click's request arrives
anyway. Serving it there keeps the store's write connection on the worker's thread
(ARCHITECTURE.md boundary 4) and adds no third thread competing for the GIL with the
GUI while a sync paints the window. The cost is waiting for the chunk in progress:
measured in bench/bench_window.py.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Slot

from qtmail.accounts.settings import AccountSettings
from qtmail.core.commands import FetchBody, OpenMessage
from qtmail.core.errors import KnownError
from qtmail.core.events import Event
from qtmail.qt.worker_ops import body_answer
from qtmail.sync.engine import AccountEngine, Connector
from qtmail.sync.side_connection import SideConnection

log = logging.getLogger(__name__)

IDLE_CLOSE_MS = 120_000
"""An unused side connection is logged out after this long: servers count
connections per user (Dovecot's mail_max_userip_connections defaults to 10)."""

REST_AFTER_FAILURE_S = 60.0
"""After the side connection failed, requests wait for the main connection for this
long instead of trying again at every chunk boundary."""


class SideBodies(QObject):
    """Owns the worker's SideConnection; lives in (and is used from) the worker's thread."""

    def __init__(self, settings: AccountSettings, password: Callable[[], str],
                 connector: Connector, parent: QObject | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._connection = SideConnection(settings, password, connector)
        self._clock = clock
        self._failed_at: float | None = None
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_CLOSE_MS)
        self._idle.timeout.connect(self._close_unused)

    def answer(self, engine: AccountEngine, request: FetchBody | OpenMessage) -> Event | None:
        """The answer, downloaded over the side connection and stored; None when the
        request has to wait for the main connection (the side one cannot be used)."""
        if self._failed_at is not None \
                and self._clock() - self._failed_at < REST_AFTER_FAILURE_S:
            return None
        try:
            raw = engine.body(request.folder, request.uid, side=self._connection)
        except KnownError as error:
            # E.g. the server allows no further connection: the main one will do it
            # once the sync is done, as before there was a side connection.
            log.info("%s: body %s/%d not fetched on the side connection: %s",
                     engine.name, request.folder, request.uid, error.detail or error)
            self._failed_at = self._clock()
            self._connection.close()
            return None
        self._failed_at = None
        self._idle.start()
        return body_answer(engine, request, raw)

    @Slot()
    def _close_unused(self) -> None:
        self._connection.close()

    def close(self) -> None:
        """Log out now (the worker stops)."""
        self._idle.stop()
        self._connection.close()
