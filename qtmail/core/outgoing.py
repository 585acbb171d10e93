"""What a user writes: the draft the composer hands to the worker (UI -> worker).

Plain data, no MIME: ``qtmail.smtp.compose`` turns a Draft into an EmailMessage. It
lives in core because commands carry it across the thread boundary and the store
keeps it in the Outbox (ARCHITECTURE.md, boundaries 1 and 3).
"""

from __future__ import annotations

from dataclasses import dataclass

from qtmail.core.types import Address


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    """``maintype/subtype``; anything unusable is sent as application/octet-stream."""
    data: bytes


@dataclass(frozen=True, slots=True)
class Draft:
    from_address: Address
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    bcc: tuple[Address, ...] = ()
    """Envelope only: never written into the message (RFC 5322 3.6.3, second method)."""
    subject: str = ""
    body_text: str = ""
    body_html: str | None = None
    attachments: tuple[Attachment, ...] = ()
    in_reply_to: str = ""
    """A message id without angle brackets, as ``ParsedMessage.message_id``."""
    references: tuple[str, ...] = ()
