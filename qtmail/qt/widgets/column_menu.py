"""The message lists' columns, chosen and ordered by the user (issue 14): the header's
menu on the right mouse button lists every column but Subject with a check mark, and
sections are dragged to a new place. Thunderbird's column picker, on Qt's own header
(its state, hidden sections and order included, is what the window saves)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtWidgets import QHeaderView, QMenu

from qtmail.qt.models.columns import DEFAULT_HIDDEN, Column

WIDTHS = {Column.SENDER: 170, Column.DATE: 110, Column.SIZE: 70, Column.FOLDER: 120,
          Column.TO: 170, Column.CC: 150, Column.ACCOUNT: 110, Column.ATTACHMENTS: 32,
          Column.FLAGS: 56}
"""Starting widths in pixels; Subject takes the rest."""
_KNOWN = frozenset(int(column) for column in Column)


def set_up_columns(header: QHeaderView) -> QMenu:
    """Default widths and hidden columns, movable sections, and the choosing menu
    (objectName "columnMenu")."""
    header.setSectionsMovable(True)
    header.setSectionResizeMode(Column.SUBJECT, QHeaderView.ResizeMode.Stretch)
    for column, width in WIDTHS.items():
        header.resizeSection(column, width)
    for column in DEFAULT_HIDDEN:
        header.setSectionHidden(column, True)
    menu = QMenu(header)
    menu.setObjectName("columnMenu")
    menu.aboutToShow.connect(partial(_fill, menu, header))
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    header.customContextMenuRequested.connect(
        lambda pos: menu.popup(header.mapToGlobal(QPoint(pos))))
    return menu


def _fill(menu: QMenu, header: QHeaderView) -> None:
    """One checkable entry per column, in the order the header shows them."""
    menu.clear()
    model = header.model()
    shown = [header.logicalIndex(visual) for visual in range(header.count())]
    for column in shown:
        if column == Column.SUBJECT or column not in _KNOWN:
            continue
        title = model.headerData(column, Qt.Orientation.Horizontal) if model else None
        action = menu.addAction(str(title or ""))
        action.setCheckable(True)
        action.setChecked(not header.isSectionHidden(column))
        action.setData(column)
        action.toggled.connect(partial(_toggle, header, column))
    menu.addSeparator()
    reset = menu.addAction(QCoreApplication.translate("MessageList", "Restore Default Columns"))
    reset.triggered.connect(partial(restore_defaults, header))


SUBJECT_MIN = 220
"""Pixels the Subject column keeps when another column is shown, as far as the other
columns can give way (seen under Xvfb: Recipients and Flags shown in a 600 px list
left Subject 25 px wide)."""
MIN_WIDTHS = {Column.SENDER: 90, Column.DATE: 70, Column.SIZE: 50, Column.FOLDER: 70,
              Column.TO: 80, Column.CC: 80, Column.ACCOUNT: 70, Column.ATTACHMENTS: 28,
              Column.FLAGS: 40}
"""How far a column gives way to Subject."""


def _toggle(header: QHeaderView, column: int, shown: bool) -> None:
    header.setSectionHidden(column, not shown)
    if shown:
        header.resizeSection(column, WIDTHS.get(Column(column), 100))
        make_room_for_subject(header)


def make_room_for_subject(header: QHeaderView) -> None:
    """Narrow the other shown columns, each down to its minimum at most, in proportion
    to what they can give, until Subject has SUBJECT_MIN pixels."""
    others = [Column(c) for c in range(header.count()) if c != Column.SUBJECT
              and c in _KNOWN and not header.isSectionHidden(c)]
    used = sum(header.sectionSize(c) for c in others)
    missing = SUBJECT_MIN - (header.viewport().width() - used)
    slack = {c: max(0, header.sectionSize(c) - MIN_WIDTHS.get(c, 40)) for c in others}
    total = sum(slack.values())
    if missing <= 0 or total <= 0:
        return
    share = min(1.0, missing / total)
    for c in others:
        header.resizeSection(c, header.sectionSize(c) - round(slack[c] * share))


def restore_defaults(header: QHeaderView) -> None:
    """Every column in its first place, the defaults shown."""
    for column in Column:
        visual = header.visualIndex(column)
        if visual != column:
            header.moveSection(visual, column)
        header.setSectionHidden(column, column in DEFAULT_HIDDEN)
