"""IdleWatcher: a second connection that only IDLEs and says "this folder changed".

RFC 2177 IDLE blocks its connection, so push gets its own session (ARCHITECTURE.md,
threads). The watcher runs on its own thread; ``stop()`` may be called from any other
thread and makes ``wait()`` return within a fraction of a second.
"""

from __future__ import annotations

import logging
import threading
import time
from io import BufferedReader

from qtmail.accounts.settings import ServerSettings
from qtmail.core.errors import QT_TRANSLATE_NOOP, ConnectionLost
from qtmail.core.types import FolderInfo
from qtmail.imap import errors, wire
from qtmail.imap.responses import buffered_now, readable
from qtmail.imap.session import ImapSession
from qtmail.net.sasl import Secret

log = logging.getLogger(__name__)

# RFC 2177 section 3: servers may drop an IDLE after 30 minutes; renew it well before.
REISSUE_AFTER = 25 * 60.0
# How often wait() looks at the stop flag; bounds how long stop() takes to be noticed.
POLL_SLICE = 0.2
# Untagged responses that mean the mailbox changed (RFC 3501 7.3-7.4, RFC 7162 3.2.10).
_CHANGES = (b"EXISTS", b"EXPUNGE", b"FETCH", b"VANISHED")


def is_change(line: bytes) -> bool:
    """``* 5 EXISTS``, ``* 3 EXPUNGE``, ``* 4 FETCH (...)``, ``* VANISHED 7``."""
    words = line.split(None, 3)
    if len(words) < 2 or words[0] != b"*":
        return False
    if words[1].upper() == b"VANISHED":
        return True
    return len(words) >= 3 and words[1].isdigit() and words[2].upper() in _CHANGES


class IdleWatcher:
    """Watches one folder with IDLE on its own connection.

    Use: ``connect()``, check ``supported`` (False: the caller polls instead),
    ``start(folder)``, loop on ``wait(timeout)``; ``stop()`` from another thread;
    ``close()`` on the watcher's own thread at the end.
    """

    def __init__(self, session: ImapSession) -> None:
        self.session = session
        self.supported = session.can_idle
        """False when the server lacks IDLE: the caller polls (NOOP/STATUS) instead."""
        self.reissue_after = REISSUE_AFTER
        self._stopping = threading.Event()
        self._folder: FolderInfo | None = None
        self._idle_since = 0.0
        self._tag: bytes | None = None

    @classmethod
    def connect(cls, settings: ServerSettings, username: str, password: Secret) -> IdleWatcher:
        return cls(ImapSession.connect(settings, username, password))

    def start(self, folder: FolderInfo) -> None:
        """EXAMINE ``folder`` (read-only: watching never changes \\Recent) and IDLE."""
        self._folder = folder
        self.session.select(folder, readonly=True)
        if self.supported:
            self._begin()

    def _begin(self) -> None:
        self._idle_start()
        self._idle_since = time.monotonic()

    def wait(self, timeout: float) -> bool:
        """True as soon as the server reports a change; False on timeout or stop().

        Raises ConnectionLost when the connection breaks (``* BYE``, silence, reset).
        Without IDLE support this only waits (for ``stop()`` or the timeout).
        """
        deadline = time.monotonic() + timeout
        if not self.supported:
            self._stopping.wait(timeout)
            return False
        while not self._stopping.is_set():
            now = time.monotonic()
            remaining = deadline - now
            if remaining <= 0:
                return False
            due = now - self._idle_since >= self.reissue_after
            if (due or not self._tag is not None) and self._renew():
                return True
            lines = self._poll(min(remaining, POLL_SLICE))
            if any(is_change(line) for line in lines):
                return True
        return False

    def _renew(self) -> bool:
        """Restart IDLE; True when a change was reported while it ended."""
        changed = False
        if self._tag is not None:
            changed = any(is_change(line) for line in self._done())
        self._begin()
        return changed

    def stop(self) -> None:
        """Make ``wait()`` return promptly; safe to call from any thread."""
        self._stopping.set()

    @property
    def stopped(self) -> bool:
        return self._stopping.is_set()

    def close(self) -> None:
        """End IDLE and log out; never raises."""
        self._stopping.set()
        if self._tag is not None and not self.session.closed:
            try:
                self._done()
            except Exception:
                log.debug("ending IDLE failed", exc_info=True)
        self.session.logout()

    # -- the IDLE exchange (RFC 2177), through qtmail.imap.wire ------------------------------
    def _idle_start(self) -> None:
        with self.session.command("IDLE"):
            tag, refused = wire.idle_begin(self.session.imap)
            # RFC 2177 3: the server answers with a continuation; else it refused.
            if refused is not None:
                self.session.check(refused.status, [refused.text], QT_TRANSLATE_NOOP(
                    "Errors", "The server refused to wait for new mail."))
                raise ConnectionLost(QT_TRANSLATE_NOOP(
                    "Errors", "The server answered IDLE unexpectedly."))
            self._tag = tag

    def _poll(self, timeout: float) -> list[bytes]:
        """First lines of the untagged responses that arrived within ``timeout`` seconds
        (maybe none).

        ``* BYE`` raises ConnectionLost. When the server ends IDLE by itself the tag
        is cleared and wait() starts IDLE again.
        """
        imap = self.session.imap
        lines: list[bytes] = []
        try:
            with errors.mapped(imap.host, imap=imap):
                if not self._buffered() and not readable(imap.sock, timeout):
                    return lines
                while self._tag is not None:
                    news, done = wire.idle_read(imap, self._tag)
                    lines += news
                    if done is not None:
                        self._tag = None
                    if not self._buffered():
                        break
        except ConnectionLost:
            self._tag = None
            self.session.close()
            raise
        return lines

    def _done(self) -> list[bytes]:
        """End IDLE with DONE; returns the untagged lines that arrived meanwhile."""
        tag = self._tag
        if tag is None:
            return []
        with self.session.command("DONE"):
            self._tag = None
            lines, done = wire.idle_done(self.session.imap, tag)
            self.session.check(done.status, [done.text], QT_TRANSLATE_NOOP(
                "Errors", "The server did not end waiting for new mail."))
        return lines

    def _buffered(self) -> bool:
        """Whether a response already waits in imaplib's or the TLS layer's buffer."""
        imap = self.session.imap
        file: BufferedReader = imap.file  # type: ignore[assignment]
        return bool(buffered_now(file, imap.sock))

