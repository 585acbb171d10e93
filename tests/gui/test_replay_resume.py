"""Offline changes replay when the server comes back, through the real window: the move
and the star both reach the server, the queue drains, nothing crashes (issue 13 item 1)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.mailgen import message
from helpers.proxy import SwitchableProxy
from helpers.window import open_window
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from qtmail.qt.models.roles import Role
from qtmail.store import Store

pytestmark = [
    pytest.mark.dovecot,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


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
    window = open_window(mail_user, qtbot, tmp_path, port=proxy.port)
    cache = tmp_path / "cache.sqlite3"
    client = window.client("work")
    assert client is not None
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
