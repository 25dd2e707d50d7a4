"""The Results page over real runs recorded in the store (made with the simulated model),
used the way a person does: click the buttons, read what is shown."""

import json
from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from debop_desktop.core import messages
from debop_desktop.ui.results_page import ResultsPage, RowsModel


def select(page, run_id):
    row = next(i for i, key in enumerate(page.runs_model.keys) if key.id == run_id)
    page.runs.selectRow(row)


def open_page(qtbot, store, width=1024, height=640):
    page = ResultsPage(store)
    qtbot.addWidget(page)
    page.resize(width, height)
    page.show()
    qtbot.waitExposed(page)
    return page


def click(qtbot, button):
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def set_verdict(store, run_id, verdict):
    """Write (or, with None, remove) the verdict in a run's summary, as the engine records it,
    with the behavior it keeps as what ships."""
    summary = json.loads(store.execute("SELECT summary_json FROM runs WHERE id = ?", (run_id,)).fetchone()[0])
    summary.pop("verdict", None)
    summary.pop("shipped", None)
    if verdict is not None:
        summary["verdict"] = verdict
        summary["shipped"] = {"method": verdict["shipped"]}
    store.execute("UPDATE runs SET summary_json = ? WHERE id = ?", (json.dumps(summary), run_id))


def test_a_finished_run_is_selected_when_the_page_opens(qtbot, store, runs):
    finished, _cancelled = runs
    set_verdict(store, finished.run_id, None)  # a run recorded before the app gave verdicts
    page = open_page(qtbot, store)
    assert page.selected() is not None and page.selected().id == finished.run_id  # not "No results yet"
    assert {"direct", "tuned"} <= {s["method"] for s in page.chart.scores}
    tuned = next(b for b in page.view.baselines if b.method == "tuned")
    assert page.banner.isVisible() and f"got {tuned.correct} of {tuned.n}" in page.banner.text()
    assert "compare the numbers yourself" in page.banner.text() and page.banner.label is None
    assert page.export_button.isEnabled() and not page.resume_button.isEnabled()


def test_export_button_writes_the_file_the_dialog_returned(qtbot, store, runs, tmp_path, monkeypatch):
    page = open_page(qtbot, store)
    target = tmp_path / "behavior"
    monkeypatch.setattr("debop_desktop.ui.results_page.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), "Ollama Modelfile (*.Modelfile)"))
    click(qtbot, page.export_button)
    written = Path(str(target) + ".Modelfile")
    assert written.is_file() and "MESSAGE assistant" in written.read_text()
    assert str(written) in page.hint.text()


def test_export_cancelled_in_the_dialog_writes_nothing(qtbot, store, runs, tmp_path, monkeypatch):
    page = open_page(qtbot, store)
    monkeypatch.setattr("debop_desktop.ui.results_page.QFileDialog.getSaveFileName", lambda *a, **k: ("", ""))
    click(qtbot, page.export_button)
    assert list(tmp_path.glob("run-*")) == [] and page.hint.text() == messages.RESULTS_HINT


def test_questions_filter_and_resume(qtbot, store, runs):
    finished, cancelled = runs
    page = open_page(qtbot, store)
    total = page.examples_model.rowCount()
    assert total == 12 and {q.change for q in page._example_rows} <= {"fixed", "broken", "unchanged"}
    page.filter.setCurrentText("fixed")
    assert page.examples_model.rowCount() == sum(q.change == "fixed" for q in page._example_rows)
    select(page, cancelled.run_id)
    assert "Resume it" in page.banner.text()
    with qtbot.waitSignal(page.resume_requested) as signal:
        click(qtbot, page.resume_button)
    assert signal.args[0] == cancelled.run_id and not page.export_button.isEnabled()


def test_the_verdict_opens_the_page_with_its_warnings(qtbot, store, runs):
    finished, _ = runs
    set_verdict(store, finished.run_id, {
        "label": "worse", "shipped": "direct", "p_value": 0.03, "majority_rate": 0.67, "majority_answer": "yes",
        "test": {"tuned": {"right": 4, "total": 12}, "direct": {"right": 9, "total": 12}},
        "warnings": ["Only 12 final exam questions: too few to be sure.", "Always answering <yes> would score 67 %."],
        "sentence": "Tuning made it worse; the app keeps plain prompting."})
    page = open_page(qtbot, store)
    banner = page.banner
    assert banner.isVisible() and banner.label == "worse"
    assert banner.text().index("Tuning made it worse") < banner.text().index("too few to be sure")
    assert "Always answering &lt;yes&gt;" in banner.text()  # escaped, shown as written
    # the banner sits above the scores: it is the first thing read
    assert banner.geometry().bottom() <= page.chart.geometry().top()
    assert "Exports and the Playground use plain prompting." in page.demo.toPlainText()
    assert "Exports and the Playground use plain prompting." in banner.text()
    assert "not a substitute for checking the answers yourself" in banner.text()


def test_the_playground_opens_with_the_same_verdict(qtbot, store, runs):
    from debop_desktop.ui.playground_page import PlaygroundPage

    finished, _ = runs
    set_verdict(store, finished.run_id, {"label": "better", "shipped": "tuned", "test": {},
                                         "warnings": ["Not a substitute for your own checking."],
                                         "sentence": "Tuning helped: 10 of 12 right instead of 3."})
    page = PlaygroundPage(store)
    qtbot.addWidget(page)
    page.show()
    assert page.verdict.isVisible() and page.verdict.label == "better"
    assert "Tuning helped: 10 of 12 right instead of 3." in page.verdict.text()
    assert "Not a substitute for your own checking." in page.verdict.text()
    assert page.verdict.geometry().bottom() <= page.question.geometry().top()
    assert page.panes["tuned"].title() == "With the tuned behavior"
    set_verdict(store, finished.run_id, {"label": "no_clear_change", "shipped": "worked_examples",
                                         "sentence": "No clear change."})
    page.refresh()
    assert page.panes["tuned"].title() == "With your worked examples (what the app uses)"
    assert "Exports and the Playground use your worked examples." in page.verdict.text()


def test_model_text_is_escaped_in_the_shipped_behavior(qtbot, store, runs):
    finished, _ = runs
    best = store.execute("SELECT best_node_id FROM runs WHERE id = ?", (finished.run_id,)).fetchone()[0]
    demo = json.loads(store.execute("SELECT demo_json FROM nodes WHERE id = ?", (best,)).fetchone()[0])
    demo["question"] = "Which shape is <path d='M 10 10 L 20 20'/> drawing? <b>bold?</b>"
    demo["steps"][0][1] = "It has <svg> & </table> in it"
    store.execute("UPDATE nodes SET demo_json = ? WHERE id = ?", (json.dumps(demo), best))
    page = open_page(qtbot, store)
    text = page.demo.toPlainText()
    assert "<path d='M 10 10 L 20 20'/> drawing? <b>bold?</b>" in text
    assert "It has <svg> & </table> in it" in text


def test_the_tree_of_a_finished_run_can_be_seen_and_clicked(qtbot, store, runs):
    finished, _ = runs
    page = open_page(qtbot, store, 1920, 1080)
    page.tabs.setCurrentIndex(2)
    n_nodes = store.execute("SELECT COUNT(*) FROM nodes WHERE run_id = ?", (finished.run_id,)).fetchone()[0]
    tree = page.tree
    assert len(tree.nodes) == n_nodes > 1 and tree.best is not None
    ellipse = tree._items[tree.best][0]
    point = tree.mapFromScene(ellipse.sceneBoundingRect().center())
    with qtbot.waitSignal(tree.node_clicked) as clicked:
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point.x(), point.y()))
    assert clicked.args == [tree.best]
    assert f"Try {tree.best}" in page.node_details.toPlainText() and "Made by" in page.node_details.toPlainText()


