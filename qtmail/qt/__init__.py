"""The Qt front end: the only package that imports PySide6 (ARCHITECTURE.md 1)."""

from qtmail.qt.refcount_guard import immortalize_singletons

# Before any Qt call made through this package: PySide6 6.12.0 on CPython 3.11 drops
# references to None/True/False it never took (see refcount_guard).
immortalize_singletons()
