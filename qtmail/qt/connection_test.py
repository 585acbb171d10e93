"""Blocking calls off the GUI thread: connection tests and keyring access.

ARCHITECTURE.md boundary 4: the GUI thread never opens a socket nor calls the keyring.
A ``BackgroundRunner`` lives on the GUI thread; each call runs in its own QThread
through a ``_Worker`` whose slot is reached by a queued signal, and the answer comes
back as a frozen ``Outcome`` through a queued signal too.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from qtmail.accounts.settings import ServerSettings
from qtmail.core.errors import CertificateNotTrusted, KnownError
from qtmail.net.sasl import Secret

log = logging.getLogger(__name__)


class Closable(Protocol):
    def logout(self) -> None: ...


ConnectFunction = Callable[[ServerSettings, str, Secret], Closable]
"""``ImapSession.connect``'s shape: settings, user name, password -> a logged-in session."""


def default_connect(settings: ServerSettings, username: str, password: Secret) -> Closable:
    # Imported on the first test: imapclient and the IMAP layer are not needed for the
    # window's first paint (issue 18).
    from qtmail.imap.session import ImapSession

    return ImapSession.connect(settings, username, password)


@dataclass(frozen=True)
class Outcome:
    """What one background call ended with; exactly one of the three cases holds.

    ``value``: the call returned (``error`` and ``bug`` are None). ``error``: a
    KnownError (its ``user_message`` is the sentence; a ``CertificateNotTrusted``
    carries the fingerprint). ``bug``: anything else, for the excepthook.
    """

    request_id: int
    value: object = None
    error: KnownError | None = None
    bug: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.bug is None

    @property
    def untrusted(self) -> CertificateNotTrusted | None:
        return self.error if isinstance(self.error, CertificateNotTrusted) else None


@dataclass(frozen=True)
class _Job:
    request_id: int
    call: Callable[[], object]


class _Worker(QObject):
    """Lives in a job's own thread. Signals: ``done(Outcome)``."""

    done = Signal(object)

    @Slot(object)
    def run(self, job: _Job) -> None:
        try:
            value = job.call()
        except KnownError as exc:
            log.info("background job %d: %s", job.request_id, type(exc).__name__)
            self.done.emit(Outcome(job.request_id, error=exc))
        except Exception as exc:  # a bug: the GUI side hands it to the excepthook
            self.done.emit(Outcome(job.request_id, bug=exc))
        else:
            self.done.emit(Outcome(job.request_id, value=value))


class _Reaper(QObject):
    """Ends test threads on the GUI thread once they have finished.

    Test threads are kept here, not by the dialog that started them: a dialog closed
    during a slow test must not destroy a running QThread (that aborts the process).
    """

    def __init__(self) -> None:
        super().__init__()
        self.running: dict[int, tuple[QThread, _Worker]] = {}

    @Slot()
    def reap(self) -> None:
        for request_id, (thread, worker) in list(self.running.items()):
            if thread.isFinished():
                thread.wait()
                del self.running[request_id]
                worker.deleteLater()
                thread.deleteLater()


_reaper: _Reaper | None = None
_ids = itertools.count(1)


def _get_reaper() -> _Reaper:
    global _reaper
    if _reaper is None:
        _reaper = _Reaper()
    return _reaper


def wait_for_tests(timeout_ms: int = 60_000) -> bool:
    """Block until every connection test thread has ended (at exit and in tests)."""
    if _reaper is None:
        return True
    ended = all(thread.wait(timeout_ms) for thread, _ in list(_reaper.running.values()))
    _reaper.reap()
    return ended


class BackgroundRunner(QObject):
    """Runs blocking calls (sockets, the keyring) off the GUI thread, one thread each.

    Signals: ``finished(Outcome)`` on the GUI thread, for the latest request only
    (the answer of a cancelled or superseded call is dropped).
    """

    finished = Signal(object)
    _start = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._current = 0

    @property
    def running(self) -> bool:
        return self._current != 0

    def start(self, call: Callable[[], object], name: str = "background") -> int:
        """Run ``call`` in a new thread; returns its request id."""
        reaper = _get_reaper()
        job = _Job(next(_ids), call)
        thread = QThread()
        thread.setObjectName(f"{name}-{job.request_id}")
        worker = _Worker()
        worker.moveToThread(thread)
        reaper.running[job.request_id] = (thread, worker)
        # QThread.quit is thread-safe: a direct call from the worker thread ends its loop.
        worker.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.done.connect(self._on_done)  # queued: back to the GUI thread
        thread.finished.connect(reaper.reap)  # queued: the reaper lives on the GUI thread
        self._current = job.request_id
        thread.start()
        self._start.connect(worker.run)  # queued: the worker lives in the job's thread
        self._start.emit(job)
        self._start.disconnect(worker.run)
        return job.request_id

    def cancel(self) -> None:
        """Forget the running call: its answer will be dropped when it comes."""
        self._current = 0

    @Slot(object)
    def _on_done(self, outcome: Outcome) -> None:
        if outcome.request_id != self._current:
            log.debug("dropping the answer of superseded job %d", outcome.request_id)
            return
        self._current = 0
        self.finished.emit(outcome)


class ConnectionTester(BackgroundRunner):
    """Logs in with given settings in a worker thread, then logs out.

    Signals: ``finished(Outcome)``; ``outcome.ok`` means the login worked.
    """

    def __init__(self, connect: ConnectFunction = default_connect,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connect = connect

    def test(self, settings: ServerSettings, username: str, password: Secret) -> int:
        return self.start(_LoginProbe(self._connect, settings, username, password),
                          name="connection-test")


class _LoginProbe:
    """The callable a test thread runs; its repr never shows the password."""

    def __init__(self, connect: ConnectFunction, settings: ServerSettings, username: str,
                 password: Secret) -> None:
        self._connect = connect
        self._settings = settings
        self._username = username
        self._password = password

    def __repr__(self) -> str:
        return f"_LoginProbe({self._settings.host}:{self._settings.port})"

    def __call__(self) -> None:
        session = self._connect(self._settings, self._username, self._password)
        try:
            session.logout()
        except Exception:  # logging out is a courtesy; the login worked
            log.debug("logout after the connection test failed", exc_info=True)
