"""One folder's resync: new messages, flag changes and vanished messages.

The algorithm (ARCHITECTURE.md, "From the server to a row"):
1. SELECT; a changed UIDVALIDITY voids every cached UID (RFC 3501 2.3.1.1).
2. Nothing changed when UIDNEXT, the message count and HIGHESTMODSEQ are all as cached.
3. New UIDs (>= the cached UIDNEXT) are fetched newest first, in growing chunks, each
   chunk committed in one transaction before it is announced. A new folder's newest
   chunk is fetched by sequence number (SELECT's EXISTS) before the UID SEARCH. A
   chunk comes in parts (pipelined UID FETCHes); between two parts the worker may
   answer the user.
4. Flag changes: CONDSTORE ``CHANGEDSINCE`` (RFC 7162 3.1.4), with QRESYNC's
   ``VANISHED`` modifier also reporting expunges (RFC 7162 3.2.6); without CONDSTORE,
   all flags are refetched and compared.
5. Vanished messages without QRESYNC: the difference to ``UID SEARCH ALL``.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass

from qtmail.accounts.settings import SyncPolicy
from qtmail.core.errors import ServerError
from qtmail.core.events import (
    Event,
    FlagsChanged,
    FolderReset,
    MessagesAdded,
    MessagesRemoved,
    RemovalReason,
    SyncProgress,
)
from qtmail.core.types import (
    UNREADABLE_SUBJECT,
    AccountName,
    Address,
    FolderInfo,
    FolderSyncState,
    MailboxStatus,
    MessageSummary,
)
from qtmail.imap.session import ImapSession
from qtmail.imap.uidset import uid_set
from qtmail.store import Store
from qtmail.store.codec import ROW_UID, HeaderRow, header_rows
from qtmail.sync.fetch_rows import header_row

log = logging.getLogger(__name__)

FIRST_CHUNK = 200
"""The newest messages come first and small, so the list fills within a moment."""
CHUNK_SIZES = (FIRST_CHUNK, 1000, 2000)
"""Capped at 2,000: the window shows a chunk at a time, waiting for each (sync/pacing.py),
so smaller chunks cost a sync through the window time (1,000: 13% more for 2 x 50,000,
bench/bench_gaps.py); the chunks are pipelined, so the sync on its own does not depend
on it (bench/bench_sync.py)."""
PART = 500
"""A chunk is fetched in pipelined UID FETCHes of at most this many messages. After each
(before the next one is read, or the chunk stored) the worker takes the user's requests
(``between_parts``) without announcing anything: a message opened mid-sync waits for a
part or a chunk's store (about 10 ms), not for a chunk (40 ms, longer on a busy
machine; issue 18, goal 3)."""
SEARCH_RANGE = 50_000

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class _Chunk:
    """A chunk stored and announced: its UIDs, and the unreadable responses in it."""

    uids: frozenset[int]
    unreadable: set[int]


@dataclass(frozen=True, slots=True)
class FolderSyncReport:
    folder: str
    added: int = 0
    removed: int = 0
    flags_changed: int = 0
    total: int = 0
    reset: bool = False
    unchanged: bool = False
    left: bool = False
    """The folder was renamed or deleted in the cache while it synced (a command taken
    between two parts, or while the connection waited for the server): the rows stored
    went along with it, the rest comes with the sync of its new name."""


MAX_RETRIED_ALONE = 100
"""Unreadable messages asked for again one by one; more are placeholders at once."""


def placeholder(uid: int, now: float) -> MessageSummary:
    """A row for a message whose headers could not be read: visible, openable (the
    message itself is fetched whole when opened), never blocking the sync."""
    return MessageSummary(uid=uid, flags=frozenset(), internaldate=int(now), size=0,
                          date=None, subject=UNREADABLE_SUBJECT, sender=Address("", ""))


def imap_date(epoch: float) -> str:
    """RFC 3501 9 ``date``: 1-Feb-1994, always with English month names."""
    day = dt.datetime.fromtimestamp(epoch, dt.UTC).date()
    return f"{day.day}-{_MONTHS[day.month - 1]}-{day.year}"


def parts_of(chunk: list[int]) -> list[list[int]]:
    """``chunk`` (ascending) in parts of at most PART, the newest first."""
    return [chunk[max(0, end - PART):end] for end in range(len(chunk), 0, -PART)]


def chunks_newest_first(uids: Sequence[int], *, first: bool = True) -> list[list[int]]:
    """Split ascending ``uids`` into chunks from the newest end, growing in size; without
    ``first`` the FIRST_CHUNK came already (FolderSync._fetch_newest)."""
    result: list[list[int]] = []
    end = len(uids)
    step = 0 if first else 1
    while end > 0:
        size = CHUNK_SIZES[min(step, len(CHUNK_SIZES) - 1)]
        start = max(0, end - size)
        result.append(list(uids[start:end]))
        end = start
        step += 1
    return result


class FolderSync:
    """Brings one folder of the cache up to date with the server."""

    def __init__(self, account: AccountName, session: ImapSession, store: Store,
                 emit: Callable[[Event], None], *, now: Callable[[], float] = time.time,
                 between_parts: Callable[[], None] = lambda: None) -> None:
        """``between_parts``: called after each part of a chunk (the account's
        connection has the next part's FETCH in flight; no transaction is open)."""
        self._account = account
        self._session = session
        self._store = store
        self._emit = emit
        self._now = now
        self._between_parts = between_parts

    def run(self, folder: FolderInfo, policy: SyncPolicy,
            peek: MailboxStatus | None = None) -> FolderSyncReport:
        """``peek``: the folder's STATUS already known (LIST-STATUS for all folders at
        once, RFC 5819), saving a round trip per unchanged folder."""
        name = folder.name
        since = self._since(policy)
        state = self._store.folder_state(name)
        if state is not None and state.uidnext and self._session.tracks_modseq \
                and self._nothing_new(folder, state, since, peek):
            return FolderSyncReport(name, total=self._store.message_count(name),
                                    unchanged=True)
        status = self._session.select(folder)
        reset = False
        if state is None or state.uidvalidity != status.uidvalidity:
            if state is not None:
                log.info("%s: UIDVALIDITY changed, dropping its cache", name)
                self._store.reset_folder(name, status.uidvalidity)
                self._emit(FolderReset(self._account, name, status.uidvalidity))
                reset = True
            state = FolderSyncState(uidvalidity=status.uidvalidity)
            self._store.set_folder_state(name, state)

        if self._unchanged(name, state, status, since):
            return FolderSyncReport(name, total=status.exists, unchanged=True)

        first_sync = state.uidnext == 0
        flags_changed = 0
        removed: list[int] = []
        if not first_sync:
            flags_changed, removed = self._refresh_known(name, state, status)
        added = self._fetch_new(name, state, since, status)
        if not first_sync and not self._session.reports_vanished:
            removed += self._remove_vanished(name, status)
        elif first_sync and since is None and self._store.cached_count(name) != status.exists:
            # Messages expunged while the first sync ran: catch them at once.
            removed += self._remove_vanished(name, status)

        self._store.set_folder_state(name, FolderSyncState(
            uidvalidity=status.uidvalidity,
            uidnext=status.uidnext,
            highestmodseq=status.highestmodseq,
            synced_since=self._covered_since(state, since),
        ))
        return FolderSyncReport(name, added=added, removed=len(removed),
                                flags_changed=flags_changed,
                                total=self._store.message_count(name), reset=reset)

    # -- steps -------------------------------------------------------------------------
    def _nothing_new(self, folder: FolderInfo, state: FolderSyncState,
                     since: int | None, peek: MailboxStatus | None = None) -> bool:
        """Answer "nothing changed" without SELECT, which costs Dovecot ~150 ms on a
        100,000-message folder."""
        selected = self._session.selected
        if selected is not None and selected.name == folder.name:
            # The open folder. NOOP lets the server bring the session's view up to date
            # (RFC 3501 6.1.2); then everything changed since our HIGHESTMODSEQ -- flags,
            # new messages (they carry a higher mod-sequence) and, with QRESYNC's
            # VANISHED modifier, expunges (RFC 7162 3.2.6) -- is one cheap UID FETCH.
            self._session.noop()
            if self._session.reports_vanished and state.highestmodseq is not None \
                    and not self._range_widened(state, since):
                probe = self._session.fetch_flags("1:*", changedsince=state.highestmodseq,
                                                  vanished=True)
                return not probe.flags and not probe.vanished
        # STATUS is answered from the server's index without opening the mailbox. On
        # the selected mailbox it reports the session's view (RFC 3501 6.3.10): the NOOP
        # above made that current.
        if peek is None:
            peek = self._session.status(folder)
        return peek.uidvalidity == state.uidvalidity \
            and self._unchanged(folder.name, state, peek, since)

    @staticmethod
    def _covered_since(state: FolderSyncState, since: int | None) -> int | None:
        """The oldest date from which the cache now holds all mail (None: all of it)."""
        if since is None:
            return None
        if state.uidnext and state.synced_since is None:
            return None  # everything was synced before; the range only shrank
        return since if state.synced_since is None else min(since, state.synced_since)

    def _since(self, policy: SyncPolicy) -> int | None:
        if policy.days is None:
            return None
        return int(self._now()) - policy.days * 86400

    def _unchanged(self, name: str, state: FolderSyncState, status: MailboxStatus,
                   since: int | None) -> bool:
        """True when nothing can have changed since the last sync (no commands needed)."""
        if state.uidnext == 0 or state.uidnext != status.uidnext:
            return False
        if self._range_widened(state, since):
            return False
        # Without CONDSTORE there is no way to learn of flag changes but to ask.
        if status.highestmodseq is None or state.highestmodseq != status.highestmodseq:
            return False
        # An expunge lowers EXISTS; with a sync range the cache holds fewer messages than
        # the server, and the unchanged HIGHESTMODSEQ (raised by every expunge on a
        # CONDSTORE server) has to suffice.
        return since is not None or self._store.cached_count(name) == status.exists

    @staticmethod
    def _range_widened(state: FolderSyncState, since: int | None) -> bool:
        """The user asked for more history than the cache covers."""
        if state.uidnext == 0 or state.synced_since is None:
            return False
        return since is None or since < state.synced_since - 86400

    def _fetch_new(self, name: str, state: FolderSyncState, since: int | None,
                   status: MailboxStatus) -> int:
        newest: _Chunk | None = None
        if state.uidnext and not self._range_widened(state, since):
            # "UID n:*" also matches the highest UID when n is beyond it (RFC 3501 6.4.8).
            uids = [u for u in self._session.search_uids(f"UID {state.uidnext}:*")
                    if u >= state.uidnext]
        else:
            criteria = "ALL" if since is None else f"SINCE {imap_date(since)}"
            # A wider range, or a first sync that was interrupted (issue 17): what the
            # committed chunks hold is not fetched again, so every attempt gets further.
            resumed = bool(state.uidnext or self._store.cached_count(name))
            if not resumed and since is None and status.exists:
                newest = self._fetch_newest(name, status.exists)
            uids = self._search_large(criteria, status.uidnext)
            if resumed:
                cached = set(self._store.uids(name))
                uids = [u for u in uids if u not in cached]
            elif newest is not None:
                uids = self._after_newest(name, newest, uids)
        uids.sort()
        self._fetch_summaries(name, uids, newest)
        return len(uids) + (len(newest.uids) if newest is not None else 0)

    def _fetch_newest(self, name: str, exists: int) -> _Chunk | None:
        """A new folder's newest FIRST_CHUNK messages, by their sequence numbers (SELECT's
        EXISTS), stored and announced before the UID SEARCH of the whole folder is even
        asked: on 100,000 messages the list fills that much sooner (issue 18). None
        when the server refuses (one of them expunged meanwhile, say): then they come
        with the others, by UID."""
        try:
            result = self._session.fetch_newest(max(1, exists - FIRST_CHUNK + 1), exists,
                                                build=header_row)
            rows = result.rows
            if result.summaries:
                rows += header_rows(result.summaries)
            shown = self._store.add_rows(name, rows)
        except ServerError as error:
            log.info("%s: the newest messages by number were refused (%s); by UID instead",
                     name, error.detail or error)
            return None
        added = tuple([row[ROW_UID] for row in rows])
        self._emit(MessagesAdded(self._account, name, added, tuple(shown)))
        self._emit(SyncProgress(self._account, name, len(added), exists))
        return _Chunk(frozenset(added), set(result.unsolicited.unreadable))

    def _after_newest(self, name: str, newest: _Chunk, uids: list[int]) -> list[int]:
        """The UIDs still to fetch once the newest are stored (the unreadable among them
        are asked for again by _settle_unreadable, as any chunk's). Those of the newest
        that the SEARCH no longer found were expunged in between: they leave the cache.

        ``uids`` is ascending (_search_large's answer), so only its tail, from the
        oldest of the newest on, is looked at: a set of a whole 100,000-message folder and
        a Python loop over it held the GIL 10-14 ms per account in the first second of
        every first sync, when the window paints its first rows (issue 18)."""
        gone = [uid for uid in newest.uids if not _holds(uids, uid)]
        if gone:
            removed = self._store.remove_messages(name, gone)
            if removed:
                self._emit(MessagesRemoved(self._account, name, tuple(removed),
                                           RemovalReason.EXPUNGED))
        done = newest.uids | newest.unreadable
        if not done:
            return uids
        tail = bisect_left(uids, min(done))
        return uids[:tail] + [uid for uid in uids[tail:] if uid not in done]

    def fetch_older(self, folder: FolderInfo, count: int) -> int:
        """Fetch about ``count`` of the newest messages older than the synced range.

        SEARCH SINCE/BEFORE compare the date of INTERNALDATE (RFC 3501 6.4.4), so the
        range is widened by whole time windows, doubled until it holds ``count``
        messages: the cache then still holds all mail since its new start date.
        """
        name = folder.name
        state = self._store.folder_state(name)
        if state is None or state.synced_since is None:
            return 0
        status = self._session.select(folder)
        if status.uidvalidity != state.uidvalidity:
            return 0  # the next sync resets the folder first
        cached = set(self._store.uids(name))
        until = imap_date(state.synced_since)
        remaining = set(self._session.search_uids(f"BEFORE {until}")) - cached
        window = 7 * 86400
        start = state.synced_since
        wanted: set[int] = set()
        while remaining:
            start = state.synced_since - window
            wanted = set(self._session.search_uids(
                f"SINCE {imap_date(start)} BEFORE {until}")) - cached
            if len(wanted) >= count or wanted >= remaining or window > 100 * 365 * 86400:
                break
            window *= 2
        self._fetch_summaries(name, sorted(wanted))
        self._store.set_folder_state(name, FolderSyncState(
            uidvalidity=state.uidvalidity, uidnext=state.uidnext,
            highestmodseq=state.highestmodseq,
            synced_since=None if wanted >= remaining else start))
        return len(wanted)

    def _fetch_summaries(self, name: str, uids: Sequence[int],
                         newest: _Chunk | None = None) -> None:
        """Fetch headers of ascending ``uids`` newest first; commit, then announce, each chunk.
        ``newest``: the chunk _fetch_newest stored already (the next chunks grow from it).

        Only the UIDs that arrived are kept (8 bytes each): the summaries go once their
        chunk is stored, so a folder of 1,000,000 messages is not held in memory (it
        was: 690 MB at the end of such a sync)."""
        done = len(newest.uids) if newest is not None else 0
        total = done + len(uids)
        fetched = array("q", sorted(newest.uids) if newest is not None else ())
        unreadable: set[int] = set(newest.unreadable) if newest is not None else set()
        chunks = [parts_of(chunk) for chunk in chunks_newest_first(uids, first=newest is None)]
        # Pipelined: the server answers the next part while this one is parsed. The
        # common layout comes as the store's rows, with no MessageSummary in between.
        results = self._session.fetch_summaries_pipelined(
            (uid_set(part) for parts in chunks for part in parts), build=header_row)
        with closing(results):
            for parts in chunks:
                rows: list[HeaderRow] = []
                for _part in parts:
                    result = next(results)
                    rows += result.rows
                    if result.summaries:  # responses in another layout
                        rows += header_rows(result.summaries)
                    unreadable.update(result.unsolicited.unreadable)
                    self._between_parts()  # also before the chunk is stored
                shown = self._store.add_rows(name, rows)
                added = tuple([row[ROW_UID] for row in rows])
                fetched.extend(added)
                done += sum(len(part) for part in parts)
                self._emit(MessagesAdded(self._account, name, added, tuple(shown)))
                self._emit(SyncProgress(self._account, name, done, total))
        if unreadable:
            asked = uids if newest is None else sorted({*uids, *newest.uids})
            self._settle_unreadable(name, asked, fetched, unreadable)

    def _settle_unreadable(self, name: str, uids: Sequence[int], fetched: Sequence[int],
                           unreadable: set[int]) -> None:
        """Issue 17: the messages whose responses could not be read are asked for again,
        one at a time (a response mixed up with its neighbours reads fine alone); those
        that still cannot be read are kept as a visible placeholder, so the sync completes
        and the user sees that something is there. UID 0: a response without a readable
        UID, so every requested message that did not arrive is a suspect."""
        suspects = unreadable - {0}
        if 0 in unreadable:
            suspects |= set(uids) - set(fetched)
        settled: list[MessageSummary] = []
        for uid in sorted(suspects)[-MAX_RETRIED_ALONE:]:
            result = self._session.fetch_summaries(str(uid))
            if result.summaries:
                settled += result.summaries
            elif result.unsolicited.unreadable:
                settled.append(placeholder(uid, self._now()))
            # Else it is gone: expunged since the SEARCH, nothing to keep.
        for uid in sorted(suspects)[:-MAX_RETRIED_ALONE]:
            settled.append(placeholder(uid, self._now()))
        if settled:
            log.warning("%s: %d message(s) could not be read; kept as placeholders", name,
                        sum(1 for s in settled if s.subject == UNREADABLE_SUBJECT))
            self._store.add_summaries(name, settled)
            self._emit(MessagesAdded(self._account, name, tuple(s.uid for s in settled)))

    def _search_large(self, criteria: str, uidnext: int) -> list[int]:
        """UID SEARCH that may match a whole large folder.

        Without ESEARCH (RFC 4731) the answer is one line of every UID, which grows past
        the 1 MB line limit near 140,000 messages: ask in UID ranges instead.
        """
        if self._session.searches_compactly or uidnext <= SEARCH_RANGE:
            return self._session.search_uids(criteria)
        uids: list[int] = []
        for low in range(1, uidnext, SEARCH_RANGE):
            high = min(low + SEARCH_RANGE - 1, uidnext - 1)
            uids.extend(u for u in self._session.search_uids(f"UID {low}:{high} {criteria}")
                        if low <= u <= high)
        return uids

    def _refresh_known(self, name: str, state: FolderSyncState,
                       status: MailboxStatus) -> tuple[int, list[int]]:
        """Flag changes (and, with QRESYNC, expunges) of already cached messages."""
        if state.highestmodseq is not None and status.highestmodseq is not None \
                and self._session.tracks_modseq:
            if state.highestmodseq == status.highestmodseq:
                return 0, []
            qresync = self._session.reports_vanished
            result = self._session.fetch_flags("1:*", changedsince=state.highestmodseq,
                                               vanished=qresync)
            vanished = result.vanished if qresync else []
        else:
            cached = self._store.uids(name)
            if not cached:
                return 0, []
            result = self._session.fetch_flags(uid_set(cached))
            vanished = []
        changes = {uid: flags for uid, (flags, _modseq) in result.flags.items()
                   if uid < state.uidnext}
        changed = self._store.set_flags(name, changes)
        if changed:
            self._emit(FlagsChanged(self._account, name, tuple(changed)))
        removed = self._store.remove_messages(name, vanished) if vanished else []
        if removed:
            self._emit(MessagesRemoved(self._account, name, tuple(removed),
                                       RemovalReason.EXPUNGED))
        return len(changed), removed

    def _remove_vanished(self, name: str, status: MailboxStatus) -> list[int]:
        cached = self._store.uids(name)
        if not cached:
            return []
        server = set(self._search_large("ALL", status.uidnext))
        gone = [uid for uid in cached if uid not in server]
        removed = self._store.remove_messages(name, gone) if gone else []
        if removed:
            self._emit(MessagesRemoved(self._account, name, tuple(removed),
                                       RemovalReason.EXPUNGED))
        return removed


def _holds(ascending: Sequence[int], uid: int) -> bool:
    at = bisect_left(ascending, uid)
    return at < len(ascending) and ascending[at] == uid
