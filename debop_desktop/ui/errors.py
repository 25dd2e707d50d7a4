"""Show an error the way a non-programmer can act on it: plain words, details behind a button."""

from __future__ import annotations

import traceback

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from debop_desktop.core import messages
from debop_desktop.core.errors import DebopError


def describe(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, DebopError):
        return exc.message, exc.details
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return messages.UNEXPECTED_ERROR, details


def error_box(parent: QWidget | None, exc: BaseException, title: str = "DeBoP Desktop") -> QMessageBox:
    """Build (not show) the message box, so tests can inspect it."""
    text, details = describe(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # a message may quote a file name or a cell
    if details:
        box.setDetailedText(details)
    return box


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    error_box(parent, exc).exec()