def test_short_columns_stay_on_screen_beside_a_long_question(qtbot, store, runs):
    for width in (1024, 1920):
        page = open_page(qtbot, store, width, 640)
        page.examples.selectRow(0)
        header = page.examples.horizontalHeader()
        visible = page.examples.viewport().width()
        for column in range(1, 5):
            right = header.sectionViewportPosition(column) + header.sectionSize(column)
            assert header.sectionSize(column) > 0 and right <= visible, (width, column)


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
    page = open_page(qtbot, store)
    select(page, finished.run_id)
    page.examples.selectRow(0)
    q = page.examples_model.keys[0]
    assert page.raw["direct"].toPlainText() == q.direct_output  # a plain reply, as written
    steps, raw = page.raw["tuned"].toPlainText().split("\n\n— exactly as the model wrote it —\n")
    assert raw == q.tuned_output.strip() and steps.startswith("1. ")  # a filled plan, as steps first
    assert steps.splitlines()[-1] == f"Answer: {json.loads(q.tuned_output)['Answer']}"
    assert page.compare.choice.count() == 1 and page.compare.choice.currentData() == second.run_id
    text = page.compare.text.toPlainText()
    assert "Tuned behavior" in text and "both right" in text and "Tries to make" in text  # max_iterations
    assert "Repeatable run number" in text and "seed" not in text  # the settings by their names on screen


def test_export_replaces_a_file_whole_or_leaves_it_alone(qtbot, store, runs, tmp_path, monkeypatch):
    """The GUI export goes through the same atomic writer as the CLI: a failure while writing
    leaves the old file as it was and no half-written file or temporary file beside it."""
    page = open_page(qtbot, store)
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "behavior.txt"
    target.write_text("an earlier export", encoding="utf-8")
    monkeypatch.setattr("debop_desktop.ui.results_page.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), "Plain text (*.txt)"))
    monkeypatch.setattr("debop_desktop.ui.results_page.show_error", lambda *a, **k: None)

    class Full(OSError):
        pass

    class HalfWritten:
        def __init__(self, real):
            self.real = real

        def __enter__(self):
            fh = self.real.__enter__()
            fh.write("half of it")
            raise Full(28, "No space left on device")

        def __exit__(self, *exc):
            return self.real.__exit__(*exc)

    from debop_desktop.ui import results_page

    real = results_page.open_for_writing
    monkeypatch.setattr(results_page, "open_for_writing", lambda *a, **k: HalfWritten(real(*a, **k)))
    click(qtbot, page.export_button)
    assert target.read_text(encoding="utf-8") == "an earlier export"
    assert sorted(p.name for p in folder.iterdir()) == ["behavior.txt"]
    monkeypatch.setattr(results_page, "open_for_writing", real)
    click(qtbot, page.export_button)
    assert "DeBoP Desktop run" in target.read_text(encoding="utf-8")
