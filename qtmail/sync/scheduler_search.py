"""Server search (issue 7) for an account's scheduler (sync/scheduler.py): the search
running now, a folder per SearchStep, on the account's connection or the search lane."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Protocol

from qtmail.core.commands import CancelSearch, SearchServer
from qtmail.core.errors import QT_TRANSLATE_NOOP, KnownError
from qtmail.core.events import Event, SearchDone
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine
from qtmail.sync.jobs import IndexCatchUp, Job, SearchStep
from qtmail.sync.lane import Result
from qtmail.sync.search_lane import Found, SearchLane
from qtmail.sync.server_search import ServerSearch


class Enqueue(Protocol):
    """Adds a job to the scheduler's background queue (``JobQueue.add``)."""

    def __call__(self, job: Job, *, front: bool = False) -> None: ...


class SearchRunner:
    """The account's server search: at most one runs; each SearchStep job searches its
    next folder, and the runner queues the step after it (or IndexCatchUp at the end)."""

    def __init__(self, account: str, emit: Callable[[Event], None], enqueue: Enqueue,
                 turn: Callable[[], None]) -> None:
        """``turn`` takes and answers the user's requests (the scheduler's turn between
        two parts of a sync), between two store reads of a search lane's answer."""
        self.account = account
        self._emit_out = emit
        self._enqueue = enqueue
        self._turn = turn
        self._search: ServerSearch | None = None

    def command(self, command: SearchServer | CancelSearch, store: Store | None, *,
                offline: bool) -> None:
        """A new search replaces the one running (its next folder is never searched);
        a cancel of the running one stops it. Stale ids are ignored. ``store`` is None
        while the account's cache is not open; ``offline``: a reconnect backoff runs."""
        if isinstance(command, CancelSearch):
            if self._search is not None and self._search.search_id == command.search_id:
                self._search = None
            return
        if store is None:
            return
        if offline:
            # Offline, waiting to reconnect: say so now rather than search much later.
            self._emit_out(SearchDone(self.account, command.search_id, 0, QT_TRANSLATE_NOOP(
                "Errors", "The server cannot be reached: only mail on this computer was "
                "searched.")))
            return
        self._search = ServerSearch(command, store.folders())
        self._enqueue(SearchStep(command.search_id), front=True)

    def run(self, engine: AccountEngine, searcher: SearchLane | None, job: SearchStep
            ) -> None:
        """The SearchStep job: beside the account's connection when there is a search
        lane, else on it."""
        if searcher is not None:
            self._search_beside(searcher, engine, job)
        else:
            self._search_step(engine, job)

    def _search_step(self, engine: AccountEngine, job: SearchStep) -> None:
        search = self._search
        if search is None or search.search_id != job.search_id:
            return  # cancelled or replaced since
        try:
            search.step(engine, self._emit_out)
        except KnownError as error:
            self._search_failed(engine, search, error)
            return
        self._search_next(engine, search, job)

    def _search_failed(self, engine: AccountEngine, search: ServerSearch,
                       error: KnownError) -> None:
        # Not retried: by then the user has typed something else. The status bar shows
        # a lost connection (the engine reported it); the results bar says so too.
        self._search = None
        search.finish(engine, self._emit_out, error.user_message)

    def _search_next(self, engine: AccountEngine, search: ServerSearch, job: SearchStep
                     ) -> None:
        if search.done:
            self._search = None
            search.finish(engine, self._emit_out)
            self._enqueue(IndexCatchUp())
        else:
            self._enqueue(job, front=True)

    def _search_beside(self, searcher: SearchLane, engine: AccountEngine,
                       job: SearchStep) -> None:
        """The next folder's UID SEARCH goes to the search lane; its answer is taken on
        a later turn (``_searched``), and the folder after it is asked for then."""
        search = self._search
        if search is None or search.search_id != job.search_id:
            return
        name = search.next_folder()
        if name is None:
            self._search_next(engine, search, job)
            return
        try:
            folder = engine.folder(name)
        except KnownError as error:
            self._search_failed(engine, search, error)
            return
        searcher.search(folder, search.keys,
                        partial(self._searched, engine, search, job, name))

    def _searched(self, engine: AccountEngine, search: ServerSearch, job: SearchStep,
                  name: str, found: Result[Found]) -> None:
        if self._search is not search:
            return  # cancelled or replaced meanwhile
        try:
            uidvalidity, uids = found()
            # Two store reads of up to 30 ms each on a 20,000-message folder: the user's
            # requests are taken and answered between them (issue 18, goal 3).
            search.settle(engine, self._emit_out, name, uidvalidity, uids,
                          turn=self._turn)
        except KnownError as error:
            if self._search is search:
                self._search_failed(engine, search, error)
            return
        if self._search is search:  # (not cancelled or replaced during the turn)
            self._search_next(engine, search, job)
