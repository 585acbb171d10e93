"""The background queue of an account's scheduler (sync/scheduler.py): jobs in order,
each once, the index catch-up last, and the reconnect backoff that holds them."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator

from qtmail.sync.jobs import IndexCatchUp, Job

RETRY_BACKOFF_S = (2.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0)
"""Reconnect delays after a transient failure: seconds growing to minutes."""


class JobQueue:
    """Background jobs (a folder to sync, the replay of queued changes, a search step,
    ...) and the reconnect backoff after a transient failure."""

    def __init__(self, clock: Callable[[], float], reading_pause: Callable[[], float]
                 ) -> None:
        """``reading_pause``: the seconds the index catch-up still waits because the user
        is reading (INDEX_GRACE)."""
        self._clock = clock
        self._reading_pause = reading_pause
        self._jobs: deque[Job] = deque()
        self._failures = 0
        self._retry_at: float | None = None

    def __len__(self) -> int:
        return len(self._jobs)

    def __iter__(self) -> Iterator[Job]:
        return iter(self._jobs)

    def add(self, job: Job, *, front: bool = False) -> None:
        """Queue ``job`` unless it waits already; ``front``: next, even if it waits."""
        if job in self._jobs:
            if not front:
                return
            self._jobs.remove(job)
        if front:
            self._jobs.appendleft(job)
        else:
            self._jobs.append(job)

    def next_job(self) -> Job | None:
        """The job to run now, taken off the queue; None when only the index catch-up
        waits and the user reads."""
        job = self._jobs.popleft()
        if isinstance(job, IndexCatchUp):
            if self._jobs:
                self._jobs.append(job)  # last in line: anything else goes first
                job = self._jobs.popleft()
            elif self._reading_pause() > 0:
                self._jobs.append(job)  # after the user's pause
                return None
        return job

    @property
    def offline(self) -> bool:
        """Whether a reconnect backoff runs (over or not)."""
        return self._retry_at is not None

    def held(self) -> bool:
        """Whether a reconnect backoff holds the background queue now."""
        if self._retry_at is None:
            return False
        if self._clock() >= self._retry_at:
            self._retry_at = None
            return False
        return True

    def retry_now(self) -> None:
        """The user asked (Get Messages, Retry): skip the rest of a reconnect backoff."""
        if self._retry_at is not None:
            self._retry_at = None
            self._failures = 0

    def retry(self, job: Job, *, progressed: bool) -> float:
        """``job`` failed for a transient reason: it goes first again, after a delay
        (returned, in seconds) that grows with each failure in a row. ``progressed``: a
        chunk was stored during it."""
        if progressed:
            # Cut after some chunks were stored (issue 17: a connection that drops
            # every few thousand messages): each attempt gets further, so retry soon
            # rather than backing off towards minutes.
            self._failures = 0
        delay = RETRY_BACKOFF_S[min(self._failures, len(RETRY_BACKOFF_S) - 1)]
        self._failures += 1
        self.add(job, front=True)
        self._retry_at = self._clock() + delay
        return delay

    def succeeded(self) -> None:
        """A job ended without a failure: the next backoff starts from its shortest delay
        (a failure that is not transient leaves the count as it is)."""
        self._failures = 0

    def wait(self) -> float | None:
        """Seconds until the front job may run (0: at once); None when none waits."""
        if not self._jobs:
            return None
        if self._retry_at is not None:
            return max(0.0, self._retry_at - self._clock())
        if self._jobs[0] == IndexCatchUp() and len(self._jobs) == 1:
            return self._reading_pause()
        return 0.0
