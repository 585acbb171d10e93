"""The remote phase of pending operations, and backing out what the server refuses.

Replay is idempotent, so that a crash at any moment is harmless:
- before an operation touches the server its attempt counter is raised durably, so a
  restart knows the server may already have applied part of it;
- UIDs are never reused within one UIDVALIDITY (RFC 3501 2.3.1.1): a UID MOVE, STORE or
  EXPUNGE replayed for messages already moved is a no-op on the server; and an
  operation whose folder changed UIDVALIDITY is never applied to the new UIDs (it
  becomes a conflict);
- what cannot be repeated safely (COPY and APPEND) is checked first on a retry: the
  destination is searched for the messages' Message-IDs and those found are skipped;
- large moves go in batches whose progress is committed durably, so a retry resumes
  where it stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from qtmail.core.errors import QT_TRANSLATE_NOOP, ConnectionLost, KnownError, Sentence, ServerError
from qtmail.core.events import (
    CountsChanged,
    Event,
    FlagsChanged,
    MessagesAdded,
    OperationFailed,
)
from qtmail.core.types import DELETED, RECENT, AccountName, FolderInfo, MessageSummary
from qtmail.imap.session import ImapSession
from qtmail.store import PendingRow, Store
from qtmail.sync.operations import OpKind

log = logging.getLogger(__name__)

BATCH = 500
"""Messages per server command in a large move; progress is committed after each."""


class Peer(Protocol):
    """Another account's engine, for transfers between accounts (and their undo)."""

    def append_remote(self, folder: str, raw: bytes, *, flags: frozenset[str],
                      internaldate: int | None, message_id: str) -> None: ...

    def take_remote(self, folder: str, message_id: str
                    ) -> tuple[bytes, MessageSummary] | None: ...

    def delete_remote(self, folder: str, message_ids: list[str]) -> None: ...


class Conflict(Exception):
    """The folder's UIDVALIDITY changed since the operation was recorded."""


@dataclass
class ReplayReport:
    done: int = 0
    failed: int = 0
    conflicts: int = 0
    resync: set[str] = field(default_factory=set)
    """Folders whose new contents are best learned from the server (no COPYUID...)."""
    folders_changed: bool = False


def batches(items: Sequence[int], size: int = BATCH) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


