"""Triage walks the right way (issue 13 item 2): after Delete, Archive or Move the next
row in the list's order (older, newest first) is selected AND highlighted, no other
message opens or is marked read on its own, and keys act only on highlighted rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.mailgen import message
from helpers.window import highlighted_subjects as highlighted
from helpers.window import list_subjects as subjects
from helpers.window import open_window
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from pytestqt.qtbot import QtBot

from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow

pytestmark = [
    pytest.mark.dovecot,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def window(mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    for n in range(5):  # "Mail 4" is the newest: the list shows 4, 3, 2, 1, 0
        mail_user.save(message(f"Mail {n}", date=dt.datetime(2024, 1, 1, 10, n, tzinfo=dt.UTC)))
    shown = open_window(mail_user, qtbot, tmp_path, mark_read_ms=0)
    qtbot.waitUntil(lambda: shown.message_list.proxy.rowCount() == 5, timeout=15_000)
    qtbot.waitUntil(lambda: shown.status.state_text("work") == "Connected", timeout=15_000)
    yield shown
    shown.close()


def unseen_on_server(user: MailUser) -> set[str]:
    return _subjects(user, ["UNSEEN"])


def flagged_on_server(user: MailUser) -> set[str]:
    return _subjects(user, ["FLAGGED"])


def subjects_on_server(user: MailUser) -> set[str]:
    return _subjects(user, ["ALL"])


def _subjects(user: MailUser, criteria: list[str]) -> set[str]:
    imap = user.imap()
    try:
        imap.select_folder("INBOX", readonly=True)
        uids = imap.search(criteria)
        return {data[b"ENVELOPE"].subject.decode()
                for data in imap.fetch(uids, ["ENVELOPE"]).values()} if uids else set()
    finally:
        imap.logout()


def click(qtbot: QtBot, window: MainWindow, row: int) -> None:
    view = window.message_list
    rect = view.visualRect(view.proxy.index(row, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_delete_highlights_the_older_neighbour_and_opens_nothing_else(
        window: MainWindow, mail_user: MailUser, qtbot: QtBot) -> None:
    assert subjects(window) == ["Mail 4", "Mail 3", "Mail 2", "Mail 1", "Mail 0"]
    click(qtbot, window, 1)  # Mail 3
    qtbot.waitUntil(lambda: "Mail 3" not in unseen_on_server(mail_user), timeout=10_000)
    view = window.message_list
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: "Mail 3" not in subjects(window), timeout=5_000)
    # The next row in the list's order, older: Mail 2, selected and highlighted.
    qtbot.waitUntil(lambda: highlighted(window) == ["Mail 2"], timeout=5_000)
    assert view.currentIndex().siblingAtColumn(1).data() == "Mail 2"
    # The newer neighbour above was never opened: still unread on the server.
    qtbot.waitUntil(lambda: "Mail 2" not in unseen_on_server(mail_user), timeout=10_000)
    assert "Mail 4" in unseen_on_server(mail_user)
    # A second Delete deletes what is highlighted (Mail 2), nothing unseen.
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: subjects(window) == ["Mail 4", "Mail 1", "Mail 0"], timeout=5_000)
    qtbot.waitUntil(lambda: highlighted(window) == ["Mail 1"], timeout=5_000)


def test_archive_of_the_last_row_highlights_the_one_above(
        window: MainWindow, qtbot: QtBot) -> None:
    click(qtbot, window, 4)  # Mail 0, the oldest: nothing follows it
    view = window.message_list
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: "Mail 0" not in subjects(window), timeout=5_000)
    qtbot.waitUntil(lambda: highlighted(window) == ["Mail 1"], timeout=5_000)


def test_home_and_end_highlight_the_first_and_the_last_message(
        window: MainWindow, qtbot: QtBot) -> None:
    """Seen in the demo: End did nothing visible (a table's End goes to the row's last
    cell), Ctrl+End moved to the last row without highlighting it."""
    click(qtbot, window, 2)
    view = window.message_list
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert highlighted(window) == ["Mail 0"]
    assert window.reading.current is not None and window.reading.current == view.followed
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert highlighted(window) == ["Mail 4"]
    assert view.currentIndex().column() == 1  # where the click was: the focus stays put
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)
    assert len(highlighted(window)) == 5  # Shift+End extends, as everywhere


def test_keys_act_on_highlighted_rows_only(window: MainWindow, mail_user: MailUser,
                                          qtbot: QtBot) -> None:
    view = window.message_list
    click(qtbot, window, 2)  # Mail 2 current and highlighted
    # Ctrl+click takes it out of the selection: still the current row, not highlighted.
    view.selectionModel().select(
        view.proxy.index(2, 0),
        QItemSelectionModel.SelectionFlag.Deselect | QItemSelectionModel.SelectionFlag.Rows)
    assert view.currentIndex() != QModelIndex() and highlighted(window) == []
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    # Then star Mail 0: the worker applies commands in order, so once that star is on
    # the server a wrong delete would have been applied before it.
    click(qtbot, window, 4)
    qtbot.keyClick(view, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: "Mail 0" in flagged_on_server(mail_user), timeout=10_000)
    assert "Mail 2" in subjects(window)
    assert "Mail 2" in subjects_on_server(mail_user)


def test_a_current_row_nobody_highlighted_opens_nothing(window: MainWindow, mail_user: MailUser,
                                                      qtbot: QtBot) -> None:
    """Seen under Xvfb: with no row chosen, the list taking the keyboard focus (after a
    menu closed) made the first row current, and the reading pane opened it, to be
    marked read (mark-read delay 0 here) though no row was highlighted."""
    view = window.message_list
    view.clearSelection()
    view.selectionModel().setCurrentIndex(  # as Qt's focus makes it: current, not chosen
        view.proxy.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
    assert view.currentIndex().isValid() and highlighted(window) == []
    assert window.reading.current is None  # nothing asked of the server, nothing shown
    click(qtbot, window, 1)  # a click still opens what it highlights
    assert window.reading.current is not None
    qtbot.waitUntil(lambda: "Mail 3" not in unseen_on_server(mail_user), timeout=10_000)
    assert "Mail 4" in unseen_on_server(mail_user)


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints",
                           r"This plugin does not support raise\(\)")  # the window
def test_the_list_alone_opens_nothing_and_enter_opens_a_window(
        window: MainWindow, mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> None:
    """View > Reading Pane off (issue 14's "list only"): a highlighted row is not
    shown, so not marked read (delay 0 here); Enter opens it in a window; the pane
    back shows the highlighted message."""
    window.action_set.reading_pane.trigger()
    assert not window.message_view.isVisible()
    click(qtbot, window, 0)
    assert highlighted(window) == ["Mail 4"] and window.reading.current is None
    view = window.message_list
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(window.windows.windows), timeout=10_000)
    assert window.windows.windows[0].windowTitle().startswith("Mail 4")
    window.windows.windows[0].close()
    assert not WindowSettings(tmp_path / "qtmail.ini").reading_pane()
    window.action_set.reading_pane.trigger()
    assert window.message_view.isVisible()
    assert window.reading.current is not None and window.reading.current.uid == 5
