"""The account dialog's "Addresses and signature" page (issue 13 item 4): the signature
under new messages and replies, and the other addresses the account sends from
(aliases), one per line as "Name <address>".

Addresses are read with the same strict RFC 5322 parser as recipients (issue 17), so
what is saved is exactly what the user sees.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from qtmail.accounts.settings import IdentitySettings
from qtmail.mime.addresses import AddressSyntaxError, parse_address_list


class IdentitiesPage(QWidget):
    """objectName "identitiesPage"; ``signature()``, ``identities()`` or ``problem()``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("identitiesPage")
        self.signature_edit = QPlainTextEdit(self)
        self.signature_edit.setObjectName("signatureEdit")
        self.signature_edit.setAccessibleName(self.tr("Signature"))
        self.signature_edit.setPlaceholderText(self.tr(
            "Added under “-- ” at the end of new messages and replies"))
        self.signature_edit.setTabChangesFocus(True)
        self.others_edit = QPlainTextEdit(self)
        self.others_edit.setObjectName("otherAddressesEdit")
        self.others_edit.setAccessibleName(self.tr("Other addresses"))
        self.others_edit.setPlaceholderText(self.tr(
            "One per line, for example: Team Support <support@example.org>"))
        self.others_edit.setTabChangesFocus(True)
        signature_label = QLabel(self.tr("&Signature:"), self)
        signature_label.setBuddy(self.signature_edit)
        others_label = QLabel(self.tr("&Other addresses to send from (the same servers):"),
                              self)
        others_label.setBuddy(self.others_edit)
        others_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(signature_label)
        layout.addWidget(self.signature_edit, 1)
        layout.addWidget(others_label)
        layout.addWidget(self.others_edit, 1)

    def fill(self, signature: str, identities: tuple[IdentitySettings, ...]) -> None:
        self.signature_edit.setPlainText(signature)
        self.others_edit.setPlainText("\n".join(_line(item) for item in identities))

    def signature(self) -> str:
        return self.signature_edit.toPlainText().rstrip()

    def problem(self) -> str:
        """A sentence about the first line that is not one valid address, or ""."""
        for number, line in enumerate(self._lines(), start=1):
            try:
                parsed = parse_address_list(line, comments=False, groups=False)
            except AddressSyntaxError:
                parsed = ()
            if len(parsed) != 1:
                return self.tr("Line %1 of the other addresses is not one valid email "
                               "address: %2").replace("%1", str(number)).replace("%2", line)
        return ""

    def identities(self, existing: tuple[IdentitySettings, ...] = ()
                   ) -> tuple[IdentitySettings, ...]:
        """The lines as identities (call ``problem()`` first); signatures of addresses
        that stay are kept."""
        kept = {item.email.lower(): item.signature for item in existing}
        out: list[IdentitySettings] = []
        for line in self._lines():
            address = parse_address_list(line, comments=False, groups=False)[0]
            out.append(IdentitySettings(address.addr, address.name,
                                        kept.get(address.addr.lower(), "")))
        return tuple(out)

    def _lines(self) -> list[str]:
        return [line.strip() for line in self.others_edit.toPlainText().splitlines()
                if line.strip()]


def _line(identity: IdentitySettings) -> str:
    name = identity.display_name
    if not name:
        return identity.email
    if any(ch in name for ch in '",<>@;:()[]\\.'):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{identity.email}>"
