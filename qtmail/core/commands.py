"""Commands the UI sends to an account's worker (UI -> worker), as frozen dataclasses.

The Qt bridge delivers each command over one queued signal to the worker's slot; the
answer, if any, comes back as an event (``qtmail.core.events``). Requests that expect
an answer carry ``request_id`` so the UI can drop stale replies.
"""

from __future__ import annotations

from dataclasses import dataclass

from qtmail.core.outgoing import Draft
from qtmail.core.types import FolderName, MessageRef


@dataclass(frozen=True, slots=True)
class Command:
    pass


@dataclass(frozen=True, slots=True)
class SyncAll(Command):
    """Folder list, every selectable folder (INBOX first), then quota."""


@dataclass(frozen=True, slots=True)
class SyncFolder(Command):
    """Resync one folder in the background queue."""

    folder: FolderName


@dataclass(frozen=True, slots=True)
class OpenFolder(Command):
    """The user opened a folder: resync it before any other folder and watch it (push)."""

    folder: FolderName


@dataclass(frozen=True, slots=True)
class FetchBody(Command):
    """Interactive: answered by BodyReady / BodyFailed with the same ``request_id``,
    ahead of background sync (between two chunks of a long first sync)."""

    folder: FolderName
    uid: int
    request_id: int


@dataclass(frozen=True, slots=True)
class FetchPreviews(Command):
    """Interactive, like FetchBody: make the preview lines of these rows on screen
    (issue 14); answered by PreviewsReady for those stored (nothing on failure: a
    preview line is never worth an error)."""

    folder: FolderName
    uids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FetchOlder(Command):
    """Fetch up to ``count`` messages older than the folder's sync range."""

    folder: FolderName
    count: int = 500


@dataclass(frozen=True, slots=True)
class Stop(Command):
    """Stop push, log out, close the store; the worker's thread then quits."""


@dataclass(frozen=True, slots=True)
class OpenMessage(Command):
    """Interactive, like FetchBody, but the worker also parses the message: answered by
    a MessageParsed (qtmail.sync.answers) / BodyFailed with the same ``request_id``."""

    folder: FolderName
    uid: int
    request_id: int


# -- operations: the local phase runs at once in the worker, then the queue replays ---


@dataclass(frozen=True, slots=True)
class Operation(Command):
    """A user change. A refusal before it is queued (no such folder, nothing to undo)
    comes back as OperationFailed(operation_id=0); a server refusal as the replay's."""


@dataclass(frozen=True, slots=True)
class SetFlags(Operation):
    folder: FolderName
    uids: tuple[int, ...]
    add: frozenset[str] = frozenset()
    remove: frozenset[str] = frozenset()
    automatic: bool = False
    """Not the user's own act (read by being shown): Ctrl+Z skips it, as in
    Thunderbird, so it never stands between the user and the change they meant."""


@dataclass(frozen=True, slots=True)
class MarkFolderRead(Operation):
    """Mark every unread message of ``folder`` read (Thunderbird's Mark Folder Read):
    the worker looks up which ones from its cache when it runs, and queues them as one
    SetFlags, which Ctrl+Z takes back (only those become unread again)."""

    folder: FolderName


@dataclass(frozen=True, slots=True)
class SetFlagsByMessageId(Operation):
    """Change the flags of the messages with these Message-IDs in ``folder``, their
    UIDs looked up on the server when it runs: the undo of a flag change on messages
    that have new UIDs since (moved away and back). ``message_ids``: (old UID as text,
    Message-ID) pairs."""

    folder: FolderName
    message_ids: tuple[tuple[str, str], ...]
    add: frozenset[str] = frozenset()
    remove: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class MoveMessages(Operation):
    folder: FolderName
    uids: tuple[int, ...]
    dest: FolderName
    copy: bool = False


@dataclass(frozen=True, slots=True)
class DeleteMessages(Operation):
    """To Trash; for good when ``permanent`` (or when the folder is the Trash)."""

    folder: FolderName
    uids: tuple[int, ...]
    permanent: bool = False


@dataclass(frozen=True, slots=True)
class EmptyFolder(Operation):
    """Delete for good every message of ``folder`` (Empty Trash, Empty Junk): the ones
    listed in the worker's cache when it runs, as one DeleteMessages(permanent=True).
    Not the whole mailbox on the server: mail another device put there meanwhile is
    something the user has not seen yet, and stays."""

    folder: FolderName


@dataclass(frozen=True, slots=True)
class ArchiveMessages(Operation):
    folder: FolderName
    uids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class TransferMessages(Operation):
    """Move (or copy) to a folder of another account: APPEND there, then delete here."""

    folder: FolderName
    uids: tuple[int, ...]
    dest_account: str
    dest: FolderName
    copy: bool = False


