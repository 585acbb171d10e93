"""The account dialog's ManageSieve row (issue 15): empty means "the IMAP server, port
4190" (AccountSettings.sieve_server); a host or port here overrides it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from qtmail.accounts.settings import SIEVE_PORT, AccountSettings, ServerSettings


class SieveRow(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Filter rules on the server (ManageSieve)"), parent)
        self.setObjectName("sieveBox")
        self.host_edit = QLineEdit(self)
        self.host_edit.setObjectName("sieveHostEdit")
        self.host_edit.setPlaceholderText(self.tr("Same as incoming mail"))
        self.host_edit.setAccessibleName(self.tr("Filter rules server"))
        self.port_spin = QSpinBox(self)
        self.port_spin.setObjectName("sievePortSpin")
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(SIEVE_PORT)
        self.port_spin.setAccessibleName(self.tr("Filter rules port"))
        layout = QHBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Server:"), self))
        layout.addWidget(self.host_edit, 1)
        layout.addWidget(QLabel(self.tr("Port:"), self))
        layout.addWidget(self.port_spin)

    def set_server(self, sieve: ServerSettings | None) -> None:
        self.host_edit.setText(sieve.host if sieve is not None else "")
        self.port_spin.setValue(sieve.port if sieve is not None else SIEVE_PORT)

    def server(self, account: AccountSettings) -> ServerSettings | None:
        """None while both fields hold the defaults (derived from IMAP at use)."""
        host = self.host_edit.text().strip()
        port = self.port_spin.value()
        if not host and port == SIEVE_PORT:
            return None
        derived = replace(account, sieve=None).sieve_server
        kept = account.sieve
        if kept is not None and (kept.host, kept.port) == (host or derived.host, port):
            return kept  # unchanged: its own security and pin stay
        # The IMAP login and trust carry over; the security level follows IMAP's.
        return replace(derived, host=host or derived.host, port=port,
                       pinned_fingerprint=derived.pinned_fingerprint if not host
                       or host == account.imap.host else "")
