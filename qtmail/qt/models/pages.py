"""SummaryPages: the rows a windowed list model has read from the store, a page at a
time, keeping the most recently used pages only (issue 4: a list model never holds a
Python object per row of a 100,000-message folder)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, ItemsView

from qtmail.core.types import MessageSummary

PAGE_SIZE = 200
"""Rows read from the store in one query."""
MAX_PAGES = 16
"""Pages kept; the least recently used goes first."""

Page = list[MessageSummary | None]


class SummaryPages:
    """``read(number)`` reads page ``number`` (rows number*PAGE_SIZE onwards); a row
    the store no longer has is None."""

    def __init__(self, read: Callable[[int], Page]) -> None:
        self._read = read
        self._pages: OrderedDict[int, Page] = OrderedDict()

    def summary(self, row: int) -> MessageSummary | None:
        page = self.page(row // PAGE_SIZE)
        offset = row % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def page(self, number: int) -> Page:
        """Page ``number``, read now unless held (a last page may be short)."""
        page = self._pages.get(number)
        if page is None:
            page = self._pages[number] = self._read(number)
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page

    def held(self, row: int) -> MessageSummary | None:
        """Row ``row`` if its page is held, without reading (None otherwise)."""
        page = self._pages.get(row // PAGE_SIZE)
        offset = row % PAGE_SIZE
        return page[offset] if page is not None and offset < len(page) else None

    def numbers(self) -> list[int]:
        """The pages held now."""
        return list(self._pages)

    def items(self) -> ItemsView[int, Page]:
        """(number, page) of the pages held now, least recently used first (a view:
        copy it before changing the pages)."""
        return self._pages.items()

    def drop(self, number: int) -> None:
        """Forget page ``number``: read afresh at its next use."""
        self._pages.pop(number, None)

    def drop_from(self, number: int) -> None:
        """Forget page ``number`` and every page after it (rows inserted there moved
        them; the pages before still hold their rows)."""
        for held in [held for held in self._pages if held >= number]:
            del self._pages[held]

    def clear(self) -> None:
        self._pages.clear()
