"""Fixtures for pytest-qt tests: a filled cache without a server, EngineClients on Dovecot."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.cache import FilledCache
from helpers.dovecot import MailUser
from helpers.proxy import SwitchableProxy

from qtmail.qt.bridge import EngineClient


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[FilledCache]:
    filled = FilledCache(tmp_path / "cache.sqlite3")
    yield filled
    filled.close()


@pytest.fixture
def client_factory(tmp_path: Path) -> Iterator[Callable[[MailUser], EngineClient]]:
    """EngineClients closed at teardown; no thread of theirs may survive it."""
    made: list[EngineClient] = []
    before = set(threading.enumerate())

    def make(user: MailUser) -> EngineClient:
        client = EngineClient(account_for(user), tmp_path / f"client{len(made)}.sqlite3",
                              lambda: user.password)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
        assert not client.running
    # A QThread that ran Python code shows up as a _DummyThread forever: the QThreads
    # are checked above; this catches push monitors and other Python threads.
    left = [t for t in set(threading.enumerate()) - before
            if t.is_alive() and type(t).__name__ != "_DummyThread"]
    assert not left, f"threads left running: {left}"


@pytest.fixture
def proxy(mail_user: MailUser) -> Iterator[SwitchableProxy]:
    """``mail_user``'s Dovecot behind a proxy the test can switch off and on."""
    switchable = SwitchableProxy((mail_user.host, mail_user.port))
    switchable.start()
    yield switchable
    switchable.stop()
