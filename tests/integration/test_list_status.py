"""An unchanged account with many folders resyncs in one round trip (issue 18 goal 5):
one LIST-STATUS (RFC 5819) stands in for a STATUS per folder, and a change in one
folder is still found."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers.dovecot import MailUser
from helpers.engine import EngineHarness
from helpers.mailgen import message

pytestmark = pytest.mark.dovecot

FOLDERS = [f"Projects/p{n:02d}" for n in range(20)]


def test_an_unchanged_account_is_one_list_status_and_a_change_is_still_found(
        mail_user: MailUser, harness_factory: Callable[..., EngineHarness]) -> None:
    with mail_user.imap() as client:
        for name in FOLDERS:
            client.create_folder(name)
            client.append(name, message(f"in {name}"))
    harness = harness_factory(mail_user)
    engine = harness.engine
    engine.sync_all()
    log = engine.session().command_log
    log.clear()
    reports = engine.sync_all()
    assert all(report.unchanged for report in reports)
    assert log.count("LIST RETURN (STATUS)") == 1
    assert not [c for c in log if c.startswith(("STATUS", "SELECT", "EXAMINE"))], log
    with mail_user.imap() as client:
        client.append(FOLDERS[7], message("arrived meanwhile"))
    log.clear()
    engine.sync_all()
    subjects = [m.subject for m in harness.store.summaries(FOLDERS[7])]
    assert sorted(subjects) == ["arrived meanwhile", f"in {FOLDERS[7]}"]


def test_a_first_sync_asks_no_status_before_the_inbox(
        mail_user: MailUser, harness_factory: Callable[..., EngineHarness]) -> None:
    """Before any folder is synced, a STATUS has nothing to be compared with, and Dovecot
    opens every folder's index to answer it: a new profile's first rows would wait."""
    with mail_user.imap() as client:
        for name in FOLDERS[:3]:
            client.create_folder(name)
        client.append("INBOX", message("first"))
    harness = harness_factory(mail_user)
    engine = harness.engine
    engine.session().command_log.clear()
    engine.sync_all()
    log = engine.session().command_log
    assert not [c for c in log if "STATUS" in c], log
    assert [m.subject for m in harness.store.summaries("INBOX")] == ["first"]
    log.clear()
    engine.sync_all()  # now synced: the next look is one LIST-STATUS again
    assert log.count("LIST RETURN (STATUS)") == 1
