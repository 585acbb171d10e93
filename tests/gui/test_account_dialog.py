"""AccountDialog: defaults, guesses, validation, connection tests against Dovecot, keyring."""

from __future__ import annotations

import hashlib
import ssl
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from helpers.dovecot import MailUser
from helpers.gui_app import answering
from helpers.memory_keyring import MemoryKeyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from qtmail.accounts.credentials import CredentialStore
from qtmail.accounts.settings import AccountSettings, AccountsFile, Security, ServerSettings
from qtmail.core.errors import CertificateNotTrusted, ServerUnreachable
from qtmail.qt.connection_test import wait_for_tests
from qtmail.qt.widgets.account_dialog import AccountDialog

SHOWN = "This plugin does not support propagateSizeHints"
"""The offscreen platform says so whenever a dialog is shown."""

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def no_thread_left() -> Iterator[None]:
    yield
    assert wait_for_tests(30_000), "a connection test thread is still running"


class TrustPrompt:
    """Stands in for the message box: records what it was asked, answers ``answer``."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.asked: list[CertificateNotTrusted] = []

    def __call__(self, error: CertificateNotTrusted) -> bool:
        self.asked.append(error)
        return self.answer


def make_dialog(qtbot: QtBot, existing: AccountSettings | None = None,
                trust: TrustPrompt | None = None,
                credentials: CredentialStore | None = None) -> AccountDialog:
    dialog = AccountDialog(credentials or CredentialStore(), existing, ask_trust=trust)
    qtbot.addWidget(dialog)
    dialog.show()  # as the user sees it: the pages are laid out only once shown
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: not dialog.busy)  # the keyring lookup at opening
    return dialog


def fill(qtbot: QtBot, dialog: AccountDialog, user: MailUser, *, password: str | None = None,
         tls: bool = False) -> None:
    qtbot.keyClicks(dialog.address_edit, f"{user.name}@example.org")
    dialog.username_edit.setText(user.name)
    dialog.password_edit.setText(user.password if password is None else password)
    dialog.imap_box.host_edit.setText(user.host)
    dialog.imap_box.set_security(Security.SSL if tls else Security.NONE)
    dialog.imap_box.port_spin.setValue(user.tls_port if tls else user.port)
    dialog.smtp_box.host_edit.setText(user.host)


def run_test(qtbot: QtBot, dialog: AccountDialog) -> bool:
    if not dialog.isVisible():
        dialog.show()  # the button is clicked where the user sees it
        qtbot.waitExposed(dialog)
    with qtbot.waitSignal(dialog.tested, timeout=20_000) as blocker:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    return bool(blocker.args[0])


def der_fingerprint(pem_file: Path) -> str:
    der = ssl.PEM_cert_to_DER_cert(pem_file.read_text())
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


# -- fields, defaults, guesses ---------------------------------------------------------
def test_defaults_are_implicit_tls_on_993_and_465(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    assert dialog.objectName() == "accountDialog"
    assert (dialog.imap_box.port(), dialog.imap_box.security()) == (993, Security.SSL)
    assert (dialog.smtp_box.port(), dialog.smtp_box.security()) == (465, Security.SSL)
    assert dialog.plaintext_warning.isHidden()
    assert dialog.password_edit.echoMode() == dialog.password_edit.EchoMode.Password


def test_servers_and_name_are_guessed_from_the_address_until_edited(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    qtbot.keyClicks(dialog.address_edit, "ann@example.net")
    assert dialog.imap_box.host() == "imap.example.net"
    assert dialog.smtp_box.host() == "smtp.example.net"
    assert dialog.name_edit.text() == "Example"
    qtbot.keyClicks(dialog.imap_box.host_edit, "x")  # the user types into the host
    dialog.address_edit.clear()
    qtbot.keyClicks(dialog.address_edit, "ann@other.org")
    assert dialog.imap_box.host() == "imap.example.netx"
    assert dialog.smtp_box.host() == "smtp.other.org"


def test_port_follows_security_until_changed_and_plaintext_is_warned(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    dialog.imap_box.set_security(Security.STARTTLS)
    assert dialog.imap_box.port() == 143
    dialog.smtp_box.set_security(Security.STARTTLS)
    assert dialog.smtp_box.port() == 587
    dialog.smtp_box.port_spin.setValue(2525)
    dialog.smtp_box.set_security(Security.SSL)
    assert dialog.smtp_box.port() == 2525  # a port the user chose stays
    assert dialog.plaintext_warning.isHidden()
    dialog.imap_box.set_security(Security.NONE)
    assert not dialog.plaintext_warning.isHidden()
    assert "readable text" in dialog.plaintext_warning.text()


def test_the_plaintext_warning_makes_room_instead_of_squeezing_the_fields(
        qtbot: QtBot) -> None:
    existing = AccountSettings(
        name="work", email="ann@example.org",
        imap=ServerSettings(host="imap.example.org", port=993, username="ann"),
        smtp=ServerSettings(host="", port=465))
    dialog = make_dialog(qtbot, existing)  # Account Settings: every server shown
    dialog.smtp_box.security_combo.setCurrentIndex(
        dialog.smtp_box.security_combo.findData(Security.NONE))
    qtbot.waitUntil(lambda: dialog.plaintext_warning.isVisible())
    qtbot.wait(50)  # the relayout
    for field in (dialog.smtp_box.port_spin, dialog.smtp_box.host_edit,
                  dialog.imap_box.port_spin):
        assert field.height() >= field.sizeHint().height(), field.objectName()


@pytest.mark.qt_log_ignore(SHOWN)
@pytest.mark.parametrize(("address", "host", "field"), [
    ("not an address", "imap.example.org", "addressEdit"),
    ("ann@", "imap.example.org", "addressEdit"),
    ("ann@example.org", "bad host name", "imapHostEdit"),
    ("ann@example.org", "", "imapHostEdit"),
])
def test_invalid_fields_keep_the_dialog_open(qtbot: QtBot, address: str, host: str,
                                             field: str) -> None:
    dialog = make_dialog(qtbot)
    dialog.show()
    dialog.name_edit.setText("work")
    dialog.address_edit.setText(address)
    dialog.password_edit.setText("secret")
    dialog.imap_box.host_edit.setText(host)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible()
    assert not dialog.validation_message.isHidden()
    assert dialog.focusWidget() is not None
    assert dialog.focusWidget().objectName() == field  # type: ignore[union-attr]
    assert dialog.imap_box.port_spin.minimum() == 1
    assert dialog.imap_box.port_spin.maximum() == 65535


# -- connection tests against Dovecot --------------------------------------------------
@pytest.mark.dovecot
def test_connection_test_succeeds_on_plain_localhost(qtbot: QtBot, mail_user: MailUser) -> None:
    dialog = make_dialog(qtbot)
    fill(qtbot, dialog, mail_user)
    assert run_test(qtbot, dialog)
    assert dialog.test_result.text() == "Connected to 127.0.0.1 and logged in. These settings work."
    assert dialog.test_button.isEnabled()


@pytest.mark.dovecot
def test_wrong_password_is_a_sentence(qtbot: QtBot, mail_user: MailUser) -> None:
    dialog = make_dialog(qtbot)
    fill(qtbot, dialog, mail_user, password="wrong")
    assert not run_test(qtbot, dialog)
    assert dialog.test_result.text() == "The server did not accept the user name or password."


@pytest.mark.dovecot
def test_untrusted_certificate_is_pinned_when_accepted(qtbot: QtBot, mail_user: MailUser) -> None:
    trust = TrustPrompt(answer=True)
    dialog = make_dialog(qtbot, trust=trust)
    fill(qtbot, dialog, mail_user, tls=True)
    assert run_test(qtbot, dialog)
    expected = der_fingerprint(mail_user.server.ca_file)
    assert [(e.fingerprint, e.host, e.port) for e in trust.asked] == [
        (expected, "127.0.0.1", mail_user.tls_port)]
    assert "These settings work" in dialog.test_result.text()
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.accept()
    assert dialog.result_settings().imap.pinned_fingerprint == expected
    assert dialog.result_settings().imap.security is Security.SSL


@pytest.mark.dovecot
def test_declined_certificate_is_not_pinned(qtbot: QtBot, mail_user: MailUser) -> None:
    trust = TrustPrompt(answer=False)
    dialog = make_dialog(qtbot, trust=trust)
    fill(qtbot, dialog, mail_user, tls=True)
    assert not run_test(qtbot, dialog)
    assert len(trust.asked) == 1
    assert "did not accept the server's certificate" in dialog.test_result.text()
    assert dialog.build_settings().imap.pinned_fingerprint == ""


@pytest.mark.dovecot
def test_a_different_certificate_asks_again(qtbot: QtBot, mail_user: MailUser,
                                            memory_keyring: MemoryKeyring) -> None:
    memory_keyring.passwords[("qtmail", "work:imap")] = mail_user.password
    old_pin = ":".join(["AB"] * 32)
    existing = AccountSettings(
        name="work", email=f"{mail_user.name}@example.org",
        imap=ServerSettings(host=mail_user.host, port=mail_user.tls_port,
                            username=mail_user.name, pinned_fingerprint=old_pin))
    trust = TrustPrompt(answer=True)
    dialog = make_dialog(qtbot, existing, trust=trust)
    assert dialog.name_edit.isReadOnly()
    assert dialog.password_edit.text() == ""  # the stored password is used, not shown
    assert run_test(qtbot, dialog)
    expected = der_fingerprint(mail_user.server.ca_file)
    assert [e.fingerprint for e in trust.asked] == [expected]
    # Issue 17: it says the certificate changed and carries the one trusted before.
    assert [e.previous_fingerprint for e in trust.asked] == [old_pin]
    assert "has changed since you trusted it" in trust.asked[0].user_message
    assert dialog.build_settings().imap.pinned_fingerprint == expected


@pytest.mark.dovecot
def test_the_changed_certificate_prompt_shows_both_fingerprints(
        qtbot: QtBot, mail_user: MailUser, memory_keyring: MemoryKeyring) -> None:
    memory_keyring.passwords[("qtmail", "work:imap")] = mail_user.password
    old_pin = ":".join(["AB"] * 32)
    existing = AccountSettings(
        name="work", email=f"{mail_user.name}@example.org",
        imap=ServerSettings(host=mail_user.host, port=mail_user.tls_port,
                            username=mail_user.name, pinned_fingerprint=old_pin))
    dialog = make_dialog(qtbot, existing)  # the real message box
    seen: list[str] = []

    def look_and_trust(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        seen.append(widget.text())
        seen.append(widget.informativeText())
        [trust] = [b for b in widget.buttons()
                   if widget.buttonRole(b) is QMessageBox.ButtonRole.AcceptRole]
        trust.click()

    with answering("trustBox", look_and_trust):
        assert run_test(qtbot, dialog)
    expected = der_fingerprint(mail_user.server.ca_file)
    title, text = seen
    assert "has changed" in title
    assert f"Trusted before:\n{old_pin}" in text and f"Now:\n{expected}" in text
    assert dialog.build_settings().imap.pinned_fingerprint == expected


# -- the password: keyring only --------------------------------------------------------
@pytest.mark.dovecot
def test_password_goes_to_the_keyring_and_nowhere_else(
        qtbot: QtBot, mail_user: MailUser, memory_keyring: MemoryKeyring,
        tmp_path: Path) -> None:
    dialog = make_dialog(qtbot)
    fill(qtbot, dialog, mail_user)
    dialog.name_edit.setText("work")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert memory_keyring.passwords[("qtmail", "work:imap")] == mail_user.password
    settings = dialog.result_settings()
    assert settings.imap.username == mail_user.name
    assert settings.smtp is not None and settings.smtp.port == 465
    accounts = AccountsFile(tmp_path / "accounts.json")
    accounts.add(settings)
    assert mail_user.password not in accounts.path.read_text()
    assert accounts.get("work") == settings


def test_missing_keyring_is_said_and_the_password_kept_for_the_session(qtbot: QtBot) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        credentials = CredentialStore()
        dialog = make_dialog(qtbot, credentials=credentials)
        assert not dialog.keyring_note.isHidden()
        assert "only until qtmail closes" in dialog.keyring_note.text()
        dialog.address_edit.setText("ann@example.org")
        dialog.name_edit.setText("home")
        dialog.imap_box.host_edit.setText("imap.example.org")
        dialog.password_edit.setText("hunter2-secret")
        with qtbot.waitSignal(dialog.accepted, timeout=10_000):
            dialog.accept()
        assert credentials.get("home") == "hunter2-secret"  # from session memory
    finally:
        keyring.set_keyring(previous)


@pytest.mark.qt_log_ignore(SHOWN)
def test_a_keyring_failure_at_saving_asks_before_closing(qtbot: QtBot) -> None:
    credentials = CredentialStore()
    dialog = make_dialog(qtbot, credentials=credentials)
    assert dialog.keyring_note.isHidden()
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        dialog.show()
        dialog.address_edit.setText("ann@example.org")
        dialog.name_edit.setText("home")
        dialog.imap_box.host_edit.setText("imap.example.org")
        dialog.password_edit.setText("hunter2-secret")
        dialog.accept()
        qtbot.waitUntil(lambda: not dialog.keyring_note.isHidden())
        assert dialog.isVisible()
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok.text() == "Continue"
        with qtbot.waitSignal(dialog.accepted, timeout=10_000):
            ok.click()
    finally:
        keyring.set_keyring(previous)


# -- the injected connect function: threads, bugs, closing mid-test --------------------
class FakeSession:
    def logout(self) -> None:
        pass


def test_connect_runs_off_the_gui_thread_and_errors_become_sentences(qtbot: QtBot) -> None:
    calls: list[tuple[ServerSettings, str, bool]] = []

    def unreachable(settings: ServerSettings, username: str, password: str) -> FakeSession:
        calls.append((settings, username, threading.current_thread() is threading.main_thread()))
        raise ServerUnreachable("qtmail could not reach imap.example.org. Check the "
                                "server name and your internet connection.")

    dialog = AccountDialog(CredentialStore(), connect=unreachable)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.address_edit, "ann@example.org")
    dialog.password_edit.setText("pw")
    assert not run_test(qtbot, dialog)
    assert dialog.test_result.text().startswith("qtmail could not reach imap.example.org.")
    [(settings, username, on_gui_thread)] = calls
    assert not on_gui_thread
    assert (settings.host, settings.port, settings.security) == (
        "imap.example.org", 993, Security.SSL)
    assert username == "ann@example.org"  # no user name given: the address


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_the_test_reaches_the_excepthook(qtbot: QtBot,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _t, exc, _tb: seen.append(exc))

    def broken(settings: ServerSettings, username: str, password: str) -> FakeSession:
        raise ZeroDivisionError("a bug")

    dialog = AccountDialog(CredentialStore(), connect=broken)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.address_edit, "ann@example.org")
    dialog.password_edit.setText("pw")
    assert not run_test(qtbot, dialog)
    assert [type(exc) for exc in seen] == [ZeroDivisionError]
    assert "problem inside qtmail" in dialog.test_result.text()


def test_closing_the_dialog_during_a_test_is_safe(qtbot: QtBot) -> None:
    release = threading.Event()
    started = threading.Event()

    def slow(settings: ServerSettings, username: str, password: str) -> FakeSession:
        started.set()
        release.wait(10)
        return FakeSession()

    dialog = AccountDialog(CredentialStore(), connect=slow)
    qtbot.keyClicks(dialog.address_edit, "ann@example.org")
    dialog.password_edit.setText("pw")
    finished: list[bool] = []
    dialog.tested.connect(finished.append)
    dialog.test_button.click()
    assert started.wait(10)
    dialog.reject()
    dialog.deleteLater()
    del dialog
    release.set()
    assert wait_for_tests(10_000)
    assert finished == []


# -- servers from the address (issue 16) -------------------------------------------------
def test_typing_the_address_finds_and_shows_the_servers_before_any_login(
        qtbot: QtBot, tmp_path: Path) -> None:
    from helpers.autoconfig_world import make_world

    from qtmail.accounts.autoconfig.lookup import discover

    world = make_world(tmp_path)
    logins: list[str] = []

    def connect(settings: ServerSettings, username: str, password: str) -> FakeSession:
        logins.append(username)
        return FakeSession()

    try:
        dialog = AccountDialog(CredentialStore(), connect=connect,
                               autoconfig=lambda address: discover(address, world.lookups))
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()  # the window manager's part: focus moves on Tab then
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5_000)
        qtbot.mouseClick(dialog.address_edit, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(dialog.address_edit, "ann@example.test")
        qtbot.keyClick(dialog.address_edit, Qt.Key.Key_Tab)  # on to the next field
        qtbot.waitUntil(lambda: "Settings found" in dialog.found_note.text(), timeout=10_000)
        assert "autoconfig.example.test" in dialog.found_note.text()
        assert (dialog.imap_box.host(), dialog.imap_box.port(), dialog.imap_box.security()) \
            == ("imap.example.test", 993, Security.SSL)
        assert (dialog.smtp_box.host(), dialog.smtp_box.port()) == ("smtp.example.test", 465)
        assert logins == []  # shown first: nothing was sent anywhere yet

        # DNS-only settings are flagged; a host the user typed is never replaced.
        assert not dialog.imap_box.isVisible()  # two fields until asked for more
        qtbot.mouseClick(dialog.manual_button, Qt.MouseButton.LeftButton)
        assert dialog.imap_box.isVisible()
        dialog.address_edit.clear()
        dialog.imap_box.host_edit.clear()
        qtbot.keyClicks(dialog.imap_box.host_edit, "mine.example.org")
        qtbot.mouseClick(dialog.address_edit, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(dialog.address_edit, "bob@srv.test")
        qtbot.keyClick(dialog.address_edit, Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda: "SRV srv.test" in dialog.found_note.text(), timeout=10_000)
        assert "others on your network could forge" in dialog.found_note.text()
        assert dialog.imap_box.host() == "mine.example.org"
        assert dialog.smtp_box.host() == "mail.srv.test"
        qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    finally:
        world.stop()
