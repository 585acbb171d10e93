"""Leaving a mailing list from the message (issue 14): the Unsubscribe button's work.

One click (RFC 8058) asks once and then POSTs in a background thread; a mailto is a
prepared message the user sends; a web page opens in the browser after the user agrees.
qtmail.mime.unsubscribe decides which is safe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from qtmail.core.mailto import MailtoError, parse_mailto
from qtmail.core.types import FolderRole, MessageRef
from qtmail.mime.unsubscribe import Method, Offer
from qtmail.qt.connection_test import BackgroundRunner, Outcome
from qtmail.qt.error_text import error_text

if TYPE_CHECKING:  # the store loads with the first account (issue 18)
    from qtmail.store import Store

Confirm = Callable[[QWidget, str, str], bool]
"""(parent, question, detail) -> the user agreed."""

TIDY_TRASH, TIDY_ARCHIVE = "trash", "archive"
ChooseTidy = Callable[[QWidget, str, int], str | None]
"""(parent, list name, how many) -> TIDY_TRASH, TIDY_ARCHIVE, or None: keep them."""


@dataclass(frozen=True)
class ListMail:
    """What the controller needs to offer moving a list's mail away after leaving it."""

    find: Callable[[MessageRef, str], list[MessageRef]]
    """The account's messages from this sender address (Trash and Junk left out)."""
    trash: Callable[[list[MessageRef]], None]
    archive: Callable[[list[MessageRef]], None]


def ask_tidy(parent: QWidget, name: str, count: int) -> str | None:
    translate = QCoreApplication.translate
    box = QMessageBox(QMessageBox.Icon.Question,
                      translate("UnsubscribeController", "Unsubscribe"),
                      translate("UnsubscribeController",
                                "Move the %n message(s) from %1 out of your folders?", "",
                                count).replace("%1", name), QMessageBox.StandardButton.NoButton,
                      parent)
    box.setObjectName("tidyListBox")
    trash = box.addButton(translate("UnsubscribeController", "Move to &Trash"),
                          QMessageBox.ButtonRole.DestructiveRole)
    archive = box.addButton(translate("UnsubscribeController", "&Archive Them"),
                            QMessageBox.ButtonRole.AcceptRole)
    box.addButton(translate("UnsubscribeController", "&Keep Them"),
                  QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    return TIDY_TRASH if clicked is trash else TIDY_ARCHIVE if clicked is archive else None


def ask(parent: QWidget, question: str, detail: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question,
                      QCoreApplication.translate("UnsubscribeController", "Unsubscribe"), question,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                      parent)
    box.setObjectName("unsubscribeBox")
    box.setInformativeText(detail)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    return box.exec() == QMessageBox.StandardButton.Yes


def _one_click(url: str) -> None:
    """RFC 8058's POST; ssl and HTTPS load on the first unsubscribe (issue 18)."""
    from qtmail.net.one_click import one_click

    one_click(url)


class UnsubscribeController(QObject):
    def __init__(self, open_mailto: Callable[..., object], show_problem: Callable[[str], None],
                 parent: QWidget, *, confirm: Confirm = ask,
                 post: Callable[[str], None] = _one_click,
                 open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
                 list_mail: ListMail | None = None, choose_tidy: ChooseTidy = ask_tidy
                 ) -> None:
        super().__init__(parent)
        self.list_mail = list_mail
        self.choose_tidy = choose_tidy
        self._from: tuple[MessageRef, str] | None = None
        """The message unsubscribed from and its sender address: whose mail to offer
        moving away once leaving has worked."""
        self._open_mailto = open_mailto
        self._show_problem = show_problem
        self._parent = parent
        self.confirm = confirm
        self.post = post
        self._open_url = open_url
        self._runner = BackgroundRunner(self)
        self._runner.finished.connect(self._posted)
        self._leaving = ""

    def request(self, offer: Offer, ref: MessageRef | None = None, sender: str = "") -> None:
        """Leave the list ``offer`` names; ``ref`` and ``sender``: the message it came
        with, so that the list's other mail can be moved away afterwards."""
        self._from = (ref, sender) if ref is not None and sender else None
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
            self._offer_tidy(name)
        elif self.confirm(self._parent, self.tr("Open the page to unsubscribe from %1?")
                          .replace("%1", name),
                          self.tr("The list's page opens in your web browser; follow it "
                                  "there to unsubscribe.")):
            self._open_url(QUrl(offer.target))
            self._offer_tidy(name)

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
            self._offer_tidy(self._leaving)

    def _offer_tidy(self, name: str) -> None:
        """Then offer to move this list's existing mail to Trash or Archive (issue 14),
        as ordinary queued, undoable changes."""
        found, self._from = self._from, None
        if found is None or self.list_mail is None:
            return
        ref, sender = found
        refs = self.list_mail.find(ref, sender)
        if not refs:
            return
        choice = self.choose_tidy(self._parent, name, len(refs))
        if choice == TIDY_TRASH:
            self.list_mail.trash(refs)
        elif choice == TIDY_ARCHIVE:
            self.list_mail.archive(refs)


def mail_from(reader: Store, account: str, sender: str, limit: int = 5000) -> list[MessageRef]:
    """The account's messages from exactly ``sender`` (the cache's search, then the
    address compared whole), Trash and Junk left out: what leaving a list offers to
    move away."""
    kept = [f.name for f in reader.folders() if f.role not in (FolderRole.TRASH,
                                                                FolderRole.JUNK)]
    found: dict[str, list[int]] = {}
    for folder, _date, uid in reader.search_keys(f"from:{sender}", folders=kept, limit=limit):
        found.setdefault(folder, []).append(uid)
    refs: list[MessageRef] = []
    for folder, uids in found.items():
        state = reader.folder_state(folder)
        validity = 0 if state is None else state.uidvalidity
        refs.extend(MessageRef(account, folder, validity, summary.uid)
                    for summary in reader.summaries_for(folder, uids)
                    if summary.sender.addr.lower() == sender.lower())
    return refs
