"""The ManageSieve client against Dovecot Pigeonhole on 127.0.0.1 (issue 15, RFC 5804)."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.sieve import GREETING, CuttingProxy, ScriptedSieve, sieve_settings

from qtmail.accounts.settings import Security, ServerSettings
from qtmail.core.errors import AuthError, CertificateNotTrusted, ConnectionLost, TlsRequired
from qtmail.imap import tls
from qtmail.net.sasl import Plain
from qtmail.sieve.client import ManageSieve, open_trusted
from qtmail.sieve.errors import QuotaExceeded, SieveScriptError

pytestmark = pytest.mark.dovecot

FILE_LISTS = 'require ["fileinto"];\r\nif header :contains "subject" "[list]" {\r\n' \
             '  fileinto "Lists";\r\n}\r\n'


def sieve_settings_for_port(port: int, security: Security = Security.STARTTLS
                            ) -> ServerSettings:
    return ServerSettings(host="127.0.0.1", port=port, security=security, username="u",
                          timeout=5)


def logged_in(user: MailUser, **changes: object) -> ManageSieve:
    client = open_trusted(sieve_settings(user, **changes))  # type: ignore[arg-type]
    client.authenticate(Plain(user.name, user.password))
    return client


def test_starttls_login_and_every_script_command(sieve_user: MailUser) -> None:
    with logged_in(sieve_user) as client:
        assert isinstance(client.wire.sock, ssl.SSLSocket)
        assert {"fileinto", "vacation", "imap4flags", "regex"} <= client.extensions
        assert client.list_scripts() == []
        client.have_space("qtmail", len(FILE_LISTS))
        assert client.put_script("qtmail", FILE_LISTS) == ""
        client.set_active("qtmail")
        assert client.list_scripts() == [("qtmail", True)]
        assert client.get_script("qtmail") == FILE_LISTS
        client.put_script("other", "keep;\r\n")
        client.rename_script("other", "spare")
        assert sorted(client.list_scripts()) == [("qtmail", True), ("spare", False)]
        client.delete_script("spare")
        with pytest.raises(Exception) as refused:
            client.delete_script("qtmail")  # RFC 5804 2.10: the active one cannot go
        assert "in use" in str(refused.value)
        client.set_active("")
        assert client.active_script() is None
    # What was written is on disk where LMTP delivery reads it.
    assert (sieve_user.sieve_dir / "qtmail.sieve").read_bytes() == FILE_LISTS.encode()


def test_utf8_names_and_literals_round_trip(sieve_user: MailUser) -> None:
    text = 'require "fileinto";\r\n# Ärger über "Quotes" \\ und Zeilen\r\nfileinto "Bücher";\r\n'
    with logged_in(sieve_user) as client:
        client.put_script("Regeln für Post", text)
        assert client.get_script("Regeln für Post") == text
        assert client.list_scripts() == [("Regeln für Post", False)]


def test_checkscript_reports_the_line_of_a_syntax_error(sieve_user: MailUser) -> None:
    broken = 'require "fileinto";\r\n\r\nif header :is "subject" "x" {\r\n  fileinto "A"\r\n}\r\n'
    with logged_in(sieve_user) as client:
        with pytest.raises(SieveScriptError) as caught:
            client.check_script(broken)
        assert client.list_scripts() == []  # CHECKSCRIPT stores nothing
        with pytest.raises(SieveScriptError):
            client.put_script("bad", broken)
        assert client.list_scripts() == []
    lines = [p.line for p in caught.value.problems]
    assert 5 in lines, caught.value.problems
    assert "line 5" in str(caught.value)


def test_unknown_extension_is_named(sieve_user: MailUser) -> None:
    with logged_in(sieve_user) as client, pytest.raises(SieveScriptError) as caught:
        client.check_script('require ["spamtest"];\r\nkeep;\r\n')
    assert str(caught.value) == ("The server does not support the Sieve extension "
                                 "“spamtest” that the rules need.")


def test_quota_is_a_sentence(sieve_user: MailUser) -> None:
    with logged_in(sieve_user) as client, pytest.raises(QuotaExceeded) as caught:
        client.have_space("huge", 5 * 1024 * 1024)  # the test server allows 1 MB
    assert "no room for the rules" in str(caught.value)


def test_wrong_password_is_an_auth_error(sieve_user: MailUser) -> None:
    client = open_trusted(sieve_settings(sieve_user))
    with pytest.raises(AuthError):
        client.authenticate(Plain(sieve_user.name, "wrong"))
    client.close()


def test_plaintext_only_when_the_account_allows_it(sieve_user: MailUser) -> None:
    with logged_in(sieve_user, security=Security.NONE) as client:
        assert not isinstance(client.wire.sock, ssl.SSLSocket)
        assert client.list_scripts() == []


def test_untrusted_certificate_is_refused_with_its_fingerprint(sieve_user: MailUser) -> None:
    with pytest.raises(CertificateNotTrusted) as caught:
        open_trusted(sieve_settings(sieve_user, ca_file=""))
    der = ssl.PEM_cert_to_DER_cert(Path(sieve_user.server.ca_file).read_text())
    assert caught.value.fingerprint == tls.fingerprint(der)
    # Accepting that fingerprint (the user's pin) lets the same connection through.
    with logged_in(sieve_user, ca_file="", pinned_fingerprint=tls.fingerprint(der)) as client:
        assert client.list_scripts() == []


def test_starttls_not_advertised_sends_no_password() -> None:
    server = ScriptedSieve(GREETING, lambda line: b'OK "fine"\r\n')
    try:
        settings = sieve_settings_for_port(server.port)
        with pytest.raises(TlsRequired):
            open_trusted(settings)
        assert not any(b"AUTHENTICATE" in line for line in server.received)
    finally:
        server.stop()


def test_starttls_refused_sends_no_password() -> None:
    greeting = GREETING.replace(b'"VERSION"', b'"STARTTLS"\r\n"VERSION"')
    server = ScriptedSieve(greeting, lambda line: b'NO "not today"\r\n')
    try:
        with pytest.raises(TlsRequired):
            open_trusted(sieve_settings_for_port(server.port))
        assert server.received == [b"STARTTLS\r\n"]
    finally:
        server.stop()


def test_a_server_that_hangs_up_is_a_lost_connection() -> None:
    server = ScriptedSieve(GREETING, lambda line: None)
    try:
        client = open_trusted(sieve_settings_for_port(server.port, Security.NONE))
        client.authenticate(Plain("u", "p"))
    except ConnectionLost:
        pass
    else:
        pytest.fail("no error for a dropped connection")
    finally:
        server.stop()


def test_cut_mid_putscript_leaves_the_old_script_active(sieve_user: MailUser) -> None:
    with logged_in(sieve_user) as client:
        client.put_script("qtmail", FILE_LISTS)
        client.set_active("qtmail")
    proxy = CuttingProxy(sieve_user.sieve_port, b"PUTSCRIPT", keep=40)
    try:
        settings = sieve_settings(sieve_user, security=Security.NONE, port=proxy.port)
        client = open_trusted(settings)
        client.authenticate(Plain(sieve_user.name, sieve_user.password))
        with pytest.raises(ConnectionLost):
            client.put_script("qtmail", "# new rules\r\n" + "discard;\r\n" * 2000)
        client.close()
        assert proxy.cut.is_set()
    finally:
        proxy.stop()
    with logged_in(sieve_user) as client:
        assert client.list_scripts() == [("qtmail", True)]
        assert client.get_script("qtmail") == FILE_LISTS
