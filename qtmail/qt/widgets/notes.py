"""A dialog's note: a wrapped sentence, hidden while it is empty."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def note_label(parent: QWidget, name: str, text: str = "") -> QLabel:
    """objectName ``name``; shown only when ``text`` is not empty."""
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setHidden(not text)
    return label
