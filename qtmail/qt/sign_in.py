"""The browser sign-in (OAuth2, issue 16), run off the GUI thread: the flow waits in a
background thread for the browser to come back; the browser itself is opened on the GUI
thread (QDesktopServices), or by a test playing the browser."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices

from qtmail.accounts.oauth.clients import client_for
from qtmail.accounts.oauth.flow import authorize
from qtmail.accounts.settings import OAuthSettings
from qtmail.qt.connection_test import BackgroundRunner

Browser = Callable[[str], bool]
"""Opens a URL in the user's browser; False when it could not."""


class SignIn(QObject):
    """``start(oauth, address)``; ``finished(Outcome)`` with the Tokens as its value, or
    a KnownError sentence. ``cancel()`` ends the wait (the dialog closed)."""

    finished = Signal(object)
    _open_url = Signal(str)

    def __init__(self, parent: QObject | None = None, *, browser: Browser | None = None
                 ) -> None:
        super().__init__(parent)
        self._browser = browser
        self._runner = BackgroundRunner(self)
        self._runner.finished.connect(self.finished)
        self._cancelled = threading.Event()
        self._open_url.connect(self._open, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        return self._runner.running

    def has_client(self, oauth: OAuthSettings) -> bool:
        """Whether this build (or the user) gave a client ID for the provider."""
        return client_for(oauth) is not None

    def start(self, oauth: OAuthSettings, address: str) -> None:
        client = client_for(oauth)
        if client is None:
            raise ValueError("no client ID: ask has_client() first")
        self._cancelled = threading.Event()
        cancelled = self._cancelled
        browser = self._browser or self._open_later
        page = (self.tr("You are signed in"),
                self.tr("You can close this page and go back to qtmail."))
        self._runner.start(lambda: authorize(oauth, client, address, browser,
                                             cancelled=cancelled, done_page=page),
                           name="oauth-sign-in")

    def cancel(self) -> None:
        self._cancelled.set()
        self._runner.cancel()

    def _open_later(self, url: str) -> bool:
        """Called in the flow's thread: the GUI thread opens the browser."""
        self._open_url.emit(url)
        return True

    @Slot(str)
    def _open(self, url: str) -> None:
        QDesktopServices.openUrl(QUrl(url))
