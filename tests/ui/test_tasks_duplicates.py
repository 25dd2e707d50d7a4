"""Issue 14: after import, the Tasks page says which questions repeat, shows them, and removes
the extra copies after asking (real SQLite, real buttons, real message boxes)."""

from message_boxes import answer_next_box
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QMessageBox

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.ui.tasks_page import TasksPage

CLICK = Qt.MouseButton.LeftButton


def dosing_task(store):
    """60 yes/no questions; five of them a second time: 3 across learn-from and final exam, 2 within one group."""
    rows = [NewExample(f"Is {10 * i} mg of drug {i} safe?", ("yes", "no")[i % 2], ("train", "dev", "test")[i % 3])
            for i in range(60)]
    repeats = [(0, "test"), (3, "test"), (6, "test"), (1, "dev"), (4, "dev")]  # questions 0,3,6 are train
    rows += [NewExample(rows[i].input.upper(), rows[i].answer, split) for i, split in repeats]
    return DatasetRepository(store).create(name="dosing", scorer="yes_no", answer_type="yes_no", examples=rows)


def page_for(qtbot, store):
    page = TasksPage(store)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_the_page_says_which_questions_repeat_and_shows_them(qtbot, store):
    dosing_task(store)
    page = page_for(qtbot, store)
    bar = page.duplicates
    assert bar.isVisible() and bar.label.text() == (
        "5 questions appear twice. 3 of them are both in the final exam and in the examples used while tuning, so "
        "the final exam looks easier than it is.")
    assert page.model.rowCount() == 65
    qtbot.mouseClick(bar.show_button, CLICK)
    shown = [page.model.rows[r].input.casefold() for r in range(page.model.rowCount())]
    assert len(shown) == 10 and shown[0] == shown[1] == "is 0 mg of drug 0 safe?"  # copies side by side
    assert bar.show_button.text() == "Show every example" and not page.model.canFetchMore(page.model.index(-1, -1))
    qtbot.mouseClick(bar.show_button, CLICK)
    assert page.model.rowCount() == 65 and bar.show_button.text() == "Show them"


def test_remove_asks_first_then_keeps_one_copy_and_changes_nothing_else(qtbot, store):
    d = dosing_task(store)
    repo = DatasetRepository(store)
    before = {e.id: e for e in repo.examples(d.id)}
    page = page_for(qtbot, store)
    seen = []
    answer_next_box(qtbot, QMessageBox.StandardButton.No, seen)
    qtbot.mouseClick(page.duplicates.remove_button, CLICK)
    assert seen and "Delete 5 repeated row(s) from 'dosing'?" in seen[0] and "examples to learn from" in seen[0]
    assert repo.get(d.id).size == 65  # No: nothing removed
    answer_next_box(qtbot, QMessageBox.StandardButton.Yes, seen)
    qtbot.mouseClick(page.duplicates.remove_button, CLICK)
    after = {e.id: e for e in repo.examples(d.id)}
    assert len(after) == 60 and all(before[i] == e for i, e in after.items())  # the rest exactly as it was
    assert sorted(e.split for e in after.values()) == sorted(("train", "dev", "test")[i % 3] for i in range(60))
    assert all(e.input == e.input.capitalize() for e in after.values())  # the upper-case copies went
    assert page.model.rowCount() == 60 and page.list.currentItem().text() == "dosing  (60)"
    assert page.duplicates.label.text() == "Removed 5 repeated row(s); every question now appears once."
    assert not page.duplicates.remove_button.isVisible()


def test_rows_a_run_answered_stay_and_the_page_says_why(qtbot, store, runs):
    finished, _ = runs
    repo = DatasetRepository(store)
    [task] = repo.list()
    answered = store.execute("SELECT example_id FROM evaluations WHERE run_id = ? AND split = 'test' LIMIT 1",
                             (finished.run_id,)).fetchone()[0]
    original = next(e for e in repo.examples(task.id) if e.id == answered)
    repo.add_example(task.id, NewExample(original.input, original.answer, "train"))  # the train copy would stay
    page = page_for(qtbot, store)
    assert page.duplicates.isVisible() and page.duplicates.label.text().startswith("1 question appears twice.")
    seen = []
    answer_next_box(qtbot, QMessageBox.StandardButton.Yes, seen)
    QTimer.singleShot(300, lambda: answer_next_box(qtbot, QMessageBox.StandardButton.Ok, seen))
    qtbot.mouseClick(page.duplicates.remove_button, CLICK)
    assert len(seen) == 2 and "already answered some of the repeated rows" in seen[1]
    assert repo.get(task.id).size == task.size + 1 and page.duplicates.remove_button.isVisible()


def test_a_task_without_repeats_shows_no_line_and_the_group_is_chosen_in_plain_words(qtbot, store):
    repo = DatasetRepository(store)
    d = repo.create(name="clean", examples=[NewExample(f"q{i}", "a", ("train", "dev", "test")[i % 3])
                                            for i in range(9)])
    page = page_for(qtbot, store)
    assert not page.duplicates.isVisible()
    index = page.model.index(0, 0)
    qtbot.mouseClick(page.table.viewport(), CLICK, pos=page.table.visualRect(index).center())
    qtbot.mouseDClick(page.table.viewport(), CLICK, pos=page.table.visualRect(index).center())
    qtbot.waitUntil(lambda: any(w.isVisible() for w in page.table.findChildren(QComboBox)))
    [editor] = [w for w in page.table.findChildren(QComboBox) if w.isVisible()]  # the cell's editor
    assert [editor.itemText(i) for i in range(editor.count())] == [
        "examples to learn from", "examples to check with", "final exam"]
    qtbot.keyClick(editor, Qt.Key.Key_Down)  # one step down: chosen, saved, and the editor closes
    assert repo.examples(d.id)[0].split == "dev" and page.model.data(index) == "examples to check with"
    assert not any(w.isVisible() for w in page.table.findChildren(QComboBox))
