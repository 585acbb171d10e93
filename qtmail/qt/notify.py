"""New-mail notifications: freedesktop Notifications over D-Bus, else the tray, else nothing.

qt-headless.md: QtDBus cannot marshal ``Notify``'s signature (``susssasa{sv}i``), jeepney
can. D-Bus calls block, so they run in a worker QThread. Without a session bus or a
notification server the tray is used when there is one; without both, nothing is shown
and a debug line is logged. The app works without a tray.
"""

from __future__ import annotations

import html
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

log = logging.getLogger(__name__)

APP_ID = "qtmail"
_DEST = "org.freedesktop.Notifications"
_PATH = "/org/freedesktop/Notifications"
_DBUS_TIMEOUT = 5.0
"""Seconds to wait for the notification server's reply."""


def unread_title(base: str, unread: int) -> str:
    """The window title with the unread count in front, where a taskbar still shows it."""
    if unread <= 0:
        return base
    return QCoreApplication.translate("unread_title", "({count}) {title}").format(
        count=unread, title=base)


def session_bus_address() -> str | None:
    """The session bus of this desktop on Linux, None elsewhere or without one."""
    if not sys.platform.startswith("linux"):
        return None
    return os.environ.get("DBUS_SESSION_BUS_ADDRESS") or None


class DBusNotifyWorker(QObject):
    """Talks to org.freedesktop.Notifications from its own thread (jeepney, blocking).

    Signals: ``sent(int)`` with the server's notification id; ``failed(str, str)`` with
    the title and body that could not be shown, for the fallback.
    """

    sent = Signal(int)
    failed = Signal(str, str)

    def __init__(self, address: str, app_name: str) -> None:
        super().__init__()
        self._address = address
        self._app_name = app_name
        self._connection: Any = None
        self._markup = False
        self._last_id = 0

    def _connect(self) -> Any:
        if self._connection is None:
            from jeepney import DBusAddress, new_method_call
            from jeepney.io.blocking import open_dbus_connection

            connection = open_dbus_connection(bus=self._address)
            target = DBusAddress(_PATH, bus_name=_DEST, interface=_DEST)
            try:
                reply = connection.send_and_get_reply(
                    new_method_call(target, "GetCapabilities"), timeout=_DBUS_TIMEOUT)
                capabilities = _unwrap(reply)[0]
            except BaseException:
                connection.close()
                raise
            # Servers with body-markup read <a>, <img>...: a subject must stay text.
            self._markup = "body-markup" in capabilities
            self._connection = connection
        return self._connection

    @Slot(str, str)
    def send(self, title: str, body: str) -> None:
        try:
            from jeepney import DBusAddress, new_method_call

            connection = self._connect()
            target = DBusAddress(_PATH, bus_name=_DEST, interface=_DEST)
            hints = {"category": ("s", "email.arrived"), "desktop-entry": ("s", APP_ID)}
            text = html.escape(body, quote=False) if self._markup else body
            message = new_method_call(
                target, "Notify", "susssasa{sv}i",
                (self._app_name, self._last_id, APP_ID, title, text, [], hints, -1))
            reply = connection.send_and_get_reply(message, timeout=_DBUS_TIMEOUT)
            self._last_id = int(_unwrap(reply)[0])
        except Exception as exc:  # no server, bus gone, timeout: the caller falls back
            log.debug("D-Bus notification failed: %s", exc)
            self.close()
            self.failed.emit(title, body)
            return
        self.sent.emit(self._last_id)

    @Slot()
    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None


def _unwrap(reply: Any) -> tuple[Any, ...]:
    from jeepney import MessageType
    from jeepney.wrappers import DBusErrorResponse

    if reply.header.message_type == MessageType.error:
        raise DBusErrorResponse(reply)
    return tuple(reply.body)


class Notifier(QObject):
    """Shows "new mail" notifications without ever blocking the GUI thread.

    ``bus_address`` defaults to the session bus (Linux only); ``tray_available`` and
    ``tray_icon`` can be replaced for tests. Call ``close()`` before the app exits.

    Signals: ``shown(str)`` with the way a notification went out ("dbus", "tray") or
    "none" when nothing could show it.
    """

    shown = Signal(str)
    _send = Signal(str, str)

    def __init__(self, app_name: str = "qtmail", icon: QIcon | None = None,
                 parent: QObject | None = None, *,
                 bus_address: str | Callable[[], str | None] | None = session_bus_address,
                 tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
                 tray_icon: QSystemTrayIcon | None = None) -> None:
        super().__init__(parent)
        self._app_name = app_name
        self._icon = icon or QIcon()
        self._address = bus_address() if callable(bus_address) else bus_address
        self._tray_available = tray_available
        self._tray = tray_icon
        self._dbus_failed = False
        self._thread: QThread | None = None
        self._worker: DBusNotifyWorker | None = None

    @property
    def uses_dbus(self) -> bool:
        return self._address is not None and not self._dbus_failed and _have_jeepney()

    def notify(self, title: str, body: str) -> None:
        if self.uses_dbus:
            self._ensure_worker()
            self._send.emit(title, body)  # queued to the worker's thread
        else:
            self._without_dbus(title, body)

    def tray_icon(self) -> QSystemTrayIcon | None:
        """The tray icon (made and shown on first use), or None where there is no tray."""
        if self._tray is None and self._tray_available():
            self._tray = QSystemTrayIcon(self._icon, self)
            self._tray.setToolTip(self._app_name)
            self._tray.show()
        return self._tray

    def _ensure_worker(self) -> None:
        if self._worker is not None:
            return
        assert self._address is not None
        thread = QThread()
        thread.setObjectName("notifications")
        worker = DBusNotifyWorker(self._address, self._app_name)
        worker.moveToThread(thread)
        self._send.connect(worker.send)
        worker.sent.connect(self._on_sent)
        worker.failed.connect(self._on_failed)
        thread.finished.connect(worker.close)  # direct: runs in the ending thread
        self._thread, self._worker = thread, worker
        thread.start()

    @Slot(int)
    def _on_sent(self, _notification_id: int) -> None:
        self.shown.emit("dbus")

    @Slot(str, str)
    def _on_failed(self, title: str, body: str) -> None:
        log.debug("no notification server on the session bus; using the tray from now on")
        self._dbus_failed = True
        self._without_dbus(title, body)

    def _without_dbus(self, title: str, body: str) -> None:
        tray = self.tray_icon()
        if tray is None:
            log.debug("no notification server and no tray: notification not shown")
            self.shown.emit("none")
            return
        tray.showMessage(title, body, self._icon, 10_000)
        self.shown.emit("tray")

    def close(self) -> None:
        """Stop the D-Bus thread (waits for a call in progress, at most a few seconds)."""
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            if self._worker is not None:
                self._worker.deleteLater()
            self._thread = self._worker = None
        if self._tray is not None and self._tray.parent() is self:
            self._tray.hide()


def _have_jeepney() -> bool:
    try:
        import jeepney  # noqa: F401
    except ImportError:
        return False
    return True
