"""Languages: the Japanese catalog is complete and current, --lang / QTMAIL_LANG / the
system locale choose it, the window speaks it, dates and sizes follow the locale, and
Japanese text renders with real glyphs (a CJK font is installed by scripts/test)."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.cache import folder
from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt
from PySide6.QtGui import QFont, QFontDatabase, QTextLayout
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from qtmail.cli import take_lang
from qtmail.cli.parser import build_parser
from qtmail.core.types import FolderRole
from qtmail.qt.i18n import choose_language, install_translations, remove_translations
from qtmail.qt.models.columns import short_date_text as date_text
from qtmail.qt.models.columns import short_size_text as size_text
from qtmail.qt.models.roles import Role
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow
from qtmail.qt.widgets.quota import format_size
from qtmail.store import Store

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "qtmail" / "data" / "i18n"
TS = I18N / "qtmail_ja.ts"
TS_EN = I18N / "qtmail_en.ts"
"""English: only the plural forms of the "%n" messages (pyside6-lupdate -pluralonly)."""
BIN = Path(sys.executable).parent
SPECIAL = [folder("INBOX", FolderRole.INBOX), folder("Drafts", FolderRole.DRAFTS),
           folder("Sent Items", FolderRole.SENT), folder("Archive", FolderRole.ARCHIVE),
           folder("Spam", FolderRole.JUNK), folder("Deleted", FolderRole.TRASH),
           folder("Projects")]
PLACEHOLDER = re.compile(r"%n|%\d|\{\w*\}")
JAPANESE = "会議の議事録 — 来週の打ち合わせについて（山田 太郎）ｶﾀｶﾅ"


def messages(ts: Path) -> list[tuple[str, ET.Element]]:
    root = ET.parse(ts).getroot()
    return [(str(context.findtext("name")), message) for context in root.iter("context")
            for message in context.iter("message")]


def keys(ts: Path) -> set[tuple[str, str]]:
    return {(context, str(message.findtext("source"))) for context, message in messages(ts)}


def tool(name: str) -> str:
    path = BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: it comes with PySide6-Essentials")
    return found


@pytest.fixture
def language(qapp: QApplication) -> Iterator[None]:
    """Whatever a test installs, no translator and the system locale come back afterwards."""
    yield
    remove_translations(qapp)
    QLocale.setDefault(QLocale.system())


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[Callable[[], MainWindow]]:
    """A window made after the test chose its language, with one account's folders."""
    def make() -> MainWindow:
        made = MainWindow(WindowSettings(tmp_path / "qtmail.ini"))
        qtbot.addWidget(made)
        store = Store.open(tmp_path / "cache.sqlite3")
        stores.append(store)
        store.save_folders(SPECIAL)
        made.tree.add_account("work", store)
        return made

    stores: list[Store] = []
    yield make
    for store in stores:
        store.close()


# -- the catalog ---------------------------------------------------------------------------
@pytest.mark.parametrize("ts", [TS, TS_EN], ids=["ja", "en"])
def test_every_message_has_a_finished_translation(ts: Path) -> None:
    found = messages(ts)
    assert len(found) > (200 if ts == TS else 5)
    problems = []
    for context, message in found:
        source = str(message.findtext("source"))
        translation = message.find("translation")
        assert translation is not None
        kind = translation.get("type")
        if not context:
            problems.append(f"{source!r}: tr() outside a class finds another context at "
                            "run time; use QCoreApplication.translate(\"Context\", ...)")
        forms = [form.text or "" for form in translation.iter("numerusform")] \
            if message.get("numerus") == "yes" else [translation.text or ""]
        if kind in ("unfinished", "obsolete", "vanished") or not all(forms):
            problems.append(f"{context}: {source!r} ({kind or 'empty'})")
            continue
        for text in forms:
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                problems.append(f"{context}: {source!r} -> {text!r}: placeholders differ")
            if "&" in source.replace("&&", "") and not re.search(r"&\w", text) \
                    and "<" not in source:
                problems.append(f"{context}: {source!r} -> {text!r}: no shortcut letter")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("ts", [TS, TS_EN], ids=["ja", "en"])
