"""Issue 20: choosing another run in the Playground leaves none of the previous run's answers
under the new run's heading, and the status bar names the model that is actually loaded."""

import pytest
from message_boxes import answer_next_box
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from run_helpers import drain
from simulated_env import simulated_backend
from test_optimizer_run import CFG

from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.llm.host import model_host
from debop_desktop.core.optimizer.run import run_optimization
from debop_desktop.core.tiny_model import write_tiny_gguf
from debop_desktop.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, store, runs, tmp_path):
    """Two finished runs on one task: the newest with 'Tiny Gemma', the other with the tiny Llama."""
    finished, _ = runs
    gemma = write_tiny_gguf(tmp_path / "gemma.gguf", name="Tiny Gemma", seed=7)
    model_id = ModelLibrary(store).add(gemma).record.id
    dataset_id = store.execute("SELECT dataset_id FROM runs WHERE id = ?", (finished.run_id,)).fetchone()[0]
    answers = {e.input: e.answer for e in DatasetRepository(store).examples(dataset_id)}
    drain(run_optimization(store, simulated_backend(answers)[0], dataset_id, CFG, tokens_per_second=40,
                           model_id=model_id))
    w = MainWindow(store, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    w.show_page(w.playground_page)
    return w


def choose(qtbot, combo, text_part):
    """Pick an entry the way a person does: open the list, click the entry."""
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=5000)
    qtbot.wait(400)  # a list ignores a click in its first moments (the one that opened it)
    row = next(i for i in range(combo.count()) if text_part in combo.itemText(i))
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert text_part in combo.currentText()


def ask(qtbot, page, question="What is 2 + 3?"):
    page.question.setFocus()
    page.question.selectAll()
    qtbot.keyClicks(page.question, question)
    qtbot.mouseClick(page.ask_button, Qt.MouseButton.LeftButton)


def test_switching_runs_clears_the_answers_and_the_status_names_the_loaded_model(qtbot, window):
    page, status = window.playground_page, window.model_status
    assert page.run_box.count() == 2 and "Tiny Gemma" in page.run_box.currentText()  # newest first
    ask(qtbot, page)
    qtbot.waitUntil(lambda: not page.busy, timeout=60000)
    assert status.text() == "Model loaded for the playground: Tiny Gemma"
    assert all(p.text.toPlainText() and p.answer.text().startswith("Answer: ") for p in page.panes.values())

    choose(qtbot, page.run_box, "Tiny Random Llama")
    for pane in page.panes.values():  # nothing of the Gemma run's answers under the new heading
        assert pane.text.toPlainText() == "" and pane.answer.text() == ""

    at_first_words = []
    page._chunk.connect(lambda side, text: at_first_words.append(status.text()))
    seen = []
    answer_next_box(qtbot, QMessageBox.StandardButton.Yes, seen)  # "Load another model?"
    ask(qtbot, page)
    qtbot.waitUntil(lambda: not page.busy, timeout=60000)
    assert seen and "Tiny Gemma" in seen[0]
    assert model_host().loaded_name == "Tiny Random Llama"
    # named as soon as it is loaded, not once both answers are written
    assert at_first_words and at_first_words[0] == "Model loaded for the playground: Tiny Random Llama"
    assert status.text() == "Model loaded for the playground: Tiny Random Llama"


def test_an_answer_being_written_never_lands_under_another_run(qtbot, window, monkeypatch):
    errors = []
    monkeypatch.setattr("debop_desktop.ui.playground_page.show_error", lambda parent, exc: errors.append(exc))
    page = window.playground_page
    ask(qtbot, page)
    assert page.busy
    choose(qtbot, page.run_box, "Tiny Random Llama")
    assert not page.busy and page.ask_button.isEnabled()  # the old question was stopped
    qtbot.waitUntil(lambda: model_host().busy_with() == [] and model_host().loaded_name is not None, timeout=60000)
    qtbot.wait(300)  # whatever the stopped question still had to say has arrived by now
    for pane in page.panes.values():
        assert pane.text.toPlainText() == "" and pane.answer.text() == ""
    assert errors == []


def test_say_hello_with_another_model_updates_the_status_bar(qtbot, window):
    page = window.playground_page
    ask(qtbot, page)
    qtbot.waitUntil(lambda: not page.busy, timeout=60000)
    assert window.model_status.text() == "Model loaded for the playground: Tiny Gemma"
    models = window.models_page
    window.show_page(models)
    row = next(r for r in range(models.table_model.rowCount())
               if models.table_model.index(r, 0).data() == "Tiny Random Llama")
    models.table.selectRow(row)
    seen = []
    answer_next_box(qtbot, QMessageBox.StandardButton.Yes, seen)  # "Load another model?"
    qtbot.mouseClick(models.details.hello_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: models.details.hello_button.isEnabled(), timeout=60000)
    assert seen and model_host().loaded_name == "Tiny Random Llama"
    assert window.model_status.text() == "Model loaded (Say hello): Tiny Random Llama"  # not Gemma any more


def test_what_the_page_said_of_one_run_goes_when_another_is_chosen(qtbot, store, window):
    page = window.playground_page
    choose(qtbot, page.run_box, "Tiny Random Llama")
    ModelLibrary(store).remove("Tiny Random Llama")  # the run's model is gone
    ask(qtbot, page)
    assert "removed from the library" in page.status.text() and not page.busy
    choose(qtbot, page.run_box, "Tiny Gemma")
    assert page.status.text() == ""
