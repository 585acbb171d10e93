"""Who a message is from (an identity: one account and its address) and its signature.

The signature block follows the Usenet convention RFC 3676 4.3 relies on: a line "-- "
(dash, dash, space) and the signature below it, so clients can recognise and strip it.
"""

from __future__ import annotations

from dataclasses import dataclass

from qtmail.core.types import Address

SEPARATOR = "-- "


@dataclass(frozen=True, slots=True)
class Identity:
    account: str
    """The account whose worker sends the message (its SMTP server, its Sent folder)."""
    address: Address
    signature: str = ""

    def label(self) -> str:
        return self.address.display() or self.account


def signature_block(signature: str) -> str:
    """"\\n\\n-- \\n<signature>" or "" when there is none; CRLFs made LFs."""
    text = signature.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return ""
    return f"\n\n{SEPARATOR}\n{text}"


def with_signature(body: str, signature: str) -> str:
    """A new message's or a reply's body: the user's space, the signature, then what
    was there (a quote or a forwarded message, "bottom of the reply" style)."""
    block = signature_block(signature)
    if not block:
        return body
    if not body:
        return block
    return block + (body if body.startswith("\n") else "\n\n" + body)


def swap_signature(body: str, old: str, new: str) -> str:
    """``body`` with ``old``'s signature block replaced by ``new``'s (From changed);
    unchanged when the old block is not there as it was inserted."""
    old_block, new_block = signature_block(old), signature_block(new)
    if old_block and old_block in body:
        return body.replace(old_block, new_block, 1)
    return body


def find_identity(identities: list[Identity], account: str | None,
                  address: Address | None) -> int:
    """Index of the identity with ``address`` in ``account`` (a reopened draft, a reply
    to an alias), else ``account``'s first, else ``address`` anywhere, else 0."""
    wanted = address.addr.lower() if address is not None else ""
    if account is not None and wanted:
        for index, identity in enumerate(identities):
            if identity.account == account and identity.address.addr.lower() == wanted:
                return index
    for index, identity in enumerate(identities):
        if account is not None and identity.account == account:
            return index
    if address is not None:
        for index, identity in enumerate(identities):
            if identity.address.addr.lower() == address.addr.lower():
                return index
    return 0
