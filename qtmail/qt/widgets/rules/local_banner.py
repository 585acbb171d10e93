"""The rule editor's line about where the rules live (issue 15): offered when the server
has no ManageSieve ("Use Rules on This Device Only"), shown while they are local
("run only on this device"), and "Move Rules to the Server" once it offers ManageSieve.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class LocalRulesBanner(QFrame):
    """objectName "localRulesBanner". Signals: ``use_local()`` and ``move_to_server()``."""

    use_local = Signal()
    move_to_server = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("localRulesBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(self)
        self.label.setObjectName("localRulesLabel")
        self.label.setWordWrap(True)
        self.use_button = QPushButton(self.tr("Use Rules on This Device Only"), self)
        self.use_button.setObjectName("useLocalRules")
        self.move_button = QPushButton(self.tr("Move Rules to the Server"), self)
        self.move_button.setObjectName("moveRulesToServer")
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.use_button)
        layout.addWidget(self.move_button)
        self.use_button.clicked.connect(self.use_local)
        self.move_button.clicked.connect(self.move_to_server)
        self.show_server()

    def show_server(self) -> None:
        """The rules are on the server: nothing to say."""
        self.hide()

    def show_offer(self) -> None:
        self.label.setText(self.tr(
            "This server does not offer rules of its own (ManageSieve). qtmail can keep "
            "rules on this device instead: they then sort new mail in the Inbox only "
            "while qtmail is open here, and other devices do not run them."))
        self.use_button.show()
        self.move_button.hide()
        self.show()

    def show_local(self, server_available: bool) -> None:
        text = self.tr(
            "These rules run only on this device, on new mail in the Inbox, while qtmail "
            "is open. Vacation replies and forwarding need rules on the server.")
        if server_available:
            text += " " + self.tr("The server offers rules of its own now: move them "
                                  "there, and they work on every device.")
        self.label.setText(text)
        self.use_button.hide()
        self.move_button.setVisible(server_available)
        self.show()
