"""A loopback TCP proxy to Dovecot that can be switched off and on: the server "stops"
(every connection gets Dovecot's shutdown BYE and is cut, new ones are refused) and
"starts" again on the same port. Each direction can also be held (nothing forwarded,
the connection kept) and let go again."""

from __future__ import annotations

import contextlib
import socket
import threading


class SwitchableProxy:
    """A loopback TCP proxy to Dovecot that can be switched off (every connection cut,
    new ones refused) and on again: the server 'stops' and 'starts'."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self._listener: socket.socket | None = None
        self.port = 0
        self._conns: list[socket.socket] = []
        self._clients: list[socket.socket] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self.to_server = threading.Event()
        """Cleared: what the client sends waits in the proxy (the server hears nothing)."""
        self.to_client = threading.Event()
        """Cleared: the server's answers wait in the proxy (only those holding
        ``hold_answer`` when that is set)."""
        self.hold_answer = b""
        self.holding = threading.Event()
        """Set once an answer holding ``hold_answer`` waits in the proxy."""
        self.to_server.set()
        self.to_client.set()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            conns, self._conns = self._conns, []
            clients, self._clients = self._clients, []
        # What Dovecot says to every connection when it shuts down.
        for conn in clients:
            with contextlib.suppress(OSError):
                conn.sendall(b"* BYE Server shutting down.\r\n")
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._conns += [client, upstream]
                self._clients.append(client)
            for a, b, gate in ((client, upstream, self.to_server),
                               (upstream, client, self.to_client)):
                threading.Thread(target=self._pump, args=(a, b, gate), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, gate: threading.Event) -> None:
        try:
            while data := src.recv(65536):
                if gate is self.to_server or not self.hold_answer \
                        or self.hold_answer in data:
                    if gate is self.to_client and self.hold_answer and not gate.is_set():
                        self.holding.set()
                    gate.wait(30)  # bounded: a test that forgets to let go still ends
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
