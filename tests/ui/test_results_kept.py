"""Issue 14: when the app keeps a simple prompt rather than the search's best try, the Results
page's runs list and its before/after answers speak of what is kept, as the verdict does."""

import sys
from pathlib import Path

from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from run_helpers import drain  # noqa: E402
from test_optimizer_run import CFG, SPEED, make_dataset  # noqa: E402
from test_optimizer_shipping import scripted  # noqa: E402

from debop_desktop.core.optimizer.report import list_runs, run_view  # noqa: E402
from debop_desktop.core.optimizer.run import run_optimization  # noqa: E402
from debop_desktop.ui.results_page import ResultsPage  # noqa: E402


def test_a_run_that_keeps_plain_prompting_shows_its_score_and_names_it(qtbot, store):
    d, answers = make_dataset(store)
    _, result = drain(run_optimization(store, scripted(answers), d.id, CFG, tokens_per_second=SPEED))
    assert result.shipped == "direct"  # plain prompting: all 12 right; the tuned behavior: none
    [run] = list_runs(store)
    assert (run.kept_test, run.tuned_test) == (1.0, 0.0)
    page = ResultsPage(store)
    qtbot.addWidget(page)
    page.show()
    final_exam = page.runs_model.index(0, 5)
    assert page.runs_model.data(final_exam, Qt.ItemDataRole.DisplayRole) == "100%"  # the kept one's 12 of 12
    assert "what the app keeps" in page.runs_model.headerData(5, Qt.Orientation.Horizontal,
                                                              Qt.ItemDataRole.ToolTipRole)
    assert page.raw_titles["tuned"].text() == "After (plain prompting)"
    assert page.chart.kept == "direct"  # the kept behavior's bar is the dark one
    assert run_view(store, run.id).headline.startswith("No improvement found")
    assert "No improvement found" in page.banner.text()  # the same verdict as the CLI and the Optimize page


def test_a_run_that_keeps_the_most_common_answer_says_so_in_plain_words(qtbot, store):
    from test_most_common import third_task  # noqa: E402

    from debop_desktop.core.llm.fake import ScriptedBackend

    d, _ = third_task(store)
    _, result = drain(run_optimization(store, ScriptedBackend(["yes"]), d.id, CFG, tokens_per_second=SPEED))
    assert result.shipped == "most_common"
    page = ResultsPage(store)
    qtbot.addWidget(page)
    page.show()
    assert page.raw_titles["tuned"].text() == "After (the most common answer)"
    assert page.chart.kept == "most_common"
    import html

    shown = html.unescape(page.banner.text())
    assert "This model did no better than always answering 'no': that gets 8 of 12" in shown
    assert "try a larger one" in shown
