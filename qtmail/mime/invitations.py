"""Calendar invitations (issue 14): the title, time and place of a ``text/calendar``
part (RFC 5545 iCalendar, sent as RFC 6047 iMIP), shown in the message beside its
.ics attachment. Reads the first VEVENT only, never raises, never trusts its text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qtmail.mime.headers import clean_text

if TYPE_CHECKING:  # a type only: the parser loads with the first message (issue 18)
    from qtmail.mime.parse import ParsedMessage

MAX_ICS_BYTES = 512 * 1024
"""Larger calendar parts (whole exported calendars, not invitations) are not read."""
CALENDAR_TYPES = ("text/calendar", "application/ics")


@dataclass(frozen=True, slots=True)
class Invitation:
    summary: str
    start: dt.datetime | dt.date | None
    """Aware (UTC or the event's zone), naive (floating time), or a date (all day)."""
    end: dt.datetime | dt.date | None
    location: str = ""
    organizer: str = ""
    cancelled: bool = False
    """METHOD:CANCEL (RFC 5546 3.2.5) or STATUS:CANCELLED."""


_ESCAPES = re.compile(r"\\([\\;,nN])")


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11) unescaped and made safe to show on one line."""
    unescaped = _ESCAPES.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)
    return clean_text(unescaped.replace("\n", " "))[:300]


def _split(line: str) -> tuple[str, dict[str, str], str]:
    """``NAME;P=v;Q="a:b":value`` -> (NAME, {P: v, Q: a:b}, value)."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head, value = line[:index], line[index + 1:]
            break
    else:
        return line.upper(), {}, ""
    name, *params = head.split(";")
    parsed = {}
    for param in params:
        key, _, val = param.partition("=")
        parsed[key.upper()] = val.strip('"')
    return name.upper(), parsed, value


def _when(value: str, params: dict[str, str]) -> dt.datetime | dt.date | None:
    """DATE or DATE-TIME (RFC 5545 3.3.4, 3.3.5): UTC with Z, else in TZID's zone when
    it is an IANA name, else floating."""
    value = value.strip()
    try:
        if params.get("VALUE", "").upper() == "DATE" or re.fullmatch(r"\d{8}", value):
            return dt.datetime.strptime(value[:8], "%Y%m%d").date()
        moment = dt.datetime.strptime(value.rstrip("Zz")[:15], "%Y%m%dT%H%M%S")
    except ValueError:
        return None
    if value.upper().endswith("Z"):
        return moment.replace(tzinfo=dt.UTC)
    zone = params.get("TZID", "")
    if zone:
        import zoneinfo  # with the first zoned invitation: the window starts without it

        try:
            return moment.replace(tzinfo=zoneinfo.ZoneInfo(zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass  # a Windows zone name ("W. Europe Standard Time"): shown as written
    return moment


def parse_ics(data: bytes) -> Invitation | None:
    """The first event of an iCalendar object, or None when there is none."""
    if len(data) > MAX_ICS_BYTES:
        return None
    text = data.decode("utf-8", errors="replace")
    lines = re.sub(r"\r?\n[ \t]", "", text).splitlines()  # unfold (RFC 5545 3.1)
    fields: dict[str, tuple[dict[str, str], str]] = {}
    method = ""
    in_event = False
    for line in lines:
        name, params, value = _split(line)
        if name == "METHOD" and not in_event:
            method = value.strip().upper()
        elif name == "BEGIN" and value.strip().upper() == "VEVENT":
            in_event = True
        elif name == "END" and value.strip().upper() == "VEVENT":
            break
        elif in_event and name not in fields:
            fields[name] = (params, value)
    if not in_event:
        return None

    def get(name: str) -> str:
        return fields.get(name, ({}, ""))[1]

    start = _when(get("DTSTART"), fields.get("DTSTART", ({}, ""))[0]) if "DTSTART" in fields \
        else None
    end = _when(get("DTEND"), fields.get("DTEND", ({}, ""))[0]) if "DTEND" in fields else None
    organizer = re.sub(r"(?i)^mailto:", "", get("ORGANIZER").strip())
    return Invitation(summary=_text(get("SUMMARY")), start=start, end=end,
                      location=_text(get("LOCATION")), organizer=clean_text(organizer)[:200],
                      cancelled=method == "CANCEL" or get("STATUS").strip().upper()
                      == "CANCELLED")


def invitation(parsed: ParsedMessage) -> Invitation | None:
    """The invitation a message carries, from its first calendar part."""
    for info in parsed.attachments:
        if info.content_type in CALENDAR_TYPES or info.filename.lower().endswith(".ics"):
            data = parsed.payloads.get(info.part_id)
            if data:
                found = parse_ics(bytes(data))
                if found is not None:
                    return found
    return None
