"""OAuth2 authorization servers shipped with qtmail (qtmail/data/providers.json "oauth"),
found by provider id or by an IMAP/SMTP host name, as Thunderbird's OAuth2Providers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from qtmail.accounts.settings import OAuthSettings
from qtmail.resources import data_dir


@dataclass(frozen=True)
class OAuthProvider:
    id: str
    name: str
    authorization_endpoint: str
    token_endpoint: str
    issuer: str
    scopes: tuple[str, ...]
    extra_parameters: tuple[tuple[str, str], ...]
    hosts: frozenset[str]

    def settings(self, *, client_id: str = "", tenant: str = "") -> OAuthSettings:
        """An account's OAuth settings; ``tenant`` is Microsoft's organisation (default
        "common": any work, school or personal account)."""
        tenant = tenant.strip() or "common"
        return OAuthSettings(
            provider=self.id,
            authorization_endpoint=self.authorization_endpoint.replace("{tenant}", tenant),
            token_endpoint=self.token_endpoint.replace("{tenant}", tenant),
            scopes=self.scopes, client_id=client_id.strip(), issuer=self.issuer,
            extra_parameters=self.extra_parameters)


@cache
def oauth_providers() -> dict[str, OAuthProvider]:
    raw = json.loads(data_dir().joinpath("providers.json").read_text("utf-8"))
    return {key: _provider(key, item) for key, item in raw["oauth"].items()}


def _provider(key: str, item: dict[str, Any]) -> OAuthProvider:
    return OAuthProvider(
        id=key, name=str(item["name"]),
        authorization_endpoint=str(item["authorization_endpoint"]),
        token_endpoint=str(item["token_endpoint"]), issuer=str(item.get("issuer", "")),
        scopes=tuple(str(s) for s in item["scopes"]),
        extra_parameters=tuple((str(k), str(v)) for k, v in item.get("extra_parameters", ())),
        hosts=frozenset(h.lower() for h in item.get("hosts", ())))


def by_id(provider: str) -> OAuthProvider | None:
    return oauth_providers().get(provider)


def by_host(host: str) -> OAuthProvider | None:
    """The provider whose page signs in to the server ``host`` (imap.gmail.com...)."""
    wanted = host.lower().rstrip(".")
    return next((p for p in oauth_providers().values() if wanted in p.hosts), None)
