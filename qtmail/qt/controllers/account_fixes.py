"""What the user can do about an account's error, done for them (issue 13 items 4-6).

A refused or missing password opens a password prompt (incoming or outgoing server);
a sentence that says "open its settings" opens that account's settings. The password
goes to the keyring in a background thread (ARCHITECTURE.md boundary 4) and, for this
session, to the CredentialStore's memory, so the next connection uses it whether or
not a keyring exists. Then the account connects again, or the refused messages are
sent again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QDialog, QWidget

from qtmail.accounts.credentials import CredentialStore
from qtmail.core.commands import Replay, ResendMail, SyncAll
from qtmail.core.errors import Fix, ServiceStatus
from qtmail.core.events import Event, SendFailed, StatusChanged
from qtmail.qt.accounts import AccountDirectory
from qtmail.qt.connection_test import BackgroundRunner, Outcome
from qtmail.qt.controllers.sign_in_again import SignInAgain

if TYPE_CHECKING:
    from qtmail.qt.sign_in import Browser
    from qtmail.qt.widgets.password_dialog import PasswordDialog

ProblemSink = Callable[[str], None]
"""Shows a passing sentence (the status bar's show_problem)."""


class AccountFixes(QObject):
    """Watches the accounts' events; ``request(account, fix)`` is the buttons' way in
    (the status bar's "Enter Password…", the composer's "Open Its Settings…").

    ``open_settings(account)`` opens the account's settings page (app.py owns it).
    """

    def __init__(self, directory: AccountDirectory, credentials: CredentialStore,
                 open_settings: Callable[[str], None], show_problem: ProblemSink,
                 parent: QWidget, *, browser: Browser | None = None) -> None:
        super().__init__(parent)
        self._directory = directory
        self._credentials = credentials
        self._open_settings = open_settings
        self._show_problem = show_problem
        self._parent = parent
        self.dialogs: dict[tuple[str, Fix], PasswordDialog] = {}
        """The prompts open now: one per account and server."""
        self._declined: set[tuple[str, Fix]] = set()
        """Prompts the user cancelled: not opened again by themselves this session."""
        self._refused_sends: dict[str, set[int]] = {}
        """Outbox messages the outgoing server refused for the password: sent again
        once the user gives it."""
        self._savers: list[BackgroundRunner] = []
        self.sign_in = SignInAgain(directory, credentials, show_problem, parent,
                                   signed_in=self._resend_refused, browser=browser)
        """OAuth2 accounts whose access ended (issue 16)."""

    # -- the accounts' events ---------------------------------------------------------------
    def apply(self, event: Event) -> None:
        if isinstance(event, StatusChanged):
            if event.status is ServiceStatus.AUTH_FAILED and event.fix is Fix.PASSWORD:
                self._prompt(event.account, Fix.PASSWORD, event.message, asked=False)
            elif event.status is ServiceStatus.AUTH_FAILED and event.fix is Fix.SIGN_IN:
                self.sign_in.ask(event.account, event.message)
        elif isinstance(event, SendFailed) and event.fix is Fix.SIGN_IN:
            if event.outbox_id:
                self._refused_sends.setdefault(event.account, set()).add(event.outbox_id)
            self.sign_in.ask(event.account, event.message)
        elif isinstance(event, SendFailed) and event.fix is Fix.SMTP_PASSWORD:
            if event.outbox_id:
                self._refused_sends.setdefault(event.account, set()).add(event.outbox_id)
            self._prompt(event.account, Fix.SMTP_PASSWORD, event.message, asked=False)

    @Slot(str, str)
    def request(self, account: str, fix: str) -> None:
        """The user pressed a fix button: open the prompt or the settings, always."""
        wanted = Fix(fix)
        if wanted is Fix.ACCOUNT_SETTINGS:
            self._open_settings(account)
        elif wanted in (Fix.PASSWORD, Fix.SMTP_PASSWORD):
            self._prompt(account, wanted, "", asked=True)
        elif wanted is Fix.SIGN_IN:
            self.sign_in.start(account)

    def forget(self, account: str) -> None:
        """The account was removed: close its prompts."""
        for key in [key for key in self.dialogs if key[0] == account]:
            self.dialogs.pop(key).reject()
        self._declined = {key for key in self._declined if key[0] != account}
        self._refused_sends.pop(account, None)
        self.sign_in.forget(account)

    # -- the prompt -------------------------------------------------------------------------
    def _prompt(self, account: str, fix: Fix, reason: str, *, asked: bool) -> None:
        key = (account, fix)
        open_now = self.dialogs.get(key)
        if open_now is not None:
            open_now.raise_()
            open_now.activateWindow()
            return
        if key in self._declined and not asked:
            return
        client = self._directory.client(account)
        if client is None:
            return
        settings = client.peer_spec.settings
        outgoing = fix is Fix.SMTP_PASSWORD
        server = settings.smtp if outgoing and settings.smtp is not None else settings.imap
        user = server.username or settings.imap_username
        # Built when a password is asked for: the window starts without it (issue 18).
        from qtmail.qt.widgets.password_dialog import PasswordDialog

        dialog = PasswordDialog(account, user, server.host, reason, outgoing=outgoing,
                                keyring_available=not self._credentials.keyring_missing,
                                parent=self._parent)
        self.dialogs[key] = dialog
        self._declined.discard(key)
        dialog.finished.connect(partial(self._answered, key, dialog))
        dialog.open()  # window-modal, and the event loop goes on: workers keep reporting
        # Whether "remember" can work: the keyring may be slow to answer (D-Bus).
        probe = BackgroundRunner(dialog)
        probe.finished.connect(partial(self._keyring_known, dialog))
        probe.start(self._credentials.can_remember, name="keyring-probe")

    def _keyring_known(self, dialog: PasswordDialog, outcome: Outcome) -> None:
        if outcome.value is False and dialog in self.dialogs.values():
            dialog.set_keyring_available(False)

    def _answered(self, key: tuple[str, Fix], dialog: PasswordDialog, result: int) -> None:
        if self.dialogs.get(key) is dialog:
            del self.dialogs[key]
        dialog.deleteLater()
        account, fix = key
        if result != QDialog.DialogCode.Accepted or not dialog.password():
            self._declined.add(key)
            return
        protocol = "smtp" if fix is Fix.SMTP_PASSWORD else "imap"
        password = dialog.password()
        # Memory first: the next connection uses it even before the keyring answers.
        self._credentials.remember_for_session(account, password, protocol)
        if dialog.remember():
            self._save(account, password, protocol)
        if fix is Fix.SMTP_PASSWORD:
            self._resend_refused(account)
        else:
            self._directory.send(account, Replay())
            self._directory.send(account, SyncAll())

    def _resend_refused(self, account: str) -> None:
        for outbox_id in sorted(self._refused_sends.pop(account, set())):
            self._directory.send(account, ResendMail(outbox_id))

    def _save(self, account: str, password: str, protocol: str) -> None:
        credentials = self._credentials
        runner = BackgroundRunner(self)
        self._savers.append(runner)
        runner.finished.connect(partial(self._saved, runner))
        runner.start(partial(credentials.set, account, password, protocol),
                     name="keyring-save")

    def _saved(self, runner: BackgroundRunner, outcome: Outcome) -> None:
        self._savers.remove(runner)
        runner.deleteLater()
        if outcome.value is True:
            return
        self._show_problem(self.tr(
            "The password could not be saved in the system keyring, so qtmail keeps it "
            "only until it closes."))

    @property
    def busy(self) -> bool:
        """Whether a password is still being saved (tests wait for this)."""
        return any(runner.running for runner in self._savers) or self.sign_in.busy
