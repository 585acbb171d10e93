"""A new folder's newest messages come by sequence number, before the UID SEARCH of the
whole folder (issue 18): the list fills sooner, and the sync still ends with exactly
the server's messages, each fetched and announced once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers.dovecot import MailUser
from helpers.engine import EngineHarness
from helpers.mailgen import message

from qtmail.core.errors import ServerError
from qtmail.core.events import MessagesAdded, MessagesRemoved, SyncProgress
from qtmail.sync.folder_sync import FIRST_CHUNK

pytestmark = pytest.mark.dovecot


def fill(user: MailUser, count: int) -> list[int]:
    """``count`` messages in the Inbox; their UIDs, ascending."""
    client = user.imap()
    try:
        client.multiappend("INBOX", [message(f"m{n:04d}") for n in range(count)])
        client.select_folder("INBOX", readonly=True)
        return sorted(client.search("ALL"))
    finally:
        client.logout()


def added_in(harness: EngineHarness, folder: str = "INBOX") -> list[tuple[int, ...]]:
    return [e.uids for e in harness.events if isinstance(e, MessagesAdded)
            and e.folder == folder]


@pytest.mark.parametrize("variant_user", ["full", "no-condstore"], indirect=True)
def test_the_newest_come_first_by_number_then_the_rest_by_uid(
        variant_user: MailUser, harness_factory: Callable[..., EngineHarness]) -> None:
    uids = fill(variant_user, 450)
    harness = harness_factory(variant_user)
    log = harness.engine.session().command_log
    log.clear()

    harness.engine.sync_all()

    first_fetch = log.index("FETCH")  # by number: no UID before it
    assert log[first_fetch + 1].startswith("UID SEARCH"), log
    announced = added_in(harness)
    assert sorted(announced[0]) == uids[-FIRST_CHUNK:]
    every = [uid for chunk in announced for uid in chunk]
    assert sorted(every) == uids, "each message announced exactly once"
    assert sorted(harness.store.uids("INBOX")) == uids
    progress = [e for e in harness.events if isinstance(e, SyncProgress)
                and e.folder == "INBOX"]
    assert progress[0].done == FIRST_CHUNK
    assert (progress[-1].done, progress[-1].total) == (450, 450)


def test_a_small_new_folder_is_one_fetch_by_number(
        harness: EngineHarness, mail_user: MailUser) -> None:
    uids = fill(mail_user, 3)
    log = harness.engine.session().command_log
    log.clear()
    harness.engine.sync_all()
    assert added_in(harness) == [tuple(uids)]
    assert "UID FETCH" not in log  # nothing left once the newest were there


def test_one_of_the_newest_expunged_meanwhile_leaves_the_cache(
        harness: EngineHarness, mail_user: MailUser) -> None:
    """Expunged by another device after the FETCH by number: Dovecot still lists it in
    the SEARCH (the session has not been told yet), so the first sync keeps it, as it
    keeps any message expunged while it runs; the next sync removes it."""
    uids = fill(mail_user, 250)
    session = harness.engine.session()
    search = session.search_uids
    gone = uids[-2]

    def expunged_first(criteria: str = "ALL") -> list[int]:
        if criteria == "ALL":  # the first sync's whole-folder SEARCH
            other = mail_user.imap()
            other.select_folder("INBOX")
            other.delete_messages(gone)
            other.expunge()
            other.logout()
        return search(criteria)

    session.search_uids = expunged_first  # type: ignore[method-assign]
    harness.engine.sync_all()
    assert gone in added_in(harness)[0]
    harness.engine.sync_all()

    assert sorted(harness.store.uids("INBOX")) == [u for u in uids if u != gone]
    removed = [u for e in harness.events if isinstance(e, MessagesRemoved) for u in e.uids]
    assert removed == [gone]
    assert harness.store.counts("INBOX").total == 249


def test_one_of_the_newest_the_search_does_not_find_leaves_the_cache_at_once(
        harness: EngineHarness, mail_user: MailUser) -> None:
    """A server that reports an expunge before its SEARCH result (as RFC 3501 7.4.1
    allows during a UID SEARCH) does not list the message: gone from the cache with the
    first sync."""
    uids = fill(mail_user, 250)
    session = harness.engine.session()
    search = session.search_uids
    gone = uids[-2]

    def without_gone(criteria: str = "ALL") -> list[int]:
        return [uid for uid in search(criteria) if uid != gone]

    session.search_uids = without_gone  # type: ignore[method-assign]
    harness.engine.sync_all()

    assert gone in added_in(harness)[0]
    assert sorted(harness.store.uids("INBOX")) == [u for u in uids if u != gone]
    removed = [u for e in harness.events if isinstance(e, MessagesRemoved) for u in e.uids]
    assert removed == [gone]
    assert harness.store.counts("INBOX").total == 249


def test_a_refused_fetch_by_number_leaves_the_newest_to_the_uid_chunks(
        harness: EngineHarness, mail_user: MailUser) -> None:
    uids = fill(mail_user, 250)
    session = harness.engine.session()

    def refused(first: int, last: int, build: object = None) -> object:
        raise ServerError("refused", server_text="Some messages were expunged")

    session.fetch_newest = refused  # type: ignore[assignment]
    harness.engine.sync_all()

    announced = added_in(harness)
    assert sorted(announced[0]) == uids[-FIRST_CHUNK:]
    assert sorted(uid for chunk in announced for uid in chunk) == uids
    assert sorted(harness.store.uids("INBOX")) == uids
