"""Final-exam accuracy against speed (or file size): one dot per model with its 95 % range as
a vertical line, the target as a dashed line, the recommended model as a star."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from debop_desktop.core import messages
from debop_desktop.core.compare.table import ComparisonRow, ComparisonView
from debop_desktop.core.units import human_bytes

DOT = QColor("#9bb3c9")
CHOSEN = QColor("#2f5d8a")
TARGET = QColor("#b26a00")


class CompareChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: ComparisonView | None = None
        self.x_axis = "speed"  # or "size"
        self.target: float | None = None
        self.setMinimumHeight(200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_view(self, view: ComparisonView | None, target: float | None = None) -> None:
        self.view, self.target = view, target
        self.update()

    def set_x_axis(self, axis: str) -> None:
        self.x_axis = axis
        self.update()

    def points(self) -> list[tuple[ComparisonRow, float]]:
        """The finished models and their x value (answers a second, or file bytes)."""
        out = []
        for row in self.view.rows if self.view else ():
            o = row.outcome
            x = (o.answers_per_second if self.x_axis == "speed" else row.size_bytes) if o else None
            if o is not None and o.finished and x:
                out.append((row, float(x)))
        return out

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        ink = self.palette().color(QPalette.ColorRole.WindowText)
        p.setPen(ink)
        p.drawText(QRectF(0, 0, self.width(), 18), Qt.AlignmentFlag.AlignCenter,
                   messages.COMPARE_CHART_TITLE.format(x=messages.COMPARE_CHART_X[self.x_axis]))
        points = self.points()
        if not points:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, messages.COMPARE_CHART_EMPTY)
            return
        left, top, right, bottom = 44.0, 40.0, self.width() - 24.0, self.height() - 34.0
        low, high = _x_range([x for _, x in points])
        log = high / low > 20

        def sx(x: float) -> float:
            if log:
                return left + (math.log10(x) - math.log10(low)) / (math.log10(high) - math.log10(low)) * (right - left)
            return left + (x - low) / (high - low) * (right - left)

        def sy(share: float) -> float:
            return bottom - share * (bottom - top)

        ticks = (low, math.sqrt(low * high) if log else (low + high) / 2, high)
        self._axes(p, ink, (left, right, top, bottom), ticks, sx, sy)
        chosen = self.view.recommendation.position if self.view else None
        for row, x in points:
            o = row.outcome
            assert o is not None
            cx, cy = sx(x), sy(o.accuracy)
            mine = row.position == chosen
            p.setPen(QPen(CHOSEN if mine else DOT, 2))
            p.drawLine(QPointF(cx, sy(o.low)), QPointF(cx, sy(o.high)))
            p.setBrush(CHOSEN if mine else DOT)
            if mine:
                p.drawPolygon(_star(cx, cy, 9))
            else:
                p.drawEllipse(QPointF(cx, cy), 5, 5)
            font = p.font()
            font.setBold(mine)
            p.setFont(font)
            p.setPen(ink)
            if cx + 8 + p.fontMetrics().horizontalAdvance(row.name) > self.width():  # near the right edge
                p.drawText(QRectF(cx - 228, cy - 16, 220, 16), Qt.AlignmentFlag.AlignRight, row.name)
            else:
                p.drawText(QRectF(cx + 8, cy - 16, 220, 16), Qt.AlignmentFlag.AlignLeft, row.name)
            font.setBold(False)
            p.setFont(font)

    def _axes(self, p: QPainter, ink: QColor, frame: tuple[float, float, float, float], ticks: tuple[float, ...],
              sx: Callable[[float], float], sy: Callable[[float], float]) -> None:
        left, right, top, bottom = frame
        p.setPen(QPen(QColor("#999999")))
        for share in (0.0, 0.25, 0.5, 0.75, 1.0):
            y = sy(share)
            p.drawLine(QPointF(left, y), QPointF(right, y))
            p.drawText(QRectF(0, y - 8, left - 4, 16), Qt.AlignmentFlag.AlignRight, f"{share:.0%}")
        for x in ticks:
            p.drawText(QRectF(sx(x) - 50, bottom + 2, 100, 16), Qt.AlignmentFlag.AlignCenter, self._x_label(x))
        p.setPen(ink)
        p.drawText(QRectF(left, bottom + 16, right - left, 16), Qt.AlignmentFlag.AlignCenter,
                   messages.COMPARE_CHART_X[self.x_axis])
        if self.target is not None:
            p.setPen(QPen(TARGET, 1, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(left, sy(self.target)), QPointF(right, sy(self.target)))
            p.drawText(QRectF(right - 160, sy(self.target) - 16, 160, 16), Qt.AlignmentFlag.AlignRight,
                       messages.COMPARE_CHART_TARGET.format(target=f"{self.target:.0%}"))

    def _x_label(self, x: float) -> str:
        return f"{x:.1f}" if self.x_axis == "speed" else human_bytes(x)


def _x_range(xs: list[float]) -> tuple[float, float]:
    """A little room either side, so no dot sits on the frame; never a zero-width range."""
    low, high = min(xs), max(xs)
    if high <= low * 1.05:
        return low * 0.8, high * 1.2
    pad = (high - low) * 0.1
    return max(low - pad, low * 0.5), high + pad


def _star(cx: float, cy: float, r: float) -> QPolygonF:
    corners = []
    for i in range(10):
        angle = math.pi / 2 + i * math.pi / 5
        radius = r if i % 2 == 0 else r * 0.45
        corners.append(QPointF(cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    return QPolygonF(corners)
