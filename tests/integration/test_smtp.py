"""Sending against aiosmtpd on 127.0.0.1: plain, implicit TLS and STARTTLS (RELIABILITY B, I)."""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from qtmail.accounts.settings import Security, ServerSettings
from qtmail.core.errors import (
    AuthError,
    CertificateNotTrusted,
    ConnectionLost,
    ServerUnreachable,
    TlsRequired,
)
from qtmail.core.outgoing import Attachment, Draft
from qtmail.core.types import Address
from qtmail.smtp.compose import build_message, envelope_recipients
from qtmail.smtp.errors import InvalidDraft, MaybeSent, MessageTooLarge, RecipientRefused
from qtmail.smtp.send import send_message

USER, PASSWORD = "alice", "s3cret-pässword"
PDF = bytes(range(256)) * 40 + b"\r\n.\r\n..\n"


@dataclass
class Handler:
    """Records what arrived; refuses and drops on request."""

    refuse: set[str] = field(default_factory=set)
    drop_after_data: bool = False
    drop_at_rcpt: bool = False
    data_reply: str = "250 2.0.0 Ok: queued as 12345"
    received: list[Envelope] = field(default_factory=list)

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        if self.drop_at_rcpt:
            assert server.transport is not None
            server.transport.abort()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.drop_after_data:
            assert server.transport is not None
            server.transport.abort()
            return "250 never seen"
        self.received.append(envelope)
        return self.data_reply


