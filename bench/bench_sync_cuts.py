"""A first sync on a line that drops every few thousand messages (issue 17 family 3).

    .venv/bin/python bench/bench_sync_cuts.py --messages 100000 --every 3000

The IMAP connection goes through the fault proxy of the tests, which cuts it after the
bytes of about ``--every`` headers (measured from the raw floor of the same run). The
engine is retried on a fresh connection after each cut, as the account worker does.
Prints the cuts survived, the headers fetched against the folder's size (1.00: nothing
fetched twice but the chunks a cut interrupted), duplicates, and the time against a
clean first sync and the raw protocol floor measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from bench_sync import account
from helpers.fault_proxy import FaultPlan, FaultProxy

from qtmail.core.events import Event, MessagesAdded
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine


def sync(user: common.MailUser, cache: Path, port: int | None = None
         ) -> tuple[float, int, list[int]]:
    """Seconds, attempts and every UID announced, for one first sync through ``port``."""
    settings = account(user)
    if port is not None:
        from dataclasses import replace

        settings = replace(settings, imap=replace(settings.imap, port=port, timeout=20))
    announced: list[int] = []

    def emit(event: Event) -> None:
        if isinstance(event, MessagesAdded) and event.folder == "INBOX":
            announced.extend(event.uids)

    attempts = 0
    started = time.perf_counter()
    with Store.open(cache) as store:
        engine = AccountEngine(settings, store, lambda: user.password, emit)
        while True:
            attempts += 1
            try:
                engine.sync_all()
                break
            except Exception:  # a cut: a new connection, as the worker's retry makes
                with contextlib.suppress(Exception):
                    engine.close()
                engine._session = None
        engine.close()
    return time.perf_counter() - started, attempts, announced


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--every", type=int, default=3000,
                        help="cut after about this many headers (default 3000)")
    args = parser.parse_args()

    with common.dovecot() as server:
        user = server.new_user()
        filled = common.populate(server, user, args.messages)
        print(f"populated {args.messages:,} messages in {filled:.1f} s")
        floor, size = min(common.raw_floor(user) for _ in range(3))
        per_header = size / args.messages
        print(f"raw floor: {floor:.2f} s, {size / 1e6:.1f} MB ({per_header:.0f} B a header)")
        with tempfile.TemporaryDirectory() as tmp:
            clean, _, _ = sync(user, Path(tmp) / "clean.sqlite3")
        print(f"clean first sync: {clean:.2f} s = {clean / floor:.2f}x floor")
        cut_at = int(per_header * args.every)
        plan = FaultPlan(cut_min=cut_at, cut_max=cut_at)
        with FaultProxy((user.host, user.port), plan, seed=1) as proxy, \
                tempfile.TemporaryDirectory() as tmp:
            cache = Path(tmp) / "cut.sqlite3"
            seconds, attempts, announced = sync(user, cache, proxy.port)
            with Store.open(cache) as store:
                cached = store.uids("INBOX")
        duplicates = len(announced) - len(set(announced))
        print(f"\ncut every {cut_at / 1e6:.2f} MB (~{args.every:,} headers): "
              f"{proxy.cuts} cuts survived, {attempts} attempts")
        print(f"first sync under cuts: {seconds:.2f} s = {seconds / clean:.2f}x the clean "
              f"sync = {seconds / floor:.2f}x the raw floor")
        print(f"cached {len(cached):,} of {args.messages:,}; announced {len(announced):,} "
              f"({len(announced) / args.messages:.2f} per message), duplicates {duplicates}")
        if len(cached) != args.messages or duplicates:
            raise SystemExit("MISMATCH: the cache is not the server's folder")


if __name__ == "__main__":
    main()
