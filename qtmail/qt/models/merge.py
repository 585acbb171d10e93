"""New keys into a long sorted list of keys, in place, in time proportional to the
stretches of the list they fall in (the All Inboxes list, issue 18). Qt-free."""

from __future__ import annotations

import bisect

MAX_STRETCHES = 16
"""New keys far apart (two accounts' chunks of different dates) are merged stretch by
stretch, not with every row between them; each stretch after the first moves the rest
of the list once (a memmove), so there are at most about this many."""
MIN_GAP = 1024
"""Rows between two new keys that always end a stretch (copying and comparing them
costs more than a memmove of the list's tail)."""


def places_of(keys: list[int], fresh: list[int]) -> tuple[list[int], list[int]]:
    """The keys of the sorted ``fresh`` that ``keys`` (sorted) lacks, and where each
    goes: before the key now at that row. One bisect each, from the previous place."""
    absent: list[int] = []
    places: list[int] = []
    place = 0
    size = len(keys)
    for key in fresh:
        place = bisect.bisect_left(keys, key, place)
        if place == size or keys[place] != key:
            absent.append(key)
            places.append(place)
    return absent, places


def merge_at(keys: list[int], fresh: list[int], places: list[int]) -> None:
    """Put ``fresh`` (sorted, from ``places_of``) into ``keys`` at ``places``.

    Each stretch of old rows the new keys fall among is merged with them by ``sorted``
    (two sorted runs: one merge in C), from the last stretch to the first, so that the
    places of the ones before stay right."""
    gap = max(MIN_GAP, len(keys) // MAX_STRETCHES)
    end = len(fresh)
    for start in range(len(fresh) - 1, -1, -1):
        if start and places[start] - places[start - 1] <= gap:
            continue
        first, last = places[start], places[end - 1]
        keys[first:last] = sorted(keys[first:last] + fresh[start:end])
        end = start


def moved_row(keys: list[int], fresh: list[int], row: int) -> int:
    """Where the key at ``row`` of ``keys`` is once ``fresh`` has gone in (``keys``
    still without them): after every new key that sorts before it."""
    return row + bisect.bisect_left(fresh, keys[row])
