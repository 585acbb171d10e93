"""When qtmail may unsubscribe with one click (RFC 8058), and what it offers instead."""

from __future__ import annotations

from qtmail.mime.parse import parse_message
from qtmail.mime.unsubscribe import Method, unsubscribe_offer

BOTH = ("List-Unsubscribe: <mailto:leave@lists.example.org?subject=unsubscribe>,\r\n"
        " <https://lists.example.org/u/42>\r\n")
POST = "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
DKIM = "Authentication-Results: mx.example.net; dkim=pass header.d=example.org; spf=pass\r\n"


def offer(headers: str, sender: str = "News <news@example.org>") -> object:
    raw = (f"{headers}From: {sender}\r\nTo: me@example.net\r\nSubject: Weekly\r\n\r\nHi\r\n")
    return unsubscribe_offer(parse_message(raw.encode()))


def test_one_click_only_with_the_post_header_https_and_an_aligned_dkim_pass() -> None:
    found = offer(DKIM + BOTH + POST)
    assert found is not None and found.method is Method.ONE_CLICK  # type: ignore[attr-defined]
    assert found.target == "https://lists.example.org/u/42"  # type: ignore[attr-defined]


def test_without_a_trustworthy_signature_a_prepared_mail_instead() -> None:
    for headers in (BOTH + POST,  # no Authentication-Results
                    DKIM.replace("dkim=pass", "dkim=fail") + BOTH + POST,
                    DKIM.replace("example.org", "evil.example") + BOTH + POST,  # another's
                    DKIM.replace("example.org", "org") + BOTH + POST,  # a bare TLD
                    DKIM + BOTH):  # no one-click header
        found = offer(headers)
        assert found is not None and found.method is Method.MAILTO, headers  # type: ignore[attr-defined]


def test_a_forged_lower_authentication_results_is_not_believed() -> None:
    # The sender's own header sits below the receiving server's (RFC 8601 5).
    server = "Authentication-Results: mx.example.net; dkim=none\r\n"
    found = offer(server + DKIM + BOTH + POST)
    assert found is not None and found.method is Method.MAILTO  # type: ignore[attr-defined]


def test_a_page_only_list_and_none_at_all() -> None:
    found = offer("List-Unsubscribe: <https://lists.example.org/u/42>\r\n")
    assert found is not None and found.method is Method.WEB  # type: ignore[attr-defined]
    assert offer("List-Unsubscribe: <http://lists.example.org/u/42>\r\n") is None  # no http
    assert offer("") is None
