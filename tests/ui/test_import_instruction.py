"""The import wizard fills in a suggested instruction (from the scoring rule and the answers);
the person can edit it, and what they leave there is what the task stores."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QWizard

from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.ui.import_wizard import ImportWizard
from debop_desktop.ui.tasks_page import TasksPage

SUGGESTED = "Read the text and choose the label that fits it: high or low."


def tickets(tmp_path):
    path = tmp_path / "tickets.csv"
    rows = [(f"Printer {i} is on fire" if i % 3 == 0 else f"Mouse {i} is squeaky", "high" if i % 3 == 0 else "low")
            for i in range(40)]
    path.write_text("ticket;urgency\n" + "".join(f"{q};{a}\n" for q, a in rows), encoding="utf-8")
    return path


def open_wizard(qtbot, store, path):
    page = TasksPage(store)
    qtbot.addWidget(page)
    wizard = ImportWizard(store, page)
    page.import_file(wizard)
    qtbot.waitExposed(wizard)
    qtbot.keyClicks(wizard.file_page.path, str(path))
    return wizard


def press_next(qtbot, wizard):
    which = QWizard.WizardButton.CommitButton if wizard.currentPage().isCommitPage() else \
        QWizard.WizardButton.NextButton
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def finish(qtbot, wizard):
    while wizard.currentPage() is not wizard.progress_page:
        press_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.progress_page.done, timeout=10000)
    assert wizard.dataset_id is not None, wizard.progress_page.status.text()
    return DatasetRepository(wizard.store).get(wizard.dataset_id)


def test_the_suggested_instruction_is_shown_and_an_edit_is_stored(qtbot, store, tmp_path):
    wizard = open_wizard(qtbot, store, tickets(tmp_path))
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    scoring = wizard.scoring_page
    assert wizard.currentPage() is scoring
    assert scoring.instruction.toPlainText() == SUGGESTED and scoring.instruction_hint.isVisibleTo(wizard)
    # another scoring rule while the suggestion is untouched: its own suggestion
    scoring.scorer.setCurrentIndex(scoring.scorer.findData("exact"))
    assert scoring.instruction.toPlainText() == "Answer the question briefly."
    scoring.scorer.setCurrentIndex(scoring.scorer.findData("label"))
    assert scoring.instruction.toPlainText() == SUGGESTED
    # the person edits it: typed at the end, and it is theirs from then on
    scoring.instruction.setFocus()
    scoring.instruction.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(scoring.instruction, " Fire is always high.")
    assert not scoring.instruction_hint.isVisibleTo(wizard)
    scoring.scorer.setCurrentIndex(scoring.scorer.findData("exact"))
    scoring.scorer.setCurrentIndex(scoring.scorer.findData("label"))
    assert scoring.instruction.toPlainText() == SUGGESTED + " Fire is always high."
    d = finish(qtbot, wizard)
    assert d.instruction == SUGGESTED + " Fire is always high."


def test_an_untouched_suggestion_is_stored(qtbot, store, tmp_path):
    wizard = open_wizard(qtbot, store, tickets(tmp_path))
    assert finish(qtbot, wizard).instruction == SUGGESTED
