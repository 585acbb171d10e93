"""Attachments previewed without saving, and invitations shown (issue 14), in the real
window from a real Dovecot: a picture and a text file open in qtmail's own preview,
a PDF goes to the system viewer, a calendar invitation's title, time and place show
above the body."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.window import open_window
from PySide6.QtCore import QBuffer, QIODevice, QPoint
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel, QPlainTextEdit
from pytestqt.qtbot import QtBot

from qtmail.qt.widgets.message_view import MessageView

pytestmark = [
    pytest.mark.dovecot,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

INVITE = (b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
          b"DTSTART:20261210T150000Z\r\nDTEND:20261210T160000Z\r\n"
          b"SUMMARY:Quarterly review\r\nLOCATION:Room 4.12\r\n"
          b"ORGANIZER;CN=Anna:mailto:anna@example.de\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def png() -> bytes:
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def test_pictures_and_text_preview_and_an_invitation_shows(
        mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"] = "Anna <anna@example.de>", "Bob <bob@example.org>"
    msg["Subject"], msg["Date"] = "Review", "Mon, 02 Nov 2026 08:00:00 +0000"
    msg.set_content("See the attachments.\n")
    msg.add_attachment(INVITE, maintype="text", subtype="calendar", filename="invite.ics")
    msg.add_attachment(png(), maintype="image", subtype="png", filename="chart.png")
    msg.add_attachment(b"line one\nline two\n", maintype="text", subtype="plain",
                       filename="notes.txt")
    msg.add_attachment(b"%PDF-1.4\n", maintype="application", subtype="pdf",
                       filename="report.pdf")
    mail_user.save(msg.as_bytes().replace(b"\n", b"\r\n"))
    window = open_window(mail_user, qtbot, tmp_path, mark_read_ms=-1)
    qtbot.waitUntil(lambda: window.message_list.proxy.rowCount() == 1, timeout=15_000)
    with qtbot.waitSignal(window.reading.shown, timeout=10_000):
        window.message_list.select_row(0)
    view = window.message_view
    assert isinstance(view, MessageView)
    card = view.invitation.text()
    assert view.invitation.isVisible()
    assert "Invitation: Quarterly review" in card and "Where: Room 4.12" in card
    assert "2026" in card and "anna@example.de" in card

    files = view.attachments
    names = [name.split("  ")[0] for name in files.names()]
    files.list.setCurrentRow(names.index("chart.png"))
    shown = files.preview_selected()
    assert shown is not None and shown.shown_as == "image"
    picture = shown.findChild(QLabel, "previewImage")
    assert picture is not None and picture.pixmap().width() == 40
    shown.close()
    files.list.setCurrentRow(names.index("notes.txt"))
    shown = files.preview_selected()
    assert shown is not None
    text = shown.findChild(QPlainTextEdit, "previewText")
    assert text is not None and text.toPlainText() == "line one\nline two\n"
    shown.close()
    files.list.setCurrentRow(names.index("report.pdf"))
    assert not files.preview_button.isEnabled()  # the system's viewer: Open
    assert list(tmp_path.glob("**/chart.png")) == []  # nothing was written
    window.close()


def test_a_picture_in_the_message_has_save_and_copy_and_attachments_a_menu(
        qtbot: QtBot, tmp_path: Path) -> None:
    from email.message import EmailMessage as Message

    from PySide6.QtGui import QGuiApplication

    from qtmail.mime.parse import parse_message

    msg = Message()
    msg["From"], msg["To"], msg["Subject"] = "anna@example.de", "bob@example.org", "Logo"
    msg.set_content("Our logo.\n")
    msg.add_alternative('<p>Our logo:</p><p><img src="cid:logo@example.de"></p>',
                        subtype="html")
    msg.get_payload()[1].add_related(png(), maintype="image", subtype="png",
                                     cid="<logo@example.de>")
    msg.add_attachment(png(), maintype="image", subtype="png", filename="chart.png")
    view = MessageView()
    qtbot.addWidget(view)
    view.resize(600, 500)
    view.show()
    view.show_message(parse_message(msg.as_bytes()))
    browser = view.browser
    spot = next(p for p in (QPoint(x, y) for y in range(0, 120, 4) for x in range(0, 80, 4))
                if browser.image_at(p) is not None)
    menu = browser.link_menu(spot)
    names = [a.objectName() for a in menu.actions()]
    assert "saveImage" in names and "copyImage" in names
    target = tmp_path / "logo.png"
    view.choose_image_path = lambda parent, suggested: str(target)
    next(a for a in menu.actions() if a.objectName() == "saveImage").trigger()
    saved = QImage(str(target))
    assert (saved.width(), saved.height()) == (40, 30)
    next(a for a in menu.actions() if a.objectName() == "copyImage").trigger()
    assert QGuiApplication.clipboard().image().width() == 40

    files = view.attachments
    entries = [(a.text(), a.isEnabled()) for a in files.item_menu().actions()]
    assert entries == [("&Preview", True), ("&Open", True), ("&Save...", True)]
