"""First-sync fetch costs against a private Dovecot, as ratios to the raw protocol floor.

    .venv/bin/python bench/bench_fetch.py --messages 100000

Prints figures only (no assertions). The floor is `UID FETCH 1:* (UID FLAGS INTERNALDATE
RFC822.SIZE ENVELOPE)` read off the socket without parsing, measured in the same run.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

from qtmail.imap import fastfetch
from qtmail.imap.uidset import uid_set


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def best(runs: int, measure: Callable[[], float]) -> float:
    return min(measure() for _ in range(runs))


def connect(user: common.MailUser):  # type: ignore[no-untyped-def]
    import imapclient

    client = imapclient.IMAPClient(user.host, user.port, ssl=False, timeout=120)
    client.login(user.name, user.password)
    return client


def newest_first(uids: list[int], first: int, chunk: int) -> list[list[int]]:
    """The engine's order: the newest ``first`` UIDs, then older chunks of ``chunk``."""
    chunks = [uids[-first:]]
    end = len(uids) - first
    while end > 0:
        chunks.append(uids[max(0, end - chunk):end])
        end -= chunk
    return chunks


def sync(user: common.MailUser, first: int, chunk: int) -> dict[str, float]:
    """Login, SELECT, search, fetch every summary newest first (chunks dropped after use)."""
    started = time.perf_counter()
    client = connect(user)
    try:
        client.select_folder("INBOX")
        imap = client._imap
        uids = fastfetch.search_uids(imap, esearch=True)
        count = 0
        highest = 0
        first_chunk = 0.0
        for n, part in enumerate(newest_first(uids, first, chunk)):
            result = fastfetch.fetch_summaries(imap, uid_set(part), condstore=True)
            count += len(result.summaries)
            highest = max([highest, *(s.modseq or 0 for s in result.summaries)])
            if n == 0:
                first_chunk = time.perf_counter() - started
        total = time.perf_counter() - started
        if count != len(uids):
            raise RuntimeError(f"fetched {count} summaries for {len(uids)} UIDs")
    finally:
        client.logout()
    return {"total": total, "first": first_chunk, "count": count, "highest": highest}


def resync(user: common.MailUser, modseq: int, runs: int) -> tuple[float, float]:
    """CHANGEDSINCE with nothing changed (best of runs), and a full FLAGS refresh."""
    client = connect(user)
    try:
        client.select_folder("INBOX")
        imap = client._imap
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            result = fastfetch.fetch_flags(imap, "1:*", changedsince=modseq)
            times.append(time.perf_counter() - started)
            if result.flags:
                raise RuntimeError(f"{len(result.flags)} changes reported, none expected")
        started = time.perf_counter()
        everything = fastfetch.fetch_flags(imap, "1:*")
        full = time.perf_counter() - started
        if not everything.flags:
            raise RuntimeError("full flags refresh returned nothing")
    finally:
        client.logout()
    return min(times), full


def imapclient_reference(user: common.MailUser, batch: int) -> float:
    """imapclient's parser on the floor's command, in batches of explicit UIDs."""
    client = connect(user)
    try:
        client.select_folder("INBOX")
        uids = client.search("ALL")
        started = time.perf_counter()
        for i in range(0, len(uids), batch):
            client.fetch(uids[i:i + batch], ["UID", "FLAGS", "INTERNALDATE", "RFC822.SIZE",
                                             "ENVELOPE"])
        return time.perf_counter() - started
    finally:
        client.logout()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--first-chunk", type=int, default=200)
    parser.add_argument("--chunk", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3, help="repeats; the best is kept")
    parser.add_argument("--skip-imapclient", action="store_true",
                        help="skip the (slow) imapclient reference parse")
    args = parser.parse_args()

    with common.dovecot() as server:
        user = server.new_user("bench")
        filled = common.populate(server, user, args.messages)
        print(f"populate {args.messages} messages: {filled:.1f} s")
        cold, size = common.raw_floor(user)
        cold_ours, size_ours = common.raw_floor(user, common.SUMMARY_FETCH)
        print(f"cold server reads: ENVELOPE {cold:.2f} s, header fields {cold_ours:.2f} s")
        floor = best(args.runs, lambda: common.raw_floor(user)[0])
        ours_raw = best(args.runs, lambda: common.raw_floor(user, common.SUMMARY_FETCH)[0])
        print(f"raw floor (ENVELOPE, unparsed): {floor:.3f} s, {size / 1e6:.0f} MB")
        print(f"raw read of fastfetch's command: {ours_raw:.3f} s, {size_ours / 1e6:.0f} MB "
              f"({ours_raw / floor:.2f}x floor)")

        rss_before = maxrss_mb()
        runs = [sync(user, args.first_chunk, args.chunk) for _ in range(args.runs)]
        rss_after = maxrss_mb()
        fastest = min(runs, key=lambda r: r["total"])
        print(f"fastfetch first sync, {fastest['count']:.0f} summaries, chunks "
              f"{args.first_chunk} then {args.chunk} (login to last chunk): "
              f"{fastest['total']:.3f} s = {fastest['total'] / floor:.2f}x floor "
              f"(runs: {', '.join(format(r['total'], '.2f') for r in runs)})")
        print(f"newest {args.first_chunk} summaries after login: "
              f"{min(r['first'] for r in runs) * 1000:.0f} ms")

        changed, full = resync(user, int(fastest["highest"]), max(args.runs, 5))
        print(f"no-change resync (UID FETCH 1:* CHANGEDSINCE): {changed * 1000:.1f} ms")
        print(f"full FLAGS refresh without CONDSTORE: {full:.3f} s")

        tracemalloc.start()
        sync(user, args.first_chunk, args.chunk)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"peak memory of a sync: traced {peak / 1e6:.1f} MB; process maxrss "
              f"{rss_after:.0f} MB (grew {rss_after - rss_before:.0f} MB during the syncs)")

        if not args.skip_imapclient:
            reference = imapclient_reference(user, 2000)
            print(f"imapclient parse of the floor's command (batches of 2000): "
                  f"{reference:.2f} s = {reference / floor:.1f}x floor")


if __name__ == "__main__":
    main()
