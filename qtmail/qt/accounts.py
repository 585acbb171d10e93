"""AccountDirectory: the window's accounts, one EngineClient and one read-only Store each.

It owns what used to sit on MainWindow and was reached through it by every controller
(issue 12): the clients and readers, the fan-in of their events into one ``event``
signal, and the wiring between accounts (a worker moving mail to another account looks
its peer up here, on its own thread). Controllers take this object and the widgets they
touch, never the window, so each can be built alone (tests/gui/test_controllers.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from qtmail.core.commands import Command

if TYPE_CHECKING:  # imported with the first account, after the first paint (issue 18)
    from qtmail.qt.bridge import EngineClient
    from qtmail.store import Store
    from qtmail.sync.peers import PeerSpec


@dataclass
class _Account:
    client: EngineClient
    reader: Store | None = None


class AccountDirectory(QObject):
    """Signals: ``event(Event)`` every account's events, in arrival order; ``added(str)``
    an account was added (not started yet); ``ready(str)`` its cache is open and
    ``reader(name)`` answers; ``started(str)`` a client (new or replacing) was started."""

    event = Signal(object)  # type: ignore[assignment]  # shadows QObject.event, as EngineClient
    added = Signal(str)
    ready = Signal(str)
    started = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._accounts: dict[str, _Account] = {}
        self._specs: dict[str, PeerSpec] = {}
        """Read by workers (transfers): replaced, never mutated in place."""
        self._closed = False

    # -- reading ---------------------------------------------------------------------------
    def accounts(self) -> list[str]:
        return list(self._accounts)

    def client(self, account: str) -> EngineClient | None:
        entry = self._accounts.get(account)
        return None if entry is None else entry.client

    def reader(self, account: str) -> Store | None:
        entry = self._accounts.get(account)
        return None if entry is None else entry.reader

    @property
    def closed(self) -> bool:
        return self._closed

    def send(self, account: str, command: Command) -> None:
        """To ``account``'s worker, if it runs (a closed or unknown account drops it)."""
        client = self.client(account)
        if client is not None and client.running:
            client.send(command)

    # -- changing --------------------------------------------------------------------------
    def add(self, client: EngineClient) -> None:
        """Keep ``client`` and start it (its worker opens the cache first)."""
        name = client.account
        self._accounts[name] = _Account(client)
        self.added.emit(name)
        self._start(client)

    def replace(self, client: EngineClient) -> bool:
        """New settings for a known account: stop the old worker and start ``client`` in
        its place (same cache, so the reader stays). False: unknown or closed."""
        entry = self._accounts.get(client.account)
        if entry is None or self._closed:
            client.close()
            return False
        old, entry.client = entry.client, client
        old.event.disconnect(self.event)
        old.close()
        old.deleteLater()
        self._start(client)
        return True

    def remove(self, name: str) -> None:
        """Stop ``name``'s worker and wait for its thread; close its reader."""
        entry = self._accounts.pop(name, None)
        if entry is None:
            return
        self._specs = {key: spec for key, spec in self._specs.items() if key != name}
        entry.client.event.disconnect(self.event)
        entry.client.close()
        entry.client.deleteLater()
        if entry.reader is not None:
            entry.reader.close()
            entry.reader = None

    def _start(self, client: EngineClient) -> None:
        name = client.account
        client.event.connect(self.event)
        client.ready.connect(lambda: self._ready(name))
        # Before start(): the worker can reach the other accounts from its first job.
        self._specs = {**self._specs, name: client.peer_spec}
        client.set_peers(self._peer)
        client.start()
        client.sync_all()
        self.started.emit(name)

    def _peer(self, name: str) -> PeerSpec | None:
        return self._specs.get(name)  # on a worker thread: one dict read

    def _ready(self, name: str) -> None:
        entry = self._accounts.get(name)
        if entry is None or entry.reader is not None or self._closed:
            return
        from qtmail.store import Store  # loaded by the worker already: no cost

        entry.reader = Store.open(entry.client.cache_path, readonly=True)
        self.ready.emit(name)

    def close(self) -> None:
        """Close every client (their threads end) and reader: safe to call twice."""
        if self._closed:
            return
        self._closed = True
        for entry in self._accounts.values():
            entry.client.close()
            if entry.reader is not None:
                entry.reader.close()
                entry.reader = None

