"""The account setup dialog: addresses, servers, password, and a connection test.

A new account needs two fields and one click (issue 16): the address, then the
password or "Sign in with …" (OAuth2). The servers are looked up from the address
and shown, with where they came from, before anything is sent; "Edit Settings
Manually" opens the rest.

New accounts default to implicit TLS on 993/465 (RELIABILITY.md B.16); "no encryption"
is a separate, warned choice. The password goes to the keyring through CredentialStore
and nowhere else (RELIABILITY.md G); keyring calls and connection tests run in worker
threads (ARCHITECTURE.md boundary 4).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qtmail.accounts.autoconfig.lookup import discover, environment_lookups
from qtmail.accounts.autoconfig.model import Found, SourceKind
from qtmail.accounts.autoconfig.probe import probe
from qtmail.accounts.credentials import CredentialStore
from qtmail.accounts.oauth.flow import Tokens
from qtmail.accounts.oauth.providers import by_id as oauth_provider
from qtmail.accounts.oauth.tokens import shared_source
from qtmail.accounts.settings import AccountSettings, OAuthSettings, Security, ServerSettings
from qtmail.core.errors import CertificateNotTrusted
from qtmail.net.sasl import Bearer, Secret
from qtmail.qt.connection_test import (
    BackgroundRunner,
    ConnectFunction,
    ConnectionTester,
    Outcome,
    default_connect,
)
from qtmail.qt.error_text import error_text
from qtmail.qt.sign_in import Browser, SignIn
from qtmail.qt.widgets.identities_page import IdentitiesPage
from qtmail.qt.widgets.notes import note_label
from qtmail.qt.widgets.rules.sieve_row import SieveRow
from qtmail.qt.widgets.server_box import ServerBox

Autoconfig = Callable[[str], list[Found]]
"""Looks up an address's servers (blocking: run in a thread)."""


def default_autoconfig(address: str, local_dir: Path | None = None) -> list[Found]:
    """Every source at once (QTMAIL_DNS and QTMAIL_CA point them at test servers; files
    in ``local_dir`` override them); when none knows the domain, the usual host names
    are asked for their CAPABILITY."""
    lookups = environment_lookups(local_dir)
    found = discover(address, lookups)
    if not any(f.best_incoming is not None for f in found):
        found += probe(address, lookups.resolver if os.environ.get("QTMAIL_DNS") else None)
    return found


TrustPrompt = Callable[[CertificateNotTrusted], bool]
"""Asks the user whether to trust a certificate; True pins its fingerprint."""

_ADDRESS = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)*$")


def _tenant_of(endpoint: str) -> str:
    """The tenant in a Microsoft endpoint (login.microsoftonline.com/<tenant>/...)."""
    parts = endpoint.split("/")
    return parts[3] if len(parts) > 3 else ""


def domain_of(address: str) -> str:
    """The part after the last @, lower-cased; "" when there is none."""
    _, at, domain = address.strip().rpartition("@")
    return domain.lower() if at else ""


