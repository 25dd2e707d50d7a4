"""Test accuracy per method as bars with 95% interval whiskers (QtCharts has no error bars)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from debop_desktop.core import messages
from debop_desktop.core.optimizer.baselines import METHOD_LABELS


class ScoreChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scores: list[dict] = []
        self.kept = "tuned"
        self.setMinimumHeight(150)  # the Results page must fit a 1024×640 screen with its other parts
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_scores(self, scores: list[dict], kept: str = "tuned") -> None:
        """dicts with method, accuracy, low, high, correct, n (the run summary's baselines);
        `kept`: the method whose behavior the app keeps, drawn dark with its name in bold."""
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
            p.fillRect(QRectF(x, bottom - s["accuracy"] * height, w, s["accuracy"] * height),
                       QColor("#2f5d8a") if kept else QColor("#9bb3c9"))
            p.setPen(QPen(self.palette().color(QPalette.ColorRole.WindowText), 2))  # light or dark palette
            cx, y_low, y_high = x + w / 2, bottom - s["low"] * height, bottom - s["high"] * height
            p.drawLine(int(cx), int(y_low), int(cx), int(y_high))
            p.drawLine(int(cx - 6), int(y_low), int(cx + 6), int(y_low))
            p.drawLine(int(cx - 6), int(y_high), int(cx + 6), int(y_high))
            font = p.font()
            font.setBold(kept)
            p.setFont(font)
            p.drawText(QRectF(x - slot * 0.2, bottom + 2, slot, 18), Qt.AlignmentFlag.AlignCenter,
                       METHOD_LABELS.get(s["method"], s["method"]).split(" (")[0])
            font.setBold(False)
            p.setFont(font)
            p.drawText(QRectF(x - slot * 0.2, bottom + 18, slot, 18), Qt.AlignmentFlag.AlignCenter,
                       f"{s['accuracy']:.0%} ({s['correct']}/{s['n']})")
