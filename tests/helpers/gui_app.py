"""The whole application (app.Gui: window, dialogs, password prompts) on a test profile,
and a driver for the modal dialogs it opens with exec()."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from qtmail.accounts.credentials import CredentialStore
from qtmail.accounts.settings import AccountSettings, AccountsFile
from qtmail.app import Gui, build
from qtmail.profile import Profile


def start_gui(qtbot: QtBot, home: Path, accounts: list[AccountSettings],
              passwords: dict[str, str] | None = None,
              session_passwords: dict[str, str] | None = None) -> Gui:
    """``accounts`` in a fresh profile at ``home``, their ``passwords`` in the keyring
    (the test's in-memory one) or only in memory (``session_passwords``, as
    scripts/demo does), the window built and shown as ``qtmail`` does."""
    profile = Profile.at(home).ensure()
    accounts_file = AccountsFile(profile.accounts_file)
    for account in accounts:
        accounts_file.add(account)
    credentials = CredentialStore()
    for name, password in (passwords or {}).items():
        assert credentials.set(name, password)
    for name, password in (session_passwords or {}).items():
        credentials.remember_for_session(name, password)
    gui = build(profile, credentials)
    qtbot.addWidget(gui.window)
    gui.window.show()
    qtbot.waitExposed(gui.window)
    return gui


def stop_gui(gui: Gui) -> None:
    gui.window.shutdown()


def shown(name: str) -> QWidget | None:
    """The visible top-level widget (a dialog, a message box) named ``name``."""
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == name and widget.isVisible():
            return widget
    return None


@contextmanager
def answering(name: str, answer: Callable[[QWidget], None], *,
              timeout_ms: int = 20_000) -> Iterator[list[QWidget]]:
    """While the block runs a blocking exec(), ``answer`` the dialog ``name`` once it
    shows (polled by a timer, since the test's own code waits inside exec()). After
    ``timeout_ms`` the dialog is closed, so a missing dialog fails the test, never
    hangs it. Yields the dialogs answered."""
    answered: list[QWidget] = []
    failed: list[BaseException] = []
    timer = QTimer()
    timer.setInterval(50)
    waited = [0]

    def poll() -> None:
        waited[0] += 50
        widget = shown(name)
        if widget is not None and not answered:
            answered.append(widget)
            try:
                answer(widget)
            except BaseException as exc:  # a failed check: close, and fail the test
                failed.append(exc)
                widget.close()
        elif waited[0] > timeout_ms:
            timer.stop()
            modal = QApplication.activeModalWidget()
            if modal is not None:
                if answered:  # answered, and still waiting: say what it shows
                    texts = [label.text() for label in modal.findChildren(QLabel)
                             if label.isVisible() and label.text()]
                    failed.append(AssertionError(f"{name} still open: {texts}"))
                modal.close()
        elif answered and shown(name) is None:
            timer.stop()

    timer.timeout.connect(poll)
    timer.start()
    try:
        yield answered
    finally:
        timer.stop()
    if failed:
        raise failed[0]
