"""The folder tree looks the same on every server (issue 16): a "." hierarchy separator
with the user's folders under "INBOX." (Courier, Cyrus, many hosts; a Dovecot variant
set up that way here), everything unsubscribed, against a "/" server with folders at
the root. New folders typed with "/" land where that server wants them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.dovecot import DovecotServer, MailUser
from helpers.window import open_window
from PySide6.QtCore import QModelIndex
from pytestqt.qtbot import QtBot

from qtmail.qt.models.folders import FolderTreeModel
from qtmail.qt.widgets.main_window import MainWindow

pytestmark = [pytest.mark.dovecot,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def tree(model: FolderTreeModel, parent: QModelIndex) -> list[tuple[str, list]]:
    return [(str(model.index(row, 0, parent).data()),
             tree(model, model.index(row, 0, parent)))
            for row in range(model.rowCount(parent))]


def account_tree(window: MainWindow) -> list[tuple[str, list]]:
    model = window.folder_view.model()
    assert isinstance(model, FolderTreeModel)
    return tree(model, model.account_index("work"))


def shows(window: MainWindow, label: str) -> Callable[[], bool]:
    return lambda: label in str(account_tree(window))


def test_a_dot_server_with_an_inbox_namespace_looks_like_a_slash_server(
        qtbot: QtBot, tmp_path: Path, mail_user: MailUser,
        dovecot_servers: Callable[[str], DovecotServer]) -> None:
    dotted = dovecot_servers("dot-namespace").new_user()
    with dotted.imap() as client:
        assert client.namespace().personal[0][0] == "INBOX."
        for name in ("INBOX.Work", "INBOX.Work.Projects"):
            client.create_folder(name)
        for name in [f[2] for f in client.list_folders()]:
            client.unsubscribe_folder(name)  # a server that shows all unsubscribed
    with mail_user.imap() as client:
        for name in ("Work", "Work/Projects"):
            client.create_folder(name)

    for home in ("slash", "dot"):
        (tmp_path / home).mkdir()
    slash = open_window(mail_user, qtbot, tmp_path / "slash")
    qtbot.waitUntil(shows(slash, "Projects"), timeout=15_000)
    dot = open_window(dotted, qtbot, tmp_path / "dot")
    qtbot.waitUntil(shows(dot, "Projects"), timeout=15_000)
    assert account_tree(dot) == account_tree(slash)
    assert ("Work", [("Projects", [])]) in account_tree(dot)

    # A new folder typed as everywhere in qtmail: "Work/Notes".
    dot.folder_view.select_folder("work", "INBOX.Work")
    qtbot.waitUntil(lambda: dot.messages.location() == ("work", "INBOX.Work"), timeout=5_000)
    asked: list[str] = []

    def ask(title: str, label: str, text: str) -> str:
        asked.append(text)
        return "Work/Notes"

    dot.commands.ask_text = ask  # type: ignore[method-assign]
    dot.commands.new_folder()
    assert asked == ["Work/"]  # the hint as the tree shows it
    qtbot.waitUntil(shows(dot, "Notes"), timeout=15_000)
    with dotted.imap() as client:
        qtbot.waitUntil(lambda: "INBOX.Work.Notes" in [f[2] for f in client.list_folders()],
                        timeout=15_000)
    assert ("Work", [("Notes", []), ("Projects", [])]) in account_tree(dot)
    dot.shutdown()
    slash.shutdown()
