"""Leaving a mailing list from the message (issue 14): the Unsubscribe button's work.

One click (RFC 8058) asks once and then POSTs in a background thread; a mailto is a
prepared message the user sends; a web page opens in the browser after the user agrees.
qtmail.mime.unsubscribe decides which is safe.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QCoreApplication, QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from qtmail.core.mailto import MailtoError, parse_mailto
from qtmail.mime.unsubscribe import Method, Offer
from qtmail.net.one_click import one_click
from qtmail.qt.connection_test import BackgroundRunner, Outcome
from qtmail.qt.error_text import error_text

Confirm = Callable[[QWidget, str, str], bool]
"""(parent, question, detail) -> the user agreed."""


def ask(parent: QWidget, question: str, detail: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question,
                      QCoreApplication.translate("UnsubscribeController", "Unsubscribe"), question,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                      parent)
    box.setObjectName("unsubscribeBox")
    box.setInformativeText(detail)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    return box.exec() == QMessageBox.StandardButton.Yes


class UnsubscribeController(QObject):
    def __init__(self, open_mailto: Callable[..., object], show_problem: Callable[[str], None],
                 parent: QWidget, *, confirm: Confirm = ask,
                 post: Callable[[str], None] = one_click,
                 open_url: Callable[[QUrl], object] = QDesktopServices.openUrl) -> None:
        super().__init__(parent)
        self._open_mailto = open_mailto
        self._show_problem = show_problem
        self._parent = parent
        self.confirm = confirm
        self.post = post
        self._open_url = open_url
        self._runner = BackgroundRunner(self)
        self._runner.finished.connect(self._posted)
        self._leaving = ""

    def request(self, offer: Offer) -> None:
        name = offer.list_name
        if offer.method is Method.ONE_CLICK:
            if self.confirm(self._parent, self.tr("Unsubscribe from %1?").replace("%1", name),
                            self.tr("qtmail tells the list's server at once, as the list "
                                    "offers; no page opens and nothing else is sent.")):
                self._leaving = name
                post = self.post
                self._runner.start(partial(post, offer.target), name="unsubscribe")
        elif offer.method is Method.MAILTO:
            try:
                link = parse_mailto(offer.target)
            except MailtoError:
                self._show_problem(self.tr("This list's unsubscribe address cannot be used."))
                return
            self._open_mailto(link)
            self._show_problem(self.tr("Send the prepared message to leave the list."))
        elif self.confirm(self._parent, self.tr("Open the page to unsubscribe from %1?")
                          .replace("%1", name),
                          self.tr("The list's page opens in your web browser; follow it "
                                  "there to unsubscribe.")):
            self._open_url(QUrl(offer.target))

    @property
    def busy(self) -> bool:
        return self._runner.running

    def _posted(self, outcome: Outcome) -> None:
        if outcome.error is not None:
            self._show_problem(error_text(outcome.error.user_message))
        elif outcome.bug is not None:
            self._show_problem(self.tr("Unsubscribing stopped because of a problem inside "
                                       "qtmail."))
        else:
            self._show_problem(self.tr("You are unsubscribed from %1.").replace(
                "%1", self._leaving))
