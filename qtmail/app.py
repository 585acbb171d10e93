"""GUI wiring: QApplication, profile, window. The main window comes with the window issue."""

from __future__ import annotations

import sys

from qtmail.profile import Profile


def run_gui(profile: Profile) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("qtmail")
    window = QMainWindow()
    window.setWindowTitle("qtmail")
    label = QLabel(
        "qtmail's window is being built. Use the command line for now: qtmail --help")
    label.setMargin(24)
    window.setCentralWidget(label)
    window.resize(720, 200)
    window.show()
    return int(app.exec())
