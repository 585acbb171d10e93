"""packaging/trim-icu: Qt computes the same with the trimmed ICU data as with the wheel's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# scripts/test sets this after installing the tools: there a missing tool is a failure.
IN_CI = bool(os.environ.get("QTMAIL_REQUIRE_TOOLS"))

# What Qt asks ICU (packaging/trim-icu lists the calls): locale case mapping,
# collation (QCollator, the file dialog's sorting), time-zone names and the long date
# formats that show them, in the languages qtmail ships and others a system may use.
PROBE = r"""
import functools
from PySide6.QtCore import (QCollator, QDate, QDateTime, QLocale, QStringDecoder, QTime,
                            QTimeZone, Qt)

maps = open("/proc/self/maps").read().splitlines()
print(sorted({line.split()[-1] for line in maps if "libicudata" in line}))
LOCALES = ["C", "en_US", "en_GB", "ja_JP", "de_DE", "sv_SE", "tr_TR", "lt_LT", "el_GR",
           "ar_EG", "fa_IR", "zh_CN", "ko_KR", "es_ES", "cs_CZ"]
NAMES = ["Zoë", "zebra", "Åsa", "Ärla", "Örjan", "Oskar", "Émile", "Eva", "ábel", "Abel",
         "Čapek", "Chris", "Ñandú", "Nadia", "İlker", "Ilker", "ılık", "file10", "file9",
         "日本", "中国", "한국", "ødegaard", "Œuvre", "ß", "ss", "Straße"]
ZONES = [b"Europe/Berlin", b"America/New_York", b"Asia/Tokyo", b"Asia/Kolkata",
         b"Australia/Lord_Howe", b"America/Sao_Paulo", b"Etc/GMT+5", b"UTC"]
moment = QDateTime(QDate(2026, 7, 1), QTime(12, 0), QTimeZone.UTC)
for name in LOCALES:
    locale = QLocale(name)
    print(name, locale.toUpper("istanbul ıi straße όσος"), locale.toLower("İSTANBUL IJ ΌΣΟΣ"))
    for numeric in (False, True):
        for case in (Qt.CaseSensitivity.CaseSensitive, Qt.CaseSensitivity.CaseInsensitive):
            collator = QCollator(locale)
            collator.setNumericMode(numeric)
            collator.setCaseSensitivity(case)
            print(sorted(NAMES, key=functools.cmp_to_key(collator.compare)))
    for zone_id in ZONES:
        zone = QTimeZone(zone_id)
        print([zone.displayName(time, kind, locale) for time in QTimeZone.TimeType
               for kind in QTimeZone.NameType],
              locale.toString(moment.toTimeZone(zone), QLocale.FormatType.LongFormat),
              locale.toString(moment.toTimeZone(zone), "t tt ttt tttt"))
print("ICU's own UTF-7:", QStringDecoder("UTF-7").isValid())
print("legacy table:", QStringDecoder("Shift_JIS").isValid())
"""


def _icupkg() -> None:
    if shutil.which("icupkg") is None:
        if IN_CI:
            pytest.fail("icupkg is missing: scripts/test installs icu-devtools")
        pytest.skip("icupkg is not installed (apt-get install icu-devtools)")


def _probe(library_dir: Path | None) -> list[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if library_dir is not None:
        env["LD_LIBRARY_PATH"] = str(library_dir)
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the wheel's ICU is Linux's")
def test_trimmed_icu_gives_qt_the_same_answers(tmp_path: Path) -> None:
    import PySide6

    wheel = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not wheel:
        pytest.skip("this PySide6 has no ICU of its own")
    _icupkg()
    trimmed = tmp_path / wheel[0].name
    subprocess.run([str(ROOT / "packaging" / "trim-icu"), str(wheel[0]), str(trimmed)],
                   check=True, capture_output=True, timeout=120)
    assert trimmed.stat().st_size < wheel[0].stat().st_size / 2

    original, after = _probe(None), _probe(tmp_path)
    assert after[0] == f"['{trimmed}']", after[0]  # the trimmed library was the one loaded
    assert after[1:-1] == original[1:-1]
    # The one documented loss: table-based legacy charsets (qtmail decodes with Python).
    assert original[-2:] == ["ICU's own UTF-7: True", "legacy table: True"]
    assert after[-2:] == ["ICU's own UTF-7: True", "legacy table: False"]
