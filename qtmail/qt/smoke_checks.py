"""The Qt half of `qtmail --smoke`: wait for a painted window, then check fonts."""

from __future__ import annotations

import sys
import time
from typing import Protocol

from PySide6.QtCore import QEvent, QLibraryInfo, QObject, QTimer, QTranslator, Slot
from PySide6.QtGui import QFontDatabase, QFontInfo, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from qtmail.resources import APP_ID, data_dir

ANY_WINDOW_AFTER_S = 3.0
"""Accept a window that is not a QMainWindow (a first-run dialog) after this long."""


class Report(Protocol):
    def add(self, status: str, name: str, detail: str) -> None: ...

    @property
    def ok(self) -> bool: ...


def ensure_app() -> QApplication:
    """The QApplication the app will use: run_gui() takes the existing instance."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    return QApplication(sys.argv[:1])


class WindowCheck(QObject):
    """Waits for the main window's first paint, checks, exits.

    Armed before the app's own start-up code runs; fires inside its event loop, so
    the window checked is the one a user would see. Exits the event loop with 0/1.
    """

    def __init__(self, report: Report, started: float) -> None:
        super().__init__()
        self._report = report
        self._started = started
        self._armed_at = 0.0
        self._window: QWidget | None = None
        self.finished = False
        self._poll = QTimer(self)
        self._poll.setInterval(10)
        self._poll.timeout.connect(self._look)

    def arm(self) -> None:
        """Start looking; needs the QApplication, which app.run_gui() then reuses."""
        self._armed_at = time.perf_counter()
        app = QApplication.instance()
        assert app is not None
        # Every paint of the app passes here: the main window's first one is caught as
        # it happens (polling for the window first missed it and waited for a second).
        app.installEventFilter(self)
        self._poll.start()

    @Slot()
    def _look(self) -> None:
        """A first-run dialog without a main window: accepted after ANY_WINDOW_AFTER_S."""
        if self._window is not None or time.perf_counter() - self._armed_at < ANY_WINDOW_AFTER_S:
            return
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        if shown:
            self._window = shown[0]
            self._window.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Paint or self.finished:
            return False
        if (self._window is None and isinstance(watched, QMainWindow)
                and watched.isVisible()) or watched is self._window:
            assert isinstance(watched, QWidget)
            self._window = watched
            self.finished = True
            self._poll.stop()
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            # Paint first, check afterwards: the event is delivered unchanged.
            QTimer.singleShot(0, self._check)
        return False

    @Slot()
    def _check(self) -> None:
        window = self._window
        assert window is not None
        ms = (time.perf_counter() - self._started) * 1000
        # bench/bench_start.py times the process up to this exact line.
        print(f"smoke: painted {type(window).__name__} \"{window.windowTitle()}\" "
              f"{window.width()}x{window.height()} after {ms:.0f} ms", flush=True)
        self._report.add("PASS", "window", f"{type(window).__name__} painted on "
                         f"{QGuiApplication.platformName()}")
        check_fonts(self._report)
        check_qt_catalogs(self._report)
        name = QGuiApplication.desktopFileName()
        if name == APP_ID:
            self._report.add("PASS", "desktop file name", name)
        else:
            self._report.add("WARN", "desktop file name",
                             f"{name!r}, expected {APP_ID!r} (QGuiApplication.setDesktopFileName)")
        # Queued: what the app does after its first paint (the first-run dialog) starts
        # first, and the exit ends its loop as a user's Cancel would.
        QTimer.singleShot(0, self._exit)

    @Slot()
    def _exit(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.exit(0 if self._report.ok else 1)
            # A nested loop (a modal first-run dialog) may return into app.exec():
            # keep asking until the main loop is gone too.
            QTimer.singleShot(100, self._exit)


def check_qt_catalogs(report: Report) -> None:
    """Qt's own strings (dialog buttons, text field menus) are translated for every
    language qtmail ships: the bundle keeps only those catalogs (packaging/qtmail.spec)."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    languages = sorted(str(entry.name)[len("qtmail_"):-len(".qm")]
                       for entry in data_dir().joinpath("i18n").iterdir()
                       if str(entry.name).startswith("qtmail_")
                       and str(entry.name).endswith(".qm"))
    missing = [language for language in languages if language != "en"
               and not QTranslator().load(f"qtbase_{language}", folder)]
    if missing:
        report.add("FAIL", "Qt catalogs", f"qtbase_{missing[0]}.qm not found in {folder}: "
                   "Qt's buttons would stay in English")
    else:
        report.add("PASS", "Qt catalogs", f"qtbase for {', '.join(languages)}")


def check_fonts(report: Report) -> None:
    """Text renders as glyphs, not boxes: a font is found and has Latin letters."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font = app.font()
    metrics = QFontMetrics(font)
    family = QFontInfo(font).family()
    families = len(QFontDatabase.families())
    if metrics.inFont("A") and metrics.horizontalAdvance("Aa") > 0 and families:
        report.add("PASS", "fonts", f"{family!r} renders Latin text ({families} families)")
    else:
        report.add("FAIL", "fonts", f"{family!r} has no glyph for 'A' ({families} families): "
                   "text would render as boxes (install fonts-dejavu-core)")
    if not QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
        report.add("WARN", "CJK fonts", "no font for Chinese/Japanese/Korean text "
                   "(fonts-noto-cjk is recommended)")

