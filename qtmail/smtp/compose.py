"""Draft -> ``EmailMessage`` for sending, and recipient parsing (RELIABILITY.md I).

Messages are built with ``email.policy.SMTP`` (CRLF line ends). Every user-supplied
header value is checked before it reaches the email package: a line break or other
control character is refused with a sentence, never folded into a new header
(RELIABILITY I.63, RFC 5322 2.2 - header bodies are unstructured text without CR/LF).
"""

from __future__ import annotations

import email.utils
import io
import re
from collections.abc import Iterator, Sequence
from email import policy
from email.generator import BytesGenerator
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage, Message
from email.parser import BytesParser
from typing import AnyStr

from qtmail.core.errors import QT_TRANSLATE_NOOP, Sentence
from qtmail.core.outgoing import Attachment, Draft
from qtmail.core.types import Address
from qtmail.core.yielding import pause_lane
from qtmail.mime.addresses import AddressSyntaxError, parse_address_list
from qtmail.mime.headers import has_encoded_controls
from qtmail.smtp.bulk import Bulk
from qtmail.smtp.errors import InvalidDraft

WRAP = 72
"""Flowed lines are wrapped at this many characters (RFC 3676 4.2 recommends <= 78)."""

# 7bit: non-ASCII bodies become quoted-printable or base64, so no 8BITMIME is needed.
BUILD_POLICY = policy.SMTP.clone(cte_type="7bit")

_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_TOKEN = r"[A-Za-z0-9!#$&^_.+-]+"
_CONTENT_TYPE = re.compile(rf"({_TOKEN})/({_TOKEN})")
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_MSG_ID = re.compile(r"[^\s<>\x00-\x1f\x7f]+@[^\s<>\x00-\x1f\x7f]+")


def check_header_text(value: str, what: str) -> str:
    """``value`` unchanged, or InvalidDraft naming ``what`` ("the subject")."""
    if _LINE_BREAKS.search(value):
        raise InvalidDraft(f"{what[:1].upper()}{what[1:]} cannot contain line breaks.",
                           detail=repr(value))
    if _CONTROLS.search(value):
        raise InvalidDraft(
            f"{what[:1].upper()}{what[1:]} cannot contain control characters.",
            detail=repr(value))
    if has_encoded_controls(value):
        # The email package decodes RFC 2047 words it is given and writes the decoded
        # text back out unencoded: "=?utf-8?q?a=0D=0ABcc:...?=" would become a header.
        raise InvalidDraft(f"{what[:1].upper()}{what[1:]} cannot contain line breaks.",
                           detail=repr(value))
    return value


def valid_addr_spec(addr: str) -> bool:
    """A plain ``local@domain`` we can put into MAIL FROM / RCPT TO (RFC 5321 4.1.2).

    Non-ASCII domains are accepted (sent as IDNA); non-ASCII local parts are not, as
    they need SMTPUTF8 (RFC 6531), which we do not use.
    """
    local, at, domain = addr.rpartition("@")
    if not at or not local or not domain or len(addr) > 254:
        return False
    if not _LOCAL.fullmatch(local):
        return False
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return bool(_DOMAIN.fullmatch(ascii_domain))


def _header_address(address: Address, what: str, *, recipient: bool = True) -> HeaderAddress:
    check_header_text(address.name, f"the name of {what}")
    check_header_text(address.addr, f"the address of {what}")
    if not valid_addr_spec(address.addr):
        raise InvalidDraft(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "“{addr}” is not a valid email address."), addr=address.addr))
    name = address.name.strip()
    if recipient and ("=?" in name or ("@" in name and name.casefold() != address.addr.casefold())):
        # Whatever path the draft came by (composer, mailto:, a reopened draft), the
        # recipient must see the address the mail goes to, not one a name claims.
        raise InvalidDraft(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The name “{name}” looks like another address than “{addr}”; "
            "remove it or correct the address."), name=name, addr=address.addr))
    local, _, domain = address.addr.rpartition("@")
    return HeaderAddress(display_name=address.name, username=local, domain=domain)


def _msg_id(value: str) -> str:
    value = value.strip().strip("<>")
    if not _MSG_ID.fullmatch(value):
        raise InvalidDraft(QT_TRANSLATE_NOOP(
            "Errors", "The message being replied to has an unusable Message-ID."),
                           detail=repr(value))
    return f"<{value}>"


