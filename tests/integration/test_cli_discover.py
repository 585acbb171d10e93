"""`qtmail account discover` and `account add` without host names (issue 16): the
lookups against a DNS server and an HTTPS server on 127.0.0.1, named with --dns and
--ca as anyone trying discovery against local test servers would; then an account
added from a local override file signs in and syncs with nothing else typed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers.autoconfig_world import CONFIG
from helpers.cli import run
from helpers.dns_server import SRV, A, DnsServer, Records
from helpers.dovecot import MailUser
from helpers.https_server import HttpsServer
from helpers.memory_keyring import MemoryKeyring

from qtmail.accounts.settings import AccountsFile, Security

pytestmark = pytest.mark.dovecot


def test_discover_prints_each_source_its_time_and_the_srv_answer(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    dns = DnsServer({
        ("_imaps._tcp.srv.test", SRV): [(0, 1, 993, "mail.srv.test")],
        ("_imap._tcp.srv.test", SRV): [(0, 0, 0, ".")],
        ("_submissions._tcp.srv.test", SRV): [(0, 1, 465, "mail.srv.test")],
    })
    try:
        code, out, err = run(capsys, monkeypatch, "--home", str(tmp_path), "account",
                             "discover", "ann@srv.test", "--dns",
                             f"{dns.address[0]}:{dns.address[1]}")
    finally:
        dns.stop()
    assert code == 0, err
    lines = {line.split()[0]: line for line in out.splitlines() if line[:1].islower()}
    assert " ms " in lines["srv"] and "SRV srv.test (unverified" in lines["srv"]
    assert {"local", "isp", "well_known", "providers", "ispdb", "mx"} <= lines.keys()
    assert "incoming: mail.srv.test:993 ssl user ann@srv.test" in out
    assert "outgoing: mail.srv.test:465 ssl" in out
    assert ("_imaps._tcp.srv.test", SRV) in dns.asked


@pytest.mark.skipif(os.geteuid() != 0 and not os.environ.get("CI"),
                    reason="an https lookup goes to port 443, which needs root here")
def test_discover_reads_the_domains_autoconfig_over_https_with_the_given_dns_and_ca(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    web = HttpsServer(tmp_path, ["autoconfig.example.test"], {
        ("autoconfig.example.test", "/mail/config-v1.1.xml"): CONFIG}, port=443)
    dns = DnsServer({("autoconfig.example.test", A): [("127.0.0.1",)]})
    try:
        code, out, err = run(capsys, monkeypatch, "--home", str(tmp_path), "account",
                             "discover", "ann@example.test", "--no-send-address",
                             "--dns", f"{dns.address[0]}:{dns.address[1]}",
                             "--ca", str(web.ca))
    finally:
        dns.stop()
        web.stop()
    assert code == 0, err
    assert "Best: isp (https://autoconfig.example.test/mail/config-v1.1.xml)" in out
    assert "incoming: imap.example.test:993 ssl user ann@example.test (oauth2+password)" \
        in out
    # --no-send-address: the address stayed here.
    assert web.requests == [("autoconfig.example.test", "/mail/config-v1.1.xml")]


def test_a_bad_dns_option_is_one_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    code, _out, err = run(capsys, monkeypatch, "--home", str(tmp_path), "account",
                          "discover", "ann@example.test", "--dns", "nowhere:port")
    assert code != 0 and "is not a DNS server" in err and "Traceback" not in err


def test_account_add_with_only_an_address_and_a_password_then_syncs(
        tmp_path: Path, mail_user: MailUser, memory_keyring: MemoryKeyring,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    mail_user.save(b"From: a@example.org\r\nSubject: hello there\r\n\r\nbody\r\n")
    home = tmp_path / "profile"
    overrides = home / "config" / "isp"
    overrides.mkdir(parents=True)
    (overrides / "mail.test.xml").write_text(f"""<clientConfig version="1.1">
  <emailProvider id="mail.test">
    <incomingServer type="imap"><hostname>localhost</hostname>
      <port>{mail_user.tls_port}</port><socketType>SSL</socketType>
      <username>%EMAILLOCALPART%</username>
      <authentication>password-cleartext</authentication></incomingServer>
  </emailProvider>
