"""Error sentences in the user's language (issue 4): made below the Qt layer, marked
for lupdate there, translated where they are shown, parts (host names, folder names,
server text) filled in after translation and never translated themselves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import MailUser
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from qtmail.core.errors import QT_TRANSLATE_NOOP, AuthError, Sentence, ServiceStatus
from qtmail.imap.errors import said
from qtmail.qt.bridge import EngineClient
from qtmail.qt.error_text import error_text
from qtmail.qt.i18n import install_translations, remove_translations
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

REFUSED = "サーバーがユーザー名またはパスワードを受け付けませんでした。"


@pytest.fixture
def japanese(qapp: QApplication) -> Iterator[None]:
    install_translations(qapp, "ja", environ={})
    yield
    remove_translations(qapp)
    QLocale.setDefault(QLocale.system())


def test_templates_are_translated_and_parts_filled_in_after(japanese: None) -> None:
    lost = Sentence(QT_TRANSLATE_NOOP("Errors", "The server {host} could not do that."),
                    host="imap.{example}.org") + said("[CANNOT] Mailbox is locked")
    assert str(lost) == ("The server imap.{example}.org could not do that. The server said: "
                         "“[CANNOT] Mailbox is locked”")
    assert error_text(lost) == ("サーバー imap.{example}.org はその操作を実行できませんでした。"
                                " サーバーの応答:「[CANNOT] Mailbox is locked」")
    folder = Sentence(QT_TRANSLATE_NOOP(
        "Errors", "There is no folder named “{name}” in {account}."),
        name="Projects", account="work")
    assert error_text(folder) == "work に「Projects」という名前のフォルダーはありません。"
    # Unmarked text (a server alert, an old message) is shown as it is.
    assert error_text("The server says hello.") == "The server says hello."


def test_english_stays_english(qapp: QApplication) -> None:
    remove_translations(qapp)
    error = AuthError(Sentence(QT_TRANSLATE_NOOP(
        "Errors", "Signing in to the mail server {host} failed."), host="smtp.example.org"))
    assert error_text(error.user_message) == "Signing in to the mail server smtp.example.org " \
        "failed."


@pytest.mark.dovecot
def test_a_refused_password_reads_japanese_in_the_status_bar(
        japanese: None, mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(WindowSettings(tmp_path / "qtmail.ini"))
    qtbot.addWidget(window)
    client = EngineClient(account_for(mail_user), tmp_path / "cache.sqlite3",
                          lambda: "not the password", window)
    statuses: list[ServiceStatus] = []
    client.event.connect(lambda e: statuses.append(getattr(e, "status", None)))
    window.add_account(client)
    window.show()
    try:
        qtbot.waitUntil(lambda: ServiceStatus.AUTH_FAILED in statuses, timeout=15_000)
        qtbot.waitUntil(lambda: window.status.state_text("work") == REFUSED, timeout=5_000)
    finally:
        window.close()
    assert not client.running
