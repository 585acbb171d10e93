"""Make message HTML inert (no scripts, no remote loads) and convert it to plain text.

RELIABILITY C.23-C.31: rendering makes zero network or local-file requests; only
``cid:`` parts of the same message may resolve (RFC 2392). Links stay clickable only
for schemes the viewer can hand to the system browser.
"""

from __future__ import annotations

import html as stdlib_html
import logging
import re
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from qtmail.mime import newsletter

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SafeHtml:
    html: str
    blocked_remote: int
    """How many remote or local resource references were removed (shown to the user)."""
    remote_images: tuple[str, ...] = ()
    """With ``allow_remote_images``: the http(s) URL of every kept ``<img src>``, in order
    and without duplicates; the HTML refers to URL number i as ``remote_image_ref(i)``."""
    trackers: int = 0
    """1x1 images removed whatever the remote-content choice (qtmail.mime.newsletter)."""
    hidden: int = 0
    """Elements the message hides (a preheader, mobile-only copies), removed."""


REMOTE_IMAGE_SCHEME = "qtmail-remote"
"""Internal scheme of kept remote images: the document never sees the real URL, and a
message cannot spell such a reference itself (it is neither cid: nor http(s): dropped)."""


def remote_image_ref(index: int) -> str:
    return f"{REMOTE_IMAGE_SCHEME}:{index}"


# Removed together with everything inside them: they run code, embed other documents,
# or (svg/math) carry their own href/url machinery.
_DROP_WITH_CONTENT = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "noembed",
    "template", "svg", "math", "select", "textarea", "xml", "bgsound", "layer", "ilayer",
})
# Removed, their text kept: forms cannot submit, meta cannot refresh, base cannot
# re-point relative URLs, link cannot fetch style sheets, fonts or prefetch hosts.
_DROP_TAG_ONLY = frozenset({
    "form", "input", "button", "option", "meta", "link", "base", "portal", "head",
    "keygen", "isindex", "noscript",
})
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "param", "source", "track", "wbr", "keygen", "bgsound",
})
# Attributes whose value the renderer would fetch (HTML 4/5 plus legacy IE/Netscape).
_RESOURCE_ATTRS = frozenset({
    "src", "lowsrc", "dynsrc", "background", "poster", "data", "code", "codebase",
    "archive", "classid", "manifest", "longdesc", "srcset", "imagesrcset", "action",
    "formaction", "ping", "xlink:href", "profile", "icon", "usemap", "srcdoc",
})
_LINK_TAGS = frozenset({"a", "area"})
_LINK_SCHEMES = ("http:", "https:", "mailto:", "ftp:", "tel:", "news:", "xmpp:")
# Browsers drop ASCII tab/newline anywhere in a URL ("java\tscript:"), WHATWG URL 4.4.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")


