"""Writing mail through the account worker (EngineClient, its QThread) on Dovecot and
aiosmtpd: Undo send, offline then Retry, drafts, a restart after a kill mid-send, and
the status bar's Outbox view fed by the worker's events."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from helpers.dovecot import MailUser
from pytestqt.qtbot import QtBot
from test_drafts import account_for, copies, draft, text_of
from test_outbox import Smtp, server_messages
from test_outbox import draft as mail

from qtmail.core.commands import CancelSend, Replay, ResendMail, SaveDraft, SendMail
from qtmail.core.events import (
    DraftSaved,
    Event,
    MailSent,
    OutboxChanged,
    OutgoingState,
    SendCancelled,
)
from qtmail.qt.bridge import EngineClient
from qtmail.qt.widgets.status_bar import AccountStatusBar
from qtmail.store import Store

pytestmark = pytest.mark.dovecot


class Worker:
    def __init__(self, client: EngineClient) -> None:
        self.client = client
        self.events: list[Event] = []
        client.event.connect(self.events.append)

    def of(self, kind: type[Any]) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]

    def outbox(self) -> tuple[Any, ...]:
        changes = self.of(OutboxChanged)
        return changes[-1].items if changes else ()


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    server = Smtp()
    yield server
    server.stop()


@pytest.fixture
def start_worker(tmp_path: Path, qtbot: QtBot, smtp: Smtp
                 ) -> Iterator[Callable[..., Worker]]:
    made: list[EngineClient] = []
    before = set(threading.enumerate())

    def start(user: MailUser, cache: Path | None = None) -> Worker:
        settings = replace(account_for(user), smtp=smtp.settings)
        client = EngineClient(settings, cache or tmp_path / "cache.sqlite3",
                              lambda: user.password)
        made.append(client)
        worker = Worker(client)
        with qtbot.waitSignal(client.ready, timeout=10_000):
            client.start()
        return worker

    yield start
    for client in made:
        client.close()
        assert not client.running
    smtp_thread = getattr(smtp.controller, "_thread", None)  # stopped after this fixture
    left = [t for t in set(threading.enumerate()) - before
            if t.is_alive() and type(t).__name__ != "_DummyThread" and t is not smtp_thread]
    assert not left, f"threads left running: {left}"


def test_send_through_the_worker_lands_in_sent(start_worker: Callable[..., Worker],
                                               mail_user: MailUser, smtp: Smtp,
                                               qtbot: QtBot) -> None:
    smtp.start()
    worker = start_worker(mail_user)
    worker.client.sync_all()
    worker.client.send(SendMail(mail(mail_user), draft_id="c1"))
    qtbot.waitUntil(lambda: bool(worker.of(MailSent)), timeout=20_000)
    assert len(smtp.handler.received) == 1
    qtbot.waitUntil(lambda: len(server_messages(mail_user, "Sent")) == 1, timeout=20_000)
    assert b"\\Seen" in server_messages(mail_user, "Sent")[0][1]
    assert worker.outbox() == ()


def test_undo_send_within_the_delay_sends_nothing(start_worker: Callable[..., Worker],
                                                  mail_user: MailUser, smtp: Smtp,
                                                  qtbot: QtBot) -> None:
    smtp.start()
    worker = start_worker(mail_user)
    undone = mail(mail_user, subject="Oops")
    worker.client.send(SendMail(undone, draft_id="u1", delay_seconds=2.0))
    qtbot.waitUntil(lambda: [i.draft_id for i in worker.outbox()] == ["u1"], timeout=10_000)
    (item,) = worker.outbox()
    worker.client.send(CancelSend(item.outbox_id))
    qtbot.waitUntil(lambda: bool(worker.of(SendCancelled)), timeout=10_000)
    assert worker.of(SendCancelled)[0].draft == undone
    # A later message, due after the first one would have been: only it goes out.
    worker.client.send(SendMail(mail(mail_user, subject="Meant"), delay_seconds=2.5))
    qtbot.waitUntil(lambda: bool(worker.of(MailSent)), timeout=20_000)
    assert [e.subject for e in worker.of(MailSent)] == ["Meant"]
    (envelope,) = smtp.handler.received
    assert b"Subject: Meant" in envelope.original_content


def test_offline_message_goes_out_once_on_retry(start_worker: Callable[..., Worker],
                                                mail_user: MailUser, smtp: Smtp,
                                                qtbot: QtBot) -> None:
    worker = start_worker(mail_user)
    bar = AccountStatusBar()
    qtbot.addWidget(bar)
    bar.add_account(worker.client.account)
    worker.client.event.connect(
        lambda e: bar.set_outbox(e.account, e.items) if isinstance(e, OutboxChanged) else None)
    worker.client.send(SendMail(mail(mail_user)))
    qtbot.waitUntil(lambda: any(i.problem for i in worker.outbox()), timeout=20_000)
    (item,) = worker.outbox()
    assert item.state is OutgoingState.WAITING and "could not be reached" in item.problem
    qtbot.waitUntil(lambda: bar.outbox.text() == "1 message(s) in the Outbox"
                    or bar.outbox.text() == "1 message in the Outbox", timeout=5_000)
    smtp.start()
    worker.client.send(Replay())  # Retry / Get messages: no more backoff
    qtbot.waitUntil(lambda: bool(worker.of(MailSent)), timeout=20_000)
    worker.client.send(Replay())
    worker.client.sync_all()
    qtbot.waitUntil(lambda: len(server_messages(mail_user, "Sent")) == 1, timeout=20_000)
    assert len(smtp.handler.received) == 1
    qtbot.waitUntil(lambda: bar.outbox.isHidden(), timeout=5_000)


def test_failed_message_is_offered_again_from_the_status_bar(
        start_worker: Callable[..., Worker], mail_user: MailUser, smtp: Smtp,
        qtbot: QtBot) -> None:
    smtp.handler.refuse = {"john@example.org", "carol@example.org", "hidden@example.org"}
    smtp.start()
    worker = start_worker(mail_user)
    bar = AccountStatusBar()
    qtbot.addWidget(bar)
    bar.add_account(worker.client.account)
    worker.client.event.connect(
        lambda e: bar.set_outbox(e.account, e.items) if isinstance(e, OutboxChanged) else None)
    bar.resend.connect(lambda account, oid: worker.client.send(ResendMail(oid)))
    worker.client.send(SendMail(mail(mail_user, subject="Report")))
    qtbot.waitUntil(lambda: not bar.outbox_button.isHidden(), timeout=20_000)
    assert "could not be sent" in bar.outbox.text()
    actions = [a.text() for a in bar.outbox_menu.actions()]
    assert actions == ["Send “Report” again", "Discard “Report”"]
    smtp.handler.refuse = set()
    bar.outbox_menu.actions()[0].trigger()
    qtbot.waitUntil(lambda: bool(worker.of(MailSent)), timeout=20_000)
    assert len(smtp.handler.received) == 1
    qtbot.waitUntil(lambda: bar.outbox_button.isHidden(), timeout=5_000)


def test_a_restart_after_a_kill_mid_send_shows_maybe_sent(
        start_worker: Callable[..., Worker], mail_user: MailUser, smtp: Smtp,
        qtbot: QtBot, tmp_path: Path) -> None:
    smtp.start()
    cache = tmp_path / "killed.sqlite3"
    store = Store.open(cache)
    outbox_id = store.add_outgoing(
        mail(mail_user), draft_id="k1", raw=b"Subject: x\r\n\r\nbody\r\n", message_id="x@y",
        envelope_from=f"{mail_user.name}@example.org", recipients=["john@example.org"],
        replied=None, forwarded=None, send_after=0.0)
    store.update_outgoing(outbox_id, state="sending")  # the state a SIGKILL leaves
    store.close()
    worker = start_worker(mail_user, cache)
    qtbot.waitUntil(lambda: bool(worker.outbox()), timeout=10_000)
    (item,) = worker.outbox()
    assert item.state is OutgoingState.MAYBE_SENT and "may have been sent" in item.problem
    worker.client.sync_all()
    qtbot.waitUntil(lambda: any(getattr(e, "folder", "") == "INBOX" for e in worker.events),
                    timeout=20_000)
    assert smtp.handler.received == []


def test_save_draft_through_the_worker(start_worker: Callable[..., Worker],
                                       mail_user: MailUser, qtbot: QtBot) -> None:
    worker = start_worker(mail_user)
    worker.client.sync_all()
    worker.client.send(SaveDraft(draft(mail_user, "one"), "w1"))
    worker.client.send(SaveDraft(draft(mail_user, "two"), "w1"))
    qtbot.waitUntil(lambda: any(e.uid for e in worker.of(DraftSaved)), timeout=20_000)
    qtbot.waitUntil(lambda: [text_of(c[1]) for c in copies(mail_user)] == ["two"],
                    timeout=20_000)

