"""How long each account-setup lookup takes (issue 16), against servers on 127.0.0.1: the
domain's autoconfig and .well-known over https (a test CA), the ISPDB, MX and SRV from
a local DNS server, the provider table, a local override file; and the whole search,
which waits for the slowest source only up to its timeout. Prints one row per source:
median and worst of ``--rounds`` runs, in milliseconds, beside the DNS round trip
measured in the same run (the floor for a lookup over the network).

    .venv/bin/python bench/bench_autoconfig.py --rounds 20
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from helpers.autoconfig_world import CONFIG, make_world  # noqa: E402

from qtmail.accounts.autoconfig.lookup import attempts, discover  # noqa: E402
from qtmail.accounts.autoconfig.model import SourceKind  # noqa: E402

CASES = {
    "ann@example.test": "the domain's autoconfig wins (all seven sources asked)",
    "bob@srv.test": "SRV records only",
    "carol@workspace.test": "MX of a Google-hosted domain",
    "dave@gmail.com": "the provider table",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="qtmail-bench-autoconfig-"))
    world = make_world(folder)
    overrides = folder / "isp"
    overrides.mkdir()
    (overrides / "local.test.xml").write_bytes(CONFIG)
    world.lookups.local_dir = overrides
    try:
        floor = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            world.lookups.resolver.srv("_imaps._tcp.srv.test")
            floor.append((time.perf_counter() - started) * 1000)
        print(f"DNS round trip on 127.0.0.1 (the floor of one lookup): median "
              f"{statistics.median(floor):.2f} ms")
        print(f"{'address':<22}{'source':<12}{'median ms':>10}{'worst ms':>10}  result")
        for address in (*CASES, "eve@local.test"):
            per_source: dict[SourceKind, list[float]] = {}
            results: dict[SourceKind, str] = {}
            whole, dialog = [], []
            for _ in range(args.rounds):
                started = time.perf_counter()
                discover(address, world.lookups, timeout=6)  # what the dialog waits for
                dialog.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                for attempt in attempts(address, world.lookups, timeout=6):
                    per_source.setdefault(attempt.kind, []).append(
                        (attempt.seconds or 0) * 1000)
                    results[attempt.kind] = ("found" if attempt.found else
                                             attempt.problem or "nothing")[:30]
                whole.append((time.perf_counter() - started) * 1000)
            for kind, times in per_source.items():
                print(f"{address:<22}{kind.value:<12}{statistics.median(times):>10.1f}"
                      f"{max(times):>10.1f}  {results[kind]}")
            print(f"{address:<22}{'(all)':<12}{statistics.median(whole):>10.1f}"
                  f"{max(whole):>10.1f}  every source answered")
            print(f"{address:<22}{'(dialog)':<12}{statistics.median(dialog):>10.1f}"
                  f"{max(dialog):>10.1f}  until the best answer was certain; "
                  f"{statistics.median(dialog) / statistics.median(floor):.0f}x the floor")
    finally:
        world.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
