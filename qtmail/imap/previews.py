"""What the message list's preview lines are made from (issue 14), for a few UIDs.

Only ever asked for the rows on screen, never during a sync's bulk FETCH, so a first
sync costs the same with preview lines on. Where the server offers RFC 8970 PREVIEW it
makes the text itself (at most 256 characters, section 3.1); elsewhere the first
``TEXT_BYTES`` of the body are fetched with the headers that say how to decode them,
and qtmail.mime.preview makes the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qtmail.core.errors import ProtocolError
from qtmail.imap import wire
from qtmail.imap.fetchparse import Unsolicited, note_other, parse_fetch
from qtmail.imap.uidset import uid_set
from qtmail.imap.wire import RawImap
from qtmail.mime import preview

TEXT_BYTES = 2048
"""Bytes of a body fetched for a preview where the server makes none: enough for the
first lines after a multipart preamble and part headers, or a base64 part's start."""

MAX_LITERAL = 64 * 1024
"""A PREVIEW is at most 256 characters and a partial body TEXT_BYTES; anything bigger is
a broken or hostile server (RELIABILITY A.1)."""

_PARTIAL_HEADERS = b"BODY.PEEK[HEADER.FIELDS (MIME-VERSION CONTENT-TYPE CONTENT-TRANSFER-ENCODING)]"


@dataclass(frozen=True, slots=True)
class PreviewSource:
    """Either the server's preview text, or a header and the body's first bytes."""

    server_text: bytes | None = None
    header: bytes = b""
    text_start: bytes = b""

    def text(self) -> str:
        """The preview line (qtmail.mime.preview); "" for a message without text."""
        if self.server_text is not None:
            return preview.from_server(self.server_text)
        return preview.from_start(self.header, self.text_start)


def fetch_previews(imap: RawImap, uids: Sequence[int], *, from_server: bool
                   ) -> dict[int, PreviewSource]:
    """UID -> what its preview is made from; UIDs that no longer exist are missing.
    BODY.PEEK and PREVIEW leave \\Seen as it was (RFC 3501 6.4.5, RFC 8970 3)."""
    if not uids:
        return {}
    items = b"(UID PREVIEW)" if from_server \
        else b"(UID " + _PARTIAL_HEADERS + b" BODY.PEEK[TEXT]<0." + str(TEXT_BYTES).encode() + b">)"
    tag = wire.send(imap, b"UID FETCH " + uid_set(uids).encode() + b" " + items)
    news = Unsolicited()
    wanted = frozenset(uids)
    found: dict[int, PreviewSource] = {}
    with wire.drop_on_loss(imap):
        for parts in wire.responses(imap, tag, literal_limit=MAX_LITERAL):
            try:
                fetch = parse_fetch(parts)
            except ProtocolError:
                continue  # one unreadable answer costs its preview, not the others
            if fetch is None:
                note_other(parts, news)
            elif fetch.uid is not None and fetch.uid in wanted:
                if from_server:
                    found[fetch.uid] = PreviewSource(server_text=fetch.preview or b"")
                else:
                    found[fetch.uid] = PreviewSource(header=fetch.header or b"",
                                                     text_start=fetch.text_start or b"")
    return found
