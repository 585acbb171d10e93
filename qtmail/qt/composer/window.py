"""ComposerWindow: writing one message, in its own top-level window (issue 6).

The window builds a Draft from its fields and hands commands to the chosen identity's
account worker (``send(account, command)``): SaveDraft while typing pauses and on
close, SendMail on Ctrl+Enter. It reads no file and opens no connection itself.
Checks before sending live in ``composer.checks``; dialogs are methods tests replace.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qtmail.accounts.identity import Identity, find_identity, swap_signature, with_signature
from qtmail.core.commands import Command, DiscardDraft, SaveDraft, SendMail
from qtmail.core.outgoing import Draft
from qtmail.core.types import Address
from qtmail.qt.composer import checks, dialogs
from qtmail.qt.composer.attachment_area import AttachmentArea
from qtmail.qt.composer.body import BodyEdit, local_files
from qtmail.qt.composer.origin import NEW, Origin
from qtmail.qt.composer.recipients import RecipientEdit
from qtmail.qt.composer.toolbar import build_actions, update_format_actions

AUTOSAVE_MS = 3000
"""A draft is saved this long after typing stops: a crash loses at most a few seconds."""

_CONTROLS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")

SendFunction = Callable[[str, Command], None]


class ComposerWindow(QMainWindow):
    """objectName ``composerWindow``. Signals: ``sent(str account, str draft_id,
    str subject)`` once SendMail went to the worker (the window then closes)."""

    sent = Signal(str, str, str)
    # Made by composer.toolbar.build_actions:
    send_action: QAction
    attach_action: QAction
    save_action: QAction
    bcc_action: QAction
    rich_action: QAction
    bold_action: QAction
    italic_action: QAction
    link_action: QAction
    bullets_action: QAction
    numbers_action: QAction
    close_action: QAction

    def __init__(self, identities: Sequence[Identity], send: SendFunction, *,
                 draft: Draft | None = None, account: str | None = None,
                 origin: Origin = NEW, known: Sequence[str] = (),
                 undo_seconds: float = 0.0, add_signature: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composerWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAcceptDrops(True)
        self.identities = list(identities)
        self._send = send
        self.origin = origin
        self.undo_seconds = undo_seconds
        self.draft_id = uuid.uuid4().hex
        self._done = False
        self._saved_to: str | None = None
        """The account a version was saved to (SaveDraft sent), if any."""
        self.dialogs = dialogs.Dialogs(self)
        self._build(known)
        draft = draft or Draft(from_address=Address("", ""))
        index = find_identity(self.identities, account, draft.from_address)
        self.from_combo.setCurrentIndex(index)
        self._identity_index = index
        body = draft.body_text
        if add_signature and self.identities:
            body = with_signature(body, self.identities[index].signature)
        self._fill(replace(draft, body_text=body))
        self._baseline = self.draft()
        self._saved = self._baseline
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)
        self._connect_changes()
        self._update_title()
        self.resize(760, 620)

    # -- building --------------------------------------------------------------------------
    def _build(self, known: Sequence[str]) -> None:
        self.from_combo = QComboBox(self)
        self.from_combo.setObjectName("fromCombo")
        self.from_combo.setAccessibleName(self.tr("From"))
        for identity in self.identities:
            self.from_combo.addItem(identity.label(), identity.account)
        self.to_edit = RecipientEdit("toEdit", self.tr("To"), self)
        self.cc_edit = RecipientEdit("ccEdit", self.tr("Copy to"), self)
        self.bcc_edit = RecipientEdit("bccEdit", self.tr("Blind copy to"), self)
        for edit in self.recipient_edits():
            edit.set_known(known)
        self.subject_edit = QLineEdit(self)
        self.subject_edit.setObjectName("subjectEdit")
        self.subject_edit.setAccessibleName(self.tr("Subject"))
        self.body = BodyEdit(self)
        self.body.files_dropped.connect(self.add_files)
        self.attachments = AttachmentArea(self)
        self.attachments.problem.connect(self.show_problem)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("composerProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_label.hide()
        self.problem_button = QPushButton(self)
        """What to do about the problem, e.g. "Open Its Settings…" (issue 13 item 6)."""
        self.problem_button.setObjectName("composerProblemButton")
        self.problem_button.hide()
        self._problem_fix: Callable[[], None] | None = None
        self.problem_button.clicked.connect(self._fix_problem)
        self.form = QFormLayout()
        self.form.addRow(self.tr("&From:"), self.from_combo)
        self.form.addRow(self.tr("&To:"), self.to_edit)
        self.form.addRow(self.tr("&Cc:"), self.cc_edit)
        self.form.addRow(self.tr("&Bcc:"), self.bcc_edit)
        self.form.addRow(self.tr("&Subject:"), self.subject_edit)
        self.form.setRowVisible(self.bcc_edit, False)
        central = QWidget(self)
        central.setObjectName("composerCentral")
        layout = QVBoxLayout(central)
        layout.addLayout(self.form)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.attachments)
        problem_row = QHBoxLayout()
        problem_row.addWidget(self.problem_label, 1)
        problem_row.addWidget(self.problem_button)
        layout.addLayout(problem_row)
        self.setCentralWidget(central)
        self.toolbar = build_actions(self)

    def _fill(self, draft: Draft) -> None:
        self.to_edit.set_addresses(draft.to)
        self.cc_edit.set_addresses(draft.cc)
        self.bcc_edit.set_addresses(draft.bcc)
        if draft.bcc:
            self.bcc_action.setChecked(True)
        self.subject_edit.setText(draft.subject)
        self._in_reply_to, self._references = draft.in_reply_to, draft.references
        if draft.body_html:
            self.rich_action.setChecked(True)
            self.body.setHtml(draft.body_html)
        else:
            self.body.setPlainText(draft.body_text)
        for attachment in draft.attachments:
            self.attachments.add_attachment(attachment)
        cursor = self.body.textCursor()
        cursor.movePosition(cursor.MoveOperation.Start)
        self.body.setTextCursor(cursor)
        if draft.to or draft.cc:
            self.body.setFocus()
        else:
            self.to_edit.setFocus()

    def _connect_changes(self) -> None:
        for edit in (*self.recipient_edits(), self.subject_edit):
            edit.textChanged.connect(self._changed)
        self.subject_edit.textChanged.connect(self._clean_subject)
        self.body.textChanged.connect(self._changed)
        self.attachments.changed.connect(self._changed)
        self.from_combo.currentIndexChanged.connect(self._identity_changed)

    # -- state -----------------------------------------------------------------------------
    def recipient_edits(self) -> tuple[RecipientEdit, RecipientEdit, RecipientEdit]:
        return self.to_edit, self.cc_edit, self.bcc_edit

    def identity(self) -> Identity:
        if not self.identities:
            return Identity("", Address("", ""))
        return self.identities[max(self.from_combo.currentIndex(), 0)]

    def draft(self) -> Draft:
        """The message as the fields show it; pieces that are not addresses left out."""
        return Draft(
            from_address=self.identity().address,
            to=tuple(self.to_edit.addresses()[0]),
            cc=tuple(self.cc_edit.addresses()[0]),
            bcc=tuple(self.bcc_edit.addresses()[0]),
            subject=self.subject_edit.text().strip(),
            body_text=self.body.text(),
            body_html=self.body.html(),
            attachments=self.attachments.attachments(),
            in_reply_to=self._in_reply_to,
            references=self._references)

    def changed(self) -> bool:
        """Anything typed since the window opened."""
        return self.draft() != self._baseline

    @Slot()
    def _changed(self) -> None:
        if not self._done:
            self._autosave.start()
            self._update_title()

    @Slot(str)
    def _clean_subject(self, text: str) -> None:
        cleaned = _CONTROLS.sub(" ", text)
        if cleaned != text:  # a pasted line break: RFC 5322 2.2, no CR/LF in a header
            self.subject_edit.setText(cleaned)

    @Slot(int)
    def _identity_changed(self, index: int) -> None:
        old = self.identities[self._identity_index].signature if self.identities else ""
        self._identity_index = index
        new = self.identity().signature
        body = self.body.toPlainText()
        swapped = swap_signature(body, old, new)
        if swapped != body and not self.body.rich:
            self.body.setPlainText(swapped)
        self._changed()

    def _update_title(self) -> None:
        subject = self.subject_edit.text().strip() or self.tr("New Message")
        self.setWindowTitle(self.tr("%1 – Write").replace("%1", subject))

    # -- user actions ----------------------------------------------------------------------
    @Slot(bool)
    def show_bcc(self, shown: bool) -> None:
        self.form.setRowVisible(self.bcc_edit, shown or bool(self.bcc_edit.text()))
        if shown:
            self.bcc_edit.setFocus()

    @Slot(bool)
    def set_rich(self, rich: bool) -> None:
        self.body.set_rich(rich)
        self._update_format_actions()

    def _update_format_actions(self) -> None:
        update_format_actions(self)

    @Slot()
    def bullet_list(self) -> None:
        self.body.make_list(numbered=False)

    @Slot()
    def numbered_list(self) -> None:
        self.body.make_list(numbered=True)

    @Slot()
    def insert_link(self) -> None:
        url = self.dialogs.ask_link()
        if not url:
            return
        if QUrl(url).scheme().lower() not in ("http", "https", "mailto"):
            # Links the reader's client would refuse anyway (RELIABILITY.md C.26).
            self.dialogs.inform(self.tr("Insert Link"), self.tr(
                "Only web (http, https) and email (mailto) links can be inserted."))
            return
        self.body.insert_link(url)

    @Slot()
    def choose_files(self) -> None:
        self.add_files(self.dialogs.choose_files())

    @Slot(list)
    def add_files(self, paths: Sequence[str]) -> None:
        if paths:
            self.attachments.add_files(list(paths))

    @Slot(str)
    def show_problem(self, text: str, fix_text: str = "",
                     on_fix: Callable[[], None] | None = None) -> None:
        """Why something failed, and a button ``fix_text`` that calls ``on_fix``."""
        self.problem_label.setText(text)
        self.problem_label.setVisible(bool(text))
        self._problem_fix = on_fix
        self.problem_button.setText(fix_text)
        self.problem_button.setVisible(bool(text and fix_text and on_fix))

    def _fix_problem(self) -> None:
        if self._problem_fix is not None:
            self._problem_fix()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        if local_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = local_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.add_files(files)
        else:
            super().dropEvent(event)

    # -- drafts and sending ----------------------------------------------------------------
    @Slot()
    def save_draft(self) -> None:
        """SaveDraft when the text differs from the last version kept."""
        self._autosave.stop()
        draft = self.draft()
        account = self.identity().account
        if self._done or not account or (draft == self._saved and self._saved_to == account):
            return
        if self._saved_to is not None and self._saved_to != account:
            # From changed to another account: its Drafts folder gets the draft now.
            self._send(self._saved_to, DiscardDraft(self.draft_id))
        self._send(account, SaveDraft(draft, self.draft_id, self.origin.replaces))
        self._saved, self._saved_to = draft, account

    @Slot()
    def send_message(self) -> bool:
        """Checks, then SendMail and close; False when the user is asked to fix something."""
        if self._done:
            return False
        draft = self.draft()
        if not checks.ready_to_send(self, draft):
            return False
        account = self.identity().account
        if self._saved_to is not None and self._saved_to != account:
            self._send(self._saved_to, DiscardDraft(self.draft_id))
        replaces = self.origin.replaces
        # A reopened draft leaves Drafts once the message is queued (the worker does it
        # for its own account; another account's copy is discarded there).
        here = replaces if replaces is not None and replaces.account == account else None
        self._send(account, SendMail(
            draft, draft_id=self.draft_id, replied=self.origin.replied,
            forwarded=self.origin.forwarded, delay_seconds=self.undo_seconds,
            replaces=here))
        if replaces is not None and here is None:
            self._send(replaces.account, DiscardDraft(self.draft_id, replaces))
        self._finish()
        self.sent.emit(account, self.draft_id, draft.subject)
        self.close()
        return True

    def keep_and_close(self) -> None:
        """Close without asking (the session is ending, qt/session_end.py): what the
        user wrote is kept as a draft, as "Keep" would."""
        if not self._done:
            if self.changed() or self._saved_to is not None:
                self.save_draft()
            self._finish()
        self.close()

    def _finish(self) -> None:
        self._done = True
        self._autosave.stop()
        self.attachments.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._done:
            if self.changed() or self._saved_to is not None:
                answer = self.dialogs.ask_keep() if self.draft() != self._saved \
                    or self._saved_to is None else dialogs.KEEP
                if answer == dialogs.CANCEL:
                    event.ignore()
                    return
                if answer == dialogs.KEEP:
                    self.save_draft()
                else:
                    self._discard()
            self._finish()
        super().closeEvent(event)

    def _discard(self) -> None:
        if self._saved_to is None:
            return
        if self.origin.replaces is not None:
            # A reopened draft was already replaced by an autosave: put the version
            # it was opened with back rather than lose it.
            self._send(self._saved_to, SaveDraft(self._baseline, self.draft_id,
                                                 self.origin.replaces))
        else:
            self._send(self._saved_to, DiscardDraft(self.draft_id))
