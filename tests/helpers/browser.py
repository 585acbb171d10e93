"""The system browser, played: QDesktopServices.openUrl sends http URLs here, to the
authorization server's consent page, approved at once, and back to qtmail's loopback
listener (tests and scripts/demo --sign-in: there is no real provider, nor a browser,
under Xvfb)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from helpers.oauth_server import OAuthServer


class PlayedBrowser(QObject):
    def __init__(self, oauth: OAuthServer, *, say: bool = False) -> None:
        super().__init__()
        self.oauth = oauth
        self.say = say
        self.opened: list[str] = []

    def install(self) -> PlayedBrowser:
        """Take the http URLs qtmail opens (until ``uninstall``)."""
        QDesktopServices.setUrlHandler("http", self, "open")
        return self

    @staticmethod
    def uninstall() -> None:
        QDesktopServices.unsetUrlHandler("http")

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())
        if self.say:
            print(f"scripts/demo: the provider's page was approved: {url.host()}", flush=True)
        self.oauth.browser(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
