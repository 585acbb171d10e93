"""Reply and forward drafts from a parsed message (RFC 5322 3.6.4, RFC 3676).

Threading: In-Reply-To is the original's Message-ID; References is the original's
References (or its single In-Reply-To) followed by its Message-ID (RFC 5322 3.6.4).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from qtmail.core.outgoing import Attachment, Draft
from qtmail.core.types import Address
from qtmail.mime.filenames import safe_filename
from qtmail.mime.html import html_to_text
from qtmail.mime.parse import ParsedMessage
from qtmail.mime.render import format_date


@dataclass(frozen=True)
class Wording:
    """The words a reply or forward adds to the text, in the user's language.

    This module is Qt-free (ARCHITECTURE.md); the window passes them translated. Each
    template holds ``%1`` (and ``%2``) where the date and name go.
    """

    wrote: str = "%1 wrote:"
    wrote_on: str = "On %1, %2 wrote:"
    unknown_sender: str = "Unknown sender"
    forwarded: str = "-------- Forwarded Message --------"
    subject: str = "Subject: %1"
    date: str = "Date: %1"
    sender: str = "From: %1"
    to: str = "To: %1"
    cc: str = "Cc: %1"
    format_date: Callable[[int | None], str] = format_date


ENGLISH = Wording()

MAX_REFERENCES = 20
"""Longer chains keep the first id and the most recent ones (RFC 5322 3.6.4 allows it)."""

# "Re:", "RE:", "AW:" (German), "Sv:"/"Vs:" (Nordic), "Antw:" (Dutch), "Odp:" (Polish),
# "Res:" (Portuguese), with an optional counter "Re[2]:"; piled-up prefixes too.
_REPLY_PREFIX = re.compile(r"^(?:\s*(?:re|aw|sv|vs|antw|odp|res)(?:\s*\[\d+\])?\s*:)+\s*",
                           re.IGNORECASE)
_FORWARD_PREFIX = re.compile(r"^(?:\s*(?:fwd?|wg|tr|rv|vs)\s*:)+\s*", re.IGNORECASE)
_CONTROLS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def reply_subject(subject: str) -> str:
    """"Re: " once, whatever reply prefixes the original had."""
    return "Re: " + _REPLY_PREFIX.sub("", _one_line(subject))


def forward_subject(subject: str) -> str:
    return "Fwd: " + _FORWARD_PREFIX.sub("", _one_line(subject))


def _one_line(text: str) -> str:
    # A decoded header may hold encoded line breaks; the draft must not (I.63).
    return _CONTROLS.sub(" ", text).strip()


def _references(parsed: ParsedMessage) -> tuple[str, ...]:
    chain = list(parsed.references)
    if not chain and parsed.in_reply_to:
        chain = [parsed.in_reply_to]
    if parsed.message_id and parsed.message_id not in chain:
        chain.append(parsed.message_id)
    if len(chain) > MAX_REFERENCES:
        chain = [chain[0], *chain[-(MAX_REFERENCES - 1):]]
    return tuple(chain)


def _unique(addresses: Iterable[Address], exclude: set[str]) -> tuple[Address, ...]:
    out: list[Address] = []
    for address in addresses:
        key = address.addr.lower()
        if key and key not in exclude:
            exclude.add(key)
            name = _one_line(address.name)
            if "=?" in name or ("@" in name and name.casefold() != key):
                # A name claiming another address is not carried into the reply: the
                # recipient field shows where the reply really goes (issue 17).
                name = ""
            out.append(Address(name, address.addr))
    return tuple(out)


def _identity(parsed: ParsedMessage, own: Sequence[Address]) -> Address:
    """The user's address the original was sent to, else the first identity."""
    mine = {a.addr.lower(): a for a in own}
    for address in (*parsed.to, *parsed.cc):
        if address.addr.lower() in mine:
            return mine[address.addr.lower()]
    return own[0] if own else Address("", "")


