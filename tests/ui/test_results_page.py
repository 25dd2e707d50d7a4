"""The Results page over real runs recorded in the store (made with the simulated model)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from run_helpers import drain  # noqa: E402
from simulated_env import simulated_backend  # noqa: E402
from test_optimizer_run import CFG, make_dataset  # noqa: E402

from debop_desktop.core.llm.base import CancelToken  # noqa: E402
from debop_desktop.core.optimizer.run import run_optimization  # noqa: E402
from debop_desktop.ui.results_page import ResultsPage, RowsModel  # noqa: E402


@pytest.fixture
def runs(store, tiny_gguf):
    from debop_desktop.core.library import ModelLibrary

    model_id = ModelLibrary(store).add(tiny_gguf).record.id  # the model a resume would load
    d, answers = make_dataset(store)
    _, finished = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=40,
                                         model_id=model_id))
    token = CancelToken()
    token.cancel()
    _, cancelled = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, cancel=token,
                                          tokens_per_second=40, model_id=model_id))
    return finished, cancelled


def select(page, run_id):
    row = next(i for i, key in enumerate(page.runs_model.keys) if key.id == run_id)
    page.runs.selectRow(row)


def test_runs_scores_examples_and_export(qtbot, store, runs, tmp_path):
    finished, cancelled = runs
    page = ResultsPage(store)
    qtbot.addWidget(page)
    assert page.runs_model.rowCount() == 2
    select(page, finished.run_id)
    assert {s["method"] for s in page.chart.scores} == {"direct", "zero_shot_cot", "tuned"}
    assert page.export_button.isEnabled() and not page.resume_button.isEnabled()
    total = page.examples_model.rowCount()
    changes = {r[4] for r in page._example_rows}
    assert total == 12 and changes <= {"fixed", "broken", "unchanged"}
    page.filter.setCurrentText("fixed")
    assert page.examples_model.rowCount() == sum(r[4] == "fixed" for r in page._example_rows)
    assert "winning demonstration" in page.demo.toPlainText().lower()
    path = page.export(str(tmp_path / "behavior"), "Ollama Modelfile (*.Modelfile)")
    assert path.endswith(".Modelfile") and "MESSAGE assistant" in Path(path).read_text()
    select(page, cancelled.run_id)
    assert page.resume_button.isEnabled() and not page.export_button.isEnabled()
    with qtbot.waitSignal(page.resume_requested) as signal:
        page.resume_button.click()
    assert signal.args[0] == cancelled.run_id


def test_rows_model_contract(qtmodeltester):
    model = RowsModel(["a", "b"])
    model.set_rows([(1, "x"), (2, "y")], [1, 2])
    qtmodeltester.check(model)
