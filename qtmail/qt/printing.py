"""Print and Save as PDF (issue 14): the message as the reading pane shows it, headers
first, the body as it is shown (remote content only if it was loaded: the document holds
only what the view holds; nothing is fetched to print).

Qt's print support (QtPrintSupport, part of PySide6-Essentials) does the pages.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QTextBrowser, QWidget

from qtmail.qt.widgets.message_header import MessageHeader


def message_document(header: MessageHeader, body: QTextBrowser) -> QTextDocument:
    """A copy of the shown message: the header fields as a small table, then the body."""
    document = body.document().clone()
    translate = QCoreApplication.translate  # the reading pane's own captions
    rows = [(translate("MessageHeader", "From:"), header.from_label.text()),
            (translate("MessageHeader", "To:"), header.to_label.text())]
    if header.cc_label.text():
        rows.append((translate("MessageHeader", "Cc:"), header.cc_label.text()))
    rows.append((translate("MessageHeader", "Date:"), header.date_label.text()))
    table = "".join(f"<tr><td><b>{escape(name)}</b></td><td>{escape(value)}</td></tr>"
                    for name, value in rows)
    heading = (f"<h2>{escape(header.subject_label.text())}</h2><table>{table}</table>"
               "<hr/>")
    cursor = QTextCursor(document)
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    cursor.insertHtml(heading)  # escaped: the fields stay plain text
    cursor.insertBlock()
    return document


def save_pdf(document: QTextDocument, path: str) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(path)
    document.print_(printer)


def print_with_dialog(document: QTextDocument, parent: QWidget) -> bool:
    """The system's print dialog, then the pages; False when the user cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    document.print_(printer)
    return True
