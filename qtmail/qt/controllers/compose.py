"""ComposeController: opens composer windows for the main window (Write, Reply, Reply
all, Forward, a reopened draft, a mailto: link) and follows what becomes of the mail
sent (Undo send, failures) through the worker's events.

Replies and forwards need the original parsed: the worker parses it (OpenMessage ->
MessageParsed, off the GUI thread) and ``qtmail.mime.quote`` builds the Draft here.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from qtmail.accounts.identity import Identity
from qtmail.core.commands import Command, DiscardOutgoing, ResendMail
from qtmail.core.errors import Fix, KnownError
from qtmail.core.events import (
    BodyFailed,
    Event,
    MailSent,
    OutboxChanged,
    SendCancelled,
    SendFailed,
)
from qtmail.core.mailto import MailtoLink
from qtmail.core.outgoing import Draft
from qtmail.core.types import Address, FolderRole, MessageRef
from qtmail.qt.account_prefs import AccountPreferences
from qtmail.qt.accounts import AccountDirectory
from qtmail.qt.composer.origin import NEW, Origin
from qtmail.qt.composer.send_notice import SendNotice
from qtmail.qt.controllers.reading import ReadingController
from qtmail.qt.error_text import error_text
from qtmail.qt.models.messages import MessageListModel
from qtmail.qt.prefs import DEFAULT_UNDO_SEND_SECONDS, PREF_UNDO_SEND
from qtmail.qt.widgets.actions import MainActions
from qtmail.qt.widgets.message_lists import MessageLists
from qtmail.qt.widgets.status_bar import AccountStatusBar
from qtmail.sync.answers import MessageParsed

if TYPE_CHECKING:  # the composer loads when the first one opens (issue 18)
    from qtmail.qt.composer.window import ComposerWindow

log = logging.getLogger(__name__)

MAX_SUGGESTIONS = 2000
"""Addresses offered for completion, most frequent first."""
KNOWN_SECONDS = 60.0


class Intent(Enum):
    REPLY = "reply"
    REPLY_ALL = "reply_all"
    FORWARD = "forward"
    FORWARD_ATTACHED = "forward_attached"
    EDIT_DRAFT = "edit_draft"


@dataclass(frozen=True, slots=True)
class _Waiting:
    intent: Intent
    ref: MessageRef


class ComposeController(QObject):
    """Owns the open composers and the status bar's SendNotice (``notice``).

    Signals: ``fix_requested(account, Fix value)`` from a composer's problem button
    ("Open Its Settings…" when the account cannot send)."""

    fix_requested = Signal(str, str)
    open_requested = Signal()
    """Enter or a double-click on a message that is not a draft: open it in a window."""

    def __init__(self, directory: AccountDirectory, actions: MainActions,
                 status: AccountStatusBar, lists: MessageLists, messages: MessageListModel,
                 reading: ReadingController, message_view: QWidget,
                 prefs: AccountPreferences, parent: QWidget) -> None:
        super().__init__(parent)
        self._directory = directory
        self._actions = actions
        self._status = status
        self._lists = lists
        self._messages = messages
        self._reading = reading
        self._message_view = message_view
        self._prefs = prefs
        self._waiting: dict[tuple[str, int], _Waiting] = {}
        self._origins: dict[str, Origin] = {}
        self._known: tuple[float, list[str]] | None = None
        """draft id -> what a sent message replied to: Undo send reopens it so."""
        self.composers: list[ComposerWindow] = []
        self._refusals: dict[str, tuple[str, Fix]] = {}
        self._refused_in: list[tuple[ComposerWindow, str]] = []
        """Composers showing an account's refusal: cleared when its settings change."""
        """Per account: why the message just given back was refused (SendFailed, 0)."""
        self.notice = SendNotice(parent)
        self.notice.command.connect(self._send)

    def _send(self, account: str, command: Command) -> None:
        self._directory.send(account, command)

    # -- the main window -------------------------------------------------------------------
    def connect_window(self) -> None:
        """The window's actions, lists and view reach the composer through here."""
        a = self._actions
        a.write.triggered.connect(self._write_new)
        a.reply.triggered.connect(self.reply)
        a.reply_all.triggered.connect(self.reply_all)
        a.forward.triggered.connect(self.forward)
        a.forward_attached.triggered.connect(self.forward_attached)
        a.edit_draft.triggered.connect(self._edit_current_draft)
        self._status.addPermanentWidget(self.notice)
        self._status.resend.connect(self._resend)
        self._status.discard.connect(self._discard)
        for view in (self._lists.flat, self._lists.threaded, self._lists.unified):
            view.doubleClicked.connect(self._double_clicked)
            view.installEventFilter(self)
        self._reading.shown.connect(self._shown)
        edit = getattr(self._message_view, "edit_draft_requested", None)
        if edit is not None:
            edit.connect(self.edit_draft)

    def update_actions(self) -> None:
        a = self._actions
        a.write.setEnabled(bool(self._directory.accounts()))
        ref = self.target()
        for action in a.compose_actions():
            action.setEnabled(ref is not None)
        a.edit_draft.setEnabled(self.is_draft(ref))

    def _resend(self, account: str, outbox_id: int) -> None:
        self._send(account, ResendMail(outbox_id))

    def _discard(self, account: str, outbox_id: int) -> None:
        self._send(account, DiscardOutgoing(outbox_id))

    def _write_new(self) -> None:
        self.write()

    def _edit_current_draft(self) -> None:
        ref = self.target()
        if self.is_draft(ref):
            self.edit_draft(ref)

    def _double_clicked(self, index: QModelIndex) -> None:
        if self.is_draft(self.target()):
            self._edit_current_draft()
        else:
            self.open_requested.emit()

    def _shown(self, ref: MessageRef | None) -> None:
        show = getattr(self._message_view, "show_edit_draft", None)
        if show is not None:
            show(self.is_draft(ref))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter on a draft continues it; on any other message it opens it in a window
        # of its own (issue 14; the list itself ignores Return).
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not event.modifiers():
            if self.is_draft(self.target()):
                self._edit_current_draft()
            elif self.target() is not None:
                self.open_requested.emit()
            return True
        return super().eventFilter(watched, event)

    # -- what a composer needs ---------------------------------------------------------------
    def identities(self) -> list[Identity]:
        out: list[Identity] = []
        for name in self._directory.accounts():
            client = self._directory.client(name)
            if client is None:
                continue
            settings = client.peer_spec.settings
            out.append(Identity(name, Address(settings.display_name, settings.email),
                                settings.signature))
            out.extend(Identity(name, Address(extra.display_name, extra.email),
                                extra.signature or settings.signature)
                       for extra in settings.identities)
        return out

    def known(self) -> list[str]:
        """Known addresses of every account's cache, most frequent first; counted again
        at most every KNOWN_SECONDS (a query per account on the GUI thread)."""
        now = time.monotonic()
        if self._known is None or now - self._known[0] > KNOWN_SECONDS:
            self._known = (now, self._count_known())
        return self._known[1]

    def _count_known(self) -> list[str]:
        from qtmail.store.addresses import known_addresses  # the store: with an account

        counts: dict[str, tuple[int, Address]] = {}
        for name in self._directory.accounts():
            reader = self._directory.reader(name)
            if reader is None:
                continue
            try:
                found = known_addresses(reader)
            except KnownError as error:
                log.info("%s: no address completion: %s", name, error)
                continue
            for item in found:
                key = item.address.addr.lower()
                before = counts.get(key)
                total = item.count + (before[0] if before else 0)
                counts[key] = (total, before[1] if before and before[1].name
                               else item.address)
        ranked = sorted(counts.values(), key=lambda pair: -pair[0])[:MAX_SUGGESTIONS]
        return [address.display() for _count, address in ranked]

    def undo_seconds(self, account: str) -> float:
        value = self._prefs.get(account).get(PREF_UNDO_SEND,
                                                    DEFAULT_UNDO_SEND_SECONDS)
        try:
            return max(float(str(value)), 0.0)
        except ValueError:
            return float(DEFAULT_UNDO_SEND_SECONDS)

    # -- opening composers -----------------------------------------------------------------
    def write(self, draft: Draft | None = None, *, account: str | None = None,
              origin: Origin = NEW, add_signature: bool = True,
              draft_id: str = "") -> ComposerWindow | None:
        identities = self.identities()
        if not identities:
            self._status.show_problem(self.tr(
                "Add an email account first: there is nothing to send from."))
            return None
        if account is None:
            current = self._messages.location()
            account = current[0] if current else None
        from qtmail.qt.composer.window import ComposerWindow

        composer = ComposerWindow(identities, self._send, draft=draft, account=account,
                                  origin=origin, known=self.known(),
                                  undo_seconds=0.0, add_signature=add_signature)
        if draft_id:
            composer.draft_id = draft_id
        composer.undo_seconds = self.undo_seconds(composer.identity().account)
        composer.sent.connect(self._composer_sent)
        composer.destroyed.connect(lambda: self._forget(composer))
        self.composers.append(composer)
        composer.show()
        composer.activateWindow()
        return composer

    def close_all(self) -> bool:
        """Before the window (and the workers) go: each composer keeps or discards its
        draft, through its worker while it still runs. False when one was kept open."""
        for composer in list(self.composers):
            if isValid(composer) and composer.isVisible() and not composer.close():
                return False
        return True

    def keep_all(self) -> None:
        """The session is ending: every composer keeps its draft and closes, unasked."""
        for composer in list(self.composers):
            if isValid(composer):
                composer.keep_and_close()

    def _forget(self, composer: ComposerWindow) -> None:
        if composer in self.composers:
            self.composers.remove(composer)

    def _composer_sent(self, account: str, draft_id: str, subject: str) -> None:
        from qtmail.qt.composer.window import ComposerWindow  # open: already loaded

        composer = self.sender()
        if isinstance(composer, ComposerWindow):
            self._origins[draft_id] = composer.origin  # for Undo: reopen as it was
        self.notice.sending(account, draft_id, subject, self.undo_seconds(account))

    def target(self) -> MessageRef | None:
        """The message a Reply or Forward is about: the one shown, else the current row."""
        return self._reading.current or self._lists.active_ref()

    def request(self, intent: Intent, ref: MessageRef | None = None) -> bool:
        """Ask the worker for the parsed message; the composer opens when it comes."""
        ref = ref or self.target()
        client = None if ref is None else self._directory.client(ref.account)
        if ref is None or client is None or not client.running:
            return False
        request_id = client.open_message(ref.folder, ref.uid)
        self._waiting[(ref.account, request_id)] = _Waiting(intent, ref)
        return True

    def reply(self) -> None:
        self.request(Intent.REPLY)

    def reply_all(self) -> None:
        self.request(Intent.REPLY_ALL)

    def forward(self) -> None:
        self.request(Intent.FORWARD)

    def forward_attached(self) -> None:
        self.request(Intent.FORWARD_ATTACHED)

    def edit_draft(self, ref: MessageRef | None = None) -> bool:
        return self.request(Intent.EDIT_DRAFT, ref)

    def is_draft(self, ref: MessageRef | None) -> bool:
        reader = None if ref is None else self._directory.reader(ref.account)
        info = None if reader is None or ref is None else reader.folder(ref.folder)
        return info is not None and info.role is FolderRole.DRAFTS

    def write_to(self, address: str) -> ComposerWindow | None:
        """A new message to ``address`` (the message view's address menu)."""
        return self.open_mailto(MailtoLink(to=(address,)))

    def open_mailto(self, link: MailtoLink) -> ComposerWindow | None:
        draft = Draft(from_address=Address("", ""), subject=link.subject,
                      body_text=link.body, in_reply_to=link.in_reply_to,
                      references=(link.in_reply_to,) if link.in_reply_to else ())
        composer = self.write(draft)
        if composer is not None:
            # As written: pieces that are not addresses stay visible, marked.
            for edit, texts in ((composer.to_edit, link.to), (composer.cc_edit, link.cc),
                                (composer.bcc_edit, link.bcc)):
                edit.setText(", ".join(texts))
                edit.check()
            composer.show_bcc(bool(link.bcc))
            if link.to:
                (composer.body if link.subject else composer.subject_edit).setFocus()
        return composer

    # -- events ----------------------------------------------------------------------------
    def apply(self, event: Event) -> None:
        if isinstance(event, MessageParsed | BodyFailed):
            waiting = self._waiting.pop((event.account, event.request_id), None)
            if waiting is None:
                return
            if isinstance(event, BodyFailed):
                self._status.show_problem(event.message)
            else:
                self._open_parsed(waiting, event)
        elif isinstance(event, OutboxChanged):
            self._status.set_outbox(event.account, event.items)
            self.notice.outbox_changed(event.account, event.items)
        elif isinstance(event, MailSent):
            self.notice.mail_sent(event.account, event.outbox_id, event.subject,
                                  event.problem)
        elif isinstance(event, SendFailed):
            if not event.outbox_id:  # refused before the Outbox: the composer reopens
                self._refusals[event.account] = (event.message, event.fix)
            self.notice.send_failed(event.account, event.outbox_id, event.message,
                                    event.maybe_sent)
        elif isinstance(event, SendCancelled):
            refusal, fix = self._refusals.pop(event.account, ("", Fix.NONE)) \
                if not event.outbox_id else ("", Fix.NONE)
            draft_id = self.notice.cancelled(event.account, event.outbox_id,
                                             refused=bool(refusal))
            origin = self._origins.pop(draft_id, NEW)
            # Sent from a reopened draft: that Drafts copy is gone once queued.
            composer = self.write(event.draft, account=event.account, add_signature=False,
                                  origin=replace(origin, replaces=None), draft_id=draft_id)
            if composer is not None and refusal:
                # Issue 13: why it was not sent and what to do, in the composer itself.
                self._show_refusal(composer, event.account, refusal, fix)

    def _show_refusal(self, composer: ComposerWindow, account: str, refusal: str,
                      fix: Fix) -> None:
        if fix is Fix.ACCOUNT_SETTINGS:
            fix_text = self.tr("Open Its Settings…")
        elif fix in (Fix.PASSWORD, Fix.SMTP_PASSWORD):
            fix_text = self.tr("Enter Password…")
        elif fix is Fix.SIGN_IN:
            fix_text = self.tr("Sign In Again…")
        else:
            fix_text = ""
        composer.show_problem(error_text(refusal), fix_text,
                              lambda: self.fix_requested.emit(account, fix.value))
        self._refused_in.append((composer, account))

    def account_changed(self, account: str) -> None:
        """New settings for ``account``: its refusals may no longer hold; sending again
        says so if they do."""
        still = []
        for composer, refused in self._refused_in:
            if not isValid(composer):
                continue
            if refused == account:
                composer.show_problem("")
            else:
                still.append((composer, refused))
        self._refused_in = still

    def _own_addresses(self, account: str) -> list[Address]:
        identities = self.identities()
        first = [i.address for i in identities if i.account == account]
        return first + [i.address for i in identities if i.account != account]

    def _open_parsed(self, waiting: _Waiting, event: MessageParsed) -> None:
        from qtmail.mime import draft_reader, quote  # with the first reply (issue 18)
        from qtmail.qt.composer.quote_words import quote_words

        ref, parsed, intent = waiting.ref, event.parsed, waiting.intent
        own = self._own_addresses(ref.account)
        if intent in (Intent.REPLY, Intent.REPLY_ALL):
            draft = quote.reply(parsed, own_addresses=own,
                                reply_all=intent is Intent.REPLY_ALL, words=quote_words())
            self.write(draft, account=ref.account, origin=Origin(replied=ref))
        elif intent in (Intent.FORWARD, Intent.FORWARD_ATTACHED):
            draft = quote.forward(parsed, inline=intent is Intent.FORWARD, raw=event.raw,
                                  from_address=own[0] if own else None,
                                  words=quote_words())
            self.write(draft, account=ref.account, origin=Origin(forwarded=ref))
        else:
            draft = draft_reader.draft_from_parsed(parsed, event.raw)
            if not draft.from_address.addr and own:
                draft = replace(draft, from_address=own[0])
            self.write(draft, account=ref.account, origin=Origin(replaces=ref),
                       add_signature=False, draft_id=draft_reader.draft_id_of(event.raw))
