"""Issue 25 (part): the Results page's Mistakes tab shows the kept behavior's final exam as a
confusion table with one line per right answer, and a click on a cell lists its questions."""

import sys
from pathlib import Path

from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from run_helpers import drain  # noqa: E402
from test_optimizer_run import CFG, SPEED  # noqa: E402

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample  # noqa: E402
from debop_desktop.core.llm.fake import ScriptedBackend  # noqa: E402
from debop_desktop.core.optimizer.mistakes import run_mistakes  # noqa: E402
from debop_desktop.core.optimizer.run import run_optimization  # noqa: E402
from debop_desktop.ui.results_page import ResultsPage  # noqa: E402


def triage_task(store, n=60):
    """Notes that are urgent one time in three; a model that calls every note routine misses them."""
    rows = [NewExample(f"Note {i}: {'chest pain and sweating' if i % 3 == 0 else 'asks for a repeat prescription'}",
                       "urgent" if i % 3 == 0 else "routine", ("train", "dev", "test")[(i // 3) % 3])
            for i in range(n)]
    return DatasetRepository(store).create(name="triage", examples=rows, instruction="Urgent or routine?",
                                           scorer="label", answer_type="label",
                                           scorer_options={"labels": ["urgent", "routine"]})


def test_the_mistakes_tab_counts_the_missed_urgent_notes_and_lists_them(qtbot, store, tmp_path):
    d = triage_task(store)
    _, result = drain(run_optimization(store, ScriptedBackend(["routine"]), d.id, CFG.with_overrides(test_limit=20),
                                       tokens_per_second=SPEED))
    assert result.status == "finished"
    mistakes = run_mistakes(store, result.run_id)
    assert mistakes is not None and mistakes.expected_labels() == ["urgent", "routine"]
    urgent = mistakes.count("urgent", "routine")
    assert urgent > 0 and mistakes.count("urgent", "urgent") == 0
    page = ResultsPage(store)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.tabs.setCurrentIndex(page.tabs.indexOf(page.mistakes.parentWidget().parentWidget()))
    view = page.mistakes
    assert view.table.item(0, 1).text() == str(urgent)  # right answer 'urgent', given 'routine'
    assert f"urgent: 0 of {urgent} caught, {urgent} answered routine" in view.summary.text()
    cell = view.table.visualRect(view.table.model().index(0, 1)).center()
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    listed = [view.cell_questions.item(i).text() for i in range(view.cell_questions.count())]
    assert len(listed) == urgent and all("chest pain" in q for q in listed)
    assert f"given 'routine' ({urgent})" in view.cell_title.text()
    page.grab().save(str(tmp_path / "mistakes.png"))


def test_runs_show_prints_one_line_per_right_answer(store, home, capsys):
    from debop_desktop.cli import main

    d = triage_task(store)
    _, result = drain(run_optimization(store, ScriptedBackend(["routine"]), d.id, CFG.with_overrides(test_limit=20),
                                       tokens_per_second=SPEED))
    assert main(["--home", str(home), "runs", "show", str(result.run_id)]) == 0
    out = capsys.readouterr().out
    assert "by right answer:" in out and "  urgent: 0 of 6 caught, 6 answered routine" in out


def test_a_task_without_labels_has_no_table(store):
    from test_optimizer_run import make_dataset, simulated_backend

    d, answers = make_dataset(store)
    backend, _ = simulated_backend(answers)
    _, result = drain(run_optimization(store, backend, d.id, CFG, tokens_per_second=SPEED))
    assert run_mistakes(store, result.run_id) is None
