"""Help > About opens the About dialog: qtmail's version, copyable for a bug report."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QPushButton
from pytestqt.qtbot import QtBot

from qtmail import __version__
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_help_about_shows_the_version_and_copies_it(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(WindowSettings(tmp_path / "qtmail.ini"))
    qtbot.addWidget(window)
    window.show()
    titles = [action.text().replace("&", "") for action in window.menuBar().actions()]
    assert titles[-1] == "Help"
    help_menu = window.menuBar().actions()[-1].menu()
    about = next(a for a in help_menu.actions() if a.text().replace("&", "") == "About qtmail")
    about.trigger()

    def dialog() -> QDialog | None:
        found = window.findChild(QDialog, "about_dialog")
        return found if found is not None and found.isVisible() else None

    qtbot.waitUntil(lambda: dialog() is not None, timeout=5_000)
    shown = dialog()
    assert shown is not None
    assert __version__ in shown.versions.text()  # type: ignore[attr-defined]
    copy = next(b for b in shown.findChildren(QPushButton) if "Copy" in b.text())
    copy.click()
    assert f"qtmail: {__version__}" in QGuiApplication.clipboard().text()
    shown.close()
    qtbot.waitUntil(lambda: dialog() is None, timeout=5_000)
