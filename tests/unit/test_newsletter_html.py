"""Newsletters prepared for QTextBrowser (issue 14, qtmail/mime/newsletter.py): what
they hide stays hidden, buttons look like buttons, 600 px layouts fit the pane, and
tracking pixels are removed whatever the remote-content choice."""

from __future__ import annotations

from helpers.newsletters import DIGEST, MOBILE_ONLY, PREHEADER, SHOP

from qtmail.mime import newsletter
from qtmail.mime.html import sanitize_html, strip_tags


def test_the_preheader_and_mobile_only_copies_are_removed() -> None:
    for html in (SHOP, DIGEST):
        safe = sanitize_html(html)
        text = strip_tags(safe.html)
        assert PREHEADER not in text
        assert MOBILE_ONLY not in text
        assert safe.hidden >= 1
    assert "Autumn sale: 30% off" in strip_tags(sanitize_html(SHOP).html)
    assert "Read all 5 stories" in strip_tags(sanitize_html(DIGEST).html)


def test_tracking_pixels_are_removed_and_counted_even_with_remote_content_allowed() -> None:
    for allowed in (False, True):
        shop = sanitize_html(SHOP, allow_remote_images=allowed)
        assert shop.trackers == 1
        assert "track.shop.example" not in shop.html
        assert all("track." not in url for url in shop.remote_images)
        assert sanitize_html(DIGEST, allow_remote_images=allowed).trackers == 1
    # The product photos are ordinary remote images: blocked, offered, loadable.
    assert sanitize_html(SHOP).blocked_remote >= 3
    assert len(sanitize_html(SHOP, allow_remote_images=True).remote_images) == 2


def test_a_button_link_is_drawn_in_a_bordered_cell() -> None:
    html = sanitize_html(SHOP).html
    start = html.index(newsletter.BUTTON_OPEN)
    assert html.index("Shop the sale") > start
    assert html.index(newsletter.BUTTON_CLOSE, start) > html.index("Shop the sale")
    # An ordinary link (the unsubscribe one) is left alone.
    before = html[:html.index(">Unsubscribe<")]
    assert before.rfind(newsletter.BUTTON_OPEN) == start


def test_layouts_wider_than_the_pane_become_fluid() -> None:
    html = sanitize_html(SHOP).html
    body = html[html.index("</style>"):]  # the @media rule's 600px is a condition
    assert "600px" not in body and "568" not in body
    assert 'width="100%"' in body


def test_what_is_not_hidden_stays() -> None:
    assert not newsletter.is_hidden({"style": "mso-hide: all"})  # Outlook-only hiding
    assert not newsletter.is_hidden({"style": "font-size: 0.9em"})
    assert not newsletter.is_hidden({"style": "height: 0; overflow: visible"})
    assert newsletter.is_hidden({"style": "font-size:0px"})
    assert newsletter.is_hidden({"hidden": ""})
    # An unclosed hidden <p> is kept: skipping to its end tag could swallow the rest.
    safe = sanitize_html('<p style="display:none">preheader<div>Main text</div>')
    assert "Main text" in safe.html
