"""The status bar's sync figures never widen the window (issue 18): with five accounts
syncing, each longer figure raised the window's minimum width, so the window grew, and
every step laid out and repainted all of it (20-30 ms each)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from qtmail.core.errors import ServiceStatus
from qtmail.core.events import StatusChanged, SyncProgress
from qtmail.qt.widgets.status_bar import AccountStatusBar, StateLabel

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

ACCOUNTS = [f"account{n}" for n in range(1, 6)]


def test_sync_figures_do_not_widen_the_window_and_elide_when_narrow(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(QWidget())
    bar = AccountStatusBar()
    window.setStatusBar(bar)
    for account in ACCOUNTS:
        bar.add_account(account)
        bar.apply(StatusChanged(account, ServiceStatus.SYNCING))
        bar.apply(SyncProgress(account, "INBOX", 200, 100_000))
    window.resize(600, 400)
    window.show()
    qtbot.waitExposed(window)
    for done in (2_200, 22_200, 99_999):
        for account in ACCOUNTS:
            bar.apply(SyncProgress(account, "INBOX", done, 100_000))
        window.layout().activate()
        assert window.minimumSizeHint().width() <= 600
        assert window.width() == 600
    figures = f"{QLocale().toString(99_999)}/{QLocale().toString(100_000)}"
    assert bar.state_text("account1") == f"account1: Syncing INBOX {figures}"
    labels = bar.findChildren(StateLabel)
    assert len(labels) == len(ACCOUNTS)
    squeezed = [label for label in labels if label.width() < label.sizeHint().width()]
    assert squeezed  # five figures do not fit in 600 pixels: elided, not clipped
    assert squeezed[0].text().endswith(squeezed[0].toolTip())  # the whole state on hover
    assert not squeezed[0].grab().isNull()
