"""Per-account settings: sync range, check frequency, offline reading, cache size, reading
preferences, per-folder overrides, and the server storage.

What the engine uses lives in ``AccountSettings`` (``result_settings()``); what only the
window uses (remote content, notifications, threading) comes back as a small dict for
its QSettings (``result_preferences()``, keys in qtmail/qt/prefs.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qtmail.accounts.settings import AccountSettings, SyncPolicy
from qtmail.core.types import Quota
from qtmail.qt.prefs import (
    DEFAULT_PREFERENCES,
    DEFAULT_UNDO_SEND_SECONDS,
    PREF_MARK_READ,
    PREF_NOTIFICATIONS,
    PREF_REMOTE_CONTENT,
    PREF_THREADING,
    PREF_UNDO_SEND,
    REMOTE_BLOCK,
    REMOTE_KNOWN_SENDERS,
)
from qtmail.qt.widgets.quota import QuotaWidget


class PolicyFields(QWidget):
    """Sync range (all mail or the last N days) and check frequency (push or every N min)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.all_mail = QRadioButton(self.tr("&All mail"), self)
        self.recent_mail = QRadioButton(self.tr("Only the &last"), self)
        self.days = self._spin("days", 1, 3650, 30, self.tr(" days"))
        self.push = QRadioButton(self.tr("As soon as it arrives (&push)"), self)
        self.poll = QRadioButton(self.tr("&Every"), self)
        self.minutes = self._spin("minutes", 1, 1440, 10, self.tr(" minutes"))
        for first, second in ((self.all_mail, self.recent_mail), (self.push, self.poll)):
            group = QButtonGroup(self)
            group.addButton(first)
            group.addButton(second)
        # Said plainly (issue 13): a shorter range does not delete what is here.
        self.range_note = QLabel(self.tr(
            "Mail older than that which is already on this computer stays here; older "
            "mail is fetched when you scroll to it."), self)
        self.range_note.setObjectName("syncRangeNote")
        self.range_note.setWordWrap(True)
        self.range_note.setVisible(False)
        self.recent_mail.toggled.connect(self.days.setEnabled)
        self.recent_mail.toggled.connect(self.range_note.setVisible)
        self.poll.toggled.connect(self.minutes.setEnabled)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self._caption(self.tr("Keep in sync:")), 0, 0)
        grid.addWidget(self.all_mail, 0, 1)
        grid.addWidget(self.recent_mail, 1, 1)
        grid.addWidget(self.days, 1, 2)
        grid.addWidget(self.range_note, 2, 1, 1, 2)
        grid.addWidget(self._caption(self.tr("Check for new mail:")), 3, 0)
        grid.addWidget(self.push, 3, 1)
        grid.addWidget(self.poll, 4, 1)
        grid.addWidget(self.minutes, 4, 2)
        self.set_policy(SyncPolicy())

    def _spin(self, name: str, low: int, high: int, value: int, suffix: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setSuffix(suffix)
        spin.setEnabled(False)
        return spin

    def _caption(self, text: str) -> QWidget:
        return QLabel(text, self)

    def set_policy(self, policy: SyncPolicy) -> None:
        self.recent_mail.setChecked(policy.days is not None)
        self.all_mail.setChecked(policy.days is None)
        if policy.days is not None:
            self.days.setValue(policy.days)
        self.poll.setChecked(policy.check_minutes is not None)
        self.push.setChecked(policy.check_minutes is None)
        if policy.check_minutes is not None:
            self.minutes.setValue(policy.check_minutes)

    def policy(self, offline_bodies: bool) -> SyncPolicy:
        return SyncPolicy(
            days=int(self.days.value()) if self.recent_mail.isChecked() else None,
            check_minutes=int(self.minutes.value()) if self.poll.isChecked() else None,
            offline_bodies=offline_bodies)


MAX_HEIGHT = 680
"""Pixels: a 1366x768 screen less its panels and the window frame."""


class SettingsDialog(QDialog):
    """Settings of one account. After ``accept()``: ``result_settings()`` and
    ``result_preferences()``. No signals beyond QDialog's.
    """

    def __init__(self, account: AccountSettings, folders: Sequence[str] = (),
                 quota: Quota | None = None,
                 preferences: Mapping[str, object] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings for {account}").format(account=account.name))
        self._account = account
        self._overrides: dict[str, SyncPolicy] = dict(account.folder_sync)
        self._folder = ""
        prefs = {**DEFAULT_PREFERENCES, **(preferences or {})}

        # Keeping mail in sync
        self.account_policy = PolicyFields("accountPolicy", self)
        self.account_policy.set_policy(account.sync)
        self.offline_check = QCheckBox(self.tr("Download messages for reading &offline"), self)
        self.offline_check.setObjectName("offlineCheck")
        self.offline_check.setChecked(account.sync.offline_bodies)
        self.cache_spin = QSpinBox(self)
        self.cache_spin.setObjectName("cacheSpin")
        self.cache_spin.setRange(16, 1024 * 1024)
        self.cache_spin.setSingleStep(64)
        self.cache_spin.setSuffix(self.tr(" MB"))
        self.cache_spin.setValue(account.body_cache_mb)
        sync_box = QGroupBox(self.tr("Keeping mail in sync"), self)
        sync_form = QFormLayout(sync_box)
        sync_form.addRow(self.account_policy)
        sync_form.addRow(self.offline_check)
        sync_form.addRow(self.tr("Keep at most this much mail on this &computer:"),
                         self.cache_spin)

        # Per-folder overrides
        self.folder_chooser = QComboBox(self)
        self.folder_chooser.setObjectName("folderChooser")
        self.folder_chooser.addItems(sorted(set(folders) | set(account.folder_sync),
                                            key=lambda name: (name != "INBOX", name.lower())))
        self.folder_override = QCheckBox(self.tr("Use &different settings for this folder"),
                                         self)
        self.folder_override.setObjectName("folderOverride")
        self.folder_policy = PolicyFields("folderPolicy", self)
        self.folder_override.toggled.connect(self.folder_policy.setEnabled)
        folder_box = QGroupBox(self.tr("Folders"), self)
        folder_form = QFormLayout(folder_box)
        folder_form.addRow(self.tr("&Folder:"), self.folder_chooser)
        folder_form.addRow(self.folder_override)
        folder_form.addRow(self.folder_policy)
        folder_box.setEnabled(self.folder_chooser.count() > 0)
        self.folder_chooser.currentTextChanged.connect(self._folder_chosen)
        self._folder_chosen(self.folder_chooser.currentText())

        # Reading
        self.remote_combo = QComboBox(self)
        self.remote_combo.setObjectName("remoteContentCombo")
        self.remote_combo.addItem(self.tr("Block it (recommended)"), REMOTE_BLOCK)
        self.remote_combo.addItem(self.tr("Load it for senders you have allowed"),
                                  REMOTE_KNOWN_SENDERS)
        index = self.remote_combo.findData(prefs[PREF_REMOTE_CONTENT])
        self.remote_combo.setCurrentIndex(max(index, 0))
        self.notify_check = QCheckBox(self.tr("Show a &notification when new mail arrives"),
                                      self)
        self.notify_check.setObjectName("notifyCheck")
        self.notify_check.setChecked(bool(prefs[PREF_NOTIFICATIONS]))
        self.threading_check = QCheckBox(self.tr("Group messages into &conversations"), self)
        self.threading_check.setObjectName("threadingCheck")
        self.threading_check.setChecked(bool(prefs[PREF_THREADING]))
        self.mark_read_combo = QComboBox(self)
        self.mark_read_combo.setObjectName("markReadCombo")
        self.mark_read_combo.addItem(self.tr("As soon as they are shown"), 0)
        self.mark_read_combo.addItem(self.tr("After they are shown for"), 1)
        self.mark_read_combo.addItem(self.tr("Never (only by hand)"), -1)
        self.mark_read_spin = QSpinBox(self)
        self.mark_read_spin.setObjectName("markReadSpin")
        self.mark_read_spin.setAccessibleName(self.tr("Seconds before a message is marked read"))
        self.mark_read_spin.setRange(1, 60)
        self.mark_read_spin.setSuffix(self.tr(" seconds"))
        self._set_mark_read(_int(prefs.get(PREF_MARK_READ, "2000"), 2000))
        self.mark_read_combo.currentIndexChanged.connect(
            lambda _i: self.mark_read_spin.setEnabled(self.mark_read_combo.currentData() == 1))
        mark_read_row = QHBoxLayout()
        mark_read_row.addWidget(self.mark_read_combo, 1)
        mark_read_row.addWidget(self.mark_read_spin)
        reading_box = QGroupBox(self.tr("Reading"), self)
        reading_form = QFormLayout(reading_box)
        reading_form.addRow(self.tr("&Remote images and content:"), self.remote_combo)
        mark_read_label = QLabel(self.tr("Mark messages as &read (all accounts):"), self)
        mark_read_label.setBuddy(self.mark_read_combo)  # a row of two: Alt+R needs a buddy
        reading_form.addRow(mark_read_label, mark_read_row)
        reading_form.addRow(self.notify_check)
        reading_form.addRow(self.threading_check)

        # Writing (issue 6)
        self.signature_edit = QPlainTextEdit(self)
        self.signature_edit.setObjectName("signatureEdit")
        self.signature_edit.setAccessibleName(self.tr("Signature"))
        self.signature_edit.setTabChangesFocus(True)
        self.signature_edit.setPlainText(account.signature)
        self.signature_edit.setFixedHeight(70)
        self.undo_spin = QSpinBox(self)
        self.undo_spin.setObjectName("undoSendSpin")
        self.undo_spin.setAccessibleName(self.tr("Seconds to undo sending"))
        self.undo_spin.setRange(0, 60)
        self.undo_spin.setSuffix(self.tr(" seconds"))
        self.undo_spin.setSpecialValueText(self.tr("Send at once"))
        self.undo_spin.setValue(_seconds(prefs[PREF_UNDO_SEND]))
        writing_box = QGroupBox(self.tr("Writing"), self)
        writing_form = QFormLayout(writing_box)
        writing_form.addRow(self.tr("Si&gnature:"), self.signature_edit)
        writing_form.addRow(self.tr("&Undo sending for:"), self.undo_spin)

        # Server storage
        self.quota_widget = QuotaWidget(self)
        self.quota_widget.set_quota(quota)
        storage_box = QGroupBox(self.tr("Storage on the server"), self)
        QVBoxLayout(storage_box).addWidget(self.quota_widget)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        # The groups scroll, the buttons stay: the dialog fits a 1366x768 screen whatever
        # it holds (issue 13 item 9), its height capped at MAX_HEIGHT.
        page = QWidget()
        groups = QVBoxLayout(page)
        for box in (sync_box, folder_box, reading_box, writing_box, storage_box):
            groups.addWidget(box)
        scroll = QScrollArea(self)
        scroll.setObjectName("settingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(page)
        scroll.setMinimumWidth(page.sizeHint().width()
                               + scroll.verticalScrollBar().sizeHint().width())
        scroll.setMinimumHeight(min(page.sizeHint().height(), MAX_HEIGHT - 60))
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(self.sizeHint().width(), min(self.sizeHint().height(), MAX_HEIGHT))

    def set_quota(self, quota: Quota | None) -> None:
        """The window may hand in a fresher quota while the dialog is open."""
        self.quota_widget.set_quota(quota)

    @Slot(str)
    def _folder_chosen(self, folder: str) -> None:
        self._keep_folder_fields()
        self._folder = folder
        override = self._overrides.get(folder)
        self.folder_override.setChecked(override is not None)
        self.folder_policy.setEnabled(override is not None)
        self.folder_policy.set_policy(override or self._account_policy())

    def _keep_folder_fields(self) -> None:
        if not self._folder:
            return
        if self.folder_override.isChecked():
            self._overrides[self._folder] = self.folder_policy.policy(False)
        else:
            self._overrides.pop(self._folder, None)

    def _account_policy(self) -> SyncPolicy:
        return self.account_policy.policy(self.offline_check.isChecked())

    def result_settings(self) -> AccountSettings:
        """The account with the settings as the fields show them now."""
        self._keep_folder_fields()
        offline = self.offline_check.isChecked()
        folder_sync = {name: replace(policy, offline_bodies=offline)
                       for name, policy in sorted(self._overrides.items())}
        return replace(self._account, sync=self._account_policy(), folder_sync=folder_sync,
                       body_cache_mb=int(self.cache_spin.value()),
                       signature=self.signature_edit.toPlainText().rstrip())

    def result_preferences(self) -> dict[str, object]:
        """The window's own preferences for this account (keys ``PREF_*``)."""
        return {
            PREF_REMOTE_CONTENT: str(self.remote_combo.currentData()),
            PREF_NOTIFICATIONS: self.notify_check.isChecked(),
            PREF_THREADING: self.threading_check.isChecked(),
            PREF_UNDO_SEND: str(self.undo_spin.value()),
            PREF_MARK_READ: str(self._mark_read_ms()),
        }

    def _set_mark_read(self, ms: int) -> None:
        choice = 0 if ms == 0 else (-1 if ms < 0 else 1)
        self.mark_read_combo.setCurrentIndex(self.mark_read_combo.findData(choice))
        self.mark_read_spin.setValue(max(1, min(60, round(ms / 1000))) if ms > 0 else 2)
        self.mark_read_spin.setEnabled(choice == 1)

    def _mark_read_ms(self) -> int:
        choice = int(self.mark_read_combo.currentData())
        return self.mark_read_spin.value() * 1000 if choice == 1 else choice


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except ValueError:
        return default


def _seconds(value: object) -> int:
    try:
        return max(0, min(60, int(str(value))))
    except ValueError:
        return DEFAULT_UNDO_SEND_SECONDS