@dataclass(frozen=True, slots=True)
class ImportMessages(Operation):
    """APPEND .eml files (read by the worker) to ``folder``, keeping their Date."""

    folder: FolderName
    paths: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ImportMessage(Operation):
    """APPEND one RFC 5322 message (``raw``, read by the caller) to ``folder``, keeping
    its Date as INTERNALDATE. The Outbox's Sent copy names its file in the outgoing
    spool instead (``spool``, qtmail.store.spool; ``raw`` empty): the worker never
    holds its bytes."""

    folder: FolderName
    raw: bytes
    flags: frozenset[str] = frozenset()
    spool: str = ""


@dataclass(frozen=True, slots=True)
class Undo(Operation):
    """Queue the inverse of the latest undoable change (or of the pending operation
    ``op_id``)."""

    op_id: int | None = None


@dataclass(frozen=True, slots=True)
class Redo(Operation):
    """Make again the change the latest Undo reverted."""


@dataclass(frozen=True, slots=True)
class MoveByMessageId(Operation):
    """Move the messages with these Message-IDs from ``folder`` to ``dest``, their UIDs
    looked up on the server when it runs: the undo of a move whose new UIDs the server
    did not report. ``message_ids``: (old UID as text, Message-ID) pairs."""

    folder: FolderName
    dest: FolderName
    message_ids: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class RetrieveMessages(Operation):
    """The undo of a transfer: the messages with these Message-IDs come back from
    ``from_folder`` of ``from_account`` into ``folder`` (not when ``append`` is False:
    an undone copy), then leave ``from_folder``."""

    folder: FolderName
    from_account: str
    from_folder: FolderName
    message_ids: tuple[str, ...]
    append: bool = True


@dataclass(frozen=True, slots=True)
class CreateFolder(Operation):
    name: FolderName


@dataclass(frozen=True, slots=True)
class RenameFolder(Operation):
    old: FolderName
    new: FolderName


@dataclass(frozen=True, slots=True)
class DeleteFolder(Operation):
    name: FolderName


@dataclass(frozen=True, slots=True)
class SubscribeFolder(Operation):
    name: FolderName
    subscribed: bool = True


@dataclass(frozen=True, slots=True)
class Replay(Command):
    """Send the queued operations to the server now (Retry, Get messages)."""


# -- writing mail (issue 6): the Outbox and drafts live in the store, durable at once --


@dataclass(frozen=True, slots=True)
class SendMail(Command):
    """Put ``draft`` in the Outbox (one durable transaction), send it over SMTP once
    ``delay_seconds`` have passed (Undo send), APPEND it to Sent with \\Seen, and flag
    ``replied`` \\Answered (``forwarded``: $Forwarded). The saved draft ``draft_id``
    (if any) is removed from Drafts once the message is queued.

    Answered by OutboxChanged at once; then MailSent or SendFailed."""

    draft: Draft
    draft_id: str = ""
    replied: MessageRef | None = None
    forwarded: MessageRef | None = None
    delay_seconds: float = 0.0
    replaces: MessageRef | None = None
    """The Drafts message a reopened draft came from: removed from Drafts with the
    saved versions of ``draft_id`` once the message is queued."""


@dataclass(frozen=True, slots=True)
class CancelSend(Command):
    """Undo send: take ``outbox_id`` out of the Outbox if it has not gone yet.
    Answered by SendCancelled (with the draft, to reopen it) or, when too late, by
    nothing but the usual MailSent."""

    outbox_id: int


@dataclass(frozen=True, slots=True)
class ResendMail(Command):
    """The user decided: send an Outbox message again (after a failure, or after
    "may have been sent")."""

    outbox_id: int


@dataclass(frozen=True, slots=True)
class DiscardOutgoing(Command):
    """The user decided: drop an Outbox message (after "may have been sent")."""

    outbox_id: int


@dataclass(frozen=True, slots=True)
class SaveDraft(Command):
    """Keep the composer's text: durable in the store at once, then APPENDed to the
    Drafts folder, replacing the previous version of the same ``draft_id`` (and
    ``replaces``, the Drafts message a reopened draft came from). Answered by
    DraftSaved."""

    draft: Draft
    draft_id: str
    replaces: MessageRef | None = None


@dataclass(frozen=True, slots=True)
class DiscardDraft(Command):
    """The user closed the composer without keeping the draft: delete every saved
    version of ``draft_id`` (and ``replaces``) locally and in Drafts."""

    draft_id: str
    replaces: MessageRef | None = None


# -- search (issue 7) -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchServer(Command):
    """Run ``query`` (qtmail.search syntax) with UID SEARCH in ``folders`` (None: every
    selectable folder of the account), one folder per worker turn. Answered by
    SearchHits (per folder with hits the cache did not find) then SearchDone, all with
    ``search_id``. A newer SearchServer or a CancelSearch drops it between folders."""

    search_id: int
    query: str
    folders: tuple[FolderName, ...] | None = None


@dataclass(frozen=True, slots=True)
class CancelSearch(Command):
    """The user cleared or changed the search: stop ``search_id`` at the next folder."""

    search_id: int
