"""The message list: a QTableView over MessageSortProxy, with a delegate for presentation.

A QTableView, not a QTreeView: the tree view lays out an item per row (asking the
model about every one of a folder's rows when it opens, bench/bench_window.py); the
table view only ever asks about the rows on screen.

The delegate, not the model, decides how a row looks (STYLE.md "Qt"): unread rows
bold, dates as Thunderbird shows them (today: the time; this week: the weekday;
older: the date), sizes in the user's locale, star and attachment indicators.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from qtmail.core import yielding
from qtmail.core.types import ANSWERED, FLAGGED, FORWARDED, MessageRef, MessageSummary
from qtmail.qt.dragdrop import (
    MessageExport,
    MessageMimeData,
    exec_message_drag,
    refs_mime,
)
from qtmail.qt.models.columns import (
    PLACE_COLUMNS,
    Column,
    addresses_text,
    flags_text,
    recipients_text,
    short_date_text,
    short_size_text,
)
from qtmail.qt.models.messages import MessageListModel
from qtmail.qt.models.roles import Role
from qtmail.qt.widgets.column_menu import set_up_columns
from qtmail.qt.widgets.icons import attachment_icon, status_icon
from qtmail.qt.widgets.message_sort import MessageSortProxy, SourceModel

Index = QModelIndex | QPersistentModelIndex

_TEXT = QStyleOptionViewItem.ViewItemFeature.HasDisplay
_TEXT_AND_ICON = _TEXT | QStyleOptionViewItem.ViewItemFeature.HasDecoration
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def shows_recipients(model: object) -> bool:
    """Whether the message model under ``model`` (through its proxies) is of Sent or
    Drafts."""
    for _depth in range(4):
        if isinstance(model, MessageListModel):
            return model.shows_recipients
        source = getattr(model, "sourceModel", None)
        if source is None:
            return False
        model = source()
    return False


class MessageDelegate(QStyledItemDelegate):
    """Presentation of one cell; reads the row's MessageSummary (Role.SUMMARY).

    With ``preview_lines`` (issue 14) each row is two lines high: the cells' text on
    the first, and under the subject the first words of the body in the palette's
    placeholder colour (made by qtmail.mime.preview, asked for by
    qt/controllers/previews.py for the rows on screen only)."""

    preview_lines = False

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pass: dict[int, MessageSummary | None] | None = None
        """Row -> summary during one paint pass of a MessageListView (None: no pass)."""
        self._shared: dict[str, Any] = {}
        """What every cell of the pass shares, made by its first cell (empty: no pass)."""
        self._texts = _CellTexts()

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        summary = index.data(Role.SUMMARY)
        if not isinstance(summary, MessageSummary):
            return
        if summary.unread:
            font = QFont(option.font)
            font.setBold(True)
            option.font = font
        column = index.column()
        locale = QLocale()
        if column == Column.DATE:
            option.text = short_date_text(summary.date or summary.internaldate, locale)
        elif column == Column.SIZE:
            option.text = short_size_text(summary.size, locale)
            option.displayAlignment = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        elif column == Column.SENDER:
            option.text = self._correspondent(summary, shows_recipients(index.model()))
            _set_status(option, summary)
            option.features |= QStyleOptionViewItem.ViewItemFeature.HasDecoration
        elif column == Column.SUBJECT:
            if not summary.subject:
                option.text = self.tr("(no subject)")
            if summary.has_attachment:
                option.icon = attachment_icon()
                option.features |= QStyleOptionViewItem.ViewItemFeature.HasDecoration
                option.decorationPosition = QStyleOptionViewItem.Position.Right
        if self.preview_lines:
            option.displayAlignment = _top_aligned(option.displayAlignment)
            option.decorationAlignment = _top_aligned(option.decorationAlignment)

    # -- painting: one summary lookup per row, no role queries (issue 4) -------------------
    # QStyledItemDelegate.paint asks the model for ~8 roles per cell, each a Python call
    # through the proxy into the model; while a sync runs on the worker thread every one
    # of them waits for the GIL (a 30-row screen took 50-130 ms). Over a MessageSortProxy
    # the cell is filled here from the row's MessageSummary, read once per row and paint.
    #
    # Issue 18 (goal 5): every Qt call a cell makes from Python lets the GIL go, and
    # getting it back waits behind the workers (30 rows painted in 5 ms alone, 90-110 ms
    # beside three busy Python threads, 17-31 ms so since). So what is the same for
    # every cell of a pass (the bold font, the status gutter's size, the style, whether
    # the model marks server hits) is made once per pass, and the date and size columns'
    # texts (several Qt calls each) are kept by value (_CellTexts).
    def begin_pass(self) -> None:
        self._pass = {}
        self._shared = {}

    def end_pass(self) -> None:
        self._pass = None
        self._shared = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model = index.model()
        if not isinstance(model, MessageSortProxy):
            super().paint(painter, option, index)
            if self.preview_lines and index.column() == Column.SUBJECT:
                found = index.data(Role.SUMMARY)
                if isinstance(found, MessageSummary):
                    self._paint_preview(painter, option, found)
            return
        row = index.row()
        cache = self._pass
        if cache is None:
            summary = model.summary(row)
        elif row in cache:
            summary = cache[row]
        else:
            summary = cache[row] = model.summary(row)
        opt = QStyleOptionViewItem(option)
        shared = self._shared if self._pass is not None else {}
        column = index.column()
        if summary is not None:
            self._fill(opt, column, summary,
                       column == Column.SENDER and shows_recipients(model), shared)
            if column in PLACE_COLUMNS:  # where the row lives: only its model knows
                opt.text = str(index.data() or "")
            marks = shared.get("marks")
            if marks is None:
                marks = shared["marks"] = bool(getattr(model.sourceModel(), "MARKS_SERVER",
                                                       False))
            if marks:
                self._mark_search_row(opt, index)
        drawn = shared.get("style")
        if drawn is None:
            widget = option.widget
            drawn = shared["style"] = (
                widget.style() if widget is not None else QApplication.style(), widget)
        drawn[0].drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, drawn[1])
        if self.preview_lines and summary is not None and column == Column.SUBJECT:
            self._paint_preview(painter, option, summary)

    @staticmethod
    def _paint_preview(painter: QPainter, option: QStyleOptionViewItem,
                       summary: MessageSummary) -> None:
        """The second line under the subject: the body's first words, elided."""
        text = summary.preview
        if not text:
            return
        metrics = option.fontMetrics
        rect = option.rect.adjusted(PREVIEW_MARGIN, metrics.height() + 2 * PREVIEW_MARGIN,
                                    -PREVIEW_MARGIN, -PREVIEW_MARGIN)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected \
            else QPalette.ColorRole.PlaceholderText
        painter.save()
        painter.setFont(option.font)
        painter.setPen(option.palette.color(role))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                         metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width()))
        painter.restore()

    def _correspondent(self, summary: MessageSummary, recipients: bool) -> str:
        """The From column's text; in Sent and Drafts (titled "To") the recipients, as
        the model's display text is."""
        if recipients:
            return recipients_text(summary)
        address = summary.sender
        return address.name or address.addr or self.tr("(no sender)")

    def _fill(self, option: QStyleOptionViewItem, column: int, summary: MessageSummary,
              recipients: bool = False, shared: dict[str, Any] | None = None) -> None:
        """What initStyleOption gives a cell, from the summary alone (the model serves
        no font, color, alignment or decoration roles; the delegate decides them)."""
        # Enum arithmetic is slow in PySide6: one "|" per cell, with constants.
        decorated = False
        shared = {} if shared is None else shared
        if summary.unread:
            bold = shared.get("bold")
            if bold is None:
                bold = shared["bold"] = QFont(option.font)
                bold.setBold(True)
            option.font = bold
        if column == Column.DATE:
            option.text = self._texts.date(summary.date or summary.internaldate)
        elif column == Column.SIZE:
            option.text = self._texts.size(summary.size)
            option.displayAlignment = _RIGHT
        elif column == Column.SENDER:
            option.text = self._correspondent(summary, recipients)
            gutter = shared.get("gutter")
            if gutter is None:
                gutter = shared["gutter"] = _gutter_size(option)
            _set_status(option, summary, gutter)
            decorated = True
        elif column == Column.SUBJECT:
            option.text = summary.subject or self.tr("(no subject)")
            if summary.has_attachment:
                option.icon = attachment_icon()
                decorated = True
                option.decorationPosition = QStyleOptionViewItem.Position.Right
        elif column == Column.TO or column == Column.CC:
            option.text = addresses_text(summary.to if column == Column.TO else summary.cc)
        elif column == Column.ATTACHMENTS:
            option.text = ""
            if summary.has_attachment:
                option.icon = attachment_icon()
                decorated = True
        elif column == Column.FLAGS:
            option.text = flags_text(summary)
        option.features |= _TEXT_AND_ICON if decorated else _TEXT
        if self.preview_lines:
            option.displayAlignment = _top_aligned(option.displayAlignment)
            option.decorationAlignment = _top_aligned(option.decorationAlignment)

    @staticmethod
    def _mark_search_row(option: QStyleOptionViewItem, index: Index) -> None:
        """Search results (issue 7): hits only the server found are in italics, so the
        user sees what the cache alone missed."""
        if index.data(Role.FROM_SERVER):
            font = QFont(option.font)
            font.setItalic(True)
            option.font = font

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        # Fixed rows: never measure a cell (that would read rows for nothing).
        return QSize(100, row_height(option.fontMetrics.height(), self.preview_lines))


