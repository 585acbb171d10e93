"""The message view: header, remote-content bar, body (HTML or text) and attachments.

RELIABILITY C and D: HTML is sanitised, shown in a SafeBrowser (nothing fetched, only
this message's cid: images), links open in the system browser only after the user saw
the real target; pathological HTML is shown as text instead of freezing the window.
The caller parses the message in its worker and hands in the ParsedMessage.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QImageWriter, QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qtmail.accounts.remote_policy import RemoteContentPolicy, is_plain_address
from qtmail.core.types import MessageRef, MessageSummary
from qtmail.mime.browser_copy import browser_copy
from qtmail.mime.html import remote_image_ref
from qtmail.mime.invitations import Invitation, invitation
from qtmail.mime.links import anchor_texts, claimed_target
from qtmail.mime.prepared_html import PreparedHtml, prepare_body
from qtmail.mime.render import escape_display
from qtmail.mime.unsubscribe import Offer, unsubscribe_offer
from qtmail.qt.appearance import is_dark, light_palette
from qtmail.qt.error_text import error_text
from qtmail.qt.invitation_text import event_time_text
from qtmail.qt.safe_browser import SafeBrowser
from qtmail.qt.widgets.attachments import (
    AttachmentList,
    Confirm,
    Inform,
    OpenUrl,
    ask,
    tell,
)
from qtmail.qt.widgets.message_header import MessageHeader, fill
from qtmail.qt.widgets.reading import unavailable_text

if TYPE_CHECKING:  # types only: the parser loads with the first message (issue 18)
    from qtmail.mime.parse import ParsedMessage
    from qtmail.qt.remote_loader import RemoteImageLoader

log = logging.getLogger(__name__)


def _ask_image_path(parent: QWidget, suggested: str) -> str:
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("MessageView", "Save Image"), suggested,
        QCoreApplication.translate("MessageView", "PNG image (*.png)"))
    return str(chosen)

MAX_TEXT_CHARS = 300_000
"""QTextDocument lays out about 1 MB of text a second; longer bodies are cut for display."""
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
"""The only link targets handed to the system (C.26); file:, javascript:, data: never."""

_BODY_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINK = re.compile(r"\b(?:https?://|mailto:)[^\s<>\"'\x00-\x1f]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\u201d\u2019>"


def linkify(text: str) -> str:
    """Escaped plain text as HTML with http, https and mailto URLs as links."""
    pieces: list[str] = []
    pos = 0
    for match in _LINK.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        if url.count(")") < url.count("(") and match.group(0)[len(url):].startswith(")"):
            url += ")"  # Wikipedia-style "(disambiguation)" URLs keep their parenthesis.
        start, end = match.start(), match.start() + len(url)
        pieces.append(html.escape(text[pos:start], quote=False))
        pieces.append(f'<a href="{html.escape(url)}">{html.escape(url, quote=False)}</a>')
        pos = end
    pieces.append(html.escape(text[pos:], quote=False))
    return '<pre style="white-space: pre-wrap;">' + "".join(pieces) + "</pre>"


def host_forms(url: QUrl) -> tuple[str, str]:
    """(Unicode host, ASCII/punycode host) of ``url``, whatever Qt's IDN whitelist says."""
    ace = bytes(QUrl.toAce(url.host(QUrl.ComponentFormattingOption.FullyDecoded)).data())
    ascii_host = ace.decode("ascii", errors="replace")
    unicode_host = QUrl.fromAce(QByteArray(ace), QUrl.AceProcessingOption.IgnoreIDNWhitelist)
    return unicode_host or ascii_host, ascii_host


MIN_PANE_WIDTH = 200
"""The narrowest the reading pane gets, whatever the message shows."""


