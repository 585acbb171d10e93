"""How long the account's worker keeps the user waiting while it does long jobs (issue 18,
goal 3: never more than 50 ms). Not a test: it prints figures.

    .venv/bin/python bench/bench_worker.py [--messages 20000]

The account's scheduler runs as the window's worker runs it (the same Parts: side
connection for bodies between sync chunks, the Outbox's and the server search's lanes),
on a private Dovecot and a local aiosmtpd (a process of its own, as a real outgoing
server is: in this one, its Python reading a 14 MB DATA line by line took turns at
Python's lock with the worker, a cost no user's server puts on qtmail). A second thread
plays the user: every 100 ms
it asks for the body of a message not cached yet, as a click in the list does, and the
time from the request to its answer is recorded. Meanwhile the worker does, one after the other:

- the first sync of ``--messages`` in INBOX;
- sending a message with a 10 MB attachment (build, SMTP, the Sent copy's APPEND);
- sending to an outgoing server that never answers (a 4 s connection timeout here);
- the search index catching up on every header;
- a search on the server (``TEXT``) over the folder.

Each phase prints the longest and the median wait of the requests made during it, and
the raw ``UID FETCH n BODY.PEEK[]`` round trip for scale.
"""

from __future__ import annotations

import argparse
import contextlib
import queue
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

from qtmail.accounts.settings import AccountSettings, Security, ServerSettings
from qtmail.core import turns
from qtmail.core.commands import Command, FetchBody, SearchServer, SendMail, SyncAll
from qtmail.core.events import BodyFailed, BodyReady, Event, SearchDone
from qtmail.core.outgoing import Attachment, Draft
from qtmail.core.types import Address
from qtmail.store import Store
from qtmail.sync.append_lane import AppendLane
from qtmail.sync.engine import AccountEngine, connect_session
from qtmail.sync.jobs import INDEX_GRACE, IndexCatchUp
from qtmail.sync.outgoing_work import OutgoingWork
from qtmail.sync.scheduler import RETRY_BACKOFF_S, AccountScheduler, Parts
from qtmail.sync.search_lane import SearchLane
from qtmail.sync.side_bodies import SideBodies

CLICK_EVERY_S = 0.1
"""A user going down the list with the arrow key, ten messages a second."""


def smtp_sink(port: int) -> subprocess.Popen[bytes]:
    """aiosmtpd taking every message and keeping none, in a process of its own."""
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Sink"], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise
            time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Worker:
    """The scheduler, driven like qt/worker.py: commands are taken between steps and
    between two chunks of a sync (the scheduler's ``pause``), and while the sync waits
    for the server once a command has hurried the worker (qtmail.core.turns, as the
    window's bridge does with each command). Made and run on the same thread."""

    def __init__(self, settings: AccountSettings, cache: Path, password: str) -> None:
        turns.enrol()
        self.thread = threading.get_ident()
        self.inbox: queue.Queue[Command] = queue.Queue()
        self.answered: dict[int, float] = {}
        self.searches_done = 0
        self.longest_step = 0.0
        self.scheduler = AccountScheduler(settings.name, self._event, pause=self.take)
        self.store = Store.open(cache)
        self.engine = AccountEngine(settings, self.store, lambda: password,
                                    self.scheduler.engine_event)
        self.outgoing = OutgoingWork(self.engine, lambda: password,
                                     self.scheduler.engine_event,
                                     tuple(int(s * 1000) for s in RETRY_BACKOFF_S))
        self.scheduler.attach(Parts(self.engine, self.store,
                                    SideBodies(settings, lambda: password, connect_session),
                                    outgoing=self.outgoing,
                                    searcher=SearchLane(settings, lambda: password,
                                                        connect_session),
                                    appends=AppendLane(settings, lambda: password,
                                                       connect_session)))

    def _event(self, event: Event) -> None:
        if isinstance(event, BodyReady | BodyFailed):
            self.answered[event.request_id] = time.perf_counter()
        elif isinstance(event, SearchDone):
            self.searches_done += 1

    def idle(self) -> bool:
        """Nothing but the index catch-up waits (it waits while the user reads)."""
        return all(job == IndexCatchUp() for job in self.scheduler._background)

    def take(self) -> None:
        turns.heard()
        while True:
            try:
                command = self.inbox.get_nowait()
            except queue.Empty:
                return
            self.scheduler.submit(command)

    def run_until(self, done: Callable[[], bool], limit_s: float = 600.0) -> None:
        deadline = time.monotonic() + limit_s
        while not done():
            if time.monotonic() > deadline:
                raise TimeoutError("the worker never got there")
            self.take()
            started = time.perf_counter()
            wait = self.scheduler.step()
            self.longest_step = max(self.longest_step, time.perf_counter() - started)
            self.take()
            if wait is None or wait > 0:
                time.sleep(0.001 if wait is None else min(wait, 0.001))


