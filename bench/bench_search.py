"""Print search timings on 100,000 cached headers, the index's size, and its cost
beside a first sync (issue 7; a benchmark, not a test).

Run: PYTHONPATH=. .venv/bin/python bench/bench_search.py [--no-server] [--count N]

Goals: each search < 100 ms; indexing adds < 20% to a first sync.

What is measured, on the GUI's read-only connection (as the window searches):
Store.search_keys (the results list's query, up to 1,000 keys) and Store.search
(decoded rows, limit 500) for a common word, a rare word, operator queries, 2-character
terms (looked up in the word index's trigram vocabulary) and the same queries while
every row is still unindexed (the reader matches the raw columns with LIKE). Then the
index size, and the indexing cost: headers are indexed after the sync's writes (schema
4), so a first sync pays nothing for them; the deferred catch-up's CPU is compared
with the raw protocol cost of the same headers (UID FETCH 1:* ENVELOPE read off the
socket from a private Dovecot, unparsed) and with the store writes.

Figures of 6 Dec 2026 (2-core machine, medians, 100,000 headers), schema 11 (each
message's words as tokens, each word once in a trigram index; hits confirmed against
the row): indexed, keys (limit 1,000): common word 6.7 ms, sender word 6.6 ms, rare word
0.24 ms, no match 0.08 ms, operators 9-21 ms, phrase 28 ms, 2 kanji 6.9 ms, 2 letters
with no match 0.06 ms; rows (limit 500) 0.3-9.3 ms. Nothing indexed yet (the reader's
LIKE on the raw rows, unchanged): 13-40 ms. Index 1.5 MB, 6% of the rest of the cache
(schema 9's trigrams: 9.8 MB, 39%). The catch-up's CPU in the worker's idle turns:
416-424 ms per 100,000 rows, 39-42% of the raw protocol floor (995-1,085 ms in those
runs; schema 9: ~1.05 s at 2,000-row turns, ~1.6 s at the 100-row turns the worker
then took): ~150 ms builds the entries in Python (folding each word as written once),
~160 ms is the FTS5 insert of the built entries. 1,000,000 headers: slowest indexed search 75 ms
(the phrase), catch-up 4.55 s.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qtmail.core.types import FLAGGED, SEEN, Address, FolderInfo, MessageSummary
from qtmail.search.query import fold
from qtmail.store import Store, search
from qtmail.store.schema import HEADERS_TABLE
from qtmail.sync.jobs import INDEX_BATCH, INDEX_TURN

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


def timed(label: str, func: Callable[[], object], repeat: int = 7) -> float:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    hits = len(result) if isinstance(result, list) else "-"
    print(f"{label:<52} median {statistics.median(times) * 1000:8.2f} ms"
          f"   min {min(times) * 1000:8.2f} ms   hits {hits}")
    return statistics.median(times)


QUERIES = (
    ("common word 'report'", "report"),
    ("common word 'müller' (sender)", "müller"),
    ("rare word 'xylophone'", "xylophone"),
    ("no match 'qqqzzz'", "qqqzzz"),
    ("operator 'is:unread from:alice'", "is:unread from:alice"),
    ("operator 'is:flagged larger:1M -budget'", "is:flagged larger:1M -budget"),
    ("phrase '\"project update\"'", '"project update"'),
    ("2 chars, common '会議'", "会議"),
    ("2 chars, no match 'qz' (worst case)", "qz"),
)


def searches(path: Path, title: str, repeat: int = 7) -> None:
    print(title)
    with Store.open(path, readonly=True) as reader:
        for label, query in QUERIES:
            timed(f"  {label} keys", lambda q=query: reader.search_keys(q, limit=1000),  # type: ignore[misc]
                  repeat)
        for label, query in QUERIES[:3]:
            timed(f"  {label} rows (limit 500)",
                  lambda q=query: reader.search(q, limit=500), repeat)  # type: ignore[misc]


def cold() -> None:
    """Forget what earlier runs folded, as a worker's first catch-up after a sync."""
    fold.cache_clear()
    search.who_text.cache_clear()


