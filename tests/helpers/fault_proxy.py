"""FaultProxy: a loopback TCP proxy that cuts, delays and stalls connections (issue 17).

It sits between qtmail and a server on 127.0.0.1 (Dovecot's IMAP, the test SMTP
server) and, per connection, draws from a seeded random generator how many bytes it
forwards before cutting both sides: a cut can land anywhere, mid-literal, mid-response,
between a command and its tagged reply. It can also delay every chunk and stall
(forward nothing for a while, the socket staying open) to exercise timeouts.

Bounded in time: every socket has a timeout, threads are daemons, ``stop()`` closes
everything, and ``max_cuts`` stops cutting after that many so a test always ends.
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
from dataclasses import dataclass


@dataclass
class FaultPlan:
    """What the proxy does to each new connection."""

    cut_min: int = 2_000
    """Bytes forwarded (both directions together) before a cut, at least ..."""
    cut_max: int = 200_000
    """... and at most. 0 for both: never cut."""
    cut_probability: float = 1.0
    """Share of connections that are cut at all."""
    delay: float = 0.0
    """Seconds added before forwarding each chunk."""
    stall_probability: float = 0.0
    """Share of connections that stall once (forward nothing) instead of being cut."""
    stall_seconds: float = 0.0
    max_cuts: int = 1_000_000
    """After this many cuts, connections pass untouched: the work must then finish."""


class FaultProxy:
    """Forward 127.0.0.1:``port`` to ``target``, injecting the faults of ``plan``."""

    def __init__(self, target: tuple[str, int], plan: FaultPlan | None = None,
                 seed: int = 0, io_timeout: float = 30.0) -> None:
        self.target = target
        self.plan = plan or FaultPlan()
        self.random = random.Random(seed)
        self.io_timeout = io_timeout
        self.port = 0
        self.cuts = 0
        self.stalls = 0
        self.connections = 0
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def __enter__(self) -> FaultProxy:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(32)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True,
                         name="fault-proxy").start()

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _close(sock)

    def calm(self) -> None:
        """No more faults for new connections (the 'network came back')."""
        with self._lock:
            self.plan = FaultPlan(cut_min=0, cut_max=0, cut_probability=0.0)

    # -- internals ---------------------------------------------------------------------
    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            for sock in (client, upstream):
                sock.settimeout(self.io_timeout)
            with self._lock:
                plan = self.plan
                self.connections += 1
                budget = -1
                stall_at = -1
                if plan.cut_max and self.cuts < plan.max_cuts \
                        and self.random.random() < plan.cut_probability:
                    budget = self.random.randint(plan.cut_min, plan.cut_max)
                    if self.random.random() < plan.stall_probability:
                        stall_at, budget = budget, -1
                self._sockets += [client, upstream]
            link = _Link(self, client, upstream, budget, stall_at, plan)
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=link.pump, args=(src, dst), daemon=True,
                                 name="fault-proxy-pump").start()


class _Link:
    """One proxied connection: a shared byte budget for both directions."""

    def __init__(self, proxy: FaultProxy, client: socket.socket, upstream: socket.socket,
                 budget: int, stall_at: int, plan: FaultPlan) -> None:
        self.proxy = proxy
        self.sockets = (client, upstream)
        self.budget = budget
        self.stall_at = stall_at
        self.plan = plan
        self.lock = threading.Lock()
        self.cut = False

    def pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while not self.cut:
                data = src.recv(16384)
                if not data:
                    break
                if self.plan.delay:
                    time.sleep(self.plan.delay)
                data, cut = self._spend(data)
                # Forward what fits, then cut: the peer sees a response broken off mid-way.
                if data:
                    dst.sendall(data)
                if cut:
                    self._cut_now(counted=True)
                    return
        except OSError:
            pass
        self._cut_now(counted=False)

    def _spend(self, data: bytes) -> tuple[bytes, bool]:
        with self.lock:
            if self.stall_at >= 0:
                self.stall_at -= len(data)
                if self.stall_at < 0:
                    with self.proxy._lock:
                        self.proxy.stalls += 1
                    time.sleep(self.plan.stall_seconds)
            if self.budget < 0:
                return data, False
            if len(data) < self.budget:
                self.budget -= len(data)
                return data, False
            head = data[:self.budget]
            self.budget = 0
            return head, True

    def _cut_now(self, counted: bool) -> None:
        with self.lock:
            if self.cut:
                return
            self.cut = True
        if counted:
            with self.proxy._lock:
                self.proxy.cuts += 1
        for sock in self.sockets:
            _close(sock)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
