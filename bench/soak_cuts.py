"""Soak: two devices move, flag and receive mail through a proxy that cuts at random.

    bench/soak_cuts.py --minutes 30 [--seed 1]

Each round a random change is made on device A or B (move some messages between INBOX
and Archive, toggle \\Flagged, or mail arrives), replayed through a FaultProxy that cuts
every connection after a random number of bytes, then both devices sync. After every
round both caches are compared with the server (UIDs and subjects of INBOX and
Archive) and every message delivered must exist exactly once. Prints cuts survived,
operations applied and mismatches (the bar: zero). IDLE is not exercised here.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import common
from helpers.accounts import account_for
from helpers.fault_proxy import FaultPlan, FaultProxy
from helpers.mailgen import message

from qtmail.core.types import FLAGGED
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine

FOLDERS = ("INBOX", "Archive")


class Device:
    def __init__(self, user: common.MailUser, path: Path, port: int) -> None:
        settings = account_for(user)
        settings = dataclasses.replace(
            settings, imap=dataclasses.replace(settings.imap, port=port, timeout=5))
        self.store = Store.open(path)
        self.engine = AccountEngine(settings, self.store, lambda: user.password,
                                    lambda _event: None)
        self.retries = 0

    def drop(self) -> None:
        with contextlib.suppress(Exception):
            self.engine.close()
        self.engine._session = None

    def until_done(self, action: Callable[[], object], limit: float = 120.0) -> None:
        start = time.monotonic()
        while True:
            try:
                action()
                return
            except Exception:
                self.retries += 1
                self.drop()
                if time.monotonic() - start > limit:
                    raise

    def subjects(self, folder: str) -> dict[int, str]:
        return {s.uid: s.subject for s in self.store.summaries(folder, limit=1_000_000)}


def server_state(user: common.MailUser) -> dict[str, dict[int, str]]:
    client = user.imap()
    try:
        out: dict[str, dict[int, str]] = {}
        for folder in FOLDERS:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            data = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (SUBJECT)]"]) if uids else {}
            out[folder] = {
                uid: item[b"BODY[HEADER.FIELDS (SUBJECT)]"].decode().split(":", 1)[1].strip()
                for uid, item in data.items()}
        return out
    finally:
        client.logout()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    ops = rounds = mismatches = delivered = 0
    with common.dovecot() as server, tempfile.TemporaryDirectory() as tmp:
        user = server.new_user()
        for _ in range(args.messages):
            user.save(message(f"s{delivered:06d}", body="x" * 300))
            delivered += 1
        plan = FaultPlan(cut_min=300, cut_max=12_000, stall_probability=0.05,
                         stall_seconds=1.0)
        with FaultProxy((user.host, user.port), plan, seed=args.seed) as proxy:
            devices = [Device(user, Path(tmp) / f"{n}.sqlite3", proxy.port) for n in "AB"]
            for device in devices:
                device.until_done(device.engine.sync_all)
            end = time.monotonic() + args.minutes * 60
            while time.monotonic() < end:
                rounds += 1
                device = rng.choice(devices)
                kind = rng.random()
                if kind < 0.15:
                    for _ in range(rng.randint(1, 20)):
                        user.save(message(f"s{delivered:06d}", body="y" * 300))
                        delivered += 1
                else:
                    source = rng.choice(FOLDERS)
                    uids = sorted(device.subjects(source))
                    if uids:
                        chosen = rng.sample(uids, min(len(uids), rng.randint(1, 200)))
                        if kind < 0.6:
                            target = FOLDERS[1 - FOLDERS.index(source)]
                            device.engine.ops.move(source, chosen, target)
                        else:
                            if rng.random() < 0.5:
                                device.engine.ops.set_flags(source, chosen, add=[FLAGGED])
                            else:
                                device.engine.ops.set_flags(source, chosen, remove=[FLAGGED])
                        ops += 1
                        device.until_done(device.engine.replay)
                for each in devices:
                    each.until_done(each.engine.sync_all)
                state = server_state(user)
                every = sorted(s for folder in FOLDERS for s in state[folder].values())
                if every != [f"s{i:06d}" for i in range(delivered)]:
                    mismatches += 1
                    print(f"round {rounds}: server holds {len(every)} of {delivered}, "
                          "or a duplicate", flush=True)
                for each in devices:
                    if each.store.pending(states=("queued",)):
                        mismatches += 1
                        print(f"round {rounds}: a change is still queued", flush=True)
                    for folder in FOLDERS:
                        if each.subjects(folder) != state[folder]:
                            mismatches += 1
                            print(f"round {rounds}: a cache differs from the server in "
                                  f"{folder}", flush=True)
            for device in devices:
                device.drop()
                device.store.close()
            print(f"minutes: {args.minutes:g}  rounds: {rounds}  operations applied: {ops}  "
                  f"messages delivered: {delivered}")
            print(f"connections: {proxy.connections}  cuts survived: {proxy.cuts}  "
                  f"stalls: {proxy.stalls}  retries: {sum(d.retries for d in devices)}  "
                  f"mismatches: {mismatches}")


if __name__ == "__main__":
    main()
