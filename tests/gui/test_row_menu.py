"""Issue 14, first part, through the real window against Dovecot: the message list's
menu on the right mouse button, Junk / Not Junk checked on the server, a message in a
window of its own (Enter), View Source and Save As .eml."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.mailgen import message
from helpers.window import highlighted_subjects as highlighted
from helpers.window import list_subjects as subjects
from helpers.window import open_window
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtWidgets import QApplication, QStyleOptionToolButton, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from qtmail.qt.controllers.message_windows import MessageWindow, SourceWindow
from qtmail.qt.widgets.main_window import MainWindow

pytestmark = [
    pytest.mark.dovecot,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints",
                              "This plugin does not support raise",
                              "This plugin does not support grabbing the keyboard"),
]


@pytest.fixture
def window(mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    client = mail_user.imap()
    client.create_folder("Junk")
    client.logout()
    for n in range(3):  # "Mail 2" is the newest: the list shows 2, 1, 0
        mail_user.save(message(f"Mail {n}", date=dt.datetime(2024, 1, 1, 10, n, tzinfo=dt.UTC)))
    shown = open_window(mail_user, qtbot, tmp_path, mark_read_ms=-1)
    qtbot.waitUntil(lambda: shown.message_list.proxy.rowCount() == 3, timeout=15_000)
    yield shown
    for made in list(shown.windows.windows):
        made.close()
    shown.close()


def on_server(user: MailUser, folder: str) -> dict[str, set[str]]:
    client = user.imap()
    try:
        client.select_folder(folder, readonly=True)
        data = client.fetch(client.search("ALL"), ["ENVELOPE", "FLAGS"])
        return {item[b"ENVELOPE"].subject.decode(): {f.decode() for f in item[b"FLAGS"]}
                for item in data.values()}
    finally:
        client.logout()


def right_click(qtbot: QtBot, window: MainWindow, row: int) -> None:
    view = window.message_list
    point = view.visualRect(view.proxy.index(row, 1)).center()
    qtbot.mousePress(view.viewport(), Qt.MouseButton.RightButton, pos=point)
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, view.viewport().mapToGlobal(point)))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.RightButton, pos=point)


def open_with_enter(window: MainWindow, qtbot: QtBot, row: int) -> MessageWindow:
    """Click ``row``, press Enter: the message window that opens."""
    click(qtbot, window, row)
    view = window.message_list
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(isinstance(w, MessageWindow) for w in window.windows.windows),
                    timeout=10_000)
    [opened] = [w for w in window.windows.windows if isinstance(w, MessageWindow)]
    return opened


def choosing(target: Path, asked: list[str]) -> Callable[[QWidget, str], str]:
    """The user's answer in the save dialog: ``target``; the suggested names noted."""
    def choose(parent: QWidget, suggested: str) -> str:
        asked.append(suggested)
        return str(target)
    return choose


def has_menu_arrow(button: QToolButton) -> bool:
    option = QStyleOptionToolButton()
    button.initStyleOption(option)
    return bool(option.features & QStyleOptionToolButton.ToolButtonFeature.HasMenu)


def click(qtbot: QtBot, window: MainWindow, row: int) -> None:
    view = window.message_list
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(view.proxy.index(row, 1)).center())