class Replayer:
    """Applies the queued operations of one account on its server, in order."""

    def __init__(self, account: AccountName, store: Store, session: ImapSession,
                 emit: Callable[[Event], None],
                 peers: Callable[[AccountName], Peer | None] = lambda name: None) -> None:
        self._account = account
        self._store = store
        self._session = session
        self._emit = emit
        self._peers = peers
        self.report = ReplayReport()

    def run(self) -> ReplayReport:
        """Replay everything queued. A lost connection or a transient refusal stops the
        replay and leaves the rest queued (the caller retries with backoff)."""
        for row in self._store.pending(states=("queued",)):
            self._store.update_pending(row.id, attempts=row.attempts + 1)
            retry = row.attempts > 0
            try:
                self._apply(row, retry)
            except Conflict:
                self._conflict(row)
                continue
            except ServerError as error:
                if not error.permanent:
                    self._store.update_pending(row.id, last_error=error.user_message)
                    raise
                self._fail(row, error)
                continue
            except ConnectionLost as error:
                self._store.update_pending(row.id, last_error=error.user_message)
                raise
            self._store.update_pending(row.id, state="done", last_error="")
            self.report.done += 1
        self._store.prune_done()
        return self.report

    # -- dispatch ---------------------------------------------------------------------------
    def _apply(self, row: PendingRow, retry: bool) -> None:
        kind = OpKind(row.kind)
        payload = row.payload
        if kind is OpKind.FLAGS:
            self._select(payload, "folder", payload["uidvalidity"])
            self._session.store_flags(payload["uids"], add=frozenset(payload["add"]),
                                      remove=frozenset(payload["remove"]))
        elif kind is OpKind.MOVE:
            self._move(row, retry)
        elif kind is OpKind.EXPUNGE:
            self._expunge(row)
        elif kind is OpKind.TRANSFER:
            self._transfer(row, retry)
        elif kind is OpKind.APPEND:
            self._append(row, retry)
        elif kind is OpKind.RETRIEVE:
            self._retrieve(row, retry)
        else:
            self._folder_op(kind, payload, retry)

    def _select(self, payload: dict[str, Any], key: str, uidvalidity: int | None) -> FolderInfo:
        folder = self._folder_info(payload, key)
        status = self._session.select(folder)
        if uidvalidity is not None and status.uidvalidity != uidvalidity:
            raise Conflict(folder.name)
        return folder

    def _folder_info(self, payload: dict[str, Any], key: str) -> FolderInfo:
        """The folder as the server knew it when the operation was made: a rename queued
        later has not reached the server yet when this one replays."""
        wire = payload.get(f"{key}_wire")
        if wire is not None:
            raw = wire.encode("latin-1")
            return FolderInfo(name=payload[key], wire=raw, delimiter=None)
        folder = self._store.folder(payload[key])
        if folder is None:
            raise ServerError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The folder “{folder}” no longer exists."), folder=payload[key]),
                              code="NONEXISTENT")
        return folder

    # -- messages ---------------------------------------------------------------------------
    def _move(self, row: PendingRow, retry: bool) -> None:
        payload = dict(row.payload)
        copy = bool(payload["copy"])
        if payload.get("by_message_id"):
            payload["uids"] = self._resolve_message_ids(payload)
        done = set(payload["done"])
        remaining = [uid for uid in payload["uids"] if uid not in done]
        source = self._select(payload, "folder", payload.get("uidvalidity"))
        target = self._folder_info(payload, "dest")
        for batch in batches(remaining):
            if retry and (copy or not self._session.has("MOVE")):
                # A COPY the server did just before a crash must not be repeated.
                batch_map, expunged = self._careful_move(source, target, batch, payload, copy)
            elif copy:
                batch_map, expunged = self._session.copy_messages(batch, target), False
            else:
                result = self._session.move_messages(batch, target)
                batch_map, expunged = result.uid_map, result.expunged
            self._finish_batch(row.id, payload, batch, batch_map, expunged)

    def _careful_move(self, source: FolderInfo, target: FolderInfo, batch: list[int],
                      payload: dict[str, Any], copy: bool) -> tuple[dict[int, int], bool]:
        ids = payload.get("message_ids", {})
        wanted = {ids[str(uid)]: uid for uid in batch if str(uid) in ids}
        present: set[int] = set()
        if wanted:
            self._session.select(target)
            found = self._session.find_message_ids(wanted)
            present = {wanted[mid] for mid, uids in found.items() if uids}
            self._session.select(source)
        to_copy = [uid for uid in batch if uid not in present]
        uid_map = self._session.copy_messages(to_copy, target) if to_copy else {}
        if copy:
            return uid_map, False
        expunged = self._session.delete_messages(batch, expunge=self._session.has("UIDPLUS"))
        return uid_map, expunged

    def _finish_batch(self, op_id: int, payload: dict[str, Any], batch: list[int],
                      uid_map: dict[int, int], expunged: bool) -> None:
        src, dest, copy = payload["folder"], payload["dest"], bool(payload["copy"])
        payload["done"] = [*payload["done"], *batch]
        payload["uid_map"] = {**payload.get("uid_map", {}),
                              **{str(k): v for k, v in uid_map.items()}}
        with self._store.transaction(durable=True):
            if self._store.folder(dest) is None:
                # The destination was deleted or renamed locally meanwhile.
                if not copy:
                    self._store.remove_messages(src, batch)
            elif copy or not expunged:
                self._store.copy_message_rows(src, dest, uid_map)
                if not copy:
                    # Flagged \Deleted, not expunged (no MOVE, no UIDPLUS): stays hidden.
                    self._store.set_flags(src, {
                        uid: s.flags | {DELETED} for uid in batch
                        if (s := self._store.summary(src, uid)) is not None})
                    self._store.unhide_messages(src, batch)
            else:
                self._store.move_message_rows(src, dest, uid_map, uids=batch)
            self._store.update_pending(op_id, payload=payload)
        if len(uid_map) < len(batch):
            self.report.resync.add(dest)
        if uid_map:
            self._emit(MessagesAdded(self._account, dest, tuple(sorted(uid_map.values()))))
        self._counts(src, dest)

    def _resolve_message_ids(self, payload: dict[str, Any]) -> list[int]:
        """Undo of a move without COPYUID: find the moved messages by Message-ID."""
        self._select(payload, "folder", None)
        found = self._session.find_message_ids(payload["message_ids"].values())
        uids = sorted({uid for matches in found.values() for uid in matches})
        payload["uidvalidity"] = self._session.uidvalidity()
        payload["message_ids"] = {str(uid): mid for mid, matches in found.items()
                                  for uid in matches}
        return uids

    def _expunge(self, row: PendingRow) -> None:
        payload = row.payload
        folder = payload["folder"]
        self._select(payload, "folder", payload["uidvalidity"])
        expunged = self._session.delete_messages(payload["uids"], expunge=True)
        if expunged:
            self._store.remove_messages(folder, payload["uids"])
        self._counts(folder)

    def _transfer(self, row: PendingRow, retry: bool) -> None:
        payload = dict(row.payload)
        peer = self._peers(payload["dest_account"])
        if peer is None:
            raise ServerError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The account “{account}” is not available."),
                account=payload['dest_account']),
                              code="UNAVAILABLE")
        folder = payload["folder"]
        self._select(payload, "folder", payload["uidvalidity"])
        ids = payload.get("message_ids", {})
        done = set(payload["done"])
        for uid in payload["uids"]:
            if uid in done:
                continue
            raw = self._session.fetch_body(uid, max_size=50 * 1024 * 1024)
            summary = self._store.summary(folder, uid)
            if raw is not None and summary is not None:
                peer.append_remote(payload["dest"], raw, flags=summary.flags,
                                   internaldate=summary.internaldate,
                                   message_id=ids.get(str(uid), ""))
            payload["done"] = [*payload["done"], uid]
            self._store.update_pending(row.id, payload=payload)
        if payload["copy"]:
            return
        # Only now, with every message safely in the other account, delete them here.
        self._session.delete_messages(payload["uids"], expunge=True)
        self._store.remove_messages(folder, payload["uids"])
        self._counts(folder)

    def _append(self, row: PendingRow, retry: bool) -> None:
        payload = row.payload
        folder = self._folder_info(payload, "folder")
        message_id = payload.get("message_id", "")
        if retry and message_id:
            self._session.select(folder)
            if self._session.find_message_ids([message_id]).get(message_id):
                return  # appended just before a crash: not twice
        self._session.append(folder, row.data or b"", flags=frozenset(payload["flags"]),
                             internaldate=payload.get("date"))
        self.report.resync.add(folder.name)

    def _retrieve(self, row: PendingRow, retry: bool) -> None:
        """Undo of a transfer: APPEND here first, delete there only once all are back
        (as a transfer does); a retry skips what a crash left appended already."""
        payload = dict(row.payload)
        peer = self._peers(payload["from_account"])
        if peer is None:
            raise ServerError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The account “{account}” is not available."),
                account=payload["from_account"]),
                              code="UNAVAILABLE")
        folder = self._folder_info(payload, "folder")
        for message_id in payload["message_ids"]:
            if message_id in payload["done"] or not payload.get("append", True):
                continue
            here: list[int] = []
            if retry:
                self._session.select(folder)
                here = self._session.find_message_ids([message_id]).get(message_id, [])
            taken = None if here else peer.take_remote(payload["from_folder"], message_id)
            if taken is not None:
                raw, summary = taken
                self._session.append(folder, raw, flags=summary.flags - {RECENT},
                                     internaldate=summary.internaldate)
            payload["done"] = [*payload["done"], message_id]
            self._store.update_pending(row.id, payload=payload)
        peer.delete_remote(payload["from_folder"], list(payload["message_ids"]))
        self.report.resync.add(payload["folder"])

    # -- folders ------------------------------------------------------------------------------
    def _folder_op(self, kind: OpKind, payload: dict[str, Any], retry: bool) -> None:
        self.report.folders_changed = True
        try:
            if kind is OpKind.CREATE_FOLDER:
                self._session.create_folder(payload["name"])
            elif kind is OpKind.RENAME_FOLDER:
                self._session.rename_folder(_wire_folder(payload["old_wire"], payload),
                                            payload["new"])
            elif kind is OpKind.DELETE_FOLDER:
                for wire in payload["wires"]:
                    self._delete_folder(wire, payload)
            elif kind is OpKind.SUBSCRIBE:
                self._session.subscribe(_wire_folder(payload["wire"], payload),
                                        payload["subscribed"])
        except ServerError as error:
            if _already_done(kind, error, retry):
                return
            raise

    def _delete_folder(self, wire: str, payload: dict[str, Any]) -> None:
        try:
            self._session.delete_folder(_wire_folder(wire, payload))
        except ServerError as error:
            if error.code != "NONEXISTENT":
                raise

    # -- back-out -----------------------------------------------------------------------------
    def _fail(self, row: PendingRow, error: KnownError) -> None:
        log.info("operation %s (%s) refused: %s", row.id, row.kind, error.user_message)
        self._back_out(row)
        self._store.update_pending(row.id, state="failed", last_error=error.user_message)
        self.report.failed += 1
        self._emit(OperationFailed(self._account, row.id, _failure_sentence(row, error)))

    def _conflict(self, row: PendingRow) -> None:
        self._back_out(row)
        folder = row.payload.get("folder", "")
        message = (f"The folder “{folder}” was replaced on the server before your change "
                   "could be made there, so the change was not applied.")
        self._store.update_pending(row.id, state="conflict", last_error=message)
        self.report.conflicts += 1
        self._emit(OperationFailed(self._account, row.id, message))

    def _back_out(self, row: PendingRow) -> None:
        """Undo the local phase of an operation the server will not apply."""
        kind = OpKind(row.kind)
        payload = row.payload
        if kind is OpKind.FLAGS:
            previous = {int(uid): frozenset(flags)
                        for uid, flags in payload["previous"].items()}
            changed = self._store.set_flags(payload["folder"], previous)
            if changed:
                self._emit(FlagsChanged(self._account, payload["folder"], tuple(changed)))
        elif kind in (OpKind.MOVE, OpKind.EXPUNGE, OpKind.TRANSFER):
            if payload.get("copy"):
                return
            done = set(payload.get("done", []))
            back = [uid for uid in payload["uids"] if uid not in done]
            shown = self._store.unhide_messages(payload["folder"], back)
            if shown:
                self._emit(MessagesAdded(self._account, payload["folder"], tuple(shown)))
        else:
            # Folder operations: the server's folder list is the truth; the engine
            # refreshes it after the replay.
            self.report.folders_changed = True
        if "folder" in payload:
            self._counts(payload["folder"])

    def _counts(self, *folders: str) -> None:
        for folder in folders:
            counts = self._store.counts(folder)
            self._emit(CountsChanged(self._account, folder, counts.total, counts.unread))


