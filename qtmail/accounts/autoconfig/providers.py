"""The provider table shipped with qtmail (qtmail/data/providers.json): by the address's
domain, or by the domain's MX host (a Google Workspace or Microsoft 365 domain)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from qtmail.accounts.autoconfig.model import Auth, ServerOption
from qtmail.accounts.settings import Security
from qtmail.resources import data_dir


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    domains: frozenset[str]
    mx: tuple[str, ...]
    imap: tuple[str, int, Security]
    smtp: tuple[str, int, Security]
    auth: tuple[Auth, ...]
    oauth: str = ""
    """The OAuth2 provider's id (qtmail.accounts.oauth.providers), "" for none."""

    def options(self, address: str) -> tuple[ServerOption, ServerOption]:
        host, port, security = self.imap
        incoming = ServerOption("imap", host, port, security, address, self.auth)
        host, port, security = self.smtp
        return incoming, ServerOption("smtp", host, port, security, address, self.auth)


@cache
def providers() -> tuple[Provider, ...]:
    raw = data_dir().joinpath("providers.json").read_text("utf-8")
    return tuple(_provider(item) for item in json.loads(raw)["providers"])


def _provider(item: dict[str, Any]) -> Provider:
    def server(data: dict[str, Any]) -> tuple[str, int, Security]:
        return str(data["host"]), int(data["port"]), Security(data["security"])

    return Provider(str(item["id"]), str(item["name"]),
                    frozenset(d.lower() for d in item["domains"]),
                    tuple(m.lower() for m in item["mx"]), server(item["imap"]),
                    server(item["smtp"]), tuple(Auth(a) for a in item["auth"]),
                    str(item.get("oauth", "")))


def by_domain(domain: str) -> Provider | None:
    domain = domain.lower().rstrip(".")
    return next((p for p in providers() if domain in p.domains), None)


def by_mx(mx_host: str) -> Provider | None:
    """The provider hosting a domain whose MX is ``mx_host`` (e.g. aspmx.l.google.com)."""
    host = mx_host.lower().rstrip(".")
    for provider in providers():
        if any(host == suffix or host.endswith("." + suffix) for suffix in provider.mx):
            return provider
    return None
