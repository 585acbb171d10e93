"""The OAuth2 client IDs this build signs in with (qtmail/data/oauth-clients.json), and
the user's overrides: the file named by ``QTMAIL_OAUTH_CLIENTS`` (same form), then the
account's own client ID. A provider hands out client IDs to registered applications;
the source tree ships none, a packager fills them in (README "OAuth2 client IDs")."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qtmail.accounts.settings import OAuthSettings
from qtmail.resources import data_dir

log = logging.getLogger(__name__)

ENVIRONMENT = "QTMAIL_OAUTH_CLIENTS"


@dataclass(frozen=True)
class Client:
    client_id: str
    client_secret: str = ""
    """Google gives installed apps one; it identifies the app, it protects nothing
    (RFC 8252 8.5), but it stays out of the accounts file all the same."""


def _read(text: str) -> dict[str, Any]:
    data = json.loads(text)
    return data if isinstance(data, dict) else {}


def _table() -> dict[str, Any]:
    table = _read(data_dir().joinpath("oauth-clients.json").read_text("utf-8"))
    override = os.environ.get(ENVIRONMENT, "")
    if override:
        try:
            table.update(_read(Path(override).read_text("utf-8")))
        except (OSError, ValueError) as exc:
            log.warning("%s: %s is not readable: %s", ENVIRONMENT, override, exc)
    return table


def client_for(oauth: OAuthSettings) -> Client | None:
    """The client to sign in as; None when neither the build nor the user gave one."""
    entry = _table().get(oauth.provider)
    entry = entry if isinstance(entry, dict) else {}
    client_id = oauth.client_id or str(entry.get("client_id", ""))
    if not client_id:
        return None
    secret = str(entry.get("client_secret", "")) if not oauth.client_id \
        or oauth.client_id == entry.get("client_id") else ""
    return Client(client_id, secret)
