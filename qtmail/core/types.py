"""Frozen value types that cross layer and thread boundaries."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

AccountName = str
"""The user's own name for an account; the key in the accounts file."""

FolderName = str
"""A folder's full decoded path with the server's delimiter, e.g. ``Projects/2024``."""

# System flags, RFC 3501 section 2.3.2.
SEEN = "\\Seen"
ANSWERED = "\\Answered"
FLAGGED = "\\Flagged"
JUNK_KEYWORDS = frozenset({"$Junk", "Junk"})
"""Junk, as servers and filters read it: "$Junk" (IANA IMAP keywords registry) and the
legacy "Junk" that older Thunderbird and SpamAssassin setups use."""
NOT_JUNK_KEYWORDS = frozenset({"$NotJunk", "NonJunk"})

DELETED = "\\Deleted"
DRAFT = "\\Draft"
RECENT = "\\Recent"
# Keyword most servers and clients use for forwarded mail (RFC 5550 section 2.1).
FORWARDED = "$Forwarded"

Flags = frozenset[str]


class FolderRole(StrEnum):
    """What a folder is for (RFC 6154 SPECIAL-USE, or guessed from its name).

    Persisted in the store by value: never rename a value.
    """

    INBOX = "inbox"
    DRAFTS = "drafts"
    SENT = "sent"
    ARCHIVE = "archive"
    JUNK = "junk"
    TRASH = "trash"
    ALL = "all"
    FLAGGED = "flagged"
    NONE = ""


@dataclass(frozen=True, slots=True)
class FolderInfo:
    """One mailbox as the server lists it."""

    name: FolderName
    """Decoded full path; for a name that does not decode, an escaped form."""
    wire: bytes
    """The name exactly as the server sent it (modified UTF-7, RFC 3501 5.1.3)."""
    delimiter: str | None
    attributes: frozenset[str] = frozenset()
    """LIST attributes, lower-cased, e.g. ``\\noselect``, ``\\haschildren``."""
    role: FolderRole = FolderRole.NONE
    subscribed: bool = True

    @property
    def selectable(self) -> bool:
        return not ({"\\noselect", "\\nonexistent"} & self.attributes)

    @property
    def parent(self) -> FolderName | None:
        if not self.delimiter or self.delimiter not in self.name:
            return None
        return self.name.rsplit(self.delimiter, 1)[0]

    @property
    def leaf(self) -> str:
        if not self.delimiter:
            return self.name
        return self.name.rsplit(self.delimiter, 1)[-1]


@dataclass(frozen=True, slots=True)
class MailboxStatus:
    """What SELECT (or STATUS) says about a mailbox."""

    uidvalidity: int
    uidnext: int
    exists: int
    highestmodseq: int | None = None
    """None when the server does not offer CONDSTORE (RFC 7162)."""


@dataclass(frozen=True, slots=True)
class Address:
    name: str
    addr: str

    def display(self) -> str:
        if self.name and self.addr:
            return f"{self.name} <{self.addr}>"
        return self.name or self.addr


@dataclass(frozen=True, slots=True)
class MessageSummary:
    """The cached headers of one message: everything the message list needs."""

    uid: int
    flags: Flags
    internaldate: int
    """Arrival time on the server, seconds since the epoch (UTC)."""
    size: int
    date: int | None
    """The Date header, seconds since the epoch; None when missing or unparsable."""
    subject: str
    sender: Address
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    message_id: str = ""
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    has_attachment: bool = False
    modseq: int | None = None
    preview: str | None = None
    """The first words of the body (issue 14's preview lines); None: not known yet."""

    @property
    def unread(self) -> bool:
        return SEEN not in self.flags


SummaryFields = tuple[int, Flags, int, int, int | None, str, Address, tuple[Address, ...],
                      tuple[Address, ...], str, str, tuple[str, ...], bool, int | None]
"""A MessageSummary's fields in their order, preview left out: what the bulk FETCH
parser makes by default (imap.fastfetch.summary_fields) without building the object,
for the store's encoder (store.codec.encode_rows). A first sync makes the store's rows
directly instead (sync/fetch_rows.py)."""


UNREADABLE_SUBJECT = "Message could not be read"
"""The subject of a placeholder row for a message whose headers could not be read
(issue 17; sync/folder_sync.py); the list shows it translated."""


@dataclass(frozen=True, slots=True)
class MessageRef:
    """A message anywhere: a UID means nothing without its folder's UIDVALIDITY."""

    account: AccountName
    folder: FolderName
    uidvalidity: int
    uid: int


@dataclass(frozen=True, slots=True)
class Quota:
    """Server storage (RFC 9208 QUOTA), in bytes."""

    used: int
    limit: int


@dataclass(frozen=True, slots=True)
class FolderCounts:
    total: int
    unread: int


@dataclass(frozen=True, slots=True)
class FolderSyncState:
    """What the store remembers of a folder between syncs."""

    uidvalidity: int
    uidnext: int = 0
    highestmodseq: int | None = None
    synced_since: int | None = None
    """Oldest INTERNALDATE covered by the sync range, None when all mail is synced."""
