"""The composer window alone (no server): recipients, Bcc, rich text, attachments,
warnings, drafts on close and after a pause, signatures; and the single-instance
hand-off that brings a mailto: link to the running window."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.cache import FilledCache, summary
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from qtmail.accounts.identity import Identity
from qtmail.core.commands import Command, DiscardDraft, SaveDraft, SendMail
from qtmail.core.outgoing import Attachment, Draft
from qtmail.core.types import Address
from qtmail.qt.composer import attachment_area, checks, dialogs
from qtmail.qt.composer.recipients import INVALID_STYLE, field_text
from qtmail.qt.composer.window import ComposerWindow
from qtmail.qt.i18n import install_translations, remove_translations
from qtmail.qt.instance import InstanceServer, hand_off, socket_path
from qtmail.store.addresses import known_addresses

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

ANN = Identity("work", Address("Ann Example", "ann@example.org"), "Ann\nExample Corp")
HOME = Identity("home", Address("Ann", "ann@home.example"), "Cheers, Ann")


class Recorder:
    """The composer's ``send``: what went to which account, and the questions asked."""

    def __init__(self) -> None:
        self.commands: list[tuple[str, Command]] = []
        self.informed: list[str] = []
        self.asked: list[str] = []
        self.answer = True

    def __call__(self, account: str, command: Command) -> None:
        self.commands.append((account, command))

    def of(self, kind: type) -> list[Command]:
        return [c for _a, c in self.commands if isinstance(c, kind)]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def clipboard() -> Iterator[None]:
    """Emptied afterwards: a clipboard still holding data at exit crashes the process."""
    yield
    QGuiApplication.clipboard().clear()


@pytest.fixture
def make(qtbot: QtBot, recorder: Recorder) -> Iterator[type[ComposerWindow]]:
    made: list[ComposerWindow] = []

    def build(**kwargs: object) -> ComposerWindow:
        # Not qtbot.addWidget: a composer deletes itself once closed (WA_DeleteOnClose).
        window = ComposerWindow([ANN, HOME], recorder, **kwargs)  # type: ignore[arg-type]
        made.append(window)
        window.dialogs.inform = lambda _t, text: recorder.informed.append(text)  # type: ignore[method-assign]

        def ask(_title: str, question: str) -> bool:
            recorder.asked.append(question)
            return recorder.answer
        window.dialogs.ask = ask  # type: ignore[method-assign]
        # pytest-qt closes the windows after the test: never a modal question then.
        window.dialogs.ask_keep = lambda: dialogs.DISCARD  # type: ignore[method-assign]
        window.show()
        window.activateWindow()  # the window manager's part: shortcuts need it
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
        return window

    yield build  # type: ignore[misc]
    for window in made:
        if isValid(window):
            window.close()
            window.deleteLater()


def fill(qtbot: QtBot, window: ComposerWindow, to: str = "bob@example.org",
         subject: str = "Hello", body: str = "Some text.") -> None:
    qtbot.keyClicks(window.to_edit, to)
    qtbot.keyClicks(window.subject_edit, subject)
    window.body.moveCursor(window.body.textCursor().MoveOperation.Start)
    qtbot.keyClicks(window.body, body)


def test_widgets_have_names_and_the_signature_is_below(make: type[ComposerWindow]) -> None:
    window = make()
    assert window.objectName() == "composerWindow"
    for widget in (window.from_combo, window.to_edit, window.cc_edit, window.bcc_edit,
                   window.subject_edit, window.body, window.attachments):
        assert widget.objectName() and widget.accessibleName(), widget
    for action in window.actions():
        assert action.objectName() and action.text() and action.toolTip(), action
    assert window.body.toPlainText() == "\n\n-- \nAnn\nExample Corp"
    assert window.body.textCursor().position() == 0
    assert not window.bcc_edit.isVisible()


def test_pasted_list_is_split_and_names_with_commas_kept(
        make: type[ComposerWindow], qtbot: QtBot, clipboard: None) -> None:
    window = make()
    QGuiApplication.clipboard().setText(
        'a@example.org\nBob Smith <bob@example.org>;\r\n"Doe, Jane \\"JD\\"" <jane@example.org>')
    window.to_edit.setFocus()
    window.to_edit.paste()
    valid, invalid = window.to_edit.addresses()
    assert invalid == []
    assert [(a.name, a.addr) for a in valid] == [
        ("", "a@example.org"), ("Bob Smith", "bob@example.org"),
        ('Doe, Jane "JD"', "jane@example.org")]
    assert "\n" not in window.to_edit.text()
    # Back into a field, a name with specials is quoted again.
    assert field_text(valid[2]) == '"Doe, Jane \\"JD\\"" <jane@example.org>'


