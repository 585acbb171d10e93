"""Where the shared corpus of real-world and malformed messages is, if it is there.

A plain clone has no ``../shared``: the corpus tests then skip, naming the reason. In
CI (``CI`` set) the corpus is always laid beside the clone, so its absence fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CORPUS = Path(os.environ.get("QTMAIL_CORPUS")
              or Path(__file__).resolve().parents[3] / "shared" / "corpus")


def corpus_files() -> list[str]:
    """Every corpus file's path relative to the corpus, or [] when it is missing."""
    if not CORPUS.is_dir():
        return []
    return sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file())


def require_corpus() -> Path:
    """The corpus folder; skips the test on a plain clone, fails it in CI."""
    if CORPUS.is_dir():
        return CORPUS
    reason = f"the shared corpus is not at {CORPUS} (a plain clone has no ../shared)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}, and CI must run the corpus tests")
    pytest.skip(reason)
