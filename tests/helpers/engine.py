"""EngineHarness: an AccountEngine on a test mailbox, with its store and its events."""

from __future__ import annotations

from pathlib import Path

from helpers.accounts import account_for
from helpers.dovecot import MailUser
from qtmail.core.events import Event
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine


class EngineHarness:
    """An AccountEngine with its store and the events it emitted."""

    def __init__(self, user: MailUser, path: Path, **settings: object) -> None:
        self.user = user
        self.events: list[Event] = []
        self.settings = account_for(user, **settings)  # type: ignore[arg-type]
        self.store = Store.open(path)
        self.engine = AccountEngine(self.settings, self.store, lambda: user.password,
                                    self.events.append)

    def close(self) -> None:
        self.engine.close()
        self.store.close()
