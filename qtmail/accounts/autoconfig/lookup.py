"""Find an account's servers from its address (issue 16): every lookup at once, each
with a short timeout, the highest-priority answer first.

Order (rules-accounts-reading.md 3, Thunderbird's, then more): a local override file;
``https://autoconfig.<domain>/mail/config-v1.1.xml?emailaddress=…``; the domain's
``/.well-known/autoconfig/``; the provider table shipped with qtmail; the ISPDB; the
provider of the domain's MX host; RFC 6186/8314 SRV records (``_imaps``, ``_imap``,
``_submissions``, ``_submission``; a "." target means not offered). Only https; DNS
answers are marked unverified. Nothing here sends a password: the dialog shows what was
found, and from where, first.
"""

from __future__ import annotations

import logging
import os
import ssl
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote, urlsplit

from qtmail.accounts.autoconfig import providers
from qtmail.accounts.autoconfig.dns import DnsError, Resolver
from qtmail.accounts.autoconfig.model import Auth, Found, ServerOption, Source, SourceKind
from qtmail.accounts.autoconfig.xmlconfig import MAX_XML, ConfigError, parse_config, parse_oauth
from qtmail.accounts.oauth import providers as oauth_providers
from qtmail.accounts.settings import OAuthSettings, Security
from qtmail.net.https import HttpsConnection

log = logging.getLogger(__name__)

ISPDB = "https://autoconfig.thunderbird.net/v1.1/"
TIMEOUT = 6.0
"""Seconds for each lookup; the whole search waits no longer than this either."""

Fetch = Callable[[str], bytes | None]
"""GET an https URL: the body, None for "not found"; raises OSError on failure."""


@dataclass
class Lookups:
    """How the lookups reach the world (tests point them at 127.0.0.1)."""

    fetch: Fetch
    resolver: Resolver = field(default_factory=Resolver)
    local_dir: Path | None = None
    """Override files ``<domain>.xml`` (an administrator's, or the user's)."""
    send_address: bool = True
    """Send the address to the domain's autoconfig server (the user may turn it off)."""
    ispdb: str = ISPDB


@dataclass(frozen=True)
class Attempt:
    """One lookup: what it found (None: nothing), how long it took, why it failed."""

    kind: SourceKind
    found: Found | None
    seconds: float | None
    """None: it did not answer within the timeout."""
    problem: str = ""


def discover(address: str, lookups: Lookups, *, timeout: float = TIMEOUT) -> list[Found]:
    """What was found, best source first; [] when nothing was. Returns as soon as the
    best source that found something has answered and every better one has failed: a
    slow lower source (a DNS server taking its time) never holds a good answer."""
    return [a.found for a in attempts(address, lookups, timeout=timeout, early=True)
            if a.found is not None]


def attempts(address: str, lookups: Lookups, *, timeout: float = TIMEOUT,
             early: bool = False) -> list[Attempt]:
    """Every lookup, in priority order, with its outcome and time (``early``: stop
    waiting once the best answer is certain; the rest are then "not waited for")."""
    domain = address.strip().rpartition("@")[2].lower().rstrip(".")
    if not domain:
        return []
    jobs: dict[SourceKind, Callable[[], Found | None]] = {
        SourceKind.LOCAL: lambda: _local(address, domain, lookups),
        SourceKind.ISP: lambda: _isp(address, domain, lookups),
        SourceKind.WELL_KNOWN: lambda: _well_known(address, domain, lookups),
        SourceKind.PROVIDERS: lambda: _provider_table(address, domain),
        SourceKind.ISPDB: lambda: _ispdb(address, domain, lookups),
        SourceKind.MX: lambda: _mx(address, domain, lookups),
        SourceKind.SRV: lambda: _srv(address, domain, lookups),
    }
    pool = ThreadPoolExecutor(max_workers=len(jobs), thread_name_prefix="autoconfig")
    started = time.monotonic()
    ended: dict[SourceKind, float] = {}

    def timed(kind: SourceKind, job: Callable[[], Found | None]) -> Found | None:
        try:
            return job()
        finally:
            ended[kind] = time.monotonic() - started

    futures = {kind: pool.submit(timed, kind, job) for kind, job in jobs.items()}
    results: list[Attempt] = []
    settled = False
    for kind in jobs:  # the enum's order is the priority
        future = futures[kind]
        if not settled:
            wait([future], timeout=max(0.0, started + timeout - time.monotonic()))
        if not future.done():
            problem = "not waited for" if settled else "no answer in time"
            log.info("autoconfig: %s: %s", kind.value, problem)
            results.append(Attempt(kind, None, None, problem))
            continue
        try:
            result = future.result()
        except (OSError, ConfigError, DnsError, ValueError) as exc:
            log.info("autoconfig: %s: %s", kind.value, exc)
            results.append(Attempt(kind, None, ended.get(kind), str(exc) or type(exc).__name__))
            continue
        results.append(Attempt(kind, _with_oauth(result), ended.get(kind)))
        settled = settled or (early and result is not None
                              and result.best_incoming is not None)
    pool.shutdown(wait=False, cancel_futures=True)  # a slow one never holds the answer
    return results


