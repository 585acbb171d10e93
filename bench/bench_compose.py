"""Opening a composer on a big cache: the address-completion query (newest 2,000 rows of
100,000, counted, most frequent first) and the whole ComposerWindow construction, both
on the GUI thread.

    .venv/bin/python bench/bench_compose.py [messages]
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication

from qtmail.accounts.identity import Identity
from qtmail.core.types import Address, FolderInfo, FolderRole, FolderSyncState, MessageSummary
from qtmail.qt.composer.window import ComposerWindow
from qtmail.store import Store
from qtmail.store.addresses import known_addresses


def fill(store: Store, count: int) -> None:
    rng = random.Random(7)
    people = [Address(f"Person {n}", f"p{n}@example.org") for n in range(3000)]
    store.save_folders([FolderInfo(name="INBOX", wire=b"INBOX", delimiter="/",
                                   attributes=frozenset(), role=FolderRole.INBOX)])
    store.set_folder_state("INBOX", FolderSyncState(uidvalidity=1, uidnext=count + 1))
    batch: list[MessageSummary] = []
    for uid in range(1, count + 1):
        # Zipf-like: a few correspondents write most of the mail.
        sender = people[min(int(rng.paretovariate(1.2)) - 1, len(people) - 1)]
        batch.append(MessageSummary(
            uid=uid, flags=frozenset(), internaldate=1_700_000_000 + uid, size=2000,
            date=1_700_000_000 + uid, subject=f"Message {uid}", sender=sender,
            to=(Address("Me", "me@example.org"),),
            cc=tuple(rng.sample(people, rng.randint(0, 3)))))
        if len(batch) == 5000:
            store.add_summaries("INBOX", batch)
            batch = []
    if batch:
        store.add_summaries("INBOX", batch)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cache.sqlite3"
        writer = Store.open(path)
        start = time.perf_counter()
        fill(writer, count)
        print(f"cache: {count} messages written in {time.perf_counter() - start:.1f} s")
        reader = Store.open(path, readonly=True)
        query: list[float] = []
        found = []
        for _ in range(10):
            start = time.perf_counter()
            found = known_addresses(reader)
            query.append((time.perf_counter() - start) * 1000)
        print(f"known_addresses: {len(found)} addresses; median {statistics.median(query):.1f} ms,"
              f" max {max(query):.1f} ms (10 runs)")
        print(f"  most frequent: {found[0].address.display()} x{found[0].count}")
        known = [k.address.display() for k in found]
        identity = Identity("work", Address("Me", "me@example.org"), "Me")
        opening: list[float] = []
        for _ in range(10):
            start = time.perf_counter()
            window = ComposerWindow([identity], lambda _a, _c: None, known=known)
            window.show()
            app.processEvents()
            opening.append((time.perf_counter() - start) * 1000)
            window._finish()
            window.close()
            app.processEvents()
        print(f"ComposerWindow open + first paint: median {statistics.median(opening):.1f} ms,"
              f" max {max(opening):.1f} ms (10 runs)")
        reader.close()
        writer.close()


if __name__ == "__main__":
    main()
