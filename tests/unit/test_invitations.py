"""Calendar invitations (issue 14, qtmail/mime/invitations.py): real shapes of iMIP
mail from Outlook, Google and Thunderbird; broken ones never raise."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from email.message import EmailMessage

from qtmail.mime.invitations import Invitation, invitation, parse_ics
from qtmail.mime.parse import parse_message

GOOGLE = (b"BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
          b"VERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
          b"DTSTART:20261210T150000Z\r\nDTEND:20261210T160000Z\r\n"
          b"ORGANIZER;CN=Anna Schmidt:mailto:anna@example.de\r\n"
          b"SUMMARY:Quarterly review\\, budget\r\n"
          b"LOCATION:Room 4.12\\; Berlin office\r\n"
          b"DESCRIPTION:A long description that is folded over\r\n  two lines.\r\n"
          b"END:VEVENT\r\nEND:VCALENDAR\r\n")


def test_a_google_invitation() -> None:
    event = parse_ics(GOOGLE)
    assert event == Invitation(
        summary="Quarterly review, budget",
        start=dt.datetime(2026, 12, 10, 15, 0, tzinfo=dt.UTC),
        end=dt.datetime(2026, 12, 10, 16, 0, tzinfo=dt.UTC),
        location="Room 4.12; Berlin office", organizer="anna@example.de")


def test_outlook_zone_names_quoted_colons_and_folding() -> None:
    ics = (b"BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\n"
           b'ORGANIZER;CN="Smith: John":mailto:john@example.com\r\n'
           b"DTSTART;TZID=Europe/Berlin:20261210T090000\r\n"
           b"DTEND;TZID=W. Europe Standard Time:20261210T100000\r\n"
           b"SUMMARY:Stand\r\n -up\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    event = parse_ics(ics)
    assert event is not None and event.cancelled and event.summary == "Stand-up"
    assert event.organizer == "john@example.com"
    assert event.start == dt.datetime(2026, 12, 10, 9, 0,
                                      tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    assert event.end == dt.datetime(2026, 12, 10, 10, 0)  # a Windows name: as written


def test_all_day_events_are_dates() -> None:
    ics = (b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261224\n"
           b"DTEND;VALUE=DATE:20261227\nSUMMARY:Holidays\nEND:VEVENT\nEND:VCALENDAR\n")
    event = parse_ics(ics)
    assert event is not None
    assert (event.start, event.end) == (dt.date(2026, 12, 24), dt.date(2026, 12, 27))


def test_broken_calendars_give_nothing_or_what_is_readable() -> None:
    assert parse_ics(b"") is None
    assert parse_ics(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n") is None
    event = parse_ics("BEGIN:VEVENT\r\nDTSTART:2026-12-10\r\nSUMMARY:\x00\u202e\r\n".encode())
    assert event is not None and event.start is None
    assert parse_ics(b"BEGIN:VEVENT\r\n" + b"X" * 600_000) is None  # too big to read


def test_the_invitation_of_a_message() -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "anna@example.de", "bob@example.org", "Invite"
    msg.set_content("You are invited.\n")
    msg.add_attachment(GOOGLE, maintype="text", subtype="calendar", filename="invite.ics")
    event = invitation(parse_message(msg.as_bytes()))
    assert event is not None and event.summary == "Quarterly review, budget"
