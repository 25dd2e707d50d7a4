"""Reward over the search (QtCharts): each scored candidate as a dot, the best so far as a line."""

from __future__ import annotations

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QWidget


class RewardChart(QChartView):
    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setTitle("Reward per candidate")
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(150)
        self.dots, self.best = QScatterSeries(), QLineSeries()
        self.dots.setMarkerSize(7)
        self.axis_x, self.axis_y = QValueAxis(), QValueAxis()
        self.axis_x.setTitleText("candidates scored")
        self.axis_x.setLabelFormat("%d")
        self.axis_y.setTitleText("reward")
        self.axis_y.setLabelFormat("%.1f")
        self.setToolTip("Dots: the reward of each scored candidate (dev accuracy and speed). Line: the best so far.")
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
        self.axis_x.setRange(0, 10)
        self.axis_y.setRange(0, 1)

    def add(self, reward: float) -> None:
        self.count += 1
        self.dots.append(self.count, reward)
        self.top = reward if self.top is None else max(self.top, reward)
        self.best.append(self.count, self.top)
        self.axis_x.setRange(0, max(10, self.count + 1))
        self.axis_y.setRange(0, max(1.0, self.top * 1.1))
