"""Account settings, kept in a JSON file that never holds a secret."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from qtmail.core.errors import QT_TRANSLATE_NOOP, ConfigError, Sentence


class Security(StrEnum):
    """How a connection is protected. Persisted by value: never rename."""

    SSL = "ssl"
    """Implicit TLS from the first byte (RFC 8314): the default."""
    STARTTLS = "starttls"
    NONE = "none"
    """No encryption: an explicit opt-in, for 127.0.0.1 tests and trusted networks."""


DEFAULT_PORTS = {
    ("imap", Security.SSL): 993,
    ("imap", Security.STARTTLS): 143,
    ("imap", Security.NONE): 143,
    ("smtp", Security.SSL): 465,
    ("smtp", Security.STARTTLS): 587,
    ("smtp", Security.NONE): 25,
}
SIEVE_PORT = 4190
"""ManageSieve's registered port (RFC 5804 1.8)."""


@dataclass(frozen=True)
class ServerSettings:
    host: str
    port: int
    security: Security = Security.SSL
    username: str = ""
    ca_file: str = ""
    """A CA bundle to trust for this server, in addition to nothing else."""
    pinned_fingerprint: str = ""
    """SHA-256 of a certificate the user accepted for host:port (RELIABILITY.md B)."""
    timeout: float = 30.0


@dataclass(frozen=True)
class SyncPolicy:
    """How much mail is kept in sync and how often (per account, per-folder overrides)."""

    days: int | None = None
    """Only the last N days (SEARCH SINCE); None syncs all mail."""
    check_minutes: int | None = None
    """Poll every N minutes; None means push (IDLE) where the server offers it."""
    offline_bodies: bool = False
    """Download bodies in the sync range in the background, newest first."""


@dataclass(frozen=True)
class IdentitySettings:
    """Another address the account sends as (an alias, a shared mailbox): the account's
    servers, its own name and signature. The account's main address is not one of these."""

    email: str
    display_name: str = ""
    signature: str = ""


@dataclass(frozen=True)
class OAuthSettings:
    """How an account signs in through its provider's page (OAuth2, issue 16) instead of
    a password. Endpoints and scopes are stored with the account so a token refresh
    needs nothing else; the client secret (for providers that issue one to installed
    apps) is not: it comes from the build (qtmail.accounts.oauth.clients)."""

    provider: str
    """The provider table's id ("google", "microsoft"), or another name for a custom one."""
    authorization_endpoint: str
    token_endpoint: str
    scopes: tuple[str, ...]
    client_id: str = ""
    """The user's own client ID (an organisation that allows only approved apps); ""
    means the one this build of qtmail was given for ``provider``."""
    issuer: str = ""
    """RFC 9207: the ``iss`` the authorization response must carry, where declared."""
    extra_parameters: tuple[tuple[str, str], ...] = ()
    """Added to the authorization request (Google: access_type=offline)."""


