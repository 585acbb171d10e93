"""Account settings from the address (issue 16, autoconfiguration): every lookup against
servers on 127.0.0.1 written for the tests, a local DNS server for SRV and MX, and a
local HTTPS server with its own CA for the autoconfig files. Nothing leaves the machine.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.autoconfig_world import ADDRESS, CONFIG, make_world
from helpers.dns_server import SRV, DnsServer
from helpers.https_server import HttpsServer

from qtmail.accounts.autoconfig.dns import Resolver
from qtmail.accounts.autoconfig.lookup import Lookups, attempts, discover
from qtmail.accounts.autoconfig.model import Auth, SourceKind
from qtmail.accounts.autoconfig.xmlconfig import ConfigError, parse_config
from qtmail.accounts.settings import Security


def test_every_server_and_authentication_is_read_and_implicit_tls_preferred() -> None:
    incoming, outgoing = parse_config(CONFIG, ADDRESS)
    assert [(o.port, o.security, o.username) for o in incoming] == [
        (143, Security.STARTTLS, "ann"), (993, Security.SSL, ADDRESS)]  # no POP3
    assert incoming[1].auth == (Auth.OAUTH2, Auth.PASSWORD)
    assert [(o.host, o.port) for o in outgoing] == [("smtp.example.test", 465)]
    with pytest.raises(ConfigError):
        parse_config(b"<html>not a config</html>", ADDRESS)
    with pytest.raises(ConfigError):
        parse_config(b"<clientConfig><emailProvider/></clientConfig>", ADDRESS)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[HttpsServer, DnsServer, Lookups]]:
    made = make_world(tmp_path)
    yield made.web, made.dns, made.lookups
    made.stop()


def test_the_domains_autoconfig_wins_and_the_address_is_sent_only_if_allowed(
        world: tuple[HttpsServer, DnsServer, Lookups]) -> None:
    web, _dns, lookups = world
    # Every source is asked (attempts waits for them all; the dialog stops at the best).
    found = [a.found for a in attempts(ADDRESS, lookups) if a.found is not None]
    assert found[0].source.kind is SourceKind.ISP and not found[0].source.unverified
    best = found[0].best_incoming
    assert best is not None and (best.host, best.port, best.security) == (
        "imap.example.test", 993, Security.SSL)
    assert ("autoconfig.example.test",
            "/mail/config-v1.1.xml?emailaddress=ann@example.test") in web.requests
    assert ("example.test", "/.well-known/autoconfig/mail/config-v1.1.xml") in web.requests
    assert ("ispdb.example.test", "/v1.1/example.test") in web.requests

    web.requests.clear()
    lookups.send_address = False
    attempts(ADDRESS, lookups)
    assert not any("emailaddress" in path for _host, path in web.requests)


def test_srv_records_and_a_dot_target_meaning_not_offered(
        world: tuple[HttpsServer, DnsServer, Lookups]) -> None:
    _web, dns, lookups = world
    found = discover("bob@srv.test", lookups)
    [srv] = [f for f in found if f.source.kind is SourceKind.SRV]
    assert srv.source.unverified  # DNS without DNSSEC: the dialog says so
    assert [(o.host, o.port, o.security) for o in srv.incoming] == [
        ("mail.srv.test", 993, Security.SSL)]  # _imap's "." left out
    assert [(o.host, o.port) for o in srv.outgoing] == [("mail.srv.test", 465)]
    assert srv.incoming[0].username == "bob@srv.test"
    assert ("_imaps._tcp.srv.test", SRV) in dns.asked


def test_a_google_hosted_domain_is_found_by_its_mx_and_big_providers_from_the_table(
        world: tuple[HttpsServer, DnsServer, Lookups]) -> None:
    _web, _dns, lookups = world
    [hosted] = [f for f in discover("carol@workspace.test", lookups)
                if f.source.kind is SourceKind.MX]
    assert hosted.best_incoming is not None and hosted.best_incoming.host == "imap.gmail.com"
    assert Auth.OAUTH2 in hosted.best_incoming.auth
    gmail = discover("dave@gmail.com", lookups)
    table = [f for f in gmail if f.source.kind is SourceKind.PROVIDERS]
    assert table and table[0].best_outgoing is not None
    assert (table[0].best_outgoing.host, table[0].best_outgoing.port) == ("smtp.gmail.com", 465)


def test_a_local_file_overrides_and_a_silent_server_does_not_hold_the_answer(
        world: tuple[HttpsServer, DnsServer, Lookups], tmp_path: Path) -> None:
    _web, _dns, lookups = world
    overrides = tmp_path / "isp"
    overrides.mkdir()
    (overrides / "example.test.xml").write_bytes(CONFIG.replace(b"993", b"1993"))
    lookups.local_dir = overrides
    found = discover(ADDRESS, lookups)
    assert found[0].source.kind is SourceKind.LOCAL
    assert found[0].incoming[1].port == 1993
    # The best answer is certain at once: a silent DNS server (MX, SRV) does not hold it.
    lookups.resolver = Resolver(("127.0.0.1", 9), timeout=3)
    started = time.monotonic()
    assert discover(ADDRESS, lookups)[0].source.kind is SourceKind.LOCAL
    assert time.monotonic() - started < 1
    # A DNS server that never answers: the lookup gives up after its timeout.
    lookups.resolver = Resolver(("127.0.0.1", 9), timeout=1)  # discard port: silence
    started = time.monotonic()
    found = discover("eve@srv.test", lookups, timeout=2)
    assert time.monotonic() - started < 3.5
    assert not any(f.source.kind is SourceKind.SRV for f in found)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<clientConfig><emailProvider id="x"><incomingServer type="imap">
<hostname>&lol9;</hostname><port>993</port><socketType>SSL</socketType>
</incomingServer></emailProvider></clientConfig>"""


