"""Drag and drop (issue 5), offscreen: through the models (mimeData -> canDropMimeData
-> dropMimeData) and through the folder view (QDragEnter/QDragMove/QDrop sent to its
viewport), each effect checked on the real Dovecot with an independent connection."""

from __future__ import annotations

import datetime as dt
import email
import os
import socket
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import MailUser
from helpers.mailgen import message
from PySide6.QtCore import QItemSelectionModel, QMimeData, QModelIndex, QPointF, Qt, QUrl
from PySide6.QtGui import QCursor, QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from qtmail.core.drag_payload import MessageRefs, decode_refs, encode_refs
from qtmail.core.events import OperationFailed
from qtmail.qt.bridge import EngineClient
from qtmail.qt.dragdrop import MESSAGE_REFS_MIME, URI_LIST_MIME
from qtmail.qt.models.roles import Role
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.folder_view import AUTO_EXPAND_MS
from qtmail.qt.widgets.main_window import MainWindow
from qtmail.qt.widgets.message_lists import ListMode
from qtmail.sync.engine import connect_session

pytestmark = [
    pytest.mark.dovecot,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

MOVE = Qt.DropAction.MoveAction
COPY = Qt.DropAction.CopyAction
WAIT = 15_000


@pytest.fixture
def window(mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    made = open_window(mail_user, qtbot, tmp_path)
    yield made
    made.close()
    for name in made.accounts():
        client = made.client(name)
        assert client is not None and not client.running


def open_window(user: MailUser, qtbot: QtBot, tmp_path: Path, *,
                connector: Callable[..., object] = connect_session) -> MainWindow:
    win = MainWindow(WindowSettings(tmp_path / "qtmail.ini"))
    qtbot.addWidget(win)
    client = EngineClient(account_for(user), tmp_path / "cache.sqlite3",
                          lambda: user.password, win, connector=connector)  # type: ignore[arg-type]
    win.add_account(client)
    win.show()
    qtbot.waitUntil(lambda: win.reader("work") is not None, timeout=WAIT)
    return win


def server_subjects(user: MailUser, folder: str) -> list[str]:
    imap = user.imap()
    try:
        imap.select_folder(folder, readonly=True)
        uids = imap.search("ALL")
        if not uids:
            return []
        data = imap.fetch(uids, ["ENVELOPE"])
        return sorted(d[b"ENVELOPE"].subject.decode() for d in data.values())
    finally:
        imap.logout()


def create_folders(user: MailUser, *names: str) -> None:
    """Create folders as another device would, each one new.

    Dovecot 2.3's mailbox list index (dovecot.list.index, on by default) answers a
    CREATE with [ALREADYEXISTS] when another session of the same user refreshes that
    index at the same moment (here: the window's worker on its first sync), although
    the folder did not exist; it does afterwards. Measured with two plain imapclient
    connections on a fresh user, CREATE racing a SELECT INBOX: 5-27 in 40 with the
    default configuration, 0 in 80 with ``mailbox_list_index = no``. Not a replayed
    CREATE: nothing else creates these folders. So ALREADYEXISTS counts as created
    only for a folder that was missing before and is there after; qtmail's own
    CreateFolder does the same (RFC 5530, test_create_answered_already_exists_is_done)."""
    imap = user.imap()
    try:
        for name in names:
            assert not imap.folder_exists(name), f"{name} exists before its CREATE"
            try:
                imap.create_folder(name)
            except imap.Error as error:
                if b"ALREADYEXISTS" not in str(error).encode():
                    raise
            assert imap.folder_exists(name)
    finally:
        imap.logout()


def refresh(win: MainWindow) -> None:
    """Mail and folders made behind the window's back: ask for them (Get Messages)."""
    for name in win.accounts():
        client = win.client(name)
        assert client is not None
        client.sync_all()


def rows(win: MainWindow) -> int:
    return win.message_list.proxy.rowCount()


def wait_folder(qtbot: QtBot, win: MainWindow, folder: str, account: str = "work") -> QModelIndex:
    qtbot.waitUntil(lambda: win.tree.folder_index(account, folder).isValid(), timeout=WAIT)
    return win.tree.folder_index(account, folder)


def message_mime(win: MainWindow, row_numbers: list[int]) -> QMimeData:
    proxy = win.message_list.proxy
    return proxy.mimeData([proxy.index(r, c) for r in row_numbers for c in range(4)])


def send_drag(qtbot: QtBot, win: MainWindow, mime: QMimeData, index: QModelIndex,
              action: Qt.DropAction = MOVE, *, ctrl: bool = False,
              drop: bool = True) -> tuple[bool, bool]:
    """Enter, move and (maybe) drop at the node's centre: (move accepted, drop accepted)."""
    view = win.folder_view
    view.scrollTo(index)
    pos = view.visualRect(index).center().toPointF()
    mods = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    actions = MOVE | COPY
    buttons = Qt.MouseButton.LeftButton
    enter = QDragEnterEvent(pos, actions, mime, buttons, mods)
    enter.setDropAction(action)
    QApplication.sendEvent(view.viewport(), enter)
    move = QDragMoveEvent(pos, actions, mime, buttons, mods)
    move.setDropAction(action)
    QApplication.sendEvent(view.viewport(), move)
    moved = move.isAccepted()
    if not drop:
        return moved, False
    event = QDropEvent(pos, actions, mime, buttons, mods)
    event.setDropAction(action)
    QApplication.sendEvent(view.viewport(), event)
    return moved, event.isAccepted() and event.dropAction() == (COPY if ctrl else action)


# -- payloads -------------------------------------------------------------------------------
def test_refs_payload_round_trip_and_validation() -> None:
    groups = (MessageRefs("work", "INBOX", 7, (3, 1, 2)),)
    assert decode_refs(encode_refs(groups)) == (MessageRefs("work", "INBOX", 7, (1, 2, 3)),)
    for bad in (b"", b"{", b"[]", b'{"version":2,"groups":[]}',
                b'{"version":1,"groups":[{"account":"a","folder":"b","uidvalidity":1,'
                b'"uids":[0]}]}',
                b'{"version":1,"groups":[{"account":"a","folder":"b","uidvalidity":-1,'
                b'"uids":[1]}]}',
                b'{"version":1,"groups":[{"account":"","folder":"b","uidvalidity":1,'
                b'"uids":[1]}]}'):
        assert decode_refs(bad) == ()


# -- messages onto folders ---------------------------------------------------------------------
def test_model_level_move_is_instant_and_reaches_the_server(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot) -> None:
    create_folders(mail_user, "Projects")
    for n in range(3):
        mail_user.save(message(f"Mail {n}"))
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 3, timeout=WAIT)
    target = wait_folder(qtbot, window, "Projects")
    mime = message_mime(window, [0, 1])
    assert mime.hasFormat(MESSAGE_REFS_MIME)
    tree = window.tree
    assert tree.canDropMimeData(mime, MOVE, -1, -1, target)
    # Not onto the folder the messages are in, nor between two folders.
    assert not tree.canDropMimeData(mime, MOVE, -1, -1, tree.folder_index("work", "INBOX"))
    assert not tree.canDropMimeData(mime, MOVE, 0, 0, target)
    assert tree.dropMimeData(mime, MOVE, -1, -1, target)
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=1_000)  # the local phase
    qtbot.waitUntil(lambda: len(server_subjects(mail_user, "Projects")) == 2, timeout=WAIT)
    assert len(server_subjects(mail_user, "INBOX")) == 1
    notice = window.drops.notice
    assert notice.isVisible() and "Moved 2 messages to Projects." in notice.label.text()
    assert notice.button.isVisible()


