"""Server storage is visible without opening Settings (issue 13): the status bar shows
each account's share of its quota, in the warning colour from 90 %."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.mailgen import message
from helpers.window import open_window
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from qtmail.core.events import QuotaChanged
from qtmail.core.types import Quota
from qtmail.qt.widgets.status_bar import AccountStatusBar

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def quota_label(bar: AccountStatusBar, account: str) -> QLabel:
    label = bar.findChild(QLabel, f"quota-{account}")
    assert label is not None
    return label


@pytest.mark.dovecot
def test_the_window_shows_the_servers_quota(mail_user: MailUser, qtbot: QtBot,
                                            tmp_path: Path) -> None:
    mail_user.save(message("Hello"))
    window = open_window(mail_user, qtbot, tmp_path)
    label = quota_label(window.status, "work")
    # The test Dovecot gives every user 100 MB (tests/helpers/dovecot.py).
    qtbot.waitUntil(label.isVisible, timeout=15_000)
    assert label.text() == "Storage 0%"
    assert "of 100 MB used on the server" in label.toolTip()
    assert not label.property("warning")
    window.close()


def test_nearly_full_storage_is_shown_as_a_warning(qtbot: QtBot) -> None:
    bar = AccountStatusBar()
    qtbot.addWidget(bar)
    bar.add_account("work")
    bar.show()
    label = quota_label(bar, "work")
    bar.apply(QuotaChanged("work", Quota(used=950 * 2**20, limit=1000 * 2**20)))
    assert label.isVisible() and label.text() == "Storage 95%"
    assert label.property("warning")
    assert "new mail may be refused" in label.toolTip()
    bar.apply(QuotaChanged("work", Quota(used=10 * 2**20, limit=1000 * 2**20)))
    assert label.text() == "Storage 1%" and not label.property("warning")
    bar.apply(QuotaChanged("work", None))
    assert not label.isVisible()
