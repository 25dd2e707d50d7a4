"""Drive the import wizard on real files, page by page, as a person would."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWizard

from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.ui.import_wizard import ImportWizard
from debop_desktop.ui.tasks_page import ExampleDialog, TasksPage


def write_csv(path, rows):
    path.write_text("ticket;urgency;comment\n" + "".join(f"{q};{a};c\n" for q, a in rows), encoding="utf-8")
    return path


def start(qtbot, store, path):
    page = TasksPage(store)
    qtbot.addWidget(page)
    wizard = ImportWizard(store, page)
    page.import_file(wizard)
    qtbot.waitExposed(wizard)
    wizard.file_page.path.setText(str(path))
    return page, wizard


def press(qtbot, wizard, which=QWizard.WizardButton.NextButton):
    """Click Next (or Import on the last check) as a person would; a refused Next stays put."""
    button = wizard.button(which)
    if which == QWizard.WizardButton.NextButton and wizard.currentPage().isCommitPage():
        button = wizard.button(QWizard.WizardButton.CommitButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_wizard_imports_a_csv_with_suggested_columns_and_scorer(qtbot, store, tmp_path):
    rows = [(f"Printer {i} is on fire" if i % 3 == 0 else f"Mouse {i} is squeaky", "high" if i % 3 == 0 else "low")
            for i in range(40)]
    page, wizard = start(qtbot, store, write_csv(tmp_path / "tickets.csv", rows))
    press(qtbot, wizard)
    assert wizard.currentPage() is wizard.columns_page
    cols = wizard.columns_page
    assert cols.preview.rowCount() == 5 and cols.preview.item(0, 0).text() == "Printer 0 is on fire"
    assert cols.answer.currentText() == "urgency" and cols.mapping().input_columns == ["ticket"]
    assert cols.notes.currentText() == "comment"
    press(qtbot, wizard)
    assert wizard.currentPage() is wizard.scoring_page
    assert wizard.scoring_page.scorer.currentData() == "label" and wizard.scoring_page.name.text() == "tickets"
    assert wizard.scoring_page.explain.text()  # one sentence on how answers are judged
    wizard.scoring_page.instruction.setPlainText("Classify the ticket's urgency.")
    press(qtbot, wizard)
    wizard.split_page.train.setValue(50)
    assert not wizard.split_page.isComplete()  # 50/20/20 does not add up
    wizard.split_page.dev.setValue(30)
    assert wizard.split_page.isComplete() and "40 examples" in wizard.split_page.counts.text()
    press(qtbot, wizard)
    assert "No problems found" in wizard.report_page.report.text() and wizard.report_page.isComplete()
    press(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.progress_page.done, timeout=10000)
    d = DatasetRepository(store).get(wizard.dataset_id)
    assert (d.name, d.size, d.scorer, d.instruction) == ("tickets", 40, "label", "Classify the ticket's urgency.")
    assert d.counts == {"train": 20, "dev": 12, "test": 8}
    assert d.scorer_options["labels"] == ["high", "low"]
    assert page.current_id() == d.id and page.model.rowCount() == 40
    assert "Imported “tickets”: 40 examples" in wizard.progress_page.status.text()


def test_a_malformed_file_stops_on_the_first_page_with_a_plain_message(qtbot, store, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text('q,a\n"unclosed,1\n', encoding="utf-8")
    _page, wizard = start(qtbot, store, bad)
    press(qtbot, wizard)
    assert wizard.currentPage() is wizard.file_page
    assert "line" in wizard.file_page.problem.text().lower()
    assert DatasetRepository(store).list() == []


def test_rows_without_answers_block_until_the_person_chooses_to_leave_them_out(qtbot, store, tmp_path):
    rows = [(f"What is {i} + 1?", str(i + 1) if i % 10 else "") for i in range(30)]
    _page, wizard = start(qtbot, store, write_csv(tmp_path / "sums.csv", rows))
    for _ in range(4):
        press(qtbot, wizard)
    report = wizard.report_page
    assert wizard.currentPage() is report
    assert "3 row(s) have no expected answer" in report.report.text() and not report.isComplete()
    assert report.skip.isVisibleTo(wizard)
    press(qtbot, wizard)  # refused: nothing imported
    assert wizard.currentPage() is report and DatasetRepository(store).list() == []
    qtbot.mouseClick(report.skip, Qt.MouseButton.LeftButton, pos=QPoint(8, report.skip.height() // 2))
    press(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.progress_page.done, timeout=10000)
    d = DatasetRepository(store).get(wizard.dataset_id)
    assert d.size == 27 and d.scorer == "number"
    assert "3 row(s) with problems were left out" in wizard.progress_page.status.text()


def test_the_same_column_cannot_be_question_and_answer(qtbot, store, tmp_path):
    _page, wizard = start(qtbot, store, write_csv(tmp_path / "t.csv", [("a", "b")] * 5))
    press(qtbot, wizard)
    cols = wizard.columns_page
    cols.inputs.item(1).setCheckState(Qt.CheckState.Checked)  # 'urgency', also the answer
    press(qtbot, wizard)
    assert wizard.currentPage() is cols and "both the question and the answer" in cols.problem.text()


def test_add_and_delete_a_single_example(qtbot, store, tmp_path):
    page, wizard = start(qtbot, store, write_csv(tmp_path / "t.csv", [(f"q{i}", f"a{i}") for i in range(10)]))
    for _ in range(5):
        press(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.progress_page.done, timeout=10000)
    dialog = ExampleDialog(page)
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.question.setPlainText("A new question")
    dialog.answer.setText("a new answer")
    dialog.split.setCurrentIndex(dialog.split.findData("dev"))  # shown as "examples to check with"
    dialog.accept()
    page.add_example(dialog)
    d = DatasetRepository(store).get(page.current_id())
    assert d.size == 11 and page.model.rowCount() == 11
    assert page.model.rows[-1].input == "A new question" and page.model.rows[-1].split == "dev"
    page.table.selectRow(0)
    page.delete_example()
    assert DatasetRepository(store).get(d.id).size == 10 and page.model.rows[0].input == "q1"


def test_steps_are_numbered_and_the_file_is_previewed_on_step_one(qtbot, store, tmp_path):
    _page, wizard = start(qtbot, store, write_csv(tmp_path / "t.csv", [(f"q{i}", f"a{i}") for i in range(40)]))
    assert wizard.currentPage().title().startswith("Step 1 of 5")
    preview = wizard.file_page.preview.toPlainText().splitlines()
    assert preview[0] == "ticket;urgency;comment" and preview[1] == "q0;a0;c" and len(preview) == 8
    press(qtbot, wizard)
    assert wizard.currentPage().title().startswith("Step 2 of 5")


def test_repeated_questions_are_explained_before_import_and_removed(qtbot, store, tmp_path):
    rows = [(f"Is dose {i % 30} safe?", "yes" if i % 2 else "no") for i in range(45)]  # 15 repeat a question
    page, wizard = start(qtbot, store, write_csv(tmp_path / "doses.csv", rows))
    for _ in range(3):
        press(qtbot, wizard)
    wizard.split_page.test.setValue(40)
    wizard.split_page.train.setValue(40)
    press(qtbot, wizard)
    report = wizard.report_page
    assert wizard.currentPage() is report
    assert report.repeats.isVisible() and "15 row(s) repeat a question" in report.repeats.text()
    assert "look better than they really are" in report.repeats.text()
    assert "would land in two of the three groups" in report.repeats.text()  # said before importing
    assert report.remove_repeats.isVisible() and report.remove_repeats.isChecked()
    cancel = wizard.button(QWizard.WizardButton.CancelButton)
    assert cancel.isEnabled()
    press(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.progress_page.done, timeout=10000)
    d = DatasetRepository(store).get(wizard.dataset_id)
    assert d.size == 30 and "15 repeated row(s) were left out" in wizard.progress_page.status.text()
    assert "appear in more than one split" not in wizard.progress_page.status.text()
    assert not cancel.isEnabled()  # imported: only Finish is left


def test_repeated_questions_can_be_kept(qtbot, store, tmp_path):
    rows = [(f"Is dose {i % 30} safe?", "yes") for i in range(40)]
    _page, wizard = start(qtbot, store, write_csv(tmp_path / "doses.csv", rows))
    for _ in range(4):
        press(qtbot, wizard)
    box = wizard.report_page.remove_repeats
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))  # on the tick box
    assert not wizard.report_page.remove_repeats.isChecked()
    press(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.progress_page.done, timeout=10000)
    assert DatasetRepository(store).get(wizard.dataset_id).size == 40


def test_a_small_final_exam_is_pointed_out_on_the_split_step(qtbot, store, tmp_path):
    _page, wizard = start(qtbot, store, write_csv(tmp_path / "t.csv", [(f"q{i}", f"{i}") for i in range(60)]))
    for _ in range(3):
        press(qtbot, wizard)
    assert wizard.currentPage() is wizard.split_page
    assert "final exam would have only 12 questions" in wizard.split_page.counts.text()
