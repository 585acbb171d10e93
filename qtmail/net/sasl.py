"""SASL mechanisms (RFC 4422) for IMAP's, SMTP's and ManageSieve's AUTHENTICATE.

A mechanism gives an initial response and answers challenges. OAuth mechanisms must
answer the server's error challenge (RFC 7628 3.2.3) instead of leaving it waiting,
which is what made sievelib hang on a refused token.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Bearer:
    """An OAuth2 access token (RFC 6750) standing where a password would (issue 16)."""

    token: str = field(repr=False)


Secret = str | Bearer
"""What signs in: a password, or an OAuth2 access token."""


class Mechanism(Protocol):
    @property
    def name(self) -> str:
        """The SASL mechanism name (RFC 4422), as AUTHENTICATE sends it."""

    def initial(self) -> bytes | None:
        """The initial response sent with AUTHENTICATE, or None to wait for a challenge."""

    def answer(self, challenge: bytes) -> bytes:
        """The reply to a server challenge."""


@dataclass(frozen=True)
class Plain:
    """RFC 4616: authzid NUL authcid NUL password, all UTF-8."""

    username: str
    password: str = field(repr=False)
    name: str = "PLAIN"

    def initial(self) -> bytes:
        return b"\0" + self.username.encode() + b"\0" + self.password.encode()

    def answer(self, challenge: bytes) -> bytes:
        return b""


@dataclass(frozen=True)
class OAuthBearer:
    """RFC 7628: GS2 header, then ``auth=Bearer <token>``; answers an error with %x01."""

    username: str
    token: str = field(repr=False)
    name: str = "OAUTHBEARER"

    def initial(self) -> bytes:
        return (f"n,a={self.username},\x01auth=Bearer {self.token}\x01\x01").encode()

    def answer(self, challenge: bytes) -> bytes:
        return b"\x01"  # RFC 7628 3.2.3: the client's reply to an error challenge


@dataclass(frozen=True)
class XOAuth2:
    """Google/Microsoft's XOAUTH2: ``user=<u>^Aauth=Bearer <t>^A^A`` (no comma)."""

    username: str
    token: str = field(repr=False)
    name: str = "XOAUTH2"

    def initial(self) -> bytes:
        return f"user={self.username}\x01auth=Bearer {self.token}\x01\x01".encode()

    def answer(self, challenge: bytes) -> bytes:
        return b""  # the error challenge is JSON; an empty reply ends the exchange


def mechanism_for(username: str, secret: Secret, offered: Collection[str]) -> Mechanism:
    """PLAIN for a password; for a token OAUTHBEARER (RFC 7628) where ``offered`` (the
    upper-case mechanism names the server announces) has it, else XOAUTH2, which Gmail
    and Microsoft 365 offer."""
    if isinstance(secret, Bearer):
        if "OAUTHBEARER" in offered:
            return OAuthBearer(username, secret.token)
        return XOAuth2(username, secret.token)
    return Plain(username, secret)
