"""The user's requests waiting for an account's scheduler (sync/scheduler.py): message
bodies and preview lines, answered at each step and between two chunks or parts of a
sync, from the cache, the account's connection or the side connection (issue 18)."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable

from qtmail.core import yielding
from qtmail.core.commands import FetchBody, FetchPreviews, OpenMessage
from qtmail.core.errors import KnownError
from qtmail.core.events import Event, PreviewsReady
from qtmail.sync.answers import Request, answer_body
from qtmail.sync.jobs import INDEX_GRACE
from qtmail.sync.scheduler_parts import Parts

log = logging.getLogger(__name__)


class UserRequests:
    """Body requests (open this message: the user waits for those) and preview lines
    (issue 14, cosmetic) in the order they came, and when the user last asked."""

    def __init__(self, account: str, emit: Callable[[Event], None], *,
                 clock: Callable[[], float], stopping: Callable[[], bool],
                 offline: Callable[[], bool]) -> None:
        """``stopping``: Stop arrived (no more answers); ``offline``: a reconnect backoff
        runs (preview lines are not asked of the account's connection then)."""
        self.account = account
        self._emit_out = emit
        self._clock = clock
        self._stopping = stopping
        self._offline = offline
        self._interactive: deque[Request] = deque()
        self._previews: deque[FetchPreviews] = deque()
        self._last_request = float("-inf")
        """clock() of the user's latest body request (INDEX_GRACE)."""

    def add(self, command: FetchBody | OpenMessage | FetchPreviews) -> None:
        if isinstance(command, FetchPreviews):
            self._previews.append(command)
            self._last_request = self._clock()  # the user is looking: indexing waits
        else:
            self._interactive.append(command)
            self._last_request = self._clock()

    @property
    def waiting(self) -> bool:
        """Whether a request waits for an answer."""
        return bool(self._interactive or self._previews)

    def reading_pause(self) -> float:
        """Seconds the index catch-up still waits because the user opened a message
        less than INDEX_GRACE seconds ago."""
        return max(0.0, self._last_request + INDEX_GRACE - self._clock())

    def answer(self, parts: Parts) -> None:
        """At a step: every body request, then the preview lines."""
        if self._interactive:
            with yielding.answering():  # the lanes hold back (a message being built)
                while self._interactive and not self._stopping():
                    self._emit_out(self._answer(parts, self._interactive.popleft()))
        self._answer_previews(parts, between_chunks=False)

    def answer_between(self, parts: Parts) -> None:
        """Between two chunks or parts of a sync: a cached body from the store, another
        over the side connection (the main one is busy: the next chunk's UID FETCH is
        already in flight, pipelined). When the side connection cannot be used, the
        request waits until the folder is done."""
        waiting: deque[Request] = deque()
        with yielding.answering():
            while self._interactive:
                request = self._interactive.popleft()
                if parts.store.has_body(request.folder, request.uid):
                    self._emit_out(answer_body(parts.engine, request))
                elif parts.side is not None \
                        and (answer := parts.side.answer(parts.engine, request)) is not None:
                    self._emit_out(answer)
                else:
                    waiting.append(request)
        self._interactive = waiting
        self._answer_previews(parts, between_chunks=True)

    @staticmethod
    def _answer(parts: Parts, request: Request) -> Event:
        """A body from the store or the main connection; or over the side connection
        when a sync left it open on the request's folder while the main one moved on to
        another folder: no SELECT then (Dovecot took 90 ms for a 20,000-message INBOX
        here, after a first sync, while the user clicked)."""
        side = parts.side
        if side is not None and side.has_open(request.folder) \
                and not parts.engine.has_open(request.folder) \
                and not parts.store.has_body(request.folder, request.uid):
            answer = side.answer(parts.engine, request)
            if answer is not None:
                return answer
        return answer_body(parts.engine, request)

    def _answer_previews(self, parts: Parts, *, between_chunks: bool) -> None:
        """Preview lines (issue 14), cosmetic: a failure is logged, never shown. Over the
        side connection between chunks (the main one has the next FETCH in flight) or
        when it is still open on the folder (no SELECT on the main connection, which a
        sync left elsewhere); else over the main connection, except between chunks,
        where they wait. Offline they are dropped: the rows ask again when shown."""
        waiting: deque[FetchPreviews] = deque()
        while self._previews and not self._stopping():
            request = self._previews.popleft()
            side = parts.side
            if side is not None and (between_chunks or side.has_open(request.folder)):
                made = side.previews(parts.engine, request)
                if made is not None:
                    self._previews_made(request, made)
                    continue
            if between_chunks:
                waiting.append(request)
            elif not self._offline():
                try:
                    self._previews_made(request, parts.engine.previews(request.folder,
                                                                       request.uids))
                except KnownError as error:
                    log.info("%s: no preview lines in %s: %s", self.account,
                             request.folder, error.detail or error)
        self._previews.extendleft(reversed(waiting))

    def _previews_made(self, request: FetchPreviews, uids: list[int]) -> None:
        if uids:
            self._emit_out(PreviewsReady(self.account, request.folder, tuple(uids)))


def prepare_side(parts: Parts, open_folder: str | None, syncing: str) -> None:
    """Have the side connection made ready for the next click (issue 18, goal 3): on
    the folder open in the window; without one known, on ``syncing`` if it has none
    open (else it stays where it is: in a folder the user reads, where it saves the
    account's connection a SELECT, ``UserRequests._answer``). Only once the account's connection
    is up: a server that refuses it (a wrong password) is not asked twice."""
    side = parts.side
    if side is None or not parts.engine.connected:
        return
    if open_folder is not None:
        side.prepare(parts.engine, open_folder)
    elif side.open_folder is None:
        side.prepare(parts.engine, syncing)
