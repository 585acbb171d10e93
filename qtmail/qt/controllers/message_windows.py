"""Messages in windows of their own, their source, and saving them (issue 14): Open in
New Window (Enter, double-click, the row menu), View Source, Save As .eml.

Everything is asked of the account's worker (OpenMessage, FetchBody) and shown when its
answer comes; several windows may be open at once. Writing a saved file happens in a
background thread (ARCHITECTURE.md boundary 4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QFont, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QMainWindow, QPlainTextEdit, QWidget

from qtmail.core.commands import SetFlags
from qtmail.core.events import BodyFailed, BodyReady, Event
from qtmail.core.types import SEEN, MessageRef
from qtmail.mime.filenames import safe_filename
from qtmail.qt.accounts import AccountDirectory
from qtmail.qt.connection_test import BackgroundRunner, Outcome
from qtmail.qt.widgets.icons import action_icon
from qtmail.qt.widgets.reading import make_message_view
from qtmail.sync.answers import MessageParsed

MAX_WINDOWS_AT_ONCE = 10
"""Open in New Window on a big selection opens this many, not hundreds."""

ChooseFile = Callable[[QWidget, str], str]
"""Asks where to save (a suggested file name in); "" when the user cancelled."""


def _ask_path(parent: QWidget, suggested: str, title: str, kind: str) -> str:
    chosen, _filter = QFileDialog.getSaveFileName(parent, title,
                                                  str(Path.home() / suggested), kind)
    return chosen


def ask_save_path(parent: QWidget, suggested: str) -> str:
    translate = QCoreApplication.translate
    return _ask_path(parent, suggested, translate("MessageWindows", "Save Message As"),
                     translate("MessageWindows", "Mail message (*.eml)"))


def ask_pdf_path(parent: QWidget, suggested: str) -> str:
    translate = QCoreApplication.translate
    return _ask_path(parent, suggested, translate("MessageWindows", "Save as PDF"),
                     translate("MessageWindows", "PDF document (*.pdf)"))


@dataclass(frozen=True)
class _Want:
    kind: str
    """"window", "source" or "save"."""
    ref: MessageRef
    window: MessageWindow | None = None
    """For "window": show it in this one (J and K), not in a new window."""


@dataclass(frozen=True)
class WindowHooks:
    """What a message window's toolbar does, on its own message (never on the main
    list's selection): the main window's controllers, handed in."""

    neighbour: Callable[[MessageRef, int], MessageRef | None]
    """The message ``delta`` rows away in the list's current order, or None."""
    compose: Callable[[str, MessageRef], object]
    """Reply ("reply", "reply_all", "forward") to a message."""
    delete: Callable[[list[MessageRef]], None]
    archive: Callable[[list[MessageRef]], None]
    junk: Callable[[list[MessageRef]], None]
    star: Callable[[list[MessageRef]], None]
    mark_unread: Callable[[list[MessageRef]], None]


