"""The user chooses and orders the message list's columns (issue 14): the header's
menu shows and hides them, a section dragged with the mouse moves, the choice survives
a restart, Sent shows the recipients, and the new columns read right."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.mailgen import message
from helpers.window import POPUPS_SHOWN, open_window
from PySide6.QtCore import QLocale, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionViewItem,
    QWidget,
)
from pytestqt.qtbot import QtBot

from qtmail.qt.models.columns import DEFAULT_HIDDEN, Column, short_date_text
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets import message_list
from qtmail.qt.widgets.main_window import MainWindow

pytestmark = [
    pytest.mark.dovecot,
    POPUPS_SHOWN,
]


@pytest.fixture
def window(mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    mail_user.save(message("Plans", to="Carol <carol@example.org>", attachment=b"x" * 10))
    made = open_window(mail_user, qtbot, tmp_path)
    made.resize(1200, 700)
    qtbot.waitUntil(lambda: made.message_list.proxy.rowCount() == 1, timeout=15_000)
    yield made
    made.close()


def choose(window: MainWindow, qtbot: QtBot, title: str) -> None:
    """Right-click the header, click ``title`` in its menu."""
    view = window.message_list
    header = view.horizontalHeader()
    point = QPoint(header.sectionViewportPosition(Column.SUBJECT) + 20, 5)
    qtbot.mousePress(header.viewport(), Qt.MouseButton.RightButton, pos=point)
    QApplication.sendEvent(header.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, header.viewport().mapToGlobal(point)))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.RightButton, pos=point)
    menu = view.column_menu
    qtbot.waitUntil(menu.isVisible)
    action = next(a for a in menu.actions() if a.text() == title)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not menu.isVisible())


def test_columns_are_chosen_from_the_header_menu_and_dragged_into_place(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    view = window.message_list
    header = view.horizontalHeader()
    assert all(view.isColumnHidden(c) for c in DEFAULT_HIDDEN)
    choose(window, qtbot, "Recipients")
    choose(window, qtbot, "Attachments")
    assert not view.isColumnHidden(Column.TO) and not view.isColumnHidden(Column.ATTACHMENTS)
    assert header.sectionSize(Column.SUBJECT) >= 200  # the others made room for it
    assert view.proxy.index(0, Column.TO).data() == "Carol"  # as the From column names
    assert view.proxy.index(0, Column.ATTACHMENTS).data() == "Attachment"
    # Drag the Recipients section to the front with the mouse.
    start = QPoint(header.sectionViewportPosition(Column.TO) + 10, 5)
    end = QPoint(header.sectionViewportPosition(Column.SENDER) + 2, 5)
    QTest.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 11):
        QTest.mouseMove(header.viewport(), start + (end - start) * step / 10)
    QTest.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=end)
    qtbot.waitUntil(lambda: header.visualIndex(Column.TO) == 0, timeout=2_000)
    choose(window, qtbot, "Size")  # hidden now
    assert view.isColumnHidden(Column.SIZE)

    window.save_state()
    again = MainWindow(WindowSettings(tmp_path / "qtmail.ini"))
    qtbot.addWidget(again)
    restored = again.message_list
    assert restored.horizontalHeader().visualIndex(Column.TO) == 0
    assert not restored.isColumnHidden(Column.TO) and restored.isColumnHidden(Column.SIZE)
    again.close()


def test_restore_default_columns(window: MainWindow, qtbot: QtBot) -> None:
    view = window.message_list
    choose(window, qtbot, "Flags")
    assert not view.isColumnHidden(Column.FLAGS)
    choose(window, qtbot, "Restore Default Columns")
    assert view.isColumnHidden(Column.FLAGS) and not view.isColumnHidden(Column.SIZE)


def test_a_header_saved_before_the_new_columns_keeps_them_hidden(
        window: MainWindow, tmp_path: Path, qtbot: QtBot) -> None:
    # A settings file from a version with four columns: From, Subject, Date, Size.
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QHeaderView
    old = QHeaderView(Qt.Orientation.Horizontal)
    old.setModel(QStandardItemModel(1, 4))
    old.resizeSection(0, 222)
    settings = WindowSettings(tmp_path / "old.ini")
    settings.set_header(old.saveState())
    made = MainWindow(settings)
    qtbot.addWidget(made)
    view = made.message_list
    assert all(view.isColumnHidden(c) for c in DEFAULT_HIDDEN)
    assert not any(view.isColumnHidden(c) for c in (Column.SENDER, Column.SUBJECT,
                                                    Column.DATE, Column.SIZE))
    made.close()


class PaintedText(QProxyStyle):
    """Records the text of every list cell the view draws."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def drawControl(self, element: QStyle.ControlElement, option: QStyleOption,
                    painter: QPainter, widget: QWidget | None = None) -> None:
        if element == QStyle.ControlElement.CE_ItemViewItem \
                and isinstance(option, QStyleOptionViewItem):
            self.texts.append(option.text)
        super().drawControl(element, option, painter, widget)


def test_sent_shows_and_sorts_by_who_the_mail_went_to(
        window: MainWindow, mail_user: MailUser, qtbot: QtBot) -> None:
    for to in ("Zoe <zoe@example.org>", "Adam <adam@example.org>"):
        mail_user.save(message("Report", sender=f"Me <{mail_user.name}@example.org>", to=to),
                       folder="Sent")
    window.show_folder("work", "Sent")
    view = window.message_list
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 2, timeout=15_000)
    assert view.model().headerData(Column.SENDER, Qt.Orientation.Horizontal) == "To"
    style = PaintedText()
    view.setStyle(style)
    view.viewport().repaint()
    assert {"Zoe", "Adam"} <= set(style.texts) and "Me" not in style.texts
    view.sortByColumn(Column.SENDER, Qt.SortOrder.AscendingOrder)
    assert [view.proxy.index(r, Column.SENDER).data() for r in range(2)] == ["Adam", "Zoe"]


def test_the_lists_date_texts_are_kept_until_midnight(monkeypatch: pytest.MonkeyPatch) -> None:
    """The delegate keeps each date's text (a handful of Qt calls, each a wait for the
    GIL during a sync) and makes them again once the local day has changed: "10:00"
    becomes "Tue 10:00" the next day."""
    made: list[int] = []

    def counted(epoch: int, locale: QLocale, now: object = None) -> str:
        made.append(epoch)
        return short_date_text(epoch, locale)

    monkeypatch.setattr(message_list, "short_date_text", counted)
    evening = datetime.datetime(2026, 12, 6, 23, 0).timestamp()
    clock = [evening]
    texts = message_list._CellTexts(clock=lambda: clock[0])
    epochs = [int(evening) - 3600 * n for n in range(3)]
    first = [texts.date(e) for e in epochs]
    assert [texts.date(e) for e in epochs] == first == [
        short_date_text(e, QLocale()) for e in epochs]
    assert made == epochs  # once each
    clock[0] = evening + 2 * 3600  # past midnight
    texts.date(epochs[0])
    assert made == [*epochs, epochs[0]]
