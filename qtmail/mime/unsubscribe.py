"""How to leave a mailing list (issue 14): from RFC 2369 List-Unsubscribe, the RFC 8058
one-click POST only when it is safe, else a prepared mail or the list's web page.

One-click needs ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``, an https URI,
and a DKIM pass for the sender's domain in the receiving server's Authentication-Results
(the topmost, RFC 8601 5): then the sender signed those headers and nobody else can make
qtmail POST somewhere. Never a GET on the user's behalf: senders keep GET for a page
that asks (link scanners follow GETs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:  # a type only: the parser loads with the first message (issue 18)
    from qtmail.mime.parse import ParsedMessage



class Method(Enum):
    ONE_CLICK = "one_click"
    """POST ``List-Unsubscribe=One-Click`` to ``target`` (https)."""
    MAILTO = "mailto"
    """A prepared message to ``target`` (a mailto: URI) for the user to send."""
    WEB = "web"
    """The list's page (https) in the browser, after the user's word."""


@dataclass(frozen=True)
class Offer:
    method: Method
    target: str
    list_name: str
    """Who the user leaves, as shown: the sender's name or address."""


_URI = re.compile(r"<\s*([^>\s]+)\s*>")
_DKIM_PASS = re.compile(r"\bdkim\s*=\s*pass\b[^;]*?\bheader\.[di]\s*=\s*@?([A-Za-z0-9.-]+)",
                        re.IGNORECASE)
ONE_CLICK_BODY = "List-Unsubscribe=One-Click"


def unsubscribe_offer(parsed: ParsedMessage) -> Offer | None:
    """The best safe way out of the list, or None when the message names none."""
    uris = _URI.findall(parsed.list_unsubscribe)
    https = [u for u in uris if urlsplit(u).scheme.lower() == "https" and urlsplit(u).hostname]
    mailto = [u for u in uris if u.lower().startswith("mailto:") and "@" in u]
    name = parsed.sender.name or parsed.sender.addr
    one_click = parsed.list_unsubscribe_post.strip().lower() == ONE_CLICK_BODY.lower()
    if one_click and https and _dkim_aligned(parsed):
        return Offer(Method.ONE_CLICK, https[0], name)
    if mailto:
        return Offer(Method.MAILTO, mailto[0], name)
    if https:
        return Offer(Method.WEB, https[0], name)
    return None


def _dkim_aligned(parsed: ParsedMessage) -> bool:
    """A DKIM pass whose signing domain is the sender's domain or a parent of it."""
    sender_domain = parsed.sender.addr.rpartition("@")[2].lower().rstrip(".")
    if not sender_domain:
        return False
    for domain in _DKIM_PASS.findall(parsed.authentication_results):
        signer = domain.lower().rstrip(".")
        if "." in signer and (sender_domain == signer or sender_domain.endswith("." + signer)):
            return True
    return False
