"""scripts/demo --screenshot: wait until the window shows mail and a message, grab it, quit."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

TIMEOUT_S = 60.0


def grab_when_ready(gui: Any, target: Path) -> None:
    window = gui.window
    started = time.monotonic()
    state = {"clicked": False, "shown": False, "settle": 0}
    window.reading.shown.connect(lambda ref: state.update(shown=True))
    timer = QTimer(window)

    def poll() -> None:
        rows = window.message_list.proxy.rowCount()
        late = time.monotonic() - started > TIMEOUT_S
        if rows and not state["clicked"]:
            window.message_list.select_row(min(2, rows - 1))
            window.message_list.setFocus()
            state["clicked"] = True
        synced = window.status.state_text("Demo") == QCoreApplication.translate(
            "AccountStatusBar", "Connected")
        if not late and not (state["shown"] and synced):
            return
        state["settle"] += 1
        if state["settle"] < 4 and not late:  # a few more paints after the last change
            return
        timer.stop()
        target.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(target))
        print(f"screenshot: rows={rows} shown={state['shown']} title={window.windowTitle()!r} "
              f"path={target}", flush=True)
        window.close()
        QApplication.instance().exit(0 if rows and state["shown"] else 1)  # type: ignore[union-attr]

    timer.timeout.connect(poll)
    timer.start(250)