def test_view_level_ctrl_drag_copies(mail_user: MailUser, window: MainWindow,
                                     qtbot: QtBot) -> None:
    create_folders(mail_user, "Projects")
    for n in range(2):
        mail_user.save(message(f"Copy {n}"))
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 2, timeout=WAIT)
    target = wait_folder(qtbot, window, "Projects")
    moved, dropped = send_drag(qtbot, window, message_mime(window, [0, 1]), target, COPY,
                               ctrl=True)
    assert moved and dropped
    qtbot.waitUntil(lambda: server_subjects(mail_user, "Projects") == ["Copy 0", "Copy 1"],
                    timeout=WAIT)
    assert server_subjects(mail_user, "INBOX") == ["Copy 0", "Copy 1"]
    assert rows(window) == 2


def test_view_level_move_and_undo_button_restores_on_server(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot) -> None:
    create_folders(mail_user, "Projects")
    for n in range(3):
        mail_user.save(message(f"Undo {n}"))
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 3, timeout=WAIT)
    target = wait_folder(qtbot, window, "Projects")
    moved, dropped = send_drag(qtbot, window, message_mime(window, [0, 1, 2]), target)
    assert moved and dropped
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 0, timeout=1_000)
    qtbot.waitUntil(lambda: len(server_subjects(mail_user, "Projects")) == 3, timeout=WAIT)
    assert "Moved 3 messages to Projects." in window.drops.notice.label.text()
    qtbot.mouseClick(window.drops.notice.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: server_subjects(mail_user, "INBOX")
                    == ["Undo 0", "Undo 1", "Undo 2"], timeout=WAIT)
    assert server_subjects(mail_user, "Projects") == []
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 3, timeout=WAIT)


