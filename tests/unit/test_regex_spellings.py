"""Character classes spelt as what they are not, for start-up time (issue 18), match
exactly the sets their readable spelling names: checked over every code point."""

from __future__ import annotations

import re

from qtmail.mime import addresses, links

EVERY_CHARACTER = "".join(map(chr, range(0x110000)))


def matched(pattern: str, flags: int = 0) -> str:
    return "".join(re.findall(pattern, EVERY_CHARACTER, flags))


def test_atext_is_rfc_6532_atext() -> None:
    assert matched(addresses._ATEXT.pattern.removesuffix("+")) == matched(
        r"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u00a0-\U0010ffff]")


def test_top_level_domain_characters() -> None:
    assert matched(links.TLD_CHARS, re.IGNORECASE) == matched(
        r"[a-z\u00a1-\uffff]", re.IGNORECASE)
    assert links._URL_TEXT.flags & re.IGNORECASE
