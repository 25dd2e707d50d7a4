"""Issue 25 (part): the "What ships" tab shows the behavior the app keeps as the model receives
it (its turns and the form of each question, or its rule), not only the search's best try."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from run_helpers import drain  # noqa: E402
from test_optimizer_run import CFG, SPEED, make_dataset  # noqa: E402
from test_optimizer_shipping import scripted  # noqa: E402

from debop_desktop.core.optimizer.run import run_optimization  # noqa: E402
from debop_desktop.ui.results_page import ResultsPage  # noqa: E402


def test_what_ships_shows_the_kept_prompt_and_marks_the_search_best_as_unused(qtbot, store):
    d, answers = make_dataset(store)
    _, result = drain(run_optimization(store, scripted(answers), d.id, CFG, tokens_per_second=SPEED))
    assert result.shipped == "direct"
    page = ResultsPage(store)
    qtbot.addWidget(page)
    page.show()
    shown = page.demo.toPlainText()
    assert "What the app uses: Plain prompting" in shown
    assert "Then each question, in this form" in shown and "{question}" in shown
    assert "Add the numbers." in shown  # the task's instruction, as the model gets it
    kept_at, unused_at = shown.index("What the app uses"), shown.index("the app does not use it")
    assert kept_at < unused_at