def test_the_next_row_takes_over_after_a_drag_moves_the_highlighted_one(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot) -> None:
    """As after Delete: dragging the highlighted message to a folder leaves the next one
    highlighted and shown, not a list with nothing highlighted under enabled buttons
    (seen in the demo)."""
    create_folders(mail_user, "Projects")
    for n in range(3):
        mail_user.save(message(f"Row {n}"))
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 3, timeout=WAIT)
    view = window.message_list
    view.selectRow(1)
    dragged = view.proxy.index(1, 0).data(Role.MESSAGE_REF)
    after = view.proxy.index(2, 0).data(Role.MESSAGE_REF)
    target = wait_folder(qtbot, window, "Projects")
    moved, dropped = send_drag(qtbot, window, message_mime(window, [1]), target)
    assert moved and dropped
    qtbot.waitUntil(lambda: rows(window) == 2, timeout=WAIT)
    qtbot.waitUntil(lambda: view.followed == after, timeout=WAIT)
    assert [i.data(Role.MESSAGE_REF) for i in view.selectionModel().selectedRows()] == [after]
    assert dragged not in [view.proxy.index(r, 0).data(Role.MESSAGE_REF) for r in range(2)]


def test_ctrl_z_undoes_a_drag_move(mail_user: MailUser, window: MainWindow,
                                   qtbot: QtBot) -> None:
    create_folders(mail_user, "Projects")
    mail_user.save(message("Back"))
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=WAIT)
    target = wait_folder(qtbot, window, "Projects")
    assert send_drag(qtbot, window, message_mime(window, [0]), target) == (True, True)
    qtbot.waitUntil(lambda: server_subjects(mail_user, "Projects") == ["Back"], timeout=WAIT)
    window.message_list.setFocus()
    qtbot.keyClick(window.message_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: server_subjects(mail_user, "INBOX") == ["Back"], timeout=WAIT)


def test_impossible_drops_are_refused_before_release(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot) -> None:
    create_folders(mail_user, "Projects")
    mail_user.save(message("Stay"))
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=WAIT)
    wait_folder(qtbot, window, "Projects")
    tree = window.tree
    inbox = tree.folder_index("work", "INBOX")
    assert send_drag(qtbot, window, message_mime(window, [0]), inbox) == (False, False)
    # UIDVALIDITY changed since the drag began: the UIDs mean nothing any more.
    ref = window.message_list.proxy.index(0, 0).data(Role.MESSAGE_REF)
    stale = QMimeData()
    stale.setData(MESSAGE_REFS_MIME, encode_refs(
        (MessageRefs("work", "INBOX", ref.uidvalidity + 1, (ref.uid,)),)))
    projects = tree.folder_index("work", "Projects")
    assert not tree.canDropMimeData(stale, MOVE, -1, -1, projects)
    assert send_drag(qtbot, window, stale, projects) == (False, False)
    # Onto the account node: messages need a folder.
    assert not tree.canDropMimeData(message_mime(window, [0]), MOVE, -1, -1,
                                    tree.account_index("work"))
    assert server_subjects(mail_user, "INBOX") == ["Stay"]


