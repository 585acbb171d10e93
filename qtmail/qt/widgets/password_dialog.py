"""The password prompt: shown when a server refuses the password or none can be read
(issue 13 item 5), for the incoming (IMAP) or the outgoing (SMTP) server.

It only collects the answer; saving it in the keyring (off the GUI thread) and
connecting again are the caller's work (qt/controllers/account_fixes.py).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from qtmail.qt.error_text import error_text
from qtmail.qt.widgets.notes import note_label


class PasswordDialog(QDialog):
    """objectName "passwordDialog". ``password()`` and ``remember()`` after it is
    accepted. ``keyring_available`` False disables "remember" and says why."""

    def __init__(self, account: str, user: str, host: str, reason: str, *,
                 outgoing: bool, keyring_available: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self.account = account
        self.outgoing = outgoing
        self.setWindowTitle(self.tr("Password for %1").replace("%1", account))
        if outgoing:
            ask = self.tr("Enter the password that %1 uses to send mail through %2.")
        else:
            ask = self.tr("Enter the password that %1 uses to sign in to %2.")
        self.reason_label = note_label(self, "reasonLabel", error_text(reason) if reason else "")
        self.ask_label = note_label(self, "askLabel", ask.replace("%1", user).replace("%2", host))
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName(self.tr("Password"))
        self.remember_check = QCheckBox(self.tr("&Remember the password in the system "
                                                "keyring"), self)
        self.remember_check.setObjectName("rememberCheck")
        self.keyring_note = note_label(self, "keyringNote", self.tr(
            "This computer has no system keyring, so qtmail keeps the password only "
            "until it closes and asks for it again next time."))
        self.set_keyring_available(keyring_available)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.setObjectName("buttons")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Connect") if not outgoing else self.tr("&Send"))
        ok.setEnabled(False)
        self.password_edit.textChanged.connect(lambda text: ok.setEnabled(bool(text)))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("&Password:"), self.password_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.ask_label)
        layout.addLayout(form)
        layout.addWidget(self.remember_check)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.password_edit.setFocus()

    def set_keyring_available(self, available: bool) -> None:
        """Known once the keyring was asked (off the GUI thread) while this shows."""
        self.remember_check.setChecked(available)
        self.remember_check.setEnabled(available)
        self.keyring_note.setHidden(available)
        if self.isVisible():
            self.adjustSize()  # room for the note's lines, not squeezed into the old size

    def password(self) -> str:
        return self.password_edit.text()

    def remember(self) -> bool:
        return self.remember_check.isEnabled() and self.remember_check.isChecked()
