"""Gmail's message ids (X-GM-EXT-1, developers.google.com/gmail/imap/imap-extensions):
one message with several labels shows up in several folders, each copy with its own
UID but the same X-GM-MSGID, which is how qtmail counts and lists it once (issue 16)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qtmail.imap import wire
from qtmail.imap.uidset import uid_set
from qtmail.imap.wire import RawImap

CAPABILITY = "X-GM-EXT-1"

# The two items in either order (RFC 3501 7.4.2 lets the server choose).
_ID = re.compile(rb"\* \d{1,10} FETCH \((?:UID (\d{1,10}) X-GM-MSGID (\d{1,20})"
                 rb"|X-GM-MSGID (\d{1,20}) UID (\d{1,10}))\)", re.IGNORECASE)


def fetch_message_ids(imap: RawImap, uids: Sequence[int]) -> dict[int, int]:
    """UID -> X-GM-MSGID of the selected folder's ``uids``; gone UIDs are missing, and
    an answer that does not read is skipped (the copy is then simply not merged)."""
    if not uids:
        return {}
    tag = wire.send(imap, b"UID FETCH " + uid_set(uids).encode() + b" (UID X-GM-MSGID)")
    found: dict[int, int] = {}
    with wire.drop_on_loss(imap):
        for parts in wire.responses(imap, tag, literal_limit=1024):
            match = _ID.match(parts[0])
            if match is None:
                continue
            uid, gm, gm_first, uid_second = match.groups()
            found[int(uid or uid_second)] = int(gm or gm_first)
    return found
