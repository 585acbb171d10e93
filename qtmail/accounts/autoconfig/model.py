"""What a lookup found: servers, how to sign in, and where the answer came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from qtmail.accounts.settings import OAuthSettings, Security


class Auth(Enum):
    PASSWORD = "password"
    OAUTH2 = "oauth2"
    """Sign in with the provider's page (Gmail, Microsoft 365): no password typed here."""


class SourceKind(Enum):
    """Where settings came from, highest priority first (Thunderbird's order, then
    RFC 6186 SRV records, which Thunderbird and Geary lack)."""

    LOCAL = "local"
    ISP = "isp"
    WELL_KNOWN = "well_known"
    PROVIDERS = "providers"
    ISPDB = "ispdb"
    MX = "mx"
    SRV = "srv"
    PROBE = "probe"
    """Nothing answered: the usual host names and ports, asked for their CAPABILITY."""


@dataclass(frozen=True)
class Source:
    kind: SourceKind
    where: str
    """The URL, file or DNS name asked."""
    unverified: bool = False
    """Plain HTTP or DNS without DNSSEC: anyone on the path could have answered; the
    dialog says so before a password goes out."""


@dataclass(frozen=True)
class ServerOption:
    protocol: str
    """"imap" or "smtp"."""
    host: str
    port: int
    security: Security
    username: str
    """With the placeholders resolved (%EMAILADDRESS%, %EMAILLOCALPART%)."""
    auth: tuple[Auth, ...] = (Auth.PASSWORD,)


@dataclass(frozen=True)
class Found:
    source: Source
    incoming: tuple[ServerOption, ...] = field(default_factory=tuple)
    outgoing: tuple[ServerOption, ...] = field(default_factory=tuple)
    oauth: OAuthSettings | None = None
    """Where to sign in when the servers take OAuth2: the document's ``<oAuth2>``, or
    the provider table's entry for the IMAP host; None when qtmail knows of none."""

    @property
    def signs_in_with_oauth(self) -> bool:
        best = self.best_incoming
        return self.oauth is not None and best is not None and Auth.OAUTH2 in best.auth

    @property
    def takes_password(self) -> bool:
        best = self.best_incoming
        return best is None or Auth.PASSWORD in best.auth

    @property
    def best_incoming(self) -> ServerOption | None:
        return _best(self.incoming)

    @property
    def best_outgoing(self) -> ServerOption | None:
        return _best(self.outgoing)


_SECURITY_ORDER = {Security.SSL: 0, Security.STARTTLS: 1, Security.NONE: 2}


def _best(options: tuple[ServerOption, ...]) -> ServerOption | None:
    """Implicit TLS first (RFC 8314 3), then STARTTLS; never unencrypted by itself."""
    usable = [o for o in options if o.security is not Security.NONE]
    return min(usable, key=lambda o: _SECURITY_ORDER[o.security], default=None)
