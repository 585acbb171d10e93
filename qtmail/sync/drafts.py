"""Drafts in progress: durable in the store at once, then one copy in the Drafts folder.

Each save is written with ``synchronous=FULL`` before anything else (a crash loses at
most the typing since the last save), then pushed when the server is reachable: APPEND
of the newest version (\\Draft \\Seen, RFC 3501 2.3.2), then removal of every older copy.
The copies carry an ``X-Qtmail-Draft-Id`` header, so the older ones are found by a UID
SEARCH HEADER (RFC 3501 6.4.4) whatever happened before a crash: the push is idempotent
and never removes the newest copy (the highest UID of that draft id, since UIDs only
grow within a UIDVALIDITY, RFC 3501 2.3.1.1). Removal is \\Deleted + UID EXPUNGE
(RFC 4315 2.1); without UIDPLUS the old copies stay marked \\Deleted only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from qtmail.core.errors import QT_TRANSLATE_NOOP, ConfigError, ServerError
from qtmail.core.events import (
    CountsChanged,
    DraftSaved,
    Event,
    MessagesRemoved,
    RemovalReason,
)
from qtmail.core.outgoing import Draft
from qtmail.core.types import DRAFT, SEEN, Address, FolderInfo, FolderRole, MessageRef
from qtmail.imap.session import ImapSession
from qtmail.mime.draft_reader import DRAFT_ID_HEADER, is_draft_id
from qtmail.smtp.compose import valid_addr_spec
from qtmail.smtp.errors import InvalidDraft
from qtmail.store import Store
from qtmail.store.outgoing import DISCARD, SAVE, DraftRow
from qtmail.sync.engine import AccountEngine
from qtmail.sync.outbox import build

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def check_draft_id(draft_id: str) -> str:
    if not is_draft_id(draft_id):
        raise ConfigError(QT_TRANSLATE_NOOP(
            "Errors", "The draft could not be saved: it has no usable name."),
                          detail=repr(draft_id))
    return draft_id


def _savable(draft: Draft, fallback_sender: str) -> Draft:
    """A half-written draft may hold what cannot be sent (a line break pasted into the
    subject, an unfinished address): keep the rest rather than refuse to save it."""
    def clean(text: str) -> str:
        return _UNSAFE.sub(" ", text)

    def addresses(items: Iterable[Address]) -> tuple[Address, ...]:
        return tuple(Address(clean(a.name), a.addr) for a in items
                     if valid_addr_spec(a.addr))

    sender = draft.from_address
    addr = sender.addr if valid_addr_spec(sender.addr) else fallback_sender
    return replace(
        draft, from_address=Address(clean(sender.name), addr),
        to=addresses(draft.to), cc=addresses(draft.cc), bcc=addresses(draft.bcc),
        subject=clean(draft.subject),
        attachments=tuple(replace(a, filename=clean(a.filename) or "attachment")
                          for a in draft.attachments),
        in_reply_to="", references=())


def draft_bytes(draft: Draft, draft_id: str, fallback_sender: str) -> bytes:
    """The copy for the Drafts folder: the message as it would be sent, plus Bcc (the
    sender's own copy may show it, RFC 5322 3.6.3) and the draft id."""
    draft_id = check_draft_id(draft_id)

    def headers(kept: Draft) -> list[tuple[str, str]]:
        bcc = [("Bcc", ", ".join(a.addr for a in kept.bcc))] if kept.bcc else []
        return [*bcc, (DRAFT_ID_HEADER, draft_id)]

    try:
        return build(draft, headers(draft))[1]
    except InvalidDraft:
        kept = _savable(draft, fallback_sender)
        return build(kept, headers(kept))[1]


class Drafts:
    """Saves and discards drafts (locally at once) and pushes them to the server.

    Events: DraftSaved (uid 0 once durable, then the uid in Drafts), MessagesRemoved for
    the old copies taken out of the cached Drafts folder.
    """

    def __init__(self, engine: AccountEngine, emit: Callable[[Event], None]) -> None:
        self._engine = engine
        self._store: Store = engine.store
        self._emit = emit

    def save(self, draft_id: str, draft: Draft, replaces: MessageRef | None) -> None:
        check_draft_id(draft_id)
        self._store.save_draft(draft_id, draft, () if replaces is None else (replaces,))
        self._emit(DraftSaved(self._engine.name, draft_id, 0))

    def discard(self, draft_id: str, replaces: MessageRef | None) -> None:
        check_draft_id(draft_id)
        self._store.discard_draft(draft_id, () if replaces is None else (replaces,))

    def has_work(self) -> bool:
        return bool(self._store.drafts(states=(SAVE, DISCARD)))

    def push(self) -> str | None:
        """Bring the server up to date with every saved and discarded draft; returns the
        Drafts folder's name when its cache should be resynced. KnownError on failure
        (the rows stay as they are, for the next try)."""
        rows = self._store.drafts(states=(SAVE, DISCARD))
        if not rows:
            return None
        with self._engine.online() as session:
            folder = self._drafts_folder(session)
            for row in rows:
                if row.state == SAVE:
                    self._push_one(session, folder, row)
                else:
                    self._remove_all(session, folder, row)
        return folder.name

    def _push_one(self, session: ImapSession, folder: FolderInfo, row: DraftRow) -> None:
        assert row.draft is not None
        try:
            raw = draft_bytes(row.draft, row.draft_id, self._engine.settings.email)
        except InvalidDraft as error:
            # Kept in the store (the composer still has it); the others still go.
            log.warning("%s: draft %s cannot be written as a message: %s",
                        self._engine.name, row.draft_id, error.detail or error)
            return
        new_uid = session.writes.append(folder, raw, flags=frozenset({DRAFT, SEEN}))
        status = session.select(folder)
        copies = self._copies(session, row.draft_id)
        newest = new_uid if new_uid is not None else max(copies, default=0)
        if newest:
            self._delete(session, folder, [uid for uid in copies if uid != newest])
            self._remove_replaced(session, folder, row.replaces)
        self._store.draft_pushed(row.draft_id, row.version, newest, status.uidvalidity)
        self._emit(DraftSaved(self._engine.name, row.draft_id, newest))

    def _remove_all(self, session: ImapSession, folder: FolderInfo, row: DraftRow) -> None:
        session.select(folder)
        self._delete(session, folder, self._copies(session, row.draft_id))
        self._remove_replaced(session, folder, row.replaces)
        self._store.forget_draft(row.draft_id, row.version)

    @staticmethod
    def _copies(session: ImapSession, draft_id: str) -> list[int]:
        # The id is [A-Za-z0-9._-] only (check_draft_id): safe inside a quoted string.
        return session.search_uids(f'HEADER {DRAFT_ID_HEADER} "{draft_id}"')

    def _remove_replaced(self, session: ImapSession, folder: FolderInfo,
                         refs: Iterable[MessageRef]) -> None:
        """The Drafts message a reopened draft came from (by UID, if UIDVALIDITY holds)."""
        for ref in refs:
            if ref.account != self._engine.name:
                continue
            target = folder if ref.folder == folder.name else self._store.folder(ref.folder)
            if target is None:
                continue
            status = session.select(target)
            if status.uidvalidity == ref.uidvalidity:
                self._delete(session, target, [ref.uid])
        if session.selected is None or session.selected.name != folder.name:
            session.select(folder)

    def _delete(self, session: ImapSession, folder: FolderInfo, uids: list[int]) -> None:
        if not uids:
            return
        # expunge=False: a plain EXPUNGE would also remove what others marked \Deleted.
        session.writes.delete_messages(sorted(uids), expunge=False)
        removed = self._store.remove_messages(folder.name, uids)
        if removed:
            self._emit(MessagesRemoved(self._engine.name, folder.name, tuple(removed),
                                       RemovalReason.EXPUNGED))
            counts = self._store.counts(folder.name)
            self._emit(CountsChanged(self._engine.name, folder.name, counts.total,
                                     counts.unread))

    def _drafts_folder(self, session: ImapSession) -> FolderInfo:
        """The special-use \\Drafts folder (RFC 6154), else "Drafts", created if needed."""
        for folder in self._store.folders():
            if folder.role is FolderRole.DRAFTS:
                return folder
        for folder in self._store.folders():
            if folder.name.casefold() == "drafts":
                return folder
        try:
            session.writes.create_folder("Drafts")
        except ServerError as error:
            if error.code != "ALREADYEXISTS":
                raise
        for folder in self._engine.sync_folder_list():
            if folder.name.casefold() == "drafts" or folder.role is FolderRole.DRAFTS:
                return folder
        raise ConfigError(QT_TRANSLATE_NOOP(
            "Errors", "The Drafts folder could not be found or created on the server."))
