"""A click after a sync moved the account's connection to another folder (issue 18,
goal 3): the body comes over the side connection, still open on the clicked folder,
without a SELECT of a big folder on the account's connection; that connection is made
ready beside the worker."""

from __future__ import annotations

import queue
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import MailUser
from helpers.mailgen import message
from helpers.proxy import SwitchableProxy

from qtmail.accounts.settings import AccountSettings
from qtmail.core import turns
from qtmail.core.commands import Command, FetchBody, FetchPreviews, SyncFolder
from qtmail.core.errors import ServerUnreachable
from qtmail.core.events import BodyReady, Event
from qtmail.imap.session import ImapSession
from qtmail.net.sasl import Secret
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine, connect_session
from qtmail.sync.scheduler import AccountScheduler, Parts
from qtmail.sync.side_bodies import SideBodies

pytestmark = pytest.mark.dovecot


def inbox_and_archive(user: MailUser) -> None:
    """Three messages in INBOX ("Inbox body n."), one in a new folder Archive."""
    for n in range(3):
        user.save(message(f"Inbox {n}", body=f"Inbox body {n}."))
    client = user.imap()
    client.create_folder("Archive")
    client.logout()
    user.save(message("Old", body="Archived."), folder="Archive")


def test_a_click_in_the_folder_the_side_connection_has_open_needs_no_select(
        mail_user: MailUser, tmp_path: Path) -> None:
    inbox_and_archive(mail_user)
    events: list[Event] = []
    scheduler = AccountScheduler("work", events.append)
    store = Store.open(tmp_path / "cache.sqlite3")
    settings = account_for(mail_user)
    engine = AccountEngine(settings, store, lambda: mail_user.password,
                           scheduler.engine_event)
    side = SideBodies(settings, lambda: mail_user.password, connect_session)
    scheduler.attach(Parts(engine, store, side))
    engine.sync_all()
    first, second = [s.uid for s in store.summaries("INBOX", limit=3)][:2]
    # A click mid-sync opened INBOX on the side connection; the sync went on to Archive.
    assert side.answer(engine, FetchBody("INBOX", first, request_id=1)) is not None
    engine.sync_folder("Archive")
    assert side.has_open("INBOX") and not engine.has_open("INBOX")

    scheduler.submit(FetchBody("INBOX", second, request_id=2))
    scheduler.step()
    (ready,) = [e for e in events if isinstance(e, BodyReady)]
    assert ready.request_id == 2 and b"Inbox body" in ready.raw
    assert not engine.has_open("INBOX")  # the account's connection stayed where it was
    scheduler.close()


def test_the_side_connection_is_made_ready_beside_the_worker(mail_user: MailUser,
                                                             tmp_path: Path) -> None:
    """Issue 18 goal 3: the connection, login and EXAMINE of the side connection are
    made on a lane of its own before a click; the click then finds it open."""
    mail_user.save(message("Hello", body="Ready body."))
    store = Store.open(tmp_path / "cache.sqlite3")
    settings = account_for(mail_user)
    engine = AccountEngine(settings, store, lambda: mail_user.password, lambda e: None)
    engine.sync_all()
    (uid,) = store.uids("INBOX")
    threads: list[str] = []

    def connector(settings: AccountSettings, password: Secret) -> ImapSession:
        threads.append(threading.current_thread().name)
        return connect_session(settings, password)

    side = SideBodies(settings, lambda: mail_user.password, connector)
    side.prepare(engine, "INBOX")
    assert side.connected and side.open_folder == "INBOX"
    answer = side.answer(engine, FetchBody("INBOX", uid, request_id=1))
    assert isinstance(answer, BodyReady) and b"Ready body" in answer.raw
    assert threads == ["lane-side-" + settings.name]  # one connection, not the worker's
    assert side.has_open("INBOX")
    side.prepare(engine, "INBOX")  # open there already: nothing to do
    side.stop()
    assert not side.connected
    assert not [t for t in threading.enumerate() if t.name.startswith("lane-side-")]
    engine.close()
    store.close()


def test_a_failed_preparation_lets_requests_wait_for_the_main_connection(
        mail_user: MailUser, tmp_path: Path) -> None:
    mail_user.save(message("Hello"))
    store = Store.open(tmp_path / "cache.sqlite3")
    settings = account_for(mail_user)
    engine = AccountEngine(settings, store, lambda: mail_user.password, lambda e: None)
    engine.sync_all()
    (uid,) = store.uids("INBOX")

    def refused(settings: AccountSettings, password: Secret) -> ImapSession:
        raise ServerUnreachable("The server cannot be reached.")

    side = SideBodies(settings, lambda: mail_user.password, refused)
    side.prepare(engine, "INBOX")
    assert side.answer(engine, FetchBody("INBOX", uid, request_id=1)) is None
    side.prepare(engine, "INBOX")  # resting after the failure: no new attempt
    assert not side.connected
    side.stop()
    engine.close()
    store.close()


