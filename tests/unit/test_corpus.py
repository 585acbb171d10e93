"""Every corpus file parses, renders and lists safe attachment names in < 2 s (E.41)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpers.corpus import corpus_files, require_corpus

from qtmail.mime.filenames import safe_filename
from qtmail.mime.parse import parse_message
from qtmail.mime.render import render_text

FILES = corpus_files() or ["(the corpus is missing)"]
"""On a plain clone one placeholder, which the corpus_dir fixture skips (or fails in CI)."""


def test_corpus_is_present() -> None:
    require_corpus()
    assert len(FILES) >= 243


@pytest.mark.parametrize("name", FILES)
def test_corpus_message(corpus_dir: Path, name: str) -> None:
    raw = (corpus_dir / name).read_bytes()
    started = time.monotonic()
    parsed = parse_message(raw)
    text = render_text(parsed)
    elapsed = time.monotonic() - started

    assert elapsed < 2.0, f"{name} took {elapsed:.2f} s"
    assert not any("could not be read" in w for w in parsed.warnings)
    assert text.startswith("From: ")
    header_block = text.split("\n\n", 1)[0]
    assert "\x1b" not in header_block and "\x00" not in text
    for att in parsed.attachments:
        assert att.filename == safe_filename(att.filename)
        assert "/" not in att.filename and "\\" not in att.filename
        assert att.filename not in ("", ".", "..")
        assert parsed.attachment_bytes(att.part_id) is not None
    ids = [a.part_id for a in parsed.attachments]
    assert len(ids) == len(set(ids))
