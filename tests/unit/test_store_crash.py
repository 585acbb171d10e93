"""Store: kill -9 at random moments never splits a local effect from its pending row."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qtmail.core.types import SEEN, FolderCounts
from qtmail.store import Store

# Hides a few messages and queues the operation in one durable transaction, or backs the
# oldest operation out (shows its messages, drops its row), or refreshes headers like a
# sync would (non-durable), forever: the test kills it.
CHILD = r"""
import random, sys
from pathlib import Path
from qtmail.core.types import SEEN, Address, FolderInfo, MessageSummary
from qtmail.store import Store

path, rnd = Path(sys.argv[1]), random.Random(int(sys.argv[2]))

def msg(uid, seen):
    return MessageSummary(uid=uid, flags=frozenset({SEEN}) if seen else frozenset(),
                          internaldate=uid, size=1, date=None, subject=f"s{uid}",
                          sender=Address("A", "a@example.org"))

store = Store.open(path)
if store.folder("INBOX") is None:
    with store.transaction():
        store.save_folders([FolderInfo("INBOX", b"INBOX", "/")])
        store.add_summaries("INBOX", [msg(uid, uid % 2) for uid in range(1, 2001)])
print("ready", flush=True)
while True:
    choice = rnd.random()
    queued = store.pending()
    if choice < 0.3 and queued:
        op = queued[0]
        with store.transaction(durable=True):
            store.unhide_messages(op.payload["folder"], op.payload["uids"])
            store.remove_pending(op.id)
    elif choice < 0.4:
        store.add_summaries("INBOX", [msg(uid, rnd.random() < 0.5)
                                      for uid in rnd.sample(range(1, 2001), 200)])
    else:
        uids = rnd.sample(range(1, 2001), rnd.randint(1, 20))
        with store.transaction(durable=True):
            hidden = store.hide_messages("INBOX", uids)
            # A blob (an .eml to append) makes the commit, the moment that matters, longer.
            store.add_pending("hide", {"folder": "INBOX", "uids": hidden},
                              data=bytes(rnd.randint(0, 300_000)))
"""

RUNS = 24


def check(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    with Store.open(path) as store:
        named: list[int] = []
        for op in store.pending():
            named.extend(op.payload["uids"])
        # Every queued hide's rows are hidden, and every hidden row has its queued hide.
        assert sorted(named) == store.hidden_uids("INBOX")
        flags = store.flags_map("INBOX")
        assert store.cached_count("INBOX") == len(flags) == 2000
        visible = set(flags).difference(named)
        assert store.counts("INBOX") == FolderCounts(
            len(visible), sum(SEEN not in flags[uid] for uid in visible))
        return len(named)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_never_splits_an_operation_from_its_local_effect(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    rnd = random.Random(1234)
    hidden_counts = []
    for run in range(RUNS):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(run)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert child.stdout is not None
            assert child.stdout.readline() == "ready\n", child.communicate()[1]
            time.sleep(rnd.uniform(0.005, 0.2))
            child.send_signal(signal.SIGKILL)
            _out, err = child.communicate(timeout=30)
        finally:
            if child.poll() is None:
                child.kill()
                child.communicate()
        assert child.returncode == -signal.SIGKILL, err  # it was still looping
        hidden_counts.append(check(path))
    # The runs did queue and back out operations (not a vacuous check).
    assert max(hidden_counts) > 0
