"""SideConnection: a second IMAP connection for the bodies a user opens mid-sync.

While a folder syncs, the account's main connection has the next chunk's UID FETCH in
flight (pipelined, see fastfetch.fetch_summaries_pipelined): a command sent on it then
would read that command's answers as its own. A message the user clicks must not wait
for the whole folder (minutes on a first sync of a big folder), so its body comes over
this second connection, opened on first use and kept while it is useful (issue 4).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from qtmail.accounts.settings import AccountSettings
from qtmail.core.errors import ConnectionLost
from qtmail.core.types import FolderInfo
from qtmail.imap.previews import PreviewSource
from qtmail.imap.session import ImapSession
from qtmail.net.sasl import Secret
from qtmail.search.imap_keys import SearchKey

log = logging.getLogger(__name__)

Connector = Callable[[AccountSettings, Secret], ImapSession]
T = TypeVar("T")


class SideConnection:
    """Downloads single bodies (and preview lines) on its own connection; not
    thread-safe (one owner).

    Only reads: folders are opened with EXAMINE (RFC 3501 6.3.2, read-only) and bodies
    fetched with BODY.PEEK, so nothing this connection does can mark mail read or
    expunge it; the one write is ``append`` (the Outbox's Sent copies, sync/append_lane.py),
    which adds a message and needs no open folder. The main connection's state (selected
    folder, pipelined commands) is never touched.
    """

    def __init__(self, settings: AccountSettings, password: Callable[[], Secret],
                 connector: Connector, *, clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self._settings = settings
        self._password = password
        self._connector = connector
        self._clock = clock
        self._session: ImapSession | None = None
        self.last_used = 0.0
        """``clock()`` at the end of the last download (for closing when unused)."""

    @property
    def connected(self) -> bool:
        return self._session is not None

    def has_open(self, folder: str) -> bool:
        """Whether ``folder`` is the one open on this connection now (no SELECT needed)."""
        return self.open_folder == folder

    @property
    def open_folder(self) -> str | None:
        session = self._session
        return None if session is None or session.selected is None else session.selected.name

    def fetch_body(self, folder: FolderInfo, uid: int, *, uidvalidity: int | None,
                   max_size: int) -> bytes | None:
        """The raw message, or None when it is gone (or the folder's UIDVALIDITY is not
        the cache's any more, RFC 3501 2.3.1.1: the cached UID names nothing)."""
        def fetch(session: ImapSession) -> bytes | None:
            raw = session.fetch_body(uid, max_size=max_size)
            if raw is None:  # delivered since? (see _news)
                session.noop()
                raw = session.fetch_body(uid, max_size=max_size)
            return raw

        return self._in_folder(folder, uidvalidity, fetch)

    def open_on(self, folder: FolderInfo) -> None:
        """Connect if need be and open ``folder`` (EXAMINE) if it is not: ready before a
        request comes (sync/side_bodies.py ``prepare``)."""
        self._in_folder(folder, None, lambda session: None)

    def fetch_previews(self, folder: FolderInfo, uids: Sequence[int], *,
                       uidvalidity: int | None) -> dict[int, PreviewSource]:
        """What the preview lines of ``uids`` are made from (issue 14); empty when the
        folder's UIDVALIDITY changed."""
        def fetch(session: ImapSession) -> dict[int, PreviewSource]:
            found = session.fetch_previews(uids)
            missing = [uid for uid in uids if uid not in found]
            if missing:  # delivered since? (see _news)
                session.noop()
                found.update(session.fetch_previews(missing))
            return found

        return self._in_folder(folder, uidvalidity, fetch) or {}

    def search(self, folder: FolderInfo, keys: list[SearchKey]) -> tuple[int | None, list[int]]:
        """UID SEARCH in ``folder``: (its UIDVALIDITY on the server, matching UIDs)."""
        found = self._in_folder(folder, None,
                                lambda session: (session.uidvalidity(),
                                                 session.search_query(keys)))
        assert found is not None  # no UIDVALIDITY was asked for
        return found

    def append(self, folder: FolderInfo, raw: bytes, *, flags: frozenset[str],
               internaldate: int | None, message_id: str, retry: bool) -> None:
        """APPEND ``raw`` to ``folder`` (RFC 3501 6.3.11), never twice: on a ``retry``
        (an earlier attempt may have reached the server) a message with ``message_id``
        already in the folder is not appended again.

        A connection the server dropped while unused is reopened before anything is
        sent; one lost during the APPEND raises ConnectionLost (the next attempt is a
        retry and looks first)."""
        reused = self._session is not None
        session = self._open()
        if reused:
            try:
                session.noop()  # reused: is it still there? (RFC 3501 5.4 autologout)
            except ConnectionLost:
                self._drop()
                log.info("%s: side connection lost; reconnecting", self._settings.name)
                session = self._open()
        try:
            if retry and message_id:
                session.select(folder, readonly=True)
                if session.writes.find_message_ids([message_id]).get(message_id):
                    return  # appended just before a crash or a lost connection
            session.writes.append(folder, raw, flags=flags, internaldate=internaldate)
        except ConnectionLost:
            self._drop()
            raise
        finally:
            self.last_used = self._clock()

    # _news: this connection keeps its folder open (EXAMINE) between requests while the
    # main connection syncs. Mail delivered meanwhile is not in its view of the folder
    # until a command lets the server report it (RFC 3501 5.2, 7.3.1 EXISTS): Dovecot
    # answers a UID FETCH of such a message with nothing at all, so the message the user
    # clicked in the list, just synchronised, read as "no longer exists on the server".
    # It reports the new EXISTS at the end of that FETCH (or of a NOOP), and answers the
    # same FETCH asked again. So a miss is asked again once, after a NOOP (for servers
    # that report news only then): two round trips, for a miss only.

    def _in_folder(self, folder: FolderInfo, uidvalidity: int | None,
                   action: Callable[[ImapSession], T]) -> T | None:
        """``action`` with ``folder`` open (EXAMINE), or None when its UIDVALIDITY is not
        ``uidvalidity``.

        A connection the server dropped while unused (RFC 3501 5.4 autologout) is
        reopened once; any other failure raises the KnownError as it is.
        """
        for attempt in (1, 2):
            reused = self._session is not None
            session = self._open()
            try:
                selected = session.selected
                if selected is None or selected.name != folder.name:
                    session.select(folder, readonly=True)
                if uidvalidity and session.uidvalidity() != uidvalidity:
                    return None
                return action(session)
            except ConnectionLost:
                self._drop()
                if attempt == 2 or not reused:
                    raise
                log.info("%s: side connection lost; reconnecting", self._settings.name)
            finally:
                self.last_used = self._clock()
        raise AssertionError("unreachable")

    def _open(self) -> ImapSession:
        if self._session is None:
            self._session = self._connector(self._settings, self._password())
        return self._session

    def _drop(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.close()

    def close(self) -> None:
        """LOGOUT (never raises); the next download opens a new connection."""
        session, self._session = self._session, None
        if session is not None:
            session.logout()
