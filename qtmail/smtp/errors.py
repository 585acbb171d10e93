"""Sending errors a user can be told about in one sentence (RELIABILITY.md I).

The connection, TLS and authentication errors are the shared ones from
``qtmail.core.errors``; this module adds what only sending has.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from qtmail.core.errors import QT_TRANSLATE_NOOP, KnownError, ServerError


class InvalidDraft(KnownError):
    """The message cannot be built as written (a line break in the subject, a bad address).

    Raised before anything is sent; nothing reaches the server (RELIABILITY I.63).
    """


class RecipientRefused(ServerError):
    """The server refused one or more recipients (RFC 5321 4.2.2 reply 550, 553...).

    ``refused`` maps each refused address to the server's code and text.
    """

    def __init__(self, user_message: str, *, refused: Mapping[str, tuple[int, str]],
                 detail: str = "") -> None:
        first = next(iter(refused.values()), (0, ""))
        super().__init__(user_message, server_text=first[1], detail=detail)
        self.refused: Mapping[str, tuple[int, str]] = MappingProxyType(dict(refused))


class MessageTooLarge(ServerError):
    """The message exceeds the server's size limit (RFC 1870 SIZE, reply 552)."""


class MaybeSent(KnownError):
    """The connection dropped after the message data went out, before the final reply.

    RFC 5321 6.1: the server may or may not have taken responsibility for the message.
    It must never be resent automatically, nor dropped (RELIABILITY I.65): the user
    decides. Deliberately not a ``ConnectionLost`` (which callers may retry), and not
    ``transient``: retrying on our own could deliver it twice.
    """

    transient = False

    def __init__(self, user_message: str = "", *, detail: str = "") -> None:
        super().__init__(user_message or QT_TRANSLATE_NOOP(
            "Errors", "The connection was lost while sending; the message may have been sent."),
            detail=detail)
