"""The Optimize page when the model's worker process is killed mid-run: the window stays,
says what happened, and the run still finishes (core/llm/worker_client.py)."""

import os
import signal

from PySide6.QtCore import Qt

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.llm.host import model_host
from debop_desktop.core.samples import SAMPLE_TASKS
from debop_desktop.ui.optimize_page import OptimizePage


def test_killing_the_worker_mid_run_leaves_the_window_and_the_run_going(qtbot, store, tiny_gguf):
    ModelLibrary(store).add(tiny_gguf)
    pairs = SAMPLE_TASKS["arithmetic"].generate(45, seed=1, difficulty=1)
    DatasetRepository(store).create(
        name="sums", instruction="Add the numbers.", scorer="number",
        examples=[NewExample(q, a, ("train", "dev", "test")[i % 3]) for i, (q, a) in enumerate(pairs)])
    page = OptimizePage(store)
    qtbot.addWidget(page)
    page.show()
    page.advanced.setChecked(True)
    page.advanced.controls["max_iterations"].setValue(3)
    page.advanced.controls["dev_limit"].setValue(6)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(page.tree.nodes) >= 1 and model_host().engine is not None
                    and model_host().engine.pid is not None, timeout=60000)
    killed = model_host().engine.pid
    os.kill(killed, signal.SIGKILL)
    qtbot.waitUntil(lambda: page.controller.state == "idle", timeout=120000)
    assert page.isVisible()
    shown = [page.warnings.item(i).text() for i in range(page.warnings.count())]
    assert any("crashed" in text and "nothing was lost" in text for text in shown), shown
    status = store.execute("SELECT status FROM runs WHERE id = ?", (page.run_id,)).fetchone()[0]
    assert status == "finished" and model_host().engine.pid != killed
