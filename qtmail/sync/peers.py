"""Other accounts' engines, for moving messages between accounts (issue 5).

A transfer's replay runs on the source account's worker thread and APPENDs to the
destination with ``AccountEngine.append_remote``. That engine cannot be the
destination's own (it belongs to another thread), so each worker makes its own: a
read-only view of the destination's cache (folder names) and a connection of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qtmail.accounts.settings import AccountSettings
from qtmail.core.errors import KnownError
from qtmail.net.sasl import Secret
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine, Connector, connect_session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeerSpec:
    settings: AccountSettings
    cache_path: Path
    password: Callable[[], Secret]
    connector: Connector = connect_session


PeerLookup = Callable[[str], "PeerSpec | None"]
"""Account name -> how to reach it; called on a worker thread (read-only lookups)."""


class PeerEngines:
    """Engines of the other accounts, made and closed on the thread that uses them."""

    def __init__(self, lookup: PeerLookup | None) -> None:
        self._lookup = lookup
        self._engines: dict[str, AccountEngine] = {}
        self._stores: list[Store] = []

    def get(self, name: str) -> AccountEngine | None:
        engine = self._engines.get(name)
        if engine is not None or self._lookup is None:
            return engine
        spec = self._lookup(name)
        if spec is None:
            return None
        try:
            store = Store.open(spec.cache_path, readonly=True)
        except KnownError as error:
            log.info("%s: cache not opened for a transfer: %s", name, error)
            return None
        self._stores.append(store)
        engine = AccountEngine(spec.settings, store, spec.password, lambda event: None,
                               connector=spec.connector)
        self._engines[name] = engine
        return engine

    def close(self) -> None:
        for name, engine in self._engines.items():
            try:
                engine.close()
            except KnownError as error:
                log.info("%s: logout failed: %s", name, error)
        for store in self._stores:
            store.close()
        self._engines.clear()
        self._stores.clear()
