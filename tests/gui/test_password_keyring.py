"""The password prompt with a real Secret Service (issue 13 item 5): gnome-keyring on a
private bus, locked and unlocked, through the whole application against Dovecot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import MailUser
from helpers.gui_app import start_gui, stop_gui
from helpers.mailgen import message
from helpers.secret_service import (
    SecretService,
    forget_connections,
    require_gnome_keyring,
    use_secret_service,
)
from helpers.session_bus import Bus
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from qtmail.accounts.credentials import SERVICE, CredentialStore
from qtmail.app import Gui
from qtmail.core.errors import Fix
from qtmail.qt.widgets.password_dialog import PasswordDialog

pytestmark = [
    pytest.mark.dovecot,
    # keyring's Secret Service backend leaves each call's D-Bus socket to the garbage
    # collector (keyring 25, backends/SecretService.py): not ours to close.
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SecretService]:
    require_gnome_keyring()
    bus = Bus(tmp_path, activation=False)
    service = SecretService(bus, tmp_path)
    use_secret_service(bus, monkeypatch)
    yield service
    bus.stop()
    forget_connections()


@pytest.fixture
def guis() -> Iterator[list[Gui]]:
    started: list[Gui] = []
    yield started
    for gui in started:
        stop_gui(gui)


def prompt(gui: Gui) -> PasswordDialog | None:
    dialog = gui.fixes.dialogs.get(("work", Fix.PASSWORD))
    return dialog if dialog is not None and dialog.isVisible() else None


def test_a_locked_keyring_asks_for_the_password_and_connects(
        qtbot: QtBot, tmp_path: Path, mail_user: MailUser, secrets: SecretService,
        guis: list[Gui]) -> None:
    mail_user.save(message("Behind a locked keyring"))
    assert CredentialStore().set("work", mail_user.password)
    secrets.lock()  # the screen was locked: the keyring closed with it
    gui = start_gui(qtbot, tmp_path / "home", [account_for(mail_user)])
    guis.append(gui)

    qtbot.waitUntil(lambda: prompt(gui) is not None, timeout=20_000)
    dialog = prompt(gui)
    assert dialog is not None
    assert "keyring could not be unlocked" in dialog.reason_label.text()
    qtbot.keyClicks(dialog.password_edit, mail_user.password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gui.window.status.state_text("work") == "Connected"
                    and gui.window.message_list.proxy.rowCount() == 1, timeout=20_000)


def test_remember_puts_the_typed_password_in_the_real_keyring(
        qtbot: QtBot, tmp_path: Path, mail_user: MailUser, secrets: SecretService,
        guis: list[Gui]) -> None:
    assert CredentialStore().set("work", "changed-on-the-server-since")
    gui = start_gui(qtbot, tmp_path / "home", [account_for(mail_user)])
    guis.append(gui)

    qtbot.waitUntil(lambda: prompt(gui) is not None, timeout=20_000)
    dialog = prompt(gui)
    assert dialog is not None
    assert "did not accept" in dialog.reason_label.text()
    assert dialog.remember_check.isChecked() and dialog.remember_check.isEnabled()
    qtbot.keyClicks(dialog.password_edit, mail_user.password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gui.window.status.state_text("work") == "Connected",
                    timeout=20_000)
    qtbot.waitUntil(lambda: not gui.fixes.busy, timeout=10_000)
    assert secrets.stored(SERVICE, "work:imap") == mail_user.password
