"""A click after a sync moved the account's connection to another folder (issue 18,
goal 3): the body comes over the side connection, still open on the clicked folder,
without a SELECT of a big folder on the account's connection."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import MailUser
from helpers.mailgen import message

from qtmail.core.commands import FetchBody
from qtmail.core.events import BodyReady, Event
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine, connect_session
from qtmail.sync.scheduler import AccountScheduler, Parts
from qtmail.sync.side_bodies import SideBodies

pytestmark = pytest.mark.dovecot


def test_a_click_in_the_folder_the_side_connection_has_open_needs_no_select(
        mail_user: MailUser, tmp_path: Path) -> None:
    for n in range(3):
        mail_user.save(message(f"Inbox {n}", body=f"Inbox body {n}."))
    client = mail_user.imap()
    client.create_folder("Archive")
    client.logout()
    mail_user.save(message("Old", body="Archived."), folder="Archive")
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
