"""`debop-desktop --self-test`: prove an installed copy works, end to end, without a person.

Opens the main window, writes the tiny random-weight GGUF, adds it through the Models page,
creates a small sample task, runs a one-iteration optimization through the Optimize page
(llama.cpp's native libraries included), checks the run finished, and exits 0. Everything is
written to a fresh temporary data folder, never next to the app. One JSON line per step goes
to standard output so a script (or CI) can read what happened.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from debop_desktop.core.optimizer.config import PRESETS
from debop_desktop.core.optimizer.run_repository import RunRepository

TIMEOUT_S = 300.0
SELF_TEST_CONFIG = PRESETS["quick"].with_overrides(n_plans=2, n_seeds=1, max_iterations=1, dev_limit=3,
                                                   test_limit=3, max_tokens=24, plan_max_tokens=48)


def _say(step: str, **facts: object) -> None:
    print(json.dumps({"step": step, **facts}), flush=True)


def run_self_test(app: QApplication, started: float, home: str | None = None) -> int:
    from debop_desktop.core.datasets.repository import DatasetRepository
    from debop_desktop.core.samples.dataset import create_sample_dataset
    from debop_desktop.core.store import open_store
    from debop_desktop.core.tiny_model import write_tiny_gguf
    from debop_desktop.ui.main_window import MainWindow

    work = Path(tempfile.mkdtemp(prefix="debop-self-test-"))
    store = open_store(home or work / "home")
    window = MainWindow(store, QSettings(str(work / "window.ini"), QSettings.Format.IniFormat))
    window.show()
    app.processEvents()
    _say("window", shown_after_s=round(time.perf_counter() - started, 3), frozen=bool(getattr(sys, "frozen", False)),
         data_folder=str(store.path.parent))

    def wait(done: Callable[[], bool], what: str) -> None:
        end = time.monotonic() + TIMEOUT_S
        while not done():
            if time.monotonic() > end:
                raise TimeoutError(f"timed out waiting for {what}")
            app.processEvents()
            time.sleep(0.01)

    errors: list[BaseException] = []
    try:
        models = window.models_page
        import debop_desktop.ui.models_page as models_module

        models_module.show_error = lambda _parent, exc: errors.append(exc)  # report, do not block on a dialog
        models.add_path(str(write_tiny_gguf(work / "tiny.gguf")))
        wait(lambda: models.table_model.rowCount() == 1 or bool(errors), "the model to be added")
        if errors:
            raise errors[0]
        _say("model", name=models.table_model.record(0).name)
        dataset = create_sample_dataset(DatasetRepository(store), "arithmetic", n=30, seed=1, difficulty=1).dataset
        window.tasks_page.refresh(select=dataset.id)
        page = window.optimize_page
        page.refresh_choices()
        page.controller.failed.disconnect()
        page.controller.failed.connect(errors.append)
        page.advanced.setChecked(True)
        page.advanced.set_config(SELF_TEST_CONFIG)
        window.show_page(page)
        page.start()
        wait(lambda: page.controller.state == "idle", "the optimization")
        if errors:
            raise errors[0]
        header = RunRepository(store).header(page.run_id) if page.run_id is not None else None
        if header is None or header.status != "finished":
            raise RuntimeError(f"the run ended as {header.status if header else 'nothing'}")
        _say("optimization", run=page.run_id, nodes=len(page.tree.nodes), status=header.status)
        _check_worker()
        window.results_page.refresh()
    except BaseException as exc:  # the self-test reports every failure as one line, then exits 1
        _say("failed", error=f"{type(exc).__name__}: {exc}", kept_for_inspection=str(work))
        window.close()
        return 1
    window.close()
    store.close()
    shutil.rmtree(work, ignore_errors=True)
    _say("passed", total_s=round(time.perf_counter() - started, 3))
    return 0


def _check_worker() -> None:
    """The run's model lived in an inference worker: a separate process started from this
    program (the bundled executable with its worker flag, when frozen)."""
    from debop_desktop.core.llm.host import model_host
    from debop_desktop.core.llm.worker import worker_command

    engine = model_host().engine
    pid = engine.pid if engine is not None else None
    if pid is None or pid == os.getpid():
        raise RuntimeError("the model did not run in its own worker process")
    _say("worker", pid=pid, app_pid=os.getpid(), command=" ".join(worker_command()))
