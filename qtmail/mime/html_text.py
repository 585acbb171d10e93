"""html2text with a cancel flag and a nesting guard, for mime.html.html_to_text (C.30).

A module of its own so that html2text is imported with the first HTML body converted to
text, not with the window: mime.html is on the way to its first paint (issue 18).
"""

from __future__ import annotations

import threading

import html2text

MAX_OPEN_TAGS = 2000
"""Recursion guard: deeper nesting than any real message is converted by tag stripping."""


class Cancelled(Exception):
    """The conversion was cancelled (its time ran out) or nested too deep."""


class GuardedHtml2Text(html2text.HTML2Text):
    """html2text that gives up when cancelled or when nesting gets absurdly deep."""

    def __init__(self, cancel: threading.Event, void_tags: frozenset[str]) -> None:
        """``void_tags``: elements without an end tag, not counted as nesting."""
        super().__init__(bodywidth=0)
        self._cancel = cancel
        self._void = void_tags
        self._depth = 0
        self.ignore_images = True
        self.ignore_emphasis = True
        self.unicode_snob = True
        self.single_line_break = False

    def handle_tag(self, tag: str, attrs: dict[str, str | None], start: bool) -> None:
        if self._cancel.is_set():
            raise Cancelled
        if tag not in self._void:
            self._depth += 1 if start else -1
            if self._depth > MAX_OPEN_TAGS:
                raise Cancelled
        super().handle_tag(tag, attrs, start)

    def handle_data(self, data: str, entity_char: bool = False) -> None:
        if self._cancel.is_set():
            raise Cancelled
        super().handle_data(data, entity_char)
