"""The Qt front end: the only package that imports PySide6 (ARCHITECTURE.md 1).

Where things are (issue 12):

- app wiring: ``widgets/main_window.py`` (layout, window state, connections only),
  ``widgets/window_menus.py`` (menus and toolbar), ``widgets/actions.py`` (QActions)
- accounts: ``accounts.py`` AccountDirectory (EngineClients, read-only Stores, the event
  fan-in, peers for transfers); ``bridge.py`` EngineClient (one account's worker, GUI
  side); ``worker*.py``, ``peers.py``, ``side_bodies.py``, ``push.py``, ``pacing.py``
  (the worker thread: the ``scheduler`` branch moves its logic to qtmail/sync/)
- behaviour: ``controllers/`` (commands, undo, drops, drag export, search, compose,
  reading, folders), each given the directory and its widgets
- models: ``models/columns.py`` (columns, titles, date/size text, summary -> roles),
  ``models/messages.py`` (a folder), ``unified.py`` (All Inboxes), ``search_results.py``,
  ``threads.py``, ``folders.py``/``folder_drops.py`` (the folder tree), ``pages.py``
- preferences: ``prefs.py`` (per-account keys and defaults), ``account_prefs.py``
  (reading them), ``settings.py`` (the window's QSettings)
- drag and drop: ``dragdrop.py`` (MIME, .eml folder), the payload in
  qtmail/core/drag_payload.py, what a drop means in qtmail/sync/drop_rules.py
- HTML: ``safe_browser.py`` (QTextBrowser that loads nothing), ``remote_loader.py``;
  Qt-free parts in qtmail/mime/prepared_html.py, qtmail/net/remote_guard.py and
  qtmail/accounts/remote_policy.py
"""

import PySide6.QtCore  # noqa: F401  (installs the import hook feature_scan speeds up)

from qtmail.qt import feature_scan
from qtmail.qt.refcount_guard import immortalize_singletons

# Before any Qt call made through this package: PySide6 6.12.0 on CPython 3.11 drops
# references to None/True/False it never took (see refcount_guard).
immortalize_singletons()
# Before this package's modules are imported: each would be read whole (feature_scan).
feature_scan.install()
