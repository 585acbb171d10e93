"""Print timings of the store on a 100,000-message folder (a benchmark, not a test).

Run: PYTHONPATH=. .venv/bin/python bench/bench_store.py

Targets (issue): add_summaries of 100,000 in chunks of 2,000 < 1.5 s in total;
summaries(limit=100) < 10 ms; uids() < 50 ms. Wall-clock figures swing widely on a
shared machine, so the bulk cases also print the process's CPU time.
"""

from __future__ import annotations

import gc
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qtmail.core.types import SEEN, Address, FolderInfo, MessageSummary
from qtmail.store import Store

MESSAGES = 100_000
CHUNK = 2_000


def make_summaries(count: int) -> list[MessageSummary]:
    seen = frozenset({SEEN})
    unseen: frozenset[str] = frozenset()
    return [
        MessageSummary(
            uid=uid, flags=seen if uid % 3 else unseen, internaldate=1_600_000_000 + uid * 60,
            size=2_000 + uid % 50_000, date=1_600_000_000 + uid * 60,
            subject=f"Re: quarterly report number {uid} for the team",
            sender=Address("Alice Example", f"alice{uid % 500}@example.org"),
            to=(Address("Bob", "bob@example.org"), Address("", "team@example.org")),
            cc=() if uid % 4 else (Address("Carol", "carol@example.org"),),
            message_id=f"<{uid}.{uid * 7}@mail.example.org>",
            in_reply_to=f"<{uid - 1}.{(uid - 1) * 7}@mail.example.org>",
            references=(f"<{uid - 2}@mail.example.org>", f"<{uid - 1}@mail.example.org>"),
            has_attachment=uid % 10 == 0, modseq=uid * 3,
        )
        for uid in range(1, count + 1)
    ]


def timed(label: str, func: Callable[[], object], repeat: int = 5) -> None:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    print(f"{label:<52} median {statistics.median(times) * 1000:9.2f} ms"
          f"   min {min(times) * 1000:9.2f} ms")


def bulk(label: str, func: Callable[[], object]) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    print(f"{label:<52} total  {(time.perf_counter() - wall) * 1000:9.2f} ms"
          f"   cpu {(time.process_time() - cpu) * 1000:9.2f} ms")


def add_all(store: Store, summaries: list[MessageSummary]) -> None:
    for i in range(0, len(summaries), CHUNK):
        store.add_summaries("INBOX", summaries[i:i + CHUNK])


def main() -> None:
    summaries = make_summaries(MESSAGES)
    # The engine holds one chunk at a time; this fixture holds 100,000 summaries, which
    # every full garbage collection would rescan. Take them out of the collector's view.
    gc.freeze()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cache.sqlite"
        store = Store.open(path)
        try:
            store.save_folders([FolderInfo("INBOX", b"INBOX", "/")])
            bulk("add_summaries 100,000 in chunks of 2,000",
                 lambda: add_all(store, summaries))
            bulk("add_summaries again (all replaced)", lambda: add_all(store, summaries))
            timed("uids()", lambda: store.uids("INBOX"))
            timed("summaries(limit=100), newest first", lambda: store.summaries("INBOX"))
            timed("summaries(offset=50,000, limit=100)",
                  lambda: store.summaries("INBOX", offset=50_000))
            timed("summaries(offset=99,900, limit=100, oldest first)",
                  lambda: store.summaries("INBOX", offset=99_900, newest_first=False))
            timed("counts()", lambda: store.counts("INBOX"))
            timed("all_counts()", store.all_counts)
            timed("message_count()", lambda: store.message_count("INBOX"))
            timed("flags_map()", lambda: store.flags_map("INBOX"), repeat=3)
            flip = {uid: frozenset() for uid in range(1, 10_001)}
            timed("set_flags() on 10,000 (first run changes them)",
                  lambda: store.set_flags("INBOX", flip), repeat=1)
            timed("set_flags() on 10,000 (no change)", lambda: store.set_flags("INBOX", flip))
            body = b"x" * 50_000

            def put_bodies() -> None:
                with store.transaction():
                    for uid in range(1, 2_001):
                        store.put_body("INBOX", uid, body)

            bulk("put_body 2,000 x 50 kB in one transaction", put_bodies)
            timed("body() (with LRU touch)", lambda: store.body("INBOX", 1_000))
            timed("body_bytes()", store.body_bytes)
            bulk("evict_bodies(50 MB) from 100 MB", lambda: store.evict_bodies(50_000_000))
            bulk("remove_messages 10,000",
                 lambda: store.remove_messages("INBOX", range(1, 10_001)))
            bulk("reset_folder (drops 90,000)", lambda: store.reset_folder("INBOX", 7))
            add_all(store, summaries)
        finally:
            store.close()
        print(f"{'file size':<52} {path.stat().st_size / 1e6:9.1f} MB")
        bulk("open (quick_check) + close, 100,000 messages", lambda: Store.open(path).close())
        writer = Store.open(path)
        reader = Store.open(path, readonly=True)
        try:
            timed("reader: summaries(limit=100)", lambda: reader.summaries("INBOX"))
            timed("reader: uids()", lambda: reader.uids("INBOX"))
        finally:
            reader.close()
            writer.close()


if __name__ == "__main__":
    main()
