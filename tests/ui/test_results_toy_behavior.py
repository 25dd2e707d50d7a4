"""A kind of behavior added in its own module (tests/toy_behavior.py) shows on the Results page
like the built-in ones: its bar in the chart, marked as what the app keeps, and its name."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
import toy_behavior  # noqa: E402
from run_helpers import drain  # noqa: E402
from test_behaviors import leaning_task  # noqa: E402
from test_optimizer_run import CFG, SPEED  # noqa: E402

from debop_desktop.core.llm.fake import ScriptedBackend  # noqa: E402
from debop_desktop.core.optimizer.run import run_optimization  # noqa: E402
from debop_desktop.ui.results_page import ResultsPage  # noqa: E402


@pytest.fixture
def toy():
    toy_behavior.install()
    yield
    toy_behavior.remove()


def test_the_results_page_shows_a_new_kind_of_behavior(qtbot, store, toy, tmp_path):
    d = leaning_task(store)
    # The toy gives one answer to every question; with the most common answer competing, such a
    # try is no finalist (candidates.finalists), so that behavior sits this run out.
    cfg = CFG.with_overrides(baselines=(*(b for b in CFG.baselines if b != "most_common"), "first_allowed"),
                             test_limit=30)
    _, result = drain(run_optimization(store, ScriptedBackend(["no"]), d.id, cfg, tokens_per_second=SPEED))
    assert result.shipped == "first_allowed"
    page = ResultsPage(store)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    assert page.chart.kept == "first_allowed"
    assert "The first allowed answer (toy)" in page.raw_titles["tuned"].text()
    assert "The first allowed answer (toy)" in page.banner.text()
    page.grab().save(str(tmp_path / "results-toy.png"))
