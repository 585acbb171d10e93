"""Store: the one object the rest of qtmail uses to read and write the local cache."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

from qtmail.core.types import (
    Flags,
    FolderCounts,
    FolderInfo,
    FolderSyncState,
    MessageSummary,
    Quota,
)
from qtmail.search.query import Query, parse
from qtmail.store import bodies, gmail_ids, headers, moves, previews, search
from qtmail.store import folders as folder_rows
from qtmail.store import pending as pending_rows
from qtmail.store.base import checked
from qtmail.store.codec import HeaderRow
from qtmail.store.outgoing import OutgoingStore
from qtmail.store.pending import PendingRow
from qtmail.store.search import Copies
from qtmail.store.undo_steps import UndoStore

log = logging.getLogger(__name__)


class Store(OutgoingStore, UndoStore):
    """The cache's reads and writes (connection and transactions: StoreBase; the Outbox
    and drafts in progress: OutgoingStore; the undo and redo stacks: UndoStore).

    A message is visible when it is not hidden (the local phase of a queued move or
    delete) and has no \\Deleted flag: summaries(), counts() and message_count() see
    visible messages only; uids(), flags_map(), summary() and cached_count() see every
    cached row, since sync compares the cache with the server.
    """

    # -- folders --------------------------------------------------------------------

    @checked
    def save_folders(self, folders: Sequence[FolderInfo]) -> tuple[list[str], list[str]]:
        """Upsert the server's folder list; drop the folders no longer in it, with their
        messages, bodies and state. Returns (added names, removed names)."""
        with self._write():
            return folder_rows.save(self._conn, folders)

    @checked
    def rename_folder(self, old: str, new: FolderInfo) -> bool:
        """One folder's new name, keeping its cache; False when `old` is unknown.
        Children are not renamed: the next save_folders() brings their names."""
        with self._write():
            return folder_rows.rename(self._conn, old, new)

    @checked
    def folders(self) -> list[FolderInfo]:
        """All folders, ordered by name."""
        return folder_rows.all_folders(self._conn)

    @checked
    def folder(self, name: str) -> FolderInfo | None:
        return folder_rows.one_folder(self._conn, name)

    @checked
    def folder_state(self, name: str) -> FolderSyncState | None:
        """None for an unknown folder or one never synced."""
        return folder_rows.state(self._conn, name)

    @checked
    def any_folder_synced(self) -> bool:
        """True once some folder has been synced (holds a sync state to compare with)."""
        return folder_rows.any_synced(self._conn)

    @checked
    def set_folder_state(self, name: str, state: FolderSyncState) -> None:
        """Raises FolderNotFound (a KeyError) for an unknown folder."""
        with self._write():
            folder_rows.set_state(self._conn, name, state)

    @checked
    def reset_folder(self, name: str, uidvalidity: int) -> int:
        """UIDVALIDITY changed: drop the folder's messages and bodies, keep only the new
        UIDVALIDITY as state. Returns how many messages were dropped."""
        with self._write():
            return folder_rows.reset(self._conn, name, uidvalidity)

    # -- headers --------------------------------------------------------------------

    @checked
    def add_summaries(self, folder: str, summaries: Sequence[MessageSummary]) -> None:
        """Insert or replace by (folder, uid) in one transaction; a replaced message keeps
        its cached body. Raises FolderNotFound for an unknown folder."""
        with self._write():
            headers.add(self._conn, folder_rows.require_folder_id(self._conn, folder), summaries)

    @checked
    def add_rows(self, folder: str, rows: Sequence[HeaderRow]) -> list[tuple[int, int]]:
        """``add_summaries`` of summaries already encoded (``codec.header_rows``); returns
        (uid, internaldate) of the rows a list shows (neither \\Deleted nor hidden)."""
        with self._write():
            return headers.add_rows(
                self._conn, folder_rows.require_folder_id(self._conn, folder), rows)

    @checked
    def set_flags(self, folder: str, changes: Mapping[int, Flags]) -> list[int]:
        """Store new flags; return the UIDs whose flags really changed, ascending.
        Unknown UIDs (and an unknown folder) are ignored."""
        with self._write():
            fid = folder_rows.folder_id(self._conn, folder)
            return [] if fid is None else headers.set_flags(self._conn, fid, changes)

    @checked
    def remove_messages(self, folder: str, uids: Iterable[int]) -> list[int]:
        """Remove messages and their bodies; return the UIDs actually removed, ascending."""
        with self._write():
            fid = folder_rows.folder_id(self._conn, folder)
            return [] if fid is None else headers.remove(self._conn, fid, uids)

    @checked
    def uids(self, folder: str) -> list[int]:
        """Every cached UID of the folder, ascending."""
        return headers.uids(self._conn, folder)

    @checked
    def shown_uids(self, folder: str) -> list[int]:
        """The UIDs of the messages the folder lists (headers.shown_uids), ascending."""
        return headers.shown_uids(self._conn, folder)

    @checked
    def unread_uids(self, folder: str) -> list[int]:
        """The UIDs of the folder's visible unread messages, ascending."""
        return headers.unread_uids(self._conn, folder)

    @checked
    def flags_map(self, folder: str) -> dict[int, Flags]:
        return headers.flags_map(self._conn, folder)

    @checked
    def message_count(self, folder: str) -> int:
        """Visible messages (O(1): a counter)."""
        return headers.count(self._conn, folder)

    @checked
    def cached_count(self, folder: str) -> int:
        """Every cached row, hidden and \\Deleted ones too: what sync compares with the
        server's EXISTS (O(1): a counter)."""
        return headers.count(self._conn, folder, cached=True)

    @checked
    def summaries(self, folder: str, *, offset: int = 0, limit: int = 100,
                  newest_first: bool = True) -> list[MessageSummary]:
        """A window of the folder's visible messages ordered by (internaldate, uid), newest
        first by default."""
        if offset == 0:
            return headers.window(self._conn, folder, offset=0, limit=limit,
                                  newest_first=newest_first)
        with self.transaction():  # the count and the rows from one snapshot
            return headers.window(self._conn, folder, offset=offset, limit=limit,
                                  newest_first=newest_first,
                                  total=headers.count(self._conn, folder))

    @checked
    def uid_window(self, folder: str, *, offset: int, limit: int) -> list[int]:
        """The UIDs of ``summaries(folder, offset=, limit=)``, without decoding them."""
        if offset == 0:
            return headers.uid_window(self._conn, folder, offset=0, limit=limit)
        with self.transaction():  # the count and the rows from one snapshot
            return headers.uid_window(self._conn, folder, offset=offset, limit=limit,
                                      total=headers.count(self._conn, folder))

    @checked
    def summary(self, folder: str, uid: int) -> MessageSummary | None:
        """Any cached message, hidden or not: backing out a queued move needs it."""
        return headers.one(self._conn, folder, uid)

    @checked
    def summaries_for(self, folder: str, uids: Iterable[int]) -> list[MessageSummary]:
        """The cached summaries of ``uids``, ascending UID (hidden ones too)."""
        return headers.by_uids(self._conn, folder, uids)

    @checked
    def message_ids_for(self, folder: str, uids: Iterable[int]) -> dict[int, str]:
        """UID -> Message-ID ("" when it has none) of the cached ones of ``uids``, hidden
        ones too, ascending: what a move records, without decoding whole summaries."""
        return headers.message_ids(self._conn, folder, uids)

    @checked
    def order_keys_of(self, folder: str, uids: Iterable[int]) -> list[tuple[int, int]]:
        """(internaldate, uid) of the visible ones of ``uids``, in no particular order."""
        return headers.order_keys_of(self._conn, folder, uids)

    @checked
    def order_keys(self, folder: str) -> list[tuple[int, int]]:
        """(internaldate, uid) of the visible messages, newest first (the list order)."""
        return headers.order_keys(self._conn, folder)

    @checked
    def thread_keys(self, folder: str) -> list[tuple[int, str, str, tuple[str, ...]]]:
        """(uid, Message-ID, In-Reply-To, References) of the visible messages, newest
        first (the list order)."""
        return headers.thread_keys(self._conn, folder)

    @checked
    def counts(self, folder: str) -> FolderCounts:
        """Visible total and unread (no \\Seen); zeros for an unknown folder."""
        return folder_rows.counts(self._conn, folder)

    @checked
    def all_counts(self) -> dict[str, FolderCounts]:
        return folder_rows.all_counts(self._conn)

    # -- local-first operations: hidden rows, moves, copies -------------------------

    @checked
    def hide_messages(self, folder: str, uids: Iterable[int]) -> list[int]:
        """Hide messages (the local phase of a move or delete the server has not done
        yet); return the UIDs newly hidden, ascending. Unknown ones are ignored. A header
        refresh by sync keeps them hidden."""
        with self._write():
            fid = folder_rows.folder_id(self._conn, folder)
            return [] if fid is None else headers.set_hidden(self._conn, fid, uids, True)

    @checked
    def unhide_messages(self, folder: str, uids: Iterable[int]) -> list[int]:
        """Show hidden messages again (the server refused); return the UIDs shown again."""
        with self._write():
            fid = folder_rows.folder_id(self._conn, folder)
            return [] if fid is None else headers.set_hidden(self._conn, fid, uids, False)

    @checked
    def hidden_uids(self, folder: str) -> list[int]:
        """The folder's hidden UIDs, ascending."""
        return headers.hidden_uids(self._conn, folder)

    @checked
    def move_message_rows(self, src: str, dest: str, uid_map: Mapping[int, int], *,
                          uids: Iterable[int] = ()) -> None:
        """The server moved messages (RFC 4315 COPYUID: old uid -> new uid): re-key their
        rows, with their bodies, into `dest` under the new uids, shown there. A row the
        destination already holds under the new uid (a sync came first) wins, taking our
        body if it has none. `uids` names more moved source uids whose new uid is unknown
        (no UIDPLUS): those are only removed from `src`; the next sync of `dest` fetches
        them. \\Deleted is dropped from moved rows (it can only be our own COPY +
        \\Deleted fallback). Raises FolderNotFound for an unknown folder."""
        with self._write():
            src_id = folder_rows.require_folder_id(self._conn, src)
            dest_id = folder_rows.require_folder_id(self._conn, dest)
            moves.move_rows(self._conn, src_id, dest_id, uid_map)
            gone = {int(uid) for uid in uids}.difference(int(uid) for uid in uid_map)
            if gone:
                headers.remove(self._conn, src_id, gone)

    @checked
    def copy_message_rows(self, src: str, dest: str, uid_map: Mapping[int, int], *,
                          with_bodies: bool = False) -> None:
        """The server copied messages (COPYUID): duplicate their summaries into `dest`
        under the new uids, shown, and their cached bodies too with `with_bodies`. Rows
        the destination holds already are kept. Raises FolderNotFound."""
        with self._write():
            src_id = folder_rows.require_folder_id(self._conn, src)
            dest_id = folder_rows.require_folder_id(self._conn, dest)
            moves.copy_rows(self._conn, src_id, dest_id, uid_map, with_bodies=with_bodies)

    @checked
    def rename_folder_tree(self, old: str, new: str, delimiter: str,
                           wire_for: Callable[[str], bytes]) -> list[tuple[str, str]]:
        """Rename `old` and every folder below it (old + delimiter + ...) in one
        transaction, keeping their messages, bodies and sync state; `wire_for` gives each
        new name's wire form. Returns the (old, new) names, by old name; [] when `old` is
        not cached. Raises ValueError for a move into its own subtree and FolderExists
        when a new name is taken, having changed nothing."""
        with self._write():
            return folder_rows.rename_tree(self._conn, old, new, delimiter, wire_for)

    # -- pending operations (ARCHITECTURE.md "Local-first operations") ---------------
    # All writes commit with synchronous=FULL: these rows exist nowhere else.

    @checked
    def add_pending(self, kind: str, payload: Mapping[str, Any], *,
                    data: bytes | None = None) -> int:
        """Queue an operation (state "queued"); return its id, never reused. Call it
        inside ``transaction(durable=True)`` with the operation's local effect, so both
        commit or neither does; alone it commits durably by itself. The payload must be
        a JSON object (tuples come back as lists)."""
        with self._durable_write():
            return pending_rows.add(self._conn, kind, payload, data)

    @checked
    def pending(self, *, states: Collection[str] = (pending_rows.QUEUED,)) -> list[PendingRow]:
        """The operations in the given states, in id (queue) order."""
        return pending_rows.select(self._conn, states)

    @checked
    def pending_row(self, op_id: int) -> PendingRow | None:
        """One operation, in any state; None once it is gone."""
        return pending_rows.get(self._conn, op_id)

    @checked
    def update_pending(self, op_id: int, *, payload: Mapping[str, Any] | None = None,
                       state: str | None = None, attempts: int | None = None,
                       last_error: str | None = None) -> None:
        """Change the given fields of an operation; KeyError for an unknown id."""
        with self._durable_write():
            pending_rows.update(self._conn, op_id, payload=payload, state=state,
                           attempts=attempts, last_error=last_error)

    @checked
    def remove_pending(self, op_id: int) -> None:
        """Forget an operation; an unknown id is ignored."""
        with self._durable_write():
            pending_rows.remove(self._conn, op_id)

    @checked
    def prune_done(self, keep: int = 50) -> None:
        """Forget done operations (kept for Undo) but the newest `keep`."""
        with self._durable_write():
            pending_rows.prune_done(self._conn, keep)

    # -- bodies ---------------------------------------------------------------------

    @checked
    def body(self, folder: str, uid: int) -> bytes | None:
        """The cached raw message, marked as just opened (by the writer only: a reader
        cannot write, so its reads leave the LRU order as it is)."""
        if self._readonly:
            return bodies.get(self._conn, folder, uid, touch=False)
        with self._write():
            return bodies.get(self._conn, folder, uid, touch=True)

    @checked
    def cached_body(self, folder: str, uid: int) -> bytes | None:
        """The cached raw message without marking it opened (a preview line is made
        from it: the body cache's LRU order stays the user's)."""
        return bodies.get(self._conn, folder, uid, touch=False)

    @checked
    def put_body(self, folder: str, uid: int, raw: bytes) -> None:
        """Cache a raw message as just opened. Ignored when the message is not cached
        (removed meanwhile): a body is only ever shown beside its summary."""
        with self._write():
            if not bodies.put(self._conn, folder, uid, raw):
                log.debug("Body of %s/%d not cached: no such message", folder, uid)

    @checked
    def missing_previews(self, folder: str, uids: Iterable[int]) -> list[int]:
        """Those of ``uids`` cached without a preview line yet, ascending."""
        return previews.missing(self._conn, folder, uids)

    @checked
    def put_previews(self, folder: str, texts: Mapping[int, str]) -> int:
        """Store preview lines (UID -> text) of cached messages; how many were kept."""
        with self._write():
            return previews.put(self._conn, folder, texts)

    @checked
    def missing_gmail_ids(self, folder: str, limit: int = 5000) -> list[int]:
        """UIDs cached without Gmail's X-GM-MSGID yet, ascending (issue 16)."""
        return gmail_ids.missing(self._conn, folder, limit)

    @checked
    def put_gmail_ids(self, folder: str, ids: Mapping[int, int]) -> int:
        """Store X-GM-MSGIDs (UID -> id) of cached messages; how many were kept."""
        with self._write():
            return gmail_ids.put(self._conn, folder, ids)

    @checked
    def has_body(self, folder: str, uid: int) -> bool:
        return bodies.has(self._conn, folder, uid)

    @checked
    def body_bytes(self) -> int:
        """Total size of the cached bodies."""
        return bodies.total_bytes(self._conn)

    @checked
    def evict_bodies(self, cap_bytes: int) -> int:
        """Evict least recently opened bodies until the total is <= cap; return how many."""
        with self._write():
            return bodies.evict(self._conn, cap_bytes)

    # -- search (issue 7) ----------------------------------------------------------

    @checked
    def search(self, query: str | Query, *, folders: Sequence[str] | None = None,
               limit: int = 500) -> list[tuple[str, MessageSummary]]:
        """Visible messages matching the query (qtmail.search.query), newest first, as
        (folder, summary); `folders` limits the scope (None: every folder). The writer
        rebuilds a missing index first and catches up; a reader folds the rows not
        indexed yet itself (qtmail.store.search, "_unindexed")."""
        parsed = parse(query) if isinstance(query, str) else query
        if not self._readonly:
            if not search.is_built(self._conn):
                self.rebuild_search_index()
            self.index_pending()
        with self.transaction():  # its look-ups and its query from one snapshot
            return search.search(self._conn, parsed, folders, limit)

    @checked
    def search_keys(self, query: str | Query, *, folders: Sequence[str] | None = None,
                    limit: int = 1000, catch_up: bool = True,
                    uids: Sequence[int] | None = None,
                    copies_in: Sequence[str] | Copies | None = Copies.SEARCHED
                    ) -> list[tuple[str, int, int]]:
        """(folder, internaldate, uid) of the matches, newest first, nothing decoded: a
        results list pages summaries by these (summaries_for). Rows not indexed yet are
        matched by their raw text (qtmail.store.search, "_unindexed"); the writer
        catches up first unless ``catch_up`` is False (the server search compares with
        what the window's reader found, and must not index 100,000 rows first).
        ``uids`` tests only those messages of the one folder in ``folders``; a Gmail
        message in several of the folders ``copies_in`` is found once (issue 16)."""
        parsed = parse(query) if isinstance(query, str) else query
        if not self._readonly and catch_up:
            if not search.is_built(self._conn):
                self.rebuild_search_index()
            self.index_pending()
        with self.transaction():  # its look-ups and its query from one snapshot
            return search.search_keys(self._conn, parsed, folders, limit, uids, copies_in)

    @checked
    def unindexed_count(self) -> int:
        """Rows whose headers wait for the index: ids above search_state.upto, and
        refreshed rows (qtmail.store.search)."""
        return search.unindexed_count(self._conn)

    @checked
    def index_pending(self, limit: int | None = None, seconds: float | None = None) -> int:
        """Index headers written since the last search: all, or up to `limit` rows, or
        as many as `seconds` allow (the worker's idle turns); returns how many were
        indexed."""
        with self._write():
            return search.catch_up(self._conn, limit, self._known_words, seconds)

    @checked
    def rebuild_search_index(self) -> int:
        """Index every cached row again; return how many. Also done when missing."""
        with self._write():
            count = search.rebuild(self._conn, self._known_words)
        log.info("Search index rebuilt: %d messages", count)
        return count

    @checked
    def search_index_bytes(self) -> int:
        return search.index_bytes(self._conn)

    # -- server storage (RFC 9208) ----------------------------------------------------------

    @checked
    def set_quota(self, quota: Quota | None) -> None:
        with self._write():
            bodies.set_quota(self._conn, quota)

    @checked
    def quota(self) -> Quota | None:
        return bodies.get_quota(self._conn)
