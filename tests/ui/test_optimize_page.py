"""The Optimize page running a real (tiny GGUF) optimization off the UI thread."""

import re

import pytest
from PySide6.QtCore import Qt

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.core.library import ModelLibrary
from debop_desktop.ui.optimize_page import OptimizePage


@pytest.fixture
def page(optimize_page):
    return optimize_page


def test_estimate_is_in_plain_words(page):
    """'about' and a range of minutes, never an upper bound a person reads as the expectation."""
    text = page.estimate.text()
    assert re.search(r"It should take about \d+(–\d+)? minutes? on this computer \(up to [\d,]+ model calls\)", text)
    assert "measured when the run starts" in text and "at most" not in text.lower()


def test_a_run_draws_the_tree_and_finishes(qtbot, page, store):
    page.start()
    assert not page.start_button.isEnabled() and page.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: page.controller.state == "idle", timeout=120000)
    assert page.run_id is not None and page.tree.nodes and page.tree.best in page.tree.nodes
    assert page.bar.value() > 0 and page.start_button.isEnabled()
    status = store.execute("SELECT status FROM runs WHERE id = ?", (page.run_id,)).fetchone()[0]
    assert status == "finished" and "Done" in page.stage.text()
    scored = store.execute("SELECT COUNT(*) FROM nodes WHERE run_id = ? AND reward IS NOT NULL", (page.run_id,))
    assert page.chart.count == scored.fetchone()[0] > 0 and page.chart.best.count() == page.chart.count
    with qtbot.waitSignal(page.tree.node_clicked):  # a person clicks the best try in the tree
        ellipse = page.tree._items[page.tree.best][0]
        point = page.tree.mapFromScene(ellipse.sceneBoundingRect().center())
        qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    text = page.details.toPlainText()
    assert f"Try {page.tree.best}" in text and "Made by" in text and "Question" in text
    assert page.stage.text().startswith("Done. ") and page.result_button.isVisible()
    with qtbot.waitSignal(page.show_result) as shown:
        qtbot.mouseClick(page.result_button, Qt.MouseButton.LeftButton)
    assert shown.args == [page.run_id]


def test_cancel_then_resume(qtbot, page, store):
    page.start()
    qtbot.waitUntil(lambda: page.run_id is not None, timeout=60000)
    page.controller.pause()
    assert page.pause_button.text() == "Resume"
    page.controller.cancel()
    qtbot.waitUntil(lambda: page.controller.state == "idle", timeout=60000)
    run_id = page.run_id
    assert store.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()[0] == "cancelled"
    page.resume_run(run_id, page.model_box.currentData())
    qtbot.waitUntil(lambda: page.controller.state == "idle", timeout=120000)
    assert store.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()[0] == "finished"


def test_status_bar_names_the_model_a_run_uses(qtbot, store, tiny_gguf, tmp_path):
    from PySide6.QtCore import QSettings

    from debop_desktop.ui.main_window import MainWindow

    ModelLibrary(store).add(tiny_gguf)
    DatasetRepository(store).create(name="t", scorer="number", examples=[
        NewExample(f"What is {i} + 1?", str(i + 1), ("train", "dev", "test")[i % 3]) for i in range(30)])
    window = MainWindow(store, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    page = window.optimize_page
    page.refresh_choices()
    page.advanced.setChecked(True)
    page.advanced.controls["max_iterations"].setValue(1)
    page.advanced.controls["dev_limit"].setValue(3)
    page.start()
    assert window.model_status.text() == "Model in use by a run: Tiny Random Llama"
    qtbot.waitUntil(lambda: page.controller.state == "idle", timeout=120000)
    assert window.model_status.text() == "No model loaded"


def test_advanced_has_every_knob_and_round_trips_each_preset(page):
    import dataclasses

    from debop_desktop.core.optimizer.config import PRESETS, OptimizerConfig

    assert set(page.advanced.controls) | {"baselines"} == {f.name for f in dataclasses.fields(OptimizerConfig)}
    for name, preset in reversed(PRESETS.items()):  # "quick" (the fixture's changed one) comes last
        page.preset_box.setCurrentIndex(page.preset_box.findData(name))
        assert page.advanced.config() == preset, name
    page.advanced.controls["test_limit"].setValue(0)
    page.advanced.baselines["zero_shot_cot"].setChecked(False)
    config = page.config()
    assert config.test_limit is None and "zero_shot_cot" not in config.baselines and "tuned" in config.baselines
    before = page.estimate.text()
    page.advanced.controls["max_iterations"].setValue(150)
    assert page.estimate.text() != before  # the estimate follows every knob
    page.advanced.setChecked(False)
    assert page.config() == PRESETS[page.preset()]
    assert [page.preset_box.itemText(i) for i in range(page.preset_box.count())][0] == "Quick look (fastest)"


def simulated_job(db_path, dataset_id, answers, cancel=None):
    """The optimizer with the scripted (simulated) model, opened on the worker thread like the real job."""
    from simulated_env import simulated_backend
    from test_optimizer_run import CFG

    from debop_desktop.core.optimizer.run import run_optimization
    from debop_desktop.core.store import Store

    store = Store(db_path, migrate=False)
    try:
        return (yield from run_optimization(store, simulated_backend(answers)[0], dataset_id,
                                            CFG.with_overrides(max_iterations=200), cancel=cancel,
                                            tokens_per_second=40))
    finally:
        store.close()


def test_scripted_run_pause_resume_cancel_and_finish(qtbot, store):
    from test_optimizer_run import make_dataset

    d, answers = make_dataset(store)
    page = OptimizePage(store)
    qtbot.addWidget(page)
    page.show()
    page.controller.start_job(simulated_job, str(store.path), d.id, answers)
    qtbot.waitUntil(lambda: len(page.tree.nodes) >= 2, timeout=30000)
    page.toggle_pause()
    assert page.controller.state == "paused" and page.pause_button.text() == "Resume"
    qtbot.wait(300)
    frozen = len(page.tree.nodes)
    qtbot.wait(300)
    assert len(page.tree.nodes) == frozen  # paused: nothing new arrives
    page.toggle_pause()
    assert page.controller.state == "running"
    qtbot.waitUntil(lambda: len(page.tree.nodes) > frozen, timeout=30000)
    page.toggle_pause()
    page.controller.cancel()  # a cancel while paused must still end the run, as cancelled
    qtbot.waitUntil(lambda: page.controller.state == "idle", timeout=30000)
    status = store.execute("SELECT status FROM runs WHERE id = ?", (page.run_id,)).fetchone()[0]
    assert status == "cancelled" and page.start_button.isEnabled()
    assert page.chart.count >= 1 and page.tree.best is not None


def test_start_without_a_model_explains_first(qtbot, store):
    page = OptimizePage(store)
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert "Add a model" in page.stage.text() and page.controller.state == "idle"