# -- folders -----------------------------------------------------------------------------------
def test_folder_onto_folder_and_onto_account(mail_user: MailUser, window: MainWindow,
                                             qtbot: QtBot) -> None:
    create_folders(mail_user, "Projects", "Old", "Old/Inner")
    refresh(window)
    tree = window.tree
    old = wait_folder(qtbot, window, "Old")
    projects = wait_folder(qtbot, window, "Projects")
    mime = tree.mimeData([old])
    assert tree.canDropMimeData(mime, MOVE, -1, -1, projects)
    inner = wait_folder(qtbot, window, "Old/Inner")
    assert not tree.canDropMimeData(mime, MOVE, -1, -1, old)  # into itself
    assert not tree.canDropMimeData(mime, MOVE, -1, -1, inner)  # into its subtree
    sent = tree.mimeData([tree.folder_index("work", "Sent")])
    assert not tree.canDropMimeData(sent, MOVE, -1, -1, projects)  # special folder
    assert send_drag(qtbot, window, mime, projects) == (True, True)
    qtbot.waitUntil(lambda: {"Projects/Old", "Projects/Old/Inner"} <= mail_user.folder_names(),
                    timeout=WAIT)
    assert "Old" not in mail_user.folder_names()
    moved = wait_folder(qtbot, window, "Projects/Old")
    top = tree.account_index("work")
    assert send_drag(qtbot, window, tree.mimeData([moved]), top) == (True, True)
    qtbot.waitUntil(lambda: {"Old", "Old/Inner"} <= mail_user.folder_names(), timeout=WAIT)
    assert "Projects/Old" not in mail_user.folder_names()


def test_the_open_folder_stays_open_when_it_is_moved_and_moved_back(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot) -> None:
    """Pressing a folder to drag it opens it; once moved, it stays the highlighted,
    open folder at its new place (its row left the tree and came back: the highlight
    fell on a neighbour, which opened instead), and again after Ctrl+Z; shown as
    conversations, as the user chose for it."""
    create_folders(mail_user, "Projects", "Old", "Old/Inner")
    mail_user.save(message("Kept in view"), folder="Old/Inner")
    refresh(window)
    view = window.folder_view
    view.expand(wait_folder(qtbot, window, "Old"))
    inner = wait_folder(qtbot, window, "Old/Inner")
    view.scrollTo(inner)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(inner).center())
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=WAIT)
    window.lists.threaded_action.trigger()  # View > Threaded View, for this folder
    assert window.lists.mode is ListMode.THREADED
    old = wait_folder(qtbot, window, "Old")
    projects = wait_folder(qtbot, window, "Projects")

    assert send_drag(qtbot, window, window.tree.mimeData([old]), projects) == (True, True)

    def showing(folder: str) -> bool:
        return window.current_folder() == ("work", folder) \
            and view.current_folder() == ("work", folder) and rows(window) == 1 \
            and window.lists.mode is ListMode.THREADED
    qtbot.waitUntil(lambda: showing("Projects/Old/Inner"), timeout=WAIT)
    assert view.isExpanded(window.tree.folder_index("work", "Projects/Old"))  # seen
    qtbot.waitUntil(lambda: "Projects/Old/Inner" in mail_user.folder_names(), timeout=WAIT)
    window.message_list.setFocus()
    qtbot.keyClick(window.message_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: showing("Old/Inner"), timeout=WAIT)
    qtbot.waitUntil(lambda: "Old/Inner" in mail_user.folder_names(), timeout=WAIT)


