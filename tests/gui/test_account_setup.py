"""A new account from the address alone, through the whole application (issue 16):
the user types an address and a password, or presses "Sign In with …" and finishes in
the browser, and is reading mail with nothing else typed. A revoked sign-in asks once.

The servers come from a local override file in the profile (the lookups' highest
priority); every other source is tested in test_autoconfig.py and test_cli_discover.py.
The browser is played by the test through Qt's own URL handler hook, so the real
QDesktopServices.openUrl call is what opens it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.browser import PlayedBrowser
from helpers.dovecot import DovecotServer, MailUser
from helpers.gui_app import answering, shown, start_gui, stop_gui
from helpers.memory_keyring import MemoryKeyring
from helpers.oauth_server import OAuthServer
from helpers.window import POPUPS_SHOWN, list_subjects
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from qtmail.accounts.oauth.tokens import shared_source
from qtmail.accounts.settings import AccountsFile, Security
from qtmail.qt.widgets.account_dialog import AccountDialog

pytestmark = [pytest.mark.dovecot, POPUPS_SHOWN]

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "account-setup"


def override(home: Path, domain: str, user: MailUser, *, oauth: OAuthServer | None = None
             ) -> None:
    """<profile>/config/isp/<domain>.xml, as an administrator would place it."""
    folder = home / "config" / "isp"
    folder.mkdir(parents=True, exist_ok=True)
    auth = "<authentication>OAuth2</authentication>" if oauth else \
        "<authentication>password-cleartext</authentication>"
    block = "" if oauth is None else f"""
  <oAuth2><issuer>{oauth.issuer}</issuer><scope>mail</scope>
    <authURL>{oauth.url}/authorize</authURL><tokenURL>{oauth.url}/token</tokenURL></oAuth2>"""
    (folder / f"{domain}.xml").write_text(f"""<clientConfig version="1.1">
  <emailProvider id="{domain}">
    <incomingServer type="imap"><hostname>localhost</hostname>
      <port>{user.tls_port}</port><socketType>SSL</socketType>
      <username>%EMAILLOCALPART%</username>{auth}</incomingServer>
  </emailProvider>{block}
</clientConfig>""")


def trust(widget: QWidget) -> None:
    """The user reads the fingerprint and trusts the test server's own certificate."""
    assert isinstance(widget, QMessageBox)
    [button] = [b for b in widget.buttons()
                if widget.buttonRole(b) is QMessageBox.ButtonRole.AcceptRole]
    button.click()


def snap(widget: QWidget, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(ARTIFACTS / f"{name}.png"))


def type_address(qtbot: QtBot, dialog: AccountDialog, address: str) -> None:
    # The address is looked up when the field loses the keyboard focus (Tab): only a
    # field that has it can lose it, and a window not yet active gives none (a loaded
    # CI machine activates it a moment later).
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    qtbot.mouseClick(dialog.address_edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.address_edit.hasFocus, timeout=5_000)
    qtbot.keyClicks(dialog.address_edit, address)
    qtbot.keyClick(dialog.address_edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: "Settings found" in dialog.found_note.text(), timeout=15_000)


def test_an_address_and_a_password_are_all_a_new_account_needs(
        qtbot: QtBot, tmp_path: Path, mail_user: MailUser,
        memory_keyring: MemoryKeyring) -> None:
    mail_user.save(b"From: a@example.org\r\nSubject: welcome aboard\r\n\r\nbody\r\n")
    home = tmp_path / "home"
    override(home, "mail.test", mail_user)
    gui = start_gui(qtbot, home, [])
    seen: dict[str, object] = {}

    def drive(widget: QWidget) -> None:
        assert isinstance(widget, AccountDialog)
        dialog = widget
        # Two fields: the servers are behind "Edit Settings Manually".
        assert not dialog.manual.isVisible() and dialog.manual_button.isVisible()
        snap(dialog, "1-empty")
        type_address(qtbot, dialog, f"{mail_user.name}@mail.test")
        seen["note"] = dialog.found_note.text()
        assert QApplication.focusWidget() is dialog.password_edit
        qtbot.keyClicks(dialog.password_edit, mail_user.password)
        snap(dialog, "2-found")
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)  # OK: test, then save

    with answering("trustBox", trust) as trusted, answering("accountDialog", drive):
        gui.open_account_setup()
    note = str(seen["note"])
    assert "Settings found:" in note and "mail.test.xml" in note
    assert f"Incoming mail: localhost, port {mail_user.tls_port}, encrypted (SSL/TLS)" \
        in note
    assert trusted, "the certificate was shown before the password went out"
    [account] = AccountsFile(home / "config" / "accounts.json").load()
    assert (account.name, account.imap.host, account.imap.security,
            account.imap.username) == ("Mail", "localhost", Security.SSL, mail_user.name)
    assert account.imap.pinned_fingerprint
    assert memory_keyring.get_password("qtmail", "Mail:imap") == mail_user.password
    qtbot.waitUntil(lambda: "welcome aboard" in list_subjects(gui.window), timeout=20_000)
    snap(gui.window, "3-reading")
    stop_gui(gui)


