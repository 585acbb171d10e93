"""A first sync's store rows made straight from the FETCH answer (sync/fetch_rows.py)
are the rows the general path makes (header_values, then the store's encoder): for
random and hostile header blocks, for every corpus message's header, and whether the
raw values were seen before or not."""

from __future__ import annotations

import random

import pytest
from helpers.corpus import corpus_files, require_corpus

from qtmail.imap.fetchparse import parse_flags
from qtmail.imap.summary import MAX_LISTED_ADDRESSES, MAX_REFERENCES, build_summary
from qtmail.store import codec
from qtmail.sync import fetch_rows
from qtmail.sync.fetch_rows import header_row

FLAGS = [b"", b"\\Seen", b"\\Seen \\Recent", b"\\Deleted \\Seen", b"\\seen $Forwarded",
         b"\\Flagged \\Answered Junk", b"\\Recent"]


def reference(uid: int, flags: bytes, internaldate: int, size: int, modseq: int | None,
              block: bytes) -> codec.HeaderRow:
    summary = build_summary(uid, parse_flags(flags), internaldate, size, block, modseq)
    return codec.header_rows([summary])[0]


def outcome(make, *args):  # type: ignore[no-untyped-def]
    try:
        return make(*args)
    except Exception as error:  # the same refusal either way: the response is skipped
        return type(error)


def assert_same(block: bytes, rng: random.Random) -> None:
    args = (rng.randint(1, 10**9), rng.choice(FLAGS), rng.randint(0, 2**31),
            rng.randint(0, 10**7), rng.choice([None, rng.randint(1, 2**40)]), block)
    assert outcome(header_row, *args) == outcome(reference, *args), block


NAMES = [b"Alice Example", b'"Example, Alice"', b"=?utf-8?q?J=C3=BCrgen?=", b"\xe4\xf6",
         b"A" * 1200, b"", b'"quoted \\" name"', b"(comment)"]
ADDRS = [b"alice@example.org", b"b" * 1100 + b"@example.org", b"no-at-sign", b"a@b@c",
         b"=?utf-8?q?x?=@example.org"]


def address(rng: random.Random) -> bytes:
    name, addr = rng.choice(NAMES), rng.choice(ADDRS)
    return rng.choice([addr, name + b" <" + addr + b">", b"<" + addr + b">"])


def field(rng: random.Random) -> bytes:
    kind = rng.randrange(9)
    if kind == 0:
        return b"From: " + address(rng)
    if kind in (1, 2):
        many = rng.choice([1, 2, 3, MAX_LISTED_ADDRESSES + 5])
        return rng.choice([b"To: ", b"Cc: ", b"CC: "]) + b", ".join(
            address(rng) for _ in range(many))
    if kind == 3:
        return b"Subject: " + rng.choice([b"Hello", b"=?utf-8?b?w6TDtg==?=", b"\xe4",
                                          b"tab\there", b"x" * 5000, b"ctl\x01\x7f", b""])
    if kind == 4:
        return b"Date: " + rng.choice([b"Mon, 2 Dec 2024 10:00:00 +0100", b"2 Dec 24 10:00 EST",
                                       b"nonsense", b"31 Feb 2024 10:00:00 +0000", b""])
    if kind == 5:
        return rng.choice([b"Message-ID: ", b"In-Reply-To: "]) + rng.choice(
            [b"<a@b>", b"<a@b> <c@d>", b"no brackets", b"<" + b"i" * 1500 + b">", b"<\xe4@x>"])
    if kind == 6:
        count = rng.choice([1, 3, MAX_REFERENCES + 10])
        return b"References: " + b"\r\n ".join(b"<r%d@x>" % n for n in range(count))
    if kind == 7:
        return b"Content-Type: " + rng.choice([b"multipart/mixed; boundary=x", b"text/plain",
                                               b"application/pdf", b"IMAGE/png", b""])
    return rng.choice([b"X-Other: o", b"Bad Name: x", b"no colon", b" continued"])


def test_rows_equal_the_general_path_on_random_blocks() -> None:
    rng = random.Random(18)
    for _ in range(3_000):
        block = b"\r\n".join(field(rng) for _ in range(rng.randint(0, 10))) + b"\r\n\r\n"
        assert_same(block, rng)
        assert_same(block, rng)  # again, from the caches


def test_rows_equal_the_general_path_for_no_block_and_odd_ones() -> None:
    rng = random.Random(7)
    for block in (b"", b"\r\n", b"From:\r\n", b"To: ,\r\n", b"Subject: a\nFrom: b@c\n"):
        assert_same(block, rng)


@pytest.mark.parametrize("name", corpus_files() or ["(no corpus)"])
def test_rows_equal_the_general_path_on_the_corpus(name: str) -> None:
    data = (require_corpus() / name).read_bytes()
    end = data.find(b"\r\n\r\n")
    if end < 0:
        end = data.find(b"\n\n")
    block = data if end < 0 else data[:end + 2]
    assert_same(block[:200_000], random.Random(name))


def test_the_caches_stay_bounded() -> None:
    for n in range(fetch_rows.CACHE_MAX + 10):
        header_row(n, b"\\Seen", 0, 1, None, b"From: user%d@example.org\r\n" % n)
    assert len(fetch_rows._senders) <= fetch_rows.CACHE_MAX