# -- files ---------------------------------------------------------------------------------------
def test_eml_files_dropped_onto_a_folder_are_imported_with_their_date(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    create_folders(mail_user, "Projects")
    refresh(window)
    target = wait_folder(qtbot, window, "Projects")
    when = dt.datetime(2020, 5, 17, 9, 30, tzinfo=dt.UTC)
    paths = []
    for n in range(2):
        path = tmp_path / f"import {n}.eml"
        path.write_bytes(message(f"Imported {n}", date=when))
        paths.append(path)
    (tmp_path / "notes.txt").write_text("not mail")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in [*paths, tmp_path / "notes.txt"]])
    assert send_drag(qtbot, window, mime, target, COPY) == (True, True)
    qtbot.waitUntil(lambda: server_subjects(mail_user, "Projects")
                    == ["Imported 0", "Imported 1"], timeout=WAIT)
    imap = mail_user.imap()
    try:
        imap.select_folder("Projects", readonly=True)
        dates = imap.fetch(imap.search("ALL"), ["INTERNALDATE"])
        assert {d[b"INTERNALDATE"].date() for d in dates.values()} == {when.date()}
    finally:
        imap.logout()
    # Files are never imported onto the account node.
    assert not window.tree.canDropMimeData(mime, COPY, -1, -1,
                                           window.tree.account_index("work"))


def test_messages_dragged_out_become_private_eml_files(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot) -> None:
    mail_user.save(message("Report: Q3/Q4 <final>"))
    mail_user.save(message("Report: Q3/Q4 <final>"))
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 2, timeout=WAIT)
    mime = message_mime(window, [0, 1])
    assert URI_LIST_MIME in mime.formats()
    # The drag left qtmail: the workers write the files while the GUI thread goes on.
    mime.prepare()
    qtbot.waitUntil(lambda: mime.export_done, timeout=WAIT)
    urls = mime.urls()  # what a file manager gets at the drop
    paths = [Path(u.toLocalFile()) for u in urls]
    assert len(paths) == 2
    names = sorted(p.name for p in paths)
    assert names[0].endswith(".eml") and "/" not in names[0] and "<" not in names[0]
    assert names[0] != names[1]
    folder = paths[0].parent
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    for path in paths:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert b"Subject: Report: Q3/Q4 <final>" in path.read_bytes()
    window.drops.eml_folder.remove()
    assert not folder.exists()


