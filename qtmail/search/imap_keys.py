"""IMAP SEARCH keys (RFC 3501 6.4.4) for a parsed query: the server half of issue 7.

The keys are for UID SEARCH in one selected folder: folder: terms choose which folders
are searched and have no key. has:attachment has no key either (IMAP cannot ask for a
MIME structure): the caller fetches the hits' headers and keeps those whose cached
summary says has_attachment, as the local search does. Text values are sent as typed
(not folded): servers compare with their own case- and accent-insensitive comparator
(Dovecot: i;unicode-casemap), and non-ASCII ones need CHARSET UTF-8.
"""

from __future__ import annotations

import datetime
import re

from qtmail.search.query import Query, Term

SearchKey = str | bytes

_FIELD_KEYS = {"from": "FROM", "to": "TO", "cc": "CC", "subject": "SUBJECT", "body": "BODY"}
_FLAG_KEYS = {"unread": "UNSEEN", "read": "SEEN", "flagged": "FLAGGED"}
# A plain word matches any of these: one OR chain (OR is binary and prefix).
_ANY_KEYS = ("FROM", "TO", "CC", "SUBJECT", "BODY")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def to_imap_search(query: Query) -> list[SearchKey]:
    """UID SEARCH keys, ANDed; ["ALL"] when nothing has a key."""
    keys: list[SearchKey] = []
    for term in query.terms:
        key = _term_keys(term)
        if not key:
            continue
        if term.negated:
            keys.append("NOT")
        keys.extend(key)
    return keys or ["ALL"]


def needs_utf8(keys: list[SearchKey]) -> bool:
    """True when a key is not ASCII: the command must say CHARSET UTF-8 (RFC 3501
    6.4.4; with RFC 6855 UTF8=ACCEPT enabled a server must accept it anyway)."""
    return any(not (key.isascii()) for key in keys)


def _term_keys(term: Term) -> list[SearchKey]:
    if term.field == "any":
        keys: list[SearchKey] = []
        for name in _ANY_KEYS[:-1]:
            keys += ["OR", name, term.value]
        return [*keys, _ANY_KEYS[-1], term.value]
    if term.field in _FIELD_KEYS:
        return [_FIELD_KEYS[term.field], term.value]
    if term.field == "is":
        return [_FLAG_KEYS[term.value]]
    if term.field == "before":
        # BEFORE/SINCE compare the internal date's day, as the local search does.
        return ["BEFORE", _imap_date(term.value)]
    if term.field == "after":
        return ["SINCE", _imap_date(term.value)]
    if term.field == "larger":
        return ["LARGER", term.value]
    return []  # has:attachment and folder: (see the module docstring)


def _imap_date(value: str) -> str:
    day = datetime.date.fromisoformat(value)
    return f"{day.day}-{_MONTHS[day.month - 1]}-{day.year}"


_ATOM = re.compile(r"[A-Za-z0-9.@_+\-:]+")


def search_command(keys: list[SearchKey]) -> str:
    """The criteria text after UID SEARCH: atoms bare, other ASCII values quoted,
    non-ASCII ones as RFC 7888 non-synchronizing literals ({n+}) after CHARSET UTF-8,
    so the command goes out in one write (callers check LITERAL+ / LITERAL-)."""
    parts = ["CHARSET UTF-8"] if needs_utf8(keys) else []
    for key in keys:
        text = key.decode("utf-8") if isinstance(key, bytes) else key
        if _ATOM.fullmatch(text):
            parts.append(text)
        elif text.isascii():
            parts.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
        else:
            parts.append(f"{{{len(text.encode('utf-8'))}+}}\r\n{text}")
    return " ".join(parts)
