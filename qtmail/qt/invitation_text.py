"""An invitation's time as the user reads it (issue 14): in the user's locale and time
zone; all-day events as dates; a time with no zone (floating) as written."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime, QTimeZone

from qtmail.mime.invitations import Invitation


def _qt(moment: dt.datetime | dt.date) -> QDateTime | QDate:
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is not None:
            local = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))
            return local.toTimeZone(QTimeZone.systemTimeZone())
        return QDateTime(QDate(moment.year, moment.month, moment.day),
                         QTime(moment.hour, moment.minute, moment.second))
    return QDate(moment.year, moment.month, moment.day)


def event_time_text(event: Invitation) -> str:
    """"Thursday, 10 December 2026 15:00 – 16:00", or a date range for all day."""
    if event.start is None:
        return ""
    locale = QLocale()
    long, short = QLocale.FormatType.LongFormat, QLocale.FormatType.ShortFormat
    start = _qt(event.start)
    end = _qt(event.end) if event.end is not None else None
    if isinstance(start, QDate):
        text = locale.toString(start, long)
        # An all-day DTEND is exclusive (RFC 5545 3.6.1): a one-day event ends next day.
        if isinstance(end, QDate) and start.daysTo(end) > 1:
            text += " – " + locale.toString(end.addDays(-1), long)
        return text
    text = locale.toString(start.date(), long) + " " + locale.toString(start.time(), short)
    if isinstance(end, QDateTime):
        same_day = end.date() == start.date()
        text += " – " + (locale.toString(end.time(), short) if same_day
                         else locale.toString(end, short))
    return text