class _Sanitizer(HTMLParser):
    def __init__(self, allow_remote_images: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.blocked = 0
        self.allow_remote_images = allow_remote_images
        self.remote: dict[str, str] = {}
        """Kept remote image URL -> its internal reference (insertion ordered)."""
        self._skip_stack: list[str] = []
        self._in_style = False
        self.trackers = 0
        self.hidden = 0
        self.button_open = False
        """Inside a button link drawn in a bordered cell (newsletter.BUTTON_OPEN)."""

    # -- tags ---------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._emit_start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._emit_start(tag, attrs, closed=True)

    def _emit_start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        live = not self._skip_stack and tag not in _DROP_WITH_CONTENT \
            and tag not in _DROP_TAG_ONLY
        given = {name.lower(): value or "" for name, value in attrs}
        if live and tag == "img" and newsletter.is_tracking_pixel(given):
            self.trackers += 1  # never loaded, so not offered as blocked content either
            return
        # Counts blocked references even if dropped.
        kept = self._clean_attrs(tag, attrs, live)
        if self._skip_stack:
            if tag == self._skip_stack[-1] and not closed:
                self._skip_stack.append(tag)
            return
        if tag in _DROP_WITH_CONTENT:
            if not closed and tag not in _VOID:
                self._skip_stack.append(tag)
            return
        if tag in _DROP_TAG_ONLY:
            return
        if newsletter.is_hidden(given) and tag not in newsletter.UNCLOSED_TAGS:
            self.hidden += 1
            if not closed and tag not in _VOID:
                self._skip_stack.append(tag)
            return
        if tag == "style":
            self._in_style = True
        if tag == "a" and not closed and not self.button_open and newsletter.is_button(given):
            self.out.append(newsletter.BUTTON_OPEN)
            self.button_open = True
        text = "".join(f' {name}="{stdlib_html.escape(value)}"' for name, value in kept)
        self.out.append(f"<{tag}{text}{' /' if closed else ''}>")

    def handle_endtag(self, tag: str) -> None:
        if self._skip_stack:
            if tag == self._skip_stack[-1]:
                self._skip_stack.pop()
            return
        if tag in _DROP_WITH_CONTENT or tag in _DROP_TAG_ONLY:
            return
        if tag == "style":
            self._in_style = False
        self.out.append(f"</{tag}>")
        if tag == "a" and self.button_open:
            self.out.append(newsletter.BUTTON_CLOSE)
            self.button_open = False

    def handle_data(self, data: str) -> None:
        if self._skip_stack:
            return
        if self._in_style:
            css, count = sanitize_css(data)
            self.blocked += count
            # "<" cannot legitimately occur in CSS; it could only close the element.
            self.out.append(css.replace("<", "\\3C "))
        else:
            self.out.append(stdlib_html.escape(data, quote=False))

    # Comments hide Outlook conditional markup (<!--[if mso]><v:image src=...>) that some
    # engines honour; declarations and PIs have no place in a message.
    def handle_comment(self, data: str) -> None:
        return

    def handle_decl(self, decl: str) -> None:
        if decl.lower().startswith("doctype") and not self._skip_stack:
            self.out.append(f"<!{stdlib_html.escape(decl, quote=False)}>")

    def handle_pi(self, data: str) -> None:
        return

    def unknown_decl(self, data: str) -> None:
        return

    # -- attributes ---------------------------------------------------------------------
    def _clean_attrs(
        self, tag: str, attrs: list[tuple[str, str | None]], live: bool = True
    ) -> list[tuple[str, str]]:
        kept: list[tuple[str, str]] = []
        for raw_name, raw_value in attrs:
            name = raw_name.lower()
            value = raw_value or ""
            if name.startswith("on") or name in ("formtarget", "target", "http-equiv"):
                continue
            if name == "href" and tag in _LINK_TAGS:
                if _is_safe_link(value):
                    kept.append((name, value))
                continue
            if name in _RESOURCE_ATTRS or name == "href" or name.endswith(":href"):
                if self.allow_remote_images and live and tag == "img" and name == "src":
                    url = _remote_image_url(value)
                    if url is not None:
                        ref = self.remote.setdefault(url, remote_image_ref(len(self.remote)))
                        kept.append((name, ref))
                        continue
                if name in ("srcset", "imagesrcset"):
                    urls = [c.strip().split(" ")[0] for c in value.split(",") if c.strip()]
                else:
                    urls = [value]
                if urls and all(_is_cid(u) for u in urls):
                    kept.append((name, value))
                else:
                    self.blocked += sum(1 for u in urls if _is_fetchable(u))
                continue
            if name == "style":
                css, count = sanitize_css(value)
                self.blocked += count
                if tag in _FLUID_TAGS or tag == "div":
                    css = newsletter.fluid_css(css, FLUID_WIDTH)
                kept.append((name, css))
                continue
            if name == "width" and tag in _FLUID_TAGS and _wider_than(
                    value, FLUID_WIDTH if tag == "table" else FLUID_CELL_WIDTH):
                # A newsletter laid out for 600 px fills a narrower reading pane instead
                # of needing a horizontal scroll bar (issue 13 item 7).
                kept.append((name, "100%") if tag == "table" else ("", ""))
                continue
            kept.append((name, value))
        kept = [(name, value) for name, value in kept if name]
        if tag == "img" and not any(name == "src" for name, _value in kept):
            # Blocked: nothing will be drawn, so it reserves no blank area either.
            kept = [(n, v) for n, v in kept if n not in ("width", "height")]
        return kept


FLUID_WIDTH = 320
"""Fixed widths above this many pixels (tables, cells) become fluid: mail is read in
panes narrower than the 600-700 px newsletters are designed for."""
FLUID_CELL_WIDTH = 160
"""Cells wider than this lose their fixed width (issue 14): two 284 px columns of a
600 px newsletter share the pane instead of adding up to more than it."""
_FLUID_TAGS = frozenset({"table", "td", "th", "col"})


def _wider_than(value: str, limit: int) -> bool:
    digits = value.strip().lower().removesuffix("px").strip()
    return digits.isdigit() and int(digits) > limit


def _normalise_url(url: str) -> str:
    return _URL_NOISE.sub("", stdlib_html.unescape(url)).lower()


def _is_cid(url: str) -> bool:
    return _normalise_url(url).startswith("cid:")


def _is_fetchable(url: str) -> bool:
    """Whether a resource reference would make a request (remote or local file)."""
    norm = _normalise_url(url)
    return bool(norm) and not norm.startswith(("#", "javascript:", "data:", "about:"))


def _remote_image_url(url: str) -> str | None:
    """The http(s) URL an ``<img src>`` would fetch, or None for anything else."""
    cleaned = _URL_NOISE.sub("", url)
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return cleaned


def _is_safe_link(url: str) -> bool:
    norm = _normalise_url(url)
    return norm.startswith(("#", "cid:", "mid:", *_LINK_SCHEMES))


# CSS 2.1 section 4.1.3: "\75 rl(" is "url(". Escapes are decoded before looking for
# url(), image-set() and @import so none can be smuggled past the patterns below.
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\r\n\f]?|\\(.)", re.DOTALL)
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)
_CSS_URL = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"@import\b[^;]*;?", re.IGNORECASE)
_CSS_IMAGE_SET = re.compile(r"(?:-webkit-)?image-set\s*\([^)]*\)", re.IGNORECASE)
# IE expression() runs script; behavior/-moz-binding load code from a URL.
_CSS_ACTIVE = re.compile(r"expression\s*\(|behavior\s*:|-moz-binding\s*:", re.IGNORECASE)


