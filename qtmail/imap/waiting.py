"""A connection's reads give the account worker's turn on while they wait for the
server (issue 18 goal 5, qtmail.core.turns).

``take_turns`` puts a reader between imaplib's buffered socket file and its socket:
when the buffer runs dry and nothing has arrived yet, the read gives the turn on before
it blocks and takes it back once the bytes are there. A read that finds bytes waiting
keeps the turn (a FETCH answer streaming in). Every reader of the connection goes
through it: imaplib's, imapclient's through imaplib, and ``wire.fast_io``'s.
"""

from __future__ import annotations

import io
import select
import socket
import ssl
import sys
from typing import Any

from qtmail.core import turns
from qtmail.imap.responses import buffered_now


def arrived(sock: Any) -> bool:
    """Whether a read of ``sock`` would return at once: bytes (or the end) have arrived,
    decrypted in the TLS layer or raw on the socket."""
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return True
    if sys.platform == "win32":  # no poll(); select's FD_SETSIZE limit is Unix's
        ready, _, _ = select.select([sock], [], [], 0)
        return bool(ready)
    poller = select.poll()
    poller.register(sock, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))


class TurnReader(io.RawIOBase):
    """The raw stream under imaplib's ``file``: the socket's own, with the turn given
    on around a read that would wait."""

    def __init__(self, raw: io.RawIOBase, sock: Any, leftover: bytes = b"") -> None:
        super().__init__()
        self._raw = raw
        self._sock = sock
        self._leftover = leftover
        """Bytes the previous buffered file had read ahead: read first."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        if self._leftover:
            size = min(len(buffer), len(self._leftover))
            buffer[:size] = self._leftover[:size]
            self._leftover = self._leftover[size:]
            return size
        if turns.holding() and not arrived(self._sock):
            with turns.away():
                return self._raw.readinto(buffer)
        return self._raw.readinto(buffer)

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


def read_ahead(sock: Any, file: io.BufferedReader) -> bytes:
    """What ``file`` holds that nobody has read yet, without waiting for more."""
    waiting = buffered_now(file, sock)
    return file.read1(len(waiting)) if waiting else b""
