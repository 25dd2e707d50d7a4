"""A behavior that asks no model (the most common answer) has no time per answer: where the app
would show one (the Playground's answer, the model comparison's speed) it says "no model call"
instead of a number that is not its own."""

import pytest
from PySide6.QtCore import Qt
from run_helpers import drain
from test_most_common import third_task
from test_optimizer_run import CFG, SPEED

from debop_desktop.core import messages
from debop_desktop.core.compare.cells import COLUMNS, row_cells
from debop_desktop.core.compare.outcome import run_outcome
from debop_desktop.core.compare.table import ComparisonRow
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.llm.fake import ScriptedBackend
from debop_desktop.core.optimizer.run import run_optimization
from debop_desktop.ui.playground_page import PlaygroundPage


@pytest.fixture
def kept_rule(store, tiny_gguf):
    """A finished run with the tiny GGUF that keeps the most common answer ('no' to every question)."""
    model_id = ModelLibrary(store).add(tiny_gguf).record.id
    d, _ = third_task(store)
    _, result = drain(run_optimization(store, ScriptedBackend(["yes"]), d.id, CFG, tokens_per_second=SPEED,
                                       model_id=model_id))
    assert result.shipped == "most_common"
    return result.run_id


def test_the_playground_says_no_model_call_for_the_rule_and_a_time_for_the_prompt(qtbot, store, kept_rule):
    page = PlaygroundPage(store)
    qtbot.addWidget(page)
    page.show()
    page.question.setPlainText("")
    qtbot.keyClicks(page.question, "Is 9 a multiple of three?")
    qtbot.mouseClick(page.ask_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy, timeout=60000)
    assert page.panes["tuned"].answer.text() == "Answer: <b>no</b> (no model call)"
    untuned = page.panes["untuned"].answer.text()
    assert untuned.startswith("Answer: ") and untuned.endswith(" s)")  # plain prompting asked the model


def test_the_comparison_says_no_model_call_where_the_kept_rule_has_no_speed(store, kept_rule, runs):
    speed = COLUMNS.index("Answers/s")
    cells = row_cells(ComparisonRow(0, None, "tiny", None, None, None, run_outcome(store, kept_rule)))
    assert cells[3] == messages.BASELINE_CHOICES["most_common"] and cells[speed] == messages.COMPARE_NO_MODEL_CALL
    tuned = row_cells(ComparisonRow(1, None, "tiny", None, None, None, run_outcome(store, runs[0].run_id)))
    assert float(tuned[speed]) > 0  # a behavior that asks the model keeps its number
