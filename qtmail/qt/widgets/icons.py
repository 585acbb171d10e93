"""Icons: the desktop theme's when it has them, else small glyphs drawn here.

No icon files ship yet, and a bare X server (or Windows) has no icon theme: a glyph
from the UI font on a coloured tile keeps toolbar and folder tree readable anywhere.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap

from qtmail.core.types import FolderRole

_ROLE_GLYPHS: dict[FolderRole, tuple[str, str, str]] = {
    # role: (theme icon name, glyph, tile colour)
    FolderRole.INBOX: ("mail-folder-inbox", "\u2709", "#2f74c0"),  # envelope
    FolderRole.DRAFTS: ("folder-documents", "\u270e", "#8a6d3b"),  # pencil
    FolderRole.SENT: ("mail-folder-sent", "\u27a4", "#3c8d40"),  # arrow
    FolderRole.ARCHIVE: ("folder-tar", "\u25a4", "#6b5b95"),  # box
    FolderRole.JUNK: ("mail-mark-junk", "\u26a0", "#c17d11"),  # warning sign
    FolderRole.TRASH: ("user-trash", "\u2716", "#8f3f3f"),  # cross
    FolderRole.ALL: ("mail-folder-inbox", "\u2261", "#5d6d7e"),
    FolderRole.FLAGGED: ("starred", "\u2605", "#c9a400"),
}

ACTION_ICONS: dict[str, tuple[str, str]] = {
    # action key: (theme icon name, glyph)
    "get_messages": ("mail-receive", "\u21bb"),
    "write": ("mail-message-new", "\u270e"),
    "reply": ("mail-reply-sender", "\u21a9"),
    "reply_all": ("mail-reply-all", "\u21c7"),
    "forward": ("mail-forward", "\u21aa"),
    "delete": ("edit-delete", "\u2716"),
    "archive": ("mail-archive", "\u25a4"),
    "toggle_read": ("mail-mark-read", "\u2713"),
    "star": ("mail-mark-important", "\u2605"),
    "move_to": ("mail-move", "\u27a4"),
    "undo": ("edit-undo", "\u21b6"),
    "settings": ("preferences-system", "\u2699"),
}


def glyph_pixmap(glyph: str, color: str, size: int = 32, *, tile: bool = True) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    rect = QRectF(1, 1, size - 2, size - 2)
    if tile:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(color))
        painter.drawRoundedRect(rect, size * 0.2, size * 0.2)
        painter.setPen(QColor("white"))
    else:
        painter.setPen(QColor(color))
    font = QFont()
    font.setPixelSize(int(size * (0.62 if tile else 0.8)))
    painter.setFont(font)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    return pixmap


@cache
def folder_icon(role: FolderRole) -> QIcon:
    spec = _ROLE_GLYPHS.get(role)
    if spec is None:
        return QIcon.fromTheme("folder", QIcon(glyph_pixmap("\u25a0", "#9aa5b1")))
    theme, glyph, color = spec
    return QIcon.fromTheme(theme, QIcon(glyph_pixmap(glyph, color)))


@cache
def account_icon() -> QIcon:
    return QIcon.fromTheme("mail-message", QIcon(glyph_pixmap("@", "#34495e")))


@cache
def action_icon(key: str) -> QIcon:
    theme, glyph = ACTION_ICONS[key]
    return QIcon.fromTheme(theme, QIcon(glyph_pixmap(glyph, "#6f7d8c", tile=False)))


@cache
def star_icon(filled: bool) -> QIcon:
    return QIcon(glyph_pixmap("\u2605" if filled else "\u2606",
                              "#d4a600" if filled else "#b0b0b0", 32, tile=False))


@cache
def status_icon(flagged: bool, answered: bool, forwarded: bool) -> QIcon:
    """The message list's status gutter, twice as wide as high: the star, then what the
    user did with the message, as Apple Mail and Thunderbird mark it (replied: the
    hooked left arrow; forwarded only: the hooked right arrow; neither: blank, so the
    names of every row stay aligned)."""
    height = 32
    pixmap = QPixmap(2 * height, height)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.drawPixmap(0, 0, star_icon(flagged).pixmap(height, height))
    if answered or forwarded:
        # Larger and darker than the star's glyph: an arrow's strokes are thin, and at
        # list size the default glyph_pixmap arrow was a faint hook beside the name.
        font = QFont()
        font.setPixelSize(height)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#3f5266"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.drawText(QRectF(height, 0, height, height), Qt.AlignmentFlag.AlignCenter,
                         "\u21a9" if answered else "\u21aa")
    painter.end()
    return QIcon(pixmap)


@cache
def attachment_icon() -> QIcon:
    """A paperclip, drawn: U+1F4CE is missing from most UI fonts."""
    size = 32
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor("#5d6d7e"), 2.6)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    path = QPainterPath()
    path.moveTo(20, 10)  # inner leg, up and round the top, down the outer leg
    path.lineTo(20, 23)
    path.arcTo(QRectF(13, 19, 7, 8), 0, -180)
    path.lineTo(13, 7)
    path.arcTo(QRectF(13, 3, 10, 8), 180, -180)
    path.lineTo(23, 24)
    path.arcTo(QRectF(10, 21, 13, 9), 0, -180)
    path.lineTo(10, 12)
    painter.drawPath(path)
    painter.end()
    return QIcon(pixmap)
