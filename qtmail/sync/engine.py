"""AccountEngine: one account's IMAP session, store and sync, behind one object.

Not thread-safe: the Qt worker (one QThread per account) or the command line owns it.
Every method may raise a ``KnownError``; a lost connection is dropped so that the next
call reconnects.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext

from qtmail.accounts.settings import AccountSettings
from qtmail.core import turns
from qtmail.core.commands import Operation, Redo, Undo
from qtmail.core.errors import (
    QT_TRANSLATE_NOOP,
    ConfigError,
    ConnectionLost,
    KnownError,
    Sentence,
    ServerError,
    ServiceStatus,
)
from qtmail.core.events import (
    CountsChanged,
    Event,
    FoldersChanged,
    MessagesAdded,
    QuotaChanged,
    StatusChanged,
)
from qtmail.core.types import FolderInfo, FolderRole, MailboxStatus, MessageSummary, Quota
from qtmail.imap.gmail import CAPABILITY as GMAIL
from qtmail.imap.session import ImapSession
from qtmail.imap.uidset import uid_set
from qtmail.mime import preview
from qtmail.net.sasl import Secret
from qtmail.search.imap_keys import SearchKey
from qtmail.store import FolderNotFound, Store
from qtmail.sync.append_lane import AppendLane
from qtmail.sync.folder_sync import FolderSync, FolderSyncReport
from qtmail.sync.operations import Operations
from qtmail.sync.replay import Peer, Replayer, ReplayReport
from qtmail.sync.side_connection import SideConnection
from qtmail.sync.undo import redo, undo

log = logging.getLogger(__name__)

PEEK_FRESH_S = 30.0
"""Seconds a LIST-STATUS answer stands in for a folder's own STATUS."""

MAX_BODY_BYTES = 50 * 1024 * 1024
"""Download limit for one message (RELIABILITY.md A.1)."""

Connector = Callable[[AccountSettings, Secret], ImapSession]


def connect_session(settings: AccountSettings, password: Secret) -> ImapSession:
    return ImapSession.connect(settings.imap, settings.imap_username, password)


def sync_order(folders: list[FolderInfo]) -> list[FolderInfo]:
    """INBOX first, then the other special folders, then the rest by name."""
    rank = {FolderRole.INBOX: 0, FolderRole.DRAFTS: 2, FolderRole.SENT: 1}
    return sorted((f for f in folders if f.selectable),
                  key=lambda f: (rank.get(f.role, 3), f.name.casefold()))


