"""The Tasks page's "Compare models" (issue 24): clicked, run, the table, the chart and the sentence.

The two models in the library are tiny GGUFs of different sizes; their answers come from
scripted backends (tests/core/test_compare_models.py), so the test decides which is better."""

import pytest
from PySide6.QtCore import Qt
from test_compare_models import scripted_runs, setup, write_two_sizes

from debop_desktop.core.compare.records import ComparisonStore
from debop_desktop.ui.tasks_page import TasksPage


@pytest.fixture(scope="module")
def two_sizes(tmp_path_factory):
    return write_two_sizes(tmp_path_factory.mktemp("compare-dialog"))


def open_dialog(qtbot, store, two_sizes, skills):
    task, small, big = setup(store, two_sizes)
    page = TasksPage(store)
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.compare_button, Qt.MouseButton.LeftButton)
    dialog = page.compare_dialog
    assert dialog is not None and dialog.isVisible() and "sums" in dialog.windowTitle()
    dialog.job_args = {"run_model": scripted_runs({small.id: skills[0], big.id: skills[1]},
                                                  pace={small.id: 0.01, big.id: 0.03})}
    return page, dialog, small, big


def tick_all(dialog):
    for i in range(dialog.models.count()):
        dialog.models.item(i).setCheckState(Qt.CheckState.Checked)


def test_compare_models_shows_the_table_and_the_recommendation(qtbot, store, two_sizes):
    page, dialog, small, big = open_dialog(qtbot, store, two_sizes, (0.3, 1.0))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Tick at least two models to compare."  # nothing ticked yet
    tick_all(dialog)
    dialog.target.setValue(85)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.controller.running, timeout=30_000)
    qtbot.waitUntil(lambda: dialog.table_model.rowCount() == 2 and "Done." in dialog.status.text())
    cells = dialog.table_model.rows  # the models in the library's order (by name)
    assert [c[0] for c in cells] == ["★ Big One", "Small One"] and all("%" in c[1] for c in cells)
    assert dialog.sentence.text().startswith("<b>Use Big One: the smallest model whose final-exam range reaches "
                                             "your target of 85 %")
    assert [row.name for row, _speed in dialog.chart.points()] == ["Big One", "Small One"]
    qtbot.wait(50)  # let the layout settle before the picture
    dialog.grab().save("/tmp/compare.png")
    # another target changes the recommendation (and is kept), not the runs
    dialog.target.setValue(30)
    assert "Use Small One" in dialog.sentence.text() and "clearly more accurate" in dialog.notes.text()
    assert ComparisonStore(store).get(dialog.comparison_id).target == 0.3
    dialog.axis.setCurrentIndex(dialog.axis.findData("size"))
    assert dialog.chart.x_axis == "size"
    qtbot.wait(50)
    dialog.grab().save("/tmp/compare-size.png")


def test_stop_then_resume_in_the_window(qtbot, store, two_sizes):
    page, dialog, small, big = open_dialog(qtbot, store, two_sizes, (0.6, 1.0))
    tick_all(dialog)
    seen = []

    def stop_in_the_second_model(event):
        seen.append(event.kind)
        if event.kind == "BaselineScored" and "ModelStarting" in seen and seen.count("ModelStarting") == 2:
            dialog.controller.cancel()

    dialog.controller.event.connect(stop_in_the_second_model)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.controller.running, timeout=30_000)
    assert "resume the comparison" in dialog.status.text() and dialog.resume_button.isEnabled()
    dialog.controller.event.disconnect(stop_in_the_second_model)
    qtbot.mouseClick(dialog.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.controller.running, timeout=30_000)
    assert "Done." in dialog.status.text() and not dialog.resume_button.isEnabled()
    assert [r.state for r in dialog.view.rows] == ["done", "done"]
    # a second opening of the window shows the same comparison as it was left
    dialog.close()
    page.compare_dialog = None
    qtbot.mouseClick(page.compare_button, Qt.MouseButton.LeftButton)
    again = page.compare_dialog
    assert again.comparison_id == dialog.comparison_id and again.table_model.rowCount() == 2
    assert again.sentence.text() == dialog.sentence.text()


def test_the_comparison_table_is_a_well_behaved_model(qtmodeltester, qtbot, store, two_sizes):
    page, dialog, *_ = open_dialog(qtbot, store, two_sizes, (0.5, 0.5))
    tick_all(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.controller.running, timeout=30_000)
    qtmodeltester.check(dialog.table_model)
