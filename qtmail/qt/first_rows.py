"""FirstRowsWatch: says once that a message list has painted rows (issue 18).

On a new profile the first rows come from the server some 150 ms after the window's
first paint, and the account's worker spends that time on the way to them (the cache,
the keyring, the login, the Inbox's SELECT). Work that holds the GIL and that the first
look does not need (``heap.settle_after_startup``'s full collection) waits for this
rather than for the first paint. On a later start the list paints the cached rows with
the window, so nothing waits longer than it did.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView


class FirstRowsWatch(QObject):
    """Watches the viewports of ``views`` until one of them paints while its model has
    rows, then stops watching.

    Signals: ``painted()`` once, after that paint is done.
    """

    painted = Signal()

    def __init__(self, views: Iterable[QAbstractItemView], parent: QObject | None = None
                 ) -> None:
        super().__init__(parent)
        self._viewports = [view.viewport() for view in views]
        self.done = False
        for viewport in self._viewports:
            viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done:
            view = watched.parent()  # a viewport's parent is its view
            model = view.model() if isinstance(view, QAbstractItemView) else None
            if model is not None and model.rowCount() > 0:
                self.done = True
                for viewport in self._viewports:
                    viewport.removeEventFilter(self)
                QTimer.singleShot(0, self, self.painted.emit)  # once this paint is done
        return False