class User(threading.Thread):
    """Asks for an uncached body every CLICK_EVERY_S; records when each was asked."""

    def __init__(self, worker: Worker, uids: list[int]) -> None:
        super().__init__(daemon=True)
        self.worker = worker
        self.uids = uids
        self.asked: dict[int, float] = {}
        self.stop = threading.Event()
        self.request_id = 0
        self.every_s = CLICK_EVERY_S

    def run(self) -> None:
        rng = random.Random(3)
        while not self.stop.wait(self.every_s):
            self.request_id += 1
            uid = rng.choice(self.uids)
            self.asked[self.request_id] = time.perf_counter()
            self.worker.inbox.put(FetchBody("INBOX", uid, request_id=self.request_id))
            turns.hurry(self.worker.thread)

    def waits_since(self, first_id: int) -> list[float]:
        answered = self.worker.answered
        return [answered[i] - self.asked[i] for i in list(self.asked)
                if i > first_id and i in answered]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=20_000)
    args = parser.parse_args()

    with common.dovecot() as server, tempfile.TemporaryDirectory() as tmp, \
            contextlib.ExitStack() as stack:
        user = server.new_user()
        common.populate(server, user, args.messages)
        sock = common.raw_connection(user)
        trips = []
        for uid in (1, args.messages // 2, args.messages):
            started = time.perf_counter()
            common._command(sock, b"B1", b"UID FETCH %d (BODY.PEEK[])" % uid)
            trips.append(time.perf_counter() - started)
        sock.close()
        print(f"raw body round trip: {statistics.median(trips) * 1000:.1f} ms")

        smtp_port = free_port()
        controller = smtp_sink(smtp_port)
        stack.callback(controller.wait, 10)
        stack.callback(controller.terminate)  # also when a phase fails
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)

        settings = AccountSettings(
            name="bench", email=f"{user.name}@example.org",
            imap=ServerSettings(host=user.host, port=user.port, security=Security.NONE,
                                username=user.name, timeout=60),
            smtp=ServerSettings(host="127.0.0.1", port=smtp_port, security=Security.NONE,
                                timeout=4))
        worker = Worker(settings, Path(tmp) / "cache.sqlite3", user.password)
        clicker = User(worker, list(range(1, args.messages + 1)))
        rows: list[tuple[str, list[float]]] = []

        def phase(name: str, start: Callable[[], None], done: Callable[[], bool]) -> None:
            first = clicker.request_id
            worker.longest_step = 0.0
            started = time.perf_counter()
            start()
            worker.take()  # the phase's command is in before its end is looked for
            worker.run_until(done)
            # The requests still unanswered at the end wait for the next phase's turns.
            worker.run_until(lambda: all(i in worker.answered for i in list(clicker.asked)))
            waits = clicker.waits_since(first)
            rows.append((name, waits))
            print(f"{name:44s} {time.perf_counter() - started:6.2f} s, {len(waits):4d} clicks:"
                  f" longest wait {max(waits, default=0) * 1000:6.0f} ms,"
                  f" median {statistics.median(waits or [0]) * 1000:5.1f} ms;"
                  f" longest worker step {worker.longest_step * 1000:6.0f} ms", flush=True)

        clicker.start()
        synced = worker.store.message_count
        phase(f"first sync of {args.messages:,} messages",
              lambda: worker.inbox.put(SyncAll()),
              lambda: synced("INBOX") >= args.messages and worker.idle())

        def send(draft: Draft) -> Callable[[], None]:
            return lambda: worker.inbox.put(SendMail(draft))

        me = Address("", f"{user.name}@example.org")
        big = Draft(from_address=me, to=(Address("", "john@example.org"),),
                    subject="Scans", body_text="Attached.\n",
                    attachments=(Attachment("scan.pdf", "application/pdf",
                                            random.randbytes(10 * 1024 * 1024)),))
        # The phases' ends are looked for between two steps, on the worker's thread: with
        # the listing (not the messages), or the looking would be measured as waits.
        phase("send with a 10 MB attachment (+ Sent copy)", send(big),
              lambda: not worker.store.outgoing_listing() and not worker.store.pending()
              and not worker.outgoing.seconds_until_due() and worker.idle())

        worker.engine.settings = replace(settings, smtp=replace(
            settings.smtp, port=silent.getsockname()[1]))  # type: ignore[arg-type]
        phase("send to a server that never answers (4 s)",
              send(replace(big, attachments=(), subject="Hello")),
              lambda: bool(worker.store.outgoing_listing())
              and all(r.problem for r in worker.store.outgoing_listing()))

        # The index waits while the user reads (INDEX_GRACE): clicks come slower here,
        # each one meeting an index turn in progress.
        clicker.every_s = INDEX_GRACE + 0.1
        phase("index catch-up of every header", lambda: None,
              lambda: worker.store.unindexed_count() == 0)
        clicker.every_s = CLICK_EVERY_S

        phase("search on the server (TEXT)",
              lambda: worker.inbox.put(SearchServer(1, "quarterly", ("INBOX",))),
              lambda: worker.searches_done >= 1)

        clicker.stop.set()
        worker.scheduler.close()
        silent.close()
        longest = max((max(w, default=0) for _, w in rows), default=0)
        print(f"\nlongest wait for a body over all phases: {longest * 1000:.0f} ms"
              " (goal: under 50 ms)")


if __name__ == "__main__":
    main()
