"""The message lists' columns: their numbers and titles, a summary's text and roles.

One mapping from a MessageSummary to what a view asks (issue 12), used by the folder
model (messages.py), All Inboxes (unified.py) and the search results
(search_results.py); the threaded model and the sort proxy take the titles from here
too. What depends on where a row lives (its MessageRef, account, folder) stays in each
model; everything that depends on the summary alone is here.

Two forms of dates and sizes: the models' DisplayRole text (the locale's short date
and time, for accessibility and copy) and the delegate's shorter one as Thunderbird
shows it (today: the time; this week: the weekday; older: the date).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, QLocale, Qt

from qtmail.core.types import (
    ANSWERED,
    FLAGGED,
    FORWARDED,
    UNREADABLE_SUBJECT,
    Address,
    MessageSummary,
)
from qtmail.mime.sender import list_text as sender_list_text
from qtmail.qt.models.roles import Role


class Column(IntEnum):
    SENDER = 0  # never renumber: views persist column widths and order by number
    SUBJECT = 1  # never renumber
    DATE = 2  # never renumber
    SIZE = 3  # never renumber
    FOLDER = 4  # never renumber (search results over several folders showed it first)
    TO = 5  # never renumber
    CC = 6  # never renumber
    ACCOUNT = 7  # never renumber
    ATTACHMENTS = 8  # never renumber
    FLAGS = 9  # never renumber


HEADER_TEXT = {Column.SENDER: str(QT_TRANSLATE_NOOP("MessageListModel", "From")),
               Column.SUBJECT: str(QT_TRANSLATE_NOOP("MessageListModel", "Subject")),
               Column.DATE: str(QT_TRANSLATE_NOOP("MessageListModel", "Date")),
               Column.SIZE: str(QT_TRANSLATE_NOOP("MessageListModel", "Size")),
               Column.FOLDER: str(QT_TRANSLATE_NOOP("MessageListModel", "Folder")),
               Column.TO: str(QT_TRANSLATE_NOOP("MessageListModel", "Recipients")),
               Column.CC: str(QT_TRANSLATE_NOOP("MessageListModel", "Cc")),
               Column.ACCOUNT: str(QT_TRANSLATE_NOOP("MessageListModel", "Account")),
               Column.ATTACHMENTS: str(QT_TRANSLATE_NOOP("MessageListModel", "Attachments")),
               Column.FLAGS: str(QT_TRANSLATE_NOOP("MessageListModel", "Flags"))}
"""Untranslated: the language is chosen after import (see header())."""

DEFAULT_HIDDEN = (Column.FOLDER, Column.TO, Column.CC, Column.ACCOUNT, Column.ATTACHMENTS,
                  Column.FLAGS)
"""Shown only when the user chooses them (the header's menu), as in Thunderbird."""
PLACE_COLUMNS = frozenset({Column.FOLDER, Column.ACCOUNT})
"""Columns that say where a row lives: the model answers them, not the summary."""


def header(column: Column, *, recipients: bool = False) -> str:
    """The column's title in the user's language (``recipients``: Sent and Drafts show
    who the mail went to)."""
    if recipients and column == Column.SENDER:
        return QCoreApplication.translate("MessageListModel", "To")
    return QCoreApplication.translate("MessageListModel", HEADER_TEXT[column])


SERVED_ROLES = frozenset({Qt.ItemDataRole.DisplayRole.value, Qt.ItemDataRole.ToolTipRole.value,
                          *(role.value for role in Role)})
"""Roles a message model answers: views ask for ten per painted cell, the rest get None
at once."""
FLAG_ROLES = [Role.FLAGS.value, Role.UNREAD.value, Role.FLAGGED.value, Role.SUMMARY.value]
"""What a flag change changes (the roles of dataChanged)."""
PREVIEW_ROLES = [Role.PREVIEW.value, Role.SUMMARY.value]
"""What a new preview line changes."""


# -- display strings -------------------------------------------------------------------------
def date_text(epoch: int) -> str:
    """The models' text: the locale's short date and time."""
    when = QDateTime.fromSecsSinceEpoch(epoch)
    locale = QLocale()
    if _iso(locale):
        return f"{when.date().toString(Qt.DateFormat.ISODate)} " \
            f"{locale.toString(when.time(), QLocale.FormatType.ShortFormat)}"
    return locale.toString(when, QLocale.FormatType.ShortFormat)


def long_date_text(stamp: int | None) -> str:
    """The reading pane's text: the locale's long date and time, or why there is none."""
    moment = QDateTime.fromSecsSinceEpoch(stamp) if stamp is not None else QDateTime()
    if not moment.isValid():
        return QCoreApplication.translate("MessageHeader", "(no valid date)")
    return str(QLocale().toString(moment.toLocalTime(), QLocale.FormatType.LongFormat))


def _iso(locale: QLocale) -> bool:
    """LANG=C (or POSIX, C.UTF-8): Qt's short date there is "28 11 2026", three bare
    numbers; dates are then written as ISO 8601 (2026-11-28), as C-locale tools do."""
    return locale.language() == QLocale.Language.C


def size_text(size: int) -> str:
    """The models' text, in the user's locale."""
    return QLocale().formattedDataSize(size, 0 if size < 1024 * 1024 else 1,
                                       QLocale.DataSizeFormat.DataSizeTraditionalFormat)


def short_date_text(epoch: int, locale: QLocale, now: QDateTime | None = None) -> str:
    """The list's text. Today: the time; the last six days: weekday and time; older:
    the date."""
    when = QDateTime.fromSecsSinceEpoch(epoch)
    now = now or QDateTime.currentDateTime()
    days = when.date().daysTo(now.date())
    short = QLocale.FormatType.ShortFormat
    if days == 0:
        return locale.toString(when.time(), short)
    if 0 < days < 7:
        return f"{locale.dayName(when.date().dayOfWeek(), short)} " \
            f"{locale.toString(when.time(), short)}"
    if _iso(locale):
        return when.date().toString(Qt.DateFormat.ISODate)
    return locale.toString(when.date(), short)


def short_size_text(size: int, locale: QLocale) -> str:
    """The list's text: bytes below 1 KB, else as size_text."""
    if size < 1024:
        return QCoreApplication.translate("MessageList", "%1 B").replace(
            "%1", locale.toString(size))
    return locale.formattedDataSize(size, 0 if size < 1024 * 1024 else 1,
                                    QLocale.DataSizeFormat.DataSizeTraditionalFormat)


# -- a summary's cells -----------------------------------------------------------------------
def recipients_text(summary: MessageSummary) -> str:
    """Who the message went to, as the correspondent column shows it in Sent and Drafts."""
    return ", ".join(sender_list_text(address) for address in summary.to + summary.cc)


def addresses_text(addresses: tuple[Address, ...]) -> str:
    return ", ".join(sender_list_text(address) for address in addresses)


def flags_text(summary: MessageSummary) -> str:
    """The Flags column: starred, answered, forwarded, as marks a screen reader names."""
    marks = []
    if FLAGGED in summary.flags:
        marks.append("★")
    if ANSWERED in summary.flags:
        marks.append("↩")
    if FORWARDED in summary.flags:
        marks.append("→")
    return " ".join(marks)


def status_tooltip(summary: MessageSummary) -> str | None:
    """The correspondent cell's tooltip: what its status gutter's marks mean (the star,
    replied, forwarded), or None when it shows none of them."""
    lines = []
    if FLAGGED in summary.flags:
        lines.append(QCoreApplication.translate("MessageListModel", "Starred."))
    answered, forwarded = ANSWERED in summary.flags, FORWARDED in summary.flags
    if answered and forwarded:
        lines.append(QCoreApplication.translate(
            "MessageListModel", "You replied to this message and forwarded it."))
    elif answered:
        lines.append(QCoreApplication.translate("MessageListModel",
                                                "You replied to this message."))
    elif forwarded:
        lines.append(QCoreApplication.translate("MessageListModel",
                                                "You forwarded this message."))
    return " ".join(lines) or None


def place_data(column: int, role: int, account: str, folder: str) -> Any:
    """Display and sort roles of the Account and Folder columns (None otherwise)."""
    if column not in PLACE_COLUMNS or role not in (Qt.ItemDataRole.DisplayRole, Role.SORT_KEY):
        return None
    text = account if column == Column.ACCOUNT else folder
    return text if role == Qt.ItemDataRole.DisplayRole else text.casefold()


def display(summary: MessageSummary, column: int, *, recipients: bool = False
            ) -> str | None:
    """DisplayRole of ``column`` (None: not one of Column's). ``recipients``: the
    correspondent column shows the recipients (Sent and Drafts, as every client does)."""
    if column == Column.SENDER:
        return recipients_text(summary) if recipients else sender_list_text(summary.sender)
    if column == Column.SUBJECT:
        if summary.subject == UNREADABLE_SUBJECT and not summary.sender.addr:
            return QCoreApplication.translate("MessageListModel", "Message could not be read")
        return summary.subject
    if column == Column.DATE:
        return date_text(summary.date or summary.internaldate)
    if column == Column.SIZE:
        return size_text(summary.size)
    if column == Column.TO:
        return addresses_text(summary.to)
    if column == Column.CC:
        return addresses_text(summary.cc)
    if column == Column.ATTACHMENTS:
        return QCoreApplication.translate("MessageListModel", "Attachment") \
            if summary.has_attachment else ""
    if column == Column.FLAGS:
        return flags_text(summary)
    return None


def sort_key(summary: MessageSummary, column: int, *, recipients: bool = False) -> Any:
    """Role.SORT_KEY: what the sort proxy compares in ``column``."""
    if column == Column.SENDER:
        return recipients_text(summary).casefold() if recipients \
            else summary.sender.display().casefold()
    if column == Column.SUBJECT:
        return summary.subject.casefold()
    if column == Column.DATE:
        return summary.date or summary.internaldate
    if column in (Column.TO, Column.CC):
        return (addresses_text(summary.to if column == Column.TO else summary.cc)).casefold()
    if column == Column.ATTACHMENTS:
        return int(summary.has_attachment)
    if column == Column.FLAGS:
        return flags_text(summary)
    return summary.size


def summary_data(summary: MessageSummary, column: int, role: int, *,
                 recipients: bool = False) -> Any:
    """Every role that depends on the summary alone (DisplayRole included); None for
    the others (MESSAGE_REF, ACCOUNT, FOLDER, FROM_SERVER: the model knows those).
    ``recipients``: the folder is Sent or Drafts (see ``display``)."""
    if role == Qt.ItemDataRole.DisplayRole:
        return display(summary, column, recipients=recipients)
    if role == Qt.ItemDataRole.ToolTipRole:
        return status_tooltip(summary) if column == Column.SENDER else None
    if role == Role.UID:
        return summary.uid
    if role == Role.FLAGS:
        return summary.flags
    if role == Role.UNREAD:
        return summary.unread
    if role == Role.FLAGGED:
        return FLAGGED in summary.flags
    if role == Role.HAS_ATTACHMENT:
        return summary.has_attachment
    if role == Role.SUMMARY:
        return summary
    if role == Role.PREVIEW:
        return summary.preview
    if role == Role.SORT_KEY:
        return sort_key(summary, column, recipients=recipients)
    return None
