"""Sending runs beside the account's worker (issue 18, goal 3).

The scheduler with the real engine on Dovecot and the real OutgoingWork: a message
being built, or an outgoing server that does not answer, or a big Sent copy on its way
to the server, must not keep the account from opening a message; quitting while a
message is being built must not lose it, and a Sent copy cut off on its way is in Sent
once.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import MailUser
from helpers.engine import EngineHarness
from helpers.mailgen import message
from helpers.proxy import SwitchableProxy
from test_outbox import Smtp, server_messages

from qtmail.accounts.settings import Security, ServerSettings
from qtmail.core.commands import FetchBody, ImportMessage, SendMail
from qtmail.core.events import (
    BodyReady,
    Event,
    OperationFailed,
    OutboxChanged,
    OutgoingState,
    SendFailed,
)
from qtmail.core.outgoing import Attachment, Draft
from qtmail.core.types import SEEN, Address
from qtmail.store import Store
from qtmail.store.spool import MESSAGE
from qtmail.sync.append_lane import AppendLane
from qtmail.sync.engine import AccountEngine, connect_session
from qtmail.sync.outgoing_work import OutgoingWork
from qtmail.sync.scheduler import AccountScheduler, Parts

pytestmark = pytest.mark.dovecot


@pytest.fixture
def silent_smtp() -> Iterator[int]:
    """A port whose connections are taken by the kernel and never greeted."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield int(sock.getsockname()[1])


class Account:
    """A scheduler driven as the window's worker drives it, recording its events."""

    def __init__(self, user: MailUser, path: Path, smtp_port: int,
                 appends_port: int | None = None) -> None:
        """``appends_port``: the Sent copies go on the APPEND lane, through that port."""
        self.events: list[Event] = []
        smtp = ServerSettings(host="127.0.0.1", port=smtp_port, security=Security.NONE,
                              timeout=4)
        self.scheduler = AccountScheduler("work", self.events.append)
        self.store = Store.open(path)
        settings = replace(account_for(user), smtp=smtp)
        self.engine = AccountEngine(settings, self.store,
                                    lambda: user.password, self.scheduler.engine_event)
        self.outgoing = OutgoingWork(self.engine, lambda: user.password,
                                     self.scheduler.engine_event, (60_000,))
        self.appends = None if appends_port is None else AppendLane(
            replace(settings, imap=replace(settings.imap, port=appends_port)),
            lambda: user.password, connect_session)
        self.scheduler.attach(Parts(self.engine, self.store, outgoing=self.outgoing,
                                    appends=self.appends))

    def step_until(self, done: object, limit: float = 60.0) -> None:
        """Step as the worker's timer would until ``done()`` (a bound on a hang)."""
        deadline = time.monotonic() + limit
        while not done():  # type: ignore[operator]
            assert time.monotonic() < deadline, "the account never got there"
            wait = self.scheduler.step()
            if wait:
                time.sleep(min(wait, 0.05))

    def states(self) -> list[OutgoingState]:
        changes = [e for e in self.events if isinstance(e, OutboxChanged)]
        return [item.state for item in changes[-1].items] if changes else []

    def of(self, kind: type) -> list[Event]:
        return [e for e in self.events if isinstance(e, kind)]