@pytest.fixture
def oauth_server(dovecot_servers: Callable[[str], DovecotServer]) -> DovecotServer:
    return dovecot_servers("oauth")


@pytest.fixture
def browser(oauth_server: DovecotServer, tmp_path: Path,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[PlayedBrowser]:
    assert oauth_server.oauth is not None
    clients = tmp_path / "clients.json"
    clients.write_text(json.dumps({"oauth.test": {"client_id": "qtmail-test"}}))
    monkeypatch.setenv("QTMAIL_OAUTH_CLIENTS", str(clients))
    played = PlayedBrowser(oauth_server.oauth).install()
    yield played
    played.uninstall()
    oauth_server.oauth.revoked_users.clear()


def test_sign_in_with_the_provider_then_a_revoked_grant_asks_once(
        qtbot: QtBot, tmp_path: Path, oauth_server: DovecotServer, browser: PlayedBrowser,
        memory_keyring: MemoryKeyring) -> None:
    oauth = oauth_server.oauth
    assert oauth is not None
    user = oauth_server.new_user()
    user.save(b"From: a@example.org\r\nSubject: signed in\r\n\r\nbody\r\n")
    home = tmp_path / "home"
    override(home, "oauth.test", user, oauth=oauth)
    oauth.user_for_hint[f"{user.name}@oauth.test"] = user.name  # its mailbox at Dovecot
    gui = start_gui(qtbot, home, [])

    def drive(widget: QWidget) -> None:
        assert isinstance(widget, AccountDialog)
        dialog = widget
        type_address(qtbot, dialog, f"{user.name}@oauth.test")
        # No password field: the provider's page signs in.
        assert dialog.sign_in_button.isVisible() and not dialog.password_edit.isVisible()
        assert dialog.sign_in_button.text() == "Sign In with oauth.test…"
        snap(dialog, "4-sign-in")
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)

    with answering("trustBox", trust), answering("accountDialog", drive):
        gui.open_account_setup()
    [opened] = browser.opened
    assert opened.startswith(oauth.url + "/authorize?") and "code_challenge=" in opened
    [account] = AccountsFile(home / "config" / "accounts.json").load()
    assert account.oauth is not None and account.oauth.token_endpoint == oauth.url + "/token"
    refresh = memory_keyring.get_password("qtmail", "Oauth:oauth")
    assert refresh is not None and refresh in oauth.refresh
    assert refresh not in (home / "config" / "accounts.json").read_text()
    qtbot.waitUntil(lambda: "signed in" in list_subjects(gui.window), timeout=20_000)

    # The user withdraws qtmail's access at the provider; an hour later it reconnects.
    oauth.revoke(user.name)
    shared_source(gui.credentials, account)._expires = 0.0
    oauth_server.doveadm("kick", user.name)
    qtbot.waitUntil(lambda: shown("signInAgainBox") is not None, timeout=20_000)
    question = shown("signInAgainBox")
    assert isinstance(question, QMessageBox)
    assert "Sign in again" in question.text()
    snap(question, "5-sign-in-again")
    asked = len(oauth.token_requests)
    oauth.revoked_users.discard(user.name)  # the user approves qtmail again
    user.save(b"From: a@example.org\r\nSubject: after signing in again\r\n\r\nbody\r\n")
    [sign_in] = [b for b in question.buttons()
                 if question.buttonRole(b) is QMessageBox.ButtonRole.AcceptRole]
    qtbot.mouseClick(sign_in, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "after signing in again" in list_subjects(gui.window),
                    timeout=20_000)
    assert len(browser.opened) == 2  # one question, one browser window: no loop
    assert len(oauth.token_requests) == asked + 1  # the code exchange, nothing more
    assert shown("signInAgainBox") is None
    stop_gui(gui)

