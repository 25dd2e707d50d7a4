"""A person's words shown exactly as written.

Qt guesses whether a string is HTML wherever the format is not fixed: a QLabel (AutoText), a
tooltip, a message box. A task whose question holds `<h1>` or `<img src=x>` would then be
drawn as a heading or a broken picture. Labels that show such text are made plain text with
`plain_label`; a tooltip or a message box, whose format cannot be fixed, gets `literal`.
Rich text built by the app escapes every such string with `html.escape` instead.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QLabel


def literal(text: str) -> str:
    """`text` for a tooltip or a message box: unchanged when Qt reads it as plain text, else
    escaped inside a paragraph (so Qt reads it as HTML that says `text`, line breaks kept)."""
    if not text or not QtGui.mightBeRichText(text):
        return text
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"


def plain_label(label: QLabel) -> QLabel:
    """`label` shows whatever it is given as plain text (it never holds the app's own HTML)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
