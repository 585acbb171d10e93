"""The window's All Inboxes, threaded view, new-mail notifications and preferences,
against a real Dovecot (issue 4)."""

from __future__ import annotations

import email
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import DovecotServer, MailUser
from helpers.mailgen import message
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot

from qtmail.accounts.settings import SyncPolicy
from qtmail.qt.bridge import EngineClient
from qtmail.qt.models.roles import Role
from qtmail.qt.prefs import (
    PREF_NOTIFICATIONS,
    PREF_REMOTE_CONTENT,
    PREF_THREADING,
    REMOTE_KNOWN_SENDERS,
)
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow
from qtmail.qt.widgets.message_lists import ListMode

pytestmark = [
    pytest.mark.dovecot,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


class FakeNotifier:
    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []
        self.closed = False

    def notify(self, title: str, body: str) -> None:
        self.shown.append((title, body))

    def close(self) -> None:
        self.closed = True


WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def make_window(qtbot: QtBot, tmp_path: Path) -> Iterator[WindowFactory]:
    made: list[MainWindow] = []

    def make(users: dict[str, MailUser], notifier: FakeNotifier | None = None,
             settings: WindowSettings | None = None) -> MainWindow:
        settings = settings or WindowSettings(tmp_path / "qtmail.ini")
        settings.set_mark_read_delay_ms(0)
        window = MainWindow(settings, notifier=notifier)
        qtbot.addWidget(window)
        for name, user in users.items():
            client = EngineClient(account_for(user, name=name), tmp_path / f"{name}.sqlite3",
                                  lambda user=user: user.password, window)
            window.add_account(client)
        window.show()
        for name in users:
            qtbot.waitUntil(lambda name=name: window.reader(name) is not None, timeout=10_000)
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()
        for name in window.accounts():
            client = window.client(name)
            assert client is not None and not client.running


def server_flags(user: MailUser) -> list[set[bytes]]:
    imap = user.imap()
    try:
        imap.select_folder("INBOX", readonly=True)
        uids = imap.search("ALL")
        return [set(d[b"FLAGS"]) for d in imap.fetch(uids, ["FLAGS"]).values()] if uids else []
    finally:
        imap.logout()


def row_of(model: object, subject: str) -> QModelIndex:
    proxy = model  # a flat proxy: rows only
    for row in range(proxy.rowCount()):  # type: ignore[attr-defined]
        index = proxy.index(row, 1)  # type: ignore[attr-defined]
        if index.data() == subject:
            return index  # type: ignore[no-any-return]
    return QModelIndex()


def test_all_inboxes_merges_accounts_and_acts_on_the_right_server(
        dovecot: DovecotServer, make_window: WindowFactory, qtbot: QtBot,
        qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    work, home = dovecot.new_user(), dovecot.new_user()
    for n in range(3):
        work.save(message(f"Work {n}"))
    home.save(message("Home 0"))
    home.save(message("Filed away"), folder="Archive")
    window = make_window({"work": work, "home": home})
    tree = window.tree
    qtbot.waitUntil(lambda: tree.unified_index().isValid(), timeout=5_000)
    assert tree.index(0, 0).data() == "All Inboxes"
    window.folder_view.setCurrentIndex(tree.unified_index())
    assert window.lists.mode is ListMode.UNIFIED
    proxy = window.lists.unified.proxy
    qtbot.waitUntil(lambda: proxy.rowCount() == 4, timeout=15_000)
    subjects = {proxy.index(r, 1).data() for r in range(4)}
    assert subjects == {"Work 0", "Work 1", "Work 2", "Home 0"}
    qtmodeltester.check(window.unified)
    qtmodeltester.check(proxy)
    # Reading a row marks it read on its own server only.
    home_row = row_of(proxy, "Home 0")
    assert home_row.data(Role.ACCOUNT) == "home"
    view = window.lists.unified
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(home_row).center())
    qtbot.waitUntil(lambda: all(b"\\Seen" in f for f in server_flags(home)), timeout=10_000)
    assert not any(b"\\Seen" in f for f in server_flags(work))
    # Starring a row of the other account flags it on that server.
    work_row = row_of(proxy, "Work 1")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(work_row).center())
    window.action_set.star.trigger()
    qtbot.waitUntil(lambda: sum(b"\\Flagged" in f for f in server_flags(work)) == 1,
                    timeout=10_000)
    assert not any(b"\\Flagged" in f for f in server_flags(home))
    qtbot.waitUntil(lambda: row_of(proxy, "Work 1").data(Role.FLAGGED) is True,
                    timeout=5_000)
    # Deleting it leaves All Inboxes, and only the work INBOX on the server.
    window.action_set.delete.trigger()
    qtbot.waitUntil(lambda: proxy.rowCount() == 3, timeout=5_000)
    qtbot.waitUntil(lambda: len(server_flags(work)) == 2, timeout=10_000)
    assert len(server_flags(home)) == 1