# -- 1,000 messages, and the connection dropping midway ------------------------------------
def test_thousand_message_drag_survives_a_dropped_connection(
        mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> None:
    create_folders(mail_user, "Projects")
    imap = mail_user.imap()
    try:
        for n in range(1000):
            imap.append("INBOX", message(f"Bulk {n:04d}"))
    finally:
        imap.logout()
    cut: list[bool] = []

    def connector(settings, password):  # type: ignore[no-untyped-def]
        session = connect_session(settings, password)
        if cut:
            return session
        original = session.writes.move_messages

        def move_then_cut(uids, target):  # type: ignore[no-untyped-def]
            result = original(uids, target)
            cut.append(True)  # the first batch is done; the connection drops now
            session._client._imap.sock.shutdown(socket.SHUT_RDWR)
            return result

        session.writes.move_messages = move_then_cut
        return session

    win = open_window(mail_user, qtbot, tmp_path, connector=connector)
    try:
        qtbot.waitUntil(lambda: rows(win) == 1000, timeout=60_000)
        target = wait_folder(qtbot, win, "Projects")
        win.message_list.selectAll()
        proxy = win.message_list.proxy
        mime = proxy.mimeData(win.message_list.selectionModel().selectedRows())
        # What the view's startDrag builds from the selection's ranges: the same refs.
        dragged = win.message_list.drag_mime()
        assert dragged is not None and dragged.groups == decode_refs(
            bytes(mime.data(MESSAGE_REFS_MIME).data()))
        assert len(dragged.groups[0].uids) == 1000
        assert win.tree.dropMimeData(dragged, MOVE, -1, -1, target)
        qtbot.waitUntil(lambda: rows(win) == 0, timeout=2_000)
        qtbot.waitUntil(lambda: bool(cut), timeout=WAIT)
        qtbot.waitUntil(lambda: len(server_subjects(mail_user, "Projects")) == 1000,
                        timeout=60_000)
        found = server_subjects(mail_user, "Projects")
        assert found == [f"Bulk {n:04d}" for n in range(1000)]  # each exactly once
        assert server_subjects(mail_user, "INBOX") == []
    finally:
        win.close()


# -- across accounts -------------------------------------------------------------------------
def test_drop_onto_another_accounts_folder_transfers(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    other = mail_user.server.new_user()
    for n in range(2):
        mail_user.save(message(f"Over {n}"))
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 2, timeout=WAIT)
    home = EngineClient(account_for(other, name="home"), tmp_path / "home.sqlite3",
                        lambda: other.password, window)
    window.add_account(home)
    qtbot.waitUntil(lambda: window.reader("home") is not None, timeout=WAIT)
    target = wait_folder(qtbot, window, "INBOX", account="home")
    mime = message_mime(window, [0, 1])
    assert send_drag(qtbot, window, mime, target) == (True, True)
    qtbot.waitUntil(lambda: server_subjects(other, "INBOX") == ["Over 0", "Over 1"],
                    timeout=WAIT)
    qtbot.waitUntil(lambda: server_subjects(mail_user, "INBOX") == [], timeout=WAIT)
    assert window.drops.notice.isVisible()


# -- the threaded view -------------------------------------------------------------------------
def test_threaded_view_drags_a_collapsed_thread_whole_and_an_open_one_by_row(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot,
        qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    create_folders(mail_user, "Projects")
    root = message("Budget")
    root_id = email.message_from_bytes(root)["Message-ID"]
    for raw in (root, message("Re: Budget", in_reply_to=root_id), message("Other")):
        mail_user.save(raw)
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 3, timeout=WAIT)
    target = wait_folder(qtbot, window, "Projects")
    window.lists.threaded_action.trigger()
    view = window.lists.threaded
    tree = view.proxy
    qtbot.waitUntil(lambda: tree.rowCount() == 2, timeout=WAIT)
    qtmodeltester.check(tree)
    budget = next(tree.index(r, 0) for r in range(2) if tree.index(r, 1).data() == "Budget")
    assert tree.flags(budget) & Qt.ItemFlag.ItemIsDragEnabled
    view.select_index(budget)
    # Expanded: the row the user picked, alone.
    assert view.isExpanded(budget)
    mime = view.drag_mime()
    assert mime is not None and sum(len(g.uids) for g in mime.groups) == 1
    # Collapsed: the whole conversation, as one row looks.
    view.collapse(budget)
    mime = view.drag_mime()
    assert mime is not None and sum(len(g.uids) for g in mime.groups) == 2
    assert send_drag(qtbot, window, mime, target) == (True, True)
    qtbot.waitUntil(lambda: tree.rowCount() == 1, timeout=1_000)  # the local phase
    qtbot.waitUntil(lambda: server_subjects(mail_user, "Projects") == ["Budget", "Re: Budget"],
                    timeout=WAIT)
    assert server_subjects(mail_user, "INBOX") == ["Other"]
    # The model alone (no view): the rows it is given, a reply under its root too.
    other = tree.index(0, 0)
    assert other.data(Role.SUMMARY).subject == "Other"
    assert decode_refs(bytes(tree.mimeData([other]).data(MESSAGE_REFS_MIME).data()))[0].uids \
        == (other.data(Role.UID),)


def test_ctrl_z_undoes_a_drop_onto_another_account(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    other = mail_user.server.new_user()
    imap = mail_user.imap()
    try:  # arrived long ago: the INTERNALDATE must survive the round trip
        for n in range(2):
            imap.append("INBOX", message(f"Trip {n}"),
                        msg_time=dt.datetime(2025, 5, 17, 9, 30, tzinfo=dt.UTC))
    finally:
        imap.logout()
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 2, timeout=WAIT)
    home = EngineClient(account_for(other, name="home"), tmp_path / "home.sqlite3",
                        lambda: other.password, window)
    window.add_account(home)
    qtbot.waitUntil(lambda: window.reader("home") is not None, timeout=WAIT)
    target = wait_folder(qtbot, window, "INBOX", account="home")
    assert send_drag(qtbot, window, message_mime(window, [0, 1]), target) == (True, True)
    qtbot.waitUntil(lambda: rows(window) == 0, timeout=1_000)  # the local phase
    qtbot.waitUntil(lambda: server_subjects(other, "INBOX") == ["Trip 0", "Trip 1"],
                    timeout=WAIT)
    qtbot.waitUntil(lambda: server_subjects(mail_user, "INBOX") == [], timeout=WAIT)
    assert window.drops.notice.button.isVisible()  # undoable, like a move
    window.folder_view.select_folder("work", "INBOX")
    window.message_list.setFocus()
    qtbot.keyClick(window.message_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: server_subjects(mail_user, "INBOX") == ["Trip 0", "Trip 1"],
                    timeout=WAIT)
    qtbot.waitUntil(lambda: server_subjects(other, "INBOX") == [], timeout=WAIT)
    # Back with their dates, shown again here, gone from the other account's list.
    imap = mail_user.imap()
    try:
        imap.select_folder("INBOX", readonly=True)
        dates = imap.fetch(imap.search("ALL"), ["INTERNALDATE"])
        assert {d[b"INTERNALDATE"].date().isoformat() for d in dates.values()} \
            == {"2025-05-17"}
    finally:
        imap.logout()
    qtbot.waitUntil(lambda: rows(window) == 2, timeout=WAIT)
    reader = window.reader("home")
    assert reader is not None
    qtbot.waitUntil(lambda: reader.message_count("INBOX") == 0, timeout=WAIT)


# -- while dragging: refusals, hover, auto-scroll; refusal by the server --------------------
def test_noselect_folder_refuses_messages_before_release(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot) -> None:
    create_folders(mail_user, "Parent/Child")  # "Parent" only holds folders (\Noselect)
    mail_user.save(message("Keep"))
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=WAIT)
    parent = wait_folder(qtbot, window, "Parent")
    child = wait_folder(qtbot, window, "Parent/Child")
    reader = window.reader("work")
    assert reader is not None and not reader.folder("Parent").selectable  # type: ignore[union-attr]
    mime = message_mime(window, [0])
    assert not window.tree.canDropMimeData(mime, MOVE, -1, -1, parent)
    assert send_drag(qtbot, window, mime, parent) == (False, False)
    assert send_drag(qtbot, window, mime, child, drop=False) == (True, False)  # its child may
    assert server_subjects(mail_user, "INBOX") == ["Keep"]


