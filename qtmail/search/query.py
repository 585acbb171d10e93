"""The search query language: parse a user's text into terms both back ends understand.

Grammar (issue 7): words and "quoted phrases" (matched as substrings of sender,
recipients, subject and body), ``op:value`` for from: to: cc: subject: body:
is:unread|read|flagged has:attachment before:/after:YYYY-MM-DD larger:N[K|M|G]
folder:, and ``-`` before any of them to exclude. Anything that does not fit (an
unknown operator, a bad date, an unbalanced quote) becomes a plain word: typing must
never raise.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Fields whose value is text searched as a substring.
TEXT_FIELDS = frozenset({"any", "from", "to", "cc", "subject", "body"})
FLAG_VALUES = frozenset({"unread", "read", "flagged"})
_OPERATORS = TEXT_FIELDS | {"is", "has", "before", "after", "larger", "folder"}
_SIZE = re.compile(r"(\d+)([kmg]?)b?", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}
# Kana voicing marks are combining characters too, but が is not か: keep them.
_KEEP_MARKS = frozenset({"\u3099", "\u309a"})


@dataclass(frozen=True, slots=True)
class Term:
    """One condition. `value` is as typed for text fields (fold() it to compare); a
    date is "YYYY-MM-DD", a size a decimal byte count, a flag one of FLAG_VALUES."""

    field: str
    value: str
    negated: bool = False

    @property
    def epoch(self) -> int:
        """A before:/after: date as seconds since the epoch (UTC midnight)."""
        day = datetime.date.fromisoformat(self.value)
        return calendar.timegm(day.timetuple())


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[Term, ...]

    @property
    def empty(self) -> bool:
        return not self.terms

    @property
    def folders(self) -> tuple[str, ...]:
        """The folder: values (not negated): a server search only runs in these."""
        return tuple(t.value for t in self.terms if t.field == "folder" and not t.negated)


def fold_uncached(text: str) -> str:
    """Case and accents away: NFKD, casefold (ß -> ss), combining marks dropped, so
    "Müller", "MULLER", "müller" and "Mu\u0308ller" (the mark typed apart, as macOS
    names files) compare equal. Each character folds alike wherever it stands: the
    index folds each word of a subject alone (qtmail.store.search.KnownWords), a query
    folds a whole term. fold() is this with a cache, for names and addresses, which
    repeat a lot; this for text that seldom does, or whose result its caller keeps (the
    index catch-up folds each new word as written once and keeps its tokens)."""
    if text.isascii():
        return text.lower()
    folded = text.casefold()
    decomposed = unicodedata.normalize("NFKD", folded)
    marks = _marks().intersection(decomposed)
    if not marks and decomposed == folded:
        return folded  # nothing decomposed and no mark (most CJK text): NFC is a no-op
    for mark in marks:
        decomposed = decomposed.replace(mark, "")
    return unicodedata.normalize("NFC", decomposed)


fold = lru_cache(maxsize=65536)(fold_uncached)


@lru_cache(maxsize=1)
def _marks() -> frozenset[str]:
    """Every combining mark but the kana ones. The few a text holds are found by one
    set intersection (a C loop) and each removed by str.replace: str.translate with a
    dict of every mark looks each character up in Python's mapping protocol, and took
    twice as long (bench_search.py's catch-up, 100,000 subjects: 133 -> 85 ms)."""
    return frozenset(chr(code) for code in range(0x300, 0x1F000)  # none above; ~40 ms, once
                     if unicodedata.combining(chr(code)) and chr(code) not in _KEEP_MARKS)


def parse(text: str) -> Query:
    terms: list[Term] = []
    for negated, word, quoted in _tokens(text):
        term = _term(word, quoted, negated)
        if term is not None:
            terms.append(term)
    return Query(tuple(terms))


def _tokens(text: str) -> list[tuple[bool, str, bool]]:
    """(negated, text, quoted) per token; a quote runs to the next quote or the end."""
    tokens: list[tuple[bool, str, bool]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        if negated:
            i += 1
        if text[i] == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            tokens.append((negated, text[i + 1:end], True))
            i = end + 1
            continue
        start = i
        while i < n and not text[i].isspace():
            if text[i] == '"' and text[i - 1] == ":" and i > start:
                # op:"quoted value": the value runs to the closing quote.
                end = text.find('"', i + 1)
                end = n if end < 0 else end
                tokens.append((negated, text[start:i] + text[i + 1:end], True))
                i = end + 1
                break
            i += 1
        else:
            tokens.append((negated, text[start:i], False))
    return tokens


def _term(word: str, quoted: bool, negated: bool) -> Term | None:
    if not quoted or ":" in word:
        op, sep, value = word.partition(":")
        key = op.lower()
        if sep and key in _OPERATORS and value:
            term = _operator(key, value, negated)
            if term is not None:
                return term
    if not word.strip():
        return None
    return Term("any", word, negated)


def _operator(key: str, value: str, negated: bool) -> Term | None:
    """The operator term, or None when the value does not fit (then it is a word)."""
    lowered = value.lower()
    if key in TEXT_FIELDS or key == "folder":
        return Term(key, value, negated)
    if key == "is":
        return Term("is", lowered, negated) if lowered in FLAG_VALUES else None
    if key == "has":
        return Term("has", "attachment", negated) if lowered == "attachment" else None
    if key in ("before", "after"):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return None
        return Term(key, value, negated)
    match = _SIZE.fullmatch(value)  # larger:
    if match is None:
        return None
    return Term("larger", str(int(match.group(1)) * _UNITS[match.group(2).lower()]), negated)
