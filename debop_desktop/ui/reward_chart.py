"""Accuracy over the search (QtCharts): each scored try as a dot, the best so far as a line.

Accuracy, not the search's internal reward: the reward adds a speed bonus and can exceed 1,
which no one can read as a share of questions answered right."""

from __future__ import annotations

import math

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QWidget

from debop_desktop.core import messages


def tick_step(upper: float, max_ticks: int = 6) -> int:
    """A whole-number step (1, 2, 5, 10, 20, 50, …) giving at most `max_ticks` intervals."""
    step = 1
    while upper / step > max_ticks:
        for factor in (2, 2.5, 2):  # 1 → 2 → 5 → 10 → 20 → 50 …
            step = int(step * factor)
            if upper / step <= max_ticks:
                break
    return step


class RewardChart(QChartView):
    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setTitle(messages.ACCURACY_CHART_TITLE)
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(150)
        self.dots, self.best = QScatterSeries(), QLineSeries()
        self.dots.setMarkerSize(7)
        self.axis_x, self.axis_y = QValueAxis(), QValueAxis()
        self.axis_x.setTitleText("tries scored")
        self.axis_x.setLabelFormat("%d")
        self.axis_x.setTickType(QValueAxis.TickType.TicksDynamic)
        self.axis_x.setTickAnchor(0)
        self.axis_y.setLabelFormat("%d%%")
        self.axis_y.setRange(0, 100)
        self.axis_y.setTickCount(5)  # 0, 25, 50, 75, 100 %: exact, never rounded
        self.setToolTip(messages.ACCURACY_CHART_HELP)
        for series in (self.dots, self.best):
            chart.addSeries(series)
        chart.addAxis(self.axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.axis_y, Qt.AlignmentFlag.AlignLeft)
        for series in (self.dots, self.best):
            series.attachAxis(self.axis_x)
            series.attachAxis(self.axis_y)
        self._follow_palette()
        self.clear()

    def _follow_palette(self) -> None:
        """Light or dark like the rest of the window, not QtCharts' fixed white theme."""
        palette = self.palette()
        chart = self.chart()
        chart.setBackgroundBrush(palette.brush(QPalette.ColorRole.Base))
        chart.setTitleBrush(palette.brush(QPalette.ColorRole.Text))
        for axis in (self.axis_x, self.axis_y):
            axis.setLabelsBrush(palette.brush(QPalette.ColorRole.Text))
            axis.setTitleBrush(palette.brush(QPalette.ColorRole.Text))

    def clear(self) -> None:
        self.dots.clear()
        self.best.clear()
        self.count, self.top = 0, None
        self._set_x_range(10)

    def _set_x_range(self, upper: int) -> None:
        step = tick_step(upper)
        self.axis_x.setTickInterval(step)
        self.axis_x.setRange(0, math.ceil(upper / step) * step)

    def add(self, accuracy: float) -> None:
        """One scored try; `accuracy` is the share right, 0 to 1."""
        self.count += 1
        self.dots.append(self.count, 100 * accuracy)
        self.top = accuracy if self.top is None else max(self.top, accuracy)
        self.best.append(self.count, 100 * self.top)
        self._set_x_range(max(10, self.count + 1))

    def load(self, accuracies: list[float]) -> None:
        """A recorded run's tries, in the order they were scored."""
        self.clear()
        for a in accuracies:
            self.add(a)
