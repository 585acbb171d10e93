"""Languages: Qt translators for qtmail's and Qt's own strings, from the locale or --lang.

English is the source language; every other language is a compiled catalog
``qtmail/data/i18n/qtmail_<lang>.qm`` (scripts/update-translations makes it from the
committed ``.ts``). English has one too, with only the plural forms of "%n" messages.
The language comes from ``--lang``, else ``QTMAIL_LANG``, else the system locale's UI
languages; an override also becomes the default QLocale, so that
dates and sizes follow the language the user asked for.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator

from qtmail import resources

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
ENV_VAR = "QTMAIL_LANG"
TRANSLATOR_NAME = "qtmailTranslator"
"""objectName of the translators installed here, so a second install replaces them."""


class CatalogTranslator(QTranslator):
    """A QTranslator loaded from bytes: QTranslator reads them in place, so keep them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(TRANSLATOR_NAME)
        self._data = b""

    def load_bytes(self, data: bytes) -> bool:
        self._data = data
        return bool(self.load(self._data))


def catalog_name(language: str) -> str:
    return f"qtmail_{language}.qm"


def catalog_bytes(language: str) -> bytes | None:
    """The compiled catalog shipped for ``language``, or None."""
    path = resources.data_dir() / "i18n" / catalog_name(language)
    return path.read_bytes() if path.is_file() else None


def available_languages() -> list[str]:
    """English plus every language with a shipped catalog, sorted."""
    folder = resources.data_dir() / "i18n"
    found = {SOURCE_LANGUAGE}
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.name.startswith("qtmail_") and entry.name.endswith(".qm"):
                found.add(entry.name[len("qtmail_"):-len(".qm")])
    return sorted(found)


def choose_language(locale: QLocale, available: list[str] | None = None) -> str:
    """The first of the locale's UI languages qtmail speaks ("ja-JP" -> "ja"), else English."""
    languages = available if available is not None else available_languages()
    for tag in locale.uiLanguages():
        parts = tag.replace("_", "-").split("-")
        for candidate in ("_".join(parts[:2]), parts[0].lower()):
            if candidate in languages:
                return candidate
    return SOURCE_LANGUAGE


def requested_locale(lang: str | None, environ: Mapping[str, str]) -> QLocale | None:
    """The locale asked for by ``--lang`` or QTMAIL_LANG; None for "use the system's"."""
    wanted = (lang or environ.get(ENV_VAR) or "").strip()
    if not wanted:
        return None
    locale = QLocale(wanted)
    if locale.language() == QLocale.Language.C:
        log.warning("unknown language %r: using the system's", wanted)
        return None
    return locale


def remove_translations(app: QCoreApplication) -> None:
    """Take out the translators install_translations() put in (source texts again)."""
    for old in app.findChildren(QTranslator, TRANSLATOR_NAME):
        app.removeTranslator(old)
        old.setParent(None)
        old.deleteLater()


def install_translations(app: QCoreApplication, lang: str | None = None, *,
                         environ: Mapping[str, str] | None = None) -> str:
    """Install the translators for ``lang`` (or QTMAIL_LANG, or the system locale).

    Call before any widget exists: widgets read their texts and locale when built.
    A second call replaces the first. Returns the language chosen ("en", "ja").
    """
    remove_translations(app)
    locale = requested_locale(lang, os.environ if environ is None else environ)
    # Without an override the default goes back to the system's (a second install).
    QLocale.setDefault(locale if locale is not None else QLocale.system())
    language = choose_language(locale if locale is not None else QLocale.system())
    data = catalog_bytes(language)
    qtmail = CatalogTranslator(app)
    if data is None or not qtmail.load_bytes(data):
        log.warning("the %s catalog could not be loaded", language)
        qtmail.setParent(None)
        return SOURCE_LANGUAGE
    app.installTranslator(qtmail)
    if language == SOURCE_LANGUAGE:
        return language  # its catalog only has plural forms; Qt's texts are English
    # Qt's own texts: standard buttons (Yes/No/Cancel), file dialogs, context menus.
    qt_base = CatalogTranslator(app)
    if qt_base.load(f"qtbase_{language}",
                    QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_base)
    else:
        log.info("no Qt translation for %s", language)
        qt_base.setParent(None)
    log.info("language: %s (locale %s)", language, QLocale().name())
    return language