def flowed(text: str, width: int = WRAP) -> str:
    """Plain text as format=flowed (RFC 3676 4.1-4.5), DelSp=No.

    Long unquoted lines get soft breaks (a trailing space); hard line ends carry no
    trailing space; lines starting with space, ">" or "From " are space-stuffed (4.4).
    Quoted lines (">") keep their length: rewrapping them would change the quote depth.
    """
    out: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line == "-- ":  # signature separator, RFC 3676 4.3
            out.append(line)
            continue
        line = line.rstrip(" ")
        if line.startswith(">"):
            out.append(line)
            continue
        pieces = _wrap(line, width)
        for index, piece in enumerate(pieces):
            if piece.startswith((" ", "From ")) or (index and piece.startswith(">")):
                piece = " " + piece
            out.append(piece if index == len(pieces) - 1 else piece + " ")
    return "\n".join(out)


def _wrap(line: str, width: int) -> list[str]:
    """Split after spaces so that joining the pieces gives ``line`` back exactly."""
    pieces: list[str] = []
    while len(line) > width:
        cut = line.rfind(" ", 0, width)
        if cut <= 0:
            cut = line.find(" ", width)
            if cut < 0:
                break
        pieces.append(line[:cut])  # the soft-break space is the one at ``cut``
        line = line[cut + 1:]
    pieces.append(line)
    return pieces


def _content_type(value: str) -> tuple[str, str]:
    match = _CONTENT_TYPE.fullmatch(value.strip().lower())
    if not match or match.group(1) == "multipart":
        return "application", "octet-stream"
    return match.group(1), match.group(2)


def _add_attachment(msg: EmailMessage, attachment: Attachment, bulk: Bulk | None) -> None:
    name = check_header_text(attachment.filename, "an attachment name")
    maintype, subtype = _content_type(attachment.content_type)
    if (maintype, subtype) == ("message", "rfc822"):
        # RFC 2046 5.2.1: message/rfc822 must not be base64-encoded; attach it parsed.
        # compat32 keeps the header lines as received instead of decoding and refolding.
        inner = BytesParser(policy=policy.compat32).parsebytes(attachment.data)
        msg.add_attachment(inner, filename=name)
        return
    if maintype == "message":
        maintype, subtype = "application", "octet-stream"
    data = attachment.data
    if bulk is not None and bulk.wants(data):
        data = bulk.stand_in(data)  # its lines go into the bytes at the end
    # RFC 2231 filename*= parameters are produced by the policy for non-ASCII names.
    msg.add_attachment(data, maintype=maintype, subtype=subtype,
                       filename=name, cte="base64")


def build_message(draft: Draft, *, message_id_domain: str) -> EmailMessage:
    """The message to send: RFC 5322 headers, MIME (RFC 2045-2049), no Bcc header."""
    msg = _compose(draft, message_id_domain, None)
    _verify(message_bytes(msg))
    return msg


def build_message_bytes(draft: Draft, *, message_id_domain: str,
                        headers: Sequence[tuple[str, str]] = ()
                        ) -> tuple[EmailMessage, bytes]:
    """``build_message``'s headers and structure, and the message's CRLF bytes (the
    same bytes are checked and sent). The bodies of attachments of BULK bytes or more
    are only in the bytes (smtp/bulk.py): in the message each holds a stand-in (read its
    headers, never serialise it). ``headers`` are added after the check (a Drafts copy's
    Bcc and draft id, which a message to send must not have)."""
    bulk = Bulk(BUILD_POLICY.max_line_length)
    msg = _compose(draft, message_id_domain, bulk)
    skeleton = message_bytes(msg)
    # The attachments' own lines are base64 (no colon, no hyphen, never blank): they
    # can be neither a header nor a boundary, so the skeleton is what needs checking.
    _verify(skeleton)
    if headers:
        for name, value in headers:
            msg[name] = value
        skeleton = message_bytes(msg)
    return msg, bulk.splice(skeleton)


def _compose(draft: Draft, message_id_domain: str, bulk: Bulk | None) -> EmailMessage:
    msg = EmailMessage(policy=BUILD_POLICY)
    msg["From"] = _header_address(draft.from_address, "the sender", recipient=False)
    for header, addresses in (("To", draft.to), ("Cc", draft.cc)):
        if addresses:
            msg[header] = [_header_address(a, f"the recipient {a.addr!r}") for a in addresses]
    for address in draft.bcc:
        _header_address(address, f"the recipient {address.addr!r}")
    msg["Subject"] = check_header_text(draft.subject, "the subject")
    msg["Date"] = email.utils.format_datetime(email.utils.localtime())
    msg["Message-ID"] = email.utils.make_msgid(domain=message_id_domain)
    if draft.in_reply_to:
        msg["In-Reply-To"] = _msg_id(draft.in_reply_to)
    if draft.references:
        msg["References"] = " ".join(_msg_id(r) for r in draft.references)
    msg.set_content(flowed(draft.body_text), params={"format": "flowed"})
    if draft.body_html is not None:
        msg.add_alternative(draft.body_html, subtype="html")
    for attachment in draft.attachments:
        _add_attachment(msg, attachment, bulk)
    return msg


