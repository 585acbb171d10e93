"""The message list repaints only when what it shows changes (issue 4): a first sync's
older chunks land below a full screen of rows and must not repaint it (each repaint
held the GUI thread 20-70 ms); rows arriving on screen, data changes and resizes do."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers.cache import FilledCache
from helpers.paints import PaintCounter
from pytestqt.qtbot import QtBot

from qtmail.core.events import FlagsChanged, MessagesAdded
from qtmail.core.types import SEEN
from qtmail.qt.models.messages import MessageListModel
from qtmail.qt.models.unified import UnifiedInboxModel
from qtmail.qt.widgets.message_list import MessageListView

NEWEST = 100_000


@pytest.fixture
def view(qtbot: QtBot, cache: FilledCache) -> Iterator[tuple[MessageListView, PaintCounter]]:
    model = MessageListModel()
    made = MessageListView(model)
    qtbot.addWidget(made)
    made.resize(700, 400)
    cache.add(range(NEWEST - 199, NEWEST + 1))  # the first chunk: a full screen
    model.set_folder(cache.reader, "work", "INBOX")
    made.show()
    qtbot.waitExposed(made)
    counter = PaintCounter()
    made.viewport().installEventFilter(counter)
    yield made, counter
    made.viewport().removeEventFilter(counter)


def settle(qtbot: QtBot, counter: PaintCounter) -> int:
    """Let every queued layout and paint happen; the paints counted."""
    before = counter.paints
    qtbot.wait(50)  # several event-loop turns: Qt's delayed layout runs on a zero timer
    return counter.paints - before


def test_rows_added_below_the_screen_repaint_nothing(
        qtbot: QtBot, cache: FilledCache, view: tuple[MessageListView, PaintCounter]) -> None:
    made, counter = view
    settle(qtbot, counter)
    bar = made.verticalScrollBar()
    maximum = bar.maximum()
    older = range(NEWEST - 1199, NEWEST - 199)
    cache.add(older)
    made.source.apply(MessagesAdded("work", "INBOX", tuple(older)))
    assert settle(qtbot, counter) == 0
    assert made.proxy.rowCount() == 1200
    assert bar.maximum() > maximum  # the scroll bar knows of them
    # Scrolled down, they are painted.
    made.scrollToBottom()
    assert settle(qtbot, counter) >= 1
    last = made.proxy.index(1199, 1)
    assert made.visualRect(last).isValid() and last.data() == f"Subject {NEWEST - 1199}"


def test_what_shows_on_screen_is_repainted(
        qtbot: QtBot, cache: FilledCache, view: tuple[MessageListView, PaintCounter]) -> None:
    made, counter = view
    settle(qtbot, counter)
    # New mail arrives on top: on screen.
    cache.add([NEWEST + 1])
    made.source.apply(MessagesAdded("work", "INBOX", (NEWEST + 1,)))
    assert settle(qtbot, counter) >= 1
    assert made.proxy.index(0, 1).data() == f"Subject {NEWEST + 1}"
    # Rows below, together with a change on screen: the change is painted.
    cache.writer.set_flags("INBOX", {NEWEST: frozenset({SEEN})})
    older = range(NEWEST - 299, NEWEST - 199)
    cache.add(older)
    made.source.apply(FlagsChanged("work", "INBOX", (NEWEST,)))
    made.source.apply(MessagesAdded("work", "INBOX", tuple(older)))
    assert settle(qtbot, counter) >= 1
    # A resize repaints, rows below or not.
    older = range(NEWEST - 399, NEWEST - 299)
    cache.add(older)
    made.source.apply(MessagesAdded("work", "INBOX", tuple(older)))
    made.resize(720, 420)
    assert settle(qtbot, counter) >= 1


def test_the_first_rows_paint_once(qtbot: QtBot, cache: FilledCache) -> None:
    """An empty list getting its first chunk: one paint, not one more for a scroll bar
    appearing and the columns following it."""
    model = MessageListModel()
    made = MessageListView(model)
    qtbot.addWidget(made)
    made.resize(700, 400)
    model.set_folder(cache.reader, "work", "INBOX")
    made.show()
    qtbot.waitExposed(made)
    counter = PaintCounter()
    made.viewport().installEventFilter(counter)
    settle(qtbot, counter)
    first = range(NEWEST - 199, NEWEST + 1)
    cache.add(first)
    made.source.apply(MessagesAdded("work", "INBOX", tuple(first)))
    assert settle(qtbot, counter) == 1
    assert made.proxy.index(0, 1).data() == f"Subject {NEWEST}"
    made.viewport().removeEventFilter(counter)


def test_all_inboxes_rows_at_many_places_below_the_screen_repaint_nothing(
        qtbot: QtBot, cache: FilledCache) -> None:
    """Issue 18: All Inboxes takes new rows at many places in one layout change (two
    accounts' chunks interleave by date). All of them below a full screen, only the
    scroll bar changes; some among the rows on screen, the list is repainted."""
    model = UnifiedInboxModel()
    made = MessageListView(model)
    qtbot.addWidget(made)
    made.resize(700, 400)
    cache.add(range(NEWEST - 398, NEWEST + 1, 2))  # even UIDs: a full screen and more
    model.set_store("work", cache.reader)
    model.set_active(True)
    made.show()
    qtbot.waitExposed(made)
    counter = PaintCounter()
    made.viewport().installEventFilter(counter)
    settle(qtbot, counter)
    counter.paints = 0
    bar = made.verticalScrollBar()
    maximum = bar.maximum()
    below = range(NEWEST - 399, NEWEST - 99, 2)  # odd: one between each two rows 50-199
    cache.add(below)
    model.apply(MessagesAdded("work", "INBOX", tuple(below)))
    qtbot.waitUntil(lambda: made.proxy.rowCount() == 350, timeout=2_000)
    settle(qtbot, counter)
    assert counter.paints == 0
    assert bar.maximum() > maximum
    on_screen = [NEWEST - 1, NEWEST - 3]
    cache.add(on_screen)
    model.apply(MessagesAdded("work", "INBOX", tuple(on_screen)))
    qtbot.waitUntil(lambda: made.proxy.rowCount() == 352, timeout=2_000)
    settle(qtbot, counter)
    assert counter.paints >= 1
    assert [made.proxy.index(row, 1).data() for row in range(4)] == [
        f"Subject {uid}" for uid in (NEWEST, NEWEST - 1, NEWEST - 2, NEWEST - 3)]
    made.viewport().removeEventFilter(counter)
