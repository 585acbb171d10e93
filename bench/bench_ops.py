"""The write path's costs: local phase latency and server completion of a big move.

    .venv/bin/python bench/bench_ops.py --messages 1000

Prints figures only. The raw floor is one `UID MOVE 1:N Archive` sent on a socket
with no client logic, measured in the same run on an identical mailbox.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import common
from helpers.mailgen import message

from qtmail.accounts.settings import AccountSettings, Security, ServerSettings
from qtmail.core.types import FLAGGED
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine


def fill(user: common.MailUser, count: int) -> None:
    client = user.imap()
    for start in range(0, count, 500):
        client.multiappend("INBOX", [message(f"m{n}") for n in range(start,
                                                                      min(count, start + 500))])
    client.logout()


def raw_move(user: common.MailUser, count: int) -> float:
    sock = common.raw_connection(user)
    try:
        started = time.perf_counter()
        common._command(sock, b"M1", f"UID MOVE 1:{count} Archive".encode())
        return time.perf_counter() - started
    finally:
        sock.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1000)
    args = parser.parse_args()
    n = args.messages
    with common.dovecot() as server:
        floor_user = server.new_user()
        fill(floor_user, n)
        floor = raw_move(floor_user, n)
        print(f"raw floor: UID MOVE of {n:,} messages on a socket: {floor * 1000:.0f} ms")

        user = server.new_user()
        fill(user, n)
        settings = AccountSettings(
            name="bench", email="bench@example.org",
            imap=ServerSettings(host=user.host, port=user.port, security=Security.NONE,
                                username=user.name, timeout=60))
        with tempfile.TemporaryDirectory() as tmp, \
                Store.open(Path(tmp) / "cache.sqlite3") as store:
            engine = AccountEngine(settings, store, lambda: user.password, lambda e: None)
            engine.sync_all()
            uids = [s.uid for s in store.summaries("INBOX", limit=n)]

            started = time.perf_counter()
            engine.ops.set_flags("INBOX", uids[:1], add=[FLAGGED])
            one_flag = time.perf_counter() - started
            started = time.perf_counter()
            engine.ops.move("INBOX", uids, "Archive")
            local = time.perf_counter() - started
            started = time.perf_counter()
            engine.replay()
            remote = time.perf_counter() - started
            engine.close()
        print(f"local phase, flag one message (durable commit): {one_flag * 1000:.1f} ms")
        print(f"local phase, move {n:,} messages (list updated): {local * 1000:.1f} ms")
        print(f"server phase, move {n:,} messages incl. the flag: {remote * 1000:.0f} ms "
              f"= {remote / floor:.1f}x the raw floor")


if __name__ == "__main__":
    main()
