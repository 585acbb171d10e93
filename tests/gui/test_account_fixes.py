"""Issue 13 items 4-6 through the whole application against Dovecot: a refused or
missing password asks for it (incoming and outgoing server), an account is fixed in
its own settings page, removed with its cache and passwords, and a refusal that says
"open its settings" opens exactly that page."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from helpers.accounts import account_for
from helpers.dovecot import MailUser, free_port
from helpers.gui_app import answering, shown, start_gui, stop_gui
from helpers.mailgen import message
from helpers.memory_keyring import MemoryKeyring
from helpers.window import right_click
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from qtmail.accounts.settings import AccountsFile, Security, ServerSettings
from qtmail.app import Gui
from qtmail.core.errors import Fix, ServiceStatus
from qtmail.core.events import StatusChanged
from qtmail.profile import Profile
from qtmail.qt.composer.window import ComposerWindow
from qtmail.qt.widgets.account_dialog import AccountDialog
from qtmail.qt.widgets.password_dialog import PasswordDialog

pytestmark = [
    pytest.mark.dovecot,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints",
                              # offscreen: a popup menu raises itself and grabs the keys
                              "This plugin does not support raise",
                              "This plugin does not support grabbing the keyboard"),
]

IMAP_KEY = ("qtmail", "work:imap")
SMTP_KEY = ("qtmail", "work:smtp")


@pytest.fixture
def gui_home(tmp_path: Path) -> Iterator[list[Gui]]:
    started: list[Gui] = []
    yield started
    for gui in started:
        stop_gui(gui)


def inbox_rows(gui: Gui) -> int:
    return gui.window.message_list.proxy.rowCount()


def connected(gui: Gui, account: str = "work") -> bool:
    return gui.window.status.state_text(account) == "Connected"


def password_prompt(gui: Gui, fix: Fix = Fix.PASSWORD) -> PasswordDialog | None:
    dialog = gui.fixes.dialogs.get(("work", fix))
    return dialog if dialog is not None and dialog.isVisible() else None


def write(qtbot: QtBot, gui: Gui, to: str, subject: str) -> ComposerWindow:
    """A new message typed and sent with Ctrl+Enter, as the user does."""
    composer = gui.window.compose.write(account="work")
    assert composer is not None
    qtbot.waitExposed(composer)
    composer.activateWindow()  # the window manager's part: shortcuts need it
    qtbot.waitUntil(lambda: QApplication.activeWindow() is composer, timeout=5_000)
    qtbot.keyClicks(composer.to_edit, to)
    qtbot.keyClicks(composer.subject_edit, subject)
    composer.body.setFocus()
    qtbot.keyClicks(composer.body, "Hello.")
    qtbot.keyClick(composer.body, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    return composer


def answer_prompt(qtbot: QtBot, dialog: PasswordDialog, password: str) -> None:
    qtbot.keyClicks(dialog.password_edit, password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)


# -- item 5: the password prompt ------------------------------------------------------------
def test_a_refused_password_asks_for_the_right_one_and_remembers_it(
        qtbot: QtBot, tmp_path: Path, mail_user: MailUser, memory_keyring: MemoryKeyring,
        gui_home: list[Gui]) -> None:
    mail_user.save(message("Waiting for you"))
    gui = start_gui(qtbot, tmp_path, [account_for(mail_user)], {"work": "an-old-password"})
    gui_home.append(gui)

    qtbot.waitUntil(lambda: password_prompt(gui) is not None, timeout=20_000)
    dialog = password_prompt(gui)
    assert dialog is not None
    assert "did not accept" in dialog.reason_label.text()  # why it asks
    assert mail_user.name in dialog.ask_label.text()  # for whom, on which server
    assert dialog.remember_check.isEnabled() and dialog.remember_check.isChecked()
    answer_prompt(qtbot, dialog, mail_user.password)

    qtbot.waitUntil(lambda: connected(gui) and inbox_rows(gui) == 1, timeout=20_000)
    qtbot.waitUntil(lambda: not gui.fixes.busy, timeout=10_000)
    assert memory_keyring.passwords[IMAP_KEY] == mail_user.password
    assert password_prompt(gui) is None  # asked once, not once per connection


@pytest.mark.parametrize("backend", [keyring.backends.fail.Keyring,
                                     keyring.backends.null.Keyring])
def test_without_a_keyring_it_asks_and_says_it_will_ask_again(
        qtbot: QtBot, tmp_path: Path, mail_user: MailUser, gui_home: list[Gui],
        backend: type[keyring.backend.KeyringBackend]) -> None:
    # A desktop without Secret Service ("fail"), or keyring told to keep nothing
    # ("null", as scripts/demo does): the password typed must hold for the session.
    keyring.set_keyring(backend())
    mail_user.save(message("No keyring here"))
    gui = start_gui(qtbot, tmp_path, [account_for(mail_user)])
    gui_home.append(gui)

    qtbot.waitUntil(lambda: password_prompt(gui) is not None, timeout=20_000)
    dialog = password_prompt(gui)
    assert dialog is not None
    assert not dialog.remember_check.isEnabled()
    assert dialog.keyring_note.isVisible()
    assert "asks for it again next time" in dialog.keyring_note.text()
    answer_prompt(qtbot, dialog, mail_user.password)
    qtbot.waitUntil(lambda: connected(gui) and inbox_rows(gui) == 1, timeout=20_000)
    gui.window.action_set.get_messages.trigger()  # and it syncs again without asking
    mail_user.save(message("Second look"))
    qtbot.waitUntil(lambda: inbox_rows(gui) == 2, timeout=20_000)
    assert password_prompt(gui) is None


def test_the_prompt_finds_out_there_is_no_keyring_while_it_shows(
        qtbot: QtBot, tmp_path: Path, mail_user: MailUser, gui_home: list[Gui]) -> None:
    # The wrong password came from memory, so the keyring was never asked before.
    keyring.set_keyring(keyring.backends.null.Keyring())
    gui = start_gui(qtbot, tmp_path, [account_for(mail_user)],
                    session_passwords={"work": "wrong"})
    gui_home.append(gui)
    qtbot.waitUntil(lambda: password_prompt(gui) is not None, timeout=20_000)
    dialog = password_prompt(gui)
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.remember_check.isEnabled(), timeout=10_000)
    assert not dialog.remember_check.isChecked() and dialog.keyring_note.isVisible()
    answer_prompt(qtbot, dialog, mail_user.password)
    qtbot.waitUntil(lambda: connected(gui), timeout=20_000)


def test_a_cancelled_prompt_stays_one_click_away(
        qtbot: QtBot, tmp_path: Path, mail_user: MailUser, gui_home: list[Gui]) -> None:
    gui = start_gui(qtbot, tmp_path, [account_for(mail_user)], {"work": "wrong"})
    gui_home.append(gui)
    qtbot.waitUntil(lambda: password_prompt(gui) is not None, timeout=20_000)
    dialog = password_prompt(gui)
    assert dialog is not None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: gui.window.status.fix_button("work") is not None, timeout=5_000)
    button = gui.window.status.fix_button("work")
    assert button is not None and button.text() == "Enter Password…"
    refusals: list[StatusChanged] = []
    gui.window.directory.event.connect(lambda event: refusals.append(event) if isinstance(
        event, StatusChanged) and event.status is ServiceStatus.AUTH_FAILED else None)
    gui.window.action_set.get_messages.trigger()  # Retry: refused again, no new prompt
    qtbot.waitUntil(lambda: bool(refusals), timeout=10_000)
    assert password_prompt(gui) is None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: password_prompt(gui) is not None, timeout=5_000)
    again = password_prompt(gui)
    assert again is not None
    answer_prompt(qtbot, again, mail_user.password)
    qtbot.waitUntil(lambda: connected(gui), timeout=20_000)
    assert gui.window.status.fix_button("work") is None


# -- the outgoing server's password ---------------------------------------------------------
@dataclass
class AuthSink:
    """An aiosmtpd that wants ``password`` (not the IMAP one) and keeps what it gets."""

    password: str
    received: list[bytes] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    def __call__(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                 auth_data: Any) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        self.logins.append(auth_data.password.decode())
        return AuthResult(success=auth_data.password.decode() == self.password,
                          handled=False)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.received.append(bytes(envelope.content or b""))
        return "250 OK"


@pytest.fixture
def smtp_sink() -> Iterator[tuple[int, AuthSink]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    sink = AuthSink("the-smtp-password")
    controller = Controller(sink, hostname="127.0.0.1", port=port, authenticator=sink,
                            auth_require_tls=False)
    controller.start()
    yield port, sink
    controller.stop()


def test_a_refused_smtp_password_asks_for_it_and_sends(
        qtbot: QtBot, tmp_path: Path, mail_user: MailUser, memory_keyring: MemoryKeyring,
        smtp_sink: tuple[int, AuthSink], gui_home: list[Gui]) -> None:
    port, sink = smtp_sink
    account = replace(account_for(mail_user), smtp=ServerSettings(
        host="127.0.0.1", port=port, security=Security.NONE, username="smtp-user",
        timeout=10))
    gui = start_gui(qtbot, tmp_path, [account], {"work": mail_user.password})
    gui_home.append(gui)
    qtbot.waitUntil(lambda: connected(gui), timeout=20_000)
    write(qtbot, gui, "bob@example.org", "Through the outgoing server")

    qtbot.waitUntil(lambda: password_prompt(gui, Fix.SMTP_PASSWORD) is not None,
                    timeout=20_000)
    dialog = password_prompt(gui, Fix.SMTP_PASSWORD)
    assert dialog is not None and dialog.outgoing
    assert "send mail" in dialog.ask_label.text() and "smtp-user" in dialog.ask_label.text()
    assert sink.logins == [mail_user.password]  # the IMAP one was tried first
    answer_prompt(qtbot, dialog, "the-smtp-password")
    qtbot.waitUntil(lambda: len(sink.received) == 1, timeout=20_000)
    assert b"Through the outgoing server" in sink.received[0]
    qtbot.waitUntil(lambda: not gui.fixes.busy, timeout=10_000)
    assert memory_keyring.passwords[SMTP_KEY] == "the-smtp-password"
    assert memory_keyring.passwords[IMAP_KEY] == mail_user.password  # untouched


# -- item 4: account settings and removal ---------------------------------------------------
def highlight_account(gui: Gui, account: str = "work") -> None:
    view = gui.window.folder_view
    view.setCurrentIndex(view.tree.account_index(account))


def test_a_wrong_server_is_fixed_in_the_account_settings(
        qtbot: QtBot, tmp_path: Path, mail_user: MailUser, gui_home: list[Gui]) -> None:
    mail_user.save(message("Behind the right port"))
    closed = free_port()
    wrong = account_for(mail_user)
    wrong = replace(wrong, imap=replace(wrong.imap, port=closed, timeout=5))
    gui = start_gui(qtbot, tmp_path, [wrong], {"work": mail_user.password})
    gui_home.append(gui)
    qtbot.waitUntil(lambda: gui.window.status.retry_visible("work"), timeout=20_000)

    def fix(widget: QWidget) -> None:
        assert isinstance(widget, AccountDialog)
        assert widget.name_edit.text() == "work" and widget.name_edit.isReadOnly()
        assert widget.imap_box.port() == closed
        widget.imap_box.port_spin.setValue(mail_user.port)
        widget.tabs.setCurrentWidget(widget.identities_page)
        qtbot.keyClicks(widget.identities_page.signature_edit, "Ann, from the fixed account")
        qtbot.keyClicks(widget.identities_page.others_edit, "Team <team@example.org>")
        qtbot.mouseClick(widget.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    highlight_account(gui)
    with answering("accountDialog", fix) as answered:
        gui.window.action_set.account_settings.trigger()
    assert answered, "Account Settings… opened no dialog"
    qtbot.waitUntil(lambda: connected(gui) and inbox_rows(gui) == 1, timeout=20_000)
    saved = AccountsFile(Profile.at(tmp_path).accounts_file).get("work")
    assert saved.imap.port == mail_user.port
    assert saved.signature == "Ann, from the fixed account"
    assert [(i.display_name, i.email) for i in saved.identities] == [
        ("Team", "team@example.org")]
    composer = gui.window.compose.write(account="work")
    assert composer is not None
    assert "Ann, from the fixed account" in composer.body.toPlainText()
    labels = [composer.from_combo.itemText(i) for i in range(composer.from_combo.count())]
    assert "Team <team@example.org>" in labels
    composer._finish()
    composer.close()


def test_the_composer_refusal_button_opens_that_accounts_settings(
        qtbot: QtBot, tmp_path: Path, mail_user: MailUser, smtp_sink: tuple[int, AuthSink],
        gui_home: list[Gui]) -> None:
    port, sink = smtp_sink
    sink.password = mail_user.password
    gui = start_gui(qtbot, tmp_path, [account_for(mail_user)], {"work": mail_user.password})
    gui_home.append(gui)
    qtbot.waitUntil(lambda: connected(gui), timeout=20_000)
    composer = write(qtbot, gui, "bob@example.org", "No way out yet")
    qtbot.waitUntil(lambda: any(c is not composer and c.problem_button.isVisible()
                                for c in gui.window.compose.composers), timeout=10_000)
    again = next(c for c in gui.window.compose.composers if c is not composer)
    assert "no outgoing server" in again.problem_label.text()
    seen: list[str] = []

    def add_outgoing_server(widget: QWidget) -> None:
        assert isinstance(widget, AccountDialog)
        seen.append(widget.name_edit.text())
        # It opens where the problem is fixed: the outgoing server's name.
        assert widget.focusWidget() is widget.smtp_box.host_edit
        qtbot.keyClicks(widget.smtp_box.host_edit, "127.0.0.1")
        widget.smtp_box.set_security(Security.NONE)
        widget.smtp_box.port_spin.setValue(port)
        qtbot.mouseClick(widget.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    with answering("accountDialog", add_outgoing_server):
        qtbot.mouseClick(again.problem_button, Qt.MouseButton.LeftButton)
    assert seen == ["work"]
    assert not again.problem_label.isVisible()  # the refusal no longer holds
    again.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is again, timeout=5_000)
    qtbot.keyClick(again.body, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(sink.received) == 1, timeout=20_000)
    assert b"No way out yet" in sink.received[0]


def test_remove_account_asks_then_removes_cache_passwords_and_settings(
        qtbot: QtBot, tmp_path: Path, mail_user: MailUser, memory_keyring: MemoryKeyring,
        gui_home: list[Gui]) -> None:
    mail_user.save(message("Stays on the server"))
    gui = start_gui(qtbot, tmp_path, [account_for(mail_user)], {"work": mail_user.password})
    gui_home.append(gui)
    qtbot.waitUntil(lambda: inbox_rows(gui) == 1, timeout=20_000)
    cache = Profile.at(tmp_path).cache_file("work")
    assert cache.exists()

    def cancel(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        assert "stays on the server" in widget.informativeText()
        widget.button(QMessageBox.StandardButton.Cancel).click()

    highlight_account(gui)
    with answering("removeAccountBox", cancel) as answered:
        gui.window.action_set.remove_account.trigger()
    assert answered
    assert gui.window.accounts() == ["work"] and cache.exists()  # asked, and kept

    def remove(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        [button] = [b for b in widget.buttons()
                    if widget.buttonRole(b) is QMessageBox.ButtonRole.DestructiveRole]
        button.click()

    # From the folder tree's own menu on the account row.
    assert gui.window.action_set.remove_account in gui.window.folder_view.actions()
    with answering("removeAccountBox", remove):
        gui.window.action_set.remove_account.trigger()
    qtbot.waitUntil(lambda: not cache.exists(), timeout=10_000)
    assert gui.window.accounts() == []
    assert gui.window.folder_view.tree.rowCount() == 0
    assert gui.window.stack.currentWidget() is gui.window.empty
    assert IMAP_KEY not in memory_keyring.passwords
    assert AccountsFile(Profile.at(tmp_path).accounts_file).load() == []
    with mail_user.imap() as imap:  # the mail itself stays on the server
        imap.select_folder("INBOX")
        assert len(imap.search("ALL")) == 1
    assert shown("removeAccountBox") is None


def test_the_folder_tree_menu_acts_on_the_row_under_the_mouse(
        qtbot: QtBot, tmp_path: Path, mail_user: MailUser, gui_home: list[Gui]) -> None:
    gui = start_gui(qtbot, tmp_path, [account_for(mail_user)], {"work": mail_user.password})
    gui_home.append(gui)
    view = gui.window.folder_view
    qtbot.waitUntil(lambda: view.select_folder("work", "INBOX"), timeout=20_000)
    row = view.tree.account_index("work")
    right_click(view, qtbot, row, view.context_menu)
    assert view.currentIndex() == row  # highlighted: what the menu acts on
    texts = [action.text() for action in view.context_menu.actions()]
    assert "Account Se&ttings…" in texts and "Remo&ve Account…" in texts
    assert gui.window.selected_account() == "work"
    # The folder shown behind it (INBOX) is not what a folder command would act on.
    assert not gui.window.action_set.rename_folder.isEnabled()
    assert not gui.window.action_set.delete_folder.isEnabled()
    view.context_menu.close()
