"""Server searches beside the account's worker (issue 18, goal 3).

A UID SEARCH is the server's work, and it can be long: a TEXT search of a 20,000-message
folder took Dovecot half a second here, during which the worker answered nothing. So
the search goes over a connection of its own (read-only: EXAMINE, as the side
connection for bodies does) on a lane (sync/lane.py); the worker takes each folder's
UIDs on a later turn and compares them with the cache there (sync/server_search.py).
The connection opens on the first search and is logged out when the account closes.
"""

from __future__ import annotations

from collections.abc import Callable

from qtmail.accounts.settings import AccountSettings
from qtmail.core.types import FolderInfo
from qtmail.net.sasl import Secret
from qtmail.search.imap_keys import SearchKey
from qtmail.sync.lane import Lane, Result
from qtmail.sync.side_connection import Connector, SideConnection

Found = tuple[int | None, list[int]]
"""A folder's UIDVALIDITY on the server and the UIDs that matched."""


class SearchLane:
    def __init__(self, settings: AccountSettings, password: Callable[[], Secret],
                 connector: Connector) -> None:
        # Used on the lane's thread only: the lane runs one search at a time.
        self._connection = SideConnection(settings, password, connector)
        self._lane = Lane(f"search-{settings.name}")
        self._used = False

    @property
    def busy(self) -> bool:
        return self._lane.busy

    def search(self, folder: FolderInfo, keys: list[SearchKey],
               done: Callable[[Result[Found]], None]) -> None:
        self._used = True
        self._lane.start(lambda: self._connection.search(folder, keys), done)

    def collect(self) -> None:
        """Hand finished searches to their callbacks (on the worker's thread)."""
        self._lane.collect()

    def close(self) -> None:
        """Log out on the lane's thread, after the search it runs (if any)."""
        if self._used:
            self._lane.start(self._connection.close, lambda result: None)
        self._lane.close()