def original_text(parsed: ParsedMessage) -> str:
    """The original's body as plain text; an HTML-only one is converted."""
    if parsed.text_body is not None:
        text = parsed.text_body
    elif parsed.html_body is not None:
        text = html_to_text(parsed.html_body)
    else:
        text = ""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _fill(template: str, *values: str) -> str:
    # One pass, so a name holding "%2" is not filled in again.
    return re.sub(r"%([12])", lambda m: values[int(m.group(1)) - 1]
                  if int(m.group(1)) <= len(values) else m.group(0), template)


def quote_body(parsed: ParsedMessage, words: Wording = ENGLISH) -> str:
    """"On <date>, <name> wrote:" and the original with "> " before each line."""
    name = _one_line(parsed.sender.name or parsed.sender.addr) or words.unknown_sender
    if parsed.date is None:
        intro = _fill(words.wrote, name)
    else:
        intro = _fill(words.wrote_on, words.format_date(parsed.date), name)
    lines = original_text(parsed).rstrip("\n").split("\n")
    quoted = [(">" + line if line.startswith(">") else "> " + line) if line else ">"
              for line in lines]
    return "\n\n" + intro + "\n" + "\n".join(quoted) + "\n"


def reply(parsed: ParsedMessage, *, own_addresses: Sequence[Address],
          reply_all: bool, words: Wording = ENGLISH) -> Draft:
    """A reply draft; ``own_addresses`` are the user's identities, default first.

    Recipients: Reply-To if set, else From (RFC 5322 3.6.2); replying to one's own
    message goes to its recipients. Reply-all adds To and Cc, minus the user's own
    addresses and duplicates.
    """
    own = {a.addr.lower() for a in own_addresses}
    from_me = parsed.sender.addr.lower() in own and not parsed.reply_to
    primary = parsed.to if from_me else parsed.reply_to or (parsed.sender,)
    excluded = set(own)
    to = _unique(primary, excluded)
    cc: tuple[Address, ...] = ()
    if reply_all:
        extra_to = () if from_me else parsed.to
        to += _unique(extra_to, excluded)
        cc = _unique(parsed.cc, excluded)
    if not to and not cc and primary:
        to = _unique(primary, set())  # a note to oneself: reply to oneself
    return Draft(
        from_address=_identity(parsed, own_addresses),
        to=to, cc=cc,
        subject=reply_subject(parsed.subject),
        body_text=quote_body(parsed, words),
        in_reply_to=parsed.message_id,
        references=_references(parsed),
    )


def _headers_block(parsed: ParsedMessage, words: Wording) -> str:
    lines = [words.forwarded,
             _fill(words.subject, _one_line(parsed.subject)),
             _fill(words.date, words.format_date(parsed.date)),
             _fill(words.sender, _one_line(parsed.sender.display()))]
    if parsed.to:
        lines.append(_fill(words.to, ", ".join(_one_line(a.display()) for a in parsed.to)))
    if parsed.cc:
        lines.append(_fill(words.cc, ", ".join(_one_line(a.display()) for a in parsed.cc)))
    return "\n".join(lines)


def forward(parsed: ParsedMessage, *, inline: bool, raw: bytes,
            from_address: Address | None = None, words: Wording = ENGLISH) -> Draft:
    """A forward: inline (headers block, text, the attachments kept) or the original
    as a message/rfc822 attachment (RFC 2046 5.2.1).

    The composer sets ``from_address`` (the chosen identity) when it is not given.
    """
    subject = forward_subject(parsed.subject)
    from_address = from_address or Address("", "")
    if not inline:
        name = safe_filename(_one_line(parsed.subject)[:100], "message") + ".eml"
        return Draft(from_address=from_address, subject=subject,
                     attachments=(Attachment(name, "message/rfc822", raw),))
    attachments = tuple(
        Attachment(_one_line(info.filename) or "attachment", info.content_type, data)
        for info in parsed.attachments
        if (data := parsed.attachment_bytes(info.part_id)) is not None
    )
    body = "\n\n" + _headers_block(parsed, words) + "\n\n" + original_text(parsed)
    return Draft(from_address=from_address, subject=subject, body_text=body,
                 attachments=attachments)