class AccountDialog(QDialog):
    """Creates or edits one account. ``result_settings()`` after ``accept()``.

    ``connect`` (default ``ImapSession.connect``) and ``ask_trust`` (default a message
    box) can be replaced, for tests.

    Signals: ``tested(bool)`` when a connection test has ended (True: logged in); its
    sentence is then in ``test_result``. "Remove Account…" (editing only) closes the
    dialog with ``remove_wanted`` set; the caller asks and removes.
    """

    tested = Signal(bool)

    def __init__(self, credentials: CredentialStore, existing: AccountSettings | None = None,
                 parent: QWidget | None = None, *, connect: ConnectFunction = default_connect,
                 ask_trust: TrustPrompt | None = None,
                 autoconfig: Autoconfig | None = None, browser: Browser | None = None,
                 test_before_saving: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("accountDialog")
        self.setWindowTitle(self.tr("Account setup") if existing is None
                            else self.tr("Account settings"))
        self._credentials = credentials
        self._existing = existing
        self._ask_trust = ask_trust or self._ask_trust_with_message_box
        self._settings: AccountSettings | None = None
        self._stored_password: str | None = None
        self._keyring_warned = False
        self._name_edited = existing is not None
        self.remove_wanted = False
        self._pins: dict[tuple[str, int], str] = {}
        if existing is not None and existing.imap.pinned_fingerprint:
            self._pins[(existing.imap.host, existing.imap.port)] = \
                existing.imap.pinned_fingerprint

        self._tester = ConnectionTester(connect, self)
        self._tester.finished.connect(self._on_test_finished)
        self._keyring = BackgroundRunner(self)
        self._keyring.finished.connect(self._on_keyring_answer)
        self._autoconfig = autoconfig if existing is None else None
        self._lookup = BackgroundRunner(self)  # issue 16: servers from the address
        self._lookup.finished.connect(self._on_found)
        self._looked_up = ""
        self._accept_when_found = False
        self._test_before_saving = test_before_saving
        """OK connects first and saves only what works (or, after a failure, what the
        user chooses to save anyway): the new-account flow of issue 16."""
        self._accept_after_test = False
        self._save_anyway = False
        self._tested: ServerSettings | None = None
        self._oauth: OAuthSettings | None = existing.oauth if existing is not None else None
        self._tokens: Tokens | None = None
        self._password_allowed = self._oauth is None
        """Whether the servers also take a password (Gmail with an app password)."""
        self._sign_in = SignIn(self, browser=browser)
        self._sign_in.finished.connect(self._on_signed_in)
        self._build()
        if existing is not None:
            self._fill(existing)
        self._update_warning()
        self._lookup_password()

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        self.name_edit = self._line("nameEdit", self.tr("For example: Work"))
        self.address_edit = self._line("addressEdit", self.tr("you@example.org"))
        self.display_name_edit = self._line("displayNameEdit",
                                            self.tr("Your name, as others see it"))
        self.username_edit = self._line("usernameEdit",
                                        self.tr("Same as the email address"))
        self.password_edit = self._line("passwordEdit", "")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.client_id_edit = self._line("clientIdEdit", self.tr("The one qtmail comes with"))
        self.tenant_edit = self._line("tenantEdit", "common")  # the value itself
        # The two fields a new account needs (issue 16)...
        essentials = self._essentials = QFormLayout()
        essentials.addRow(self.tr("Email &address:"), self.address_edit)
        essentials.addRow(self.tr("&Password:"), self.password_edit)
        self.sign_in_button = QPushButton(self)
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.clicked.connect(self.sign_in)
        self.sign_in_button.hide()
        # ...and the rest, behind "Edit Settings Manually".
        identity = QFormLayout()
        identity.addRow(self.tr("A&ccount name:"), self.name_edit)
        identity.addRow(self.tr("Your &name:"), self.display_name_edit)
        identity.addRow(self.tr("&User name:"), self.username_edit)
        self.oauth_rows = QWidget(self)
        self.oauth_rows.setObjectName("oauthRows")
        oauth_form = self._oauth_form = QFormLayout(self.oauth_rows)
        oauth_form.setContentsMargins(0, 0, 0, 0)
        oauth_form.addRow(self.tr("Sign-in client &ID:"), self.client_id_edit)
        oauth_form.addRow(self.tr("Organisation (&tenant):"), self.tenant_edit)
        self.oauth_rows.setToolTip(self.tr(
            "Some organisations allow only applications they approved: their IT "
            "department gives a client ID (and, at Microsoft, a tenant) to use instead."))
        self.oauth_rows.hide()

        self.imap_box = ServerBox("imap", self.tr("Incoming mail (IMAP)"), self)
        self.smtp_box = ServerBox("smtp", self.tr("Outgoing mail (SMTP)"), self)
        for box in (self.imap_box, self.smtp_box):
            box.security_changed.connect(self._update_warning)
        self.sieve_row = SieveRow(self)  # issue 15: where the server-side rules live
        self.address_edit.textEdited.connect(self._address_edited)
        self.address_edit.editingFinished.connect(self._look_up_servers)
        self.name_edit.textEdited.connect(self._name_was_edited)

        self.plaintext_warning = note_label(self, "plaintextWarning", self.tr(
            "Without encryption, your password and your mail travel over the network as "
            "readable text. Only choose this for a server on this computer or on a "
            "network you fully trust."))
        self.keyring_note = note_label(self, "keyringNote", "")
        self.found_note = note_label(self, "foundNote", "")
        self.validation_message = note_label(self, "validationMessage", "")
        self.test_result = note_label(self, "testResult", "")

        self.test_button = QPushButton(self.tr("&Test connection"), self)
        self.test_button.setObjectName("testButton")
        self.test_button.setToolTip(self.tr("Log in to the incoming mail server now"))
        self.test_button.clicked.connect(self.test_connection)
        self.test_button.setSizePolicy(QSizePolicy.Policy.Maximum,
                                       QSizePolicy.Policy.Fixed)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignLeft)
        test_row.addWidget(self.test_result, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.setObjectName("buttons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        if self._existing is not None:
            remove = self.buttons.addButton(self.tr("Remo&ve Account…"),
                                            QDialogButtonBox.ButtonRole.ResetRole)
            remove.setObjectName("removeAccountButton")
            remove.clicked.connect(self._remove)

        self.manual = QWidget(self)
        self.manual.setObjectName("manualSettings")
        manual = QVBoxLayout(self.manual)
        manual.setContentsMargins(0, 0, 0, 0)
        manual.addLayout(identity)
        manual.addWidget(self.oauth_rows)
        manual.addWidget(self.imap_box)
        manual.addWidget(self.smtp_box)
        manual.addWidget(self.sieve_row)
        self.manual_button = QPushButton(self.tr("&Edit Settings Manually"), self)
        self.manual_button.setObjectName("manualButton")
        self.manual_button.setCheckable(True)
        self.manual_button.toggled.connect(self._show_manual)
        # A new account whose servers are looked up starts with the two fields only.
        collapsed = self._autoconfig is not None
        self.manual.setVisible(not collapsed)
        self.manual_button.setVisible(collapsed)

        servers = QWidget(self)
        servers.setObjectName("serversPage")
        page = QVBoxLayout(servers)
        page.addLayout(essentials)
        page.addWidget(self.sign_in_button)
        page.addWidget(self.found_note)
        page.addWidget(self.manual_button, 0, Qt.AlignmentFlag.AlignLeft)
        page.addWidget(self.manual)
        for label in (self.plaintext_warning, self.keyring_note):
            page.addWidget(label)
        page.addLayout(test_row)
        page.addStretch(1)
        self.identities_page = IdentitiesPage(self)
        # Pages keep the dialog within a 1366x768 screen (issue 13 item 9).
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("accountTabs")
        self.tabs.addTab(servers, self.tr("&Servers"))
        self.tabs.addTab(self.identities_page, self.tr("A&ddresses and Signature"))
        self.setMinimumWidth(480)  # the found settings read as lines, not a column
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.validation_message)
        layout.addWidget(self.buttons)
        self._show_sign_in()

    @Slot(bool)
    def _show_manual(self, shown: bool) -> None:
        self.manual.setVisible(shown)
        self.manual_button.setText(self.tr("Hide &Manual Settings") if shown
                                   else self.tr("&Edit Settings Manually"))
        self.adjustSize()  # grow for the servers, and back: no empty half-dialog

    def _show_sign_in(self) -> None:
        """The "Sign in with …" button and the OAuth rows where the account signs in
        through its provider's page; the password field where it takes a password."""
        oauth = self._oauth
        self.sign_in_button.setVisible(oauth is not None)
        self.oauth_rows.setVisible(oauth is not None)
        self._oauth_form.setRowVisible(self.tenant_edit, oauth is not None
                                       and oauth.provider == "microsoft")
        self._essentials.setRowVisible(self.password_edit, oauth is None
                                       or self._password_allowed)
        if oauth is None:
            return
        provider = oauth_provider(oauth.provider)
        name = provider.name if provider is not None else domain_of(
            self.address_edit.text()) or oauth.provider
        if self._tokens is not None:
            self.sign_in_button.setText(self.tr("Signed in with {provider}").format(
                provider=name))
        elif self._existing is not None:
            self.sign_in_button.setText(self.tr("Sign In with {provider} Again…").format(
                provider=name))
        else:
            self.sign_in_button.setText(self.tr("Sign In with {provider}…").format(
                provider=name))
        self.sign_in_button.setEnabled(not self._sign_in.running)
        self.sign_in_button.setDefault(self._tokens is None)  # Enter signs in

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    def _fill(self, account: AccountSettings) -> None:
        self.name_edit.setText(account.name)
        self.name_edit.setReadOnly(True)  # the name keys the keyring entry and the cache
        self.address_edit.setText(account.email)
        self.display_name_edit.setText(account.display_name)
        self.username_edit.setText(account.imap.username)
        self.imap_box.set_server(account.imap.host, account.imap.port, account.imap.security)
        if account.smtp is not None:
            self.smtp_box.set_server(account.smtp.host, account.smtp.port,
                                     account.smtp.security)
        else:
            self.smtp_box.set_server("", self.smtp_box.port(), Security.SSL)
        self.password_edit.setPlaceholderText(self.tr("Unchanged"))
        if account.oauth is not None:
            self.client_id_edit.setText(account.oauth.client_id)
            if account.oauth.provider == "microsoft":
                self.tenant_edit.setText(_tenant_of(account.oauth.token_endpoint))
        self.sieve_row.set_server(account.sieve)
        self.identities_page.fill(account.signature, account.identities)
        if account.smtp is None:
            # Opened because it cannot send (issue 13 item 6): start where that is fixed.
            self.smtp_box.host_edit.setFocus()

    # -- reactions to typing ---------------------------------------------------------
    @Slot(str)
    def _address_edited(self, text: str) -> None:
        domain = domain_of(text)
        if domain:
            self.imap_box.suggest_host(f"imap.{domain}")
            self.smtp_box.suggest_host(f"smtp.{domain}")
        if not self._name_edited:
            self.name_edit.setText(domain.split(".")[0].capitalize() if domain else "")

    @Slot()
    def _look_up_servers(self) -> None:
        """The address is typed: find its servers in the background (issue 16)."""
        address = self.address_edit.text().strip()
        if self._autoconfig is None or not _ADDRESS.match(address) \
                or address == self._looked_up:
            return
        self._looked_up = address
        self.found_note.setText(self.tr("Looking for the settings of {domain}…").format(
            domain=domain_of(address)))
        self.found_note.show()
        lookup = self._autoconfig
        self._lookup.start(lambda: lookup(address), name="autoconfig")

    @Slot(object)
    def _on_found(self, outcome: Outcome) -> None:
        found = outcome.value if isinstance(outcome.value, list) else []
        domain = domain_of(self._looked_up)
        best = next((f for f in found if f.best_incoming is not None), None)
        if best is None:
            self.found_note.setText(self.tr(
                "No settings were found for {domain}. Enter the servers below; your "
                "provider's help pages name them.").format(domain=domain))
            self.manual_button.setChecked(True)
            self._accept_when_found = False
            return
        incoming, outgoing = best.best_incoming, best.best_outgoing
        assert incoming is not None
        taken = self.imap_box.suggest_server(incoming.host, incoming.port, incoming.security)
        if outgoing is not None:
            self.smtp_box.suggest_server(outgoing.host, outgoing.port, outgoing.security)
        else:
            self.smtp_box.suggest_host("")  # not the guess: the source knows no server
        if taken and incoming.username != self.address_edit.text().strip() \
                and not self.username_edit.text():
            self.username_edit.setText(incoming.username)
        lines = [self.tr("Settings found: {source}.").format(source=self._source_text(best)),
                 self._server_line(self.tr("Incoming mail: {server}"), self.imap_box)]
        if outgoing is not None:
            lines.append(self._server_line(self.tr("Outgoing mail: {server}"), self.smtp_box))
        elif not self.smtp_box.host():
            lines.append(self.tr("No outgoing mail server was found: to send mail, add it "
                                 "under Edit Settings Manually."))
        if best.source.unverified:
            lines.append(self.tr("They come from DNS, which others on your network could "
                                 "forge: check the server names before you connect."))
        self._oauth = best.oauth if best.signs_in_with_oauth else None
        self._password_allowed = best.takes_password
        if self._oauth is not None and not self._sign_in.has_client(self._oauth):
            lines.append(self.tr(
                "This provider signs in on its own page, but this copy of qtmail was built "
                "without a client ID for it. Enter one under Edit Settings Manually, or use "
                "an app password if the provider offers them."))
            self._password_allowed = True
        elif self._oauth is not None and not self._password_allowed:
            lines.append(self.tr("This provider signs in on its own page: press the button "
                                 "above. qtmail never sees your password."))
        self.found_note.setText("\n".join(lines))
        if self.keyring_note.isVisible():
            self._show_keyring_problem()  # "password" or "sign-in", as it is now
        self._show_sign_in()
        if self._accept_when_found:
            self._accept_when_found = False
            self.accept()

    def _source_text(self, found: Found) -> str:
        """Where the settings came from, in words (the address or file in brackets)."""
        kind, where = found.source.kind, found.source.where
        if kind is SourceKind.LOCAL:
            return self.tr("a settings file on this computer ({file})").format(file=where)
        if kind is SourceKind.PROVIDERS:
            return self.tr("qtmail's list of providers ({provider})").format(provider=where)
        if kind is SourceKind.ISPDB:
            return self.tr("Thunderbird's database of providers")
        if kind is SourceKind.PROBE:
            return self.tr("the server {host}, which answered when asked").format(host=where)
        return where

    def _server_line(self, template: str, box: ServerBox) -> str:
        security = {Security.SSL: self.tr("encrypted (SSL/TLS)"),
                    Security.STARTTLS: self.tr("encrypted (STARTTLS)"),
                    Security.NONE: self.tr("not encrypted")}[box.security()]
        return template.format(server=self.tr("{host}, port {port}, {security}").format(
            host=box.host(), port=box.port(), security=security))

    # -- OAuth2: the provider's own page (issue 16) -------------------------------------
    @Slot()
    def sign_in(self) -> None:
        """Opens the provider's sign-in page in the browser; on success the account is
        saved (a new one) or signs in again (an existing one)."""
        oauth = self._oauth_settings()
        if oauth is None or self._sign_in.running:
            return
        if not self._sign_in.has_client(oauth):
            self._show_validation(self.tr(
                "qtmail needs a client ID to sign in with this provider. Enter the one your "
                "organisation gives under Edit Settings Manually."), self.client_id_edit)
            self.manual_button.setChecked(True)
            return
        address = self.address_edit.text().strip()
        if not _ADDRESS.match(address):
            self._show_validation(self.tr("Please enter a complete email address, like "
                                          "name@example.org."), self.address_edit)
            return
        self._show_validation("", None)
        self.test_result.setText(self.tr(
            "Finish signing in on the page that opened in your web browser."))
        self.test_result.show()
        self._sign_in.start(oauth, address)
        self._show_sign_in()

    @Slot(object)
    def _on_signed_in(self, outcome: Outcome) -> None:
        if isinstance(outcome.value, Tokens):
            self._tokens = outcome.value
            self.test_result.setText(self.tr("Signed in. qtmail can now read and send your "
                                             "mail."))
            self._show_sign_in()
            self.accept()
            return
        self._show_sign_in()
        if outcome.error is not None:
            self.test_result.setText(error_text(outcome.error.user_message))
        elif outcome.bug is not None:
            self.test_result.setText(self.tr(
                "The sign-in stopped because of a problem inside qtmail."))
            self._report_bug(outcome.bug)

    def _oauth_settings(self) -> OAuthSettings | None:
        """The account's OAuth settings with the user's own client ID and tenant."""
        oauth = self._oauth
        if oauth is None:
            return None
        client_id = self.client_id_edit.text().strip()
        tenant = self.tenant_edit.text().strip()
        provider = oauth_provider(oauth.provider)
        if provider is not None and oauth.provider == "microsoft":
            return provider.settings(client_id=client_id or oauth.client_id, tenant=tenant
                                     or _tenant_of(oauth.token_endpoint))
        return replace(oauth, client_id=client_id or oauth.client_id)

    @Slot(str)
    def _name_was_edited(self, text: str) -> None:
        self._name_edited = bool(text)

    @Slot()
    def _update_warning(self) -> None:
        plaintext = Security.NONE in (self.imap_box.security(), self.smtp_box.security())
        if self.plaintext_warning.isHidden() == plaintext:
            self.plaintext_warning.setHidden(not plaintext)
            QTimer.singleShot(0, self, self._grow_to_fit)  # once the layout has it

    def _grow_to_fit(self) -> None:
        """Taller when a note appears: a window does not grow for a word-wrapped label
        by itself (its height depends on the width), and the fields above were
        squeezed instead. Never shrinks what the user made larger."""
        layout = self.layout()
        if not self.isVisible() or layout is None:
            return
        layout.activate()
        wanted = max(self.sizeHint().height(), layout.totalHeightForWidth(self.width())
                     if layout.hasHeightForWidth() else 0)
        if wanted > self.height():
            self.resize(self.width(), wanted)

    # -- the keyring, off the GUI thread ---------------------------------------------
    def _lookup_password(self) -> None:
        name = self._existing.name if self._existing is not None else ""
        credentials = self._credentials

        def look_up() -> str | None:
            return credentials.get(name) if name else credentials.get("", "probe")

        self._keyring.start(look_up, name="keyring-lookup")

    @Slot(object)
    def _on_keyring_answer(self, outcome: Outcome) -> None:
        if outcome.bug is not None:
            self._set_busy(False)
            self._report_bug(outcome.bug)
            return
        if self._settings is not None:  # the answer to saving the password
            if outcome.value is True or self._keyring_warned:
                super().accept()
                return
            self._show_keyring_problem()
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
                self.tr("Continue"))
            self._set_busy(False)
            return
        if self._existing is not None and isinstance(outcome.value, str):
            self._stored_password = outcome.value
        if self._credentials.keyring_missing:
            self._show_keyring_problem()

    def _show_keyring_problem(self) -> None:
        self._keyring_warned = True
        problem = self._credentials.last_problem
        if self._oauth is not None and (self._credentials.keyring_missing or not problem):
            text = self.tr("No system keyring is available, so your sign-in is kept only "
                           "until qtmail closes. You will sign in again next time.")
        elif self._credentials.keyring_missing or not problem:
            text = self.tr("No system keyring is available, so your password is kept "
                           "only until qtmail closes. You will be asked for it again "
                           "next time.")
        else:
            text = self.tr("The system keyring refused to save the password, so it is "
                           "kept only until qtmail closes.")
        self.keyring_note.setText(text)
        self.keyring_note.show()

    @property
    def busy(self) -> bool:
        """Whether a connection test, a keyring call or a lookup is still running."""
        return self._tester.running or self._keyring.running or self._lookup.running \
            or self._sign_in.running

    # -- the connection test ---------------------------------------------------------
    @Slot()
    def test_connection(self) -> None:
        problem = self._check(for_test=True)
        if problem:
            self._show_validation(*problem)
            return
        self._show_validation("", None)
        settings = self._imap_settings()
        self.test_result.setText(self.tr("Connecting to {host}…").format(host=settings.host))
        self.test_result.show()
        self.test_button.setEnabled(False)
        self._tester.test(settings, self._username(), self._password())

    @Slot(object)
    def _on_test_finished(self, outcome: Outcome) -> None:
        self.test_button.setEnabled(True)
        untrusted = outcome.untrusted
        if outcome.ok:
            self._tested = self._imap_settings()
            self.test_result.setText(self.tr(
                "Connected to {host} and logged in. These settings work.").format(
                    host=self.imap_box.host()))
        elif untrusted is not None:
            if self._ask_trust(untrusted):
                self._pins[(untrusted.host, untrusted.port)] = untrusted.fingerprint
                self.test_connection()
                return
            self.test_result.setText(self.tr(
                "You did not accept the server's certificate, so qtmail did not log in."))
        elif outcome.error is not None:
            self.test_result.setText(error_text(outcome.error.user_message))
        elif outcome.bug is not None:
            self.test_result.setText(self.tr(
                "The test stopped because of a problem inside qtmail."))
            self._report_bug(outcome.bug)
        self.tested.emit(outcome.ok)
        if self._accept_after_test:
            self._accept_after_test = False
            self._set_busy(False)
            if outcome.ok:
                self.accept()
            else:
                # Offline, or a server down for the evening: the user may still keep it.
                self._save_anyway = True
                self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
                    self.tr("Save Anyway"))

    def _ask_trust_with_message_box(self, error: CertificateNotTrusted) -> bool:
        changed = bool(error.previous_fingerprint)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Untrusted certificate"),
                          (self.tr("The certificate of {host}:{port} has changed. Trust the "
                                   "new one?") if changed else
                           self.tr("Trust this certificate for {host}:{port}?")).format(
                              host=error.host, port=error.port), parent=self)
        box.setObjectName("trustBox")
        if changed:
            # Side by side, so the user sees which one changed (issue 17).
            box.setInformativeText(self.tr(
                "You trusted this server's certificate before; it now presents another "
                "one. SHA-256 fingerprints:\n\nTrusted before:\n{previous}\n\nNow:\n"
                "{fingerprint}\n\nProviders renew certificates, but a changed certificate "
                "can also mean someone is intercepting the connection. Only trust it if "
                "your provider confirms the new fingerprint.").format(
                    previous=error.previous_fingerprint, fingerprint=error.fingerprint))
        else:
            box.setInformativeText(self.tr(
                "qtmail cannot confirm that this server is who it claims to be. Its "
                "certificate has this SHA-256 fingerprint:\n\n{fingerprint}\n\nOnly trust "
                "it if your provider confirms the same fingerprint. If the certificate "
                "changes later, qtmail will ask again.").format(fingerprint=error.fingerprint))
        trust = box.addButton(self.tr("&Trust"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is trust

    # -- validation and the result ---------------------------------------------------
    def _check(self, *, for_test: bool) -> tuple[str, QWidget | None] | None:
        """A sentence about the first thing wrong and the field to fix, or None."""
        if not for_test and not self.name_edit.text().strip():
            return self.tr("Please give the account a name."), self.name_edit
        if not _ADDRESS.match(self.address_edit.text().strip()):
            return (self.tr("Please enter a complete email address, like "
                            "name@example.org."), self.address_edit)
        if self._oauth is not None and self._tokens is None and not (
                self._password_allowed and self.password_edit.text()):
            if self._existing is None or for_test:
                return (self.tr("Please sign in with your provider first: press the “Sign "
                                "In” button."), self.sign_in_button)
        elif not self._password() and (for_test or self._existing is None):
            return self.tr("Please enter your password."), self.password_edit
        boxes = (self.imap_box,) if for_test else (self.imap_box, self.smtp_box)
        for box in boxes:
            problem = box.problem(optional=box is self.smtp_box)
            if problem:
                return problem
        others = "" if for_test else self.identities_page.problem()
        if others:
            return others, self.identities_page.others_edit
        return None

    def _show_validation(self, text: str, field: QWidget | None) -> None:
        self.validation_message.setText(text)
        self.validation_message.setHidden(not text)
        if field is not None:
            on_identities = self.identities_page.isAncestorOf(field)
            self.tabs.setCurrentIndex(1 if on_identities else 0)
            field.setFocus()

    def _username(self) -> str:
        return self.username_edit.text().strip() or self.address_edit.text().strip()

    def _password(self) -> Secret:
        if self._tokens is not None:
            return Bearer(self._tokens.access_token)
        return self.password_edit.text() or (self._stored_password or "")

    def _uses_oauth(self) -> bool:
        """Signed in through the provider's page rather than with a typed password."""
        return self._oauth is not None and (self._tokens is not None or (
            self._existing is not None and self._existing.oauth is not None
            and not self.password_edit.text()))

    def _imap_settings(self) -> ServerSettings:
        base = self._existing.imap if self._existing is not None else None
        return self._server(self.imap_box, base)

    def _server(self, box: ServerBox, base: ServerSettings | None) -> ServerSettings:
        host, port = box.host(), box.port()
        base = base or ServerSettings(host=host, port=port)
        return replace(base, host=host, port=port, security=box.security(),
                       username=self.username_edit.text().strip(),
                       pinned_fingerprint=self._pins.get((host, port), ""))

    def build_settings(self) -> AccountSettings:
        """The account as the fields describe it now (no password in it)."""
        existing = self._existing
        smtp: ServerSettings | None = None
        if self.smtp_box.host():
            smtp = self._server(self.smtp_box, existing.smtp if existing else None)
        name, email = self.name_edit.text().strip(), self.address_edit.text().strip()
        base = existing or AccountSettings(name=name, email=email, imap=self._imap_settings())
        made = replace(base, name=name, email=email, imap=self._imap_settings(), smtp=smtp,
                       display_name=self.display_name_edit.text().strip(),
                       signature=self.identities_page.signature(),
                       identities=self.identities_page.identities(
                           existing.identities if existing else ()),
                       oauth=self._oauth_settings() if self._uses_oauth() else None)
        return replace(made, sieve=self.sieve_row.server(made))

    def accept(self) -> None:
        if self._lookup.running:
            # The servers are still being looked up: save once they are known.
            self._accept_when_found = True
            return
        problem = self._check(for_test=False)
        if problem:
            self._show_validation(*problem)
            return
        self._show_validation("", None)
        if self._test_before_saving and not self._save_anyway \
                and self._tested != self._imap_settings():
            self._accept_after_test = True
            self._set_busy(True)
            self.test_connection()
            return
        settings = self.build_settings()
        self._settings = settings
        password = self.password_edit.text()
        tokens = self._tokens if settings.oauth is not None else None
        if not password and tokens is None:
            # Editing, password unchanged: the keyring keeps the old one.
            super().accept()
            return
        credentials = self._credentials

        def save() -> bool:
            if tokens is not None:  # the refresh token, to the keyring and nowhere else
                return shared_source(credentials, settings).accept(tokens)
            return credentials.set(settings.name, password)

        self._set_busy(True)
        self._keyring.start(save, name="keyring-save")

    def password_changed(self) -> bool:
        """Whether a new password was typed or the user signed in again (the account
        must connect again)."""
        return bool(self.password_edit.text()) or self._tokens is not None

    def _remove(self) -> None:
        self.remove_wanted = True
        self.reject()

    def _set_busy(self, busy: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)

    def result_settings(self) -> AccountSettings:
        """The accepted account settings; only valid after ``accept()``."""
        if self._settings is None:
            raise RuntimeError("The account dialog was not accepted.")
        return self._settings

    def done(self, result: int) -> None:
        self._tester.cancel()  # a slow test keeps running in its thread; its answer is dropped
        self._keyring.cancel()
        self._lookup.cancel()
        self._sign_in.cancel()  # the loopback listener stops waiting for the browser
        super().done(result)

    def _report_bug(self, bug: BaseException) -> None:
        sys.excepthook(type(bug), bug, bug.__traceback__)
