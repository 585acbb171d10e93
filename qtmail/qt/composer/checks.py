"""What the composer checks before sending: refusals (a sentence, nothing sent) first,
then questions (the user may send anyway). RELIABILITY.md I: recipients are what the
user sees after strict parsing, or the message is not sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from PySide6.QtCore import QCoreApplication

from qtmail.accounts.identity import Identity
from qtmail.core.outgoing import Attachment, Draft
from qtmail.qt.composer.attachment_area import LARGE_TOTAL_BYTES, AttachmentArea
from qtmail.qt.composer.dialogs import Dialogs
from qtmail.qt.composer.recipients import RecipientEdit
from qtmail.qt.widgets.quota import format_size
from qtmail.smtp.compose import build_message, mentions_attachment
from qtmail.smtp.errors import InvalidDraft


class ComposerWindow(Protocol):
    """What the checks read of the composer window (a protocol, not an import of
    window.py, which imports this module)."""

    attachments: AttachmentArea
    dialogs: Dialogs

    def identity(self) -> Identity: ...
    def recipient_edits(self) -> Sequence[RecipientEdit]: ...


def refusal(window: ComposerWindow, draft: Draft) -> str:
    """The sentence saying why this cannot be sent as it is, or ""."""
    if not window.identity().account:
        return QCoreApplication.translate(
            "ComposerChecks", "There is no account to send from. Add one in Account Setup.")
    invalid: list[str] = []
    for edit in window.recipient_edits():
        edit.check()
        invalid += edit.invalid
    if invalid:
        return QCoreApplication.translate(
            "ComposerChecks", "These are not valid email addresses: %1. Correct them "
            "before sending.").replace("%1", ", ".join(invalid))
    if not (draft.to or draft.cc or draft.bcc):
        return QCoreApplication.translate(
            "ComposerChecks", "Add at least one recipient in To, Cc or Bcc.")
    try:
        # Every header check of the real build (RELIABILITY.md I.63), without the cost
        # of encoding the attachments: their names are checked, not their bytes.
        build_message(replace(draft, attachments=tuple(
            Attachment(a.filename, a.content_type, b"") for a in draft.attachments)),
            message_id_domain="qtmail.invalid")
    except InvalidDraft as error:
        return error.user_message
    if window.attachments.loading:
        return QCoreApplication.translate(
            "ComposerChecks", "Some files are still being read. Send again in a moment.")
    return ""


def ready_to_send(window: ComposerWindow, draft: Draft) -> bool:
    """Refuse with a sentence, or ask the questions; True when the message may go."""
    problem = refusal(window, draft)
    if problem:
        window.dialogs.inform(
            QCoreApplication.translate("ComposerChecks", "The message cannot be sent yet"),
            problem)
        return False
    title = QCoreApplication.translate("ComposerChecks", "Send this message?")
    if not draft.subject and not window.dialogs.ask(title, QCoreApplication.translate(
            "ComposerChecks", "This message has no subject. Send it anyway?")):
        return False
    if mentions_attachment(draft) and not window.dialogs.ask(
            title, QCoreApplication.translate(
                "ComposerChecks", "Your message mentions an attachment, but nothing is "
                "attached. Send it anyway?")):
        return False
    total = sum(len(a.data) for a in draft.attachments)
    return total <= LARGE_TOTAL_BYTES or window.dialogs.ask(
        title, QCoreApplication.translate(
            "ComposerChecks", "The attachments add up to %1. Many mail servers refuse "
            "messages this big. Send it anyway?").replace("%1", format_size(total)))
