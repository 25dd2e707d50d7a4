"""The Optimize page when the model's worker process is killed mid-run: the window stays,
says what happened, and the run still finishes (core/llm/worker_client.py)."""

import os
import signal

from PySide6.QtCore import Qt

from debop_desktop.core.llm.host import model_host


def test_killing_the_worker_mid_run_leaves_the_window_and_the_run_going(qtbot, store, optimize_page):
    page = optimize_page
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