def _set_status(option: QStyleOptionViewItem, summary: MessageSummary,
                gutter: QSize | None = None) -> None:
    """The correspondent cell's leading gutter: the star and the replied or forwarded
    mark (icons.status_icon), two icon widths wide on every row (``gutter``: that size,
    when the caller has it already)."""
    flags = summary.flags
    option.icon = status_icon(FLAGGED in flags, ANSWERED in flags, FORWARDED in flags)
    option.decorationSize = gutter if gutter is not None else _gutter_size(option)


def _gutter_size(option: QStyleOptionViewItem) -> QSize:
    height = option.decorationSize.height()
    return QSize(2 * height, height)


class _CellTexts:
    """The list's date and size texts by value (short_date_text, short_size_text: a
    handful of Qt calls each), in the default locale (set once at start-up). The dates
    are forgotten at local midnight, when "today" and "this week" move on."""

    LIMIT = 20_000

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._dates: dict[int, str] = {}
        self._sizes: dict[int, str] = {}
        self._until = 0.0

    def date(self, epoch: int) -> str:
        if self._clock() >= self._until:
            self._dates.clear()
            today = datetime.datetime.fromtimestamp(self._clock()).date()
            tomorrow = today + datetime.timedelta(days=1)
            self._until = datetime.datetime.combine(tomorrow, datetime.time()).timestamp()
        text = self._dates.get(epoch)
        return text if text is not None else self._keep(self._dates, epoch, short_date_text)

    def size(self, size: int) -> str:
        text = self._sizes.get(size)
        return text if text is not None else self._keep(self._sizes, size, short_size_text)

    def _keep(self, kept: dict[int, str], value: int,
              make: Callable[[int, QLocale], str]) -> str:
        if len(kept) >= self.LIMIT:
            kept.clear()
        text = kept[value] = make(value, QLocale())
        return text


