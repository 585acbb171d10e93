"""Compact IMAP sequence sets of UIDs (RFC 3501 section 9, ``sequence-set``)."""

from __future__ import annotations

from collections.abc import Iterable


def uid_set(uids: Iterable[int]) -> str:
    """Return ``uids`` as a sorted, compact sequence set, e.g. ``"1:5,7,9:12"``.

    Duplicates are merged. An empty input gives ``""``, which is not a valid set:
    callers must not send a command for no messages.
    """
    ordered = sorted(set(uids))
    if not ordered:
        return ""
    parts: list[str] = []
    start = prev = ordered[0]
    for uid in ordered[1:]:
        if uid == prev + 1:
            prev = uid
            continue
        parts.append(str(start) if start == prev else f"{start}:{prev}")
        start = prev = uid
    parts.append(str(start) if start == prev else f"{start}:{prev}")
    return ",".join(parts)


# A hostile "1:4294967295" would expand to 32 GB of ints: refuse sets larger than this.
MAX_EXPANDED = 5_000_000

EXPAND_SLICE = 4096
"""UIDs a range expands to in one step. ``list.extend(range(...))`` runs in C, where
no other thread gets the GIL: a first sync's ``UID ALL 1:100000`` (ESEARCH) held it
13-15 ms while its 100,000 ints took fresh memory, in each of five accounts' workers in
turn, and the window waited (issue 18, bench_gaps). Between two slices the interpreter
hands the GIL on when the GUI thread asks for it."""


def parse_uid_set(text: str | bytes, *, limit: int = MAX_EXPANDED) -> list[int]:
    """Expand a sequence set as servers send it (VANISHED, ESEARCH ALL) into UIDs.

    RFC 3501 section 9: ``a:b`` includes both ends in either order. ``*`` has no
    meaning in a server's answer and is refused (ValueError), like any other malformed
    part or a set of more than ``limit`` numbers.
    """
    if isinstance(text, bytes):
        text = text.decode("ascii")
    result: list[int] = []
    for part in text.strip().split(","):
        if not part:
            continue
        low, sep, high = part.partition(":")
        if not sep:
            result.append(int(low))
            continue
        a, b = int(low), int(high)
        if a > b:
            a, b = b, a
        if len(result) + (b - a) >= limit:
            raise ValueError(f"sequence set larger than {limit}")
        for start in range(a, b + 1, EXPAND_SLICE):
            result.extend(range(start, min(start + EXPAND_SLICE, b + 1)))
    return result