def _wire_folder(wire: str, payload: dict[str, Any]) -> FolderInfo:
    raw = wire.encode("latin-1")
    return FolderInfo(name=raw.decode("utf-8", "replace"), wire=raw,
                      delimiter=payload.get("delimiter"))


def _already_done(kind: OpKind, error: ServerError, retry: bool) -> bool:
    """Folder operations the server had applied before (a replay after a crash)."""
    if kind is OpKind.CREATE_FOLDER:
        return error.code == "ALREADYEXISTS"
    if kind is OpKind.DELETE_FOLDER:
        return error.code == "NONEXISTENT"
    return retry and error.code in ("NONEXISTENT", "ALREADYEXISTS")


def _failure_sentence(row: PendingRow, error: KnownError) -> str:
    what = {
        OpKind.FLAGS: "The change of flags",
        OpKind.MOVE: "Copying the messages" if row.payload.get("copy") else
        "Moving the messages",
        OpKind.EXPUNGE: "Deleting the messages",
        OpKind.TRANSFER: "Moving the messages to the other account",
        OpKind.APPEND: "Importing the message",
        OpKind.RETRIEVE: "Bringing the messages back from the other account",
        OpKind.CREATE_FOLDER: "Creating the folder",
        OpKind.RENAME_FOLDER: "Renaming the folder",
        OpKind.DELETE_FOLDER: "Deleting the folder",
        OpKind.SUBSCRIBE: "Changing the subscription",
    }[OpKind(row.kind)]
    return f"{what} did not work and was undone. {error.user_message}"

