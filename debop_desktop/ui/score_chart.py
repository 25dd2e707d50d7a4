"""Test accuracy per method as bars with 95% interval whiskers (QtCharts has no error bars)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from debop_desktop.core import behaviors, messages
from debop_desktop.core.optimizer.run_compare import plain_method

KEPT, DIMMED = QColor("#2f5d8a"), QColor("#c9d6e2")  # the kept behavior's bar; every other bar
DIMMED_TEXT = QColor("#8a94a0")
BAND = QColor(47, 93, 138, 28)  # the kept colour, faint: readable on light and dark palettes
LEFT = 40.0  # the axis' labels
PICKED = "_picked"  # a behavior's pick-by-probability variant is named after it ("tuned_picked")


def chart_order(scores: list[dict]) -> list[dict]:
    """The run's order (as scored on the final exam), except that a behavior's pick-by-probability
    variant ("tuned_picked") stands right after the behavior itself ("tuned") when both are there."""
    methods = {s["method"] for s in scores}
    variant = {s["method"] for s in scores if s["method"].endswith(PICKED) and s["method"][:-len(PICKED)] in methods}
    ordered: list[dict] = []
    for s in (s for s in scores if s["method"] not in variant):
        ordered += [s, *(v for v in scores if v["method"] == s["method"] + PICKED)]
    return ordered


def bar_tip(s: dict, kept: bool) -> str:
    """A bar's full plain name, its score and likely range (the name under the bar may be cut short)."""
    tip = messages.SCORE_CHART_BAR_TIP.format(name=behaviors.label(s["method"]), acc=f"{s['accuracy']:.0%}",
                                             correct=s["correct"], n=s["n"], low=f"{s['low']:.0%}",
                                             high=f"{s['high']:.0%}")
    return tip + (messages.SCORE_CHART_BAR_TIP_KEPT if kept else "")


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
        self.scores, self.kept = chart_order(scores), kept
        self.update()

    def _slot(self) -> float:
        return (self.width() - LEFT - 10) / len(self.scores)

    def tip_at(self, x: float) -> str:
        """The tooltip over x: the bar's (or its name's) when a bar's column is there, else the
        chart's own help."""
        if self.scores:
            i = int((x - LEFT) // self._slot())
            if x >= LEFT and 0 <= i < len(self.scores):
                return bar_tip(self.scores[i], self.scores[i]["method"] == self.kept)
        return messages.SCORE_CHART_KEPT_HELP

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            QToolTip.showText(event.globalPos(), self.tip_at(event.pos().x()), self)
            return True
        return super().event(event)

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.drawText(QRectF(0, 0, self.width(), 18), Qt.AlignmentFlag.AlignCenter, messages.SCORE_CHART_TITLE)
        if not self.scores:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, messages.SCORE_CHART_EMPTY)
            return
        left, top, bottom = LEFT, 26.0, self.height() - 40.0
        height = bottom - top
        slot = self._slot()
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
