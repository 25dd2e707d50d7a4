"""Issue 15 item 1 in the app: the Tasks page's Delete asks with the number of runs, and the
runs keep their results."""

from message_boxes import answer_next_box
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.optimizer.export import export_behavior
from debop_desktop.ui.tasks_page import TasksPage


def test_delete_asks_with_the_run_count_and_keeps_the_runs(qtbot, store, runs):
    finished, _ = runs
    page = TasksPage(store)
    qtbot.addWidget(page)
    page.show()
    exported = export_behavior(store, finished.run_id, "text")
    seen = []
    answer_next_box(qtbot, QMessageBox.StandardButton.No, seen)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert seen and "2 run(s) used this task" in seen[0] and "can no longer be resumed" in seen[0]
    assert page.list.count() == 1  # No: nothing deleted
    answer_next_box(qtbot, QMessageBox.StandardButton.Yes, seen)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert page.list.count() == 0 and DatasetRepository(store).list() == []
    assert export_behavior(store, finished.run_id, "text") == exported


def test_a_task_a_run_is_using_is_not_deleted_and_the_page_says_why(qtbot, store, runs):
    finished, _ = runs
    store.execute("UPDATE runs SET status = 'running' WHERE id = ?", (finished.run_id,))
    page = TasksPage(store)
    qtbot.addWidget(page)
    page.show()
    seen = []
    answer_next_box(qtbot, QMessageBox.StandardButton.Yes, seen)  # the question
    QTimer.singleShot(300, lambda: answer_next_box(qtbot, QMessageBox.StandardButton.Ok, seen))  # the error
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 2 and "going on now" in seen[1]
    assert page.list.count() == 1
