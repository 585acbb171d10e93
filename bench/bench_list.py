"""Print how fast the message list shows a 100,000-message cached folder (not a test).

Run: PYTHONPATH=. QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_list.py [--messages N]

Figures: time to first rows (open the read-only Store, set the folder, rowCount, data()
of the first 50 rows, a QTableView painted with grab()), the memory that added, and a
scroll from top to bottom in screen-sized steps (each step painted). No server: the
store is filled directly with generated summaries, as a finished first sync leaves it.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import MESSAGES, add_all, make_summaries
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView

from qtmail.core.types import FolderInfo, FolderRole, FolderSyncState
from qtmail.qt.models.messages import MessageListModel
from qtmail.store import Store

FOLDER = "INBOX"
SCROLL_STEPS = 300


def rss_mb() -> float:
    """Resident set size now (Linux /proc), in MB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def fill(path: Path, count: int = MESSAGES) -> None:
    started = time.perf_counter()
    with Store.open(path) as store:
        store.save_folders([FolderInfo(FOLDER, FOLDER.encode(), "/", role=FolderRole.INBOX)])
        store.set_folder_state(FOLDER, FolderSyncState(uidvalidity=1, uidnext=count + 1))
        for start in range(0, count, 100_000):  # the summaries of 100,000 at a time
            add_all(store, [replace(s, uid=s.uid + start, internaldate=s.internaldate + start * 60)
                            for s in make_summaries(min(100_000, count - start))])
    elapsed = time.perf_counter() - started
    print(f"{'fill the store (not part of the figures)':<44} {elapsed:8.2f} s")


def python_memory(path: Path) -> int:
    """Python bytes a second model holds after showing its first rows (tracemalloc
    slows Python down several times, so it is kept out of the timed run)."""
    tracemalloc.start()
    reader = Store.open(path, readonly=True)
    model = MessageListModel()
    model.set_folder(reader, "bench", FOLDER)
    for row in range(50):
        model.index(row, 0).data()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    model.set_folder(None, "", "")
    reader.close()
    return held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=MESSAGES)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cache.sqlite3"
        fill(path, args.messages)
        gc.collect()
        view = QTableView()
        view.resize(1200, 800)
        # As the message list will be: no row numbers, fixed row heights (no per-row
        # size hints over 100,000 rows).
        view.verticalHeader().hide()
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.grab()  # fonts, style and the paint engine are ready before timing
        rss_before = rss_mb()

        started = time.perf_counter()
        reader = Store.open(path, readonly=True)
        model = MessageListModel()
        model.set_folder(reader, "bench", FOLDER)
        view.setModel(model)
        rows = model.rowCount()
        first = [[model.index(row, column).data() for column in range(model.columnCount())]
                 for row in range(50)]
        view.grab()
        first_rows = time.perf_counter() - started

        rss_added = rss_mb() - rss_before
        python_bytes = python_memory(path)
        assert rows == args.messages and first[0][1], first[0]
        print(f"{'time to first rows (50 rows, painted)':<44} {first_rows * 1000:8.1f} ms")
        print(f"{'memory added: RSS':<44} {rss_added:8.1f} MB")
        print(f"{'memory added: Python objects (tracemalloc)':<44} "
              f"{python_bytes / 1e6:8.2f} MB")

        bar = view.verticalScrollBar()
        steps: list[float] = []
        for step in range(SCROLL_STEPS + 1):
            value = bar.maximum() * step // SCROLL_STEPS
            tick = time.perf_counter()
            bar.setValue(value)
            view.grab()
            steps.append(time.perf_counter() - tick)
        bottom = view.indexAt(view.viewport().rect().bottomLeft()).row()
        print(f"{'scroll top to bottom':<44} {sum(steps):8.2f} s in {SCROLL_STEPS} painted "
              f"steps (median {statistics.median(steps) * 1000:.1f} ms, "
              f"max {max(steps) * 1000:.1f} ms; last row on screen {bottom})")
        # Reading down the list a screen at a time, deep in it (the rows near the end
        # of a big folder are the slowest to reach).
        pages: list[float] = []
        bar.setValue(bar.maximum() * 9 // 10)
        view.grab()
        for _ in range(30):
            tick = time.perf_counter()
            bar.setValue(bar.value() + bar.pageStep())
            view.grab()
            pages.append(time.perf_counter() - tick)
        print(f"{'page down, 30 screens at 90% depth':<44} median "
              f"{statistics.median(pages) * 1000:.1f} ms, max {max(pages) * 1000:.1f} ms")
        print(f"{'rows held by the model at the end':<44} "
              f"{sum(len(page) for _number, page in model._pages.items()):8d}")
        print(f"{'RSS at the end, added':<44} {rss_mb() - rss_before:8.1f} MB")
        view.setModel(None)  # type: ignore[arg-type]
        reader.close()
    del app


if __name__ == "__main__":
    main()