class MessageWindow(QMainWindow):
    """One message, as the reading pane shows it, in a window of its own, with a
    toolbar acting on that message: Reply, Reply All, Forward, Delete, Archive, Junk,
    and K / J for the previous and next message in the list's order (Thunderbird's
    keys). Signal ``asked(str, MessageRef)``: which button, for which message."""

    asked = Signal(str, object)

    def __init__(self, parsed: MessageParsed, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageWindow")
        self.view = make_message_view(self)
        self.setCentralWidget(self.view)
        bar = self.addToolBar(self.tr("Message"))
        bar.setObjectName("messageWindowToolBar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for what, icon, text, key in (
                ("reply", "reply", self.tr("&Reply"), "Ctrl+R"),
                ("reply_all", "reply_all", self.tr("Reply &All"), "Ctrl+Shift+R"),
                ("forward", "forward", self.tr("&Forward"), "Ctrl+L"),
                (None, "", "", ""),
                ("delete", "delete", self.tr("&Delete"), "Delete"),
                ("archive", "archive", self.tr("Arc&hive"), "A"),
                ("junk", "", self.tr("&Junk"), "Shift+J"),
                ("star", "star", self.tr("&Star"), "S"),
                ("mark_unread", "", self.tr("Mark &Unread"), "M"),
                ("print", "", self.tr("&Print…"), "Ctrl+P"),
                (None, "", "", ""),
                ("previous", "", self.tr("&Previous"), "K"),
                ("next", "", self.tr("&Next"), "J")):
            if what is None:
                bar.addSeparator()
                continue
            action = bar.addAction(action_icon(icon) if icon else QIcon(), text)
            action.setObjectName(f"window_{what}Action")
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _=False, w=what: self.asked.emit(w, self.ref))
        QShortcut(QKeySequence("Escape"), self, self.close)
        QShortcut(QKeySequence("Ctrl+W"), self, self.close)
        self.show_parsed(parsed)
        self.resize(900, 680)

    def show_parsed(self, parsed: MessageParsed) -> None:
        """Show ``parsed`` here (the first message, or the one J or K went to)."""
        self.ref = parsed.ref
        subject = parsed.parsed.subject.strip() or self.tr("(no subject)")
        self.setWindowTitle(self.tr("%1 – qtmail").replace("%1", subject))
        self.view.show_message(parsed.parsed, parsed.ref, parsed.html)  # type: ignore[attr-defined]


class SourceWindow(QMainWindow):
    """The raw message, headers and all, read-only (View Source)."""

    def __init__(self, raw: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sourceWindow")
        self.setWindowTitle(self.tr("Message Source – qtmail"))
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("sourceText")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFont("monospace"))
        # Bytes as they are: UTF-8 where they are, no byte lost or invented elsewhere.
        self.text.setPlainText(raw.decode("utf-8", errors="replace"))
        self.setCentralWidget(self.text)
        QShortcut(QKeySequence("Escape"), self, self.close)
        QShortcut(QKeySequence("Ctrl+W"), self, self.close)
        self.resize(900, 680)


