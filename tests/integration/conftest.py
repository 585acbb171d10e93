"""Fixtures for engine-level integration tests: an account on a fresh Dovecot mailbox."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from dovecot import DovecotServer, MailUser

from qtmail.accounts.settings import AccountSettings, Security, ServerSettings, SyncPolicy
from qtmail.core.events import Event
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine

pytestmark = pytest.mark.dovecot


def account_for(user: MailUser, *, name: str = "work", sync: SyncPolicy | None = None,
                body_cache_mb: int = 1024) -> AccountSettings:
    """Plaintext on 127.0.0.1 (an explicit opt-in); TLS is covered in test_tls.py."""
    return AccountSettings(
        name=name, email=f"{user.name}@example.org",
        imap=ServerSettings(host=user.host, port=user.port, security=Security.NONE,
                            username=user.name, timeout=20),
        sync=sync or SyncPolicy(), body_cache_mb=body_cache_mb)


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


@pytest.fixture
def harness_factory(tmp_path: Path) -> Iterator[Callable[..., EngineHarness]]:
    made: list[EngineHarness] = []

    def make(user: MailUser, path: Path | None = None, **settings: object) -> EngineHarness:
        harness = EngineHarness(user, path or tmp_path / f"cache{len(made)}.sqlite3",
                                **settings)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.close()


@pytest.fixture
def harness(mail_user: MailUser,
            harness_factory: Callable[..., EngineHarness]) -> EngineHarness:
    return harness_factory(mail_user)


@pytest.fixture
def variant_user(dovecot_servers: Callable[[str], DovecotServer],
                 request: pytest.FixtureRequest) -> MailUser:
    return dovecot_servers(request.param).new_user()
