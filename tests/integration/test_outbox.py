"""The Outbox against aiosmtpd on 127.0.0.1 and the real Dovecot (issue 6; RELIABILITY I).

Engine level, no Qt: qtmail.sync.outbox.Outbox on an EngineHarness. What the SMTP
server received is parsed; the Sent copy and \\Answered are checked from an
independent IMAP connection.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email import policy
from email.parser import BytesParser
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from helpers.dovecot import MailUser
from helpers.engine import EngineHarness
from helpers.mailgen import message

from qtmail.accounts.settings import Security, ServerSettings
from qtmail.core.commands import SendMail
from qtmail.core.errors import ServerUnreachable
from qtmail.core.events import MailSent, OutboxChanged, OutgoingState, SendCancelled, SendFailed
from qtmail.core.outgoing import Attachment, Draft
from qtmail.core.types import ANSWERED, FORWARDED, MessageRef
from qtmail.core.types import Address as Addr
from qtmail.smtp.errors import InvalidDraft
from qtmail.store.outgoing import SENDING
from qtmail.sync.drafts import Drafts
from qtmail.sync.outbox import Outbox

pytestmark = pytest.mark.dovecot

PDF = bytes(range(256)) * 40 + b"\r\n.\r\n..\n"


@dataclass
class Handler:
    """Counts what arrived; refuses recipients or drops the line after DATA on request."""

    refuse: set[str] = field(default_factory=set)
    drop_after_data: bool = False
    received: list[Envelope] = field(default_factory=list)

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.drop_after_data:
            # The whole message arrived; the line goes before the reply (RFC 5321 6.1).
            assert server.transport is not None
            server.transport.abort()
            return "250 never seen"
        self.received.append(envelope)
        return "250 2.0.0 Ok: queued"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Smtp:
    port: int = field(default_factory=free_port)
    handler: Handler = field(default_factory=Handler)
    controller: Controller | None = None

    @property
    def settings(self) -> ServerSettings:
        return ServerSettings(host="127.0.0.1", port=self.port, security=Security.NONE,
                              timeout=10)

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    """Not started: a test starts it (or leaves it down to be offline)."""
    server = Smtp()
    yield server
    server.stop()


class Sending:
    """An engine on a fresh Dovecot user plus its Outbox, sending to ``smtp``."""

    def __init__(self, harness: EngineHarness, smtp: Smtp) -> None:
        self.harness = harness
        harness.engine.settings = replace(harness.settings, smtp=smtp.settings)
        self.outbox = Outbox(harness.engine, lambda: harness.user.password,
                             harness.events.append)

    def of(self, kind: type[Any]) -> list[Any]:
        return [e for e in self.harness.events if isinstance(e, kind)]


@pytest.fixture
def sending(harness: EngineHarness, smtp: Smtp) -> Sending:
    harness.engine.sync_all()
    return Sending(harness, smtp)


def draft(user: MailUser, **changes: Any) -> Draft:
    fields: dict[str, Any] = dict(
        from_address=Addr("Älice Example", f"{user.name}@example.org"),
        to=(Addr("Doe, John", "john@example.org"),),
        cc=(Addr('Carol "CJ" Smith', "carol@example.org"),),
        bcc=(Addr("", "hidden@example.org"),),
        subject="Grüße – 添付ファイル",
        body_text="Hello,\n\n.a line starting with a dot\nsee the attachments.\n",
        attachments=(Attachment("Übersicht 2026.pdf", "application/pdf", PDF),
                     Attachment("日本語.txt", "text/plain", "テキスト\n".encode())))
    fields.update(changes)
    return Draft(**fields)


def server_messages(user: MailUser, folder: str) -> list[tuple[bytes, tuple[bytes, ...]]]:
    """(raw, flags) of every message in ``folder``, from an independent connection."""
    client = user.imap()
    try:
        client.select_folder(folder, readonly=True)
        uids = client.search(["ALL"])
        data = client.fetch(uids, ["BODY.PEEK[]", "FLAGS"]) if uids else {}
        return [(item[b"BODY[]"], tuple(item[b"FLAGS"])) for item in data.values()]
    finally:
        client.logout()


def test_send_with_attachments_files_in_sent_and_answers(
        sending: Sending, smtp: Smtp, mail_user: MailUser) -> None:
    smtp.start()
    mail_user.save(message("Question", sender="John <john@example.org>"))
    engine = sending.harness.engine
    engine.sync_folder("INBOX")
    state = engine.store.folder_state("INBOX")
    assert state is not None
    (original,) = engine.store.summaries("INBOX")
    replied = MessageRef(engine.name, "INBOX", state.uidvalidity, original.uid)
    sent_draft = draft(mail_user, in_reply_to=original.message_id,
                       references=(original.message_id,))

    outbox_id = sending.outbox.queue(SendMail(sent_draft, draft_id="d1", replied=replied))
    changed = sending.of(OutboxChanged)[-1]
    assert [(i.outbox_id, i.state, i.draft_id) for i in changed.items] == [
        (outbox_id, OutgoingState.WAITING, "d1")]
    assert sending.outbox.send_due() == 1

    (envelope,) = smtp.handler.received
    assert envelope.mail_from == f"{mail_user.name}@example.org"
    assert envelope.rcpt_tos == ["john@example.org", "carol@example.org",
                                 "hidden@example.org"]
    raw = envelope.original_content
    assert isinstance(raw, bytes)
    assert b"hidden@example.org" not in raw
    got = BytesParser(policy=policy.default).parsebytes(raw)
    assert "Bcc" not in got
    assert got["Subject"] == sent_draft.subject
    assert got["In-Reply-To"] == f"<{original.message_id}>"
    assert str(got["Message-ID"]).endswith("@example.org>")
    assert [(a.display_name, a.addr_spec) for a in got["To"].addresses] == [
        ("Doe, John", "john@example.org")]
    assert got["From"].addresses[0].display_name == "Älice Example"
    files = {part.get_filename(): part.get_payload(decode=True)
             for part in got.iter_attachments()}
    assert files == {a.filename: a.data for a in sent_draft.attachments}
    assert [e.outbox_id for e in sending.of(MailSent)] == [outbox_id]
    assert sending.of(OutboxChanged)[-1].items == ()
    assert sending.outbox.send_due() == 0  # gone from the Outbox: never twice

    engine.replay()  # the Sent copy and \Answered are queued operations
    (sent,) = server_messages(mail_user, "Sent")
    assert b"\\Seen" in sent[1]
    copy = BytesParser(policy=policy.default).parsebytes(sent[0])
    assert copy["Message-ID"] == got["Message-ID"]
    assert {p.get_filename() for p in copy.iter_attachments()} == set(files)
    (inbox,) = server_messages(mail_user, "INBOX")
    assert ANSWERED.encode() in inbox[1]


def test_forwarded_message_gets_forwarded_keyword(sending: Sending, smtp: Smtp,
                                                  mail_user: MailUser) -> None:
    smtp.start()
    mail_user.save(message("Pass this on"))
    engine = sending.harness.engine
    engine.sync_folder("INBOX")
    state = engine.store.folder_state("INBOX")
    assert state is not None
    uid = engine.store.uids("INBOX")[0]
    ref = MessageRef(engine.name, "INBOX", state.uidvalidity, uid)
    sending.outbox.queue(SendMail(draft(mail_user, subject="Fwd: Pass this on"),
                                  forwarded=ref))
    assert sending.outbox.send_due() == 1
    engine.replay()
    (inbox,) = server_messages(mail_user, "INBOX")
    assert FORWARDED.encode() in inbox[1]
    assert ANSWERED.encode() not in inbox[1]


@pytest.mark.parametrize("changes", [
    {"subject": "Hello\r\nBcc: victim@example.net"},
    {"to": (Addr("Eve\nX-Injected: yes", "eve@example.org"),)},
    {"subject": "=?utf-8?q?a=0D=0AX-Injected:_yes?="},
    {"attachments": (Attachment("a.txt\r\nX-Injected: yes", "text/plain", b"x"),)},
])
def test_header_injection_is_refused_and_nothing_reaches_the_server(
        sending: Sending, smtp: Smtp, mail_user: MailUser, changes: dict[str, Any]) -> None:
    smtp.start()
    with pytest.raises(InvalidDraft):
        sending.outbox.queue(SendMail(draft(mail_user, **changes)))
    assert sending.harness.store.outgoing() == []
    assert sending.outbox.send_due() == 0
    assert smtp.handler.received == []


def test_offline_send_is_queued_and_goes_out_on_reconnect_exactly_once(
        sending: Sending, smtp: Smtp, mail_user: MailUser) -> None:
    outbox_id = sending.outbox.queue(SendMail(draft(mail_user)))
    with pytest.raises(ServerUnreachable):
        sending.outbox.send_due()  # nothing listens on the port yet
    (row,) = sending.harness.store.outgoing()
    assert row.state == "waiting" and "could not be reached" in row.problem
    assert sending.of(MailSent) == []
    smtp.start()
    assert sending.outbox.send_due() == 1
    assert sending.outbox.send_due() == 0
    assert len(smtp.handler.received) == 1
    assert [e.outbox_id for e in sending.of(MailSent)] == [outbox_id]


def test_connection_lost_after_data_leaves_maybe_sent_and_no_resend(
        sending: Sending, smtp: Smtp, mail_user: MailUser) -> None:
    smtp.handler.drop_after_data = True
    smtp.start()
    outbox_id = sending.outbox.queue(SendMail(draft(mail_user)))
    assert sending.outbox.send_due() == 0
    (row,) = sending.harness.store.outgoing()
    assert row.state == "maybe_sent"
    (failed,) = sending.of(SendFailed)
    assert failed.maybe_sent and "may have been sent" in failed.message
    item = sending.of(OutboxChanged)[-1].items[0]
    assert item.state is OutgoingState.MAYBE_SENT
    smtp.handler.drop_after_data = False
    assert sending.outbox.send_due() == 0  # never resent on its own
    assert smtp.handler.received == []
    assert sending.outbox.resend(outbox_id)  # the user decides
    assert sending.outbox.send_due() == 1
    assert len(smtp.handler.received) == 1


def test_a_message_cut_off_while_sending_is_maybe_sent_after_a_restart(
        sending: Sending, smtp: Smtp, mail_user: MailUser) -> None:
    smtp.start()
    outbox_id = sending.outbox.queue(SendMail(draft(mail_user)))
    store = sending.harness.store
    store.update_outgoing(outbox_id, state=SENDING)  # as left by a kill mid-send
    restarted = Outbox(sending.harness.engine, lambda: mail_user.password,
                       sending.harness.events.append)
    restarted.recover()
    (row,) = store.outgoing()
    assert row.state == "maybe_sent" and "may have been sent" in row.problem
    assert restarted.send_due() == 0
    assert smtp.handler.received == []


def test_refused_recipient_fails_with_the_servers_reason(
        sending: Sending, smtp: Smtp, mail_user: MailUser) -> None:
    smtp.handler.refuse = {"john@example.org", "carol@example.org", "hidden@example.org"}
    smtp.start()
    outbox_id = sending.outbox.queue(SendMail(draft(mail_user, cc=(), bcc=())))
    assert sending.outbox.send_due() == 0
    (failed,) = sending.of(SendFailed)
    assert failed.outbox_id == outbox_id and not failed.maybe_sent
    assert "john@example.org" in failed.message and "No such mailbox" in failed.message
    (row,) = sending.harness.store.outgoing()
    assert row.state == "failed"
    assert sending.outbox.send_due() == 0  # a refusal is not retried on its own


def test_partial_refusal_is_sent_and_says_who_was_refused(
        sending: Sending, smtp: Smtp, mail_user: MailUser) -> None:
    smtp.handler.refuse = {"carol@example.org"}
    smtp.start()
    sending.outbox.queue(SendMail(draft(mail_user)))
    assert sending.outbox.send_due() == 1
    (sent,) = sending.of(MailSent)
    assert "carol@example.org" in sent.problem


def test_undo_before_the_delay_returns_the_draft_and_sends_nothing(
        sending: Sending, smtp: Smtp, mail_user: MailUser) -> None:
    smtp.start()
    written = draft(mail_user)
    outbox_id = sending.outbox.queue(SendMail(written, delay_seconds=600))
    assert sending.outbox.send_due() == 0  # not due yet
    assert sending.outbox.cancel(outbox_id)
    (cancelled,) = sending.of(SendCancelled)
    assert cancelled.draft == written
    assert sending.harness.store.outgoing() == []
    assert smtp.handler.received == []


def test_queueing_removes_the_saved_draft(sending: Sending, smtp: Smtp,
                                          mail_user: MailUser) -> None:
    store = sending.harness.store
    store.save_draft("d7", draft(mail_user, body_text="first words"))
    sending.outbox.queue(SendMail(draft(mail_user), draft_id="d7"))
    row = store.draft("d7")
    assert row is not None and row.state == "discard" and row.draft is None


def test_gmail_files_sent_mail_itself(sending: Sending, smtp: Smtp,
                                      mail_user: MailUser) -> None:
    smtp.start()
    engine = sending.harness.engine
    imap = replace(engine.settings.imap, host="imap.gmail.com")
    engine.settings = replace(engine.settings, imap=imap)
    sending.outbox.queue(SendMail(draft(mail_user)))
    assert sending.outbox.send_due() == 1
    assert engine.store.pending() == []  # no APPEND queued



def test_sending_a_reopened_draft_takes_it_out_of_drafts(sending: Sending,
                                                         mail_user: MailUser) -> None:
    engine = sending.harness.engine
    drafts = Drafts(engine, sending.harness.events.append)
    drafts.save("other-device", draft(mail_user, body_text="almost done"), None)
    drafts.push()
    state = engine.store.folder_state("Drafts")
    assert state is not None
    client = mail_user.imap()
    client.select_folder("Drafts")
    (uid,) = client.search(["NOT", "DELETED"])
    client.logout()
    reopened = MessageRef(engine.name, "Drafts", state.uidvalidity, uid)
    # A new composer id (the copy may come from another program): `replaces` names it.
    sending.outbox.queue(SendMail(draft(mail_user), draft_id="composer-2",
                                  replaces=reopened))
    drafts.push()
    client = mail_user.imap()
    client.select_folder("Drafts", readonly=True)
    assert client.search(["NOT", "DELETED"]) == []
    client.logout()


def test_undo_too_late_and_discarding_a_failed_message(sending: Sending, smtp: Smtp,
                                                       mail_user: MailUser) -> None:
    smtp.start()
    sent_id = sending.outbox.queue(SendMail(draft(mail_user)))
    assert sending.outbox.send_due() == 1
    assert not sending.outbox.cancel(sent_id)  # gone already: nothing to give back
    assert sending.of(SendCancelled) == []
    smtp.handler.refuse = {"john@example.org", "carol@example.org", "hidden@example.org"}
    failed_id = sending.outbox.queue(SendMail(draft(mail_user)))
    assert sending.outbox.send_due() == 0
    assert sending.outbox.discard(failed_id)
    assert sending.harness.store.outgoing() == []
    assert sending.of(OutboxChanged)[-1].items == ()
    assert len(smtp.handler.received) == 1
