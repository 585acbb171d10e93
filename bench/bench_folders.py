"""An account with many folders (issue 18 goal 5): a no-change resync of every folder,
with one LIST-STATUS (RFC 5819) against a STATUS per folder, beside the raw cost of
that one LIST-STATUS command measured in the same run.

    .venv/bin/python bench/bench_folders.py --folders 300 --rounds 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from helpers.accounts import account_for
from helpers.mailgen import message

from qtmail.store import Store
from qtmail.sync.engine import AccountEngine


def resyncs(engine: AccountEngine, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        reports = engine.sync_all()
        times.append((time.perf_counter() - started) * 1000)
        assert all(r.unchanged for r in reports)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folders", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with common.dovecot() as server:
        user = server.new_user()
        with user.imap() as client:
            for n in range(args.folders):
                name = f"Lists/l{n:03d}"
                client.create_folder(name)
                client.append(name, message(f"in {name}"))
        folder = Path(tempfile.mkdtemp(prefix="qtmail-bench-folders-"))
        store = Store.open(folder / "cache.sqlite3")
        engine = AccountEngine(account_for(user), store, lambda: user.password,
                               lambda _event: None)
        engine.sync_all()  # the first sync
        with_list_status = resyncs(engine, args.rounds)
        session = engine.session()
        raw = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            session.list_status()
            raw.append((time.perf_counter() - started) * 1000)
        session.capabilities = session.capabilities - {"LIST-STATUS"}  # as on a server
        without = resyncs(engine, args.rounds)                         # that lacks it
        engine.close()
        store.close()
    floor = statistics.median(raw)
    print(f"{args.folders} folders, no-change resync of all of them (median of "
          f"{args.rounds}):")
    print(f"  with LIST-STATUS     {statistics.median(with_list_status):8.1f} ms  "
          f"({statistics.median(with_list_status) / floor:.1f}x the LIST-STATUS command)")
    print(f"  STATUS per folder    {statistics.median(without):8.1f} ms")
    print(f"  raw LIST-STATUS      {floor:8.1f} ms  (goal: the whole resync under 1000 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
