"""The message's HTML for "Open in Browser" (issue 14): the sanitised copy the reading
pane shows, never the sender's original, with a Content Security Policy that lets the
browser fetch nothing more than qtmail would: no scripts, frames, fonts or style
sheets, and remote pictures only when the user loaded them for this message."""

from __future__ import annotations

import html as stdlib_html
from collections.abc import Mapping

_BLOCKED = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_PICTURES = "default-src 'none'; style-src 'unsafe-inline'; img-src data: https: http:"


def browser_copy(safe_html: str, subject: str, remote: Mapping[str, str] | None = None) -> str:
    """A standalone page of ``safe_html`` (already sanitised). ``remote``: the remote
    pictures the user loaded, URL -> the internal reference the HTML uses for it; their
    real URLs go back in and the policy allows pictures (and nothing else) from the web.
    """
    body = safe_html
    for url, ref in (remote or {}).items():
        body = body.replace(f'"{ref}"', f'"{stdlib_html.escape(url)}"')
    policy = _PICTURES if remote else _BLOCKED
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">"
            "<meta name=\"referrer\" content=\"no-referrer\">"
            f"<title>{stdlib_html.escape(subject)}</title></head><body>{body}</body></html>")