def test_catalog_holds_exactly_the_strings_in_the_code(ts: Path, tmp_path: Path) -> None:
    """lupdate over the code finds nothing that the committed .ts lacks, or more."""
    fresh = tmp_path / ts.name
    shutil.copy(ts, fresh)
    sources = sorted(str(p) for p in (ROOT / "qtmail").rglob("*.py")
                     if "__pycache__" not in p.parts)
    plural_only = ["-pluralonly"] if ts == TS_EN else []
    subprocess.run([tool("pyside6-lupdate"), "-extensions", "py", "-no-obsolete", "-silent",
                    *plural_only, *sources, "-ts", str(fresh)], check=True, capture_output=True)
    new = keys(fresh) - keys(ts)
    gone = keys(ts) - keys(fresh)
    assert not new, f"run scripts/update-translations and translate: {sorted(new)}"
    assert not gone, f"run scripts/update-translations: {sorted(gone)}"


MARKED_TABLES = ("SPECIAL_NAMES[", "HEADER_TEXT[", "super().__getitem__(", "marked_sentence")
"""Lookups into tables whose entries are QT_TRANSLATE_NOOP-marked for lupdate."""


def test_translation_calls_take_literal_strings() -> None:
    """lupdate only finds tr("...") and translate("Context", "...") spelled with literals:
    a helper like ``_tr(text)`` or a variable would leave its strings untranslated."""
    problems = []
    for path in sorted((ROOT / "qtmail").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "tr":
                args = node.args[:1]
            elif isinstance(func, ast.Attribute) and func.attr == "translate" \
                    and isinstance(func.value, ast.Name) and func.value.id == "QCoreApplication":
                args = node.args[:2]
            else:
                continue
            literal = all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                          for a in args)
            code = ast.unparse(node)
            if not literal and not any(table in code for table in MARKED_TABLES):
                problems.append(f"{path.relative_to(ROOT)}:{node.lineno}: {code}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("ts", [TS, TS_EN], ids=["ja", "en"])
def test_compiled_catalog_is_current(ts: Path, tmp_path: Path) -> None:
    compiled = tmp_path / "compiled.qm"
    identical = ["-removeidentical"] if ts == TS else []
    subprocess.run([tool("pyside6-lrelease"), *identical, "-silent", str(ts),
                    "-qm", str(compiled)], check=True, capture_output=True)
    assert compiled.read_bytes() == ts.with_suffix(".qm").read_bytes(), \
        "run scripts/update-translations"


def test_english_plurals(qapp: QApplication, language: None) -> None:
    assert install_translations(qapp, "en", environ={}) == "en"
    source = "%n change(s) waiting for the server"
    waiting = [QCoreApplication.translate("AccountStatusBar", source, "", n) for n in (1, 3)]
    assert waiting == ["1 change waiting for the server", "3 changes waiting for the server"]
    install_translations(qapp, "ja", environ={})
    assert QCoreApplication.translate("AccountStatusBar", source, "", 3) == \
        "3 件の変更がサーバーへの反映待ち"


# -- choosing the language --------------------------------------------------------------------
def test_language_follows_the_locale() -> None:
    assert choose_language(QLocale("ja_JP")) == "ja"
    assert choose_language(QLocale("en_GB")) == "en"
    assert choose_language(QLocale("de_DE")) == "en"
    assert choose_language(QLocale.c()) == "en"


def test_override_and_environment(qapp: QApplication, language: None) -> None:
    assert install_translations(qapp, "ja", environ={}) == "ja"
    assert QLocale().language() == QLocale.Language.Japanese
    assert install_translations(qapp, None, environ={"QTMAIL_LANG": "ja_JP"}) == "ja"
    assert install_translations(qapp, "en", environ={"QTMAIL_LANG": "ja"}) == "en"
    assert QLocale().language() == QLocale.Language.English
    assert install_translations(qapp, "xx-nonsense", environ={}) == choose_language(
        QLocale.system())


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANG": "ja_JP.UTF-8"}, "ja"), ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "QTMAIL_LANG": "ja"}, "ja"),
    ({"LANG": "ja_JP.UTF-8", "QTMAIL_LANG": "en"}, "en")])
