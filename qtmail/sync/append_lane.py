"""The Outbox's Sent copies appended beside the account's worker (issue 18, goal 3).

The Sent copy of a message with a 10 MB attachment is a 14 MB APPEND literal: on the
account's main connection the worker answered nothing while it went out and Dovecot
stored it (70 ms here, far longer on a slow uplink). Such an APPEND (an operation whose
message is in the outgoing spool, qtmail.store.spool) goes over a connection of its own
on a lane (sync/lane.py); the message is read from the spool there.

The queue keeps its order: the replay (sync/replay.py) hands the operation over and
stops at it; when the lane is done, the next replay takes its outcome as if it had run
it itself (done, refused, or a transient failure retried with the usual backoff), and
goes on with the operations behind it.
"""

from __future__ import annotations

from collections.abc import Callable

from qtmail.accounts.settings import AccountSettings
from qtmail.net.sasl import Secret
from qtmail.sync.lane import Lane, Result
from qtmail.sync.side_connection import Connector, SideConnection

CLOSE_WAIT_S = 5.0
"""At close, how long an APPEND in flight and the LOGOUT after it may still take."""

AppendWork = Callable[[SideConnection], None]
"""An operation's remote phase, done over the lane's connection (on the lane's thread)."""


class AppendLane:
    """One APPEND at a time; its outcome waits, keyed by operation id, for the replay."""

    def __init__(self, settings: AccountSettings, password: Callable[[], Secret],
                 connector: Connector) -> None:
        # Used on the lane's thread only: the lane runs one item at a time.
        self._connection = SideConnection(settings, password, connector)
        self._lane = Lane(f"append-{settings.name}")
        self._running: int | None = None
        self._outcomes: dict[int, Result[None]] = {}
        self._used = False

    @property
    def busy(self) -> bool:
        """An APPEND is on its way (its outcome not taken by a replay yet)."""
        return self._running is not None

    @property
    def finished(self) -> bool:
        """An outcome waits for a replay to take it."""
        self._lane.collect()
        return bool(self._outcomes)

    def start(self, op_id: int, work: AppendWork) -> None:
        self._used = True
        self._running = op_id
        self._lane.start(lambda: work(self._connection),
                         lambda result: self._outcomes.__setitem__(op_id, result))

    def outcome(self, op_id: int) -> Result[None] | None:
        """The finished attempt at ``op_id`` (taken: asked once), or None while it runs
        or when none was started."""
        self._lane.collect()
        result = self._outcomes.pop(op_id, None)
        if result is not None and self._running == op_id:
            self._running = None
        return result

    def running(self, op_id: int) -> bool:
        return self._running == op_id

    def close(self) -> None:
        """Log out on the lane's thread, after the APPEND it runs, waiting for that a
        little (CLOSE_WAIT_S). An APPEND still running then is left to end with the
        program: its operation stays queued and is tried again at the next start, as a
        retry, which looks for the message in the folder first."""
        if self._used:
            self._lane.start(self._connection.close, lambda result: None)
        self._lane.close(wait=CLOSE_WAIT_S)
