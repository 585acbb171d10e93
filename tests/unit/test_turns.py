"""The account workers' turn (qtmail.core.turns) and the IMAP reads that give it on
while they wait for the server (qtmail.imap.waiting), with real threads and sockets."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from io import BufferedReader
from types import SimpleNamespace

import pytest

from qtmail.core import turns
from qtmail.imap import waiting

LONG = 10.0
"""A bound no test should reach: a wait that ends earlier ended for its reason."""


class Worker:
    """A thread that runs the steps it is given, in order, each when the test says so."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.results: list[object] = []
        self._todo: list[Callable[[], object] | None] = []
        self._go = threading.Semaphore(0)
        self.done = threading.Semaphore(0)
        self.ident = 0
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()
        until(lambda: self.ident != 0)

    def do(self, step: Callable[[], object]) -> None:
        self._todo.append(step)
        self._go.release()

    def run(self, step: Callable[[], object]) -> object:
        """Run ``step`` and wait for its result."""
        self.do(step)
        return self.wait()

    def wait(self) -> object:
        assert self.done.acquire(timeout=LONG), f"{self.name} did not finish its step"
        return self.results[-1]

    def stop(self) -> None:
        self._todo.append(None)
        self._go.release()
        self._thread.join(LONG)

    def _run(self) -> None:
        turns.enrol()
        self.ident = threading.get_ident()
        while True:
            self._go.acquire()
            step = self._todo.pop(0)
            if step is None:
                turns.leave()
                return
            self.results.append(step())
            self.done.release()


@pytest.fixture
def workers() -> Iterator[Callable[[str], Worker]]:
    made: list[Worker] = []

    def make(name: str) -> Worker:
        worker = Worker(name)
        made.append(worker)
        return worker

    yield make
    for worker in made:
        worker.stop()
    assert turns.take(0.0), "a test left the turn held"
    turns.give()


def queued() -> int:
    return turns._turn.waiting


def until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + LONG
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.001)


def handed_over(giver: Worker, taker: Worker) -> None:
    """``taker``, waiting for the turn, gets it as ``giver`` gives it on (and gives it
    back)."""
    until(lambda: queued() >= 1)
    giver.run(turns.give)
    assert taker.wait() is True
    taker.run(turns.give)


def test_the_turn_goes_to_the_longest_waiting_worker(workers: Callable[[str], Worker]) -> None:
    a, b, c = workers("a"), workers("b"), workers("c")
    assert a.run(turns.take) is True
    b.do(lambda: turns.take(LONG))
    until(lambda: queued() == 1)
    c.do(lambda: turns.take(LONG))
    until(lambda: queued() == 2)
    a.run(turns.give)
    assert b.wait() is True  # b came first
    assert c.done.acquire(timeout=0.05) is False  # c still waits
    b.run(turns.give)
    assert c.wait() is True
    c.run(turns.give)


def test_a_wait_for_the_turn_is_bounded(workers: Callable[[str], Worker]) -> None:
    a, b = workers("a"), workers("b")
    a.run(turns.take)
    b.do(lambda: (turns.take(0.05), turns.holding()))
    assert b.wait() == (False, False)  # b goes on without it
    a.run(turns.give)


