"""An OAuth2 account whose access ended (revoked, lapsed: ``invalid_grant``) asks once
whether to sign in again (issue 16); the status bar's "Sign In Again…" goes straight to
the provider's page. Never a loop of browser windows: the question is asked once per
session unless the user asks, and only one sign-in runs per account."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from qtmail.accounts.credentials import CredentialStore
from qtmail.core.commands import Replay, SyncAll
from qtmail.qt.accounts import AccountDirectory
from qtmail.qt.connection_test import BackgroundRunner, Outcome
from qtmail.qt.error_text import error_text

if TYPE_CHECKING:  # OAuth2 (HTTP, a loopback server) loads on the first sign-in (issue 18)
    from qtmail.qt.sign_in import Browser, SignIn


class SignInAgain(QObject):
    """``signed_in(account)`` is called once the new sign-in is kept (the caller sends
    what the old one could not)."""

    def __init__(self, directory: AccountDirectory, credentials: CredentialStore,
                 show_problem: Callable[[str], None], parent: QWidget, *,
                 signed_in: Callable[[str], None], browser: Browser | None = None) -> None:
        super().__init__(parent)
        self._directory = directory
        self._credentials = credentials
        self._show_problem = show_problem
        self._parent = parent
        self._browser = browser
        self._signed_in_callback = signed_in
        self.questions: dict[str, QMessageBox] = {}
        self._asked: set[str] = set()
        self._running: dict[str, SignIn] = {}
        self._savers: list[BackgroundRunner] = []

    @property
    def busy(self) -> bool:
        return bool(self._running) or any(r.running for r in self._savers)

    def ask(self, account: str, reason: str) -> None:
        """The account's access ended: ask once this session."""
        if account in self._asked or account in self._running:
            return
        self._asked.add(account)
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Sign in again"),
                          error_text(reason), parent=self._parent)
        box.setObjectName("signInAgainBox")
        box.setInformativeText(self.tr(
            "Your mail stays on the server, and changes you make meanwhile wait in "
            "qtmail. Sign in on the provider's page to go on."))
        sign_in = box.addButton(self.tr("&Sign In…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("&Not Now"), QMessageBox.ButtonRole.RejectRole)
        self.questions[account] = box
        box.finished.connect(partial(self._answered, account, box, sign_in))
        box.open()

    def _answered(self, account: str, box: QMessageBox, sign_in: QObject, _result: int
                  ) -> None:
        self.questions.pop(account, None)
        box.deleteLater()
        if box.clickedButton() is sign_in:
            self.start(account)

    def start(self, account: str) -> None:
        """Open the provider's page for ``account`` (the user asked)."""
        client = self._directory.client(account)
        if client is None or account in self._running:
            return
        settings = client.peer_spec.settings
        if settings.oauth is None:
            return
        from qtmail.qt.sign_in import SignIn

        flow = SignIn(self, browser=self._browser)
        if not flow.has_client(settings.oauth):
            self._show_problem(self.tr("qtmail needs a client ID to sign in with this provider. "
                                  "Enter it in the account's settings."))
            return
        self._running[account] = flow
        flow.finished.connect(partial(self._signed_in, account, flow))
        flow.start(settings.oauth, settings.email)

    def forget(self, account: str) -> None:
        box = self.questions.pop(account, None)
        if box is not None:
            box.reject()
        flow = self._running.pop(account, None)
        if flow is not None:
            flow.cancel()

    def _signed_in(self, account: str, flow: SignIn, outcome: Outcome) -> None:
        from qtmail.accounts.oauth.flow import Tokens
        from qtmail.accounts.oauth.tokens import shared_source

        self._running.pop(account, None)
        flow.deleteLater()
        client = self._directory.client(account)
        if not isinstance(outcome.value, Tokens) or client is None:
            if outcome.error is not None:
                self._show_problem(error_text(outcome.error.user_message))
            return
        self._asked.discard(account)  # a later ending may ask again
        source = shared_source(self._credentials, client.peer_spec.settings)
        tokens = outcome.value
        saver = BackgroundRunner(self)
        self._savers.append(saver)
        saver.finished.connect(partial(self._saved, account, saver))
        saver.start(lambda: source.accept(tokens), name="keyring-save")

    def _saved(self, account: str, saver: BackgroundRunner, outcome: Outcome) -> None:
        self._savers.remove(saver)
        saver.deleteLater()
        if outcome.value is not True:
            self._show_problem(self.tr("The sign-in could not be saved in the system keyring, "
                                  "so qtmail keeps it only until it closes."))
        self._directory.send(account, Replay())
        self._directory.send(account, SyncAll())
        self._signed_in_callback(account)
