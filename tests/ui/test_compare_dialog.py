"""The Tasks page's "Compare models" (issue 24): clicked, run, the table, the chart and the sentence.

The two models in the library are tiny GGUFs of different sizes; their answers come from
scripted backends (tests/core/test_compare_models.py), so the test decides which is better."""

import pytest
from PySide6.QtCore import Qt
from run_helpers import drain
from test_compare_models import scripted_runs, setup, write_two_sizes

from debop_desktop.core.compare.job import comparison_job
from debop_desktop.core.compare.records import ComparisonStore
from debop_desktop.core.library import ModelLibrary
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
    assert dialog.progress.value() == dialog.progress.maximum()  # a full bar: nothing left to do
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


def few_sums(store, n=18):
    """A sums task small enough for real tiny GGUFs to compare in seconds (6 questions a split)."""
    from debop_desktop.core.datasets.repository import DatasetRepository, NewExample

    splits = ["train", "dev", "test"]
    examples = [NewExample(f"What is {i} + {i + 2}?", str(2 * i + 2), splits[i % 3]) for i in range(n)]
    return DatasetRepository(store).create(name="few sums", examples=examples, instruction="Add the numbers.",
                                           scorer="number", answer_type="number")


def counted_runs(sessions):
    """The real `optimization_job` (each model loaded through the model host), noting what each
    session of a run cost: (run, resumed, status, model calls)."""
    from debop_desktop.core.optimizer.job import optimization_job

    def job(*args, **kwargs):
        result = yield from optimization_job(*args, **kwargs)
        sessions.append((result.run_id, kwargs.get("resume_run") is not None, result.status, result.model_calls))
        return result
    return job


def open_in_window(qtbot, store, tmp_path, sessions):
    from PySide6.QtCore import QSettings

    from debop_desktop.ui.main_window import MainWindow

    window = MainWindow(store, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.show_page(window.tasks_page)
    qtbot.mouseClick(window.tasks_page.compare_button, Qt.MouseButton.LeftButton)
    dialog = window.tasks_page.compare_dialog
    dialog.job_args = {"run_model": counted_runs(sessions), "threads": 1}
    return window, dialog


def test_closing_the_main_window_stops_a_comparison_resumable_with_nothing_redone(qtbot, store, two_sizes,
                                                                                tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from debop_desktop.core import messages

    library = ModelLibrary(store)
    models = [library.add(p).record for p in two_sizes]
    few_sums(store)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda _parent, title, _text: asked.append(title) or
                        QMessageBox.StandardButton.Yes)
    sessions = []
    window, dialog = open_in_window(qtbot, store, tmp_path / "first", sessions)
    tick_all(dialog)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    answered = "SELECT COUNT(*) FROM evaluations"
    qtbot.waitUntil(lambda: store.execute(answered).fetchone()[0] > 0, timeout=60_000)  # the first model answers
    window.close()  # as the window's close button does
    assert asked == [messages.COMPARE_CLOSE_TITLE]  # asked, like a run, before stopping anything
    assert not dialog.controller.running and not dialog.isVisible()
    records = ComparisonStore(store)
    stopped = records.get(dialog.comparison_id)
    assert stopped.status == "cancelled"
    first_run = stopped.entries[0].run_id
    assert records.run_status(first_run) == "cancelled" and stopped.entries[1].run_id is None
    kept = store.execute("SELECT id, subject, example_id, output FROM evaluations ORDER BY id").fetchall()
    assert kept and sessions == [(first_run, False, "cancelled", sessions[0][3])]

    # the next time: the same comparison is shown, Resume continues the stopped run
    store.execute("DELETE FROM completions")  # a question asked again would cost a model call, not a cache hit
    again_window, again = open_in_window(qtbot, store, tmp_path / "second", sessions)
    assert again.comparison_id == dialog.comparison_id and again.resume_button.isEnabled()
    qtbot.mouseClick(again.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not again.controller.running, timeout=120_000)
    assert "Done." in again.status.text() and [r.state for r in again.view.rows] == ["done", "done"]
    resumed = records.get(again.comparison_id)
    assert resumed.entries[0].run_id == first_run  # the same run continued, not a new one
    assert [(s[0], s[1], s[2]) for s in sessions[1:]] == [(first_run, True, "finished"),
                                                         (resumed.entries[1].run_id, False, "finished")]
    everything = store.execute("SELECT id, subject, example_id, output FROM evaluations ORDER BY id").fetchall()
    assert everything[:len(kept)] == kept  # nothing answered before the close was lost or answered again

    # nothing redone: the stopped run's two sessions asked the model no more than one uninterrupted run does
    straight = ComparisonStore(store).create(resumed.dataset_id, [m.id for m in models], resumed.config,
                                             preset=resumed.preset)
    store.execute("DELETE FROM completions")  # the straight run asks the model, not the cache
    drain(comparison_job(store.path, straight, run_model=counted_runs(sessions), threads=1))
    straight_calls = sessions[-2][3]
    assert sessions[-2][:3] == (records.get(straight).entries[0].run_id, False, "finished")
    assert 0 < sessions[1][3] < straight_calls  # the resumed session did only what was left
    assert sessions[0][3] + sessions[1][3] <= straight_calls + 1  # at most the answer in flight
    again_window.close()
