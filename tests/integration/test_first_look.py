"""A new account's first look (issue 18, goal 6): the Inbox's newest messages come before
the folder list, one round trip sooner on a real network; the sync then carries on from
them and ends with exactly the server's messages, each announced once."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import MailUser
from helpers.mailgen import message

from qtmail.accounts.settings import SyncPolicy
from qtmail.core.commands import SyncAll
from qtmail.core.events import Event, FoldersChanged, MessagesAdded, SyncProgress
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine
from qtmail.sync.folder_sync import FIRST_CHUNK, FolderSyncReport
from qtmail.sync.scheduler import AccountScheduler, Parts

pytestmark = pytest.mark.dovecot


class Account:
    """An account's scheduler and engine on a new cache, as the window's worker has."""

    def __init__(self, user: MailUser, path: Path, sync: SyncPolicy | None = None) -> None:
        self.events: list[Event] = []
        self.scheduler = AccountScheduler("work", self.events.append)
        self.store = Store.open(path)
        self.engine = AccountEngine(account_for(user, sync=sync), self.store,
                                    lambda: user.password, self.scheduler.engine_event)
        self.reports: list[FolderSyncReport] = []
        self.scheduler.attach(Parts(self.engine, self.store, on_report=self.reports.append))

    def sync(self) -> list[str]:
        """Get Messages until idle; the commands sent."""
        log = self.engine.session().command_log
        log.clear()
        self.scheduler.submit(SyncAll())
        self.scheduler.run_until_idle(limit=1.0)
        return list(log)

    def added(self, folder: str = "INBOX") -> list[tuple[int, ...]]:
        return [e.uids for e in self.events if isinstance(e, MessagesAdded)
                and e.folder == folder]


def fill(user: MailUser, count: int) -> list[int]:
    client = user.imap()
    try:
        client.multiappend("INBOX", [message(f"m{n:04d}") for n in range(count)])
        client.create_folder("Archive")
        client.append("Archive", message("archived"))
        client.select_folder("INBOX", readonly=True)
        return sorted(client.search("ALL"))
    finally:
        client.logout()


def test_a_new_account_gets_its_newest_mail_before_its_folder_list(
        mail_user: MailUser, tmp_path: Path) -> None:
    uids = fill(mail_user, 450)
    account = Account(mail_user, tmp_path / "cache.sqlite3")
    try:
        log = account.sync()
        listed = next(i for i, c in enumerate(log) if c.startswith("LIST"))
        assert log[:listed] == ["SELECT (CONDSTORE)", "FETCH"], log
        # INBOX is still selected: its sync goes on without a SELECT of its own.
        assert log[listed + 1:listed + 3] == ["NOOP", "UID SEARCH RETURN"], log
        kinds = [type(e) for e in account.events]
        assert kinds.index(FoldersChanged) < kinds.index(MessagesAdded)  # INBOX shown
        announced = account.added()
        assert sorted(announced[0]) == uids[-FIRST_CHUNK:]
        every = [uid for chunk in announced for uid in chunk]
        assert sorted(every) == uids, "each message announced exactly once"
        assert sorted(account.store.uids("INBOX")) == uids
        progress = [(e.done, e.total) for e in account.events
                    if isinstance(e, SyncProgress) and e.folder == "INBOX"]
        assert progress[0] == (FIRST_CHUNK, 450) and progress[-1] == (450, 450), progress
        assert [d for d, _ in progress] == sorted(d for d, _ in progress)
        # All 450 are new in the report (the command line's line; the local rules run on it).
        assert [r.added for r in account.reports if r.folder == "INBOX"] == [450]
        assert [m.subject for m in account.store.summaries("Archive")] == ["archived"]
        assert {"INBOX", "Archive"} <= {f.name for f in account.store.folders()}

        later = account.sync()  # folders known: the list comes first, as always
        assert later[0].startswith("LIST"), later
        assert "FETCH" not in later
    finally:
        account.scheduler.close()


def test_an_inbox_synced_by_date_is_not_looked_at_before_the_list(
        mail_user: MailUser, tmp_path: Path) -> None:
    """The newest by number may be older than the range the user chose."""
    fill(mail_user, 3)
    account = Account(mail_user, tmp_path / "cache.sqlite3", SyncPolicy(days=30))
    try:
        log = account.sync()
        assert log[0].startswith("LIST"), log
        assert len(account.store.uids("INBOX")) == 3
    finally:
        account.scheduler.close()


def test_mail_that_arrives_after_the_first_look_is_synced_once(
        mail_user: MailUser, tmp_path: Path) -> None:
    """The first look's SELECT stands for the Inbox's sync: what came since is found by
    its UID SEARCH, and the UIDNEXT kept is above it, so the next sync does not fetch it
    again."""
    uids = fill(mail_user, 250)
    store = Store.open(tmp_path / "cache.sqlite3")
    events: list[Event] = []
    engine = AccountEngine(account_for(mail_user), store, lambda: mail_user.password,
                           events.append)
    try:
        engine.first_look()
        mail_user.save(message("came meanwhile"))
        engine.sync_all()
        every = sorted(store.uids("INBOX"))
        assert len(every) == 251 and every[:250] == uids
        state = store.folder_state("INBOX")
        assert state is not None and state.uidnext > every[-1]
        events.clear()
        (inbox, *_rest) = engine.sync_all()
        assert inbox.folder == "INBOX" and inbox.added == 0
        assert not [e for e in events if isinstance(e, MessagesAdded)]
    finally:
        engine.close()
        store.close()