def _with_oauth(found: Found | None) -> Found | None:
    """Where the servers take OAuth2 and the source named no sign-in page, the provider
    table's one for the IMAP host (as Thunderbird's OAuth2Providers by host name)."""
    if found is None or found.oauth is not None:
        return found
    best = found.best_incoming
    if best is None or Auth.OAUTH2 not in best.auth:
        return found
    provider = oauth_providers.by_host(best.host)
    return replace(found, oauth=provider.settings()) if provider is not None else found


# -- the sources --------------------------------------------------------------------------
def _from_xml(data: bytes | None, address: str, source: Source) -> Found | None:
    if data is None:
        return None
    incoming, outgoing = parse_config(data, address)
    domain = address.rpartition("@")[2].lower()
    return Found(source, incoming, outgoing, parse_oauth(data, domain))


def _local(address: str, domain: str, lookups: Lookups) -> Found | None:
    if lookups.local_dir is None:
        return None
    path = lookups.local_dir / f"{domain}.xml"
    if not path.is_file():
        return None
    return _from_xml(path.read_bytes()[:MAX_XML + 1], address,
                     Source(SourceKind.LOCAL, str(path)))


def _isp(address: str, domain: str, lookups: Lookups) -> Found | None:
    url = f"https://autoconfig.{domain}/mail/config-v1.1.xml"
    if lookups.send_address:
        url += "?emailaddress=" + quote(address, safe="@")
    return _from_xml(lookups.fetch(url), address, Source(SourceKind.ISP, url))


def _well_known(address: str, domain: str, lookups: Lookups) -> Found | None:
    url = f"https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml"
    return _from_xml(lookups.fetch(url), address, Source(SourceKind.WELL_KNOWN, url))


def _provider_table(address: str, domain: str) -> Found | None:
    provider = providers.by_domain(domain)
    if provider is None:
        return None
    incoming, outgoing = provider.options(address)
    return Found(Source(SourceKind.PROVIDERS, provider.name), (incoming,), (outgoing,),
                 _provider_oauth(provider))


def _provider_oauth(provider: providers.Provider) -> OAuthSettings | None:
    entry = oauth_providers.by_id(provider.oauth) if provider.oauth else None
    return entry.settings() if entry is not None else None


def _ispdb(address: str, domain: str, lookups: Lookups) -> Found | None:
    url = lookups.ispdb + domain
    return _from_xml(lookups.fetch(url), address, Source(SourceKind.ISPDB, url))


def _mx(address: str, domain: str, lookups: Lookups) -> Found | None:
    """A domain hosted by a big provider (Google Workspace, Microsoft 365): its MX."""
    exchangers = lookups.resolver.mx(domain)
    for host in exchangers:
        provider = providers.by_mx(host)
        if provider is not None:
            incoming, outgoing = provider.options(address)
            return Found(Source(SourceKind.MX, f"MX {host}", unverified=True),
                         (incoming,), (outgoing,), _provider_oauth(provider))
    return None


_SRV_NAMES = (("imap", "_imaps._tcp", Security.SSL), ("imap", "_imap._tcp", Security.STARTTLS),
              ("smtp", "_submissions._tcp", Security.SSL),
              ("smtp", "_submission._tcp", Security.STARTTLS))