class AccountEngine:
    """Keeps one account's cache equal to its server.

    Events go to ``emit`` (called on the owner's thread) after the store holds what
    they announce.
    """

    def __init__(self, settings: AccountSettings, store: Store,
                 password: Callable[[], Secret], emit: Callable[[Event], None], *,
                 connector: Connector = connect_session,
                 peers: Callable[[str], Peer | None] = lambda name: None) -> None:
        self.settings = settings
        self.store = store
        self._password = password
        self._emit = emit
        self._connector = connector
        self._peers = peers
        self._peeks: dict[bytes, MailboxStatus] = {}
        """Folder STATUS from the last LIST-STATUS (sync_folder_list), by wire name."""
        self._peeked_at = 0.0
        self._session: ImapSession | None = None
        self.ops = Operations(settings.name, store, emit)
        """The local phase of every user change; ``replay()`` sends them to the server."""
        self.between_parts: Callable[[], None] = lambda: None
        """Called after each part of a sync's chunk (sync/folder_sync.py PART): the
        scheduler answers the user's requests there (issue 18, goal 3)."""
        self.while_waiting: Callable[[], None] | None = None
        """Called while the account's connection waits for the server during a folder's
        sync (its SELECT, a FETCH's first bytes: imap/waiting.py), for the same; it
        must not use that connection."""
        self.appends: AppendLane | None = None
        """Where the Outbox's Sent copies are appended when not on the account's
        connection (sync/append_lane.py; the scheduler's Parts hand it in). Every replay
        uses it: one never appends what another has on its way."""
        # What Undo and Redo would do: the stacks a previous session left (persisted).
        self.ops.announce_undo()

    @property
    def name(self) -> str:
        return self.settings.name

    @property
    def connected(self) -> bool:
        return self._session is not None

    def has_open(self, folder: str) -> bool:
        """Whether ``folder`` is selected on the account's connection (no SELECT)."""
        selected = None if self._session is None else self._session.selected
        return selected is not None and selected.name == folder

    # -- connection ---------------------------------------------------------------------
    def session(self) -> ImapSession:
        if self._session is None:
            self._emit(StatusChanged(self.name, ServiceStatus.CONNECTING))
            try:
                with turns.away():  # the keyring, DNS, TCP and TLS: waits, not work
                    session = self._connector(self.settings, self._password())
                if session.reports_vanished:
                    # RFC 7162 3.2.3: VANISHED responses instead of EXPUNGE, and the
                    # VANISHED modifier of UID FETCH that resync relies on.
                    session.enable("QRESYNC")
            except KnownError as error:
                self._emit(StatusChanged(self.name, ServiceStatus.for_error(error),
                                         error.user_message, error.fix))
                raise
            self._session = session
            self._emit(StatusChanged(self.name, ServiceStatus.CONNECTED))
        return self._session

    def close(self) -> None:
        if self._session is not None:
            self._session.logout()
            self._session = None
            self._emit(StatusChanged(self.name, ServiceStatus.OFFLINE))

    def online(self) -> AbstractContextManager[ImapSession]:
        """A server conversation for the write paths outside this class (drafts)."""
        return self._online()

    @contextmanager
    def _online(self) -> Iterator[ImapSession]:
        """Run a server conversation; a dropped connection is forgotten so the next
        call reconnects (the caller decides when, with backoff)."""
        session = self.session()
        try:
            yield session
        except ConnectionLost as error:
            self._session = None
            self._emit(StatusChanged(self.name, ServiceStatus.for_error(error),
                                     error.user_message))
            raise

    # -- folders ------------------------------------------------------------------------
    def sync_folder_list(self) -> list[FolderInfo]:
        """The folder list; with it, where offered, every folder's STATUS in one command
        (RFC 5819 LIST-STATUS), which the folder syncs that follow use instead of a
        STATUS each: with 300 folders an unchanged account is one round trip (issue 18)."""
        with self._online() as session:
            folders = session.list_folders()
            self._peeks = {}
            # A STATUS only tells a synced folder that nothing changed (FolderSync.run).
            # Before the first sync there is nothing to compare it with, and it costs:
            # Dovecot opens every folder's index for it (60 ms for a 100,000-message
            # Inbox), all before a new profile's first rows (issue 18).
            if self.store.any_folder_synced():
                try:
                    self._peeks = session.list_status()
                except ServerError as error:  # announced but refused: STATUS per folder
                    log.info("%s: LIST-STATUS refused: %s", self.name, error)
            self._peeked_at = time.monotonic()
        before = {f.name: f for f in self.store.folders()}
        self.store.save_folders(folders)
        if {f.name: f for f in folders} != before:
            self._emit(FoldersChanged(self.name))
        return folders

    def folder(self, name: str) -> FolderInfo:
        folder = self.store.folder(name)
        if folder is None:
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "There is no folder named “{name}” in {account}."),
                name=name, account=self.name))
        return folder

    def sync_folder(self, name: str) -> FolderSyncReport:
        """Replay pending changes, then resync the folder (in that order, so that the
        server's flags do not overwrite a change the user made offline)."""
        self.replay()
        return self._sync_folder(name)

    def _sync_folder(self, name: str) -> FolderSyncReport:
        folder = self.folder(name)
        try:
            with self._online() as session:
                self._emit(StatusChanged(self.name, ServiceStatus.SYNCING))
                with session.answering(self.while_waiting) if self.while_waiting \
                        else nullcontext():
                    report = FolderSync(self.name, session, self.store, self._emit,
                                        between_parts=self.between_parts).run(
                        folder, self.settings.policy_for(name), self._take_peek(folder))
                if session.has(GMAIL):
                    self._gmail_ids(session, folder)
        except FolderNotFound:
            if not self.left(name):
                raise
            self._emit(StatusChanged(self.name, ServiceStatus.CONNECTED))
            return FolderSyncReport(name, left=True)
        counts = self.store.counts(name)
        self._emit(CountsChanged(self.name, name, counts.total, counts.unread))
        self._emit(StatusChanged(self.name, ServiceStatus.CONNECTED))
        return report

    def _take_peek(self, folder: FolderInfo) -> MailboxStatus | None:
        """The folder's STATUS from the last LIST-STATUS, once, while it is fresh: a
        folder whose turn comes later (after a long first sync) asks again."""
        peek = self._peeks.pop(folder.wire, None)
        return peek if time.monotonic() - self._peeked_at < PEEK_FRESH_S else None

    def _gmail_ids(self, session: ImapSession, folder: FolderInfo) -> None:
        """Gmail: the X-GM-MSGID of messages new to the cache, so a message with several
        labels is listed and counted once (issue 16). Chunks of 5,000: one short FETCH
        each, only for what the cache does not have yet."""
        while True:
            uids = self.store.missing_gmail_ids(folder.name)
            if not uids:
                return
            try:
                found = session.gmail_ids(folder, uids)
            except ServerError as error:  # announced but refused: list copies as they are
                log.info("%s: no Gmail ids in %s: %s", self.name, folder.name, error)
                return
            if not found or not self.store.put_gmail_ids(folder.name, found):
                return  # gone meanwhile, or unreadable: never loop on them

    def sync_all(self, only: str | None = None) -> list[FolderSyncReport]:
        """Folder list, then every selectable folder (or just ``only``), then quota."""
        self.replay()
        folders = self.sync_folder_list()
        targets = [self.folder(only)] if only is not None else sync_order(folders)
        reports = [self._sync_folder(folder.name) for folder in targets]
        self.refresh_quota()
        return reports

    def fetch_older(self, name: str, count: int = 500) -> int:
        folder = self.folder(name)
        try:
            with self._online() as session:
                return FolderSync(self.name, session, self.store, self._emit,
                                  between_parts=self.between_parts).fetch_older(
                    folder, count)
        except FolderNotFound:
            if not self.left(name):
                raise
            return 0

    def left(self, name: str) -> bool:
        """Whether the folder ``name``, which a job works on, has left the cache: a command
        taken between two parts of the job renamed or deleted it (its rows went along).
        A store write for it then raises FolderNotFound, and the job ends there: the
        pipelined FETCHes are read to their end on the way out (FolderSync), so the
        connection stays in step."""
        if self.store.folder(name) is not None:
            return False
        log.info("%s: %s was renamed or deleted while a job worked on it", self.name, name)
        return True

    # -- the write path ---------------------------------------------------------------
    def replay(self) -> ReplayReport:
        """Apply queued operations on the server, in order (see replay.py)."""
        if not self.store.pending(states=("queued",)):
            return ReplayReport()
        with self._online() as session:
            report = Replayer(self.name, self.store, session, self._emit, self._peers,
                              beside=self.appends).run()
        if report.folders_changed:
            self.sync_folder_list()
        if report.done:
            self.store.sweep_spool()  # a Sent copy appended: its spool file may go
        for name in sorted(report.resync):
            if self.store.folder(name) is not None:
                self._sync_folder(name)
        self.ops.announce_pending()
        return report

    def apply(self, command: Operation) -> list[int]:
        """The local phase of a user change, now (the cache and the events: the window
        updates before the server hears of it); ``replay()`` sends it later. Returns
        the ids of the operations queued; raises KnownError when it cannot be."""
        if isinstance(command, Undo):
            ids = self.undo(command.op_id)
            # A withdrawn operation (never sent) changes the queue without a new one.
            self.ops.announce_pending()
            return ids
        if isinstance(command, Redo):
            return redo(self.store, self.ops)
        return self.ops.apply(command)

    def undo(self, op_id: int | None = None) -> list[int]:
        """Queue the inverse of the last undoable change (or of ``op_id``)."""
        return undo(self.store, self.ops, op_id)

    def append_remote(self, folder: str, raw: bytes, *, flags: frozenset[str],
                      internaldate: int | None, message_id: str) -> None:
        """APPEND now (a transfer from another account), never twice: a message whose
        Message-ID is already in the folder was appended before a crash."""
        info = self.folder(folder)
        with self._online() as session:
            if message_id:
                session.select(info)
                if session.writes.find_message_ids([message_id]).get(message_id):
                    return
            session.writes.append(info, raw, flags=flags, internaldate=internaldate)

    def take_remote(self, folder: str, message_id: str
                    ) -> tuple[bytes, MessageSummary] | None:
        """The message with ``message_id`` in ``folder`` and its summary (flags, date),
        read now for another account undoing a transfer; None when it is not there."""
        info = self.folder(folder)
        with self._online() as session:
            session.select(info)
            uids = session.writes.find_message_ids([message_id]).get(message_id)
            if not uids:
                return None
            raw = session.fetch_body(uids[0], max_size=MAX_BODY_BYTES)
            found = session.fetch_summaries(str(uids[0])).summaries
        return None if raw is None or not found else (raw, found[0])

    def delete_remote(self, folder: str, message_ids: list[str]) -> None:
        """Delete for good the messages with these Message-IDs from ``folder`` (those
        already gone are no error: a retry after a crash)."""
        info = self.folder(folder)
        with self._online() as session:
            session.select(info)
            found = session.writes.find_message_ids(message_ids)
            uids = sorted({uid for matches in found.values() for uid in matches})
            if uids:
                session.writes.delete_messages(uids, expunge=True)

    # -- bodies -------------------------------------------------------------------------
    def body(self, folder: str, uid: int, *, side: SideConnection | None = None
             ) -> bytes | None:
        """The raw message, from the cache or else downloaded (BODY.PEEK: stays unread),
        over ``side`` when given (the main connection is busy with a sync).

        None when the message no longer exists on the server.
        """
        cached = self.store.body(folder, uid)
        if cached is not None:
            return cached
        summary = self.store.summary(folder, uid)
        limit = MAX_BODY_BYTES
        if summary is not None and summary.size:
            # RFC822.SIZE is what the server promised; allow a little slack.
            limit = min(MAX_BODY_BYTES, summary.size * 2 + 65536)
        if side is not None:
            state = self.store.folder_state(folder)
            raw = side.fetch_body(self.folder(folder), uid, max_size=limit,
                                  uidvalidity=None if state is None else state.uidvalidity)
        else:
            with self._online() as session:
                self._select(session, self.folder(folder))
                raw = session.fetch_body(uid, max_size=limit)
        if raw is None:
            return None
        self.store.put_body(folder, uid, raw)
        self.store.evict_bodies(self.settings.body_cache_mb * 1024 * 1024)
        return raw

    def previews(self, folder: str, uids: Sequence[int], *,
                 side: SideConnection | None = None) -> list[int]:
        """Make and store the preview lines of those of ``uids`` that have none (issue
        14): from a cached body where there is one, else from the server (over ``side``
        when given). The UIDs whose line is now stored, ascending."""
        missing = self.store.missing_previews(folder, uids)
        texts: dict[int, str] = {}
        for uid in missing:
            raw = self.store.cached_body(folder, uid)
            if raw is not None:
                texts[uid] = preview.from_message(raw)
        wanted = [uid for uid in missing if uid not in texts]
        if wanted:
            info = self.folder(folder)
            if side is not None:
                state = self.store.folder_state(folder)
                found = side.fetch_previews(
                    info, wanted, uidvalidity=None if state is None else state.uidvalidity)
            else:
                with self._online() as session:
                    self._select(session, info)
                    found = session.fetch_previews(wanted)
            texts.update((uid, source.text()) for uid, source in found.items())
        self.store.put_previews(folder, texts)
        return sorted(texts)

    def prefetch_bodies(self, folder: str, budget: int) -> int:
        """Offline reading: download up to ``budget`` uncached bodies, newest first."""
        done = 0
        for summary in self._uncached(folder, budget):
            if self.body(folder, summary.uid) is not None:
                done += 1
        return done

    def _uncached(self, folder: str, budget: int) -> list[MessageSummary]:
        wanted: list[MessageSummary] = []
        offset = 0
        while len(wanted) < budget:
            page = self.store.summaries(folder, offset=offset, limit=200)
            if not page:
                break
            wanted.extend(s for s in page if not self.store.has_body(folder, s.uid))
            offset += len(page)
        return wanted[:budget]

    @staticmethod
    def _select(session: ImapSession, folder: FolderInfo) -> None:
        if session.selected is None or session.selected.name != folder.name:
            session.select(folder)

    # -- search (issue 7; qtmail.sync.server_search runs these) ------------------------
    def search_folder(self, name: str, keys: list[SearchKey]) -> tuple[int | None, list[int]]:
        """UID SEARCH in one folder: (its UIDVALIDITY on the server, matching UIDs)."""
        info = self.folder(name)
        with self._online() as session:
            self._select(session, info)
            return session.uidvalidity(), session.search_query(keys)

    def fetch_headers(self, name: str, uids: Sequence[int]) -> list[MessageSummary]:
        """Cache the headers of ``uids`` (of folder ``name``) and announce them."""
        if not uids:
            return []
        with self._online() as session:
            self._select(session, self.folder(name))
            summaries = session.fetch_summaries(uid_set(sorted(uids))).summaries
        if summaries:
            self.store.add_summaries(name, summaries)
            self._emit(MessagesAdded(self.name, name, tuple(s.uid for s in summaries)))
        return summaries

    # -- server storage -----------------------------------------------------------------
    def refresh_quota(self) -> Quota | None:
        with self._online() as session:
            quota = session.quota() if session.reports_quota else None
        if quota != self.store.quota():
            self.store.set_quota(quota)
            self._emit(QuotaChanged(self.name, quota))
        return quota
