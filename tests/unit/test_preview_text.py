"""Preview lines' text (issue 14, qtmail/mime/preview.py): what the list's second line
shows for real shapes of mail, whole or cut short by a partial fetch."""

from __future__ import annotations

import base64

from qtmail.mime import preview


def test_quoted_lines_and_the_attribution_are_left_out() -> None:
    text = "Sounds good, see you at 10.\n\nOn Mon, Bob wrote:\n> Shall we meet?\n> Bob\n"
    assert preview.clean(text) == "Sounds good, see you at 10."


def test_invisible_padding_and_bidi_overrides_are_dropped() -> None:
    # Newsletters pad the preheader with zero-width joiners and soft hyphens; a U+202E
    # override would turn the rest of the row around.
    text = "Big sale today\u034f\u200c\u00ad \u034f\u200c\u00ad\u202e txet"
    assert preview.clean(text) == "Big sale today txet"


def test_a_long_body_is_cut_with_an_ellipsis() -> None:
    line = preview.clean("word " * 200)
    assert len(line) <= preview.MAX_CHARS + 1 and line.endswith("word…")


def test_server_preview_is_utf8() -> None:
    assert preview.from_server("Grüße aus Köln".encode()) == "Grüße aus Köln"


def test_html_only_message_gives_its_text_without_markup_or_styles() -> None:
    header = b"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8"
    body = (b"<html><head><style>p {color: red}</style></head><body>"
            b"<p>Your <b>order</b> has shipped.</p></body></html>")
    assert preview.from_start(header, body) == "Your order has shipped."


def test_multipart_cut_short_still_gives_the_plain_part() -> None:
    header = (b"MIME-Version: 1.0\r\n"
              b'Content-Type: multipart/alternative; boundary="b1"')
    start = (b"This is a multi-part message.\r\n\r\n--b1\r\n"
             b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
             b"Lunch on Friday? The new place on Main Street.\r\n\r\n--b1\r\n"
             b"Content-Type: text/html; charset=utf-8\r\n\r\n<p>Lunch on Fri")
    assert preview.from_start(header, start) \
        == "Lunch on Friday? The new place on Main Street."


def test_base64_body_cut_mid_way_decodes_what_arrived() -> None:
    encoded = base64.encodebytes("Der Bericht für das dritte Quartal ist fertig. ".encode()
                                 * 40)
    header = (b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
              b"Content-Transfer-Encoding: base64")
    line = preview.from_start(header, encoded[:301])  # cut inside a line and a quantum
    assert line.startswith("Der Bericht für das dritte Quartal ist fertig.")


def test_a_message_without_text_has_an_empty_line() -> None:
    header = b"MIME-Version: 1.0\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64"
    assert preview.from_start(header, b"iVBORw0KGgo=") == ""