_TOP_HEADERS = {"from", "to", "cc", "subject", "date", "message-id", "in-reply-to",
                "references", "mime-version", "content-type", "content-transfer-encoding"}
_PART_HEADERS = {"content-type", "content-transfer-encoding", "content-disposition",
                 "mime-version"}


_BASE64_RUN = re.compile(rb"(?:[A-Za-z0-9+/=]{1,76}\r\n){2,}")


SLICE = 1 << 20
"""Big texts are worked on a slice of about this many characters at a time: one regex
or join over a 14 MB message holds Python's lock for 30-100 ms, and the account's
worker (another thread of this process) answers nothing meanwhile (issue 18). Before
each slice, a worker answering the user goes first (core/yielding.py ``pause_lane``)."""


def line_slices(text: AnyStr, size: int = SLICE) -> Iterator[AnyStr]:
    """``text`` in pieces of whole lines (each but the last ends with a newline), about
    ``size`` long: a regex anchored at line starts, or replacing line ends, gives the
    same result on each piece as on the whole (a CR LF pair is never cut)."""
    newline = "\n" if isinstance(text, str) else b"\n"
    start = 0
    while start < len(text):
        pause_lane()
        end = text.find(newline, start + size)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _verify(raw: bytes) -> None:
    """Re-parse the bytes: only the headers we wrote may be there (RELIABILITY I.63).

    The last line of defence should the email package ever turn text into header syntax.
    Runs of base64 lines are read as one line: such a line holds no colon, no hyphen
    and is never blank, so it can be neither a header, a boundary nor the end of a
    header block, and the structure read is the same (a 10 MB attachment: 0.19 s of
    parsing down to 35 ms of regex, a slice at a time).
    """
    shrunk = b"".join(_BASE64_RUN.sub(b"QQ==\r\n", piece) for piece in line_slices(raw))
    parsed = BytesParser(policy=policy.compat32).parsebytes(shrunk)
    names = [name.lower() for name in parsed]
    unexpected = [n for n in names if n not in _TOP_HEADERS]
    unexpected += [n for n in set(names) if names.count(n) > 1]
    unexpected += _part_headers(parsed)
    if unexpected:
        raise InvalidDraft(QT_TRANSLATE_NOOP(
            "Errors", "The message contains text that would add headers to it; it was "
            "not sent."), detail=repr(unexpected))


def _part_headers(message: Message) -> list[str]:
    """Unexpected header names in the MIME parts below ``message``."""
    out: list[str] = []
    payload = message.get_payload()
    if message.is_multipart() and isinstance(payload, list):
        for part in payload:
            if not isinstance(part, Message):
                continue
            out += [n.lower() for n in part if n.lower() not in _PART_HEADERS]
            if part.get_content_type() != "message/rfc822":  # forwarded: its own headers
                out += _part_headers(part)
    return out


def envelope_recipients(draft: Draft) -> list[str]:
    """RCPT TO addresses: visible recipients plus Bcc, each once (RFC 5321 3.3)."""
    seen: set[str] = set()
    out: list[str] = []
    for address in (*draft.to, *draft.cc, *draft.bcc):
        if address.addr.lower() not in seen:
            seen.add(address.addr.lower())
            out.append(address.addr)
    return out


def _split_list(text: str) -> list[str]:
    """Split on commas, semicolons and line breaks outside quotes, <...> and (...)."""
    pieces: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    depth = 0
    for ch in text:
        if escaped:
            escaped = False
        elif quoted and ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif not quoted and ch in "<(":
            depth += 1
        elif not quoted and ch in ">)" and depth:
            depth -= 1
        elif not quoted and not depth and ch in ",;\r\n":
            pieces.append("".join(current))
            current = []
            continue
        current.append(ch)
    pieces.append("".join(current))
    out: list[str] = []
    for piece in (p.strip() for p in pieces):
        # "a@x.org b@y.org": a pasted list separated by spaces only.
        words = piece.split()
        if len(words) > 1 and all("@" in w and not set(w) & set('"<>()') for w in words):
            out.extend(words)
        elif piece:
            out.append(piece)
    return out


