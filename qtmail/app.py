"""GUI wiring: QApplication, accounts, one EngineClient per account, the main window.

With ``qtmail/cli`` the only place where objects are put together (ARCHITECTURE.md
boundary 5). Passwords are looked up in the worker threads, never here.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from qtmail import log as qtmail_log
from qtmail.accounts.credentials import CredentialStore
from qtmail.accounts.settings import AccountSettings, AccountsFile
from qtmail.core.errors import KnownError, NoPasswordError
from qtmail.core.mailto import MailtoError, parse_mailto
from qtmail.profile import Profile
from qtmail.qt.app_icon import app_icon
from qtmail.qt.bridge import EngineClient
from qtmail.qt.connection_test import wait_for_tests
from qtmail.qt.excepthook import install_excepthook
from qtmail.qt.i18n import install_translations
from qtmail.qt.instance import InstanceServer, hand_off, socket_path
from qtmail.qt.notify import Notifier
from qtmail.qt.refcount_guard import immortalize_singletons
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow

log = logging.getLogger(__name__)

APP_ID = "org.qtmail.QtMail"


def create_application(argv: list[str] | None = None) -> QApplication:
    immortalize_singletons()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(
        argv if argv is not None else sys.argv)
    app.setApplicationName("qtmail")
    app.setOrganizationName("qtmail")
    QApplication.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    return app


def password_lookup(credentials: CredentialStore, account: AccountSettings
                    ) -> Callable[[], str]:
    """Runs in the account's worker thread: a keyring call may block there, not here."""
    def lookup() -> str:
        password = credentials.get(account.name)
        if not password:
            raise NoPasswordError(
                credentials.last_problem
                or f"No password is stored for “{account.name}”: open Account Setup.")
        return password
    return lookup


class Gui:
    """The running window and what it needs: the profile, the passwords, the dialogs."""

    def __init__(self, profile: Profile, credentials: CredentialStore) -> None:
        self.profile = profile
        self.credentials = credentials
        self.accounts_file = AccountsFile(profile.accounts_file)
        self.settings = WindowSettings(profile.settings_file)
        self.notifier = Notifier(QCoreApplication.translate("Gui", "qtmail"),
                                 QApplication.windowIcon())
        self.window = MainWindow(
            self.settings,
            on_settings=self.open_settings, on_account_setup=self.open_account_setup,
            notifier=self.notifier)
        self._handler: Any = None

    def install_excepthook(self, ring: qtmail_log.RingBuffer) -> None:
        self._handler = install_excepthook(ring, lambda: self.window)
        self._handler.known_error.connect(
            lambda error: self.window.status.show_problem(error.user_message))

    def uninstall_excepthook(self) -> None:
        if self._handler is not None:
            self._handler.uninstall()

    def start_accounts(self) -> list[AccountSettings]:
        try:
            accounts = self.accounts_file.load()
        except KnownError as error:
            self.window.status.show_problem(error.user_message)
            accounts = []
        for account in accounts:
            self.add_client(account)
        return accounts

    def make_client(self, account: AccountSettings) -> EngineClient:
        return EngineClient(account, self.profile.cache_file(account.name),
                            password_lookup(self.credentials, account), self.window)

    def add_client(self, account: AccountSettings) -> EngineClient:
        client = self.make_client(account)
        self.window.add_account(client)
        return client

    # -- a later start (qtmail.qt.instance) and mailto: links -------------------------------
    def handle_start(self, message: str) -> None:
        """Another `qtmail` was started on this profile: its link, or "show yourself"."""
        if message:
            self.open_mailto(message)
        else:
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()

    def open_mailto(self, url: str) -> None:
        """A composer filled from a mailto: link (RFC 6068), or a sentence why not."""
        try:
            link = parse_mailto(url)
        except MailtoError as error:
            log.info("mailto: link refused: %s", error)
            self.window.status.show_problem(QCoreApplication.translate(
                "Gui", "This email link could not be opened: it is damaged, or it tries "
                "to add hidden lines to the message."))
            return
        composer = self.window.compose.open_mailto(link)
        if composer is not None:
            composer.raise_()

    # -- dialogs ----------------------------------------------------------------------------
    def open_account_setup(self) -> None:
        # Imported when first opened: the first paint of the window does not need it.
        from qtmail.qt.widgets.account_dialog import AccountDialog

        dialog = AccountDialog(self.credentials, None, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        account: AccountSettings = dialog.result_settings()
        try:
            self.accounts_file.add(account)
        except KnownError as error:
            self.window.status.show_problem(error.user_message)
            return
        self.add_client(account)

    def open_settings(self) -> None:
        from qtmail.qt.widgets.settings_dialog import SettingsDialog  # see open_account_setup

        current = self.window.current_folder()
        name = current[0] if current else next(iter(self.window.accounts()), None)
        if name is None:
            self.open_account_setup()
            return
        account = self.accounts_file.get(name)
        reader = self.window.reader(name)
        folders = [f.name for f in reader.folders()] if reader is not None else []
        quota = reader.quota() if reader is not None else None
        dialog = SettingsDialog(
            account, folders, quota, self.window.prefs.get(name), self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            changed: AccountSettings = dialog.result_settings()
            self.accounts_file.update(changed)
            # New sync settings: a new worker for the account (same cache), at once.
            client = self.make_client(changed) if changed != account else None
            self.window.apply_account_settings(changed, dialog.result_preferences(), client)


def build(profile: Profile, credentials: CredentialStore | None = None) -> Gui:
    """The window on ``profile``'s accounts, started (for run_gui, scripts/demo, tests)."""
    create_application()
    gui = Gui(profile.ensure(), credentials or CredentialStore())
    gui.start_accounts()
    return gui


def run_gui(profile: Profile, *, credentials: CredentialStore | None = None,
            after_show: Callable[[Gui], None] | None = None, lang: str | None = None,
            mailto: str | None = None) -> int:
    """The window until it closes; ``mailto`` opens a composer. When qtmail already runs
    on ``profile``, the link (or "show yourself") goes to it and this returns 0."""
    app = create_application()
    try:
        instance_path = socket_path(profile.config_dir)
    except OSError as error:
        log.warning("no single-instance socket: %s", error)
        instance_path = None
    if instance_path is not None and hand_off(instance_path, mailto or ""):
        log.info("handed over to the qtmail already running on this profile")
        return 0
    install_translations(app, lang)  # before any widget: they translate when built
    ring = qtmail_log.setup(profile.log_dir)
    gui = build(profile, credentials)
    gui.install_excepthook(ring)
    gui.window.show()
    if not gui.window.accounts():
        # First start: ask for an account right away (Thunderbird does too).
        QTimer.singleShot(0, gui.window.action_set.account_setup.trigger)
    instance = InstanceServer(instance_path, gui.window) if instance_path else None
    if instance is not None and instance.listen():
        instance.received.connect(gui.handle_start)
    if mailto:
        QTimer.singleShot(0, lambda: gui.open_mailto(mailto))
    if after_show is not None:
        after_show(gui)
    try:
        return int(app.exec())
    finally:
        if instance is not None:
            instance.close()
        gui.window.shutdown()  # every account thread ends; the notifier closes
        wait_for_tests()  # account dialog connection tests still running
        gui.uninstall_excepthook()
