"""A QTextBrowser that never navigates and never loads anything but this message's cid: parts.

RELIABILITY C.24: QTextDocument::loadResource() falls back to reading local files for
``file:``, relative and absolute names (and decodes ``data:`` URLs), and Qt's image
handler calls QImage::load(name) on the local disk when a resource comes back empty.
So the document itself is subclassed (its loadResource never reaches the base class),
and every image request is answered with an image: the message's own ``cid:`` part, or
an empty placeholder that stops Qt from trying the file system. Remote images the user
asked for are fetched elsewhere (qtmail.qt.remote_loader) and handed in as decoded
images under their internal ``qtmail-remote:N`` reference (qtmail.mime.html).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from PySide6.QtCore import QPoint, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QGuiApplication,
    QImage,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QMenu, QTextBrowser, QWidget

from qtmail.mime.html import REMOTE_IMAGE_SCHEME

log = logging.getLogger(__name__)

# "font-size: 0" (hidden filter-bait text) makes Qt warn "QFont::setPixelSize: Pixel
# size <= 0" on every paint; 1px keeps it as hidden without the noise.
_ZERO_FONT = re.compile(r"(font(?:-size)?\s*:\s*)(?:0+\.?0*|\.0+)(?:px|pt|em|rem|ex|%)?(?![\w.%])",
                        re.IGNORECASE)
@dataclass(frozen=True, slots=True)
class ResourceRequest:
    """One loadResource call: what the document asked for and whether it got data."""

    url: str
    resource_type: int
    answered: bool
    """True only when a cid: part of the shown message (or a remote image the user
    asked for, already fetched) was returned."""


def _cid_key(url: QUrl) -> str:
    # RFC 2392: "cid:" followed by the %-encoded Content-ID without angle brackets.
    text = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
    return unquote(text.split(":", 1)[1]).strip("<> ") if ":" in text else ""


class SafeDocument(QTextDocument):
    """A document that asks its policy for every resource and never reads a file itself."""

    def __init__(self, browser: SafeBrowser) -> None:
        super().__init__(browser)
        self._browser = browser

    def loadResource(self, type: int, name: QUrl | str) -> object:
        return self._browser.loadResource(type, name)


class SafeBrowser(QTextBrowser):
    """Read-only HTML/text view for one MIME part at a time.

    Signals: ``link_clicked(QUrl)`` when the user activates a link (never followed here).
    """

    link_clicked = Signal(QUrl)
    image_save_requested = Signal(QImage)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setSearchPaths([])
        self.requests: list[ResourceRequest] = []
        """Every resource request of the current document (for tests and diagnostics)."""
        self._cids: Mapping[str, bytes] = {}
        self._images: dict[str, QImage] = {}
        self._remote: dict[str, QImage] = {}
        self._placeholder = QImage(1, 1, QImage.Format.Format_ARGB32)
        self._placeholder.fill(QColor(0, 0, 0, 0))
        self.anchorClicked.connect(self._on_anchor)
        self._new_document({})

    def _new_document(self, cids: Mapping[str, bytes]) -> None:
        # A fresh document per part: no cached resource of another message survives.
        old = self.document()
        self._cids = dict(cids)
        self._images = {}
        self._remote = {}
        self.requests = []
        document = SafeDocument(self)
        document.setUndoRedoEnabled(False)
        self.setDocument(document)
        if isinstance(old, SafeDocument):
            old.deleteLater()

    def show_html(self, html: str, cids: Mapping[str, bytes]) -> None:
        """Show sanitised HTML; only the given Content-IDs may resolve as images."""
        self._new_document(cids)
        self.document().setHtml(_ZERO_FONT.sub(r"\g<1>1px", html))

    def show_text(self, text: str) -> None:
        self._new_document({})
        self.document().setPlainText(text)

    def loadResource(self, type: int, name: QUrl | str) -> object:
        """Only this message's cid: images; never the base class (C.24)."""
        name = QUrl(name)
        answer: QImage | None = None
        if name.scheme().lower() == "cid" and type == QTextDocument.ResourceType.ImageResource:
            answer = self._cid_image(_cid_key(name))
        elif name.scheme().lower() == REMOTE_IMAGE_SCHEME \
                and type == QTextDocument.ResourceType.ImageResource:
            answer = self._remote.get(name.toString())
        self.requests.append(ResourceRequest(name.toString(), int(type), answer is not None))
        if type != QTextDocument.ResourceType.ImageResource:
            return None
        if answer is None:
            # An empty answer makes QTextImageHandler try QImage::load(name) on disk
            # (checked: a plain QTextBrowser returning None still shows /tmp/x.png).
            answer = self._placeholder
        # Kept in this document, so layout and every repaint do not ask again.
        self.document().addResource(type, name, answer)
        return answer

    def set_remote_image(self, ref: str, image: QImage) -> None:
        """Show a fetched image for the internal reference ``ref`` of this document."""
        if image.isNull() or QUrl(ref).scheme().lower() != REMOTE_IMAGE_SCHEME:
            return
        self._remote[ref] = image
        document = self.document()
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(ref), image)
        # The layout still has the 1x1 placeholder's size: lay out again.
        document.markContentsDirty(0, document.characterCount())

    def remote_image(self, ref: str) -> QImage | None:
        return self._remote.get(ref)

    def _cid_image(self, key: str) -> QImage | None:
        if key in self._images:
            return self._images[key]
        data = self._cids.get(key)
        if data is None:
            return None
        image = QImage.fromData(data)
        if image.isNull():
            return None
        self._images[key] = image
        return image

    def doSetSource(self, name: QUrl | str, type: QTextDocument.ResourceType
                    = QTextDocument.ResourceType.UnknownResource) -> None:
        """Navigation is refused: a link or a key press must never change the document."""
        log.debug("refused navigation to %s", QUrl(name).toString())

    def _on_anchor(self, url: QUrl) -> None:
        self.link_clicked.emit(QUrl(url))

    # -- the menu on the right mouse button (issue 14) -------------------------------------
    def link_menu(self, pos: QPoint) -> QMenu:
        """Qt's Copy / Select All, and on a link: where it really goes (whatever its text
        says), Open Link… (through the same confirmation as a click) and Copy Link."""
        menu = self.createStandardContextMenu(pos)
        self._add_image_actions(menu, pos)
        anchor = self.anchorAt(pos)
        if not anchor:
            return menu
        url = QUrl(anchor)
        first = menu.actions()[0] if menu.actions() else None
        where = QAction(self.tr("Goes to: %1").replace("%1", url.host() or url.scheme()), menu)
        where.setEnabled(False)  # information, never a button
        open_link = QAction(self.tr("&Open Link…"), menu)
        open_link.triggered.connect(lambda: self.link_clicked.emit(QUrl(url)))
        copy_link = QAction(self.tr("Copy &Link"), menu)
        copy_link.triggered.connect(
            lambda: QGuiApplication.clipboard().setText(url.toString()))
        for name, action in (("linkTarget", where), ("openLink", open_link),
                             ("copyLink", copy_link)):
            action.setObjectName(name)
        _put_first(menu, first, (where, open_link, copy_link))
        return menu

    def image_at(self, pos: QPoint) -> QImage | None:
        """The picture under ``pos`` (a cid: part, or a remote one the user loaded)."""
        cursor = self.cursorForPosition(pos)
        for offset in (0, 1):  # the character before or after the point
            probe = QTextCursor(cursor)
            probe.movePosition(QTextCursor.MoveOperation.NextCharacter,
                               QTextCursor.MoveMode.MoveAnchor, offset)
            form = probe.charFormat()
            if form.isImageFormat():
                found = self.document().resource(QTextDocument.ResourceType.ImageResource,
                                                 QUrl(form.toImageFormat().name()))
                if isinstance(found, QImage) and not found.isNull() \
                        and found.width() > 1 and found.height() > 1:
                    return found
        return None

    def _add_image_actions(self, menu: QMenu, pos: QPoint) -> None:
        """On a picture: Save Image As… (signal ``image_save_requested``), Copy Image."""
        image = self.image_at(pos)
        if image is None:
            return
        first = menu.actions()[0] if menu.actions() else None
        save = QAction(self.tr("Save &Image As…"), menu)
        save.setObjectName("saveImage")
        save.triggered.connect(lambda: self.image_save_requested.emit(image))
        copy = QAction(self.tr("Copy I&mage"), menu)
        copy.setObjectName("copyImage")
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setImage(image))
        _put_first(menu, first, (save, copy))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.link_menu(event.pos())
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())


def _put_first(menu: QMenu, first: QAction | None, actions: tuple[QAction, ...]) -> None:
    """``actions`` above ``first`` (Qt's own entries), with a separator between."""
    for action in actions:
        if first is None:
            menu.addAction(action)
        else:
            menu.insertAction(first, action)
    if first is not None:
        menu.insertSeparator(first)