def test_system_locale_chooses_in_a_fresh_process(env: dict[str, str], expected: str) -> None:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE", "QTMAIL_LANG")}
    code = ("from PySide6.QtCore import QCoreApplication\n"
            "from qtmail.qt.i18n import install_translations\n"
            "app = QCoreApplication([])\n"
            "print(install_translations(app), QCoreApplication.translate("
            "'MainActions', '&Get Messages'), sep='|')\n")
    result = subprocess.run([sys.executable, "-c", code], env={**base, **env},
                            capture_output=True, text=True, timeout=60, check=True)
    chosen, text = result.stdout.strip().split("|")
    assert chosen == expected
    assert text == ("メッセージを取得(&G)" if expected == "ja" else "&Get Messages")


def test_lang_option() -> None:
    assert take_lang(["--lang", "ja"]) == ("ja", [])
    assert take_lang(["--home", "/x", "--lang=en"]) == ("en", ["--home", "/x"])
    assert take_lang(["sync", "work"]) == (None, ["sync", "work"])
    assert take_lang(["--lang"]) == (None, ["--lang"])
    assert "--lang" in build_parser().format_help()


# -- the window in Japanese and in English --------------------------------------------------------
def test_window_speaks_japanese(qapp: QApplication, language: None,
                                window: Callable[[], MainWindow]) -> None:
    install_translations(qapp, "ja", environ={})
    made = window()
    menus = [action.text() for action in made.menuBar().actions()]
    assert menus[:2] == ["ファイル(&F)", "編集(&E)"]
    a = made.action_set
    assert a.get_messages.text() == "メッセージを取得(&G)"
    assert a.get_messages.iconText() == "メッセージを取得"
    assert a.get_messages.objectName() == "get_messagesAction"
    assert (a.reply.text(), a.reply_all.text(), a.forward.text()) == \
        ("返信(&R)", "全員に返信(&A)", "転送(&F)")
    for action in a.all():
        assert not re.search(r"[A-Za-z]{3}", action.text().replace("qtmail", "")), \
            action.text()
    for model in (made.messages, made.message_list.model()):
        header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
        assert header == ["差出人", "件名", "日時", "サイズ"], model
    account = made.tree.account_index("work")
    labels = [made.tree.index(row, 0, account).data()
              for row in range(made.tree.rowCount(account))]
    assert labels == ["受信トレイ", "下書き", "送信済み", "アーカイブ", "迷惑メール", "ごみ箱",
                      "Projects"]
    inbox = made.tree.index(0, 0, account)
    assert inbox.data(Role.FOLDER) == "INBOX"
    # Qt's own strings come from its qtbase catalog.
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert buttons.buttons()[0].text() != "&Cancel"
    buttons.deleteLater()


def test_window_stays_english(qapp: QApplication, language: None,
                                window: Callable[[], MainWindow]) -> None:
    install_translations(qapp, "en", environ={})
    made = window()
    assert [action.text() for action in made.menuBar().actions()][:2] == ["&File", "&Edit"]
    assert made.action_set.get_messages.text() == "&Get Messages"
    account = made.tree.account_index("work")
    labels = [made.tree.index(row, 0, account).data()
              for row in range(made.tree.rowCount(account))]
    assert labels == ["Inbox", "Drafts", "Sent", "Archive", "Junk", "Trash", "Projects"]