def parse_recipients(text: str) -> tuple[list[Address], list[str]]:
    """Addresses typed or pasted by the user, and the pieces that are not valid.

    Strict: each piece must be exactly one address, ``addr`` or ``name <addr>``
    (RFC 5322 3.4); duplicates are dropped. Display names may hold commas and quotes.
    """
    valid: list[Address] = []
    invalid: list[str] = []
    seen: set[str] = set()
    for piece in _split_list(text):
        address = _parse_one(piece)
        if address is None:
            invalid.append(piece)
        elif address.addr.lower() not in seen:
            seen.add(address.addr.lower())
            valid.append(address)
    return valid, invalid


def _parse_one(piece: str) -> Address | None:
    """Exactly one address, by the strict parser (mime/addresses.py), or None.

    Refused as well, because what the field shows would not be where the mail goes:
    comments ("Bob (c) <b@x.org>"), group labels, a display name holding an address of
    its own ("alice@x.org <bob@y.org>") and encoded words in a name (which the
    recipient's client would decode into anything, RELIABILITY D.34).
    """
    if _LINE_BREAKS.search(piece) or _CONTROLS.search(piece):
        return None
    # "mailto:" pasted from a browser names the address that follows it.
    text = _MAILTO_PREFIX.sub("", piece.strip())
    try:
        parsed = parse_address_list(text, comments=False, groups=False)
    except AddressSyntaxError:
        return None
    if len(parsed) != 1:
        return None
    address = parsed[0]
    name = address.name.strip()
    if "=?" in name or ("@" in name and name.casefold() != address.addr.casefold()):
        return None
    return Address(name, address.addr) if valid_addr_spec(address.addr) else None


_MAILTO_PREFIX = re.compile(r"^mailto:|(?<=<)\s*mailto:", re.IGNORECASE)


_ATTACHMENT_WORDS = re.compile(
    r"\b(?:attach(?:ed|ment|ments|ing)?|enclosed|angehängt|anbei|anhang|ci-joint|"
    r"pièce jointe|adjunto|allegato|bijgevoegd|bifogad)\b|添付", re.IGNORECASE)


def mentions_attachment(draft: Draft) -> bool:
    """Whether the user's own text speaks of an attachment while none is there.

    Quoted lines (">") are the other person's words and are not considered.
    """
    if draft.attachments:
        return False
    own = "\n".join(line for line in draft.body_text.splitlines()
                    if not line.lstrip().startswith(">"))
    return bool(_ATTACHMENT_WORDS.search(draft.subject + "\n" + own))


def message_bytes(message: EmailMessage) -> bytes:
    """The message as CRLF bytes, for APPEND to Sent or Drafts (RFC 3501 6.3.11); the
    same bytes as ``as_bytes`` with a CRLF policy."""
    out = io.BytesIO()
    _BlockGenerator(out, mangle_from_=False,
                    policy=message.policy.clone(linesep="\r\n")).flatten(message)
    return out.getvalue()


_NEWLINES = re.compile(r"\r\n|\r|\n")
"""email.generator's NLCRE (not exported)."""


class _BlockGenerator(BytesGenerator):
    """Writes a body in one piece instead of a write per line: a 10 MB attachment is
    186,000 base64 lines, which took the stock generator ~0.2 s per serialisation
    (issue 18: building a message must not hold the account up)."""

    def _write_lines(self, lines: str) -> None:
        # Generator._write_lines, same output: every line but the last gets a line
        # ending; the last piece (empty after a final newline) is written as it is.
        # A slice of whole lines at a time (SLICE: Python's lock is let go between).
        newline: str = self._NL  # type: ignore[attr-defined]
        for piece in line_slices(lines):
            pieces = _NEWLINES.split(piece)
            if len(pieces) > 1:
                self.write(newline.join(pieces[:-1]) + newline)
            if pieces[-1]:
                self.write(pieces[-1])

    @classmethod
    def _make_boundary(cls, text: bytes | None = None) -> str:
        # The stdlib looks for its random boundary in the whole multipart text with one
        # multi-line regex (80 ms over a 10 MB attachment, holding Python's lock); a
        # plain search is as safe (stricter: anywhere, not only as a line) and quick.
        while True:
            boundary: str = super()._make_boundary()  # type: ignore[misc]
            if text is None or b"--" + boundary.encode("ascii") not in text:
                return boundary
