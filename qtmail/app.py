"""GUI wiring: QApplication, accounts, one EngineClient per account, the main window.

With ``qtmail/cli`` the only place where objects are put together (ARCHITECTURE.md
boundary 5). Passwords are looked up in the worker threads, never here.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from qtmail import heap
from qtmail import log as qtmail_log
from qtmail.accounts.credentials import CredentialStore
from qtmail.accounts.removal import forget_account
from qtmail.accounts.settings import AccountSettings, AccountsFile
from qtmail.core.errors import QT_TRANSLATE_NOOP, Fix, KnownError, NoPasswordError, Sentence
from qtmail.core.mailto import MailtoError, parse_mailto
from qtmail.net.sasl import Secret
from qtmail.profile import Profile
from qtmail.qt.app_icon import app_icon
from qtmail.qt.connection_test import BackgroundRunner, Outcome, wait_for_tests
from qtmail.qt.controllers.account_fixes import AccountFixes
from qtmail.qt.excepthook import install_excepthook
from qtmail.qt.first_rows import FirstRowsWatch
from qtmail.qt.i18n import install_translations
from qtmail.qt.instance import InstanceServer, hand_off, socket_path
from qtmail.qt.notify import Notifier
from qtmail.qt.refcount_guard import immortalize_singletons
from qtmail.qt.session_end import SessionEndWatch
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow

if TYPE_CHECKING:
    from qtmail.qt.bridge import EngineClient

log = logging.getLogger(__name__)

APP_ID = "org.qtmail.QtMail"
FIRST_PAINT_WAIT_MS = 1000
FIRST_ROWS_WAIT_MS = 3000
"""How long after_first_rows waits at most (an empty Inbox, or no server)."""


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
                    ) -> Callable[[], Secret]:
    """The incoming server's password, or the account's OAuth2 token source. Runs in the
    account's worker thread: a keyring call or a token refresh may block there, not
    here. None found: the window asks (Fix.PASSWORD, or Fix.SIGN_IN for OAuth2)."""
    if account.oauth is not None:
        return _token_source(credentials, account)

    def lookup() -> str:
        password = credentials.get(account.name)
        if not password:
            raise _no_password(credentials, account, Fix.PASSWORD)
        return password
    return lookup


def smtp_password_lookup(credentials: CredentialStore, account: AccountSettings
                         ) -> Callable[[], Secret]:
    """The outgoing server's own password if one was given, else the incoming one's
    (most providers use the same); in the worker thread too. An OAuth2 account's one
    token serves both."""
    if account.oauth is not None:
        return _token_source(credentials, account)

    def lookup() -> str:
        password = credentials.get(account.name, "smtp") or credentials.get(account.name)
        if not password:
            raise _no_password(credentials, account, Fix.SMTP_PASSWORD)
        return password
    return lookup


def _token_source(credentials: CredentialStore, account: AccountSettings
                  ) -> Callable[[], Secret]:
    # Imported for OAuth2 accounts only: the HTTP and loopback-server modules it pulls
    # in cost start-up time no password account needs (issue 18).
    from qtmail.accounts.oauth.tokens import shared_source

    return shared_source(credentials, account)


def _no_password(credentials: CredentialStore, account: AccountSettings,
                 fix: Fix) -> NoPasswordError:
    problem = credentials.last_problem
    sentence = Sentence(problem) if problem else Sentence(QT_TRANSLATE_NOOP(
        "Errors", "qtmail needs the password of the account “{account}”."),
        account=account.name)
    return NoPasswordError(sentence, fix=fix)


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
        self.fixes = AccountFixes(self.window.directory, credentials,
                                  self.open_account_settings, self.window.status.show_problem,
                                  self.window)
        self.window.directory.event.connect(self.fixes.apply)
        self.window.account_fix_requested.connect(self.fixes.request)
        self.window.account_settings_requested.connect(self.open_account_settings)
        self.window.remove_account_requested.connect(self.remove_account)
        self._removals = BackgroundRunner(self.window)
        self._removals.finished.connect(self._account_removed)
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
        # The worker side (engine, IMAP, store) is imported with the first account, not
        # before the window's first paint: a new profile has none yet (issue 18).
        from qtmail.qt.bridge import EngineClient

        return EngineClient(account, self.profile.cache_file(account.name),
                            password_lookup(self.credentials, account), self.window,
                            smtp_password=smtp_password_lookup(self.credentials, account))

    def add_client(self, account: AccountSettings) -> EngineClient:
        client = self.make_client(account)
        self.window.add_account(client)
        return client

    def end_session(self) -> None:
        """SIGTERM and the like (qt/session_end.py): the window ends as Quit does, its
        composers keeping their drafts, and so does every event loop, a dialog's too."""
        self.window.end_session()
        QCoreApplication.exit(0)

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
        from qtmail.qt.widgets.account_dialog import AccountDialog, default_autoconfig

        # The servers are looked up from the address (issue 16), shown before any login.
        overrides = self.profile.config_dir / "isp"  # <domain>.xml, Thunderbird's name
        dialog = AccountDialog(self.credentials, None, self.window,
                               autoconfig=lambda address: default_autoconfig(address, overrides),
                               test_before_saving=True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        account: AccountSettings = dialog.result_settings()
        try:
            self.accounts_file.add(account)
        except KnownError as error:
            self.window.status.show_problem(error.user_message)
            return
        self.add_client(account)

    def open_account_settings(self, name: str) -> None:
        """The account's own settings: servers, user name, password, addresses and
        signature (issue 13 item 4). Saved settings restart its worker at once."""
        from qtmail.qt.widgets.account_dialog import AccountDialog  # see open_account_setup

        try:
            account = self.accounts_file.get(name)
        except KnownError as error:
            self.window.status.show_problem(error.user_message)
            return
        dialog = AccountDialog(self.credentials, account, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            if dialog.remove_wanted:
                self.remove_account(name)
            return
        changed: AccountSettings = dialog.result_settings()
        try:
            self.accounts_file.update(changed)
        except KnownError as error:
            self.window.status.show_problem(error.user_message)
            return
        if changed != account or dialog.password_changed():
            self.window.replace_client(self.make_client(changed))

    def remove_account(self, name: str) -> None:
        """Asks, then stops the account and removes its settings, cache and passwords;
        the mail stays on the server."""
        box = QMessageBox(QMessageBox.Icon.Question,
                          QCoreApplication.translate("Gui", "Remove account"),
                          QCoreApplication.translate(
                              "Gui", "Remove the account “%1” from qtmail?").replace("%1", name),
                          parent=self.window)
        box.setObjectName("removeAccountBox")
        box.setInformativeText(QCoreApplication.translate(
            "Gui", "The mail stays on the server. qtmail deletes its copy on this computer, "
            "the account's settings and its saved passwords."))
        remove = box.addButton(QCoreApplication.translate("Gui", "&Remove Account"),
                               QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is not remove:
            return
        self.fixes.forget(name)
        self.window.remove_account(name)  # its worker has stopped: the cache is free
        accounts, credentials = self.accounts_file, self.credentials
        cache = self.profile.cache_file(name)
        self._removals.start(lambda: forget_account(accounts, credentials, cache, name),
                             name="remove-account")

    def _account_removed(self, outcome: Outcome) -> None:
        if outcome.error is not None:
            self.window.status.show_problem(outcome.error.user_message)
        elif outcome.bug is not None:
            sys.excepthook(type(outcome.bug), outcome.bug, outcome.bug.__traceback__)
        else:
            self.window.status.show_problem(QCoreApplication.translate(
                "Gui", "The account was removed from this computer."))

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


def after_first_paint(window: MainWindow, call: Callable[[], None]) -> None:
    """``call`` once, after ``window``'s first paint, or after FIRST_PAINT_WAIT_MS if it
    is not painted by then (started minimized, or on a screen that paints late)."""
    done = False

    def once() -> None:
        nonlocal done
        if not done:
            done = True
            call()
    window.first_painted.connect(once)
    QTimer.singleShot(FIRST_PAINT_WAIT_MS, window, once)


def after_first_rows(window: MainWindow, call: Callable[[], None],
                     wait_ms: int = FIRST_ROWS_WAIT_MS) -> None:
    """``call`` once, after a message list of ``window`` first painted rows, or after
    ``wait_ms`` if none did by then (qt/first_rows.py)."""
    watch = FirstRowsWatch(window.lists.views(), window)
    done = False

    def once() -> None:
        nonlocal done
        if not done:
            done = True
            watch.deleteLater()
            call()
    watch.painted.connect(once)
    QTimer.singleShot(wait_ms, window, once)


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
    # Its full collection (15-25 ms, holding the GIL) would come before the first paint.
    # With an account, not even then: after the paint the worker is on its way to a new
    # profile's first rows (cache, keyring, login: Python, holding the GIL too), and
    # would wait for it (issue 18); a later start paints the cached rows with the window.
    if gui.window.accounts():
        after_first_rows(gui.window, heap.settle_after_startup)
    else:
        after_first_paint(gui.window, heap.settle_after_startup)
        # First start: ask for an account right away (Thunderbird does too), once the
        # window is on screen: building the dialog first kept it blank 100 ms longer.
        after_first_paint(gui.window, gui.window.action_set.account_setup.trigger)
    ending = SessionEndWatch(app)
    ending.requested.connect(gui.end_session)
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
        ending.close()
        if instance is not None:
            instance.close()
        gui.window.shutdown()  # every account thread ends; the notifier closes
        wait_for_tests()  # account dialog connection tests still running
        gui.uninstall_excepthook()