class MessageWindows(QObject):
    """Owns the message and source windows; ``apply(event)`` gets the worker's answers.
    ``show_problem`` shows a sentence (the status bar)."""

    def __init__(self, directory: AccountDirectory, show_problem: Callable[[str], None],
                 parent: QWidget, *, choose_file: ChooseFile = ask_save_path,
                 choose_pdf: ChooseFile | None = None, hooks: WindowHooks | None = None
                 ) -> None:
        super().__init__(parent)
        self.hooks = hooks
        self._directory = directory
        self._show_problem = show_problem
        self._parent = parent
        self._choose_file = choose_file
        self._choose_pdf = choose_pdf or ask_pdf_path
        self._waiting: dict[tuple[str, int], _Want] = {}
        self.windows: list[QMainWindow] = []
        self._writers: list[BackgroundRunner] = []

    # -- what the user asks --------------------------------------------------------------
    def open_windows(self, refs: list[MessageRef]) -> None:
        for ref in refs[:MAX_WINDOWS_AT_ONCE]:
            self._ask(_Want("window", ref), parsed=True)

    def view_source(self, ref: MessageRef) -> None:
        self._ask(_Want("source", ref), parsed=False)

    def print_shown(self, view: QWidget, *, pdf: bool) -> None:
        """Print (or save as PDF) what the reading pane ``view`` shows. On the GUI
        thread: QTextDocument and QPrinter belong to it; a message prints in well under
        a second."""
        header, browser = getattr(view, "header", None), getattr(view, "browser", None)
        if getattr(view, "ref", None) is None or header is None or browser is None:
            self._show_problem(self.tr("Open a message first, then print it."))
            return
        # Loaded on the first print: QtPrintSupport is not needed to show the window.
        from qtmail.qt.printing import message_document, print_with_dialog, save_pdf

        document = message_document(header, browser)
        if not pdf:
            print_with_dialog(document, self._parent)
            return
        subject = header.subject_label.text().strip() or "message"
        path = self._choose_pdf(self._parent, safe_filename(subject[:80] + ".pdf"))
        if path:
            save_pdf(document, path)

    def save_as(self, ref: MessageRef) -> None:
        self._ask(_Want("save", ref), parsed=False)

    def _ask(self, want: _Want, *, parsed: bool) -> None:
        client = self._directory.client(want.ref.account)
        if client is None or not client.running:
            return
        ref = want.ref
        request = client.open_message(ref.folder, ref.uid) if parsed \
            else client.fetch_body(ref.folder, ref.uid)
        self._waiting[(ref.account, request)] = want

    # -- the worker's answers ------------------------------------------------------------
    def apply(self, event: Event) -> None:
        if not isinstance(event, BodyReady | BodyFailed):
            return
        want = self._waiting.pop((event.account, event.request_id), None)
        if want is None:
            return
        if isinstance(event, BodyFailed):
            self._show_problem(event.message)
        elif want.kind == "window" and isinstance(event, MessageParsed):
            if want.window is not None and want.window in self.windows:
                want.window.show_parsed(event)
            else:
                window = MessageWindow(event, self._parent)
                window.asked.connect(partial(self._window_asked, window))
                self._show(window)
            # Opened to be read, as in the reading pane.
            self._directory.send(want.ref.account, SetFlags(
                want.ref.folder, (want.ref.uid,), add=frozenset({SEEN}), automatic=True))
        elif want.kind == "source":
            self._show(SourceWindow(event.raw, self._parent))
        elif want.kind == "save":
            self._save(event.raw, _suggested_name(event.raw))

    def _window_asked(self, window: MessageWindow, what: str, ref: MessageRef) -> None:
        """A message window's toolbar: on its own message. After Delete, Archive or
        Junk the window goes on to the next message (else closes), as the list does."""
        hooks = self.hooks
        if hooks is None:
            return
        if what in ("reply", "reply_all", "forward"):
            hooks.compose(what, ref)
            return
        if what in ("star", "mark_unread"):
            (hooks.star if what == "star" else hooks.mark_unread)([ref])
            return
        if what == "print":
            self.print_shown(window.view, pdf=False)
            return
        if what in ("previous", "next"):
            target = hooks.neighbour(ref, -1 if what == "previous" else 1)
            if target is not None:
                self._ask(_Want("window", target, window), parsed=True)
            return
        following = hooks.neighbour(ref, 1) or hooks.neighbour(ref, -1)
        {"delete": hooks.delete, "archive": hooks.archive, "junk": hooks.junk}[what]([ref])
        if following is None:
            window.close()
        else:
            self._ask(_Want("window", following, window), parsed=True)

    def _show(self, window: QMainWindow) -> None:
        window.setParent(self._parent, window.windowFlags() | _WINDOW)
        self.windows.append(window)
        window.destroyed.connect(lambda: self._forget(window))
        window.show()
        window.raise_()

    def _forget(self, window: QMainWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)

    def _save(self, raw: bytes, suggested: str) -> None:
        path = self._choose_file(self._parent, suggested)
        if not path:
            return
        runner = BackgroundRunner(self)
        self._writers.append(runner)
        runner.finished.connect(partial(self._saved, runner))
        runner.start(partial(Path(path).write_bytes, raw), name="save-message")

    def _saved(self, runner: BackgroundRunner, outcome: Outcome) -> None:
        self._writers.remove(runner)
        runner.deleteLater()
        if outcome.bug is not None or outcome.error is not None:
            self._show_problem(self.tr("The message could not be saved there. Choose "
                                       "another folder."))

    @property
    def busy(self) -> bool:
        return bool(self._waiting) or any(r.running for r in self._writers)


_WINDOW = Qt.WindowType.Window


def _suggested_name(raw: bytes) -> str:
    """The subject as a file name, "message.eml" when there is none."""
    from email.parser import BytesHeaderParser
    from email.policy import default

    try:
        subject = str(BytesHeaderParser(policy=default).parsebytes(raw).get("subject", ""))
    except (ValueError, TypeError):
        subject = ""
    return safe_filename((subject.strip() or "message")[:80] + ".eml")
