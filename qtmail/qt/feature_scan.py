"""Make PySide6's look at every imported module cheap (start-up time, issue 18).

PySide6 replaces ``__import__`` to serve ``from __feature__ import snake_case``; after
each import it asks ``shibokensupport.feature._mod_uses_pyside(module)`` whether the
module's source mentions "PySide6", and answers with ``inspect.getsource``, which
tokenizes each file into ``linecache`` (and keeps it there). Over the ~330 modules
imported on the way to the window's first rows that took 35-45 ms of CPU. The same
question is answered here from the file's bytes; whatever that cannot read (a module
without a .py file, as in the PyInstaller bundle) still goes to PySide's own answer.
qtmail never uses ``__feature__``: the answer only files the module under "no feature"
or "ignored", both of which leave it as it is.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

_installed = False


def install() -> None:
    """Idempotent; does nothing on a PySide6 without this hook (it may change)."""
    global _installed
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if _installed or feature is None or not callable(original):
        return
    feature._mod_uses_pyside = _reading_bytes(original)  # type: ignore[attr-defined]
    _installed = True


def _reading_bytes(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return original(module)
    return mod_uses_pyside
