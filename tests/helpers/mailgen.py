"""Realistic test messages, as RFC 5322 bytes."""

from __future__ import annotations

import datetime as dt
import itertools
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

_counter = itertools.count(1)


def message(subject: str | None = None, *, sender: str = "Alice Example <alice@example.org>",
            to: str = "Bob <bob@example.org>", body: str = "Hello there.\n",
            date: dt.datetime | None = None, attachment: bytes | None = None,
            in_reply_to: str | None = None) -> bytes:
    n = next(_counter)
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject if subject is not None else f"Test message {n}"
    msg["Date"] = format_datetime(date or dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC))
    msg["Message-ID"] = make_msgid(domain="example.org")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    msg.set_content(body)
    if attachment is not None:
        msg.add_attachment(attachment, maintype="application", subtype="octet-stream",
                           filename="data.bin")
    return msg.as_bytes().replace(b"\n", b"\r\n")
