"""A little internet on 127.0.0.1 for account setup (issue 16): an HTTPS server with
its own CA serving autoconfig files, a DNS server with SRV and MX records, and the
Lookups that reach them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpers.dns_server import MX, SRV, DnsServer
from helpers.https_server import HttpsServer
from qtmail.accounts.autoconfig.dns import Resolver
from qtmail.accounts.autoconfig.lookup import Lookups, https_fetch

CONFIG = b"""<?xml version="1.0"?>
<clientConfig version="1.1">
  <emailProvider id="example.test">
    <incomingServer type="pop3">
      <hostname>pop.example.test</hostname><port>995</port><socketType>SSL</socketType>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>imap.example.test</hostname><port>143</port>
      <socketType>STARTTLS</socketType><username>%EMAILLOCALPART%</username>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>imap.example.test</hostname><port>993</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>OAuth2</authentication>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
"""
ADDRESS = "ann@example.test"
NAMES = ["autoconfig.example.test", "example.test", "ispdb.example.test",
         "autoconfig.srv.test", "srv.test", "autoconfig.workspace.test", "workspace.test",
         "autoconfig.gmail.com", "gmail.com"]


@dataclass
class World:
    web: HttpsServer
    dns: DnsServer
    lookups: Lookups

    def stop(self) -> None:
        self.dns.stop()
        self.web.stop()


def make_world(folder: Path) -> World:
    web = HttpsServer(folder, NAMES[:3], {
        ("autoconfig.example.test",
         "/mail/config-v1.1.xml?emailaddress=ann@example.test"): CONFIG,
    })
    dns = DnsServer({
        ("_imaps._tcp.srv.test", SRV): [(0, 1, 993, "mail.srv.test")],
        ("_imap._tcp.srv.test", SRV): [(0, 0, 0, ".")],  # RFC 6186: not offered
        ("_submissions._tcp.srv.test", SRV): [(0, 1, 465, "mail.srv.test")],
        ("workspace.test", MX): [(10, "aspmx.l.google.com"), (20, "alt1.aspmx.l.google.com")],
    })
    fetch = https_fetch(context=web.client_context(), timeout=3,
                        addresses={name: ("127.0.0.1", web.port) for name in NAMES})
    lookups = Lookups(fetch=fetch, resolver=Resolver(dns.address, timeout=2),
                      ispdb="https://ispdb.example.test/v1.1/")
    return World(web, dns, lookups)
