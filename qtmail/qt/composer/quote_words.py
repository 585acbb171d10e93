"""The words a reply or forward puts in the text (qtmail.mime.quote), translated.

Imported with the first reply, as qtmail.mime.quote is (issue 18: start-up imports).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from qtmail.mime.quote import Wording
from qtmail.qt.models.columns import date_text


def _quoted_date(stamp: int | None) -> str:
    # Only called with a date (quote_body checks); the locale's short form, as the list.
    return date_text(stamp) if stamp is not None else ""


def quote_words() -> Wording:
    translate = QCoreApplication.translate
    return Wording(
        wrote=translate("Quote", "%1 wrote:", "a reply's first line; %1: the sender"),
        wrote_on=translate("Quote", "On %1, %2 wrote:",
                           "a reply's first line; %1: the date, %2: the sender"),
        unknown_sender=translate("Quote", "Unknown sender"),
        forwarded=translate("Quote", "-------- Forwarded Message --------"),
        subject=translate("Quote", "Subject: %1"),
        date=translate("Quote", "Date: %1"),
        sender=translate("Quote", "From: %1"),
        to=translate("Quote", "To: %1"),
        cc=translate("Quote", "Cc: %1"),
        format_date=_quoted_date,
    )
