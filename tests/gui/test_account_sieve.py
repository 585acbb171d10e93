"""The account dialog's ManageSieve row (issue 15): empty is the IMAP host on port 4190
with STARTTLS; a typed host or port overrides it and is kept."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from qtmail.accounts.credentials import CredentialStore
from qtmail.accounts.settings import Security
from qtmail.qt.widgets.account_dialog import AccountDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def dialog_for(qtbot: QtBot) -> AccountDialog:
    dialog = AccountDialog(CredentialStore())
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy)
    dialog.show()
    qtbot.keyClicks(dialog.address_edit, "me@example.org")
    qtbot.keyClicks(dialog.name_edit, "work")
    dialog.imap_box.host_edit.clear()
    qtbot.keyClicks(dialog.imap_box.host_edit, "imap.example.org")
    return dialog


def test_empty_row_means_the_imap_host_on_4190(qtbot: QtBot) -> None:
    dialog = dialog_for(qtbot)
    account = dialog.build_settings()
    assert account.sieve is None
    sieve = account.sieve_server
    assert (sieve.host, sieve.port, sieve.security) == ("imap.example.org", 4190,
                                                        Security.STARTTLS)


def test_typed_host_and_port_override_and_survive_a_reopen(qtbot: QtBot) -> None:
    dialog = dialog_for(qtbot)
    row = dialog.sieve_row
    qtbot.keyClicks(row.host_edit, "sieve.example.org")
    row.port_spin.setFocus()
    qtbot.keyClick(row.port_spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(row.port_spin, "2000")
    account = dialog.build_settings()
    assert account.sieve is not None
    assert (account.sieve_server.host, account.sieve_server.port) == ("sieve.example.org", 2000)
    again = AccountDialog(CredentialStore(), account)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: not again.busy)
    assert again.sieve_row.host_edit.text() == "sieve.example.org"
    assert again.build_settings().sieve == account.sieve
