"""The vocabulary shared by every operation kind: kinds, payloads, the replay report."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, Self

from qtmail.core.errors import Sentence
from qtmail.core.types import FolderRole, MessageSummary


class OpKind(StrEnum):
    """Kinds of pending operations. Persisted in the store: never rename a value."""

    FLAGS = "flags"
    MOVE = "move"
    """Also copy (payload "copy": true), delete-to-Trash and archive."""
    EXPUNGE = "expunge"
    """Delete for good: \\Deleted + expunge."""
    TRANSFER = "transfer"
    """Move or copy to another account: download, APPEND there, then delete here."""
    APPEND = "append"
    RETRIEVE = "retrieve"
    """Undo of a transfer: APPEND here what is in another account, then delete it there."""
    CREATE_FOLDER = "create_folder"
    RENAME_FOLDER = "rename_folder"
    DELETE_FOLDER = "delete_folder"
    SUBSCRIBE = "subscribe"


PROTECTED_ROLES = frozenset({FolderRole.INBOX, FolderRole.DRAFTS, FolderRole.SENT,
                             FolderRole.TRASH, FolderRole.JUNK, FolderRole.ARCHIVE,
                             FolderRole.ALL, FolderRole.FLAGGED})
"""Special folders are never renamed, moved or deleted by qtmail."""

BATCH = 500
"""Messages per server command in a large move; progress is committed after each."""


def batches(items: Sequence[int], size: int = BATCH) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


class Conflict(Exception):
    """The folder's UIDVALIDITY changed since the operation was recorded."""


class Peer(Protocol):
    """Another account's engine, for transfers between accounts (and their undo)."""

    def append_remote(self, folder: str, raw: bytes, *, flags: frozenset[str],
                      internaldate: int | None, message_id: str) -> None: ...

    def take_remote(self, folder: str, message_id: str
                    ) -> tuple[bytes, MessageSummary] | None: ...

    def delete_remote(self, folder: str, message_ids: list[str]) -> None: ...


@dataclass
class ReplayReport:
    done: int = 0
    failed: int = 0
    conflicts: int = 0
    resync: set[str] = field(default_factory=set)
    """Folders whose new contents are best learned from the server (no COPYUID...)."""
    folders_changed: bool = False
    waiting: bool = False
    """The replay stopped at an operation on its way on the APPEND lane."""


@dataclass(frozen=True, slots=True)
class Payload:
    """The persisted state of one operation. ``to_json`` writes exactly the keys the
    queue has always held (a queue written by an older qtmail replays), ``from_json``
    reads them, tolerating the optional ones older versions did not write."""

    def to_json(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        raise NotImplementedError

    def renamed(self, rename: Rename) -> Self:
        """This payload after a local folder rename (the cache names follow it; the
        ``*_wire`` names stay what the server knows until the rename reaches it)."""
        return self


def wire_key(key: str, wire: str | None) -> dict[str, Any]:
    """A ``*_wire`` key; absent in rows from before wire names were kept."""
    return {} if wire is None else {key: wire}


Rename = Callable[[str], str]
"""Old cache name -> new cache name (identity for folders outside the renamed tree)."""


def undone_key(undone: bool) -> dict[str, Any]:
    """``"undone": true`` once undo queued the inverse; absent before (as ever)."""
    return {"undone": True} if undone else {}


def count_sentence(one: str, many: str, count: int, **parts: object) -> Sentence:
    """``one`` when ``count`` is 1, else ``many`` (both templates with ``{count}``)."""
    return Sentence(one if count == 1 else many, count=count, **parts)
