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


def error_text(message: str, context: str = "Errors") -> str:
    """``message`` translated into the installed language (context "Errors", or the
    context its templates were marked in: "Operations" for the labels of changes)."""
    pieces: tuple[Piece, ...] = message.pieces if isinstance(message, Sentence) \
        else ((message, None),)
    return "".join(_piece(template, parts, context) for template, parts in pieces)


def _piece(marked_sentence: str, parts: dict[str, str] | None, context: str) -> str:
    # Every template reaching here was marked with QT_TRANSLATE_NOOP(context, ...).
    translated = QCoreApplication.translate(context, marked_sentence)
    if parts is None:
        return translated
    try:
        return translated.format(**parts)
    except (KeyError, IndexError, ValueError):
        # A translation that lost or misspelled a placeholder: the English is better.
        log.warning("translation of %r has broken placeholders", marked_sentence)
        return marked_sentence.format(**parts)