def test_invalid_address_is_marked_and_sending_refused(
        make: type[ComposerWindow], qtbot: QtBot, recorder: Recorder) -> None:
    window = make()
    fill(qtbot, window, to="bob@example.org, bob at example")
    window.subject_edit.setFocus()  # leaving the field checks it
    assert window.to_edit.invalid == ["bob at example"]
    assert window.to_edit.styleSheet() == INVALID_STYLE
    assert "bob at example" in window.to_edit.toolTip()
    qtbot.keyClick(window.body, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert recorder.of(SendMail) == []
    assert len(recorder.informed) == 1
    assert "not valid email addresses: bob at example" in recorder.informed[0]
    assert window.isVisible()
    window.to_edit.setText("bob@example.org")
    assert window.to_edit.styleSheet() == ""


def test_no_recipient_is_refused(make: type[ComposerWindow], qtbot: QtBot,
                                 recorder: Recorder) -> None:
    window = make()
    fill(qtbot, window, to="")
    assert not window.send_message()
    assert "at least one recipient" in recorder.informed[0]


def test_bcc_on_demand_goes_to_the_envelope_only(
        make: type[ComposerWindow], qtbot: QtBot, recorder: Recorder) -> None:
    window = make(undo_seconds=5.0)
    fill(qtbot, window)
    qtbot.keyClick(window.body, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert window.bcc_edit.isVisible()
    qtbot.keyClicks(window.bcc_edit, "secret@example.org")
    with qtbot.waitSignal(window.sent) as sent:
        assert window.send_message()
    (command,) = recorder.of(SendMail)
    assert isinstance(command, SendMail)
    assert [a.addr for a in command.draft.bcc] == ["secret@example.org"]
    assert command.delay_seconds == 5.0
    assert command.draft_id == window.draft_id and sent.args[1] == window.draft_id
    assert command.draft.from_address == ANN.address
    assert not window.isVisible()


def test_rich_text_keeps_a_plain_part(make: type[ComposerWindow], qtbot: QtBot) -> None:
    window = make()
    assert not window.bold_action.isEnabled()
    window.rich_action.trigger()
    assert window.bold_action.isEnabled()
    window.body.clear()
    window.bold_action.trigger()
    qtbot.keyClicks(window.body, "Important")
    window.bold_action.trigger()
    qtbot.keyClick(window.body, Qt.Key.Key_Return)
    window.bullets_action.trigger()
    qtbot.keyClicks(window.body, "first")
    qtbot.keyClick(window.body, Qt.Key.Key_Return)
    qtbot.keyClicks(window.body, "second")
    draft = window.draft()
    assert draft.body_html is not None and "font-weight" in draft.body_html
    assert "<li" in draft.body_html
    assert draft.body_text == "Important\n- first\n- second"
    window.rich_action.trigger()  # back to plain: the words stay
    assert window.draft().body_html is None
    assert window.body.toPlainText() == "Important\n- first\n- second"


def test_only_web_and_mail_links(make: type[ComposerWindow], recorder: Recorder) -> None:
    window = make()
    window.rich_action.trigger()
    window.body.clear()
    window.dialogs.ask_link = lambda: "javascript:alert(1)"  # type: ignore[method-assign]
    window.link_action.trigger()
    assert "Only web" in recorder.informed[-1]
    assert "javascript" not in (window.body.html() or "")
    window.dialogs.ask_link = lambda: "https://example.org/a"  # type: ignore[method-assign]
    window.link_action.trigger()
    assert 'href="https://example.org/a"' in (window.body.html() or "")


def test_files_pasted_become_attachments_and_can_be_removed(
        make: type[ComposerWindow], qtbot: QtBot, tmp_path: Path, clipboard: None) -> None:
    window = make()
    one, two = tmp_path / "one.txt", tmp_path / "two.png"
    one.write_bytes(b"first file\n")
    two.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(one)), QUrl.fromLocalFile(str(two))])
    QGuiApplication.clipboard().setMimeData(data)
    window.body.setFocus()
    window.body.paste()
    area = window.attachments
    qtbot.waitUntil(lambda: len(area.attachments()) == 2, timeout=5_000)
    assert [(a.filename, a.content_type, a.data) for a in area.attachments()] == [
        ("one.txt", "text/plain", b"first file\n"),
        ("two.png", "image/png", two.read_bytes())]
    assert window.body.toPlainText().startswith("\n")  # no file URL typed into the text
    area.list.setCurrentRow(0)
    qtbot.keyClick(area.list, Qt.Key.Key_Delete)
    assert [a.filename for a in area.attachments()] == ["two.png"]
    assert "1 attachment" in area.summary.text()


