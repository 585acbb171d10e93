"""PreviewLines: View > Preview Lines (issue 14), and the requests that fill them.

Only the rows on screen ever get a preview line, asked of their account's worker a
moment after the list stops moving (a scroll, a folder opened, new rows), so a first
sync and a fast scroll cost nothing extra: the worker answers from a cached body, the
server's PREVIEW (RFC 8970) or a 2 KB partial fetch (qtmail/imap/previews.py), and
the model repaints the rows when PreviewsReady arrives.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPoint, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QTreeView

from qtmail.core.types import MessageRef, MessageSummary
from qtmail.qt.accounts import AccountDirectory
from qtmail.qt.models.roles import Role
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.message_lists import MessageLists

SETTLE_MS = 40
"""How long the list must stay still before its rows' previews are asked for."""
MAX_ROWS = 200
"""At most this many rows are asked for at once (a very tall window)."""
AHEAD_ROWS = 8
"""Rows below the last one on screen asked for too: the next scroll step (or the row
a relayout brings in) has its line at once instead of a second round trip."""
MAX_ASKED = 20_000
"""Rows remembered as asked; beyond, the memory starts again (they are asked anew)."""


def visible_indexes(view: QAbstractItemView, ahead: int = 0) -> list[QModelIndex]:
    """Column-0 indexes of the rows on screen, top to bottom, and ``ahead`` more."""
    found: list[QModelIndex] = []
    bottom = view.viewport().height()
    index = view.indexAt(QPoint(1, 1))
    extra = ahead
    while index.isValid() and len(found) < MAX_ROWS:
        if view.visualRect(index).top() >= bottom:
            if extra <= 0:
                break
            extra -= 1
        found.append(index.siblingAtColumn(0))
        index = view.indexBelow(index) if isinstance(view, QTreeView) \
            else index.siblingAtRow(index.row() + 1)
    return found


class PreviewLines(QObject):
    """Owns the View > Preview Lines action: the setting, the views' two-line rows, and
    one FetchPreviews per account and folder for the visible rows without a line."""

    def __init__(self, directory: AccountDirectory, lists: MessageLists, action: QAction,
                 settings: WindowSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._directory = directory
        self._lists = lists
        self._settings = settings
        self._asked: set[tuple[str, str, int]] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.request_visible)
        for view in lists.views():
            view.verticalScrollBar().valueChanged.connect(self._soon)
            model = view.model()
            model.rowsInserted.connect(self._rows_added)
            model.modelReset.connect(self._soon)
            model.layoutChanged.connect(self._soon)
        lists.currentChanged.connect(self._soon)
        self._shown = False
        action.setChecked(settings.preview_lines())
        action.toggled.connect(self.set_shown)
        self.set_shown(action.isChecked())

    def set_shown(self, shown: bool) -> None:
        self._shown = shown
        self._settings.set_preview_lines(shown)
        self._lists.set_preview_lines(shown)
        self._soon()

    def _soon(self, *_args: object) -> None:
        if self._shown:
            self._timer.start()

    def _rows_added(self, _parent: QModelIndex, first: int, last: int) -> None:
        """The first rows of an empty list are asked for at once, not after the list
        settles: during a first sync the worker then answers at the pause right after
        that chunk, instead of after the next one (bench_previews, mid-sync)."""
        if self._shown and first == 0 and self.sender() is self._lists.active().model() \
                and self._lists.active().model().rowCount() == last + 1:
            self._timer.stop()
            self.request_visible()
        else:
            self._soon()

    def request_visible(self) -> None:
        """Ask for the preview lines of the rows on screen that have none yet, then
        (a second request, answered after the first) of the rows just below."""
        if not self._shown:
            return
        if len(self._asked) > MAX_ASKED:
            self._asked.clear()
        view = self._lists.active()
        rows = visible_indexes(view, AHEAD_ROWS)
        bottom = view.viewport().height()
        on_screen = sum(1 for index in rows if view.visualRect(index).top() < bottom)
        self._ask(rows[:on_screen])
        self._ask(rows[on_screen:])

    def _ask(self, rows: list[QModelIndex]) -> None:
        wanted: dict[tuple[str, str], list[int]] = {}
        for index in rows:
            summary = index.data(Role.SUMMARY)
            ref = index.data(Role.MESSAGE_REF)
            if not isinstance(summary, MessageSummary) or summary.preview is not None \
                    or not isinstance(ref, MessageRef):
                continue
            key = (ref.account, ref.folder, ref.uid)
            if key not in self._asked:
                self._asked.add(key)
                wanted.setdefault((ref.account, ref.folder), []).append(ref.uid)
        for (account, folder), uids in wanted.items():
            client = self._directory.client(account)
            if client is not None:
                client.fetch_previews(folder, uids)
