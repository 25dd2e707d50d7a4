"""The accuracy chart on the Optimize page: a share right (0–100 %), exact ticks, whole tries."""

from debop_desktop.ui.reward_chart import RewardChart, tick_step


def test_accuracy_is_plotted_in_percent_with_exact_quarter_ticks(qtbot):
    chart = RewardChart()
    qtbot.addWidget(chart)
    for accuracy in (0.2, 1 / 3, 0.25):
        chart.add(accuracy)
    assert (chart.axis_y.min(), chart.axis_y.max(), chart.axis_y.tickCount()) == (0, 100, 5)  # 0, 25, 50, 75, 100
    assert chart.axis_y.labelFormat() == "%d%%"
    assert [round(p.y(), 1) for p in chart.dots.points()] == [20.0, 33.3, 25.0]
    assert [round(p.y(), 1) for p in chart.best.points()] == [20.0, 33.3, 33.3]  # the best so far
    assert max(p.y() for p in chart.dots.points()) <= 100  # never the >1 reward scale


def test_the_tries_axis_counts_whole_tries():
    for upper in (10, 11, 23, 61, 130, 700):
        step = tick_step(upper)
        assert step == int(step) and upper / step <= 6 and str(step)[0] in "125"


def test_a_recorded_run_loads_in_order(qtbot):
    chart = RewardChart()
    qtbot.addWidget(chart)
    chart.load([0.5, 0.75, 0.6] * 5)
    assert chart.count == 15 and chart.axis_x.max() >= 16 and chart.axis_x.tickInterval() == 5
    chart.clear()
    assert chart.count == 0 and chart.dots.count() == 0