@dataclass(frozen=True)
class AccountSettings:
    name: str
    email: str
    imap: ServerSettings
    smtp: ServerSettings | None = None
    display_name: str = ""
    sync: SyncPolicy = field(default_factory=SyncPolicy)
    folder_sync: dict[str, SyncPolicy] = field(default_factory=dict)
    body_cache_mb: int = 1024
    signature: str = ""
    """Plain text put under "-- " in new messages and replies (RFC 3676 4.3)."""
    sieve: ServerSettings | None = None
    """ManageSieve (RFC 5804) for server-side rules; None: derived from IMAP."""
    identities: tuple[IdentitySettings, ...] = ()
    """More addresses to send from, after the main one (``email``)."""
    oauth: OAuthSettings | None = None
    """Set: the account signs in with OAuth2 tokens, not a password (issue 16)."""

    def policy_for(self, folder: str) -> SyncPolicy:
        return self.folder_sync.get(folder, self.sync)

    @property
    def imap_username(self) -> str:
        return self.imap.username or self.email

    @property
    def sieve_server(self) -> ServerSettings:
        """Where the rules live: the account's own setting, else the IMAP host on port
        4190 (RFC 5804 1.8). RFC 5804 defines STARTTLS, not implicit TLS, so an IMAP
        account that is encrypted either way gets STARTTLS (still required, never
        optional); an explicitly unencrypted one stays unencrypted. The IMAP login,
        CA file and pinned certificate carry over: it is the same server's certificate.
        """
        if self.sieve is not None:
            return self.sieve
        security = Security.NONE if self.imap.security is Security.NONE else Security.STARTTLS
        return replace(self.imap, port=SIEVE_PORT, security=security,
                       username=self.imap_username)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AccountSettings:
        try:
            imap = _server(data["imap"])
            smtp = _server(data["smtp"]) if data.get("smtp") else None
            return cls(
                name=str(data["name"]),
                email=str(data["email"]),
                imap=imap,
                smtp=smtp,
                display_name=str(data.get("display_name", "")),
                sync=SyncPolicy(**data.get("sync", {})),
                folder_sync={k: SyncPolicy(**v) for k, v in data.get("folder_sync", {}).items()},
                body_cache_mb=int(data.get("body_cache_mb", 1024)),
                signature=str(data.get("signature", "")),
                sieve=_server(data["sieve"]) if data.get("sieve") else None,
                identities=tuple(_identity(item) for item in data.get("identities", ())),
                oauth=_oauth(data["oauth"]) if data.get("oauth") else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(QT_TRANSLATE_NOOP(
                "Errors", "The account settings file is damaged."), detail=repr(exc)) from exc


def _identity(data: dict[str, Any]) -> IdentitySettings:
    return IdentitySettings(email=str(data["email"]),
                            display_name=str(data.get("display_name", "")),
                            signature=str(data.get("signature", "")))


def _oauth(data: dict[str, Any]) -> OAuthSettings:
    return OAuthSettings(
        provider=str(data["provider"]),
        authorization_endpoint=str(data["authorization_endpoint"]),
        token_endpoint=str(data["token_endpoint"]),
        scopes=tuple(str(scope) for scope in data["scopes"]),
        client_id=str(data.get("client_id", "")), issuer=str(data.get("issuer", "")),
        extra_parameters=tuple((str(k), str(v)) for k, v in data.get("extra_parameters", ())))


def _server(data: dict[str, Any]) -> ServerSettings:
    values = dict(data)
    values["security"] = Security(values.get("security", Security.SSL))
    values["port"] = int(values["port"])
    return ServerSettings(**values)


class AccountsFile:
    """Reads and writes the accounts file atomically (temp file + rename, mode 0600)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> list[AccountSettings]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The accounts file {path} is damaged."), path=self.path),
                              detail=str(exc)) from exc
        return [AccountSettings.from_json(item) for item in data.get("accounts", [])]

    def save(self, accounts: list[AccountSettings]) -> None:
        payload = json.dumps({"version": 1, "accounts": [a.to_json() for a in accounts]},
                             indent=2, ensure_ascii=False)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".accounts-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, name: str) -> AccountSettings:
        for account in self.load():
            if account.name == name:
                return account
        raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "There is no account named “{name}”."), name=name))

    def add(self, account: AccountSettings) -> None:
        accounts = self.load()
        if any(a.name == account.name for a in accounts):
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "An account named “{account}” already exists."), account=account.name))
        self.save([*accounts, account])

    def update(self, account: AccountSettings) -> None:
        self.save([account if a.name == account.name else a for a in self.load()])

    def remove(self, name: str) -> AccountSettings:
        accounts = self.load()
        kept = [a for a in accounts if a.name != name]
        if len(kept) == len(accounts):
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "There is no account named “{name}”."), name=name))
        self.save(kept)
        return next(a for a in accounts if a.name == name)