def test_threaded_view_groups_replies_and_is_remembered_per_folder(
        mail_user: MailUser, make_window: WindowFactory, qtbot: QtBot, tmp_path: Path,
        qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    parent = message("Budget")
    parent_id = email.message_from_bytes(parent)["Message-ID"]
    mail_user.save(parent)
    mail_user.save(message("Other topic"))
    mail_user.save(message("Re: Budget", in_reply_to=parent_id))
    window = make_window({"work": mail_user})
    qtbot.waitUntil(lambda: window.message_list.proxy.rowCount() == 3, timeout=10_000)
    assert window.lists.mode is ListMode.FLAT
    window.lists.threaded_action.trigger()
    assert window.lists.mode is ListMode.THREADED
    tree = window.lists.threaded.proxy
    qtbot.waitUntil(lambda: tree.rowCount() == 2, timeout=5_000)
    qtmodeltester.check(tree)
    budget = row_of(tree, "Budget")
    assert budget.isValid()
    reply = tree.index(0, 1, budget.siblingAtColumn(0))
    assert reply.data() == "Re: Budget"
    assert tree.parent(reply) == budget.siblingAtColumn(0)
    assert window.lists.threaded.isExpanded(budget.siblingAtColumn(0))
    # Another folder keeps its own (default) mode; coming back restores threads.
    qtbot.waitUntil(lambda: window.folder_view.select_folder("work", "Archive"),
                    timeout=10_000)
    assert window.lists.mode is ListMode.FLAT
    window.folder_view.select_folder("work", "INBOX")
    assert window.lists.mode is ListMode.THREADED
    window.close()
    again = WindowSettings(tmp_path / "qtmail.ini")
    assert again.threaded("work", "INBOX") is True
    assert again.threaded("work", "Archive") is None


def click_row(view: QAbstractItemView, index: QModelIndex, qtbot: QtBot) -> None:
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(index).center())


def shown_subject(window: MainWindow) -> str | None:
    """The subject of the message in the reading pane."""
    parsed = getattr(window.message_view, "parsed", None)
    return parsed.subject if parsed is not None else None


def highlighted(view: QAbstractItemView) -> list[str]:
    return sorted(index.siblingAtColumn(1).data()
                  for index in view.selectionModel().selectedRows())


def test_switching_threaded_view_keeps_the_highlighted_message(
        mail_user: MailUser, make_window: WindowFactory, qtbot: QtBot) -> None:
    parent = message("Budget")
    mail_user.save(parent)
    mail_user.save(message("Other topic"))
    mail_user.save(message("Re: Budget",
                           in_reply_to=email.message_from_bytes(parent)["Message-ID"]))
    window = make_window({"work": mail_user})
    flat, tree = window.lists.flat, window.lists.threaded
    qtbot.waitUntil(lambda: flat.proxy.rowCount() == 3, timeout=10_000)
    click_row(flat, row_of(flat.proxy, "Other topic"), qtbot)
    qtbot.waitUntil(lambda: shown_subject(window) == "Other topic", timeout=10_000)

    window.lists.threaded_action.trigger()
    qtbot.waitUntil(lambda: tree.proxy.rowCount() == 2, timeout=5_000)
    assert highlighted(tree) == ["Other topic"]
    assert tree.currentIndex().siblingAtColumn(1).data() == "Other topic"
    assert shown_subject(window) == "Other topic"
    assert window.action_set.delete.isEnabled()

    # A reply inside a collapsed thread: back in threads, its thread opens to show it.
    budget = row_of(tree.proxy, "Budget").siblingAtColumn(0)
    reply = tree.proxy.index(0, 1, budget)
    click_row(tree, reply, qtbot)
    qtbot.waitUntil(lambda: shown_subject(window) == "Re: Budget", timeout=10_000)
    window.lists.threaded_action.trigger()
    assert highlighted(flat) == ["Re: Budget"]
    assert flat.currentIndex().siblingAtColumn(1).data() == "Re: Budget"
    tree.collapse(budget)
    window.lists.threaded_action.trigger()
    assert highlighted(tree) == ["Re: Budget"]
    assert tree.isExpanded(budget)
    assert shown_subject(window) == "Re: Budget"


