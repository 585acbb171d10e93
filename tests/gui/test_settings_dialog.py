"""SettingsDialog round-trips AccountSettings; QuotaWidget's sentence and warning."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from qtmail.accounts.settings import AccountSettings, ServerSettings, SyncPolicy
from qtmail.core.types import Quota
from qtmail.qt.account_prefs import AccountPreferences
from qtmail.qt.prefs import (
    DEFAULT_PREFERENCES,
    PREF_MARK_READ,
    PREF_NOTIFICATIONS,
    PREF_REMOTE_CONTENT,
    PREF_THREADING,
    PREF_UNDO_SEND,
    REMOTE_KNOWN_SENDERS,
)
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.quota import QuotaWidget, format_size
from qtmail.qt.widgets.settings_dialog import SettingsDialog

GB = 1024 ** 3


def account(**changes: object) -> AccountSettings:
    base = AccountSettings(name="work", email="ann@example.org",
                           imap=ServerSettings(host="imap.example.org", port=993))
    return AccountSettings(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def make(qtbot: QtBot, settings: AccountSettings, **kwargs: object) -> SettingsDialog:
    dialog = SettingsDialog(settings, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    return dialog


def test_untouched_dialog_returns_the_same_settings(qtbot: QtBot) -> None:
    original = account(sync=SyncPolicy(days=90, check_minutes=15, offline_bodies=True),
                       folder_sync={"Archive": SyncPolicy(days=None, check_minutes=60,
                                                          offline_bodies=True)},
                       body_cache_mb=2048)
    dialog = make(qtbot, original, folders=["INBOX", "Archive", "Sent"])
    assert dialog.objectName() == "settingsDialog"
    assert dialog.result_settings() == original
    assert dialog.result_preferences() == {**DEFAULT_PREFERENCES, PREF_MARK_READ: "2000"}


def test_defaults_round_trip(qtbot: QtBot) -> None:
    original = account()
    dialog = make(qtbot, original, folders=["INBOX"])
    assert dialog.account_policy.all_mail.isChecked()
    assert dialog.account_policy.push.isChecked()
    assert not dialog.account_policy.days.isEnabled()
    assert dialog.result_settings() == original


def test_changes_reach_the_account_settings(qtbot: QtBot) -> None:
    dialog = make(qtbot, account(), folders=["INBOX", "Lists/python"])
    policy = dialog.account_policy
    policy.recent_mail.click()
    assert policy.days.isEnabled()
    policy.days.setValue(30)
    policy.poll.click()
    policy.minutes.setValue(5)
    dialog.offline_check.click()
    dialog.cache_spin.setValue(512)
    result = dialog.result_settings()
    assert result.sync == SyncPolicy(days=30, check_minutes=5, offline_bodies=True)
    assert result.body_cache_mb == 512
    assert result.folder_sync == {}


def test_folder_overrides(qtbot: QtBot) -> None:
    dialog = make(qtbot, account(), folders=["Lists/python", "INBOX", "Archive"])
    chooser = dialog.folder_chooser
    assert [chooser.itemText(i) for i in range(chooser.count())] == [
        "INBOX", "Archive", "Lists/python"]
    assert not dialog.folder_policy.isEnabled()
    chooser.setCurrentText("Lists/python")
    dialog.folder_override.click()
    assert dialog.folder_policy.isEnabled()
    dialog.folder_policy.recent_mail.click()
    dialog.folder_policy.days.setValue(7)
    dialog.folder_policy.poll.click()
    dialog.folder_policy.minutes.setValue(120)
    chooser.setCurrentText("Archive")  # switching keeps what was set for the other folder
    assert not dialog.folder_override.isChecked()
    dialog.offline_check.click()
    result = dialog.result_settings()
    assert result.folder_sync == {
        "Lists/python": SyncPolicy(days=7, check_minutes=120, offline_bodies=True)}
    assert result.policy_for("Lists/python").days == 7
    assert result.policy_for("Archive") == result.sync
    # and back: the override is shown again, and can be removed
    chooser.setCurrentText("Lists/python")
    assert dialog.folder_override.isChecked()
    assert dialog.folder_policy.days.value() == 7
    dialog.folder_override.click()
    assert dialog.result_settings().folder_sync == {}


def test_preferences_round_trip(qtbot: QtBot) -> None:
    prefs = {PREF_REMOTE_CONTENT: REMOTE_KNOWN_SENDERS, PREF_NOTIFICATIONS: False,
             PREF_THREADING: True, PREF_UNDO_SEND: "12", PREF_MARK_READ: "-1"}
    dialog = make(qtbot, account(), preferences=prefs)
    assert dialog.result_preferences() == prefs
    dialog.notify_check.click()
    assert dialog.result_preferences()[PREF_NOTIFICATIONS] is True
    dialog.undo_spin.setValue(0)  # "Send at once"
    assert dialog.result_preferences()[PREF_UNDO_SEND] == "0"
    assert dialog.undo_spin.text() == "Send at once"


def test_signature_is_kept_in_the_account(qtbot: QtBot) -> None:
    dialog = make(qtbot, account(signature="Ann\nExample Corp"))
    assert dialog.signature_edit.toPlainText() == "Ann\nExample Corp"
    dialog.signature_edit.setPlainText("Ann Example\nPhone 123\n\n")
    settings = dialog.result_settings()
    assert settings.signature == "Ann Example\nPhone 123"
    assert AccountSettings.from_json(settings.to_json()).signature == "Ann Example\nPhone 123"


@pytest.mark.parametrize(("quota", "text", "warned"), [
    (Quota(used=int(1.2 * GB), limit=2 * GB), "1.2 GB of 2 GB used", False),
    (Quota(used=int(1.9 * GB), limit=2 * GB), "1.9 GB of 2 GB used", True),
    (Quota(used=2 * GB, limit=2 * GB), "2 GB of 2 GB used", True),
    (Quota(used=300 * 1024 ** 2, limit=0), "300 MB used", False),
])
def test_quota_sentence_and_warning(qtbot: QtBot, quota: Quota, text: str,
                                    warned: bool) -> None:
    widget = QuotaWidget(locale=QLocale("en_US"))
    qtbot.addWidget(widget)
    widget.set_quota(quota)
    assert widget.text() == text
    assert bool(widget.warning()) == warned


def test_quota_warning_sentences(qtbot: QtBot) -> None:
    widget = QuotaWidget(locale=QLocale("en_US"))
    qtbot.addWidget(widget)
    widget.set_quota(Quota(used=int(1.9 * GB), limit=2 * GB))
    assert widget.warning().startswith("Your server storage is almost full (95% used).")
    widget.set_quota(Quota(used=3 * GB, limit=2 * GB))
    assert widget.warning().startswith("Your server storage is full.")
    widget.set_quota(None)
    assert widget.warning() == ""
    assert "does not say" in widget.text()


def test_sizes_follow_the_locale() -> None:
    assert format_size(int(1.2 * GB), QLocale("de_DE")) == "1,2 GB"
    assert format_size(2 * GB, QLocale("de_DE")) == "2 GB"
    assert format_size(0, QLocale("en_US")) == "0 bytes"


def test_the_dialog_shows_the_quota(qtbot: QtBot) -> None:
    dialog = make(qtbot, account(), quota=Quota(used=int(1.95 * GB), limit=2 * GB))
    assert dialog.quota_widget.warning()
    dialog.set_quota(Quota(used=GB, limit=2 * GB))
    assert dialog.quota_widget.warning() == ""


def test_mark_read_choice_is_one_setting_for_all_accounts(qtbot: QtBot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = WindowSettings(tmp_path / "qtmail.ini")
    prefs = AccountPreferences(settings)
    assert prefs.get("work")[PREF_MARK_READ] == "2000"  # a short delay by default
    dialog = make(qtbot, account(), preferences=prefs.get("work"))
    assert dialog.mark_read_combo.currentData() == 1 and dialog.mark_read_spin.value() == 2
    dialog.mark_read_combo.setCurrentIndex(dialog.mark_read_combo.findData(-1))
    assert not dialog.mark_read_spin.isEnabled()
    assert dialog.result_preferences()[PREF_MARK_READ] == "-1"
    dialog.mark_read_combo.setCurrentIndex(dialog.mark_read_combo.findData(1))
    dialog.mark_read_spin.setValue(7)
    prefs.set("work", dialog.result_preferences())
    assert settings.mark_read_delay_ms() == 7000
    assert prefs.get("home")[PREF_MARK_READ] == "7000"  # every account


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_a_shorter_sync_range_says_that_cached_mail_stays(qtbot: QtBot) -> None:
    dialog = make(qtbot, account())
    dialog.show()
    policy = dialog.account_policy
    assert not policy.range_note.isVisible()
    policy.recent_mail.click()
    assert policy.range_note.isVisible()
    assert "already on this computer stays" in policy.range_note.text()


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_the_dialog_fits_a_small_laptop_screen(qtbot: QtBot) -> None:
    dialog = make(qtbot, account(signature="Regards\n" * 5),
                  folders=[f"Folder {n}" for n in range(40)],
                  quota=Quota(used=95 * GB // 100, limit=GB))
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.height() <= 700 and dialog.sizeHint().height() <= 700
    assert dialog.width() <= 1300
    # Everything is still there: the groups scroll, the buttons stay in view.
    assert dialog.signature_edit.isVisibleTo(dialog)
    assert dialog.mark_read_combo.isVisibleTo(dialog)
