"""Origin: where a draft came from (a reply, a forward, a Drafts copy it continues).

Apart from composer/window.py so that the main window's controllers can name it
without importing the composer, which loads when the first one opens (issue 18).
"""

from __future__ import annotations

from dataclasses import dataclass

from qtmail.core.types import MessageRef


@dataclass(frozen=True, slots=True)
class Origin:
    """Where the draft came from: what to flag after sending, which Drafts copy it
    continues (and replaces when saved)."""

    replied: MessageRef | None = None
    forwarded: MessageRef | None = None
    replaces: MessageRef | None = None


NEW = Origin()
