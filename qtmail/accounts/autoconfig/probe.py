"""When no source knows the domain: ask the usual host names and ports (Thunderbird's
GuessConfig), all at once, each with a short timeout. Only greetings are read (IMAP
CAPABILITY, SMTP EHLO); no credential is sent. Implicit TLS first (RFC 8314), then
STARTTLS; never an unencrypted port."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, wait

from qtmail.accounts.autoconfig.dns import Resolver
from qtmail.accounts.autoconfig.model import Found, ServerOption, Source, SourceKind
from qtmail.accounts.settings import Security, ServerSettings
from qtmail.core.errors import KnownError
from qtmail.imap.session import greeting_capabilities
from qtmail.smtp.send import greets

TIMEOUT = 4.0
IMAP_PORTS = ((993, Security.SSL), (143, Security.STARTTLS))
SMTP_PORTS = ((465, Security.SSL), (587, Security.STARTTLS))


def candidates(domain: str, prefix: str) -> tuple[str, ...]:
    return (f"{prefix}.{domain}", f"mail.{domain}", domain)


def probe(address: str, resolver: Resolver | None = None, *,
          imap_ports: tuple[tuple[int, Security], ...] = IMAP_PORTS,
          smtp_ports: tuple[tuple[int, Security], ...] = SMTP_PORTS,
          timeout: float = TIMEOUT) -> list[Found]:
    """[Found] with the first answering IMAP server (and SMTP server, if one answers),
    in the order of ``candidates`` and ports; [] when no IMAP server answers.
    ``resolver`` (the user's --dns) finds the hosts' addresses instead of the system."""
    domain = address.strip().rpartition("@")[2].lower().rstrip(".")
    if not domain:
        return []
    imap = [(host, port, security) for host in candidates(domain, "imap")
            for port, security in imap_ports]
    smtp = [(host, port, security) for host in candidates(domain, "smtp")
            for port, security in smtp_ports]
    pool = ThreadPoolExecutor(max_workers=len(imap) + len(smtp),
                              thread_name_prefix="autoconfig-probe")

    def settings(host: str, port: int, security: Security) -> ServerSettings:
        target = host
        if resolver is not None:
            found = resolver.a(host)
            if not found:
                raise OSError(f"{host}: no address")
            target = found[0]
        return ServerSettings(host=target, port=port, security=security, timeout=timeout)

    def imap_answers(host: str, port: int, security: Security) -> bool:
        try:
            capabilities = greeting_capabilities(settings(host, port, security))
            return bool({"IMAP4REV1", "IMAP4REV2"} & capabilities)
        except (KnownError, OSError):
            return False

    def smtp_answers(host: str, port: int, security: Security) -> bool:
        try:
            return greets(settings(host, port, security))
        except OSError:
            return False

    imap_futures = [pool.submit(imap_answers, *c) for c in imap]
    smtp_futures = [pool.submit(smtp_answers, *c) for c in smtp]
    wait(imap_futures + smtp_futures, timeout=timeout + 1)
    pool.shutdown(wait=False, cancel_futures=True)
    incoming = next((ServerOption("imap", host, port, security, address)
                     for (host, port, security), future in zip(imap, imap_futures, strict=True)
                     if future.done() and future.result()), None)
    if incoming is None:
        return []
    outgoing = next((ServerOption("smtp", host, port, security, address)
                     for (host, port, security), future in zip(smtp, smtp_futures, strict=True)
                     if future.done() and future.result()), None)
    return [Found(Source(SourceKind.PROBE, incoming.host, unverified=True), (incoming,),
                  (outgoing,) if outgoing is not None else ())]
