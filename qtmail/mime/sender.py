"""Who a message is from, as the user should read it (RELIABILITY D).

A display name is whatever the sender typed, so it can claim anything: another address
(``"ceo@yourco.example" <x@evil.example>``), a domain (``paypal.com <x@evil.example>``),
and a domain can imitate another with letters of a second alphabet (``pаypal.com`` with
a Cyrillic "а", an IDN homograph). Everything here is Qt-free and shared by the message
list models and the message view, so both show the same text and the same flag:

- ``concerns(address)``: what is wrong, as codes (empty for an honest sender);
- ``display_address(addr)``: the address with a lookalike domain in punycode (RFC 3492);
- ``list_text(address)``: the sender cell. A name alone when nothing is wrong, else a
  warning sign, the name *and* the real address.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata

from qtmail.core.types import Address
from qtmail.mime.addresses import is_addr_spec

FLAG = "\u26a0"
"""The warning sign put in front of a sender that needs a second look."""


class Concern(enum.Enum):
    INVALID_ADDRESS = "invalid-address"
    """No address we can stand behind: malformed, assembled from encoded words, none."""
    NAME_HAS_ADDRESS = "name-has-address"
    """The name contains "@": it claims an address other than the real one."""
    NAME_HAS_DOMAIN = "name-has-domain"
    """The name names a domain that is not the sender's ("paypal.com")."""
    LOOKALIKE_DOMAIN = "lookalike-domain"
    """The domain mixes alphabets or imitates Latin letters (shown as punycode)."""


# Domains a name might claim: labels ending in a common top-level domain. A fixed list
# keeps "Mr.Smith" or "v2.0" from being read as domains.
_TLDS = (
    "com|net|org|edu|gov|mil|int|info|biz|io|co|app|dev|me|us|uk|de|fr|jp|cn|ru|it|es|nl"
    "|ch|at|be|se|no|dk|fi|pl|br|in|au|ca|eu|example|test|online|site|shop|xyz|top|bank"
)
_DOMAIN_IN_NAME = re.compile(
    r"(?<![\w.-])((?:[\w-]+\.)+(?:" + _TLDS + r"))(?![\w-])", re.IGNORECASE)
_ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bBqQ]\?")

# Script groups that legitimately mix inside one label: Japanese and Chinese names mix
# Han, kana and Latin; Korean mixes Hangul and Han (UTS #39 "highly restrictive").
_CJK = frozenset({"CJK", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA", "HANGUL", "BOPOMOFO",
                  "IDEOGRAPHIC"})
# Cyrillic and Greek letters that look like Latin ones: a label written only in these
# (and digits/hyphens) imitates a Latin name even without mixing (whole-script
# confusables, UTS #39 section 4).
_LATIN_LOOKALIKES = frozenset(
    "аеорсухіјѕԁһӏԛԝвкмнтпгьАВЕКМНОРСТХІЈЅаѵүӓӧ"
    "αοτνκιρχυεΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"
)


def concerns(address: Address) -> tuple[Concern, ...]:
    """What a user must be told about this sender; empty when name and address agree."""
    found: list[Concern] = []
    name, addr = address.name.strip(), address.addr.strip()
    invalid = not addr or not is_addr_spec(addr) or _ENCODED_WORD.search(addr)
    if invalid and (addr or "@" in name):
        found.append(Concern.INVALID_ADDRESS)
    if "@" in name and name.strip("<>\"' ").casefold() != addr.casefold():
        found.append(Concern.NAME_HAS_ADDRESS)
    domain = addr.rpartition("@")[2].casefold().rstrip(".")
    if "@" not in name and domain:
        for claimed in _DOMAIN_IN_NAME.findall(name):
            claimed = claimed.casefold()
            if claimed != domain and not domain.endswith("." + claimed) \
                    and not claimed.endswith("." + domain):
                found.append(Concern.NAME_HAS_DOMAIN)
                break
    if domain and is_lookalike_domain(domain):
        found.append(Concern.LOOKALIKE_DOMAIN)
    return tuple(found)


def claimed_domain(name: str) -> str:
    """The first domain a display name mentions, "" when none."""
    match = _DOMAIN_IN_NAME.search(name)
    return match.group(1) if match else ""


def is_lookalike_domain(domain: str) -> bool:
    """Whether a label mixes alphabets, or is written only in Latin lookalikes."""
    for label in domain.split("."):
        if label.isascii():
            continue
        scripts = {_script(ch) for ch in label if ch.isalpha()} - {""}
        if len(scripts) > 1 and scripts != {"LATIN", "CJK"}:
            return True
        letters = [ch for ch in label if ch.isalpha()]
        if letters and all(ch in _LATIN_LOOKALIKES for ch in letters):
            return True
    return False


def _script(ch: str) -> str:
    try:
        first = unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return ""
    return "CJK" if first in _CJK else first


def display_address(addr: str) -> str:
    """The address as shown: a lookalike domain in its punycode spelling (RFC 3492)."""
    local, at, domain = addr.rpartition("@")
    if not at or domain.isascii() or not is_lookalike_domain(domain):
        return addr
    return f"{local}@{punycode_domain(domain)}"


def punycode_domain(domain: str) -> str:
    """Every non-ASCII label as ``xn--`` punycode; never raises."""
    labels: list[str] = []
    for label in domain.split("."):
        if label.isascii():
            labels.append(label)
            continue
        try:
            labels.append("xn--" + label.casefold().encode("punycode").decode("ascii"))
        except (UnicodeError, ValueError):
            labels.append(label.encode("ascii", "backslashreplace").decode("ascii"))
    return ".".join(labels)


@functools.lru_cache(maxsize=4096)  # Views ask again on every repaint.
def list_text(address: Address) -> str:
    """The sender column's text: the name, or flag + name + real address when needed."""
    name, addr = address.name.strip(), address.addr.strip()
    shown = display_address(addr)
    if not concerns(address):
        return name or shown
    if name and shown and name != shown:
        return f"{FLAG} {name} <{shown}>"
    return f"{FLAG} {name or shown}"