def test_the_row_menu_acts_on_the_row_clicked_and_junk_reaches_the_server(
        window: MainWindow, qtbot: QtBot, mail_user: MailUser) -> None:
    assert subjects(window) == ["Mail 2", "Mail 1", "Mail 0"]
    click(qtbot, window, 0)
    right_click(qtbot, window, 1)  # outside the selection: it becomes the selection
    qtbot.waitUntil(window.row_menu.isVisible, timeout=5_000)
    assert highlighted(window) == ["Mail 1"]
    entries = [a.text() for a in window.row_menu.actions() if not a.isSeparator()]
    for wanted in ("Open in New &Window", "&Reply", "Mark as &Junk", "Mark as &Not Junk",
                   "&Move To…", "Arc&hive", "&Delete", "Save &As…", "View &Source",
                   "Create Rule from This &Message…"):
        assert wanted in entries
    window.row_menu.close()
    window.action_set.junk.trigger()  # the menu's entry (and Shift+J)

    qtbot.waitUntil(lambda: "Mail 1" in on_server(mail_user, "Junk"), timeout=15_000)
    flags = on_server(mail_user, "Junk")["Mail 1"]
    assert {"$Junk", "Junk"} <= flags and not {"$NotJunk", "NonJunk"} & flags
    assert set(on_server(mail_user, "INBOX")) == {"Mail 2", "Mail 0"}
    # The next row took over, as after Delete (the window may still be taking the
    # worker's news in: the server was asked from this very thread).
    qtbot.waitUntil(lambda: highlighted(window) == ["Mail 0"], timeout=5_000)

    assert window.junk_button.text() == "Junk"
    assert window.folder_view.select_folder("work", "Junk")
    qtbot.waitUntil(lambda: subjects(window) == ["Mail 1"], timeout=15_000)
    click(qtbot, window, 0)
    # In Junk the toolbar's button rescues instead (the menus keep both entries).
    assert window.junk_button.text() == "Not Junk"
    assert not has_menu_arrow(window.junk_button)  # (it had one after the swap)
    qtbot.mouseClick(window.junk_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Mail 1" in on_server(mail_user, "INBOX"), timeout=15_000)
    flags = on_server(mail_user, "INBOX")["Mail 1"]
    assert {"$NotJunk", "NonJunk"} <= flags and not {"$Junk", "Junk"} & flags
    assert on_server(mail_user, "Junk") == {}
    assert window.folder_view.select_folder("work", "INBOX")
    assert window.junk_button.text() == "Junk"


def test_enter_opens_a_window_and_source_and_save_as_give_the_message(
        window: MainWindow, qtbot: QtBot, mail_user: MailUser, tmp_path: Path) -> None:
    opened = open_with_enter(window, qtbot, 1)
    assert opened.windowTitle().startswith("Mail 1")
    assert opened.isVisible()

    window.action_set.view_source.trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, SourceWindow) for w in window.windows.windows),
                    timeout=10_000)
    [source] = [w for w in window.windows.windows if isinstance(w, SourceWindow)]
    assert "Subject: Mail 1" in source.text.toPlainText()
    assert source.text.isReadOnly()

    target = tmp_path / "saved.eml"
    asked: list[str] = []
    window.windows._choose_file = choosing(target, asked)
    window.action_set.save_as.trigger()
    qtbot.waitUntil(lambda: target.exists() and not window.windows.busy, timeout=10_000)
    assert asked == ["Mail 1.eml"]
    client = mail_user.imap()
    client.select_folder("INBOX", readonly=True)
    uid = next(u for u, d in client.fetch(client.search("ALL"), ["ENVELOPE"]).items()
               if d[b"ENVELOPE"].subject == b"Mail 1")
    raw = client.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
    client.logout()
    assert target.read_bytes() == raw  # byte for byte what the server has


def test_nothing_remote_loads_by_itself_in_junk(
        window: MainWindow, qtbot: QtBot, mail_user: MailUser) -> None:
    window.prefs.remote_policy("work").allow("alice@example.org")  # "always" for her
    click(qtbot, window, 0)
    qtbot.waitUntil(lambda: window.message_view.remote_policy.is_allowed(
        "alice@example.org"), timeout=5_000)
    window.action_set.junk.trigger()
    assert window.folder_view.select_folder("work", "Junk")
    qtbot.waitUntil(lambda: subjects(window) == ["Mail 2"], timeout=15_000)
    click(qtbot, window, 0)
    qtbot.waitUntil(lambda: window.reading.current is not None
                    and window.reading.current.folder == "Junk", timeout=5_000)
    assert not window.message_view.remote_policy.is_allowed("alice@example.org")


def test_save_as_pdf_prints_the_headers_and_the_body_as_shown(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    from pypdf import PdfReader

    click(qtbot, window, 1)  # Mail 1
    view = window.message_view
    qtbot.waitUntil(lambda: "Hello there." in view.browser.toPlainText(), timeout=10_000)
    target = tmp_path / "printed.pdf"
    suggested: list[str] = []
    window.windows._choose_pdf = choosing(target, suggested)
    window.action_set.save_pdf.trigger()
    assert suggested == ["Mail 1.pdf"]
    # Words as the PDF places them, whatever spacing the extraction guesses.
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(target).pages).split())
    for wanted in ("Mail 1", "From:", "Alice Example", "Hello there."):
        assert wanted in text, text[:300]


