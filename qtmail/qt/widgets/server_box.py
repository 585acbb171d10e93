"""One server's fields in the account dialog: host, port and how the connection is protected."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from qtmail.accounts.settings import DEFAULT_PORTS, Security

_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.\-]*[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:.]+\]?$")


class ServerBox(QGroupBox):
    """Host, port and security of the IMAP or SMTP server.

    The host follows the address's domain ("imap.<domain>") until the user edits it;
    the port follows the security choice while it still holds that choice's default.

    Signals: ``security_changed()`` when the user picks another protection.
    """

    security_changed = Signal()

    def __init__(self, kind: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.kind = kind
        self.setObjectName(f"{kind}Box")
        self._host_edited = False
        self.host_edit = QLineEdit(self)
        self.host_edit.setObjectName(f"{kind}HostEdit")
        self.host_edit.setPlaceholderText(self.tr("For example: {host}").format(
            host=f"{kind}.example.org"))
        self.host_edit.textEdited.connect(self._host_was_edited)
        self.port_spin = QSpinBox(self)
        self.port_spin.setObjectName(f"{kind}PortSpin")
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(DEFAULT_PORTS[(kind, Security.SSL)])
        self.security_combo = QComboBox(self)
        self.security_combo.setObjectName(f"{kind}SecurityCombo")
        self.security_combo.addItem(self.tr("Encrypted (SSL/TLS, recommended)"), Security.SSL)
        self.security_combo.addItem(self.tr("Encrypted after connecting (STARTTLS)"),
                                    Security.STARTTLS)
        self.security_combo.addItem(self.tr("No encryption (not safe)"), Security.NONE)
        self._security = Security.SSL
        self.security_combo.currentIndexChanged.connect(self._security_picked)
        form = QFormLayout(self)
        form.addRow(self.tr("&Server:"), self.host_edit)
        form.addRow(self.tr("P&ort:"), self.port_spin)
        form.addRow(self.tr("S&ecurity:"), self.security_combo)
        self.host_edit.setAccessibleName(self.tr("{box}: server").format(box=title))
        self.port_spin.setAccessibleName(self.tr("{box}: port").format(box=title))
        self.security_combo.setAccessibleName(self.tr("{box}: security").format(box=title))

    def host(self) -> str:
        return self.host_edit.text().strip()

    def port(self) -> int:
        return int(self.port_spin.value())

    def security(self) -> Security:
        return Security(self.security_combo.currentData())

    def set_server(self, host: str, port: int, security: Security) -> None:
        """Show saved settings; the host then counts as chosen by the user."""
        self.security_combo.setCurrentIndex(self.security_combo.findData(security))
        self._security = security
        self.port_spin.setValue(port)
        self.host_edit.setText(host)
        self._host_edited = bool(host)

    def set_security(self, security: Security) -> None:
        self.security_combo.setCurrentIndex(self.security_combo.findData(security))

    def suggest_server(self, host: str, port: int, security: Security) -> bool:
        """Found settings (autoconfiguration), unless the user typed a host; whether
        they were taken."""
        if self._host_edited:
            return False
        self.security_combo.setCurrentIndex(self.security_combo.findData(security))
        self._security = security
        self.port_spin.setValue(port)
        self.host_edit.setText(host)
        return True

    def suggest_host(self, host: str) -> None:
        """Put a guessed host in, unless the user typed one."""
        if not self._host_edited:
            self.host_edit.setText(host)

    def problem(self, *, optional: bool = False) -> tuple[str, QWidget] | None:
        """A sentence about what is wrong with these fields, and the field to fix."""
        host = self.host()
        if not host:
            if optional:
                return None
            return self.tr("Please enter the server name for {what}.").format(
                what=self.title().lower()), self.host_edit
        if not _HOST.match(host):
            return self.tr("“{host}” is not a valid server name.").format(
                host=host), self.host_edit
        if not 1 <= self.port() <= 65535:
            return self.tr("The port must be a number from 1 to 65535."), self.port_spin
        return None

    @Slot(str)
    def _host_was_edited(self, text: str) -> None:
        self._host_edited = bool(text)  # cleared: guess from the address again

    @Slot(int)
    def _security_picked(self, _index: int) -> None:
        new = self.security()
        if self.port() == DEFAULT_PORTS[(self.kind, self._security)]:
            self.port_spin.setValue(DEFAULT_PORTS[(self.kind, new)])
        self._security = new
        self.security_changed.emit()
