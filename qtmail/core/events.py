"""Events the engine emits (worker -> UI), as frozen dataclasses.

The engine calls an ``emit(event)`` callback; the Qt bridge forwards each event over
one queued signal. Every event is emitted only after the store holds what it
announces (ARCHITECTURE.md, "From the server to a row", step 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from qtmail.core.errors import Fix, ServiceStatus
from qtmail.core.outgoing import Draft
from qtmail.core.types import AccountName, FolderName, MessageRef, Quota


class RemovalReason(Enum):
    EXPUNGED = "expunged"
    """Gone on the server (deleted or moved by another device)."""
    MOVED = "moved"
    """Moved by this client (local phase of a move)."""
    FOLDER_RESET = "folder_reset"
    """UIDVALIDITY changed: the folder's cache was dropped (RFC 3501 2.3.1.1)."""


@dataclass(frozen=True, slots=True)
class Event:
    account: AccountName


@dataclass(frozen=True, slots=True)
class FoldersChanged(Event):
    renamed: tuple[tuple[FolderName, FolderName], ...] = ()
    """(old, new) name of each folder a rename or move in the cache gave a new name (the
    folder and its subfolders): the window keeps showing the one it shows."""


@dataclass(frozen=True, slots=True)
class MessagesAdded(Event):
    folder: FolderName
    uids: tuple[int, ...]
    shown: tuple[tuple[int, int], ...] | None = None
    """(uid, INTERNALDATE) of those of ``uids`` a list shows (neither \\Deleted nor
    hidden), when the sender knows (a sync's chunk, as stored): All Inboxes places them
    without reading the store (issue 18). None: not known, read them."""


@dataclass(frozen=True, slots=True)
class MessagesRemoved(Event):
    folder: FolderName
    uids: tuple[int, ...]
    reason: RemovalReason


@dataclass(frozen=True, slots=True)
class FlagsChanged(Event):
    folder: FolderName
    uids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PreviewsReady(Event):
    """Preview lines of these messages are in the cache now (issue 14)."""

    folder: FolderName
    uids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FolderReset(Event):
    folder: FolderName
    uidvalidity: int


@dataclass(frozen=True, slots=True)
class CountsChanged(Event):
    folder: FolderName
    total: int
    unread: int


@dataclass(frozen=True, slots=True)
class SyncProgress(Event):
    folder: FolderName
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class BodyReady(Event):
    ref: MessageRef
    request_id: int
    raw: bytes


@dataclass(frozen=True, slots=True)
class BodyFailed(Event):
    ref: MessageRef
    request_id: int
    message: str
    offline: bool = False
    """The server could not be reached: the body comes once it can (issue 13 item 8)."""


@dataclass(frozen=True, slots=True)
class StatusChanged(Event):
    status: ServiceStatus
    message: str = ""
    """A sentence for the user when the status is an error; empty otherwise."""
    fix: Fix = Fix.NONE
    """What the user can do about the error (a password prompt, the settings)."""


@dataclass(frozen=True, slots=True)
class QuotaChanged(Event):
    quota: Quota | None


@dataclass(frozen=True, slots=True)
class ServerAlert(Event):
    """An IMAP [ALERT] (RFC 3501 7.1): shown as the server's words, never as ours."""

    text: str


@dataclass(frozen=True, slots=True)
class OperationFailed(Event):
    """The server refused an operation; its local effect was undone."""

    operation_id: int
    message: str


@dataclass(frozen=True, slots=True)
class PendingChanged(Event):
    """How many operations wait for the server, and how many are in conflict."""

    queued: int
    conflicts: int


@dataclass(frozen=True, slots=True)
class UndoChanged(Event):
    """What Edit > Undo and Edit > Redo would do now in this account: sentences ("Move
    2 messages to “Archive”", a ``Sentence`` in context "Operations"), "" for nothing."""

    undo: str
    redo: str


# -- writing mail (issue 6) ------------------------------------------------------------


class OutgoingState(Enum):
    WAITING = "waiting"
    """In the Outbox, to be sent when its Undo-send delay is over or on reconnect."""
    SENDING = "sending"
    FAILED = "failed"
    """The server refused it, or it could not be reached; ``problem`` says which."""
    MAYBE_SENT = "maybe_sent"
    """The connection was lost after DATA, before the server's reply: never resent
    without the user's word (RELIABILITY.md B)."""


@dataclass(frozen=True, slots=True)
class OutgoingItem:
    outbox_id: int
    subject: str
    recipients: tuple[str, ...]
    state: OutgoingState
    problem: str = ""
    send_after: float = 0.0
    """time.time() before which it is not sent (Undo send)."""
    draft_id: str = ""
    """The ``SendMail.draft_id`` it came from: the composer that may still undo it."""


@dataclass(frozen=True, slots=True)
class OutboxChanged(Event):
    """The whole Outbox of the account, after every change."""

    items: tuple[OutgoingItem, ...]


@dataclass(frozen=True, slots=True)
class MailSent(Event):
    outbox_id: int
    subject: str
    problem: str = ""
    """Sent, but the server refused some recipients: the sentence naming them."""


@dataclass(frozen=True, slots=True)
class SendFailed(Event):
    """A sentence for the user; the message stays in the Outbox (never lost)."""

    outbox_id: int
    message: str
    maybe_sent: bool = False
    fix: Fix = Fix.NONE
    """What the user can do about it (the account's settings, the SMTP password)."""


@dataclass(frozen=True, slots=True)
class SendCancelled(Event):
    """Undo send worked: the draft, to reopen in a composer."""

    outbox_id: int
    draft: Draft


@dataclass(frozen=True, slots=True)
class DraftSaved(Event):
    """``draft_id`` is durable locally; ``uid`` is its copy in Drafts (0 until the
    server has it, e.g. offline)."""

    draft_id: str
    uid: int = 0


# -- search (issue 7) -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchHits(Event):
    """Server search ``search_id`` found ``uids`` in ``folder`` that the local search
    does not (body never downloaded, headers never synced): their summaries are in the
    cache now (MessagesAdded announced the new ones first)."""

    search_id: int
    folder: FolderName
    uids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SearchDone(Event):
    """Server search ``search_id`` finished: ``found`` hits beyond the local ones in all;
    ``failed`` is a sentence for the user when the server could not be searched."""

    search_id: int
    found: int
    failed: str = ""