def draft(user: MailUser, attachment_bytes: int = 0) -> Draft:
    attachments = (Attachment("scan.pdf", "application/pdf", bytes(range(256))
                              * (attachment_bytes // 256)),) if attachment_bytes else ()
    return Draft(from_address=Address("", f"{user.name}@example.org"),
                 to=(Address("", "john@example.org"),), subject="Report",
                 body_text="Here it is.\n", attachments=attachments)


def test_a_silent_outgoing_server_does_not_hold_up_reading(
        mail_user: MailUser, tmp_path: Path, silent_smtp: int) -> None:
    mail_user.save(message("Read me", body="The body the user opens."))
    account = Account(mail_user, tmp_path / "cache.sqlite3", silent_smtp)
    account.engine.sync_all()
    uid = account.store.summaries("INBOX", limit=1)[0].uid
    account.scheduler.submit(SendMail(draft(mail_user)))
    account.step_until(lambda: OutgoingState.SENDING in account.states())

    account.scheduler.submit(FetchBody("INBOX", uid, request_id=7))
    account.scheduler.step()
    # Answered on the next turn, while the server still has not said a word.
    bodies = account.of(BodyReady)
    assert [b.request_id for b in bodies] == [7]  # type: ignore[attr-defined]
    assert b"The body the user opens." in bodies[0].raw  # type: ignore[attr-defined]
    assert account.states() == [OutgoingState.SENDING]

    # The connection attempt ends in its own time: the message waits, with the reason.
    account.step_until(lambda: account.states() == [OutgoingState.WAITING])
    (item,) = [e for e in account.events if isinstance(e, OutboxChanged)][-1].items
    assert item.problem
    assert not account.of(SendFailed)  # a retry comes, not a refusal
    account.scheduler.close()


def test_a_big_message_is_built_beside_and_kept_when_closing(
        mail_user: MailUser, tmp_path: Path, silent_smtp: int) -> None:
    mail_user.save(message("Read me"))
    path = tmp_path / "cache.sqlite3"
    account = Account(mail_user, path, silent_smtp)
    account.engine.sync_all()
    uid = account.store.summaries("INBOX", limit=1)[0].uid
    big = draft(mail_user, attachment_bytes=10 * 1024 * 1024)
    account.scheduler.submit(SendMail(big, delay_seconds=600))
    account.scheduler.submit(FetchBody("INBOX", uid, request_id=1))
    account.scheduler.step()
    # The body is answered before the big message is even in the Outbox.
    assert account.of(BodyReady)
    assert not account.states()
    # Quitting at once: the message being built is stored, not lost with the window.
    account.scheduler.close()
    with Store.open(path) as store:
        (row,) = store.outgoing()
        assert row.draft.subject == "Report"
        assert len(row.raw) > 10 * 1024 * 1024


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    server = Smtp()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def held(mail_user: MailUser) -> Iterator[SwitchableProxy]:
    """Dovecot behind a proxy, for the APPEND lane's connection only."""
    proxy = SwitchableProxy((mail_user.host, mail_user.port))
    proxy.start()
    yield proxy
    proxy.to_server.set()
    proxy.to_client.set()
    proxy.stop()


def sent_copies(user: MailUser, subject: bytes) -> int:
    return sum(f"Subject: {subject.decode()}".encode() in raw
               for raw, _flags in server_messages(user, "Sent"))


def test_a_message_opens_while_a_big_sent_copy_goes_to_the_server(
        mail_user: MailUser, tmp_path: Path, smtp: Smtp, held: SwitchableProxy) -> None:
    """Issue 18: the Sent copy of a message with a big attachment is a long APPEND; on
    the account's connection the click waited for it. Here the server hears none of
    it until the click is answered."""
    mail_user.save(message("Read me", body="The body the user opens."))
    account = Account(mail_user, tmp_path / "cache.sqlite3", smtp.port, held.port)
    account.engine.sync_all()
    uid = account.store.summaries("INBOX", limit=1)[0].uid
    held.to_server.clear()
    account.scheduler.submit(SendMail(draft(mail_user, attachment_bytes=3 * 1024 * 1024)))
    assert account.appends is not None
    account.step_until(lambda: account.appends.busy)  # type: ignore[union-attr]

    account.scheduler.submit(FetchBody("INBOX", uid, request_id=7))
    account.scheduler.step()
    bodies = account.of(BodyReady)
    assert [b.request_id for b in bodies] == [7]  # type: ignore[attr-defined]
    assert account.appends.busy and sent_copies(mail_user, b"Report") == 0

    held.to_server.set()
    account.step_until(lambda: not account.appends.busy  # type: ignore[union-attr]
                       and not account.store.pending())
    assert sent_copies(mail_user, b"Report") == 1
    assert [s.subject for s in account.store.summaries("Sent", limit=5)] == ["Report"]
    assert list(account.store.spool.directory.iterdir()) == []  # nothing left behind
    account.scheduler.close()


def test_a_sent_copy_whose_answer_was_lost_is_in_sent_once(
        mail_user: MailUser, tmp_path: Path, smtp: Smtp, held: SwitchableProxy) -> None:
    """The server stored the APPEND but its OK never came (the connection dropped): the
    retry finds the Message-ID in Sent and does not append it again."""
    account = Account(mail_user, tmp_path / "cache.sqlite3", smtp.port, held.port)
    account.engine.sync_all()
    held.hold_answer = b"Append completed"  # Dovecot's OK to an APPEND
    held.to_client.clear()
    account.scheduler.submit(SendMail(draft(mail_user, attachment_bytes=256 * 1024)))
    assert account.appends is not None
    account.step_until(lambda: sent_copies(mail_user, b"Report") == 1)
    assert account.appends.busy  # its OK is held in the proxy
    held.stop()  # the connection drops before the answer
    held.to_client.set()
    held.start()  # the server is back, on the same port
    account.step_until(lambda: not account.store.pending(), limit=30)
    assert sent_copies(mail_user, b"Report") == 1
    assert list(account.store.spool.directory.iterdir()) == []
    account.scheduler.close()


def test_a_sent_copy_whose_spool_file_was_removed_fails_and_the_queue_goes_on(
        mail_user: MailUser, harness: EngineHarness) -> None:
    """The spool lives beside the cache; a file removed by hand (or a cleaning tool)
    cannot come back, so its APPEND fails once, with a sentence, instead of failing at
    every replay and holding up every change queued after it."""
    engine, store = harness.engine, harness.store
    engine.sync_all()
    token = store.spool.put({MESSAGE: message("Lost copy")})
    store.spool.claim(token)
    engine.apply(ImportMessage("INBOX", b"", frozenset({SEEN}), spool=token))
    engine.apply(ImportMessage("INBOX", message("Queued after it"), frozenset({SEEN})))
    for path in store.spool.directory.iterdir():
        path.unlink()
    engine.replay()
    failed = [e for e in harness.events if isinstance(e, OperationFailed)]
    assert len(failed) == 1 and "is missing" in failed[0].message
    assert not store.pending(states=("queued",))
    assert server_subjects(mail_user) == ["Queued after it"]


def server_subjects(user: MailUser) -> list[str]:
    imap = user.imap()
    try:
        imap.select_folder("INBOX", readonly=True)
        uids = imap.search("ALL")
        return [data[b"ENVELOPE"].subject.decode()
                for data in imap.fetch(uids, ["ENVELOPE"]).values()] if uids else []
    finally:
        imap.logout()
