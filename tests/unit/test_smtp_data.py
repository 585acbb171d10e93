"""smtp/send.py's DATA bytes: CRLF lines, dot-stuffed (RFC 5321 4.5.2), a slice at a time."""

from __future__ import annotations

import re

import pytest

from qtmail.smtp import send
from qtmail.sync.outbox import StoredMessage


def _whole(data: bytes) -> bytes:
    """The substitutions over the whole message at once, as smtplib.sendmail does them."""
    data = re.sub(rb"(?m)^\.", b"..", re.sub(rb"\r?\n", b"\r\n", data))
    return data + (b"" if data.endswith(b"\r\n") else b"\r\n") + b".\r\n"


@pytest.mark.parametrize("data", [
    b"",
    b"a\r\nb\r\n",
    b"a\r\nb",
    b".starts with a dot\r\n",
    b"a\r\n.b\r\n..c\r\n.\r\n",
    b"bare\nline ends\n.and a dot\r\nafter\r\n",
    b"lone\rCR\r\n.x. y.\r\n",
    b"dots. in. lines.\r\n" * 50 + b".\r\n" + b"QUJD\r\n" * 50,
    b"x" * 100 + b"\n" + b"." * 10 + b"\r\n",
])
@pytest.mark.parametrize("slice_size", [1, 7, 64, 1 << 18])
def test_data_is_what_the_whole_substitution_gives(monkeypatch: pytest.MonkeyPatch,
                                                   data: bytes, slice_size: int) -> None:
    monkeypatch.setattr(send, "_DATA_SLICE", slice_size)
    assert send._data_bytes(StoredMessage(data)) == _whole(data)


def test_a_clean_message_goes_as_it_is() -> None:
    data = b"Subject: x\r\n\r\n" + b"QUJDRA==\r\n" * 100_000
    sent = send._data_bytes(StoredMessage(data))
    assert sent == data + b".\r\n"