def test_mail_delivered_after_the_side_connection_opened_the_folder_still_opens(
        mail_user: MailUser, tmp_path: Path) -> None:
    """The side connection keeps INBOX open between clicks; a message delivered since
    and listed by the main connection's sync opens over it (Dovecot answers a FETCH of
    a message the connection was not told of with nothing: it read as gone)."""
    mail_user.save(message("Before", body="Already here."))
    store = Store.open(tmp_path / "cache.sqlite3")
    settings = account_for(mail_user)
    engine = AccountEngine(settings, store, lambda: mail_user.password, lambda _e: None)
    side = SideBodies(settings, lambda: mail_user.password, connect_session)
    try:
        engine.sync_all()
        (before,) = [s.uid for s in store.summaries("INBOX", limit=5)]
        side.prepare(engine, "INBOX")
        assert side.answer(engine, FetchBody("INBOX", before, request_id=1)) is not None
        mail_user.save(message("After", body="Just arrived."))
        engine.sync_folder("INBOX")
        after = next(s.uid for s in store.summaries("INBOX", limit=5) if s.subject == "After")
        answer = side.answer(engine, FetchBody("INBOX", after, request_id=2))
        assert isinstance(answer, BodyReady) and b"Just arrived." in answer.raw
        mail_user.save(message("Later", body="The first words of it."))
        engine.sync_folder("INBOX")  # a preview line is made for the new row: found too
        later = next(s.uid for s in store.summaries("INBOX", limit=5) if s.subject == "Later")
        assert side.previews(engine, FetchPreviews("INBOX", (later,))) == [later]
    finally:
        side.stop()
        engine.close()
        store.close()


def test_a_click_while_the_server_works_on_a_select_is_answered_beside(
        mail_user: MailUser, tmp_path: Path) -> None:
    """Issue 18 goal 3: the account's connection waits for the server's answer to a
    SELECT (Dovecot takes 40-90 ms for a large folder; here a proxy holds the answer);
    meanwhile a click is taken and its body comes over the side connection, instead of
    waiting for the SELECT and the sync's first part."""
    inbox_and_archive(mail_user)
    proxy = SwitchableProxy((mail_user.host, mail_user.port))
    proxy.start()
    clicks: queue.Queue[Command] = queue.Queue()
    answered = threading.Event()
    events: list[Event] = []

    def emit(event: Event) -> None:
        events.append(event)
        if isinstance(event, BodyReady):
            answered.set()

    def take() -> None:  # as qt/worker.py takes the window's commands in
        turns.heard()
        while not clicks.empty():
            scheduler.submit(clicks.get())

    scheduler = AccountScheduler("work", emit, pause=take)
    store = Store.open(tmp_path / "cache.sqlite3")
    settings = account_for(mail_user)
    behind = replace(settings, imap=replace(settings.imap, port=proxy.port))
    engine = AccountEngine(behind, store, lambda: mail_user.password, scheduler.engine_event)
    side = SideBodies(settings, lambda: mail_user.password, connect_session)
    scheduler.attach(Parts(engine, store, side))
    engine.sync_all()
    engine.sync_folder("Archive")  # the account's connection leaves INBOX
    side.prepare(engine, "INBOX")
    uid = store.summaries("INBOX", limit=1)[0].uid
    assert not store.has_body("INBOX", uid)
    mail_user.save(message("New", body="Just in."))  # INBOX changed: the sync selects it

    proxy.hold_answer = b"Select completed"  # Dovecot's OK to a SELECT
    proxy.to_client.clear()
    scheduler.submit(SyncFolder("INBOX"))
    def worker() -> None:  # as an account's worker thread runs
        turns.enrol()
        try:
            scheduler.step()
        finally:
            turns.leave()

    syncing = threading.Thread(target=worker)
    syncing.start()
    try:
        assert proxy.holding.wait(10)  # the SELECT of INBOX waits for its answer
        clicks.put(FetchBody("INBOX", uid, request_id=7))
        assert syncing.ident is not None
        turns.hurry(syncing.ident)  # as the window's bridge does with each command
        assert answered.wait(10), "the click waited for the SELECT"
        (ready,) = [e for e in events if isinstance(e, BodyReady)]
        assert ready.request_id == 7 and b"Inbox body" in ready.raw
        assert syncing.is_alive()  # still waiting for the server
    finally:
        proxy.to_client.set()
        syncing.join(30)
    assert not syncing.is_alive() and not scheduler.errors
    assert engine.has_open("INBOX")  # the sync went on once the answer came
    scheduler.close()
    proxy.stop()
