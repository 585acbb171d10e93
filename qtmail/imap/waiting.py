"""A connection's reads give the account worker's turn on while they wait for the
server (issue 18 goal 5, qtmail.core.turns), and the user's requests a turn too.

``take_turns`` puts a reader between imaplib's buffered socket file and its socket:
when the buffer runs dry and nothing has arrived yet, the read gives the turn on before
it blocks and takes it back once the bytes are there. A read that finds bytes waiting
keeps the turn (a FETCH answer streaming in). Every reader of the connection goes
through it: imaplib's, imapclient's through imaplib, and ``wire.fast_io``'s.

Inside ``answering(imap, hook)`` the reads run ``hook`` at least every ANSWER_EVERY_S:
between two reads of an answer that streams in, and in slices of a wait for the server
(which does not block in one go; the connection's own timeout still holds for the whole
wait). With it the account's scheduler answers the user's requests over its other
connections (issue 18 goal 3: a click waited for the server's SELECT of a large folder,
or for the first part of a sync's FETCH, which Dovecot streams over 40-60 ms here).
"""

from __future__ import annotations

import io
import select
import socket
import ssl
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from typing import Any

from qtmail.core import turns
from qtmail.imap.responses import buffered_now

ANSWER_EVERY_S = 0.01
"""Inside ``answering``, the longest stretch of reading or waiting between two runs of
the hook: a click waits about this long for its turn. A run with nothing to answer
costs tens of microseconds (the scheduler looks at its queue)."""


def readable(sock: Any, timeout: float) -> bool:
    """Whether bytes (or the end) arrive on ``sock`` within ``timeout`` seconds,
    decrypted in the TLS layer or raw on the socket."""
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return True
    if sys.platform == "win32":  # no poll(); select's FD_SETSIZE limit is Unix's
        ready, _, _ = select.select([sock], [], [], timeout)
        return bool(ready)
    poller = select.poll()
    poller.register(sock, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(int(timeout * 1000)))


def arrived(sock: Any) -> bool:
    """Whether a read of ``sock`` would return at once."""
    return readable(sock, 0)


class TurnReader(io.RawIOBase):
    """The raw stream under imaplib's ``file``: the socket's own, with the turn given
    on around a read that would wait."""

    def __init__(self, raw: io.RawIOBase, sock: Any, leftover: bytes = b"") -> None:
        super().__init__()
        self._raw = raw
        self._sock = sock
        self._leftover = leftover
        """Bytes the previous buffered file had read ahead: read first."""
        self.while_waiting: Callable[[], None] | None = None
        """Run at least every ANSWER_EVERY_S while answers are read (``answering``)."""
        self._answered_at = 0.0
        """time.monotonic() when ``while_waiting`` last returned."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        if self._leftover:
            size = min(len(buffer), len(self._leftover))
            buffer[:size] = self._leftover[:size]
            self._leftover = self._leftover[size:]
            return size
        if self.while_waiting is not None:
            self._answer_meanwhile(self.while_waiting)  # returns once bytes are there
            return self._raw.readinto(buffer)
        if turns.holding() and not arrived(self._sock):
            with turns.away():
                return self._raw.readinto(buffer)
        return self._raw.readinto(buffer)

    def _answer_meanwhile(self, hook: Callable[[], None]) -> None:
        """Before a read: ``hook`` if it last ran ANSWER_EVERY_S ago or more; then,
        until bytes arrive, again after each ANSWER_EVERY_S without any. The socket's
        timeout ends the whole wait, as it would have ended one blocking read. The turn
        is given on while waiting: the hook answers the user, who goes before the other
        accounts."""
        started = time.monotonic()
        if started - self._answered_at >= ANSWER_EVERY_S:
            self._run(hook)
        if arrived(self._sock):
            return
        limit = self._sock.gettimeout()
        with turns.away() if turns.holding() else nullcontext():
            while not readable(self._sock, ANSWER_EVERY_S):
                if limit is not None and time.monotonic() - started >= limit:
                    raise TimeoutError("timed out")  # what the socket's read would raise
                self._run(hook)

    def _run(self, hook: Callable[[], None]) -> None:
        """The hook runs in the middle of this connection's answer, so it must not use
        the connection. If it raises, the rest of the answer can no longer be read in
        step with its command: the connection is shut down (the session then fails as
        on a lost connection, and is opened again) before the error goes on."""
        try:
            hook()
        except BaseException:
            with suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)
            raise
        self._answered_at = time.monotonic()

    def close(self) -> None:
        try:
            self._raw.close()  # the socket's makefile reference (socket.SocketIO)
        finally:
            super().close()


def take_turns(imap: Any) -> None:
    """Read ``imap``'s socket through a TurnReader from now on (after TLS: STARTTLS
    makes a new file), between two commands. A file that is not a socket's buffered
    reader (a test's fake) is left as it is."""
    file, sock = getattr(imap, "file", None), getattr(imap, "sock", None)
    if not isinstance(file, io.BufferedReader) or isinstance(file.raw, TurnReader) \
            or not isinstance(sock, socket.socket):
        return
    leftover = read_ahead(sock, file)
    raw = sock.makefile("rb", buffering=0)  # its own reference: closing file leaves it
    file.close()
    imap.file = io.BufferedReader(TurnReader(raw, sock, leftover))


@contextmanager
def answering(imap: Any, hook: Callable[[], None]) -> Iterator[None]:
    """Inside: the reads of ``imap`` run ``hook`` at least every ANSWER_EVERY_S, while
    an answer streams in or the server is silent (TurnReader._run says what the hook
    may do). A connection read without a TurnReader (a test's fake) reads as before."""
    reader = getattr(getattr(imap, "file", None), "raw", None)
    if not isinstance(reader, TurnReader):
        yield
        return
    outer, reader.while_waiting = reader.while_waiting, hook
    try:
        yield
    finally:
        reader.while_waiting = outer


def read_ahead(sock: Any, file: io.BufferedReader) -> bytes:
    """What ``file`` holds that nobody has read yet, without waiting for more."""
    waiting = buffered_now(file, sock)
    return file.read1(len(waiting)) if waiting else b""
