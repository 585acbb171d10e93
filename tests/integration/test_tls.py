"""TLS and authentication (RELIABILITY.md B) against Dovecot and a scripted server."""

from __future__ import annotations

import base64
import ssl
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.scripted_server import CAPS, STARTTLS, Script, ScriptedServer

from qtmail.accounts.settings import Security, ServerSettings
from qtmail.core.errors import AuthError, CertificateNotTrusted, TlsError, TlsRequired
from qtmail.imap import tls
from qtmail.imap.session import ImapSession

pytestmark = pytest.mark.dovecot


def certificate_fingerprint(user: MailUser) -> str:
    der = ssl.PEM_cert_to_DER_cert(Path(user.server.ca_file).read_text())
    return tls.fingerprint(der)


def implicit(user: MailUser, **changes: object) -> ServerSettings:
    settings = ServerSettings(host=user.host, port=user.tls_port, timeout=10,
                              ca_file=str(user.server.ca_file))
    return replace(settings, **changes)  # type: ignore[arg-type]


@pytest.fixture
def server_context(mail_user: MailUser) -> ssl.SSLContext:
    """The scripted server presents Dovecot's self-signed certificate."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    folder = Path(mail_user.server.ca_file).parent
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context


@pytest.fixture
def scripted() -> Iterator[list[ScriptedServer]]:
    servers: list[ScriptedServer] = []
    yield servers
    for server in servers:
        server.stop()


def start(servers: list[ScriptedServer], script: Script) -> ScriptedServer:
    server = ScriptedServer(script)
    servers.append(server)
    return server


def test_default_security_is_implicit_tls() -> None:
    assert ServerSettings(host="example.org", port=993).security is Security.SSL


def test_implicit_tls_with_ca_file(mail_user: MailUser) -> None:
    session = ImapSession.connect(implicit(mail_user), mail_user.name, mail_user.password)
    try:
        sock = session.imap.sock
        assert isinstance(sock, ssl.SSLSocket)
        assert sock.version() in ("TLSv1.2", "TLSv1.3")
        assert session.has("CONDSTORE")
    finally:
        session.logout()


def test_untrusted_certificate_refused_before_login(mail_user: MailUser) -> None:
    settings = implicit(mail_user, ca_file="")
    with pytest.raises(CertificateNotTrusted) as info:
        ImapSession.connect(settings, mail_user.name, mail_user.password)
    error = info.value
    assert error.fingerprint == certificate_fingerprint(mail_user)
    assert (error.host, error.port) == (mail_user.host, mail_user.tls_port)
    assert error.fingerprint in str(error)
    assert f"user=<{mail_user.name}>" not in mail_user.server.log_text()


def test_untrusted_certificate_sends_no_login(scripted: list[ScriptedServer],
                                              server_context: ssl.SSLContext) -> None:
    server = start(scripted, Script(tls_context=server_context, implicit_tls=True))
    settings = ServerSettings(host="127.0.0.1", port=server.port, timeout=5)
    with pytest.raises(CertificateNotTrusted):
        ImapSession.connect(settings, "alice", "secret")
    assert "LOGIN" not in server.commands and "AUTHENTICATE" not in server.commands
    assert not any(b"secret" in line for line in server.received)


def test_pinned_fingerprint_accepted(mail_user: MailUser) -> None:
    settings = implicit(mail_user, ca_file="",
                        pinned_fingerprint=certificate_fingerprint(mail_user).lower())
    session = ImapSession.connect(settings, mail_user.name, mail_user.password)
    session.logout()


def test_other_fingerprint_refused(mail_user: MailUser) -> None:
    settings = implicit(mail_user, ca_file="", pinned_fingerprint="AB:" * 31 + "AB")
    with pytest.raises(CertificateNotTrusted) as info:
        ImapSession.connect(settings, mail_user.name, mail_user.password)
    assert info.value.fingerprint == certificate_fingerprint(mail_user)
    # The changed certificate: the sentence names the one trusted before and the new one.
    assert info.value.previous_fingerprint == "AB:" * 31 + "AB"
    assert "has changed" in str(info.value)
    assert info.value.previous_fingerprint in str(info.value)
    assert info.value.fingerprint in str(info.value)
    assert f"user=<{mail_user.name}>" not in mail_user.server.log_text()


def test_a_first_untrusted_certificate_has_no_previous_fingerprint(mail_user: MailUser) -> None:
    with pytest.raises(CertificateNotTrusted) as info:
        ImapSession.connect(implicit(mail_user, ca_file=""), mail_user.name, mail_user.password)
    assert info.value.previous_fingerprint == ""
    assert "has changed" not in str(info.value)


def test_pin_for_another_certificate_still_accepts_a_verified_one(mail_user: MailUser) -> None:
    settings = implicit(mail_user, pinned_fingerprint="AB:" * 31 + "AB")
    ImapSession.connect(settings, mail_user.name, mail_user.password).logout()


def test_starttls_when_configured(mail_user: MailUser) -> None:
    settings = implicit(mail_user, port=mail_user.port, security=Security.STARTTLS)
    session = ImapSession.connect(settings, mail_user.name, mail_user.password)
    try:
        assert isinstance(session.imap.sock, ssl.SSLSocket)
        assert "STARTTLS" not in session.capabilities  # capabilities re-read after TLS
        assert session.has("MOVE")
    finally:
        session.logout()


def test_starttls_untrusted_certificate(mail_user: MailUser) -> None:
    settings = implicit(mail_user, port=mail_user.port, security=Security.STARTTLS,
                        ca_file="")
    with pytest.raises(CertificateNotTrusted) as info:
        ImapSession.connect(settings, mail_user.name, mail_user.password)
    assert info.value.fingerprint == certificate_fingerprint(mail_user)


def test_starttls_not_advertised(scripted: list[ScriptedServer]) -> None:
    server = start(scripted, Script())
    settings = ServerSettings(host="127.0.0.1", port=server.port,
                              security=Security.STARTTLS, timeout=5)
    with pytest.raises(TlsRequired) as info:
        ImapSession.connect(settings, "alice", "secret")
    assert "password was not sent" in str(info.value)
    assert "LOGIN" not in server.commands and "STARTTLS" not in server.commands


def test_starttls_refused(scripted: list[ScriptedServer]) -> None:
    caps = CAPS + b" STARTTLS"
    server = start(scripted, Script(
        greeting=b"* OK [CAPABILITY " + caps + b"] hi\r\n",
        responses={"CAPABILITY": b"* CAPABILITY " + caps + b"\r\n{tag} OK done\r\n",
                   "STARTTLS": b"{tag} NO not today\r\n"}))
    settings = ServerSettings(host="127.0.0.1", port=server.port,
                              security=Security.STARTTLS, timeout=5)
    with pytest.raises(TlsRequired) as info:
        ImapSession.connect(settings, "alice", "secret")
    assert "not today" in str(info.value)
    assert server.commands[-1] == "STARTTLS"
    assert "LOGIN" not in server.commands


def test_scripted_starttls_then_login(scripted: list[ScriptedServer],
                                      server_context: ssl.SSLContext,
                                      mail_user: MailUser) -> None:
    """Capabilities from before STARTTLS are discarded (RFC 3501 6.2.1): the greeting's
    X-BEFORE-TLS is not in the list the server gives over TLS."""
    before = CAPS + b" STARTTLS X-BEFORE-TLS"
    server = start(scripted, Script(
        greeting=b"* OK [CAPABILITY " + before + b"] hi\r\n", tls_context=server_context,
        responses={"STARTTLS": STARTTLS}))
    settings = ServerSettings(host="127.0.0.1", port=server.port, security=Security.STARTTLS,
                              ca_file=str(mail_user.server.ca_file), timeout=5)
    session = ImapSession.connect(settings, "alice", "secret")
    try:
        assert not session.has("X-BEFORE-TLS")
        assert session.has("IDLE")  # from the LOGIN response code
        # The greeting's list is taken as it is (RFC 3501 7.1); after TLS, asked again.
        assert server.commands[:3] == ["STARTTLS", "CAPABILITY", "LOGIN"]
    finally:
        session.logout()


def test_logindisabled_never_logs_in(scripted: list[ScriptedServer]) -> None:
    caps = b"IMAP4rev1 LOGINDISABLED"
    server = start(scripted, Script(
        greeting=b"* OK [CAPABILITY " + caps + b"] hi\r\n",
        responses={"CAPABILITY": b"* CAPABILITY " + caps + b"\r\n{tag} OK done\r\n"}))
    settings = ServerSettings(host="127.0.0.1", port=server.port, security=Security.NONE,
                              timeout=5)
    with pytest.raises(TlsRequired):
        ImapSession.connect(settings, "alice", "secret")
    assert "LOGIN" not in server.commands


def test_plaintext_only_with_security_none(mail_user: MailUser) -> None:
    settings = ServerSettings(host=mail_user.host, port=mail_user.port,
                              security=Security.NONE, timeout=10)
    session = ImapSession.connect(settings, mail_user.name, mail_user.password)
    assert not isinstance(session.imap.sock, ssl.SSLSocket)
    session.logout()
    # The default (implicit TLS) on the plaintext port fails; it never downgrades.
    with pytest.raises(TlsError) as info:
        ImapSession.connect(replace(settings, security=Security.SSL, ca_file=str(
            mail_user.server.ca_file)), mail_user.name, mail_user.password)
    assert "did not start an encrypted connection" in str(info.value)


def test_wrong_password_is_an_auth_error(mail_user: MailUser) -> None:
    with pytest.raises(AuthError) as info:
        ImapSession.connect(implicit(mail_user), mail_user.name, "wrong")
    assert str(info.value) == "The server did not accept the user name or password."
    assert "wrong" not in info.value.detail


def test_non_ascii_password_uses_authenticate_plain(scripted: list[ScriptedServer]) -> None:
    server = start(scripted, Script())
    settings = ServerSettings(host="127.0.0.1", port=server.port, security=Security.NONE,
                              timeout=5)
    session = ImapSession.connect(settings, "jörg", "pässwörd")
    session.logout()
    assert "AUTHENTICATE PLAIN" in session.command_log
    assert "LOGIN" not in server.commands
    sasl = base64.b64decode(server.received[server.commands.index("AUTHENTICATE") + 1][7:])
    assert sasl == "\0jörg\0pässwörd".encode()
