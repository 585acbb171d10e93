"""The layout signals' overload that carries a LayoutChangeHint (issue 18).

PySide6 connects and emits the bare ``layoutChanged()`` unless the overload with the
parents and the hint is picked by its C++ signature; its stubs do not know that a
signal can be indexed.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QAbstractItemModel, SignalInstance

ROWS_ONLY = QAbstractItemModel.LayoutChangeHint.VerticalSortHint
"""Rows moved (and came), the columns did not: a column header keeps its sections as
they are, where without a hint it resizes each one (and the view repaints it all)."""
_SIGNATURE = ("QList<QPersistentModelIndex>", "QAbstractItemModel::LayoutChangeHint")


def hinted(signal: SignalInstance) -> SignalInstance:
    """``layoutAboutToBeChanged`` or ``layoutChanged`` with (parents, hint)."""
    return cast(SignalInstance, signal[_SIGNATURE])  # type: ignore[index]