PREVIEW_MARGIN = 3
"""Pixels around the preview line (the style's own cell margin is about as much)."""


def row_height(line: int, preview_lines: bool) -> int:
    """A row's height for a font ``line`` pixels high: one line, or two with previews."""
    return 2 * line + 3 * PREVIEW_MARGIN + 2 if preview_lines else line + 8


def _top_aligned(alignment: Qt.AlignmentFlag) -> Qt.AlignmentFlag:
    """The same horizontal alignment, on the first of the row's two lines."""
    return (alignment & Qt.AlignmentFlag.AlignHorizontal_Mask) | Qt.AlignmentFlag.AlignTop


class MessageListView(QTableView):
    """objectName "messageList". Signals: ``current_message(MessageRef | None)`` when the
    current row changes; ``sort_changed(column, order)``."""

    current_message = Signal(object)
    sort_changed = Signal(int, Qt.SortOrder)

    def __init__(self, model: SourceModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageList")
        self.setAccessibleName(self.tr("Messages"))
        self.source = model
        self.proxy = MessageSortProxy(self)
        if isinstance(model, MessageListModel):
            # Before the proxy's own handler: deselect while the proxy still maps the rows.
            model.rows_leaving.connect(self._deselect_leaving)
        self.proxy.setSourceModel(model)
        self.setModel(self.proxy)
        self._delegate = MessageDelegate(self)
        self.setItemDelegate(self._delegate)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setCornerButtonEnabled(False)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(row_height(self.fontMetrics().height(), False))
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setIconSize(QSize(16, 16))
        # Always there: a scroll bar appearing with the first rows narrows the viewport,
        # the subject column follows and Qt paints the list a second time at once (a
        # 30-80 ms stall while a first sync starts, issue 4); the columns do not jump.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        self.column_menu = set_up_columns(header)  # issue 14: chosen and ordered
        header.setSortIndicator(Column.DATE, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self._sort)
        self.proxy.sort_refused.connect(self._sort_refused)
        selection = self.selectionModel()
        # What the reading pane shows: the current row only while it is highlighted
        # (issue 13); a mouse click moves the current row before it selects it.
        selection.currentRowChanged.connect(self._follow)
        selection.selectionChanged.connect(self._follow)
        self.followed: MessageRef | None = None  # the current row while highlighted
        self._setup_drag()
        self._setup_quiet_inserts()

    # -- rows added out of sight (issue 4) ------------------------------------------------------
    # A first sync adds older messages below the rows on screen, chunk after chunk. Qt
    # answers every change of the row count by repainting the whole viewport
    # (QTableView.rowCountChanged, or the relayout of QAbstractItemView.doItemsLayout):
    # 20-70 ms of cell painting per chunk for rows that did not change, the longest
    # stalls of the window during a sync. Rows inserted below a full viewport, with no
    # structural change pending, only reach the scroll bar; so do rows a layout change
    # adds (All Inboxes: new rows at many places) when the rows on screen stay where they
    # were. Changes of data, selection and size repaint what they touch by themselves
    # (not through these two paths).
    _quiet_inserts = False
    _structure_changed = False
    """Rows removed or moved, a new order or model: the next layout must be full."""

    def _setup_quiet_inserts(self) -> None:
        self._on_screen: list[QPersistentModelIndex] = []
        """During a layout change: the rows that were on screen, from ``_on_screen_top``."""
        self._on_screen_top = 0
        proxy = self.proxy
        proxy.rowsAboutToBeInserted.connect(self._rows_coming)
        for signal in (proxy.rowsAboutToBeRemoved, proxy.rowsAboutToBeMoved,
                       proxy.modelAboutToBeReset):
            signal.connect(self._structure_changing)
        proxy.layoutAboutToBeChanged.connect(self._layout_changing)
        proxy.layoutChanged.connect(self._layout_changed)
        # The hidden row header tells the view of a new row count; QTableView is its
        # only listener (qtableview.cpp, setVerticalHeader).
        rows = self.verticalHeader()
        rows.sectionCountChanged.disconnect()
        rows.sectionCountChanged.connect(self._row_count_changed)

    def _rows_coming(self, parent: QModelIndex, first: int, last: int) -> None:
        bottom = self.rowAt(self.viewport().height() - 1)
        if bottom >= 0 and first > bottom and self.isVisible() \
                and not self._structure_changed:
            self._quiet_inserts = True
        else:
            self._structure_changing()

    def _structure_changing(self, *args: object) -> None:
        self._structure_changed = True
        self._quiet_inserts = False

    def _layout_changing(self, *_args: object) -> None:
        top = self.rowAt(0)
        bottom = self.rowAt(self.viewport().height() - 1)
        if top < 0 or bottom < 0 or not self.isVisible() or self._structure_changed:
            self._structure_changing()  # rows coming into a viewport not full, say
            return
        self._on_screen_top = top
        self._on_screen = [QPersistentModelIndex(self.proxy.index(row, 0))
                           for row in range(top, bottom + 1)]

    def _layout_settled(self) -> None:
        """Within a layout change, once the model has moved its persistent indexes (the
        row header's count changes first, then layoutChanged comes): quiet if the rows
        on screen are still where they were."""
        on_screen, self._on_screen = self._on_screen, []
        if on_screen and all(index.row() == row
                             for row, index in enumerate(on_screen, self._on_screen_top)):
            self._quiet_inserts = True
        elif on_screen:
            self._structure_changing()

    def _layout_changed(self, *_args: object) -> None:
        self._layout_settled()

    def _row_count_changed(self, old: int, new: int) -> None:
        self._layout_settled()
        if self._quiet_inserts:
            self.updateGeometries()  # the scroll bar's range; nothing visible moved
            return
        self._structure_changed = False
        self.rowCountChanged(old, new)

    def doItemsLayout(self) -> None:
        quiet = self._quiet_inserts and not self._structure_changed
        self._quiet_inserts = self._structure_changed = False
        if quiet:
            self.updateGeometries()
            return
        super().doItemsLayout()

    def paintEvent(self, event: QPaintEvent) -> None:
        # Painted: whatever layout a quiet insert could still cause would be a full one.
        self._quiet_inserts = False
        self._delegate.begin_pass()
        try:
            with yielding.busy():
                super().paintEvent(event)
        finally:
            self._delegate.end_pass()

    # -- sorting ---------------------------------------------------------------------------
    def header(self) -> QHeaderView:
        """The column header (QTreeView's name, kept for callers)."""
        return self.horizontalHeader()

    def sort_by(self, column: int, order: Qt.SortOrder) -> None:
        self.horizontalHeader().setSortIndicator(column, order)

    def _sort(self, column: int, order: Qt.SortOrder) -> None:
        self.proxy.sort(column, order)
        if (self.proxy.sort_column, self.proxy.sort_order) == (column, order):
            self.sort_changed.emit(column, order)
        else:
            self._sort_refused(column)  # e.g. search results' Folder: no sort key

    def _sort_refused(self, column: int) -> None:
        header = self.horizontalHeader()
        blocked = header.blockSignals(True)
        header.setSortIndicator(self.proxy.sort_column, self.proxy.sort_order)
        header.blockSignals(blocked)

    # -- current and selection -----------------------------------------------------------
    def _follow(self, *_args: object) -> None:
        """Emit ``current_message`` for the current row if it is highlighted, else None:
        Qt makes the first row current when the list gets the keyboard focus, which
        must not open (and mark read) a message the user never chose."""
        current = self.currentIndex()
        shown = self.ref_at(current) if current.isValid() and self.selectionModel() \
            .isRowSelected(current.row(), current.parent()) else None
        if shown != self.followed:
            self.followed = shown
            self.current_message.emit(shown)

    def ref_at(self, index: QModelIndex) -> MessageRef | None:
        if not index.isValid():
            return None
        ref = index.data(Role.MESSAGE_REF)
        return ref if isinstance(ref, MessageRef) else None

    def selected_summaries(self) -> list[MessageSummary]:
        rows = sorted({index.row() for index in self.selectionModel().selectedRows()})
        if not rows and self.currentIndex().isValid():
            rows = [self.currentIndex().row()]
        found = [self.proxy.index(row, 0).data(Role.SUMMARY) for row in rows]
        return [s for s in found if isinstance(s, MessageSummary)]

    def _deselect_leaving(self, source_rows: list[int]) -> None:
        """Rows about to leave (a move, a delete): out of the selection in one step,
        before the model removes them one run at a time."""
        if len(source_rows) < 2:
            return
        proxy = self.proxy
        rows = sorted(proxy.proxy_rows(source_rows))
        selection = self.selectionModel()
        if self._selected_rows() <= set(rows):
            selection.clearSelection()  # the usual case: the selection is what leaves
            return
        leaving = QItemSelection()
        last_column = proxy.columnCount() - 1
        start = previous = -2
        for row in [*rows, -2]:
            if row != previous + 1:
                if start >= 0:
                    leaving.select(proxy.index(start, 0), proxy.index(previous, last_column))
                start = row
            previous = row
        if leaving.count():
            selection.select(leaving, QItemSelectionModel.SelectionFlag.Deselect)

    def select_row(self, row: int) -> bool:
        index = self.proxy.index(row, 0)
        if not index.isValid():
            return False
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect \
            | QItemSelectionModel.SelectionFlag.Rows
        self.selectionModel().setCurrentIndex(index, flags)
        self.scrollTo(index)
        return True

    def step(self, delta: int) -> bool:
        current = self.currentIndex()
        row = current.row() + delta if current.isValid() else 0
        return self.select_row(max(0, min(row, self.proxy.rowCount() - 1)))

    def next_unread(self) -> bool:
        """The next unread row below the current one (within the rows read so far)."""
        start = self.currentIndex().row() + 1
        for row in range(max(start, 0), self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(Role.UNREAD):
                return self.select_row(row)
        return False

    def moveCursor(self, cursorAction: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Home and End go to the first and the last message, as in every mail client
        (a table's go to the first and last cell of the row, invisible with whole rows
        selected); the column stays."""
        action = QAbstractItemView.CursorAction
        if cursorAction in (action.MoveHome, action.MoveEnd) and self.proxy.rowCount():
            row = 0 if cursorAction == action.MoveHome else self.proxy.rowCount() - 1
            return self.proxy.index(row, max(self.currentIndex().column(), 0))
        return super().moveCursor(cursorAction, modifiers)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Return opens nothing more than the view already shows; keep it from editing.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    # -- drag and drop (issue 5) ------------------------------------------------------------
    drag_export: MessageExport | None = None
    """Where dragged-out .eml files come from; set by the window."""

    def _setup_drag(self) -> None:
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)

    def _selected_rows(self) -> set[int]:
        """From the selection's ranges (selectedRows() asks the model about each cell)."""
        rows: set[int] = set()
        selection = self.selectionModel().selection()
        for number in range(selection.size()):
            selected = selection.at(number)
            rows.update(range(selected.top(), selected.bottom() + 1))
        return rows

    def drag_mime(self) -> MessageMimeData | None:
        """The selected messages, read by row from the selection's ranges: asking
        selectedRows() and two roles per row is slow for a thousand rows (issue 5,
        bench/bench_drag.py)."""
        rows = self._selected_rows()
        proxy = self.proxy
        source = proxy.source()
        found: list[tuple[MessageRef, str]] = []
        for row in sorted(rows):
            source_row = proxy.mapToSource(proxy.index(row, 0)).row()
            summary = source.summary(source_row)
            ref = source.ref(source_row) if summary is not None else None
            if ref is not None and summary is not None:
                found.append((ref, summary.subject))
        return refs_mime(found, self.drag_export)

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        """The selected rows as message refs (+ .eml files on demand)."""
        mime = self.drag_mime()
        if mime is not None:
            exec_message_drag(self, mime)