def index_parts(path: Path, scratch: Path) -> tuple[float, float]:
    """CPU seconds of the catch-up's two parts apart: building the rows' index entries
    in Python (search.KnownWords.entries, cold), and inserting those entries, already built,
    into an empty header index 2,000 per transaction: what FTS5 itself costs, the floor
    of any catch-up that indexes these tokens."""
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT id, subject, sender, to_addrs, cc_addrs FROM messages"
                        " ORDER BY id").fetchall()
    conn.close()
    cold()
    cpu = time.process_time()
    entries = search.KnownWords().entries(rows)
    build = time.process_time() - cpu
    conn = sqlite3.connect(scratch, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(HEADERS_TABLE)
    search.tune(conn)
    cpu = time.process_time()
    for start in range(0, len(entries), CHUNK):
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO search_headers (rowid, tokens) VALUES (?, ?)",
                         entries[start:start + CHUNK])
        conn.execute("COMMIT")
    insert = time.process_time() - cpu
    conn.close()
    return build, insert


def protocol_floor(count: int) -> float | None:
    """Seconds to read UID FETCH 1:* ENVELOPE of ``count`` messages off a private
    Dovecot's socket, unparsed: what no client can go below (bench/common.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import common

    with common.dovecot() as server:
        user = server.new_user("bench")
        print(f"filling a private Dovecot with {count:,} messages...", flush=True)
        common.populate(server, user, count)
        common.raw_floor(user)  # warm
        return min(common.raw_floor(user)[0] for _ in range(3))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-server", action="store_true",
                        help="skip the Dovecot protocol floor")
    parser.add_argument("--count", type=int, default=MESSAGES)
    args = parser.parse_args()
    count = args.count
    summaries = make_summaries(count)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        unindexed = base / "unindexed.sqlite"
        fill(unindexed, summaries)
        searches(unindexed, f"{count:,} headers, none indexed yet (reader folds raw rows):",
                 repeat=3)
        plain, catch_up = [], []
        for run in range(3):
            path = base / f"indexed{run}.sqlite"
            plain.append(fill(path, summaries))
            cold()
            with Store.open(path) as store:
                cpu = time.process_time()
                while store.index_pending(INDEX_BATCH, seconds=INDEX_TURN) > 0:
                    pass  # as the worker's idle turns
                catch_up.append(time.process_time() - cpu)
        path = base / "indexed0.sqlite"
        searches(path, f"{count:,} headers, indexed:")
        with Store.open(path) as store:
            index = store.search_index_bytes()
            size = os.path.getsize(path)
            print(f"cache file {size / 1e6:.1f} MB, index {index / 1e6:.1f} MB"
                  f" ({index / max(1, size - index) * 100:.0f}% of the rest of the cache)")
            timed("rebuild of the whole index", store.rebuild_search_index, repeat=1)
        write, index_cpu = min(plain), min(catch_up)
        print(f"add_summaries x{count:,} (the sync's store writes)   cpu {write * 1000:8.0f} ms")
        print(f"deferred indexing x{count:,} ({INDEX_TURN * 1000:.0f} ms idle turns)   cpu"
              f" {index_cpu * 1000:8.0f} ms")
        build, insert = index_parts(path, base / "fts_floor.sqlite")
        print(f"  of which building the entries in Python          cpu {build * 1000:8.0f} ms")
        print(f"  and the FTS5 insert of built entries alone         cpu {insert * 1000:8.0f} ms")
        print("indexing added to the first sync itself: 0% (headers are indexed after it)")
        print(f"deferred indexing / store writes: {index_cpu / write * 100:.0f}%")
        floor = None if args.no_server else protocol_floor(count)
        if floor is not None:
            print(f"raw protocol floor (UID FETCH 1:* ENVELOPE, unparsed) {floor * 1000:8.0f} ms")
            print(f"deferred indexing / raw protocol floor: {index_cpu / floor * 100:.0f}%;"
                  f" / (floor + store writes): {index_cpu / (floor + write) * 100:.0f}%")
            print(f"FTS5 insert alone / raw protocol floor: {insert / floor * 100:.0f}%")


if __name__ == "__main__":
    main()