def newsletter(subject: str, *, signed: bool) -> bytes:
    results = ("Authentication-Results: mx.example.net; dkim=pass header.d=example.org\r\n"
               if signed else "")
    return (f"{results}List-Unsubscribe: <mailto:leave@lists.example.org?subject=unsubscribe>,"
            f" <https://lists.example.org/u/42>\r\n"
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            f"From: The Weekly <news@example.org>\r\nTo: me@example.net\r\n"
            f"Subject: {subject}\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000\r\n"
            "Message-ID: <" + subject.replace(" ", ".") + "@example.org>\r\n\r\n"
            "This week's news.\r\n").encode()


def test_unsubscribe_one_click_posts_exactly_once_and_else_prepares_a_mail(
        mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> None:
    from functools import partial

    from helpers.https_server import HttpsServer

    from qtmail.net.one_click import one_click
    from qtmail.qt.controllers.unsubscribe import TIDY_ARCHIVE

    mail_user.save(newsletter("Signed weekly", signed=True))
    mail_user.save(newsletter("Unsigned weekly", signed=False))
    mail_user.save(message("Other", sender="Ann <ann@example.org>"))
    web = HttpsServer(tmp_path, ["lists.example.org"], {})
    window = open_window(mail_user, qtbot, tmp_path, mark_read_ms=-1)
    try:
        qtbot.waitUntil(lambda: window.message_list.proxy.rowCount() == 3, timeout=15_000)
        leaving = window.unsubscribe
        # Then the offer to move the list's mail away: kept the first time, archived
        # the second.
        offered: list[tuple[str, int]] = []
        choices: list[str | None] = [None, TIDY_ARCHIVE]
        leaving.choose_tidy = lambda parent, name, count: offered.append((name, count)) \
            or choices.pop(0)
        leaving.post = partial(one_click, context=web.client_context(),
                               addresses={"lists.example.org": ("127.0.0.1", web.port)})
        asked: list[str] = []
        leaving.confirm = lambda parent, question, detail: asked.append(question) or True
        view = window.message_view
        row = subjects(window).index("Signed weekly")
        click(qtbot, window, row)
        qtbot.waitUntil(lambda: view.unsubscribe_button.isVisible(), timeout=10_000)
        qtbot.mouseClick(view.unsubscribe_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(web.posts) and not leaving.busy, timeout=10_000)
        [(path, body, headers)] = web.posts  # once, by POST; never a GET
        assert (path, body) == ("/u/42", b"List-Unsubscribe=One-Click")
        assert "cookie" not in headers and "authorization" not in headers
        assert web.requests == []
        assert asked == ["Unsubscribe from The Weekly?"]
        assert "You are unsubscribed from The Weekly." in window.status.currentMessage()

        # Not signed by the sender's domain: a prepared message, nothing sent by itself.
        click(qtbot, window, subjects(window).index("Unsigned weekly"))
        qtbot.waitUntil(lambda: view.offer is not None
                        and view.offer.target.startswith("mailto:"), timeout=10_000)
        qtbot.mouseClick(view.unsubscribe_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(window.compose.composers), timeout=5_000)
        composer = window.compose.composers[-1]
        assert composer.draft().subject == "unsubscribe"
        assert [a.addr for a in composer.draft().to] == ["leave@lists.example.org"]
        assert len(web.posts) == 1
        composer._finish()
        composer.close()
        assert offered == [("The Weekly", 2), ("The Weekly", 2)]
        qtbot.waitUntil(lambda: set(on_server(mail_user, "Archive"))
                        == {"Signed weekly", "Unsigned weekly"}, timeout=15_000)
        assert set(on_server(mail_user, "INBOX")) == {"Other"}
    finally:
        window.close()
        web.stop()


def test_keyboard_shortcuts_page_and_text_size(window: MainWindow, qtbot: QtBot) -> None:
    from qtmail.qt.shortcuts import ShortcutsDialog

    window.action_set.shortcuts.trigger()  # Help > Keyboard Shortcuts
    [dialog] = [d for d in window.findChildren(ShortcutsDialog) if d.isVisible()]
    table = dialog.table
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["Mark as Junk"] == "Shift+J" and rows["Undo"] == "Ctrl+Z"
    assert rows["Threaded View"] == "Ctrl+Shift+T"
    dialog.close()

    browser = window.message_view.browser
    before = browser.font().pointSizeF()
    window.action_set.zoom_in.trigger()
    window.action_set.zoom_in.trigger()
    assert browser.font().pointSizeF() == before + 2
    window.action_set.zoom_reset.trigger()
    assert browser.font().pointSizeF() == before


def test_a_message_window_walks_with_j_and_k_and_acts_on_its_own_message(
        window: MainWindow, qtbot: QtBot, mail_user: MailUser) -> None:
    opened = open_with_enter(window, qtbot, 0)  # Mail 2, the newest
    assert opened.windowTitle().startswith("Mail 2")
    for key, expected in ((Qt.Key.Key_J, "Mail 1"), (Qt.Key.Key_J, "Mail 0"),
                          (Qt.Key.Key_K, "Mail 1")):
        qtbot.keyClick(opened, key)
        qtbot.waitUntil(lambda e=expected: opened.windowTitle().startswith(e), timeout=10_000)
    click(qtbot, window, 2)  # the main list highlights Mail 0 meanwhile
    for name in ("window_starAction", "window_mark_unreadAction"):  # on Mail 1, its own
        action = opened.findChild(QAction, name)
        assert action is not None
        action.trigger()
    qtbot.waitUntil(lambda: "\\Flagged" in on_server(mail_user, "INBOX")["Mail 1"],
                    timeout=15_000)
    qtbot.waitUntil(lambda: "\\Seen" not in on_server(mail_user, "INBOX")["Mail 1"],
                    timeout=15_000)
    assert "\\Flagged" not in on_server(mail_user, "INBOX")["Mail 0"]
    delete = opened.findChild(QAction, "window_deleteAction")
    assert delete is not None
    delete.trigger()  # the window's Delete: its own message, Mail 1
    qtbot.waitUntil(lambda: "Mail 1" in on_server(mail_user, "Trash"), timeout=15_000)
    assert set(on_server(mail_user, "INBOX")) == {"Mail 2", "Mail 0"}
    qtbot.waitUntil(lambda: opened.windowTitle().startswith("Mail 0"), timeout=10_000)
    opened.close()


def test_the_server_sees_the_junk_move_that_trains_its_filter(
        sieve_user: MailUser, qtbot: QtBot, tmp_path: Path) -> None:
    """The Dovecot with Pigeonhole runs an IMAPSIEVE script (RFC 6785) on mail copied
    or moved into Junk, as a spam filter's training hook does: its keyword on the
    message proves the server saw qtmail's move, not only our keywords."""
    from helpers.dovecot import DovecotServer

    sieve_user.save(message("Cheap watches"))
    sieve_user.save(message("Real mail"))
    shown = open_window(sieve_user, qtbot, tmp_path, mark_read_ms=-1)
    try:
        qtbot.waitUntil(lambda: shown.message_list.proxy.rowCount() == 2, timeout=15_000)
        click(qtbot, shown, subjects(shown).index("Cheap watches"))
        shown.action_set.junk.trigger()
        qtbot.waitUntil(lambda: "Cheap watches" in on_server(sieve_user, "Junk"),
                        timeout=15_000)
        flags = on_server(sieve_user, "Junk")["Cheap watches"]
        assert DovecotServer.JUNK_REPORTED in flags  # the server's own script ran
        assert {"$Junk", "Junk"} <= flags
        assert set(on_server(sieve_user, "INBOX")) == {"Real mail"}
    finally:
        shown.close()


def test_with_no_row_highlighted_the_message_actions_are_off(
        window: MainWindow, qtbot: QtBot, mail_user: MailUser) -> None:
    """Ctrl+click takes the highlight off the only highlighted row; the row stays
    current (the focus frame). Delete, Archive, Junk and Move act only on highlighted
    rows, so they are off then, rather than on and doing nothing."""
    click(qtbot, window, 1)
    assert highlighted(window) == ["Mail 1"] and window.action_set.delete.isEnabled()
    view = window.message_list
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ControlModifier,
                     view.visualRect(view.proxy.index(1, 1)).center())
    assert highlighted(window) == [] and view.currentIndex().isValid()
    for action in (window.action_set.delete, window.action_set.archive,
                   window.action_set.junk, window.action_set.move_to):
        assert not action.isEnabled(), action.text()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert subjects(window) == ["Mail 2", "Mail 1", "Mail 0"]