@dataclass
class Auth:
    calls: list[str] = field(default_factory=list)

    def __call__(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                 auth_data: Any) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        self.calls.append(mechanism)
        ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, generated like tests/helpers/dovecot.py does."""
    tls = tmp_path_factory.mktemp("smtp-tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(tls / "key.pem"), "-out", str(tls / "cert.pem")],
        check=True, capture_output=True, timeout=60)
    return tls / "cert.pem", tls / "key.pem"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    handler: Handler
    auth: Auth
    settings: ServerSettings


@pytest.fixture
def smtp_server(certificate: tuple[Path, Path]) -> Iterator[Callable[..., Server]]:
    controllers: list[Controller] = []

    def start(security: Security = Security.NONE, *, ca_file: str = "",
              size_limit: int = 0, **handler_options: Any) -> Server:
        handler, auth = Handler(**handler_options), Auth()
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_context.load_cert_chain(*certificate)
        options: dict[str, Any] = {"authenticator": auth, "auth_require_tls": False,
                                   "data_size_limit": size_limit or 33554432}
        if security is Security.SSL:
            options["ssl_context"] = server_context
        elif security is Security.STARTTLS:
            options.update(tls_context=server_context, require_starttls=True,
                           auth_require_tls=True)
        port = _free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
        controller.start()
        controllers.append(controller)
        settings = ServerSettings(host="127.0.0.1", port=port, security=security,
                                  username=USER, ca_file=ca_file, timeout=10)
        return Server(handler, auth, settings)

    yield start
    for controller in controllers:
        controller.stop()


def _draft(**changes: Any) -> Draft:
    fields: dict[str, Any] = dict(
        from_address=Address("Älice Example", "alice@example.org"),
        to=(Address("Doe, John", "john@example.org"),),
        cc=(Address('Carol "CJ" Smith', "carol@example.org"),),
        bcc=(Address("", "hidden@example.org"),),
        subject="Grüße – 添付ファイル",
        body_text="Hello,\n\n.a line starting with a dot\nsee the attachments.\n",
        attachments=(Attachment("Übersicht 2026.pdf", "application/pdf", PDF),
                     Attachment("日本語.txt", "text/plain", "テキスト\n".encode())))
    fields.update(changes)
    return Draft(**fields)


def _send(server: Server, draft: Draft, password: str = PASSWORD) -> tuple[Any, EmailMessage]:
    message = build_message(draft, message_id_domain="example.org")
    result = send_message(server.settings, USER, password, message,
                          draft.from_address.addr, envelope_recipients(draft))
    return result, message


def _check_received(server: Server, draft: Draft, message: EmailMessage) -> None:
    (envelope,) = server.handler.received
    assert envelope.mail_from == "alice@example.org"
    assert envelope.rcpt_tos == ["john@example.org", "carol@example.org",
                                 "hidden@example.org"]
    raw = envelope.original_content
    assert isinstance(raw, bytes)
    assert b"hidden@example.org" not in raw
    assert b"\nbcc:" not in raw.lower()
    got = BytesParser(policy=policy.default).parsebytes(raw)
    assert "Bcc" not in got
    assert got["Subject"] == draft.subject
    assert got["Message-ID"] == message["Message-ID"]
    assert [(a.display_name, a.addr_spec) for a in got["To"].addresses] == [
        ("Doe, John", "john@example.org")]
    assert [(a.display_name, a.addr_spec) for a in got["Cc"].addresses] == [
        ('Carol "CJ" Smith', "carol@example.org")]
    assert got["From"].addresses[0].display_name == "Älice Example"
    files = {part.get_filename(): part.get_payload(decode=True)
             for part in got.iter_attachments()}
    assert files == {a.filename: a.data for a in draft.attachments}
    body = got.get_body(("plain",))
    assert body is not None
    assert ".a line starting with a dot" in body.get_content()


def test_plain_send_with_attachments_and_bcc(smtp_server: Callable[..., Server]) -> None:
    server = smtp_server(Security.NONE)
    draft = _draft()
    result, message = _send(server, draft)
    assert server.auth.calls == ["PLAIN"]  # offered and used, UTF-8 password (RFC 4616)
    assert result.refused == {}
    assert "queued as 12345" in result.reply
    _check_received(server, draft, message)


def test_implicit_tls_with_ca_file(smtp_server: Callable[..., Server],
                                   certificate: tuple[Path, Path]) -> None:
    server = smtp_server(Security.SSL, ca_file=str(certificate[0]))
    draft = _draft()
    _, message = _send(server, draft)
    _check_received(server, draft, message)


def test_starttls_with_ca_file(smtp_server: Callable[..., Server],
                               certificate: tuple[Path, Path]) -> None:
    server = smtp_server(Security.STARTTLS, ca_file=str(certificate[0]))
    draft = _draft()
    _, message = _send(server, draft)
    assert server.auth.calls
    _check_received(server, draft, message)


@pytest.mark.parametrize("security", [Security.SSL, Security.STARTTLS])
def test_untrusted_certificate_refused_before_auth(
        smtp_server: Callable[..., Server], security: Security) -> None:
    server = smtp_server(security)  # no CA file: the self-signed certificate is unknown
    with pytest.raises(CertificateNotTrusted) as info:
        _send(server, _draft())
    assert info.value.fingerprint in str(info.value)
    assert server.auth.calls == []
    assert server.handler.received == []


def test_pinned_fingerprint_is_accepted(smtp_server: Callable[..., Server]) -> None:
    server = smtp_server(Security.SSL)
    with pytest.raises(CertificateNotTrusted) as info:
        _send(server, _draft())
    server.settings = replace(server.settings, pinned_fingerprint=info.value.fingerprint)
    draft = _draft()
    _, message = _send(server, draft)
    _check_received(server, draft, message)


def test_starttls_not_offered_is_refused(smtp_server: Callable[..., Server]) -> None:
    server = smtp_server(Security.NONE)
    server.settings = replace(server.settings, security=Security.STARTTLS)
    with pytest.raises(TlsRequired, match="did not agree to encrypt"):
        _send(server, _draft())
    assert server.auth.calls == []
    assert server.handler.received == []


def test_wrong_password(smtp_server: Callable[..., Server]) -> None:
    server = smtp_server(Security.NONE)
    with pytest.raises(AuthError) as info:
        _send(server, _draft(), password="wrong")
    assert str(info.value) == ("The mail server 127.0.0.1 did not accept the user name "
                               "or password.")
    assert server.handler.received == []


def test_all_recipients_refused(smtp_server: Callable[..., Server]) -> None:
    server = smtp_server(Security.NONE, refuse={"john@example.org", "carol@example.org",
                                                "hidden@example.org"})
    with pytest.raises(RecipientRefused) as info:
        _send(server, _draft())
    assert "john@example.org (5.1.1 No such mailbox here)" in str(info.value)
    assert set(info.value.refused) == {"john@example.org", "carol@example.org",
                                       "hidden@example.org"}
    assert server.handler.received == []


def test_partial_refusal_is_reported(smtp_server: Callable[..., Server]) -> None:
    server = smtp_server(Security.NONE, refuse={"carol@example.org"})
    result, _ = _send(server, _draft())
    assert result.refused == {"carol@example.org": (550, "5.1.1 No such mailbox here")}
    assert result.accepted == ("john@example.org", "hidden@example.org")
    (envelope,) = server.handler.received
    assert envelope.rcpt_tos == ["john@example.org", "hidden@example.org"]


def test_connection_lost_after_data_is_maybe_sent(
        smtp_server: Callable[..., Server]) -> None:
    server = smtp_server(Security.NONE, drop_after_data=True)
    with pytest.raises(MaybeSent) as info:
        _send(server, _draft())
    assert str(info.value) == ("The connection was lost while sending; the message may "
                               "have been sent.")
    assert not info.value.transient
    assert not isinstance(info.value, ConnectionLost)  # which callers may retry


def test_header_injection_never_reaches_the_server(
        smtp_server: Callable[..., Server]) -> None:
    server = smtp_server(Security.NONE)
    with pytest.raises(InvalidDraft, match=r"The subject cannot contain line breaks\."):
        _send(server, _draft(subject="Hi\r\nBcc: victim@example.org"))
    assert server.handler.received == []


def test_size_limit_checked_before_sending(smtp_server: Callable[..., Server]) -> None:
    server = smtp_server(Security.NONE, size_limit=2000)  # EHLO: SIZE 2000 (RFC 1870)
    with pytest.raises(MessageTooLarge) as info:
        _send(server, _draft())
    assert str(info.value) == "The message is too large for the mail server 127.0.0.1."
    assert server.handler.received == []


def test_too_large_after_data(smtp_server: Callable[..., Server]) -> None:
    server = smtp_server(Security.NONE, data_reply="552 5.3.4 Message size exceeds limit")
    with pytest.raises(MessageTooLarge) as info:
        _send(server, _draft())
    assert info.value.server_text == "5.3.4 Message size exceeds limit"


def test_server_unreachable() -> None:
    settings = ServerSettings(host="127.0.0.1", port=_free_port(), security=Security.SSL,
                              timeout=5)
    message = build_message(_draft(), message_id_domain="example.org")
    with pytest.raises(ServerUnreachable, match=r"could not be reached\."):
        send_message(settings, USER, PASSWORD, message, "alice@example.org",
                     ["john@example.org"])


def test_connection_lost_before_data_is_not_maybe_sent(
        smtp_server: Callable[..., Server]) -> None:
    server = smtp_server(Security.NONE, drop_at_rcpt=True)
    with pytest.raises(ConnectionLost) as info:
        _send(server, _draft())
    assert not isinstance(info.value, MaybeSent)
    assert str(info.value) == ("The connection to 127.0.0.1 was lost; the message was "
                               "not sent.")
