"""The local cache (SQLite): the only package that imports sqlite3 (ARCHITECTURE.md 3)."""

from qtmail.store.folders import FolderExists, FolderNotFound
from qtmail.store.pending import PendingRow
from qtmail.store.schema import SCHEMA_VERSION
from qtmail.store.store import Store

__all__ = ["SCHEMA_VERSION", "FolderExists", "FolderNotFound", "PendingRow", "Store"]
