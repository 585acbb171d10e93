"""Error sentences in the user's language, translated where they are shown (issue 4).

The sentences are made below the Qt layer (KnownError.user_message, event messages),
marked there with ``QT_TRANSLATE_NOOP("Errors", ...)`` so that pyside6-lupdate puts
them in the catalog; a ``Sentence`` keeps its templates and parts, so each template
is translated first and its parts (host and folder names, server text) filled in
after. A sentence nobody marked stays English.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from qtmail.core.errors import Piece, Sentence

log = logging.getLogger(__name__)


def error_text(message: str) -> str:
    """``message`` translated into the installed language (context "Errors")."""
    pieces: tuple[Piece, ...] = message.pieces if isinstance(message, Sentence) \
        else ((message, None),)
    return "".join(_piece(template, parts) for template, parts in pieces)


def _piece(marked_sentence: str, parts: dict[str, str] | None) -> str:
    # Every template reaching here was marked with QT_TRANSLATE_NOOP("Errors", ...).
    translated = QCoreApplication.translate("Errors", marked_sentence)
    if parts is None:
        return translated
    try:
        return translated.format(**parts)
    except (KeyError, IndexError, ValueError):
        # A translation that lost or misspelled a placeholder: the English is better.
        log.warning("translation of %r has broken placeholders", marked_sentence)
        return marked_sentence.format(**parts)
