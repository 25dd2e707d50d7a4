"""The main window with every view full: finished runs on a label task (the Mistakes tab's
table, Compare runs with a second run) and a run with a tree of tries; pages and tabs walked
as a person would, for the layout and plain-words tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_helpers import drain  # noqa: E402
from test_optimizer_run import CFG, SPEED  # noqa: E402
from test_results_mistakes import triage_task  # noqa: E402

from debop_desktop.core.library import ModelLibrary  # noqa: E402
from debop_desktop.core.llm.fake import ScriptedBackend  # noqa: E402
from debop_desktop.core.optimizer.run import run_optimization  # noqa: E402
from debop_desktop.ui.main_window import MainWindow  # noqa: E402


def label_runs(store, tiny_gguf) -> list[int]:
    """Two finished runs on a triage task (a model that calls every note routine): the
    Mistakes tab has its table and Compare runs has a run to compare with; the second run is
    made after a missed urgent note was said to cost 5 (the verdict's longest sentence)."""
    from debop_desktop.core.costs import parse_costs, set_task_costs

    model_id = ModelLibrary(store).add(tiny_gguf).record.id
    task = triage_task(store)
    ids = []
    for seed in (3, 4):
        if seed == 4:
            set_task_costs(store, task.id, parse_costs("urgent>routine=5", ["urgent", "routine"]))
        _, result = drain(run_optimization(store, ScriptedBackend(["routine"]), task.id,
                                           CFG.with_overrides(test_limit=20, seed=seed), tokens_per_second=SPEED,
                                           model_id=model_id))
        assert result.status == "finished"
        ids.append(result.run_id)
    return ids


def open_window(qtbot, store, tmp_path, size: tuple[int, int]) -> MainWindow:
    w = MainWindow(store, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.resize(*size)
    return w


def settle(qtbot) -> None:
    QApplication.processEvents()
    qtbot.wait(30)


def every_view(qtbot, window: MainWindow, run_ids: list[int]) -> Iterator[str]:
    """Show each page in turn (the Optimize page with its settings open), and on the Results
    page each run in `run_ids` with each of its tabs, a question and a dot of the tree clicked
    and a cell of the mistakes table clicked; yields a name for each view as it is shown."""
    for row in range(window.sidebar.count()):
        window.sidebar.setCurrentRow(row)
        page = window.pages.currentWidget()
        name = window.sidebar.item(row).text()
        if page is window.optimize_page:
            page.advanced.setChecked(True)
        if page is not window.results_page:
            settle(qtbot)
            yield name
            continue
        for run_id in run_ids:
            page.refresh(select=run_id)
            page.examples.selectRow(0)
            for tab in range(page.tabs.count()):
                page.tabs.setCurrentIndex(tab)
                settle(qtbot)
                if page.tabs.currentWidget() is page.mistakes.parentWidget().parentWidget() \
                        and page.mistakes.table.rowCount():
                    table = page.mistakes.table
                    cell = table.visualRect(table.model().index(0, table.columnCount() - 1)).center()
                    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
                tree = page.tree
                if tree.isVisible() and tree.best is not None:
                    point = tree.mapFromScene(tree._items[tree.best][0].sceneBoundingRect().center())
                    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point.x(), point.y()))
                settle(qtbot)
                yield f"{name}, run {run_id}, {page.tabs.tabText(tab)}"
