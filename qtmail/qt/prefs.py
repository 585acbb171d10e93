"""The window's per-account preferences: their keys and defaults, in one place.

What the engine uses lives in ``AccountSettings``; these only change what the window
does (remote content, notifications, threading, the undo-send delay). They are stored
per account in the window's QSettings (WindowSettings.preferences, read through
AccountPreferences) under these keys: persisted, never rename one. The settings dialog
edits them; nothing here imports Qt.
"""

from __future__ import annotations

from collections.abc import Mapping

PREF_REMOTE_CONTENT = "remote_content"
"""``REMOTE_BLOCK`` or ``REMOTE_KNOWN_SENDERS``."""
PREF_NOTIFICATIONS = "notifications"
"""bool: a desktop notification when new mail arrives in this account."""
PREF_THREADING = "threading"
"""bool: new folders show conversations (threads) by default."""
PREF_UNDO_SEND = "undo_send_seconds"
"""int as text: seconds a sent message waits in the Outbox for "Undo" (0: none)."""
DEFAULT_UNDO_SEND_SECONDS = 5
PREF_MARK_READ = "mark_read_ms"
"""int as text: milliseconds a message is shown before it is marked read; 0 at once, -1
never. One value for all accounts: kept in WindowSettings, not per account."""
REMOTE_BLOCK = "block"
REMOTE_KNOWN_SENDERS = "known_senders"

DEFAULT_PREFERENCES: Mapping[str, object] = {
    PREF_REMOTE_CONTENT: REMOTE_BLOCK,
    PREF_NOTIFICATIONS: True,
    PREF_THREADING: False,
    PREF_UNDO_SEND: str(DEFAULT_UNDO_SEND_SECONDS),
}
