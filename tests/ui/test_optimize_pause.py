"""Issue 20: Pause and Resume on the Optimize page say so at once, and the first-run
checklist ticks "Tune" only once a run has finished (not while one is paused or stopped)."""

import pytest
from PySide6.QtCore import QSettings, Qt
from test_optimize_page import simulated_job

from debop_desktop.core import messages
from debop_desktop.core.optimizer.events import StageChanged
from debop_desktop.ui.main_window import MainWindow


def short_job(db_path, dataset_id, answers, cancel=None):
    from simulated_env import simulated_backend
    from test_optimizer_run import CFG

    from debop_desktop.core.optimizer.run import run_optimization
    from debop_desktop.core.store import Store

    store = Store(db_path, migrate=False)
    try:
        return (yield from run_optimization(store, simulated_backend(answers)[0], dataset_id, CFG, cancel=cancel,
                                            tokens_per_second=40))
    finally:
        store.close()


@pytest.fixture
def window(qtbot, store, tmp_path):
    w = MainWindow(store, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    w.show()
    w.show_page(w.optimize_page)
    yield w
    controller = w.optimize_page.controller
    if controller.running:  # after a failure: end the run, or closing the window would ask about it
        controller.cancel()
        qtbot.waitUntil(lambda: not controller.running, timeout=60000)
    w.close()
    w.deleteLater()


def click(qtbot, button):
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def tune_ticked(window):
    return window.checklist.buttons[2].text().startswith("✓")


def test_pause_and_resume_say_so_at_once_and_tune_waits_for_a_finished_run(qtbot, store, window):
    from test_optimizer_run import make_dataset

    d, answers = make_dataset(store)
    page = window.optimize_page
    stages = []
    page.controller.event.connect(lambda e: stages.append(e.message) if isinstance(e, StageChanged) else None)
    page.controller.start_job(simulated_job, str(store.path), d.id, answers)  # a long scripted run
    assert page.stage.text() == messages.OPTIMIZE_STARTING  # not the page's idle words
    qtbot.waitUntil(lambda: len(page.tree.nodes) >= 2, timeout=30000)
    assert page.stage.text() == stages[-1]

    click(qtbot, page.pause_button)
    assert page.stage.text() == messages.OPTIMIZE_PAUSED and page.pause_button.text() == "Resume"
    assert not tune_ticked(window)  # a paused run has not tuned anything yet
    qtbot.wait(400)
    assert page.stage.text() == messages.OPTIMIZE_PAUSED  # an event still on its way does not hide it

    click(qtbot, page.pause_button)  # Resume
    assert page.pause_button.text() == "Pause"
    assert page.stage.text() == stages[-1] != messages.OPTIMIZE_PAUSED  # at once, before any new event
    frozen = len(page.tree.nodes)
    qtbot.waitUntil(lambda: len(page.tree.nodes) > frozen, timeout=30000)  # and it does go on

    click(qtbot, page.cancel_button)
    qtbot.waitUntil(lambda: page.controller.state == "idle", timeout=30000)
    assert store.execute("SELECT status FROM runs WHERE id = ?", (page.run_id,)).fetchone()[0] == "cancelled"
    assert not tune_ticked(window)  # stopped is not finished

    page.controller.start_job(short_job, str(store.path), d.id, answers)
    qtbot.waitUntil(lambda: page.controller.state == "idle", timeout=60000)
    assert store.execute("SELECT status FROM runs WHERE id = ?", (page.run_id,)).fetchone()[0] == "finished"
    assert tune_ticked(window) and page.stage.text().startswith("Done. ")
