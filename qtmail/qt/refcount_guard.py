"""Work around a reference-count bug of PySide6 6.12.0 on CPython 3.11.

Found while benchmarking the main window: each call of a C++ method returning void
(``QTimer.start``, ``QCoreApplication.processEvents``, ``QObject.setObjectName``...)
drops a reference to ``None`` it never took, and True/False suffer likewise; after a
few thousand such calls CPython aborts with "none_dealloc: deallocating None".
CPython 3.12 made these singletons immortal (PEP 683), which hides the bug there.
This gives them the same immortality on 3.11: a huge reference count that no number
of stray decrements can exhaust. Remove once a fixed PySide6 is required.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 60
_done = False


def immortalize_singletons() -> None:
    """Idempotent; call once before the first Qt call (app.py, benches, tests)."""
    global _done
    if _done or sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount"):
        return  # 3.12+: immortal already; a debug build has another object layout
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every PyObject (Include/object.h).
        ctypes.c_ssize_t.from_address(id(singleton)).value += _HEADROOM
    _done = True