class MessageView(QWidget):
    """One message, read-only.

    Signals: ``load_remote_requested(MessageRef | None, str sender_address, bool always)``
    from the remote-content bar; ``link_activated(QUrl)`` after the user confirmed a
    link's real target; ``attachment_saved(str path)`` for every file saved.
    Injectable for tests: ``confirm_link``, ``inform``, ``open_url`` and the attachment
    list's ``choose_folder`` / ``confirm`` / ``inform`` / ``open_url``.
    """

    load_remote_requested = Signal(object, str, bool)
    link_activated = Signal(QUrl)
    attachment_saved = Signal(str)
    edit_draft_requested = Signal(object)
    unsubscribe_requested = Signal(object)
    """The Unsubscribe button: the message's ``Offer`` (qtmail.mime.unsubscribe)."""
    """MessageRef: "Edit Draft" was clicked on a message of the Drafts folder."""

    def __init__(self, parent: QWidget | None = None,
                 remote_policy: RemoteContentPolicy | None = None, *,
                 remote_loader: RemoteImageLoader | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageView")
        self.setAccessibleName(self.tr("Message"))
        self.remote_policy = remote_policy
        self.confirm_link: Confirm = ask
        self.inform: Inform = tell
        self.open_url: OpenUrl = QDesktopServices.openUrl
        self.ref: MessageRef | None = None
        self.parsed: ParsedMessage | None = None
        self._prepared: PreparedHtml | None = None
        self._shown_html = ""
        """The sanitized HTML on screen: its anchors' texts are checked on a click."""
        self.blocked_remote = 0
        self.trackers = 0
        self.shown_as_text = False
        """True when the HTML body was too complex and is shown as text (C.30)."""
        self._remote_loader = None if remote_loader is None else self._adopt(remote_loader)
        self.remote_refs: dict[str, str] = {}
        """URL -> internal reference of the remote images of the shown message, once
        the user allowed them ("Load" or "Always for this sender")."""
        self.remote_loaded = 0
        self.remote_answered = 0
        self._remote_batch = 0

        self.stack = QStackedWidget(self)
        self.status = QLabel(self)
        self.status.setObjectName("messageViewStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setMargin(12)
        self.stack.addWidget(self.status)
        page = QWidget(self)
        self.header = MessageHeader(page)
        self.remote_bar, self.remote_label = self._remote_bar(page)
        self.invitation = QLabel(page)  # issue 14: a calendar invitation's event
        self.invitation.setObjectName("invitationCard")
        self.invitation.setTextFormat(Qt.TextFormat.PlainText)
        self.invitation.setWordWrap(True)
        self.invitation.setFrameShape(QFrame.Shape.StyledPanel)
        self.invitation.setMargin(6)
        self.invitation.hide()
        self.notice = QLabel(page)
        self.notice.setObjectName("bodyNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.browser = SafeBrowser(page)
        self.browser.setObjectName("messageBody")
        self.browser.setAccessibleName(self.tr("Message body"))
        self.browser.link_clicked.connect(self.activate_link)
        self.browser.image_save_requested.connect(self.save_image)
        self.choose_image_path: Callable[[QWidget, str], str] = _ask_image_path
        self.attachments = AttachmentList(page)
        self.attachments.saved.connect(self.attachment_saved)
        inner = QVBoxLayout(page)
        inner.setContentsMargins(0, 0, 0, 0)
        self.edit_draft_button = QPushButton(self.tr("&Edit Draft"), page)
        self.edit_draft_button.setObjectName("editDraftButton")
        self.edit_draft_button.setAccessibleName(self.tr("Continue writing this draft"))
        self.edit_draft_button.clicked.connect(
            lambda _checked=False: self.edit_draft_requested.emit(self.ref))
        self.edit_draft_button.hide()
        self.unsubscribe_button = QPushButton(self.tr("&Unsubscribe"), page)
        self.unsubscribe_button.setObjectName("unsubscribeButton")
        self.unsubscribe_button.setToolTip(self.tr("Leave this mailing list"))
        self.unsubscribe_button.clicked.connect(self._unsubscribe_clicked)
        self.unsubscribe_button.hide()
        self.offer: Offer | None = None
        self.browser_button = QPushButton(self.tr("Open in &Browser"), page)
        self.browser_button.setObjectName("openInBrowserButton")
        self.browser_button.setToolTip(self.tr(
            "A copy of this message as shown here, in your web browser"))
        self.browser_button.clicked.connect(lambda _checked=False: self.open_in_browser())
        self.browser_button.hide()
        # The message's own buttons on one line, each as wide as its text (seen under
        # Xvfb: one per line, "Open in Browser" stretched over the whole pane).
        buttons = QHBoxLayout()
        buttons.setContentsMargins(6, 0, 6, 0)
        for button in (self.edit_draft_button, self.unsubscribe_button, self.browser_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        inner.addWidget(self.header)
        inner.addLayout(buttons)
        for widget in (self.invitation, self.remote_bar, self.notice):
            inner.addWidget(widget)
        inner.addWidget(self.browser, 1)
        inner.addWidget(self.attachments)
        self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        # An explicit minimum: the splitter then ignores the minimum size hints of what
        # a message puts in the pane (a bar of buttons, a long header line), which
        # otherwise took width from the list the user had set (issue 13 item 7).
        self.setMinimumWidth(MIN_PANE_WIDTH)
        self.clear()

    @property
    def remote_loader(self) -> RemoteImageLoader:
        """Fetches remote images off the GUI thread, only after the user asked; made on
        first use: its urllib half is not needed to show the window (issue 18)."""
        if self._remote_loader is None:
            from qtmail.qt.remote_loader import RemoteImageLoader

            self._remote_loader = self._adopt(RemoteImageLoader())
        return self._remote_loader

    def _adopt(self, loader: RemoteImageLoader) -> RemoteImageLoader:
        loader.setParent(self)
        loader.image_loaded.connect(self._remote_image_loaded)
        loader.image_dropped.connect(self._remote_image_done)
        loader.finished.connect(self._remote_images_finished)
        return loader

    def _remote_bar(self, parent: QWidget) -> tuple[QFrame, QLabel]:
        bar = QFrame(parent)
        bar.setObjectName("remoteContentBar")
        bar.setFrameShape(QFrame.Shape.StyledPanel)
        label = QLabel(bar)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        self.load_once_button = QPushButton(self.tr("Load for this message"), bar)
        self.load_always_button = QPushButton(self.tr("Always for this sender"), bar)
        self.load_once_button.clicked.connect(lambda _checked=False: self.request_remote(False))
        self.load_always_button.clicked.connect(lambda _checked=False: self.request_remote(True))
        row = QHBoxLayout(bar)
        row.setContentsMargins(6, 2, 6, 2)
        row.addWidget(label, 1)
        row.addWidget(self.load_once_button)
        row.addWidget(self.load_always_button)
        return bar, label

    # -- states -------------------------------------------------------------------------
    def clear(self) -> None:
        self._stop_remote()
        self.invitation.hide()
        self.browser_button.hide()
        self.ref = None
        self.parsed = None
        self.blocked_remote = 0
        self.trackers = 0
        self.shown_as_text = False
        self.header.clear()
        self.browser.show_text("")
        self.attachments.show_attachments(None)
        self.remote_bar.hide()
        self.notice.hide()
        self.edit_draft_button.hide()
        self.offer = None
        self.unsubscribe_button.hide()
        self._show_status(self.tr("No message selected."))

    def show_unavailable(self, summary: MessageSummary | None, text: str) -> None:
        """A message whose body cannot be had now: its cached headers, and why."""
        self.clear()
        self._show_status(unavailable_text(summary, text))

    def _unsubscribe_clicked(self) -> None:
        if self.offer is not None:
            self.unsubscribe_requested.emit(self.offer)

    def show_edit_draft(self, shown: bool) -> None:
        """The window says the message shown is a draft (it knows the folder's role)."""
        self.edit_draft_button.setVisible(shown and self.ref is not None)

    def show_loading(self) -> None:
        self._show_status(self.tr("Loading message\u2026"))

    def show_error(self, text: str) -> None:
        self._show_status(escape_display(error_text(text)) if text else self.tr(
            "This message could not be shown."))

    def _show_status(self, text: str) -> None:
        self.status.setText(text)
        self.stack.setCurrentIndex(0)

    def status_text(self) -> str:
        return self.status.text() if self.stack.currentIndex() == 0 else ""

    # -- showing a message --------------------------------------------------------------
    def show_message(self, parsed: ParsedMessage, ref: MessageRef | None = None,
                     prepared: PreparedHtml | None = None) -> None:
        """``prepared``: the HTML body sanitised in the worker (prepared_html.py); without
        it (a message not read through an account's worker) it is done here."""
        self.ref = ref
        self.parsed = parsed
        self._prepared = prepared
        self.header.show_message(parsed)
        self._show_invitation(invitation(parsed))
        self.attachments.show_attachments(parsed)
        self.offer = unsubscribe_offer(parsed)  # issue 14: List-Unsubscribe
        self.unsubscribe_button.setVisible(self.offer is not None)
        # Only an exact, well-formed sender address on the allow list loads by itself.
        policy = self.remote_policy
        self._show_body(parsed, policy is not None and policy.is_allowed(parsed.sender.addr))

    def _show_body(self, parsed: ParsedMessage, remote: bool) -> None:
        self._stop_remote()
        self.shown_as_text = False
        self._shown_html = ""
        self.browser_button.hide()  # shown again for HTML
        notices: list[str] = []
        if parsed.html_body and parsed.html_body.strip():
            self._show_html(parsed, notices, remote)
        else:
            self.blocked_remote = 0
            self.trackers = 0
            self._show_text(parsed.text_body or "", notices)
        self._update_remote_bar()
        self.notice.setText("\n".join(notices))
        self.notice.setVisible(bool(notices))
        self.stack.setCurrentIndex(1)
        self.browser.verticalScrollBar().setValue(0)

    def _show_html(self, parsed: ParsedMessage, notices: list[str], remote: bool) -> None:
        body = parsed.html_body or ""
        prepared = self._prepared
        if prepared is not None and prepared.source is body:
            shown = prepared.variant(remote)
        else:
            shown = prepare_body(body, parsed.text_body, remote=remote)
        self.blocked_remote = shown.blocked_remote
        self.trackers = shown.html.trackers if shown.html is not None else 0
        if shown.html is None:
            self.shown_as_text = True
            notices.append(self._too_complex_text())
            self._show_text(shown.text, notices)
            return
        safe = shown.html
        self._shown_html = safe.html
        self.browser_button.show()
        # HTML mail is designed on white paper: in dark mode it keeps a light page
        # (Thunderbird and Geary do too), else dark default text meets a dark base.
        self.browser.setPalette(light_palette() if is_dark() else QPalette())
        self.browser.show_html(safe.html, parsed.cid_map())
        if remote and safe.remote_images:
            self.remote_refs = {url: remote_image_ref(i)
                                for i, url in enumerate(safe.remote_images)}
            self._remote_batch = self.remote_loader.load(safe.remote_images)

    def _show_invitation(self, event: Invitation | None) -> None:
        """Title, time and place of the event, above the body (its .ics stays listed
        with the attachments, to open in a calendar)."""
        if event is None:
            self.invitation.hide()
            return
        lines = [fill(self.tr("Cancelled: %1") if event.cancelled else self.tr("Invitation: %1"),
                      escape_display(event.summary) or self.tr("(no title)"))]
        when = event_time_text(event)
        if when:
            lines.append(fill(self.tr("When: %1"), when))
        if event.location:
            lines.append(fill(self.tr("Where: %1"), escape_display(event.location)))
        if event.organizer:
            lines.append(fill(self.tr("Organizer: %1"), escape_display(event.organizer)))
        self.invitation.setText("\n".join(lines))
        self.invitation.show()

    def save_image(self, image: QImage) -> bool:
        """Save a picture of the message as PNG where the user chooses (issue 14)."""
        path = self.choose_image_path(self, self.tr("image.png"))
        if not path:
            return False
        if not QImageWriter(path, QByteArray(b"png")).write(image):
            self.inform(self, self.tr("Could not save"), self.tr(
                "The picture could not be saved there. Choose another folder."))
            return False
        return True

    def open_in_browser(self) -> Path | None:
        """Write the sanitised HTML shown (remote pictures only if they were loaded) to
        a private 0700 folder and open it in the browser (issue 14)."""
        if not self._shown_html or self.parsed is None:
            return None
        page = browser_copy(self._shown_html, self.parsed.subject, self.remote_refs or None)
        # The attachments' private 0700 folder, removed at exit, serves the copy too.
        path = self.attachments.temp_dir.write("message.html", page.encode("utf-8"))
        self.open_url(QUrl.fromLocalFile(str(path)))
        return path

    def _too_complex_text(self) -> str:
        return self.tr("This message's formatting is too complex to display safely; it is "
                       "shown as plain text.")

    def _show_text(self, text: str, notices: list[str]) -> None:
        text = _BODY_CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
        if len(text) > MAX_TEXT_CHARS:
            text = text[:MAX_TEXT_CHARS]
            notices.append(self.tr("This message is very long; only its beginning is shown. "
                                   "Save it to read all of it."))
        self.browser.setPalette(QPalette())  # the window's colours, light or dark
        self.browser.show_html(linkify(text), {})

    def _stop_remote(self) -> None:
        if self._remote_loader is not None:
            self._remote_loader.cancel()
        self.remote_refs = {}
        self.remote_loaded = 0
        self.remote_answered = 0
        self._remote_batch = 0

    def _remote_image_loaded(self, batch: int, url: str, image: QImage) -> None:
        ref = self.remote_refs.get(url)
        if batch != self._remote_batch or ref is None:
            return
        self.browser.set_remote_image(ref, image)
        self.remote_loaded += 1
        self._remote_image_done(batch, url, "")

    def _remote_image_done(self, batch: int, url: str, reason: str) -> None:
        if batch == self._remote_batch:
            self.remote_answered += 1
            self._update_remote_bar()

    def _remote_images_finished(self, batch: int) -> None:
        if batch == self._remote_batch:
            self._update_remote_bar()

    def _trackers_text(self) -> str:
        """" N tracking images removed." (with its leading space), or ""."""
        if self.trackers <= 0:
            return ""
        return " " + self.tr("%n tracking image(s) removed.", "", self.trackers)

    def _update_remote_bar(self) -> None:
        if self.remote_refs and self.parsed is not None:
            # Remote images were allowed for this message: say how loading goes.
            total = len(self.remote_refs)
            if self.remote_answered < total:
                text = self.tr("Loading remote images (%1 of %2)\u2026")
            else:
                text = self.tr("Remote images loaded (%1 of %2).")
            self.remote_label.setText(fill(text, str(self.remote_loaded), str(total))
                                      + self._trackers_text())
            self.load_once_button.hide()
            self.load_always_button.hide()
            self.remote_bar.show()
            return
        self.load_once_button.show()
        self.load_always_button.show()
        count = self.blocked_remote
        if self.parsed is None or (count <= 0 and self.trackers <= 0):
            self.remote_bar.hide()
            return
        if count <= 0:  # only trackers: nothing to load, just say what was removed
            self.load_once_button.hide()
            self.load_always_button.hide()
            self.remote_label.setText(self._trackers_text().strip())
            self.remote_bar.show()
            return
        self.remote_label.setText(
            self.tr("Remote content blocked (%n item(s)).", "", count) + self._trackers_text())
        self.load_always_button.setEnabled(is_plain_address(self.parsed.sender.addr))
        self.remote_bar.show()

    def request_remote(self, always: bool) -> None:
        """The bar's buttons: load this message's remote images (off the GUI thread).

        An "always" choice is also remembered in the policy when one was handed in, so
        later messages from exactly this address load by themselves.
        """
        parsed = self.parsed
        if parsed is None:
            return
        address = parsed.sender.addr
        if always:
            if not is_plain_address(address):
                return
            if self.remote_policy is not None:
                self.remote_policy.allow(address)
        self.load_remote_requested.emit(self.ref, address, always)
        if not self.remote_refs and not self.shown_as_text:
            scroll = self.browser.verticalScrollBar().value()
            self._show_body(parsed, True)
            self.browser.verticalScrollBar().setValue(scroll)

    # -- links --------------------------------------------------------------------------
    def activate_link(self, url: QUrl) -> bool:
        """A click on a link: refuse unsafe schemes, else confirm the real target first.

        Returns True when the link was handed to the system browser.
        """
        if url.isRelative() and url.hasFragment() and not url.path() and not url.host():
            self.browser.scrollToAnchor(url.fragment())
            return False
        scheme = url.scheme().lower()
        target = escape_display(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
        if scheme not in LINK_SCHEMES or not url.isValid():
            self.inform(self, self.tr("Link not opened"), fill(self.tr(
                "This link was not opened: qtmail opens only web (http, https) and e-mail "
                "(mailto) links.\n\nIts target was: %1"), _shorten(target)))
            return False
        if not self.confirm_link(self, self.tr("Open link?"), self.describe_link(url)):
            return False
        self.link_activated.emit(QUrl(url))
        self.open_url(QUrl(url))
        return True

    def describe_link(self, url: QUrl) -> str:
        """The confirmation text: the full target, and the host in both spellings."""
        target = escape_display(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
        lines = [self.tr("This link opens:"), _shorten(target)]
        claimed = self.claimed_by_text(url)
        if claimed:
            lines.insert(0, fill(self.tr(
                "\u26a0 Warning: this link's text shows %1, but it goes elsewhere. It may "
                "be a scam; open it only if you expected this target."),
                escape_display(claimed)))
        if url.scheme().lower() == "mailto":
            lines.append(fill(self.tr("A new message to %1."), escape_display(url.path())))
            return "\n\n".join(lines)
        unicode_host, ascii_host = host_forms(url)
        if unicode_host != ascii_host:
            lines.append(fill(self.tr(
                "Host: %1 (spelled %2). This name uses non-Latin letters; some look like "
                "Latin ones and can imitate another site."),
                escape_display(unicode_host), escape_display(ascii_host)))
        else:
            lines.append(fill(self.tr("Host: %1"), escape_display(ascii_host)))
        if url.userInfo():
            lines.append(fill(self.tr(
                "The text before \u201c@\u201d (%1) is not the site: the link goes to %2."),
                escape_display(url.userInfo()), escape_display(ascii_host)))
        if url.scheme().lower() == "http":
            lines.append(self.tr("The connection will not be encrypted."))
        return "\n\n".join(lines)


    def claimed_by_text(self, url: QUrl) -> str:
        """The place the clicked link's visible text names when it is not ``url``."""
        if not self._shown_html:
            return ""
        wanted = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        for href, texts in anchor_texts(self._shown_html).items():
            if QUrl(href).toString(QUrl.ComponentFormattingOption.FullyEncoded) != wanted:
                continue
            for text in texts:
                claimed = claimed_target(text, href)
                if claimed:
                    return claimed
        return ""


def _shorten(text: str, limit: int = 1000) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
