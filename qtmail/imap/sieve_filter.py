"""Run the server's Sieve rules on mail already in a folder (Pigeonhole's FILTER=SIEVE,
draft-bosch-imap-filter-sieve; issue 15 "Apply rules to this folder now").

``UID FILTER SIEVE DELIVERY ALL`` runs the user's active script as if each message were
being delivered: fileinto copies it away and marks the original \\Deleted; vacation
replies are suppressed by the draft. qtmail then removes exactly the originals the
script marked (UID EXPUNGE, RFC 4315), never other \\Deleted mail of the folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qtmail.core.errors import QT_TRANSLATE_NOOP, Sentence, ServerError
from qtmail.core.types import FolderInfo
from qtmail.imap.writecmd import run
from qtmail.imap.writes import uid_batches

if TYPE_CHECKING:
    from qtmail.imap.session import ImapSession

CAPABILITY = "FILTER=SIEVE"


@dataclass(frozen=True)
class FilterResult:
    filtered: int
    """Messages the script acted on (its FILTERED responses)."""
    removed: tuple[int, ...]
    """UIDs the script filed elsewhere, now expunged from this folder."""


def filter_folder(session: ImapSession, folder: FolderInfo) -> FilterResult:
    if not session.has(CAPABILITY):
        raise ServerError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "This server cannot apply the rules to mail already in a folder; "
            "they apply to new mail.")))
    session.select(folder)
    marked_before = set(session.search_uids("DELETED"))
    raw: Any = session.imap
    raw.untagged_responses.pop("FILTERED", None)
    reply = run(session, "UID FILTER", [b"UID FILTER SIEVE DELIVERY ALL"])
    filtered = len(raw.untagged_responses.pop("FILTERED", []) or [])
    if not reply.ok:
        raise ServerError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The server could not apply the rules to “{folder}”: {text}"),
            folder=folder.name, text=reply.text), server_text=reply.text, code=reply.code)
    removed = tuple(sorted(set(session.search_uids("DELETED")) - marked_before))
    if removed and session.expunges_by_uid:
        for batch in uid_batches(removed):
            run(session, "UID EXPUNGE", [b"UID EXPUNGE", batch.encode()])
    return FilterResult(filtered, removed)
