"""Attachment names: traversal, bidi tricks, reserved names; saving without overwriting."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qtmail.mime.filenames import MAX_NAME_BYTES, safe_filename, save_bytes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234/../../1234.txt", "1234.txt"),
        ("../../etc/passwd", "passwd"),
        ("..%2F..%2Fetc%2Fx", "x"),
        ("C:\\Windows\\System32\\evil.dll", "evil.dll"),
        ("/etc/shadow", "shadow"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ("report\u2066\u2069.pdf", "report.pdf"),
        ("\u200bhidden\u200d.txt", "hidden.txt"),
        ("a\x00b\r\nc.txt", "a b c.txt"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("LPT1.doc", "_LPT1.doc"),
        ("console.txt", "console.txt"),
        ("what?:*.pdf", "what___.pdf"),
        ("", "attachment"),
        (".", "attachment"),
        ("..", "attachment"),
        ("  ...  ", "attachment"),
        (".bashrc", "bashrc"),
        ("Maßnahmen Okt. 2020.html", "Maßnahmen Okt. 2020.html"),
    ],
)
def test_safe_filename(raw: str, expected: str) -> None:
    assert safe_filename(raw) == expected


def test_fallback_is_used_and_sanitised() -> None:
    assert safe_filename("///", fallback="part-2.bin") == "part-2.bin"
    assert safe_filename("", fallback="../x") == "x"


def test_long_names_keep_their_extension() -> None:
    name = safe_filename("ä" * 300 + ".pdf")
    assert name.endswith(".pdf")
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES


def test_save_bytes_never_overwrites(tmp_path: Path) -> None:
    first = save_bytes(tmp_path, "msg.txt", b"one")
    second = save_bytes(tmp_path, "msg.txt", b"two")
    third = save_bytes(tmp_path, "msg.txt", b"three")
    assert [p.name for p in (first, second, third)] == ["msg.txt", "msg (2).txt", "msg (3).txt"]
    assert first.read_bytes() == b"one" and second.read_bytes() == b"two"


def test_save_bytes_stays_inside_folder(tmp_path: Path) -> None:
    target = tmp_path / "downloads"
    target.mkdir()
    for name in ("../../escape.txt", "..%2F..%2Fescape.txt", "/tmp/escape.txt", "CON"):
        path = save_bytes(target, name, b"x")
        assert path.parent == target.resolve()
    assert not (tmp_path / "escape.txt").exists()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_save_bytes_does_not_follow_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    folder = tmp_path / "dl"
    folder.mkdir()
    (folder / "report.pdf").symlink_to(victim)
    (folder / "dangling.pdf").symlink_to(tmp_path / "does-not-exist")

    saved = save_bytes(folder, "report.pdf", b"attacker data")
    dangling = save_bytes(folder, "dangling.pdf", b"attacker data")

    assert victim.read_bytes() == b"precious"
    assert not (tmp_path / "does-not-exist").exists()
    assert saved.name == "report (2).pdf" and not saved.is_symlink()
    assert dangling.name == "dangling (2).pdf"
