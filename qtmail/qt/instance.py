"""One qtmail per profile: a second start hands its mailto: link (or just "show
yourself") to the running one over a local socket, then exits.

Two processes on one profile would each run a worker writing the same cache and send
the same Outbox; handing over avoids that, and a mailto: link opens in the running
window as users expect. The socket lives in a private (0700) folder of the user's, its
name derived from the profile's config folder, so two profiles never meet. Python's
AF_UNIX socket and a QSocketNotifier (not QtNetwork, which the bundle leaves out):
the GUI thread never waits on it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import socket
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QSocketNotifier, Signal, Slot

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 3.0
ACK = b"ok\n"
MAX_MESSAGE = 70 * 1024
"""Longer than any mailto: link we accept (qtmail.core.mailto.MAX_LENGTH)."""


def socket_path(config_dir: Path) -> Path:
    """A short path (AF_UNIX allows ~100 bytes) in a folder only this user can enter."""
    uid = os.getuid() if hasattr(os, "getuid") else None
    folder = Path(tempfile.gettempdir()) / f"qtmail-{uid if uid is not None else 'user'}"
    folder.mkdir(mode=0o700, exist_ok=True)
    if folder.is_symlink() or (uid is not None and folder.stat().st_uid != uid):
        raise OSError(f"{folder} belongs to someone else")
    folder.chmod(0o700)
    key = str(Path(config_dir).resolve()).encode()
    return folder / (hashlib.sha256(key).hexdigest()[:24] + ".sock")


def hand_off(path: Path, message: str, timeout: float = TIMEOUT_SECONDS) -> bool:
    """True when a running qtmail took ``message`` ("" means: show your window)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout)
        try:
            client.connect(str(path))
            client.sendall(message.encode("utf-8", "replace").replace(b"\n", b" ") + b"\n")
            answer = b""
            while not answer.endswith(b"\n") and len(answer) < 16:
                chunk = client.recv(16)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            return False
    return answer == ACK


class InstanceServer(QObject):
    """Listens for later starts. Signals: ``received(str)``: a mailto: link, or "" for
    "show the window"."""

    received = Signal(str)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._server: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._clients: dict[int, tuple[socket.socket, QSocketNotifier, bytearray]] = {}

    def listen(self) -> bool:
        """Start listening; a socket file left by a crashed qtmail is replaced (callers
        made sure, with hand_off, that no live one answers on it)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            server.bind(str(self.path))
            server.listen(4)
        except OSError as error:
            log.warning("single-instance socket not available: %s", error)
            server.close()
            return False
        server.setblocking(False)
        self._server = server
        self._notifier = QSocketNotifier(server.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._accept)
        return True

    def close(self) -> None:
        for fd in list(self._clients):
            self._drop(fd)
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier = None
        if self._server is not None:
            self._server.close()
            self._server = None
            with contextlib.suppress(OSError):
                self.path.unlink()

    @Slot()
    def _accept(self) -> None:
        if self._server is None:
            return
        try:
            conn, _address = self._server.accept()
        except OSError:
            return
        conn.setblocking(False)
        notifier = QSocketNotifier(conn.fileno(), QSocketNotifier.Type.Read, self)
        self._clients[conn.fileno()] = (conn, notifier, bytearray())
        notifier.activated.connect(self._readable)

    @Slot()
    def _readable(self) -> None:
        for fd, (conn, _notifier, buffer) in list(self._clients.items()):
            try:
                chunk = conn.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                chunk = b""
            if not chunk or len(buffer) + len(chunk) > MAX_MESSAGE:
                self._drop(fd)
                continue
            buffer += chunk
            if buffer.endswith(b"\n"):
                with contextlib.suppress(OSError):
                    conn.sendall(ACK)
                message = bytes(buffer[:-1]).decode("utf-8", "replace")
                self._drop(fd)
                self.received.emit(message)

    def _drop(self, fd: int) -> None:
        conn, notifier, _buffer = self._clients.pop(fd)
        notifier.setEnabled(False)
        notifier.deleteLater()
        conn.close()
