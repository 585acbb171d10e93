"""The window's remembered state: QSettings as an INI file in the profile's config dir.

qt-headless.md: QStandardPaths and platformdirs disagree, so the file's path comes
from the Profile (``profile.settings_file``) and is handed in, never looked up.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

from PySide6.QtCore import QByteArray, QSettings, Qt

from qtmail.qt.appearance import Appearance

LAYOUT_RIGHT = "right"
LAYOUT_BELOW = "below"
DEFAULT_MARK_READ_MS = 2000
"""Shown this long before marked read: flicking past with J/K marks nothing (issue 13)."""
"""Thunderbird's default: a message shown for a second counts as read."""


class WindowSettings:
    """Typed access to the keys the main window keeps. Keys are persisted: never rename."""

    def __init__(self, path: Path) -> None:
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def path(self) -> str:
        return self._settings.fileName()

    def sync(self) -> None:
        self._settings.sync()

    # -- raw Qt state blobs ----------------------------------------------------------------
    def _bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def set_geometry(self, value: QByteArray) -> None:
        self._settings.setValue("window/geometry", value)

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def set_window_state(self, value: QByteArray) -> None:
        self._settings.setValue("window/state", value)

    def splitter(self, name: str) -> QByteArray | None:
        return self._bytes(f"splitter/{name}")

    def set_splitter(self, name: str, value: QByteArray) -> None:
        self._settings.setValue(f"splitter/{name}", value)

    def header(self) -> QByteArray | None:
        """The message list header: column widths and order."""
        return self._bytes("messageList/header")

    def set_header(self, value: QByteArray, columns: int = 0) -> None:
        """``columns``: how many columns the list had (the header's state cannot say
        which of them were added since it was saved)."""
        self._settings.setValue("messageList/header", value)
        self._settings.setValue("messageList/headerColumns", columns)

    def header_columns(self) -> int:
        """How many columns the saved header knew of (4 before issue 14's columns)."""
        return _int(self._settings.value("messageList/headerColumns"), 4)

    # -- plain values ------------------------------------------------------------------------
    def sort(self) -> tuple[int, Qt.SortOrder]:
        column = _int(self._settings.value("messageList/sortColumn"), 2)
        order = _int(self._settings.value("messageList/sortOrder"),
                     Qt.SortOrder.DescendingOrder.value)
        return column, Qt.SortOrder(order if order in (0, 1) else 1)

    def set_sort(self, column: int, order: Qt.SortOrder) -> None:
        self._settings.setValue("messageList/sortColumn", column)
        self._settings.setValue("messageList/sortOrder", order.value)

    def layout(self) -> str:
        value = self._settings.value("window/layout", LAYOUT_RIGHT)
        return value if value in (LAYOUT_RIGHT, LAYOUT_BELOW) else LAYOUT_RIGHT

    def set_layout(self, value: str) -> None:
        self._settings.setValue("window/layout", value)

    def appearance(self) -> Appearance:
        """View > Appearance (issue 14): follow the system unless the user chose."""
        value = self._settings.value("window/appearance", Appearance.SYSTEM.value)
        try:
            return Appearance(value)
        except ValueError:
            return Appearance.SYSTEM

    def set_appearance(self, choice: Appearance) -> None:
        self._settings.setValue("window/appearance", choice.value)

    def reading_pane(self) -> bool:
        """View > Reading Pane (issue 14's "list only" layout when off)."""
        return _bool(self._settings.value("window/readingPane", True))

    def set_reading_pane(self, shown: bool) -> None:
        self._settings.setValue("window/readingPane", shown)

    def preview_lines(self) -> bool:
        """View > Preview Lines (issue 14); off as in Thunderbird's table view."""
        return _bool(self._settings.value("messageList/previewLines", False))

    def set_preview_lines(self, shown: bool) -> None:
        self._settings.setValue("messageList/previewLines", shown)

    def mark_read_delay_ms(self) -> int:
        """-1: never mark read on open; 0: at once."""
        return _int(self._settings.value("reading/markReadDelayMs"), DEFAULT_MARK_READ_MS)

    def set_mark_read_delay_ms(self, value: int) -> None:
        self._settings.setValue("reading/markReadDelayMs", value)

    def expanded(self) -> set[str] | None:
        """Expanded folder-tree nodes as "account\\x1ffolder"; None before the first save."""
        if not self._settings.contains("folderTree/expanded"):
            return None
        return set(_strings(self._settings.value("folderTree/expanded")))

    def set_expanded(self, keys: set[str]) -> None:
        self._settings.setValue("folderTree/expanded", sorted(keys))

    def last_folder(self) -> tuple[str, str] | None:
        value = _strings(self._settings.value("folderTree/current"))
        return (value[0], value[1]) if len(value) == 2 else None

    def set_last_folder(self, account: str, folder: str) -> None:
        self._settings.setValue("folderTree/current", [account, folder])

    def search_scope(self) -> str:
        """Where the search field searches (qtmail.qt.search_scope.SearchScope value)."""
        value = self._settings.value("search/scope", "")
        return value if isinstance(value, str) else ""

    def set_search_scope(self, value: str) -> None:
        self._settings.setValue("search/scope", value)

    # -- per account and per folder (keys persisted: never rename) -------------------------
    def preferences(self, account: str, defaults: Mapping[str, object]) -> dict[str, object]:
        """The account's window preferences (SettingsDialog.result_preferences() keys),
        ``defaults`` for those never saved; booleans come back as bool."""
        result = dict(defaults)
        for key, default in defaults.items():
            value = self._settings.value(f"{_group(account)}/preferences/{key}")
            if value is None:
                continue
            result[key] = _bool(value) if isinstance(default, bool) else str(value)
        return result

    def set_preferences(self, account: str, values: Mapping[str, object]) -> None:
        for key, value in values.items():
            self._settings.setValue(f"{_group(account)}/preferences/{key}", value)

    def remote_allowed(self, account: str) -> list[str]:
        """Senders whose remote content the user always loads ("always for this sender")."""
        return _strings(self._settings.value(f"{_group(account)}/remoteAllowed"))

    def set_remote_allowed(self, account: str, addresses: list[str]) -> None:
        self._settings.setValue(f"{_group(account)}/remoteAllowed", list(addresses))

    def threaded(self, account: str, folder: str) -> bool | None:
        """Whether the folder is shown as threads; None: never chosen (the account's
        threading preference decides)."""
        value = self._settings.value(f"{_group(account)}/threaded/{_key(folder)}")
        return None if value is None else _bool(value)

    def set_threaded(self, account: str, folder: str, threaded: bool) -> None:
        self._settings.setValue(f"{_group(account)}/threaded/{_key(folder)}", threaded)

    def folders_renamed(self, account: str, renamed: Mapping[str, str]) -> None:
        """The choices remembered for folders (flat or threads) follow them to their new
        names: ``renamed`` maps old to new (FolderTreeModel.folders_renaming). All read
        first: a new name may be another folder's old one."""
        keys = {old: f"{_group(account)}/threaded/{_key(old)}" for old in renamed}
        kept = {old: self._settings.value(key) for old, key in keys.items()}
        for key in keys.values():
            self._settings.remove(key)
        for old, value in kept.items():
            if value is not None:
                self._settings.setValue(
                    f"{_group(account)}/threaded/{_key(renamed[old])}", value)

    def saved_searches(self, account: str) -> list[tuple[str, str]]:
        """The account's saved searches (issue 7) as (name, query), in the order saved."""
        found = []
        for item in _strings(self._settings.value(f"{_group(account)}/savedSearches")):
            name, sep, query = item.partition("\x1f")
            if sep and name and query:
                found.append((name, query))
        return found

    def set_saved_searches(self, account: str, searches: list[tuple[str, str]]) -> None:
        # Unit separator: never typed in a name or a query (the search field is one line).
        self._settings.setValue(f"{_group(account)}/savedSearches",
                                [f"{name}\x1f{query}" for name, query in searches])


def _group(account: str) -> str:
    return "accounts/" + _key(account)


def _key(name: str) -> str:
    """An account or folder name as one settings key segment ("/" would nest groups)."""
    return quote(name, safe="")


def _bool(value: object) -> bool:
    """INI booleans come back as "true"/"false" strings."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _int(value: object, default: int) -> int:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return default


def _strings(value: object) -> list[str]:
    """INI lists come back as a list, a single str, or None."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return []
