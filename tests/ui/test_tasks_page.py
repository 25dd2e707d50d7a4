from PySide6.QtCore import Qt

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.ui.tasks_page import PAGE, ExamplesModel, SampleTaskDialog, TasksPage


def big_task(store, n=2000):
    examples = [NewExample(f"question {i}", str(i), ("train", "dev", "test")[i % 3]) for i in range(n)]
    return DatasetRepository(store).create(name="Big", examples=examples, scorer="number").id


def test_examples_load_as_you_scroll_and_edits_are_saved(qtbot, store):
    dataset_id = big_task(store)
    page = TasksPage(store)
    qtbot.addWidget(page)
    model = page.model
    assert model.rowCount() == PAGE and model.canFetchMore(model.index(-1, -1))  # not 2,000 rows at once
    model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 2 * PAGE
    assert model.setData(model.index(3, 2), "999")
    assert DatasetRepository(store).examples(dataset_id, limit=4)[3].answer == "999"
    assert not model.setData(model.index(3, 0), "holdout")  # only train, dev or test
    assert "Answers judged by" in page.info.text() and "never shown while tuning" in page.info.text()


def test_examples_model_contract(qtmodeltester, store):
    big_task(store, 30)
    model = ExamplesModel(DatasetRepository(store))
    model.set_dataset(DatasetRepository(store).list()[0].id)
    qtmodeltester.check(model)


def test_new_sample_export_and_delete(qtbot, store, tmp_path):
    page = TasksPage(store)
    qtbot.addWidget(page)
    assert "No tasks yet" in page.info.text()
    dialog = SampleTaskDialog(page)
    dialog.task.setCurrentIndex(dialog.task.findData("compare_numbers"))
    dialog.n.setValue(60)
    dialog.accept()
    dataset_id = page.new_sample(dialog)
    d = DatasetRepository(store).get(dataset_id)
    assert d.size == 60 and len(d.worked_examples) == 3 and page.model.rowCount() == 60
    path = page.export_current(str(tmp_path / "out.csv"))
    assert path and len((tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()) == 61
    page.delete_current(confirm=False)
    assert DatasetRepository(store).list() == [] and page.list.count() == 0
    assert page.model.data(page.model.index(0, 0), Qt.ItemDataRole.DisplayRole) is None


def test_edit_task_renames_writes_the_instruction_and_changes_the_scorer(qtbot, store, monkeypatch):
    from debop_desktop.ui.tasks_page import EditTaskDialog

    repo = DatasetRepository(store)
    d = repo.create(name="tickets", scorer="exact", examples=[
        NewExample(f"ticket {i}", ("low", "high")[i % 2], ("train", "dev", "test")[i % 3]) for i in range(30)])
    page = TasksPage(store)
    qtbot.addWidget(page)
    dialog = EditTaskDialog(repo.get(d.id), page)
    dialog.name.setText("Urgency")
    dialog.instruction.setPlainText("Say how urgent the ticket is.")
    dialog.scorer.setCurrentIndex(dialog.scorer.findData("label"))
    assert "labels" in dialog.explain.text()
    dialog.accept()
    page.edit_current(dialog)
    after = repo.get(d.id)
    assert (after.name, after.instruction, after.scorer) == ("Urgency", "Say how urgent the ticket is.", "label")
    assert after.scorer_options == {"labels": ["high", "low"]}
    assert "Urgency" in page.list.currentItem().text() and "One label from a set" in page.info.text()
    shown = []
    monkeypatch.setattr("debop_desktop.ui.tasks_page.show_error", lambda parent, exc: shown.append(exc))
    blank = EditTaskDialog(after, page)
    blank.name.setText("  ")
    blank.accept()
    page.edit_current(blank)
    assert shown and repo.get(d.id).name == "Urgency"  # refused with a plain message, nothing changed
