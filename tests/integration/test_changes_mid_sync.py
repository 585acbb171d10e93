"""The user's changes in the middle of a folder's sync: the window's commands are taken
between two parts of a sync, and while the account's connection waits for the server
(issue 18, goal 3).

- A folder renamed, moved or deleted meanwhile: the sync ends quietly (it crashed the
  worker with FolderNotFound), nothing stored is lost, the rest comes under the new name.
- A change taken while the connection waits for an answer waits for that answer to be
  stored, so the answer does not overwrite it."""

from __future__ import annotations

import datetime as dt
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import MailUser
from helpers.engine import EngineHarness
from helpers.mailgen import message
from helpers.proxy import SwitchableProxy

from qtmail.accounts.settings import SyncPolicy
from qtmail.core import turns
from qtmail.core.commands import Command, DeleteFolder, RenameFolder, SetFlags, SyncFolder
from qtmail.core.events import Event
from qtmail.core.types import FLAGGED, SEEN
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine
from qtmail.sync.scheduler import AccountScheduler, Parts

pytestmark = pytest.mark.dovecot

COUNT = 1450
"""200 by number, then a chunk of 1,000 in two parts (the command comes between them),
then 250."""


def old_inner_with_mail(user: MailUser, count: int = COUNT) -> None:
    client = user.imap()
    for name in ("Projects", "Old", "Old/Inner"):
        client.create_folder(name)
    if count:
        client.multiappend("Old/Inner", [message(f"m{n}") for n in range(count)])
    client.logout()


def server_uids(user: MailUser, folder: str) -> list[int]:
    client = user.imap()
    try:
        client.select_folder(folder, readonly=True)
        return sorted(client.search("ALL"))
    finally:
        client.logout()


def once(action: Callable[[], object]) -> Callable[[], None]:
    done: list[bool] = []

    def run() -> None:
        if not done:
            done.append(True)
            action()
    return run


def test_a_folder_moved_between_two_parts_of_its_sync_keeps_all_its_mail(
        harness: EngineHarness, mail_user: MailUser) -> None:
    old_inner_with_mail(mail_user)
    engine, store = harness.engine, harness.store
    engine.sync_folder_list()
    engine.between_parts = once(lambda: engine.apply(RenameFolder("Old", "Projects/Old")))

    report = engine.sync_folder("Old/Inner")

    assert report.left
    moved = "Projects/Old/Inner"
    assert store.folder("Old/Inner") is None
    assert store.message_count(moved) == 200  # the newest chunk, stored before the move
    engine.replay()
    assert {"Projects/Old", moved} <= mail_user.folder_names()
    report = engine.sync_folder(moved)
    assert not report.left
    assert sorted(store.uids(moved)) == server_uids(mail_user, moved)
    assert len(store.uids(moved)) == COUNT


def test_a_folder_deleted_between_two_parts_of_its_sync_is_gone_everywhere(
        harness: EngineHarness, mail_user: MailUser) -> None:
    old_inner_with_mail(mail_user)
    engine, store = harness.engine, harness.store
    engine.sync_folder_list()
    engine.between_parts = once(lambda: engine.apply(DeleteFolder("Old")))

    report = engine.sync_folder("Old/Inner")

    assert report.left
    assert {f.name for f in store.folders()} >= {"INBOX", "Projects"}
    assert not {"Old", "Old/Inner"} & {f.name for f in store.folders()}
    engine.replay()
    assert not {"Old", "Old/Inner"} & mail_user.folder_names()


def test_older_mail_asked_for_in_a_folder_moved_meanwhile(
        harness_factory: Callable[..., EngineHarness], mail_user: MailUser) -> None:
    """Fetch older messages (a sync range): the folder moved between two parts."""
    harness = harness_factory(mail_user, sync=SyncPolicy(days=30))
    old_inner_with_mail(mail_user, count=0)
    client = mail_user.imap()
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=100)
    client.multiappend("Old/Inner", [{"msg": message(f"old {n}"), "date": long_ago}
                                     for n in range(1200)])
    client.logout()
    engine, store = harness.engine, harness.store
    engine.sync_folder_list()
    engine.sync_folder("Old/Inner")
    assert store.message_count("Old/Inner") == 0  # all of it older than the range
    engine.between_parts = once(lambda: engine.apply(RenameFolder("Old", "Projects/Old")))

    assert engine.fetch_older("Old/Inner", 1200) == 0

    assert store.folder("Old/Inner") is None
    assert store.message_count("Projects/Old/Inner") == 0  # the parts stored nothing yet


