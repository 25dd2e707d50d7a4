"""Test accuracy per method as bars with 95% interval whiskers (QtCharts has no error bars)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from debop_desktop.core import messages
from debop_desktop.core.optimizer.run_compare import plain_method

KEPT, DIMMED = QColor("#2f5d8a"), QColor("#c9d6e2")  # the kept behavior's bar; every other bar
DIMMED_TEXT = QColor("#8a94a0")
BAND = QColor(47, 93, 138, 28)  # the kept colour, faint: readable on light and dark palettes


class ScoreChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scores: list[dict] = []
        self.kept = "tuned"
        self.setMinimumHeight(150)  # the Results page must fit a 1024×640 screen with its other parts
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setToolTip(messages.SCORE_CHART_KEPT_HELP)

    def set_scores(self, scores: list[dict], kept: str = "tuned") -> None:
        """dicts with method, accuracy, low, high, correct, n (the run summary's baselines);
        `kept`: the method whose behavior the app keeps, drawn dark, its name in bold and marked
        "used"; every other bar is dimmed."""
        self.scores, self.kept = scores, kept
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.drawText(QRectF(0, 0, self.width(), 18), Qt.AlignmentFlag.AlignCenter, messages.SCORE_CHART_TITLE)
        if not self.scores:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, messages.SCORE_CHART_EMPTY)
            return
        left, top, bottom = 40.0, 26.0, self.height() - 40.0
        height = bottom - top
        slot = (self.width() - left - 10) / len(self.scores)
        p.setPen(QPen(QColor("#999999")))
        for frac in (0.0, 0.5, 1.0):
            y = bottom - frac * height
            p.drawLine(int(left), int(y), self.width() - 10, int(y))
            p.drawText(QRectF(0, y - 8, left - 4, 16), Qt.AlignmentFlag.AlignRight, f"{frac:.0%}")
        for i, s in enumerate(self.scores):
            x = left + i * slot + slot * 0.2
            w = slot * 0.6
            kept = s["method"] == self.kept
            if kept:  # a light band behind the kept behavior's bar and words
                p.fillRect(QRectF(left + i * slot + 2, top - 4, slot - 4, self.height() - top + 4), BAND)
            p.fillRect(QRectF(x, bottom - s["accuracy"] * height, w, s["accuracy"] * height), KEPT if kept else DIMMED)
            text = self.palette().color(QPalette.ColorRole.WindowText) if kept else DIMMED_TEXT  # light or dark
            p.setPen(QPen(text, 2))
            cx, y_low, y_high = x + w / 2, bottom - s["low"] * height, bottom - s["high"] * height
            p.drawLine(int(cx), int(y_low), int(cx), int(y_high))
            p.drawLine(int(cx - 6), int(y_low), int(cx + 6), int(y_low))
            p.drawLine(int(cx - 6), int(y_high), int(cx + 6), int(y_high))
            font = p.font()
            font.setBold(kept)
            p.setFont(font)
            name = p.fontMetrics().elidedText(plain_method(s["method"]), Qt.TextElideMode.ElideRight, int(slot) - 4)
            p.drawText(QRectF(x - slot * 0.2, bottom + 2, slot, 18), Qt.AlignmentFlag.AlignCenter, name)
            font.setBold(False)
            p.setFont(font)
            score = f"{s['accuracy']:.0%} ({s['correct']}/{s['n']})"
            p.drawText(QRectF(x - slot * 0.2, bottom + 18, slot, 18), Qt.AlignmentFlag.AlignCenter,
                       messages.SCORE_CHART_KEPT.format(score=score) if kept else score)