# -- dates and sizes ---------------------------------------------------------------------------
def test_dates_and_sizes_follow_the_japanese_locale(qapp: QApplication, language: None) -> None:
    install_translations(qapp, "ja", environ={})
    locale = QLocale()
    now = QDateTime.fromString("2026-11-28T15:00:00", Qt.DateFormat.ISODate)
    old = QDateTime.fromString("2026-03-05T09:07:00", Qt.DateFormat.ISODate)
    assert date_text(old.toSecsSinceEpoch(), locale, now) == "2026/03/05"
    assert date_text(now.addSecs(-3600).toSecsSinceEpoch(), locale, now) == "14:00"
    weekday = date_text(now.addDays(-2).toSecsSinceEpoch(), locale, now)
    assert weekday.startswith("木")
    assert size_text(512, locale) == "512 B"  # narrower than "512 バイト" in the column
    assert format_size(1536 * 1024 ** 2, locale) == "1.5 GB"


def test_dates_stay_english_in_english(qapp: QApplication, language: None) -> None:
    install_translations(qapp, "en", environ={})
    now = QDateTime.fromString("2026-11-28T15:00:00", Qt.DateFormat.ISODate)
    old = QDateTime.fromString("2026-03-05T09:07:00", Qt.DateFormat.ISODate)
    assert date_text(old.toSecsSinceEpoch(), QLocale(), now) == "3/5/26"
    assert size_text(512, QLocale()) == "512 B"


def test_dates_under_lang_c_are_iso_not_three_bare_numbers(qapp: QApplication) -> None:
    """Qt writes the C locale's short date as "5 03 2026": with LANG=C (servers, minimal
    desktops, scripts/demo) the list shows ISO 8601 instead, as C-locale tools do."""
    now = QDateTime.fromString("2026-11-28T15:00:00", Qt.DateFormat.ISODate)
    old = QDateTime.fromString("2026-03-05T09:07:00", Qt.DateFormat.ISODate)
    c = QLocale(QLocale.Language.C)
    assert date_text(old.toSecsSinceEpoch(), c, now) == "2026-03-05"
    assert date_text(now.addSecs(-3600).toSecsSinceEpoch(), c, now) == "14:00"


# -- Japanese glyphs ---------------------------------------------------------------------------
def test_a_japanese_font_is_installed(qapp: QApplication) -> None:
    families = QFontDatabase.families(QFontDatabase.WritingSystem.Japanese)
    assert families, "no Japanese font: scripts/test installs fonts-ipafont-gothic"


def test_japanese_subject_renders_without_missing_glyphs(qapp: QApplication) -> None:
    """Laid out like a label would be: every glyph, in whatever fallback font, is real."""
    layout = QTextLayout(JAPANESE, QFont(qapp.font()))
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(10_000)
    layout.endLayout()
    runs = layout.glyphRuns()
    glyphs = [index for run in runs for index in run.glyphIndexes()]
    assert len(glyphs) >= len(JAPANESE.replace(" ", "")) - 2
    assert 0 not in glyphs, [run.rawFont().familyName() for run in runs]
    assert line.naturalTextWidth() > 10 * QFont(qapp.font()).pointSizeF()


# -- the real window in Japanese ------------------------------------------------------------------
@pytest.mark.dovecot
@pytest.mark.slow
def test_japanese_demo_window_screenshot_under_xvfb(tmp_path: Path) -> None:
    """scripts/demo --lang ja, grabbed to artifacts/screenshot-main-ja.png (look at it)."""
    if not shutil.which("xvfb-run") or not shutil.which("dovecot"):
        pytest.fail("xvfb-run and dovecot are needed: run scripts/test, which installs them.")
    target = ROOT / "artifacts" / "screenshot-main-ja.png"
    target.unlink(missing_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "QTMAIL_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1400x900x24", str(ROOT / "scripts" / "demo"),
         "--lang", "ja", "--messages", "120", "--home", str(tmp_path / "home"),
         "--screenshot", str(target)],
        capture_output=True, text=True, timeout=240, env=env, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "受信トレイ — qtmail" in result.stdout, output
    assert target.stat().st_size > 20_000
