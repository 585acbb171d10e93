"""Unhandled exceptions: bugs open the problem dialog, known errors never do.

``sys.excepthook`` catches what escapes a slot or event handler on the GUI thread;
``threading.excepthook`` catches Python threads. Both hand the exception to one
``ExceptionHandler`` whose ``problem`` signal is queued to the GUI thread when it is
emitted elsewhere, so the dialog is always made on the GUI thread. KnownErrors belong
in the status bar (ARCHITECTURE.md, "Errors"): they go out through ``known_error``.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from qtmail.core.errors import KnownError
from qtmail.log import RingBuffer
from qtmail.qt.widgets.problem_dialog import ProblemDialog

log = logging.getLogger(__name__)

ParentGetter = Callable[[], QWidget | None]


class ExceptionHandler(QObject):
    """Receives unhandled exceptions from any thread.

    Signals, always emitted on the GUI thread (a lambda connected to them is safe):
    ``problem(BaseException)`` once a bug has been shown in the problem dialog;
    ``known_error(KnownError)`` for an explainable error that escaped, for the status bar.
    """

    problem = Signal(object)
    known_error = Signal(object)
    _bug = Signal(object)
    _known = Signal(object)

    def __init__(self, ring: RingBuffer, parent_getter: ParentGetter) -> None:
        super().__init__()
        self._ring = ring
        self._parent_getter = parent_getter
        self.dialog: ProblemDialog | None = None
        """The open problem dialog, if any (one at a time; later bugs are added to it)."""
        self._previous_sys = sys.excepthook
        self._previous_threading = threading.excepthook
        # Queued when emitted from another thread: the slots run on the GUI thread.
        self._bug.connect(self._show)
        self._known.connect(self.known_error)

    def install(self) -> None:
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def uninstall(self) -> None:
        """Put back the hooks that were there before ``install()``."""
        if sys.excepthook == self.handle:
            sys.excepthook = self._previous_sys
        if threading.excepthook == self._handle_thread:
            threading.excepthook = self._previous_threading

    def handle(self, exc_type: type[BaseException], exc: BaseException,
               tb: TracebackType | None) -> None:
        """``sys.excepthook``'s signature; safe to call from any thread."""
        if issubclass(exc_type, KeyboardInterrupt | SystemExit):
            self._previous_sys(exc_type, exc, tb)
            return
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        if isinstance(exc, KnownError):
            # Not a bug: a sentence for the status bar, never the problem dialog.
            log.warning("unhandled known error %s: %s", exc_type.__name__, exc.detail or exc)
            self._known.emit(exc)
            return
        log.error("unhandled exception", exc_info=(exc_type, exc, tb))
        self._bug.emit(exc)

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "?"
        log.debug("exception in thread %s", name)
        self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    @Slot(object)
    def _show(self, error: BaseException) -> None:
        try:
            if self.dialog is not None:
                self.dialog.add_problem(error)
            else:
                dialog = ProblemDialog(error, self._ring.tail(), self._parent_getter())
                dialog.finished.connect(self._dialog_closed)
                self.dialog = dialog
                dialog.show()
        except Exception:  # a bug in the bug report: never recurse into the hook
            log.exception("the problem dialog could not be shown")
        self.problem.emit(error)

    @Slot()
    def _dialog_closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None


def install_excepthook(ring: RingBuffer, parent_getter: ParentGetter) -> ExceptionHandler:
    """Route unhandled exceptions to the problem dialog; keep the returned handler alive.

    Call on the GUI thread after the QApplication exists.
    """
    handler = ExceptionHandler(ring, parent_getter)
    handler.install()
    return handler
