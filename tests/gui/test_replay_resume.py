"""Offline changes replay when the server comes back, through the real window: the move
and the star both reach the server, the queue drains, nothing crashes (issue 13 item 1)."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import MailUser
from helpers.mailgen import message
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from qtmail.qt.bridge import EngineClient
from qtmail.qt.models.roles import Role
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow
from qtmail.store import Store

pytestmark = [
    pytest.mark.dovecot,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


class SwitchableProxy:
    """A loopback TCP proxy to Dovecot that can be switched off (every connection cut,
    new ones refused) and on again: the server 'stops' and 'starts'."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self._listener: socket.socket | None = None
        self.port = 0
        self._conns: list[socket.socket] = []
        self._clients: list[socket.socket] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            conns, self._conns = self._conns, []
            clients, self._clients = self._clients, []
        # What Dovecot says to every connection when it shuts down.
        for conn in clients:
            with contextlib.suppress(OSError):
                conn.sendall(b"* BYE Server shutting down.\r\n")
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._conns += [client, upstream]
                self._clients.append(client)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def proxy(mail_user: MailUser) -> Iterator[SwitchableProxy]:
    p = SwitchableProxy((mail_user.host, mail_user.port))
    p.start()
    yield p
    p.stop()


def server_state(user: MailUser) -> tuple[dict[str, set[bytes]], dict[str, int]]:
    imap = user.imap()
    try:
        counts: dict[str, int] = {}
        flags: dict[str, set[bytes]] = {}
        for folder in ("INBOX", "Archive"):
            imap.select_folder(folder, readonly=True)
            uids = imap.search("ALL")
            counts[folder] = len(uids)
            if uids:
                for data in imap.fetch(uids, ["FLAGS", "ENVELOPE"]).values():
                    subject = data[b"ENVELOPE"].subject.decode()
                    flags[subject] = set(data[b"FLAGS"])
        return flags, counts
    finally:
        imap.logout()


RUNS = int(os.environ.get("QTMAIL_REPLAY_RUNS", "20"))
"""CI repeats the scenario 20 times (issue 13); bench/bench_replay_loop.py hundreds."""


@pytest.mark.parametrize("run", range(RUNS))
def test_offline_move_and_star_replay_when_the_server_returns(
        run: int, mail_user: MailUser, proxy: SwitchableProxy, qtbot: QtBot,
        tmp_path: Path) -> None:
    for n in range(3):
        mail_user.save(message(f"Mail {n}"))
    settings = WindowSettings(tmp_path / "qtmail.ini")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    account = account_for(mail_user)
    account = replace(account, imap=replace(account.imap, port=proxy.port, timeout=5))
    cache = tmp_path / "cache.sqlite3"
    client = EngineClient(account, cache, lambda: mail_user.password, window)
    window.add_account(client)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    view = window.message_list
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 3, timeout=15_000)
    qtbot.waitUntil(lambda: window.status.state_text("work") == "Connected", timeout=15_000)

    proxy.stop()
    qtbot.waitUntil(lambda: window.status.state_text("work") != "Connected", timeout=15_000)
    subjects = [view.proxy.index(r, 1).data() for r in range(3)]
    # Star the first, archive the second (both while offline).
    view.setFocus()
    view.setCurrentIndex(view.proxy.index(0, 1))
    starred = subjects[0]
    qtbot.keyClick(view, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: bool(view.proxy.index(0, 0).data(Role.FLAGGED)), timeout=5_000)
    view.setCurrentIndex(view.proxy.index(1, 1))
    archived = view.proxy.index(1, 1).data()
    qtbot.keyClick(view, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 2, timeout=5_000)
    reader = Store.open(cache, readonly=True)
    try:
        assert len(reader.pending(states=("queued",))) >= 2
    finally:
        reader.close()

    proxy.start()

    def drained() -> bool:
        r = Store.open(cache, readonly=True)
        try:
            return not r.pending(states=("queued",))
        finally:
            r.close()

    qtbot.waitUntil(drained, timeout=60_000)
    flags, counts = server_state(mail_user)
    assert counts == {"INBOX": 2, "Archive": 1}
    assert b"\\Flagged" in flags[starred]
    assert archived in flags
    window.close()
    assert not client.running