def _srv(address: str, domain: str, lookups: Lookups) -> Found | None:
    """RFC 6186 (and RFC 8314 7 for _submissions): the user name is the address."""
    incoming: list[ServerOption] = []
    outgoing: list[ServerOption] = []
    for protocol, prefix, security in _SRV_NAMES:
        for record in lookups.resolver.srv(f"{prefix}.{domain}"):
            if not record.target or not record.port:
                continue  # "." : decidedly not offered (RFC 6186 3.4)
            option = ServerOption(protocol, record.target, record.port, security, address)
            (incoming if protocol == "imap" else outgoing).append(option)
    if not incoming:
        return None
    return Found(Source(SourceKind.SRV, f"SRV {domain}", unverified=True),
                 tuple(incoming), tuple(outgoing))


# -- https ---------------------------------------------------------------------------------
def https_fetch(*, context: ssl.SSLContext | None = None, timeout: float = TIMEOUT,
                addresses: dict[str, tuple[str, int]] | None = None,
                resolver: Resolver | None = None) -> Fetch:
    """GET over https only, certificate checked, at most MAX_XML bytes, no redirects
    (a redirect elsewhere would need the user's word). ``addresses`` maps host names
    to (ip, port) for tests; ``resolver`` (the user's ``--dns``) finds the addresses of
    names instead of the system; the certificate is still checked against the name."""
    tls = context or ssl.create_default_context()

    def fetch(url: str) -> bytes | None:
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise OSError(f"not an https URL: {url}")
        port = parts.port or 443
        where = addresses
        if resolver is not None and not (addresses and parts.hostname in addresses):
            found = resolver.a(parts.hostname)
            if not found:
                return None  # no such host: nothing there to find
            where = {parts.hostname: (found[0], port)}
        connection = HttpsConnection(parts.hostname, port, context=tls,
                                     timeout=timeout, addresses=where)
        try:
            path = parts.path + ("?" + parts.query if parts.query else "")
            connection.request("GET", path or "/", headers={"Accept": "text/xml"})
            response = connection.getresponse()
            if response.status == 404:
                return None
            if response.status != 200:
                raise OSError(f"{url}: HTTP {response.status}")
            body = response.read(MAX_XML + 1)
        finally:
            connection.close()
        return body
    return fetch


# -- the user's own DNS server and CA (--dns, --ca; QTMAIL_DNS, QTMAIL_CA) -----------------
def parse_dns(text: str) -> tuple[str, int]:
    """"HOST:PORT" or "HOST" (port 53); ValueError with a sentence otherwise."""
    host, colon, port = text.strip().rpartition(":")
    if not colon:
        host, port = text.strip(), "53"
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"“{text}” is not a DNS server: give HOST:PORT, such as "
                         "127.0.0.1:5353.")
    return host.strip("[]"), int(port)


def tls_context(ca_file: str = "") -> ssl.SSLContext:
    """The system's trusted CAs, plus ``ca_file`` (a test CA) when given."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


def make_lookups(*, dns: str = "", ca_file: str = "", send_address: bool = True,
                 local_dir: Path | None = None) -> Lookups:
    """The lookups for the real world, or for the test servers ``dns`` and ``ca_file``
    name."""
    resolver = Resolver(parse_dns(dns)) if dns else Resolver()
    fetch = https_fetch(context=tls_context(ca_file),
                        resolver=resolver if dns else None)
    return Lookups(fetch=fetch, resolver=resolver, local_dir=local_dir,
                   send_address=send_address)


def environment_lookups(local_dir: Path | None = None) -> Lookups:
    """What the GUI uses: ``QTMAIL_DNS`` and ``QTMAIL_CA`` as the command line's --dns and
    --ca, so anyone can try discovery against local test servers."""
    dns, ca_file = os.environ.get("QTMAIL_DNS", ""), os.environ.get("QTMAIL_CA", "")
    try:
        return make_lookups(dns=dns, ca_file=ca_file, local_dir=local_dir)
    except (ValueError, OSError) as exc:  # a typo there must not break account setup
        log.warning("QTMAIL_DNS/QTMAIL_CA ignored: %s", exc)
        return make_lookups(local_dir=local_dir)
