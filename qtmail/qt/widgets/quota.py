"""The account's server storage (RFC 9208 QUOTA): "1.2 GB of 2 GB used", warned near the limit."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from qtmail.core.types import Quota

WARN_AT = 0.9
"""Share of the limit from which the user is warned that storage is nearly full."""


def format_size(size: int, locale: QLocale | None = None) -> str:
    """A size for people, in the user's locale: "1.2 GB", "2 GB" (not "2.0 GB")."""
    locale = locale or QLocale()
    value = float(max(size, 0))
    while value >= 1024:
        value /= 1024
    precision = 0 if round(value, 1) == round(value) else 1
    return str(locale.formattedDataSize(
        max(size, 0), precision, QLocale.DataSizeFormat.DataSizeTraditionalFormat))


def quota_level(quota: Quota) -> float:
    """Used share of the limit, 0.0 when there is no limit."""
    return quota.used / quota.limit if quota.limit > 0 else 0.0


class QuotaWidget(QWidget):
    """Shows a Quota as a sentence, a bar, and a warning when the storage is nearly full."""

    def __init__(self, parent: QWidget | None = None, locale: QLocale | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quotaWidget")
        self._locale = locale or QLocale()
        self.text_label = QLabel(self)
        self.text_label.setObjectName("quotaText")
        self.bar = QProgressBar(self)
        self.bar.setObjectName("quotaBar")
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.warning_label = QLabel(self)
        self.warning_label.setObjectName("quotaWarning")
        self.warning_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text_label)
        layout.addWidget(self.bar)
        layout.addWidget(self.warning_label)
        self.set_quota(None)

    def text(self) -> str:
        return self.text_label.text()

    def warning(self) -> str:
        """The warning sentence, or "" when storage is not nearly full."""
        return "" if self.warning_label.isHidden() else self.warning_label.text()

    def set_quota(self, quota: Quota | None) -> None:
        if quota is None:
            self.text_label.setText(self.tr("The server does not say how much storage "
                                            "your mail may use."))
            self.bar.hide()
            self._warn("")
            return
        used = format_size(quota.used, self._locale)
        if quota.limit <= 0:
            self.text_label.setText(self.tr("{used} used").format(used=used))
            self.bar.hide()
            self._warn("")
            return
        level = quota_level(quota)
        self.text_label.setText(self.tr("{used} of {limit} used").format(
            used=used, limit=format_size(quota.limit, self._locale)))
        self.bar.setValue(min(1000, round(level * 1000)))
        self.bar.show()
        self.bar.setAccessibleName(self.text_label.text())
        if level >= 1.0:
            self._warn(self.tr("Your server storage is full. New mail may be refused until "
                               "you delete or archive some messages and empty the trash."))
        elif level >= WARN_AT:
            self._warn(self.tr("Your server storage is almost full ({percent} used). Delete "
                               "or archive old messages soon, or new mail may be refused."
                               ).format(percent=self._locale.toString(
                                   round(level * 100)) + "%"))
        else:
            self._warn("")

    def _warn(self, text: str) -> None:
        self.warning_label.setText(text)
        self.warning_label.setHidden(not text)
