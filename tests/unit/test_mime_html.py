"""HTML sanitising (zero requests, cid only, no active content) and html_to_text limits."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from qtmail.mime.html import html_to_text, sanitize_html, strip_tags
from qtmail.mime.parse import parse_message

# Each snippet holds exactly one reference that would make a request.
REMOTE_REFERENCES = [
    '<img src="http://tracker.example/p.gif">',
    '<img src="//tracker.example/p.gif">',
    '<img srcset="https://tracker.example/a.png 2x">',
    '<body background="http://tracker.example/bg.png">x</body>',
    '<table background="bg.png"><tr><td>x</td></tr></table>',
    '<div style="background:url(http://tracker.example/s.png)">x</div>',
    "<div style=\"background-image: URL( 'https://tracker.example/s.png' )\">x</div>",
    '<div style="background:u\\72l(http://tracker.example/escaped.png)">x</div>',
    "<style>@import 'http://tracker.example/s.css';</style>",
    "<style>p { background: url(http://tracker.example/bg.png) }</style>",
    "<style>@font-face { src: url(https://fonts.example/f.woff) }</style>",
    '<link rel="stylesheet" href="http://tracker.example/s.css">',
    '<img src="file:///etc/passwd">',
    '<img src="/etc/hostname">',
    '<img src="\\\\server\\share\\x.png">',
    '<video poster="http://tracker.example/p.png"></video>',
    '<input type="image" src="http://tracker.example/i.png">',
    '<iframe src="http://tracker.example/frame"></iframe>',
    '<svg><image href="http://tracker.example/svg.png"/></svg>',
]


@pytest.mark.parametrize("snippet", REMOTE_REFERENCES)
def test_every_remote_reference_is_blocked_and_counted(snippet: str) -> None:
    safe = sanitize_html(f"<html><body>{snippet}</body></html>")
    assert safe.blocked_remote == 1
    assert not re.search(r"(?i)(https?:|//|file:|\\\\|/etc/|bg\.png)", safe.html), safe.html


def test_counts_add_up() -> None:
    html = "".join(REMOTE_REFERENCES)
    assert sanitize_html(html).blocked_remote == len(REMOTE_REFERENCES)


def test_cid_references_are_kept() -> None:
    safe = sanitize_html('<img src="cid:logo@x"><div style="background:url(cid:bg@x)">t</div>')
    assert 'src="cid:logo@x"' in safe.html
    assert "url(cid:bg@x)" in safe.html
    assert safe.blocked_remote == 0


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
     "&#106;avascript:alert(1)", "data:text/html,<script>x</script>", "file:///etc/passwd",
     "vbscript:msgbox"],
)
def test_dangerous_links_lose_their_target(href: str) -> None:
    safe = sanitize_html(f'<a href="{href}">click</a>')
    assert "href" not in safe.html
    assert "click" in safe.html


def test_safe_links_are_kept() -> None:
    safe = sanitize_html(
        '<a href="https://example.org/x?a=1&amp;b=2">x</a><a href="mailto:a@b">m</a>'
    )
    assert 'href="https://example.org/x?a=1&amp;b=2"' in safe.html
    assert 'href="mailto:a@b"' in safe.html


def test_active_content_is_removed() -> None:
    safe = sanitize_html(
        '<meta http-equiv="refresh" content="0;url=http://evil.example">'
        '<base href="http://evil.example/"><script>steal()</script>'
        '<body onload="steal()"><p onclick="steal()" class="k">text</p>'
        '<form action="http://evil.example/post"><input name="pw"><button>Go</button></form>'
        '<object data="x.swf"></object><embed src="x.swf">'
        '<div style="width: expression(alert(1))">e</div></body>'
    )
    lowered = safe.html.lower()
    for bad in ("<script", "steal", "onload", "onclick", "<meta", "<base", "<form", "<input",
                "<object", "<embed", "expression(", "evil.example"):
        assert bad not in lowered, bad
    assert '<p class="k">text</p>' in safe.html


def test_text_is_escaped_once() -> None:
    safe = sanitize_html("<p>&lt;b&gt; &amp;amp;</p>")
    assert safe.html == "<p>&lt;b&gt; &amp;amp;</p>"


def test_html_to_text_drops_script_and_style_and_decodes_entities_once() -> None:
    text = html_to_text(
        "<html><head><style>p { color: red }</style><script>var secret = 1;</script></head>"
        "<body><p>Fish &amp; chips &amp;lt;3</p><a href='javascript:x()'>link</a></body></html>"
    )
    assert "Fish & chips &lt;3" in text
    assert "secret" not in text and "color" not in text and "javascript" not in text


def test_html_to_text_timeout_falls_back_to_stripped_text() -> None:
    html = "<div>" + "<p>word &amp; more</p>" * 20000 + "</div><script>hidden()</script>"
    started = time.monotonic()
    text = html_to_text(html, timeout=0.01)
    assert time.monotonic() - started < 1.5
    assert "word & more" in text and "hidden" not in text


def test_html_to_text_on_large_call_stack_file(corpus_dir: Path) -> None:
    raw = (corpus_dir / "mailparser-js" / "htmllargecallstack.eml").read_bytes()
    html = parse_message(raw).html_body
    assert html is not None and len(html) > 500_000
    started = time.monotonic()
    text = html_to_text(html, timeout=2.0)
    assert time.monotonic() - started < 2.5
    assert "<title" not in text.lower()
    started = time.monotonic()
    sanitize_html(html)
    assert time.monotonic() - started < 2.0


def test_deep_nesting_is_converted_without_recursion_error() -> None:
    html = "<div>" * 5000 + "deep text" + "</div>" * 5000
    assert "deep text" in html_to_text(html)


def test_strip_tags_is_linear_on_unclosed_script() -> None:
    html = "<p>visible</p>" + "<script>" * 50000
    started = time.monotonic()
    assert strip_tags(html) == "visible"
    assert time.monotonic() - started < 1.0


def test_fixed_newsletter_widths_become_fluid_and_blocked_images_reserve_no_space() -> None:
    html = ('<table width="600"><tr><td width="640px">x</td><td width="40">y</td></tr>'
            '</table><table width="300"></table>'
            '<img src="https://t.example/a.png" width="600" height="200">'
            '<img src="cid:logo" width="120" height="40">')
    safe = sanitize_html(html).html
    assert '<table width="100%">' in safe
    assert '<td>x</td>' in safe and '<td width="40">y</td>' in safe
    assert '<table width="300">' in safe  # narrow enough for any pane: kept
    assert '<img>' in safe or '<img />' in safe  # blocked: no 600 x 200 blank area
    assert 'src="cid:logo" width="120" height="40"' in safe
