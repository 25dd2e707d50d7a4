"""The Results chart as a person reads it: a long behavior name is cut short under its bar, so
hovering the bar or its name shows the full name, the score and its likely range; a behavior's
pick-by-probability variant stands right after the behavior itself."""

import dataclasses

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from debop_desktop.core import behaviors, messages
from debop_desktop.ui.results_page import ResultsPage


def open_page(qtbot, store):
    page = ResultsPage(store)
    qtbot.addWidget(page)
    page.resize(1024, 640)
    page.show()
    qtbot.waitExposed(page)
    return page


def hover(qtbot, widget, pos: QPoint) -> str:
    """Rest the mouse at `pos` until the tooltip comes, as Qt asks a widget for it."""
    qtbot.mouseMove(widget, pos)
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, pos, widget.mapToGlobal(pos)))
    return QToolTip.text() if QToolTip.isVisible() else widget.toolTip()


def with_tuned_pick(page):
    """The finished run's final-exam scores with the tuned pick among them, in the order a run
    scores them (the simple candidates, then the tuned behavior last: the pick before it)."""
    scores = [dataclasses.asdict(b) for b in page.view.baselines]
    tuned = next(s for s in scores if s["method"] == "tuned")
    right = tuned["correct"] - 1
    pick = dict(tuned, method="tuned_picked", correct=right, accuracy=right / tuned["n"])
    return [s for s in scores if s["method"] != "tuned"] + [pick, tuned]


def test_the_tuned_pick_stands_right_after_the_tuned_behavior(qtbot, store, runs):
    page = open_page(qtbot, store)
    page.chart.set_scores(with_tuned_pick(page), "tuned")
    methods = [s["method"] for s in page.chart.scores]
    assert methods[-2:] == ["tuned", "tuned_picked"] and methods[0] == "direct"


def test_hovering_a_cut_short_name_or_its_bar_shows_the_full_name_and_score(qtbot, store, runs):
    page = open_page(qtbot, store)
    chart = page.chart
    chart.set_scores(with_tuned_pick(page), "tuned")
    slot = (chart.width() - 50) / len(chart.scores)
    i = [s["method"] for s in chart.scores].index("tuned_picked")
    name = behaviors.label("tuned_picked")
    assert chart.fontMetrics().horizontalAdvance(name) > slot - 4  # cut short on screen
    x = int(40 + (i + 0.5) * slot)
    pick = chart.scores[i]
    for y in (chart.height() - 30, chart.height() - 45):  # its name under the bar, then the bar's foot
        tip = hover(qtbot, chart, QPoint(x, y))
        assert tip.startswith(name + "\n"), tip
        assert f"{pick['correct']} of {pick['n']}" in tip and f"{pick['accuracy']:.0%} right" in tip
        assert f"likely {pick['low']:.0%}–{pick['high']:.0%}" in tip
        assert messages.SCORE_CHART_BAR_TIP_KEPT not in tip
    kept = hover(qtbot, chart, QPoint(int(40 + (i - 0.5) * slot), chart.height() - 30))
    assert kept.startswith(behaviors.label("tuned") + "\n") and kept.endswith(messages.SCORE_CHART_BAR_TIP_KEPT)
    assert hover(qtbot, chart, QPoint(10, chart.height() // 2)) == messages.SCORE_CHART_KEPT_HELP  # the axis
