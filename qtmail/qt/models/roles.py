"""Custom item data roles: the contract between the models and views, proxies, delegates.

Values may be stored by views (sort/filter settings), so never renumber a role: append.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QByteArray, Qt

_USER = Qt.ItemDataRole.UserRole.value


class Role(IntEnum):
    ACCOUNT = _USER + 1  # str: the account name (folders and messages). Never renumber.
    FOLDER = _USER + 2  # str: the folder's full path; "" on an account node. Never renumber.
    FOLDER_ROLE = _USER + 3  # core.types.FolderRole of a folder node. Never renumber.
    NODE_KIND = _USER + 4  # NodeKind of a folder-tree node. Never renumber.
    UNREAD_COUNT = _USER + 5  # int: unread messages in the folder (cached). Never renumber.
    TOTAL_COUNT = _USER + 6  # int: messages in the folder (cached). Never renumber.
    SELECTABLE = _USER + 7  # bool: the folder can hold messages (not \Noselect). Never renumber.
    SUBFOLDER_UNREAD = _USER + 8  # int: unread in all its subfolders. Never renumber.
    UID = _USER + 20  # int: the message's UID in its folder. Never renumber.
    FLAGS = _USER + 21  # frozenset[str]: the message's IMAP flags. Never renumber.
    UNREAD = _USER + 22  # bool: no \Seen flag. Never renumber.
    HAS_ATTACHMENT = _USER + 23  # bool: the message has an attachment. Never renumber.
    MESSAGE_REF = _USER + 24  # core.types.MessageRef of the row. Never renumber.
    SUMMARY = _USER + 25  # core.types.MessageSummary of the row. Never renumber.
    SORT_KEY = _USER + 26  # the column's raw value (epoch, bytes, text). Never renumber.
    FLAGGED = _USER + 27  # bool: \Flagged (starred). Never renumber.
    FROM_SERVER = _USER + 28  # bool: a search hit only the server found. Never renumber.
    SAVED_SEARCH = _USER + 29  # str: a saved search node's name (folder tree). Never renumber.
    PREVIEW = _USER + 30  # str | None: the body's first words (None: not made yet). Never renumber.


class NodeKind(IntEnum):
    ACCOUNT = 1  # an account's top node. Never renumber.
    FOLDER = 2  # a folder the server listed. Never renumber.
    PLACEHOLDER = 3  # a parent the server did not list (e.g. "a" of "a/b"). Never renumber.
    UNIFIED = 4  # "All Inboxes" on top when there are several accounts. Never renumber.
    SAVED_SEARCH = 5  # a saved search, after the account's folders. Never renumber.


ROLE_NAMES: dict[int, QByteArray] = {
    role.value: QByteArray(role.name.lower().encode()) for role in Role}
"""For roleNames(): QML and model testers see names, not numbers."""
