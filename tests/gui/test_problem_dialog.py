"""ProblemDialog redacts secrets; the excepthook opens it for bugs only, from any thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread, QTimer
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from qtmail.core.errors import AuthError
from qtmail.log import FORMAT, RingBuffer
from qtmail.qt.excepthook import ExceptionHandler, install_excepthook
from qtmail.qt.widgets.problem_dialog import ProblemDialog

SECRET = "hunter2-very-secret"
SHOWN = "This plugin does not support propagateSizeHints"
"""The offscreen platform says so whenever a dialog is shown."""


def failing_login() -> None:
    raise ValueError(f"login refused: password={SECRET}")


def caught() -> BaseException:
    try:
        failing_login()
    except ValueError as exc:
        return exc
    raise AssertionError("unreachable")


@pytest.fixture
def ring() -> Iterator[RingBuffer]:
    buffer = RingBuffer()
    buffer.setFormatter(logging.Formatter(FORMAT))
    logger = logging.getLogger("qtmail.test.problem")
    logger.addHandler(buffer)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.info("sent LOGIN alice %s", SECRET)
    # Tracebacks reach the ring unredacted: only the message passes the filter.
    logger.error("it failed", exc_info=caught())
    root = logging.getLogger()
    root.addHandler(buffer)
    yield buffer
    root.removeHandler(buffer)
    logger.removeHandler(buffer)


@pytest.fixture
def handler(ring: RingBuffer, qtbot: QtBot) -> Iterator[ExceptionHandler]:
    hook = install_excepthook(ring, lambda: None)
    yield hook
    hook.uninstall()
    if hook.dialog is not None:
        hook.dialog.close()


def test_the_report_redacts_passwords_in_traceback_and_log(qtbot: QtBot,
                                                           ring: RingBuffer) -> None:
    assert SECRET in ring.tail()  # the traceback line in the ring still holds it
    dialog = ProblemDialog(caught(), ring.tail())
    qtbot.addWidget(dialog)
    report = dialog.report()
    assert SECRET not in report
    assert "<redacted>" in report
    assert "failing_login" in report  # the traceback is there
    assert "Recent log:" in report and "it failed" in report
    assert "not something you did" in dialog.sentence.text()
    assert dialog.details.isHidden()
    dialog.details_button.click()
    assert not dialog.details.isHidden()


def test_copy_to_clipboard(qtbot: QtBot, ring: RingBuffer) -> None:
    dialog = ProblemDialog(caught(), ring.tail())
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied == dialog.report()
    assert SECRET not in copied


@pytest.mark.qt_no_exception_capture
@pytest.mark.qt_log_ignore(SHOWN)
def test_a_bug_on_the_gui_thread_opens_the_dialog(qtbot: QtBot,
                                                  handler: ExceptionHandler) -> None:
    with qtbot.waitSignal(handler.problem, timeout=5_000):
        QTimer.singleShot(0, failing_login)
    qtbot.waitUntil(lambda: handler.dialog is not None)
    assert handler.dialog is not None
    assert "failing_login" in handler.dialog.report()
    assert SECRET not in handler.dialog.report()
    # a second bug while it is open is added to the same dialog
    first = handler.dialog
    with qtbot.waitSignal(handler.problem, timeout=5_000):
        QTimer.singleShot(0, failing_login)
    qtbot.waitUntil(lambda: not first.more_label.isHidden())
    assert handler.dialog is first
    assert "1 more times" in first.more_label.text()


@pytest.mark.qt_log_ignore(SHOWN)
def test_a_bug_in_a_python_thread_opens_the_dialog_on_the_gui_thread(
        qtbot: QtBot, handler: ExceptionHandler) -> None:
    thread = threading.Thread(target=failing_login, name="bad-worker")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: handler.dialog is not None)
    assert handler.dialog is not None
    assert handler.dialog.thread() is QGuiApplication.instance().thread()  # type: ignore[union-attr]
    assert SECRET not in handler.dialog.report()


@pytest.mark.qt_no_exception_capture
def test_known_errors_never_open_the_dialog(qtbot: QtBot, handler: ExceptionHandler) -> None:
    def refuse() -> None:
        raise AuthError("The server did not accept the user name or password.")

    with qtbot.waitSignal(handler.known_error, timeout=5_000) as blocker:
        QTimer.singleShot(0, refuse)
    assert isinstance(blocker.args[0], AuthError)
    # from a Python thread it arrives on the GUI thread: a lambda connected to it is safe
    on_gui_thread: list[bool] = []
    handler.known_error.connect(
        lambda _error: on_gui_thread.append(QThread.currentThread() is gui_thread))
    gui_thread = QGuiApplication.instance().thread()  # type: ignore[union-attr]
    thread = threading.Thread(target=refuse)
    with qtbot.waitSignal(handler.known_error, timeout=5_000):
        thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(on_gui_thread) == 1)
    assert on_gui_thread == [True]
    assert handler.dialog is None


def test_uninstall_puts_the_old_hooks_back(ring: RingBuffer, qtbot: QtBot) -> None:
    import sys

    before_sys, before_threading = sys.excepthook, threading.excepthook
    hook = install_excepthook(ring, lambda: None)
    assert sys.excepthook == hook.handle
    hook.uninstall()
    assert sys.excepthook is before_sys
    assert threading.excepthook is before_threading
