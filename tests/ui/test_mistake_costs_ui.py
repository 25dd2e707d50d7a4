"""Issue 25: mistake costs in the window. The import wizard and the Tasks page's editor are driven
by clicks and typing; the Mistakes tab of a run whose kept behavior misses the costly label
counts the costly mistakes and highlights their cell."""

import sys
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QWizard

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from run_helpers import drain  # noqa: E402
from test_mistake_costs import CONFIG, LABELS, triage  # noqa: E402
from test_optimizer_run import SPEED  # noqa: E402

from debop_desktop.core.costs import parse_costs, set_task_costs, task_costs  # noqa: E402
from debop_desktop.core.llm.fake import ScriptedBackend  # noqa: E402
from debop_desktop.core.optimizer.run import run_optimization  # noqa: E402
from debop_desktop.ui.import_wizard import ImportWizard  # noqa: E402
from debop_desktop.ui.mistakes_view import COSTLY  # noqa: E402
from debop_desktop.ui.results_page import ResultsPage  # noqa: E402
from debop_desktop.ui.tasks_page import TasksPage  # noqa: E402


def shot(widget, path):
    """What a person sees, drawn to a PNG (looked at when the view changes)."""
    assert widget.grab().save(str(path))


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def retype(qtbot, field, text):
    """Select what the field holds and type over it, as a person would."""
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)


def test_the_wizard_keeps_the_costs_typed_on_its_scoring_step(qtbot, store, tmp_path):
    path = tmp_path / "triage.csv"
    path.write_text("note,priority\n" + "".join(
        f"Note {i} {'chest pain' if i % 3 == 0 else 'repeat prescription'},{'urgent' if i % 3 == 0 else 'routine'}\n"
        for i in range(60)), encoding="utf-8")
    page = TasksPage(store)
    qtbot.addWidget(page)
    wizard = ImportWizard(store, page)
    page.import_file(wizard)
    qtbot.waitExposed(wizard)
    wizard.file_page.path.setText(str(path))
    for _ in range(2):
        click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    scoring = wizard.scoring_page
    assert wizard.currentPage() is scoring and scoring.costs_toggle.isVisible()
    assert not scoring.costs_editor.isVisible()  # optional: folded away until asked for
    box = scoring.costs_toggle  # a click on its box (a wide check box takes clicks on its box and words only)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))
    assert scoring.costs_editor.isVisible()
    field = scoring.costs_editor.field("urgent", "routine")
    retype(qtbot, field, "lots")
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.currentPage() is scoring  # refused, with the reason
    assert scoring.problem.text() == "The cost of urgent>routine must be a number, like 5; 'lots' is not."
    retype(qtbot, field, "5")
    shot(wizard, tmp_path / "wizard_costs.png")
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.currentPage() is wizard.split_page
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    click(qtbot, wizard.button(QWizard.WizardButton.CommitButton))
    qtbot.waitUntil(lambda: wizard.progress_page.done, timeout=10000)
    costs = task_costs(store, wizard.dataset_id)
    assert costs.pairs == {("urgent", "routine"): 5.0}


def test_the_tasks_page_editor_saves_costs_and_refuses_a_negative_one(qtbot, store, tmp_path):
    d = triage(store)
    page = TasksPage(store)
    qtbot.addWidget(page)
    page.show()
    assert page.costs_button.isEnabled()
    click(qtbot, page.costs_button)
    dialog = page.findChild(type(page.edit_costs()))  # the dialog the click opened
    qtbot.waitExposed(dialog)
    field = dialog.editor.field("urgent", "routine")
    assert field.text() == "1"
    retype(qtbot, field, "-2")
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    click(qtbot, save)
    assert dialog.isVisible() and "cannot be below 0" in dialog.problem.text()
    assert not task_costs(store, d.id).is_set
    retype(qtbot, field, "4")
    retype(qtbot, dialog.editor.field("routine", "urgent"), "0.5")
    shot(dialog, tmp_path / "costs_dialog.png")
    click(qtbot, save)
    assert not dialog.isVisible()
    assert task_costs(store, d.id).pairs == {("urgent", "routine"): 4.0, ("routine", "urgent"): 0.5}
    assert "Mistake costs: missing urgent (answered routine) counts 4 times; missing routine (answered urgent) " \
           "counts 0.5 times." in page.info.text()


def test_the_mistakes_tab_counts_the_costly_misses_and_lists_a_cells_questions(qtbot, store, tmp_path):
    d = triage(store)
    set_task_costs(store, d.id, parse_costs("urgent>routine=5", LABELS))
    _, result = drain(run_optimization(store, ScriptedBackend(["routine"]), d.id, CONFIG, tokens_per_second=SPEED))
    assert result.status == "finished"
    page = ResultsPage(store)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.tabs.setCurrentIndex(page.tabs.indexOf(page.mistakes.parentWidget().parentWidget()))
    view = page.mistakes
    missed = int(view.table.item(0, 1).text())  # right answer 'urgent', given 'routine'
    assert missed > 0 and view.table.item(0, 0).text() == "0"
    assert f"urgent: 0 of {missed} caught, {missed} answered routine" in view.summary.text()
    assert view.costly.isVisible() and view.costly.text() == f"{missed} costly mistakes: urgent answered routine"
    assert view.table.item(0, 1).background().color() == COSTLY and view.table.item(0, 1).font().bold()
    assert view.table.item(1, 0).background().color() != COSTLY  # routine answered urgent: no cost set
    assert view.table.item(0, 1).toolTip() == "A costly mistake: counts 5 times."
    cell = view.table.visualRect(view.table.model().index(0, 1)).center()
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    listed = [view.cell_questions.item(i).text() for i in range(view.cell_questions.count())]
    assert len(listed) == missed and all("chest pain" in q for q in listed)
    shot(page, tmp_path / "mistakes_costly.png")
