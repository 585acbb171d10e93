"""The Qt front end: the only package that imports PySide6 (ARCHITECTURE.md 1)."""