class SyncBehindProxy:
    """An account's scheduler whose connection goes through a proxy that holds one
    answer of the server, and a worker thread that runs one step of it."""

    def __init__(self, user: MailUser, path: Path) -> None:
        self.proxy = SwitchableProxy((user.host, user.port))
        self.proxy.start()
        self.commands: queue.Queue[Command] = queue.Queue()
        self.taken = threading.Event()
        self.failures: list[BaseException] = []
        self.events: list[Event] = []
        self.scheduler = AccountScheduler("work", self.events.append, pause=self._take)
        self.store = Store.open(path)
        settings = account_for(user)
        behind = replace(settings, imap=replace(settings.imap, port=self.proxy.port))
        self.engine = AccountEngine(behind, self.store, lambda: user.password,
                                    self.scheduler.engine_event)
        self.scheduler.attach(Parts(self.engine, self.store))

    def _take(self) -> None:  # as qt/worker.py takes the window's commands in
        turns.heard()
        while not self.commands.empty():
            self.scheduler.submit(self.commands.get())
            self.taken.set()

    def sync_with_a_command_meanwhile(self, folder: str, held: bytes,
                                      command: Command) -> None:
        """Sync ``folder``; while the server's answer holding ``held`` waits in the proxy,
        the window sends ``command`` (and hurries the worker, as its bridge does)."""
        self.proxy.hold_answer = held
        self.proxy.to_client.clear()
        self.scheduler.submit(SyncFolder(folder))
        syncing = threading.Thread(target=self._step)
        syncing.start()
        try:
            assert self.proxy.holding.wait(10)  # the answer waits in the proxy
            self.commands.put(command)
            assert syncing.ident is not None
            turns.hurry(syncing.ident)
            assert self.taken.wait(10), "the command waited for the answer"
            assert syncing.is_alive()  # still waiting for the server
        finally:
            self.proxy.to_client.set()
            syncing.join(30)
        assert not syncing.is_alive()
        assert self.failures == [] and self.scheduler.errors == []

    def _step(self) -> None:  # as an account's worker thread runs
        turns.enrol()
        try:
            self.scheduler.step()
        except BaseException as error:  # the failure these tests are about
            self.failures.append(error)
        finally:
            turns.leave()

    def close(self) -> None:
        self.scheduler.close()
        self.proxy.stop()


@pytest.fixture
def behind_proxy(mail_user: MailUser, tmp_path: Path) -> Iterator[SyncBehindProxy]:
    made = SyncBehindProxy(mail_user, tmp_path / "cache.sqlite3")
    yield made
    made.close()


def test_a_folder_moved_while_the_server_works_on_its_select(
        behind_proxy: SyncBehindProxy, mail_user: MailUser) -> None:
    """The case a GUI test met: the window's drag of Old onto Projects was taken while
    the account's connection waited for the SELECT of Old/Inner; the sync's store
    writes then named a folder the cache no longer had."""
    old_inner_with_mail(mail_user, count=3)
    store = behind_proxy.store
    behind_proxy.engine.sync_folder_list()

    behind_proxy.sync_with_a_command_meanwhile(  # Dovecot's OK to a SELECT
        "Old/Inner", b"Select completed", RenameFolder("Old", "Projects/Old"))

    assert store.folder("Projects/Old/Inner") is not None  # the cache moved at once
    assert store.folder("Old/Inner") is None
    # The move reaches the server; the moved folder is synced (again) under its name.
    behind_proxy.scheduler.run_until_idle(limit=5)
    assert not behind_proxy.scheduler.errors
    assert {"Projects/Old", "Projects/Old/Inner"} <= mail_user.folder_names()
    assert len(store.uids("Projects/Old/Inner")) == 3


def test_marked_read_while_the_server_answers_a_flag_refresh(
        behind_proxy: SyncBehindProxy, mail_user: MailUser) -> None:
    """Another device flagged a message; the resync's FETCH of changed flags is on its
    way when the user marks that message read. The read mark stays (the server's
    answer, from before it, overwrote it in the cache: the row showed unread again)."""
    for n in range(3):
        mail_user.save(message(f"Inbox {n}"))
    client = mail_user.imap()
    client.create_folder("Archive")
    engine, store = behind_proxy.engine, behind_proxy.store
    engine.sync_all()
    engine.sync_folder("Archive")  # the account's connection leaves INBOX
    uid = store.uids("INBOX")[0]
    client.select_folder("INBOX")
    client.add_flags([uid], [FLAGGED])
    client.logout()

    behind_proxy.sync_with_a_command_meanwhile(
        "INBOX", b"Fetch completed", SetFlags("INBOX", (uid,), add=frozenset({SEEN})))

    assert {SEEN, FLAGGED} <= store.flags_map("INBOX")[uid]
    behind_proxy.scheduler.run_until_idle(limit=5)  # the read mark reaches the server
    client = mail_user.imap()
    client.select_folder("INBOX", readonly=True)
    assert {b"\\Seen", b"\\Flagged"} <= set(client.get_flags([uid])[uid])
    client.logout()
