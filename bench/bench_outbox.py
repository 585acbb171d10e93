"""Writing mail's costs: queueing into the Outbox, sending, and saving drafts to Drafts.

    .venv/bin/python bench/bench_outbox.py --runs 20

Prints figures only (median and max per step). Queueing is what the user waits for
when pressing Send (build + one synchronous=FULL commit, in the worker); sending goes
to aiosmtpd on 127.0.0.1; a draft push is APPEND + UID SEARCH + STORE/UID EXPUNGE on a
private Dovecot.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import common
from aiosmtpd.controller import Controller
from helpers.dovecot import free_port

from qtmail.accounts.settings import AccountSettings, Security, ServerSettings
from qtmail.core.commands import SendMail
from qtmail.core.outgoing import Attachment, Draft
from qtmail.core.types import Address
from qtmail.store import Store
from qtmail.sync.drafts import Drafts
from qtmail.sync.engine import AccountEngine
from qtmail.sync.outbox import Outbox


class Sink:
    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        return "250 OK"


def timed(runs: int, step: Callable[[int], object]) -> str:
    times = []
    for n in range(runs):
        started = time.perf_counter()
        step(n)
        times.append((time.perf_counter() - started) * 1000)
    return f"median {statistics.median(times):8.1f} ms   max {max(times):8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    port = free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    small = Draft(from_address=Address("Ann", "ann@example.org"),
                  to=(Address("Bob", "bob@example.org"),), subject="Hello",
                  body_text="A short note.\n" * 20)
    big = replace(small, attachments=(Attachment("big.bin", "application/octet-stream",
                                                 bytes(range(256)) * 40_000),))
    with common.dovecot() as server, tempfile.TemporaryDirectory() as tmp:
        user = server.new_user()
        settings = AccountSettings(
            name="bench", email=f"{user.name}@example.org",
            imap=ServerSettings(user.host, user.port, Security.NONE, username=user.name),
            smtp=ServerSettings("127.0.0.1", port, Security.NONE, timeout=30))
        store = Store.open(Path(tmp) / "cache.sqlite3")
        engine = AccountEngine(settings, store, lambda: user.password, lambda e: None)
        engine.sync_all()
        outbox = Outbox(engine, lambda: user.password, lambda e: None)
        drafts = Drafts(engine, lambda e: None)
        print(f"runs: {runs}; big = one 10 MB attachment")
        for name, draft in (("small", small), ("big", big)):
            label = f"queue {name}"
            print(f"{label:20}{timed(runs, lambda n, d=draft: outbox.queue(SendMail(d)))}")
            for row in store.outgoing():
                store.remove_outgoing(row.id)

            def send_one(n: int, d: Draft = draft) -> None:
                outbox.queue(SendMail(d))
                assert outbox.send_due() == 1

            label = f"queue+send {name}"
            print(f"{label:20}{timed(runs, send_one)}")
        print(f"{'draft save (local)':20}{timed(runs, lambda n: drafts.save('b1', small, None))}")

        def push(n: int) -> None:
            drafts.save("b1", replace(small, body_text=f"version {n}"), None)
            drafts.push()

        print(f"{'draft save + push':20}{timed(runs, push)}")
        engine.close()
        store.close()
    controller.stop()


if __name__ == "__main__":
    main()