def test_new_mail_after_first_sync_notifies_once_and_counts_in_title(
        mail_user: MailUser, make_window: WindowFactory, qtbot: QtBot) -> None:
    for n in range(2):
        mail_user.save(message(f"Old {n}"))
    notifier = FakeNotifier()
    window = make_window({"work": mail_user}, notifier)
    qtbot.waitUntil(lambda: window.message_list.proxy.rowCount() == 2, timeout=10_000)
    qtbot.waitUntil(lambda: window.new_mail.armed("work"), timeout=10_000)
    qtbot.waitUntil(lambda: window.windowTitle().startswith("(2) "), timeout=5_000)
    assert notifier.shown == []  # the initial fill is not new mail
    other = mail_user.imap()
    try:
        with qtbot.waitSignal(window.new_mail.notified, timeout=15_000) as blocker:
            other.append("INBOX", message("Fresh news", sender="Carol <carol@example.org>"))
    finally:
        other.logout()
    assert blocker.args == [1]
    assert notifier.shown == [("New message from Carol", "Fresh news")]
    qtbot.waitUntil(lambda: window.windowTitle().startswith("(3) "), timeout=5_000)
    window.close()
    assert notifier.closed


def test_preferences_round_trip_and_apply(
        mail_user: MailUser, make_window: WindowFactory, qtbot: QtBot,
        tmp_path: Path) -> None:
    mail_user.save(message("Hello"))
    notifier = FakeNotifier()
    window = make_window({"work": mail_user}, notifier)
    qtbot.waitUntil(lambda: window.message_list.proxy.rowCount() == 1, timeout=10_000)
    prefs = {PREF_REMOTE_CONTENT: REMOTE_KNOWN_SENDERS, PREF_NOTIFICATIONS: False,
             PREF_THREADING: True}
    account = account_for(mail_user, name="work")
    changed = type(account)(**{**account.__dict__, "sync": SyncPolicy(days=3650)})
    client = EngineClient(changed, tmp_path / "work.sqlite3", lambda: mail_user.password,
                          window)
    window.apply_account_settings(changed, prefs, client)
    # Preferences persisted per account and applied at once.
    stored = WindowSettings(tmp_path / "qtmail.ini").preferences("work", prefs)
    assert stored == prefs
    assert window.lists.mode is ListMode.THREADED  # the new threading default
    assert window.client("work") is client
    qtbot.waitUntil(lambda: client.running, timeout=5_000)
    # "Always for this sender" is kept in the account's allow list.
    policy = window.prefs.remote_policy("work")
    assert policy.allow("news@example.org")
    assert WindowSettings(tmp_path / "qtmail.ini").remote_allowed("work") == \
        ["news@example.org"]
    # Notifications off: new mail is not announced.
    qtbot.waitUntil(lambda: window.new_mail.armed("work"), timeout=10_000)
    other = mail_user.imap()
    try:
        other.append("INBOX", message("Quiet"))
    finally:
        other.logout()
    qtbot.waitUntil(lambda: window.lists.threaded.proxy.rowCount() == 2, timeout=15_000)
    qtbot.waitUntil(lambda: not window.new_mail._timer.isActive(), timeout=5_000)
    assert notifier.shown == []
