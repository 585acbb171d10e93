"""Fixtures for pytest-qt tests: a filled cache without a server, EngineClients on Dovecot."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from dovecot import MailUser

from qtmail.accounts.settings import AccountSettings, Security, ServerSettings, SyncPolicy
from qtmail.core.types import SEEN, Address, FolderInfo, FolderRole, FolderSyncState, MessageSummary
from qtmail.qt.bridge import EngineClient
from qtmail.store import Store

BASE_DATE = 1_700_000_000


def account_for(user: MailUser, *, name: str = "work") -> AccountSettings:
    """Plaintext on 127.0.0.1, as in tests/integration/conftest.py."""
    return AccountSettings(
        name=name, email=f"{user.name}@example.org",
        imap=ServerSettings(host=user.host, port=user.port, security=Security.NONE,
                            username=user.name, timeout=20),
        sync=SyncPolicy())


def folder(name: str, role: FolderRole = FolderRole.NONE, *,
           attributes: Sequence[str] = ()) -> FolderInfo:
    return FolderInfo(name=name, wire=name.encode(), delimiter="/",
                      attributes=frozenset(attributes), role=role)


def summary(uid: int, *, date: int | None = None, seen: bool = False) -> MessageSummary:
    """Message ``uid`` arrived at BASE_DATE + uid unless ``date`` says otherwise."""
    when = BASE_DATE + uid if date is None else date
    return MessageSummary(
        uid=uid, flags=frozenset({SEEN}) if seen else frozenset(), internaldate=when,
        size=1000 + uid, date=when, subject=f"Subject {uid}",
        sender=Address(f"Sender {uid % 7}", f"s{uid % 7}@example.org"),
        has_attachment=uid % 5 == 0)


class FilledCache:
    """A writer Store (the worker's role, here on the test's thread) and a GUI reader."""

    def __init__(self, path: Path) -> None:
        self.writer = Store.open(path)
        self.writer.save_folders([folder("INBOX", FolderRole.INBOX)])
        self.writer.set_folder_state("INBOX", FolderSyncState(uidvalidity=7, uidnext=1))
        self.reader = Store.open(path, readonly=True)

    def add(self, uids: Sequence[int], **kwargs: object) -> None:
        self.writer.add_summaries("INBOX", [summary(uid, **kwargs) for uid in uids])  # type: ignore[arg-type]

    def close(self) -> None:
        self.reader.close()
        self.writer.close()


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
