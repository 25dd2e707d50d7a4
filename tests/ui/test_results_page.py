"""The Results page over real runs recorded in the store (made with the simulated model)."""

from pathlib import Path

from debop_desktop.ui.results_page import ResultsPage, RowsModel


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
    changes = {q.change for q in page._example_rows}
    assert total == 12 and changes <= {"fixed", "broken", "unchanged"}
    page.filter.setCurrentText("fixed")
    assert page.examples_model.rowCount() == sum(q.change == "fixed" for q in page._example_rows)
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


def test_raw_outputs_side_by_side_and_compare_two_runs(qtbot, store, runs):
    from run_helpers import drain
    from simulated_env import simulated_backend
    from test_optimizer_run import CFG

    from debop_desktop.core.optimizer.run import run_optimization

    finished, _ = runs
    d_id = store.execute("SELECT dataset_id FROM runs WHERE id = ?", (finished.run_id,)).fetchone()[0]
    answers = {e["input"]: e["answer"] for e in store.db.query("SELECT input, answer FROM examples")}
    _, second = drain(run_optimization(store, simulated_backend(answers)[0], d_id, CFG.with_overrides(seed=9,
                                       max_iterations=4), tokens_per_second=40, preset="quick"))
    page = ResultsPage(store)
    qtbot.addWidget(page)
    select(page, finished.run_id)
    page.examples.selectRow(0)
    q = page.examples_model.keys[0]
    assert page.raw["tuned"].toPlainText() == q.tuned_output and page.raw["direct"].toPlainText() == q.direct_output
    assert page.compare_box.count() == 1 and page.compare_box.currentData() == second.run_id
    text = page.comparison.toPlainText()
    assert "Tuned behavior" in text and "both right" in text and "max_iterations" in text and "seed" in text
