"""Start-up time to a painted window: the installed package vs `python -m qtmail`.

    .venv/bin/python bench/bench_start.py [--runs 5] [--installed /usr/bin/qtmail]
        [--bundle build/dist/qtmail] [--deb build/qtmail_*.deb] [--drop-caches]

Each run starts `qtmail --smoke` (offscreen, throwaway profile) and stops the clock
when it prints "smoke: painted" (the main window's first paint event). The first
run is the cold one (--drop-caches empties the page cache before it, as root);
the rest give the warm median. Also prints the bundle and .deb sizes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def time_to_paint(command: list[str]) -> float:
    """Seconds from spawn to the smoke check's "painted" line; the run must pass."""
    with tempfile.TemporaryDirectory(prefix="qtmail-bench-home-") as home:
        env = {"HOME": home, "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen",
               "LANG": "C.UTF-8"}
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                env=env, cwd="/", text=True)
        assert proc.stdout is not None
        painted = None
        for line in proc.stdout:
            if painted is None and line.startswith("smoke: painted"):
                painted = time.perf_counter() - start
        if proc.wait() != 0 or painted is None:
            raise SystemExit(f"bench_start: {' '.join(command)} failed (exit {proc.returncode})")
        return painted


def measure(name: str, command: list[str], runs: int, cold: bool) -> None:
    dropped = drop_caches() if cold else False
    first = time_to_paint(command)
    warm = [time_to_paint(command) for _ in range(max(runs - 1, 1))]
    label = "cold (page cache dropped)" if dropped else "first run"
    print(f"{name:<28} {label}: {first * 1000:6.0f} ms   warm median of {len(warm)}: "
          f"{statistics.median(warm) * 1000:6.0f} ms")


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    files = [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--installed", default="/usr/bin/qtmail")
    parser.add_argument("--bundle", type=Path, default=ROOT / "build" / "dist" / "qtmail")
    parser.add_argument("--deb", type=Path)
    parser.add_argument("--drop-caches", action="store_true")
    args = parser.parse_args()

    if args.bundle.is_dir():
        print(f"{'bundle ' + str(args.bundle):<28} {size_mb(args.bundle):6.1f} MB")
    debs = [args.deb] if args.deb else sorted((ROOT / "build").glob("qtmail_*.deb"))
    for deb in debs:
        print(f"{deb.name:<28} {size_mb(deb):6.1f} MB")
    if Path(args.installed).exists():
        measure(f"installed {args.installed}", [args.installed, "--smoke"], args.runs,
                args.drop_caches)
    measure("python -m qtmail (venv)", [sys.executable, "-m", "qtmail", "--smoke"], args.runs,
            args.drop_caches)
    return 0


if __name__ == "__main__":
    sys.exit(main())