def test_a_holder_that_waits_too_long_holds_nobody_up(
        workers: Callable[[str], Worker], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(turns, "STUCK", 0.05)
    a, b = workers("a"), workers("b")
    a.run(turns.take)
    time.sleep(0.06)  # a waits for something no turn knows about (a disk, a send)
    started = time.monotonic()
    b.do(lambda: turns.take(LONG))
    assert b.wait() is False
    assert time.monotonic() - started < LONG / 2
    a.run(turns.give)


def test_hurry_ends_a_wait(workers: Callable[[str], Worker]) -> None:
    a, b = workers("a"), workers("b")
    a.run(turns.take)
    b.do(lambda: turns.take(LONG))
    until(lambda: queued() == 1)
    started = time.monotonic()
    turns.hurry(b.ident)  # the user opened a message of b's account
    assert b.wait() is False
    b.run(turns.heard)
    assert time.monotonic() - started < LONG / 2
    assert queued() == 0
    a.run(turns.give)


def test_a_hurried_worker_waits_no_more_until_it_has_heard(
        workers: Callable[[str], Worker]) -> None:
    """A command sent while the worker reads its socket: it waits for no turn (after
    that read, or the next) until it has taken its commands in."""
    a, b = workers("a"), workers("b")
    a.run(turns.take)
    turns.hurry(b.ident)
    started = time.monotonic()
    assert b.run(lambda: turns.take(LONG)) is False
    assert b.run(lambda: turns.take(LONG)) is False
    assert time.monotonic() - started < LONG / 2
    b.run(turns.heard)  # its commands taken in: it waits again
    b.do(lambda: turns.take(LONG))
    handed_over(a, b)


def test_a_worker_knows_it_was_hurried_until_it_has_heard(
        workers: Callable[[str], Worker]) -> None:
    """What the scheduler looks at while its sync waits for the server: whether to take
    the window's commands in now."""
    a, b = workers("a"), workers("b")
    assert a.run(turns.hurried) is False
    turns.hurry(a.ident)
    assert a.run(turns.hurried) is True
    assert b.run(turns.hurried) is False  # another worker was not
    a.run(turns.heard)
    assert a.run(turns.hurried) is False


def test_a_hurry_names_only_a_running_worker(workers: Callable[[str], Worker]) -> None:
    """A thread's id is reused once it ends: a hurry for a worker that has left, or
    for a thread that is no worker, must not keep a later thread from waiting."""
    a, b = workers("a"), workers("b")
    a.run(turns.take)
    b.run(turns.leave)  # b's worker ends (its thread lives on here)
    turns.hurry(b.ident)
    b.do(lambda: turns.take(LONG))
    handed_over(a, b)  # b waited for the turn as any thread does


def test_away_gives_the_turn_on_and_takes_it_back(workers: Callable[[str], Worker]) -> None:
    a, b = workers("a"), workers("b")
    a.run(turns.take)
    connected = threading.Event()

    def connect() -> bool:
        with turns.away():  # e.g. DNS, TCP and TLS
            connected.wait(LONG)
        return turns.holding()

    a.do(connect)
    b.do(lambda: turns.take(LONG))
    assert b.wait() is True  # while a waited
    connected.set()
    b.run(turns.give)
    assert a.wait() is True  # a holds it again after
    a.run(turns.give)


@pytest.fixture
def connection() -> Iterator[tuple[SimpleNamespace, socket.socket]]:
    """An imaplib-like object reading one end of a socket pair, through take_turns;
    the other end is the server's."""
    ours, theirs = socket.socketpair()
    ours.settimeout(LONG)
    imap = SimpleNamespace(sock=ours, file=ours.makefile("rb"))
    waiting.take_turns(imap)
    yield imap, theirs
    imap.file.close()
    ours.close()
    theirs.close()


def test_a_read_that_waits_for_the_server_gives_the_turn_on(
        workers: Callable[[str], Worker], connection: tuple[SimpleNamespace, socket.socket],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(turns, "STUCK", LONG)  # not the rescue of a stuck holder
    imap, server = connection
    a, b = workers("a"), workers("b")
    a.run(turns.take)
    a.do(lambda: (imap.file.readline(), turns.holding()))  # nothing sent yet
    b.do(lambda: turns.take(LONG))
    assert b.wait() is True  # while a waited for the server
    server.sendall(b"* OK late\r\n")
    assert a.done.acquire(timeout=0.05) is False  # the line is there: a waits for the turn
    b.run(turns.give)
    assert a.wait() == (b"* OK late\r\n", True)
    a.run(turns.give)


def test_a_read_of_bytes_already_there_keeps_the_turn(
        workers: Callable[[str], Worker], connection: tuple[SimpleNamespace, socket.socket],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(turns, "STUCK", LONG)
    imap, server = connection
    server.sendall(b"* 1 FETCH (UID 7)\r\n")
    a, b = workers("a"), workers("b")
    a.run(turns.take)
    b.do(lambda: turns.take(LONG))
    until(lambda: queued() == 1)
    a.do(imap.file.readline)
    assert a.wait() == b"* 1 FETCH (UID 7)\r\n"
    assert queued() == 1  # b still waits: a kept its turn (a FETCH answer streaming in)
    handed_over(a, b)


def test_bytes_read_ahead_before_are_read_first() -> None:
    """take_turns comes after the greeting and CAPABILITY: what the old buffered file
    read ahead (an untagged response may come at any time, RFC 3501 7) is not lost."""
    ours, theirs = socket.socketpair()
    try:
        theirs.sendall(b"* OK [CAPABILITY IMAP4rev1] ready\r\n* OK [ALERT] Mind the gap\r\n")
        file = ours.makefile("rb")
        assert file.readline() == b"* OK [CAPABILITY IMAP4rev1] ready\r\n"  # the rest buffered
        imap = SimpleNamespace(sock=ours, file=file)
        waiting.take_turns(imap)
        assert isinstance(imap.file, BufferedReader) and imap.file is not file
        theirs.sendall(b"A1 OK done\r\n")
        assert imap.file.readline() == b"* OK [ALERT] Mind the gap\r\n"
        assert imap.file.readline() == b"A1 OK done\r\n"
        imap.file.close()
        theirs.sendall(b"* still open\r\n")  # closing the file left the socket open
        assert ours.recv(100) == b"* still open\r\n"
    finally:
        ours.close()
        theirs.close()


def test_a_wait_for_the_server_inside_answering_runs_the_hook_in_slices(
        connection: tuple[SimpleNamespace, socket.socket]) -> None:
    """Issue 18 goal 3: while the account's connection waits for the server (a SELECT
    of a large folder), the scheduler's hook answers the user's requests."""
    imap, server = connection
    calls: list[float] = []

    def hook() -> None:
        calls.append(time.monotonic())
        if len(calls) == 3:
            server.sendall(b"A1 OK late\r\n")

    with waiting.answering(imap, hook):
        assert imap.file.readline() == b"A1 OK late\r\n"
    assert len(calls) == 3
    assert calls[2] - calls[0] >= waiting.ANSWER_EVERY_S  # slices of waiting, no busy loop
    server.sendall(b"* outside\r\n")
    assert imap.file.readline() == b"* outside\r\n"
    assert len(calls) == 3  # the hook is gone with the block


def test_an_answer_streaming_in_runs_the_hook_between_reads(
        connection: tuple[SimpleNamespace, socket.socket],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Dovecot streams a FETCH of 500 uncached messages over 40-60 ms: bytes keep
    arriving, and the hook runs between two reads once its time has come."""
    imap, server = connection
    calls: list[str] = []
    monkeypatch.setattr(waiting, "ANSWER_EVERY_S", 0.0)  # its time has always come
    server.sendall(b"* 1 FETCH (UID 7)\r\n")
    with waiting.answering(imap, lambda: calls.append("ran")):
        assert imap.file.readline() == b"* 1 FETCH (UID 7)\r\n"
    assert calls == ["ran"]
    monkeypatch.setattr(waiting, "ANSWER_EVERY_S", 3600.0)  # it ran a moment ago
    server.sendall(b"* 2 FETCH (UID 8)\r\n")
    with waiting.answering(imap, lambda: calls.append("again")):
        assert imap.file.readline() == b"* 2 FETCH (UID 8)\r\n"
    assert calls == ["ran"]


def test_the_connection_timeout_still_ends_a_wait_inside_answering(
        connection: tuple[SimpleNamespace, socket.socket]) -> None:
    imap, _server = connection
    imap.sock.settimeout(0.05)
    calls: list[int] = []
    started = time.monotonic()
    with waiting.answering(imap, lambda: calls.append(1)), pytest.raises(TimeoutError):
        imap.file.readline()
    assert calls and time.monotonic() - started < LONG


def test_a_hook_that_fails_cuts_the_connection(
        connection: tuple[SimpleNamespace, socket.socket]) -> None:
    """Mid-answer, the rest could no longer be read in step with its command."""
    imap, server = connection

    def hook() -> None:
        raise RuntimeError("a bug in the hook")

    with waiting.answering(imap, hook), pytest.raises(RuntimeError):
        imap.file.readline()
    server.settimeout(LONG)
    assert server.recv(100) == b""  # the server sees the connection end