def hover(win: MainWindow, mime: QMimeData, pos: QPointF) -> QDragMoveEvent:
    """A drag entering the folder view and resting at ``pos`` (the cursor there too:
    Qt's auto-expand and auto-scroll timers read QCursor.pos())."""
    view = win.folder_view
    QCursor.setPos(view.viewport().mapToGlobal(pos.toPoint()))
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, MOVE | COPY, mime, buttons, mods)
    QApplication.sendEvent(view.viewport(), enter)
    move = QDragMoveEvent(pos, MOVE | COPY, mime, buttons, mods)
    QApplication.sendEvent(view.viewport(), move)
    return move


def end_drag(win: MainWindow) -> None:
    QApplication.sendEvent(win.folder_view.viewport(), QDragLeaveEvent())


def test_hovering_a_drag_over_a_collapsed_folder_expands_it_after_a_moment(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot) -> None:
    create_folders(mail_user, "Projects", "Projects/2026")
    mail_user.save(message("Sort me"))
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=WAIT)
    projects = wait_folder(qtbot, window, "Projects")
    wait_folder(qtbot, window, "Projects/2026")
    view = window.folder_view
    view.collapse(projects)
    mime = message_mime(window, [0])
    move = hover(window, mime, view.visualRect(projects).center().toPointF())
    assert move.isAccepted()  # Projects itself takes messages
    assert not view.isExpanded(projects)  # not at once: "after a moment"
    qtbot.waitUntil(lambda: view.isExpanded(projects), timeout=AUTO_EXPAND_MS + 3_000)
    inner = window.tree.folder_index("work", "Projects/2026")
    assert view.visualRect(inner).isValid()  # its subfolder can now be aimed at
    end_drag(window)


