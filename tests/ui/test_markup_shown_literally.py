"""Issue 20 part 3 items 3 and 4: a task full of markup is shown as typed on every page (Qt
reads a label or a tooltip that looks like HTML as HTML: an <h1> drawn huge, <img src=x> a
broken picture), and the answers on Results are the task's own labels, not normalized."""

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtGui import QTextDocument
from run_helpers import drain
from simulated_env import SimulatedModel
from test_optimizer_run import CFG  # tests/core, put on the path by tests/ui/conftest.py

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.llm.fake import ScriptedBackend
from debop_desktop.core.optimizer.run import run_optimization
from debop_desktop.ui.optimize_page import OptimizePage
from debop_desktop.ui.playground_page import PlaygroundPage
from debop_desktop.ui.results_page import ResultsPage
from debop_desktop.ui.tasks_page import TasksPage

LABELS = ["<b>yes</b>", "{{ 7*7 }}", "&amp;"]
NAME = "<h1>big</h1> task"
INSTRUCTION = "<img src=x> Pick the label &amp; nothing else."


def seen(text: str, text_format=Qt.TextFormat.AutoText) -> str:
    """What a person reads where Qt shows `text` in `text_format` (AutoText: Qt guesses)."""
    rich = text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and QtGui.mightBeRichText(text))
    if not rich:
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def label_seen(label) -> str:
    return seen(label.text(), label.textFormat())


class RightLabels(SimulatedModel):
    """The simulated model, but a filled plan always ends in the question's own label."""

    def _execute(self, question, messages):
        return json.dumps({"Read the question": "done", "Answer": self.answers.get(question, LABELS[0])})


@pytest.fixture
def markup_run(store, tiny_gguf):
    model_id = ModelLibrary(store).add(tiny_gguf).record.id
    questions = [f"<h1>big</h1> ticket {i}\n<img src=x> &amp; <b>yes</b>" for i in range(90)]
    truth = {q: LABELS[0] if i % 2 else LABELS[1 + (i // 2) % 2] for i, q in enumerate(questions)}
    examples = [NewExample(q, truth[q], ("train", "dev", "test")[i % 3]) for i, q in enumerate(questions)]
    d = DatasetRepository(store).create(name=NAME, instruction=INSTRUCTION, examples=examples, scorer="label",
                                        answer_type="label", scorer_options={"labels": LABELS})
    backend = ScriptedBackend(RightLabels(truth), fingerprint="sim:labels")
    _, result = drain(run_optimization(store, backend, d.id, CFG, tokens_per_second=40, model_id=model_id))
    # every filled plan is right, with or without the demonstration: the simpler, a plan followed alone, ships
    assert result.status == "finished" and result.shipped == "zero_shot_plan"
    return d, result, truth


def test_the_tasks_page_shows_the_task_as_typed(qtbot, store, markup_run):
    tasks = TasksPage(store)
    qtbot.addWidget(tasks)
    info = label_seen(tasks.info)
    assert NAME in info and INSTRUCTION in info
    for row in range(3):
        for column in (1, 2):
            index = tasks.model.index(row, column)
            raw = index.data(Qt.ItemDataRole.DisplayRole)
            assert seen(index.data(Qt.ItemDataRole.ToolTipRole)) == raw  # before: a heading and a broken image


def test_the_optimize_page_quotes_the_last_run_as_typed(qtbot, store, markup_run):
    _d, result, _truth = markup_run
    optimize = OptimizePage(store)
    qtbot.addWidget(optimize)
    headline = label_seen(optimize.stage)  # before: 'yes' in bold, the tags gone (and '<b>yes< b>')
    assert headline.startswith(f"Your last run (run {result.run_id}") and f"'{LABELS[0]}'" in headline


def test_results_show_the_task_and_its_labels_as_typed(qtbot, store, markup_run):
    results = ResultsPage(store)
    qtbot.addWidget(results)
    task_cell = results.runs_model.index(0, 2)
    assert seen(task_cell.data(Qt.ItemDataRole.ToolTipRole)) == task_cell.data() == NAME
    examples = results.examples_model
    assert examples.rowCount() > 0
    for row in range(examples.rowCount()):
        question, expected, _before, after = (examples.index(row, c) for c in range(4))
        assert seen(question.data(Qt.ItemDataRole.ToolTipRole)) == question.data()
        assert seen(expected.data(Qt.ItemDataRole.ToolTipRole)) == expected.data() in LABELS
        assert seen(after.data(Qt.ItemDataRole.ToolTipRole)) == after.data()
    after = {examples.index(r, 3).data() for r in range(examples.rowCount())}
    assert after == set(LABELS)  # before: '<b>yes< b>', '7 7', 'amp'


def test_the_playground_shows_the_expected_answer_as_typed(qtbot, store, markup_run, monkeypatch):
    _d, _result, truth = markup_run
    playground = PlaygroundPage(store)
    qtbot.addWidget(playground)
    monkeypatch.setattr("debop_desktop.ui.playground_page.random.choice",  # a question answered in markup
                        lambda examples: next(e for e in examples if e.answer == LABELS[0]))
    playground.use_test_question()
    question = playground.question.toPlainText()
    assert truth[question] == LABELS[0]
    assert label_seen(playground.expected) == f"Expected answer (from the final exam): {LABELS[0]}"