def test_hostile_documents_are_refused_without_reading_files_or_blowing_up(
        tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("imap.stolen.test")
    external = (f'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file://{secret}">]>'
                '<clientConfig><emailProvider id="x"><incomingServer type="imap">'
                '<hostname>&x;</hostname><port>993</port><socketType>SSL</socketType>'
                '</incomingServer></emailProvider></clientConfig>').encode()
    started = time.monotonic()
    for hostile in (BOMB, external, CONFIG + b" " * (600 * 1024)):
        try:
            incoming, _outgoing = parse_config(hostile, ADDRESS)
        except ConfigError:
            continue
        # Parsed without the entity: never the file's text, never a huge name.
        assert all("stolen" not in o.host and len(o.host) < 256 for o in incoming)
    assert time.monotonic() - started < 2


def test_oauth_sign_in_pages_come_from_the_document_or_the_provider_table(
        world: tuple[HttpsServer, DnsServer, Lookups], tmp_path: Path) -> None:
    _web, _dns, lookups = world
    gmail = next(f for f in discover("dave@gmail.com", lookups)
             if f.source.kind is SourceKind.PROVIDERS)
    assert gmail.signs_in_with_oauth and gmail.takes_password  # app passwords too
    assert gmail.oauth is not None and gmail.oauth.scopes == ("https://mail.google.com/",)
    assert ("access_type", "offline") in gmail.oauth.extra_parameters
    # The ISP's document names OAuth2 without a sign-in page for its own host: qtmail
    # knows none, so it does not offer one.
    isp = discover(ADDRESS, lookups)[0]
    assert isp.oauth is None and not isp.signs_in_with_oauth
    # An <oAuth2> block names one; http endpoints elsewhere than this computer are refused.
    overrides = tmp_path / "isp"
    overrides.mkdir()
    block = (b"<oAuth2><issuer>https://login.example.test</issuer><scope>mail offline"
             b"</scope><authURL>https://login.example.test/auth</authURL>"
             b"<tokenURL>https://login.example.test/token</tokenURL></oAuth2>")
    (overrides / "example.test.xml").write_bytes(
        CONFIG.replace(b"</clientConfig>", block + b"</clientConfig>"))
    lookups.local_dir = overrides
    local = discover(ADDRESS, lookups)[0]
    assert local.oauth is not None and local.signs_in_with_oauth
    assert (local.oauth.provider, local.oauth.scopes) == ("example.test", ("mail", "offline"))
    (overrides / "example.test.xml").write_bytes(CONFIG.replace(
        b"</clientConfig>", block.replace(b"https://login", b"http://login")
        + b"</clientConfig>"))
    assert discover(ADDRESS, lookups)[0].oauth is None


@pytest.mark.dovecot
def test_when_no_source_knows_the_domain_the_usual_servers_are_asked(
        dovecot: object) -> None:
    from helpers.dovecot import DovecotServer

    from qtmail.accounts.autoconfig.probe import probe

    assert isinstance(dovecot, DovecotServer)
    # "localhost" is the domain, so the candidates are imap.localhost, mail.localhost
    # and localhost itself (some systems resolve all three to 127.0.0.1): one answers,
    # on its implicit-TLS port first.
    found = probe("ann@localhost", imap_ports=((1, Security.SSL), (dovecot.tls_port,
                                                Security.SSL), (dovecot.port,
                                                                Security.STARTTLS)),
                  smtp_ports=((1, Security.SSL),), timeout=2)
    [guess] = found
    assert guess.source.kind is SourceKind.PROBE and guess.source.unverified
    best = guess.best_incoming
    assert best is not None
    assert best.host in ("imap.localhost", "mail.localhost", "localhost")
    assert (best.port, best.security) == (dovecot.tls_port, Security.SSL)
    assert guess.best_outgoing is None
    assert probe("ann@localhost", imap_ports=((1, Security.SSL),), smtp_ports=(),
                 timeout=2) == []


def test_the_window_reads_the_dns_server_and_ca_from_the_environment(
        world: tuple[HttpsServer, DnsServer, Lookups], monkeypatch: pytest.MonkeyPatch) -> None:
    from qtmail.accounts.autoconfig.lookup import environment_lookups

    web, dns, _lookups = world
    monkeypatch.setenv("QTMAIL_DNS", f"{dns.address[0]}:{dns.address[1]}")
    monkeypatch.setenv("QTMAIL_CA", str(web.ca))
    lookups = environment_lookups()
    assert lookups.resolver.server == dns.address
    found = discover("bob@srv.test", lookups)
    assert any(f.source.kind is SourceKind.SRV for f in found)
    # A typo there is logged and the system's resolver used: setup still works.
    monkeypatch.setenv("QTMAIL_DNS", "not a server")
    assert environment_lookups().resolver.server != dns.address
