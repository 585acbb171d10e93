"""Print search timings on 100,000 cached headers, the index's size, and its cost to a
first sync (issue 7; a benchmark, not a test).

Run: PYTHONPATH=. .venv/bin/python bench/bench_search.py

Goals: each search < 100 ms; indexing adds < 20% to add_summaries of 100,000 (the
store half of a first sync), in chunks of 2,000 as the sync writes them.

Figures of 28 Nov 2026 (shared machine, noisy): searches 1-90 ms; the index is ~2x the
rest of the cache; indexing adds ~250% to add_summaries and ~50% to bench_sync's whole
first sync (20,000 messages: 2.05 s -> 3.08 s). The goal is missed: the FTS5 trigram
insert alone costs about as much as the rest of the row write (an FTS5 table with no
other work: 2.0 s per 100,000 rows). The fix proposed (issue 7): index the first sync's
rows after it, in idle-time chunks (each its own transaction), behind a watermark that
search falls back to LIKE for; incremental syncs keep indexing in their own transaction.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qtmail.core.types import FLAGGED, SEEN, Address, FolderInfo, MessageSummary
from qtmail.store import Store

MESSAGES = 100_000
CHUNK = 2_000
WORDS = ("report", "meeting", "invoice", "project", "update", "review", "budget", "lunch",
         "team", "release", "server", "backup", "Rechnung", "Besprechung", "Straßenbahn",
         "Grüße", "会議", "資料", "東京", "予定", "café", "résumé", "naïve", "deadline",
         "travel", "contract", "offer", "holiday", "party", "notes")
NAMES = ("Alice Example", "Bob Builder", "Jürgen Müller", "Chloé Dubois", "山田太郎",
         "Carol Smith", "Dan Brown", "Eve Adams")


def make_summaries(count: int, seed: int = 7) -> list[MessageSummary]:
    rng = random.Random(seed)
    out = []
    for uid in range(1, count + 1):
        name = NAMES[uid % len(NAMES)]
        subject = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8)))
        if uid % 10_000 == 0:
            subject += " xylophone"  # the rare word: 10 messages
        flags = set()
        if uid % 3:
            flags.add(SEEN)
        if uid % 17 == 0:
            flags.add(FLAGGED)
        out.append(MessageSummary(
            uid=uid, flags=frozenset(flags), internaldate=1_600_000_000 + uid * 600,
            size=2_000 + (uid * 7919) % 3_000_000, date=1_600_000_000 + uid * 600,
            subject=subject, sender=Address(name, f"user{uid % 700}@example.org"),
            to=(Address("Bob", "bob@example.org"), Address("", "team@example.org")),
            cc=() if uid % 4 else (Address("Carol", "carol@example.org"),),
            message_id=f"<{uid}@mail.example.org>", has_attachment=uid % 10 == 0,
            modseq=uid))
    return out


def fill(path: Path, summaries: list[MessageSummary]) -> float:
    """Seconds of CPU for add_summaries of everything, chunk by chunk."""
    with Store.open(path) as store:
        store.save_folders([FolderInfo("INBOX", b"INBOX", "/")])
        cpu = time.process_time()
        for start in range(0, len(summaries), CHUNK):
            store.add_summaries("INBOX", summaries[start:start + CHUNK])
        return time.process_time() - cpu


def timed(label: str, func: Callable[[], object], repeat: int = 7) -> None:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    hits = len(result) if isinstance(result, list) else "-"
    print(f"{label:<44} median {statistics.median(times) * 1000:8.2f} ms"
          f"   min {min(times) * 1000:8.2f} ms   hits {hits}")


def main() -> None:
    summaries = make_summaries(MESSAGES)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        # Indexing cost: headers are indexed after the sync's writes (schema 4), so the
        # sync pays nothing; the deferred catch-up is measured on its own.
        plain, catch_up = [], []
        for run in range(3):
            path = base / f"indexed{run}.sqlite"
            plain.append(fill(path, summaries))
            with Store.open(path) as store:
                cpu = time.process_time()
                store.index_pending()
                catch_up.append(time.process_time() - cpu)
        print(f"add_summaries x{MESSAGES:,} (what a sync pays) cpu {min(plain) * 1000:8.0f} ms")
        print(f"deferred indexing of x{MESSAGES:,}        cpu {min(catch_up) * 1000:8.0f} ms"
              " (after the sync, in idle time or before the first search)")
        path = base / "indexed0.sqlite"
        with Store.open(path) as store:
            index = store.search_index_bytes()
            size = os.path.getsize(path)
            print(f"cache file {size / 1e6:.1f} MB, index {index / 1e6:.1f} MB"
                  f" ({index / max(1, size - index) * 100:.0f}% of the rest of the cache)")
            for label, query in (
                    ("common word 'report' (limit 500)", "report"),
                    ("common word 'müller' (sender)", "müller"),
                    ("common word '会議' (2 chars, LIKE)", "会議"),
                    ("rare word 'xylophone'", "xylophone"),
                    ("no match, 2 chars 'qz' (LIKE, worst case)", "qz"),
                    ("operator 'is:unread from:alice'", "is:unread from:alice"),
                    ("operator 'is:flagged larger:1M -budget'", "is:flagged larger:1M -budget"),
                    ("phrase '\"project update\"'", '"project update"'),
                    ("no match 'qqqzzz'", "qqqzzz")):
                timed(label, lambda q=query: store.search(q, limit=500))  # type: ignore[misc]
            timed("rebuild of the whole index", store.rebuild_search_index, repeat=1)


if __name__ == "__main__":
    main()
