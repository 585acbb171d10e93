"""What an operation's phases are handed: the cache and the events (Local), plus the
server session, the other accounts and the replay's report (Remote)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from qtmail.core.errors import QT_TRANSLATE_NOOP, ConfigError, Sentence, ServerError
from qtmail.core.events import (
    CountsChanged,
    Event,
    FoldersChanged,
    MessagesRemoved,
    PendingChanged,
    RemovalReason,
)
from qtmail.core.types import AccountName, FolderInfo, MessageSummary
from qtmail.imap import utf7
from qtmail.imap.session import ImapSession
from qtmail.store import PendingRow, Store
from qtmail.sync.ops.common import Conflict, Payload, Peer, ReplayReport


@dataclass
class Local:
    """The cache side of one account: lookups the local phases share."""

    account: AccountName
    store: Store
    emit: Callable[[Event], None]
    read_payload: Callable[[PendingRow], Payload]
    """The typed payload of a pending row (the registry's; handed in, so that the
    operation modules need not import the registry that imports them)."""

    def folder(self, name: str) -> FolderInfo:
        folder = self.store.folder(name)
        if folder is None:
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "There is no folder named “{name}”."), name=name))
        return folder

    def wire(self, name: str) -> str:
        """The folder's name on the server now, kept as text (latin-1 of the bytes)."""
        folder = self.store.folder(name)
        wire = folder.wire if folder is not None else utf7.encode(name)
        return wire.decode("latin-1")

    def uidvalidity(self, folder: str) -> int:
        state = self.store.folder_state(folder)
        if state is None:
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The folder “{folder}” has not been synchronised yet."), folder=folder))
        return state.uidvalidity

    def known_with_ids(self, folder: str, uids: Iterable[int]
                       ) -> tuple[list[int], dict[str, str]]:
        """The cached ones of ``uids`` (ascending) and their Message-IDs, in one query:
        a drag of 1,000 messages asked 2,000 one-row queries here (issue 5)."""
        found = self.store.message_ids_for(folder, uids)
        if not found:
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "None of those messages are in “{folder}”."), folder=folder))
        return list(found), {str(uid): mid for uid, mid in found.items() if mid}

    def summaries(self, folder: str, uids: Iterable[int]) -> list[MessageSummary]:
        """The cached ones of ``uids`` (hidden ones too); ConfigError for none."""
        found = self.store.summaries_for(folder, uids)
        if not found:
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "None of those messages are in “{folder}”."), folder=folder))
        return found

    def hidden(self, folder: str, uids: list[int]) -> None:
        """Announce messages the local phase hid (moved away until the server agrees)."""
        if uids:
            self.emit(MessagesRemoved(self.account, folder, tuple(uids), RemovalReason.MOVED))
            self.counts(folder)
        self.announce_pending()

    def counts(self, *folders: str) -> None:
        for folder in folders:
            counts = self.store.counts(folder)
            self.emit(CountsChanged(self.account, folder, counts.total, counts.unread))

    def folders_changed(self, renamed: Sequence[tuple[str, str]] = ()) -> None:
        """``renamed``: (old, new) name of each folder a rename moved."""
        self.emit(FoldersChanged(self.account, tuple(renamed)))
        self.announce_pending()

    def announce_pending(self) -> None:
        queued = len(self.store.pending(states=("queued",)))
        conflicts = len(self.store.pending(states=("conflict",)))
        self.emit(PendingChanged(self.account, queued, conflicts))


@dataclass
class Remote(Local):
    """The server side, for one attempt at one operation (``op_id``)."""

    session: ImapSession = field(kw_only=True)
    peers: Callable[[AccountName], Peer | None] = field(kw_only=True)
    report: ReplayReport = field(kw_only=True)
    op_id: int = field(default=0, kw_only=True)
    retry: bool = field(default=False, kw_only=True)
    """The server may have applied part of this operation before (an earlier attempt)."""

    def save(self, payload: Payload) -> None:
        """Write the operation's progress into its pending row, durably (inside the
        caller's transaction when there is one)."""
        self.store.update_pending(self.op_id, payload=payload.to_json())

    def folder_info(self, name: str, wire: str | None) -> FolderInfo:
        """The folder as the server knew it when the operation was made: a rename queued
        later has not reached the server yet when this one replays."""
        if wire is not None:
            return FolderInfo(name=name, wire=wire.encode("latin-1"), delimiter=None)
        folder = self.store.folder(name)
        if folder is None:
            raise ServerError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The folder “{folder}” no longer exists."), folder=name),
                              code="NONEXISTENT")
        return folder

    def select(self, name: str, wire: str | None, uidvalidity: int | None) -> FolderInfo:
        """SELECT the folder; Conflict when its UIDVALIDITY is not the recorded one (the
        UIDs would name other messages, RFC 3501 2.3.1.1)."""
        folder = self.folder_info(name, wire)
        status = self.session.select(folder)
        if uidvalidity is not None and status.uidvalidity != uidvalidity:
            raise Conflict(folder.name)
        return folder

    def peer(self, account: AccountName) -> Peer:
        peer = self.peers(account)
        if peer is None:
            raise ServerError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The account “{account}” is not available."), account=account),
                              code="UNAVAILABLE")
        return peer


def wire_folder(wire: str, delimiter: str | None = None) -> FolderInfo:
    """A folder known only by its server name (latin-1 text of the bytes)."""
    raw = wire.encode("latin-1")
    return FolderInfo(name=raw.decode("utf-8", "replace"), wire=raw, delimiter=delimiter)