def test_unreadable_files_say_why(make: type[ComposerWindow], qtbot: QtBot,
                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = make()
    monkeypatch.setattr(attachment_area, "MAX_FILE_BYTES", 100)
    big = tmp_path / "big.bin"
    big.write_bytes(bytes(101))
    with qtbot.waitSignal(window.attachments.idle):
        window.add_files([str(big)])
    assert "“big.bin” is too big" in window.problem_label.text()
    assert window.problem_label.isVisible()
    with qtbot.waitSignal(window.attachments.idle):
        window.add_files([str(tmp_path)])
    assert "is a folder" in window.problem_label.text()
    assert window.attachments.attachments() == ()


def test_attachment_mention_and_size_warnings(
        make: type[ComposerWindow], qtbot: QtBot, recorder: Recorder,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = make()
    fill(qtbot, window, body="Der Vertrag ist ")
    window.body.insertPlainText("angehängt. ")  # QTest types ASCII only
    recorder.answer = False
    assert not window.send_message()
    assert "mentions an attachment" in recorder.asked[-1]
    window.attachments.add_attachment(Attachment("contract.pdf", "application/pdf",
                                                 bytes(2000)))
    monkeypatch.setattr(checks, "LARGE_TOTAL_BYTES", 1000)
    assert not window.send_message()
    assert "add up to" in recorder.asked[-1]
    recorder.answer = True
    assert window.send_message()
    assert len(recorder.of(SendMail)) == 1


def test_header_injection_in_a_name_is_refused(
        make: type[ComposerWindow], qtbot: QtBot, recorder: Recorder) -> None:
    window = make()
    fill(qtbot, window)
    window.attachments.add_attachment(Attachment("a\r\nBcc: x@evil.example.txt",
                                                 "text/plain", b"x"))
    assert not window.send_message()
    assert recorder.of(SendMail) == []
    assert recorder.informed and "line break" in recorder.informed[0]
    window.subject_edit.setText("two\r\nlines")  # pasted: made one line at once
    assert window.subject_edit.text() == "two lines"


def test_close_asks_to_keep_or_discard(make: type[ComposerWindow], qtbot: QtBot,
                                       recorder: Recorder) -> None:
    untouched = make()
    untouched.dialogs.ask_keep = lambda: pytest.fail("nothing typed: no question")  # type: ignore[method-assign]
    untouched.close()
    assert recorder.commands == []

    window = make()
    fill(qtbot, window)
    window.dialogs.ask_keep = lambda: dialogs.CANCEL  # type: ignore[method-assign]
    qtbot.keyClick(window.body, Qt.Key.Key_Escape)
    assert window.isVisible() and recorder.commands == []
    window.dialogs.ask_keep = lambda: dialogs.DISCARD  # type: ignore[method-assign]
    window.close()
    assert not window.isVisible() and recorder.commands == []  # never saved: nothing to delete

    kept = make()
    fill(qtbot, kept, subject="Keep me")
    kept.dialogs.ask_keep = lambda: dialogs.KEEP  # type: ignore[method-assign]
    kept.close()
    (save,) = recorder.of(SaveDraft)
    assert isinstance(save, SaveDraft) and save.draft.subject == "Keep me"
    assert save.draft_id == kept.draft_id and save.replaces is None


def test_autosave_after_a_pause_then_discard(make: type[ComposerWindow], qtbot: QtBot,
                                             recorder: Recorder) -> None:
    window = make()
    window._autosave.setInterval(50)
    fill(qtbot, window, subject="Pause")
    qtbot.waitUntil(lambda: len(recorder.of(SaveDraft)) == 1, timeout=5_000)
    window.save_draft()  # nothing changed since: no second copy
    assert len(recorder.of(SaveDraft)) == 1
    qtbot.keyClicks(window.body, " More.")
    qtbot.waitUntil(lambda: len(recorder.of(SaveDraft)) == 2, timeout=5_000)
    window.dialogs.ask_keep = lambda: dialogs.DISCARD  # type: ignore[method-assign]
    qtbot.keyClicks(window.body, " Even more.")
    window.close()
    (discard,) = recorder.of(DiscardDraft)
    assert isinstance(discard, DiscardDraft) and discard.draft_id == window.draft_id


def test_signature_follows_the_identity(make: type[ComposerWindow], qtbot: QtBot) -> None:
    window = make()
    window.from_combo.setCurrentIndex(1)
    assert window.body.toPlainText() == "\n\n-- \nCheers, Ann"
    assert window.draft().from_address == HOME.address
    reopened = make(draft=Draft(from_address=HOME.address, subject="Again",
                                body_text="Text\n\n-- \nCheers, Ann"), add_signature=False)
    assert reopened.from_combo.currentIndex() == 1
    assert reopened.body.toPlainText() == "Text\n\n-- \nCheers, Ann"


def test_second_start_hands_its_link_over(qtbot: QtBot, tmp_path: Path) -> None:
    path = socket_path(tmp_path / "config")
    server = InstanceServer(path)
    assert server.listen()
    results: list[bool] = []
    try:
        with qtbot.waitSignal(server.received) as received:
            thread = threading.Thread(target=lambda: results.append(
                hand_off(path, "mailto:bob@example.org?subject=Hi")))
            thread.start()
        thread.join(10)
        assert received.args == ["mailto:bob@example.org?subject=Hi"]
        assert results == [True]
    finally:
        server.close()
    assert not hand_off(path, "")  # nobody listens any more: start normally


def test_composer_screenshot(make: type[ComposerWindow], qtbot: QtBot,
                             qapp: QApplication) -> None:
    """artifacts/screenshot-composer.png: a reply being written, with an attachment."""
    install_translations(qapp, "en", environ={})  # English plurals, as the app has them
    try:
        grab_composer(make, qtbot)
    finally:
        remove_translations(qapp)


def grab_composer(make: type[ComposerWindow], qtbot: QtBot) -> None:
    target = Path(__file__).resolve().parents[2] / "artifacts" / "screenshot-composer.png"
    target.parent.mkdir(exist_ok=True)
    target.unlink(missing_ok=True)
    quote = ("\n\nOn 1 Nov 2026 12:00, Bob Smith wrote:\n> Could you send me the Q3 figures"
             " before Friday?\n> Thanks!\n")
    window = make(draft=Draft(
        from_address=ANN.address, to=(Address("Bob Smith", "bob@example.org"),),
        cc=(Address("Doe, Jane", "jane@example.org"),), subject="Re: Q3 figures",
        body_text=quote, attachments=(Attachment("Q3 figures.pdf", "application/pdf",
                                                 bytes(245_000)),)))
    window.body.moveCursor(window.body.textCursor().MoveOperation.Start)
    window.body.insertPlainText("Hi Bob,\n\nHere they are, see the attached PDF.")
    window.resize(780, 600)
    qtbot.waitExposed(window)
    image = window.grab().toImage()
    assert image.save(str(target))
    assert image.width() >= 700 and image.height() >= 500
    colours = {image.pixel(x, y) for x in range(0, image.width(), 5)
               for y in range(0, image.height(), 5)}
    assert len(colours) > 20, len(colours)  # painted text, not a blank window
    assert window.attachments.summary.text().startswith("1 attachment, ")


def test_qtmail_mailto_goes_to_the_running_window(qtbot: QtBot, tmp_path: Path) -> None:
    """`qtmail --home H mailto:...` while a qtmail runs on H: the link is handed over
    and the second process ends at once (no second window, no second worker)."""
    home = tmp_path / "home"
    path = socket_path(home / "config")
    server = InstanceServer(path)
    assert server.listen()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    try:
        with qtbot.waitSignal(server.received, timeout=60_000) as received:
            process = subprocess.Popen(
                [sys.executable, "-m", "qtmail", "--home", str(home),
                 "mailto:bob@example.org?subject=From%20the%20desktop"], env=env)
        assert process.wait(60) == 0
    finally:
        server.close()
    assert received.args == ["mailto:bob@example.org?subject=From%20the%20desktop"]


def test_known_addresses_most_frequent_first(tmp_path: Path) -> None:
    cache = FilledCache(tmp_path / "cache.sqlite3")
    try:
        rows = [summary(1), summary(2), summary(3)]
        rows[0] = replace_summary(rows[0], Address("", "carol@example.org"),
                                  (Address("Bob", "BOB@example.org"),))
        rows[1] = replace_summary(rows[1], Address("Carol Jones", "carol@example.org"), ())
        rows[2] = replace_summary(rows[2], Address("Bob B.", "bob@example.org"),
                                  (Address("", "undisclosed-recipients:;"),))
        cache.writer.add_summaries("INBOX", rows)
        found = known_addresses(cache.reader)
        assert [(k.address.display(), k.count) for k in found] == [
            ("Bob B. <bob@example.org>", 2), ("Carol Jones <carol@example.org>", 2)]
    finally:
        cache.close()


def replace_summary(row: object, sender: Address, to: tuple[Address, ...]) -> object:
    from dataclasses import replace
    return replace(row, sender=sender, to=to, cc=())  # type: ignore[type-var]
