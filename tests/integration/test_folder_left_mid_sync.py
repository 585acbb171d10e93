"""A folder renamed, moved or deleted by the user while it syncs: the window's commands
are taken between two parts of a sync, and while the account's connection waits for
the server (issue 18, goal 3). The sync then ends quietly (it crashed the worker with
FolderNotFound), nothing stored is lost, and the rest comes under the new name."""

from __future__ import annotations

import datetime as dt
import queue
import threading
from collections.abc import Callable
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
from qtmail.core.commands import Command, DeleteFolder, Operation, RenameFolder, SyncFolder
from qtmail.core.events import Event
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


def server_folders(user: MailUser) -> set[str]:
    client = user.imap()
    try:
        return {name for _flags, _delimiter, name in client.list_folders()}
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
    assert {"Projects/Old", moved} <= server_folders(mail_user)
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
    assert not {"Old", "Old/Inner"} & server_folders(mail_user)


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


def test_a_folder_moved_while_the_server_works_on_its_select(
        mail_user: MailUser, tmp_path: Path) -> None:
    """The case a GUI test met: the window's drag of Old onto Projects was taken while
    the account's connection waited for the SELECT of Old/Inner (here a proxy holds the
    answer); the sync's store writes then named a folder the cache no longer had."""
    old_inner_with_mail(mail_user, count=3)
    proxy = SwitchableProxy((mail_user.host, mail_user.port))
    proxy.start()
    commands: queue.Queue[Command] = queue.Queue()
    events: list[Event] = []
    failures: list[BaseException] = []
    taken = threading.Event()

    def take() -> None:  # as qt/worker.py takes the window's commands in
        turns.heard()
        while not commands.empty():
            scheduler.submit(commands.get())
            taken.set()

    scheduler = AccountScheduler("work", events.append, pause=take)
    store = Store.open(tmp_path / "cache.sqlite3")
    settings = account_for(mail_user)
    behind = replace(settings, imap=replace(settings.imap, port=proxy.port))
    engine = AccountEngine(behind, store, lambda: mail_user.password, scheduler.engine_event)
    scheduler.attach(Parts(engine, store))
    engine.sync_folder_list()
    proxy.hold_answer = b"Select completed"  # Dovecot's OK to a SELECT
    proxy.to_client.clear()
    scheduler.submit(SyncFolder("Old/Inner"))

    def worker() -> None:  # as an account's worker thread runs
        turns.enrol()
        try:
            scheduler.step()
        except BaseException as error:  # the failure this test is about
            failures.append(error)
        finally:
            turns.leave()

    syncing = threading.Thread(target=worker)
    syncing.start()
    try:
        assert proxy.holding.wait(10)  # the SELECT of Old/Inner waits for its answer
        move: Operation = RenameFolder("Old", "Projects/Old")
        commands.put(move)
        assert syncing.ident is not None
        turns.hurry(syncing.ident)  # as the window's bridge does with each command
        assert taken.wait(10), "the move waited for the SELECT"
        assert syncing.is_alive()  # still waiting for the server
    finally:
        proxy.to_client.set()
        syncing.join(30)
    assert not syncing.is_alive()
    assert failures == [] and scheduler.errors == []
    assert store.folder("Projects/Old/Inner") is not None  # the cache moved at once
    # The move reaches the server; then the folder list is synced again, and with it
    # the moved folder, whose sync had ended before it stored anything.
    scheduler.run_until_idle(limit=5)
    assert not scheduler.errors
    assert {"Projects/Old", "Projects/Old/Inner"} <= server_folders(mail_user)
    assert len(store.uids("Projects/Old/Inner")) == 3
    scheduler.close()
    proxy.stop()