</clientConfig>""")
    address = f"{mail_user.name}@mail.test"
    code, out, err = run(capsys, monkeypatch, "--home", str(home), "account", "add", "work",
                         "--email", address, "--password-stdin", "--ca-file",
                         str(mail_user.server.ca_file), stdin=mail_user.password + "\n")
    assert code == 0, err
    assert f"Best: local ({overrides / 'mail.test.xml'})" in out
    account = AccountsFile(home / "config" / "accounts.json").get("work")
    assert (account.imap.host, account.imap.port, account.imap.security,
            account.imap.username) == ("localhost", mail_user.tls_port, Security.SSL,
                                       mail_user.name)
    assert ("qtmail", "work:imap") in memory_keyring.passwords
    code, _out, err = run(capsys, monkeypatch, "--home", str(home), "sync", "work")
    assert code == 0, err
    code, out, err = run(capsys, monkeypatch, "--home", str(home), "list", "work", "INBOX")
    assert code == 0 and "hello there" in out, err


def _config(host: str, port: int) -> bytes:
    return (f'<clientConfig version="1.1"><emailProvider id="x">'
            f'<incomingServer type="imap"><hostname>{host}</hostname><port>{port}</port>'
            "<socketType>SSL</socketType><username>%EMAILLOCALPART%</username>"
            "<authentication>password-cleartext</authentication></incomingServer>"
            "</emailProvider></clientConfig>").encode()


@pytest.mark.skipif(os.geteuid() != 0 and not os.environ.get("CI"),
                    reason="an https lookup goes to port 443, which needs root here")
@pytest.mark.parametrize("source", ["isp", "well_known", "ispdb", "srv"])
def test_an_address_and_a_password_are_enough_from_every_source(
        source: str, tmp_path: Path, mail_user: MailUser, memory_keyring: MemoryKeyring,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each source alone knows the domain, and points at the test Dovecot: `account add`
    with only the address and the password, then `sync`, and the mail is there."""
    mail_user.save(b"From: a@example.org\r\nSubject: found by " + source.encode()
                   + b"\r\n\r\nbody\r\n")
    domain = f"{source.replace('_', '-')}.test"
    config = _config("localhost", mail_user.tls_port)
    pages = {
        "isp": {(f"autoconfig.{domain}", "/mail/config-v1.1.xml"): config},
        "well_known": {(domain, "/.well-known/autoconfig/mail/config-v1.1.xml"): config},
        # The real ISPDB's name, answered here through --dns and trusted through --ca.
        "ispdb": {("autoconfig.thunderbird.net", f"/v1.1/{domain}"): config},
        "srv": {},
    }[source]
    names = [f"autoconfig.{domain}", domain, "autoconfig.thunderbird.net"]
    web = HttpsServer(tmp_path, names, pages, port=443)
    records: Records = {(name, A): [("127.0.0.1",)] for name in names}
    records[(f"_imaps._tcp.{domain}", SRV)] = [(0, 1, mail_user.tls_port, "localhost")]
    dns = DnsServer(records if source == "srv" else
                    {k: v for k, v in records.items() if k[1] == A})
    home = tmp_path / "profile"
    try:
        code, out, err = run(capsys, monkeypatch, "--home", str(home), "account", "add",
                             "work", "--email", f"{mail_user.name}@{domain}",
                             "--password-stdin", "--no-send-address",
                             "--dns", f"{dns.address[0]}:{dns.address[1]}",
                             "--ca", str(web.ca), "--ca-file", str(mail_user.server.ca_file),
                             stdin=mail_user.password + "\n")
    finally:
        dns.stop()
        web.stop()
    assert code == 0, err
    assert f"Best: {source} " in out
    code, _out, err = run(capsys, monkeypatch, "--home", str(home), "sync", "work")
    assert code == 0, err
    code, out, err = run(capsys, monkeypatch, "--home", str(home), "list", "work", "INBOX")
    assert code == 0 and f"found by {source}" in out, err


@pytest.mark.skipif(os.geteuid() != 0 and not os.environ.get("CI"),
                    reason="the usual IMAP port, 993, needs root here")
def test_when_no_source_knows_the_domain_the_usual_server_is_found_and_used(
        tmp_path: Path, mail_user: MailUser, memory_keyring: MemoryKeyring,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers.proxy import SwitchableProxy

    mail_user.save(b"From: a@example.org\r\nSubject: found by asking\r\n\r\nbody\r\n")
    # The usual port, 993, leads to the test Dovecot; only "localhost" has an address.
    proxy = SwitchableProxy(("127.0.0.1", mail_user.tls_port))
    proxy.port = 993
    proxy.start()
    dns = DnsServer({("localhost", A): [("127.0.0.1",)]})
    home = tmp_path / "profile"
    try:
        code, out, err = run(capsys, monkeypatch, "--home", str(home), "account", "add",
                             "work", "--email", f"{mail_user.name}@localhost",
                             "--password-stdin", "--dns", f"{dns.address[0]}:{dns.address[1]}",
                             "--ca-file", str(mail_user.server.ca_file),
                             stdin=mail_user.password + "\n")
        assert code == 0, err
        assert "Best: probe (localhost)" in out
        assert "incoming: localhost:993 ssl" in out
        code, _out, err = run(capsys, monkeypatch, "--home", str(home), "sync", "work")
        assert code == 0, err
        code, out, err = run(capsys, monkeypatch, "--home", str(home), "list", "work",
                             "INBOX")
        assert code == 0 and "found by asking" in out, err
    finally:
        dns.stop()
        proxy.stop()
