"""The verdict, first: one plain sentence on whether tuning helped, its warnings, and what the
app ships. Shared by the Results page and the Playground."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from debop_desktop.core import messages
from debop_desktop.core.optimizer.report import RunView
from debop_desktop.core.optimizer.verdict import tone

# The one colour scale of every verdict (the banner, the runs list, Compare runs), by
# `verdict.tone`: background, accent, readable on light and dark palettes (dark text on a tint).
COLOURS = {"better": ("#e7f4ea", "#2e7d32"), "worse": ("#fdecea", "#c62828"),
           "no_clear_change": ("#fff6e0", "#b26a00"), None: ("#eef1f5", "#5b6b7f")}


def verdict_colours(label: str | None) -> tuple[str, str]:
    """(background, accent) of a verdict's label, wherever it is shown."""
    return COLOURS[tone(label)]


def verdict_style(label: str | None, padding: str = "6px 8px") -> str:
    """A label's style sheet in a verdict's colours: a light tint with the accent at its left."""
    background, accent = verdict_colours(label)
    return (f"QLabel {{ background: {background}; color: #1d1d1d; border-left: 5px solid {accent}; "
            f"padding: {padding}; }}")


class VerdictBanner(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label: str | None = None
        self.show_view(None)

    def show_view(self, view: RunView | None, extra: str = "") -> None:
        """`view` None hides the banner. `extra` is a plain sentence shown after the verdict."""
        if view is None:
            self.label = None
            self.clear()
            self.hide()
            return
        self.label = view.verdict.label if view.verdict is not None else None
        warnings = "".join(f"<li>{html.escape(w)}</li>" for w in view.warnings)
        if view.status == "finished" and not extra:
            extra = messages.RESULT_SHIPS.format(name=view.shipped_name)
        self.setText(f"<b>{html.escape(view.headline)}</b>"
                     + (f"<ul style='margin:2px 0 0 0'>{warnings}</ul>" if warnings else "")
                     + (f"<br>{html.escape(extra)}" if extra else "")
                     + (f"<br><i>{html.escape(messages.VERDICT_CHECK_YOURSELF)}</i>" if view.status == "finished"
                        else ""))
        self.setStyleSheet(verdict_style(self.label))
        self.show()