def test_drag_near_the_tree_edge_scrolls_it(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot) -> None:
    create_folders(mail_user, *(f"Folder {n:02d}" for n in range(30)))
    mail_user.save(message("Far away"))
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=WAIT)
    wait_folder(qtbot, window, "Folder 29")
    view = window.folder_view
    view.setFixedHeight(200)
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0, timeout=WAIT)
    view.scrollToTop()
    bar = view.verticalScrollBar()
    edge = QPointF(view.viewport().width() / 2, view.viewport().height() - 4)
    mime = message_mime(window, [0])
    hover(window, mime, edge)
    qtbot.waitUntil(lambda: bar.value() > 0, timeout=3_000)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum(), timeout=10_000)
    end_drag(window)


def test_a_move_the_server_refuses_comes_back_with_the_reason(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot) -> None:
    create_folders(mail_user, "Projects")
    for n in range(2):
        mail_user.save(message(f"Bounce {n}"))
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 2, timeout=WAIT)
    target = wait_folder(qtbot, window, "Projects")
    imap = mail_user.imap()  # another device deletes the folder; the window still shows it
    try:
        imap.delete_folder("Projects")
    finally:
        imap.logout()
    # The rows leave at once (the local phase), then come back: recorded as they change,
    # since the refusal may bring them back before a poll would see the empty list.
    counts: list[int] = []
    window.message_list.proxy.rowsRemoved.connect(lambda *_args: counts.append(rows(window)))
    with qtbot.waitSignal(window.client("work").event, timeout=WAIT,  # type: ignore[union-attr]
                          check_params_cb=lambda e: isinstance(e, OperationFailed)) as failed:
        assert send_drag(qtbot, window, message_mime(window, [0, 1]), target) == (True, True)
    qtbot.waitUntil(lambda: rows(window) == 2, timeout=WAIT)  # then back
    assert 0 in counts  # the local phase came first
    reason = failed.args[0].message
    assert "Moving the messages did not work and was undone." in reason
    assert window.status.currentMessage() == reason
    assert server_subjects(mail_user, "INBOX") == ["Bounce 0", "Bounce 1"]


def test_view_drag_follows_the_sorted_rows_it_shows(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot) -> None:
    for subject in ("Cherry", "Apple", "Banana"):
        mail_user.save(message(subject))
    refresh(window)
    qtbot.waitUntil(lambda: rows(window) == 3, timeout=WAIT)
    view = window.message_list
    view.sort_by(1, Qt.SortOrder.AscendingOrder)  # by subject: the proxy reorders rows
    assert [view.proxy.index(r, 1).data() for r in range(3)] == ["Apple", "Banana", "Cherry"]
    uid = {view.proxy.index(r, 1).data(): view.proxy.index(r, 0).data(Role.UID)
           for r in range(3)}
    for row in (0, 2):
        view.selectionModel().select(view.proxy.index(row, 0),
                                     QItemSelectionModel.SelectionFlag.Select
                                     | QItemSelectionModel.SelectionFlag.Rows)
    mime = view.drag_mime()
    assert mime is not None
    assert mime.groups[0].uids == tuple(sorted((uid["Apple"], uid["Cherry"])))
    mime.prepare()
    qtbot.waitUntil(lambda: mime.export_done, timeout=WAIT)
    names = sorted(path.name for path in mime.files())  # subjects name the .eml files
    assert names == ["Apple.eml", "Cherry.eml"]
    window.drops.eml_folder.remove()