def _unescape_css(match: re.Match[str]) -> str:
    if match.group(1):
        code = int(match.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return match.group(2)


def sanitize_css(css: str) -> tuple[str, int]:
    """CSS with every non-cid url(), image-set() and @import removed, and their count."""
    blocked = 0
    text = _CSS_ESCAPE.sub(_unescape_css, css)
    text = _CSS_COMMENT.sub("", text)

    def drop_import(match: re.Match[str]) -> str:
        nonlocal blocked
        blocked += 1
        return ""

    def drop_url(match: re.Match[str]) -> str:
        nonlocal blocked
        url = match.group(2)
        if _is_cid(url):
            return match.group(0)
        if _is_fetchable(url):
            blocked += 1
        return "none"

    text = _CSS_IMPORT.sub(drop_import, text)
    text = _CSS_IMAGE_SET.sub(drop_import, text)
    text = _CSS_URL.sub(drop_url, text)
    text = _CSS_ACTIVE.sub("x-blocked:", text)
    return text, blocked


def sanitize_html(html: str, *, allow_remote_images: bool = False) -> SafeHtml:
    """Inert HTML for the message viewer and the number of blocked resource loads.

    ``allow_remote_images`` (the user chose "Load remote content") keeps the http(s)
    ``src`` of ``<img>`` elements, rewritten to internal references listed in
    ``SafeHtml.remote_images``; everything else stays blocked: CSS url(), @import,
    fonts, link, srcset, background attributes, other schemes.
    """
    parser = _Sanitizer(allow_remote_images)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser can assert on some malformed declarations.
        log.warning("HTML sanitising failed; showing text only", exc_info=True)
        text = stdlib_html.escape(strip_tags(html), quote=False)
        return SafeHtml(f"<pre>{text}</pre>", parser.blocked)
    if parser.button_open:  # a button link never closed
        parser.out.append("</a>" + newsletter.BUTTON_CLOSE)
    return SafeHtml("".join(parser.out), parser.blocked, tuple(parser.remote),
                    parser.trackers, parser.hidden)


# --- text conversion -----------------------------------------------------------------

MAX_CONVERT_CHARS = 400_000
"""Larger HTML (no real letter; spam padding, C.30 attack files) is tag-stripped: html2text
needs about 2 s per MB, more than the whole display budget."""


def html_to_text(html: str, *, timeout: float = 2.0) -> str:
    """Plain text for an HTML body; tag-stripped text when html2text is slow or fails.

    html2text runs in a daemon worker thread that checks a cancel flag on every tag,
    so after a timeout it stops at the next tag instead of burning CPU (C.30).
    """
    if len(html) > MAX_CONVERT_CHARS:
        return strip_tags(html)
    # html2text is imported with the first body converted, not with the window (issue 18).
    from qtmail.mime.html_text import Cancelled, GuardedHtml2Text

    result: list[str] = []
    cancel = threading.Event()

    def work() -> None:
        try:
            # Sanitised first so javascript:/data: link targets never reach the text.
            result.append(GuardedHtml2Text(cancel, _VOID).handle(sanitize_html(html).html))
        except Cancelled:
            pass
        except Exception:  # html2text has assertion and index errors on broken HTML.
            log.debug("html2text failed", exc_info=True)

    worker = threading.Thread(target=work, name="html_to_text", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive() or not result:
        cancel.set()
        return strip_tags(html)
    return _tidy(result[0])


_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


def _tidy(text: str) -> str:
    return _BLANK_LINES.sub("\n\n", _TRAILING_SPACE.sub("\n", text)).strip()


_TAG = re.compile(r"<[^>]*>?")
_BLOCK_TAG = re.compile(r"<(?:br|p|div|tr|li|h[1-6]|table|blockquote)\b[^>]*>", re.IGNORECASE)
_RAW_TEXT = ("script", "style", "head")


def strip_tags(html: str) -> str:
    """Linear-time text extraction: raw-text element bodies dropped, entities decoded once."""
    lower = html.lower()
    pieces: list[str] = []
    pos = 0
    while True:
        # Find the next raw-text element by plain searching: no backtracking regex.
        found = [(i, name) for name in _RAW_TEXT if (i := _find_tag(lower, f"<{name}", pos)) >= 0]
        if not found:
            pieces.append(html[pos:])
            break
        start, name = min(found)
        pieces.append(html[pos:start])
        end = _find_tag(lower, f"</{name}", start)
        if end == -1:
            if name in ("script", "style"):
                break  # An unclosed script runs to the end: none of it is text.
            # An unclosed title/head (C.30 attack files): drop only the tag itself.
            close = lower.find(">", start)
            pos = len(html) if close == -1 else close + 1
            continue
        close = lower.find(">", end)
        pos = len(html) if close == -1 else close + 1
    text = "".join(pieces)
    text = _BLOCK_TAG.sub("\n", text)
    text = _TAG.sub("", text)
    text = stdlib_html.unescape(text)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return _tidy(re.sub(r" *\n *", "\n", text))


def _find_tag(lower: str, opening: str, pos: int) -> int:
    """Index of ``opening`` as a whole tag name ("<head" but not "<header"), or -1."""
    while (index := lower.find(opening, pos)) != -1:
        after = lower[index + len(opening): index + len(opening) + 1]
        if after in ("", ">", "/") or after.isspace():
            return index
        pos = index + 1
    return -1
