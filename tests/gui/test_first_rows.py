"""What waits for the first rows (issue 18): the start-up collection runs once a message
list has painted rows, not while a new profile's worker is on its way to them; a list
that gets no rows (an empty Inbox, no server) still lets it run."""

from __future__ import annotations

from pathlib import Path

from helpers.paints import PaintCounter
from helpers.window import POPUPS_SHOWN
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from qtmail.accounts.credentials import CredentialStore
from qtmail.app import after_first_rows, build
from qtmail.profile import Profile
from qtmail.qt.first_rows import FirstRowsWatch


def test_the_watch_waits_for_a_paint_with_rows(qtbot: QtBot) -> None:
    model = QStandardItemModel(0, 2)
    view = QTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    paints = PaintCounter()
    view.viewport().installEventFilter(paints)
    watch = FirstRowsWatch([view])
    told: list[int] = []
    watch.painted.connect(lambda: told.append(paints.paints))
    view.show()
    qtbot.waitUntil(lambda: paints.paints >= 1)
    qtbot.wait(50)
    assert told == [], "an empty list counted as the first rows"
    with qtbot.waitSignal(watch.painted):
        model.appendRow([QStandardItem("Hello"), QStandardItem("there")])
    assert told and told[0] > 1
    view.viewport().update()  # later paints do not tell again
    painted_before = paints.paints
    qtbot.waitUntil(lambda: paints.paints > painted_before)
    qtbot.wait(50)
    assert len(told) == 1


@POPUPS_SHOWN
def test_no_rows_at_all_still_calls_once(qtbot: QtBot, tmp_path: Path) -> None:
    gui = build(Profile.at(tmp_path).ensure(), CredentialStore())
    qtbot.addWidget(gui.window)
    called: list[bool] = []
    after_first_rows(gui.window, lambda: called.append(True), wait_ms=100)
    gui.window.show()
    qtbot.waitUntil(lambda: bool(called))
    qtbot.wait(50)
    assert called == [True]
    gui.window.shutdown()
