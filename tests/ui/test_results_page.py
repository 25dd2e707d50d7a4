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
