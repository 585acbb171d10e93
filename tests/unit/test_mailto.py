"""mailto: links (RFC 6068): percent-decoding, several recipients, header injection."""

from __future__ import annotations

import pytest

from qtmail.core.mailto import MailtoError, MailtoLink, is_mailto, parse_mailto


def test_plain_address() -> None:
    assert parse_mailto("mailto:someone@example.org") == MailtoLink(to=("someone@example.org",))


def test_scheme_is_case_insensitive() -> None:
    assert is_mailto("MAILTO:a@example.org")
    assert parse_mailto("MailTo:a@example.org").to == ("a@example.org",)


def test_fields_are_percent_decoded_as_utf8() -> None:
    link = parse_mailto("mailto:someone@example.org?subject=Caf%C3%A9%20%26%20cake"
                        "&body=Line%201%0D%0ALine%202%0A%E6%B7%BB%E4%BB%98&cc=bob@example.org")
    assert link.subject == "Café & cake"
    assert link.body == "Line 1\nLine 2\n添付"
    assert link.cc == ("bob@example.org",)


def test_plus_is_a_plus_not_a_space() -> None:
    # RFC 6068 5: "+" is not a space (that is HTML form encoding).
    link = parse_mailto("mailto:a+tag@example.org?subject=1+1")
    assert link.to == ("a+tag@example.org",)
    assert link.subject == "1+1"


def test_several_recipients_and_to_fields() -> None:
    link = parse_mailto("mailto:a@example.org,b@example.org?to=c@example.org"
                        "&TO=d@example.org&bcc=e@example.org&cc=f@example.org&cc=g@example.org")
    assert link.to == ("a@example.org,b@example.org", "c@example.org", "d@example.org")
    assert link.cc == ("f@example.org", "g@example.org")
    assert link.bcc == ("e@example.org",)


def test_display_name_with_comma_survives() -> None:
    link = parse_mailto("mailto:?to=%22Doe%2C%20Jane%22%20%3Cjane@example.org%3E")
    assert link.to == ('"Doe, Jane" <jane@example.org>',)


def test_empty_link_and_fragment() -> None:
    assert parse_mailto("mailto:") == MailtoLink()
    assert parse_mailto("mailto:a@example.org#frag").to == ("a@example.org",)


def test_in_reply_to() -> None:
    link = parse_mailto("mailto:list@example.org?In-Reply-To=%3C3469A91.D10AF4C%40example.com%3E")
    assert link.in_reply_to == "3469A91.D10AF4C@example.com"
    assert parse_mailto("mailto:a@example.org?in-reply-to=garbage").in_reply_to == ""


@pytest.mark.parametrize("url", [
    "mailto:a@example.org?subject=Hi%0D%0ABcc:%20victim@example.org",
    "mailto:a@example.org?subject=Hi%0ABcc:%20victim@example.org",
    "mailto:a@example.org?cc=b@example.org%0D%0AX-Evil:%201",
    "mailto:a@example.org%0D%0ABcc:victim@example.org",
    "mailto:a@example.org?to=b@example.org%0Dc",
    "mailto:a@example.org?subject=%00nul",
    "mailto:a@example.org?subject=%E2%80%A8",  # U+2028 LINE SEPARATOR
    "mailto:a@example.org?body=bell%07",
])
def test_header_injection_is_refused(url: str) -> None:
    with pytest.raises(MailtoError):
        parse_mailto(url)


def test_attach_and_unknown_fields_are_ignored() -> None:
    # Some clients honour "attach=": a web page could attach any local file. Never.
    link = parse_mailto("mailto:a@example.org?attach=/etc/passwd&attachment=~/.ssh/id_rsa"
                        "&from=boss@example.org&x-custom=1&subject=Hi")
    assert link == MailtoLink(to=("a@example.org",), subject="Hi")


def test_refusals() -> None:
    with pytest.raises(MailtoError):
        parse_mailto("https://example.org")
    with pytest.raises(MailtoError):
        parse_mailto("mailto:a@example.org?subject=%FF%FE")  # not UTF-8
    with pytest.raises(MailtoError):
        parse_mailto("mailto:a@example.org?body=" + "x" * 70_000)
