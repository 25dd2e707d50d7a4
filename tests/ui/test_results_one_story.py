"""Issue 25: one story of what ships. The runs list, `debop runs list`, the chart, the before/after
table, `runs show` and Compare runs all speak of the behavior the app keeps, by the run's outcome."""

import html
import json
import re
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from run_helpers import drain  # noqa: E402
from test_optimizer_run import CFG, SPEED, make_dataset  # noqa: E402
from test_optimizer_shipping import scripted  # noqa: E402

from debop_desktop.core.library import ModelLibrary  # noqa: E402
from debop_desktop.core.optimizer.run import run_optimization  # noqa: E402
from debop_desktop.ui.results_page import ResultsPage  # noqa: E402
from debop_desktop.ui.verdict_banner import COLOURS  # noqa: E402


def two_runs(store, tiny_gguf, tiny_gguf_no_template):
    """Run 1 keeps plain prompting (all right; the search's best try none); run 2, on another
    model, keeps a few solved examples (all right; plain prompting none)."""
    library = ModelLibrary(store)
    first, second = library.add(tiny_gguf).record, library.add(tiny_gguf_no_template).record
    d, answers = make_dataset(store)
    _, kept_direct = drain(run_optimization(store, scripted(answers), d.id, CFG, tokens_per_second=SPEED,
                                            model_id=first.id))
    _, kept_few = drain(run_optimization(store, scripted(answers, direct_right=lambda q: False,
                                                         few_right=lambda q: True),
                                         d.id, CFG, tokens_per_second=SPEED, model_id=second.id))
    assert (kept_direct.shipped, kept_few.shipped) == ("direct", "few_examples")
    return (kept_direct, first), (kept_few, second)


def test_every_list_names_the_kept_behaviors_final_exam_and_compare_runs_compares_what_each_keeps(
        qtbot, store, home, capsys, tiny_gguf, tiny_gguf_no_template):
    from debop_desktop.cli import main

    (direct_run, first), (few_run, second) = two_runs(store, tiny_gguf, tiny_gguf_no_template)
    page = ResultsPage(store)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.refresh(select=direct_run.run_id)
    rows = {page.runs_model.keys[i].id: page.runs_model.rows[i] for i in range(page.runs_model.rowCount())}
    assert rows[direct_run.run_id][5:7] == ("100%", "no clear change")  # the kept one's 12 of 12, not tuned 0 %
    assert rows[few_run.run_id][5:7] == ("100%", "helped")
    row = next(i for i, r in enumerate(page.runs_model.keys) if r.id == few_run.run_id)
    cell = page.runs_model.index(row, 6)
    assert page.runs_model.data(cell, Qt.ItemDataRole.BackgroundRole) == QColor(COLOURS["better"][0])  # the banner's
    # the chart marks plain prompting; the After column is plain prompting's own answers
    assert page.chart.kept == "direct"
    assert all(q.change == "unchanged" and q.tuned == q.direct for q in page._example_rows)
    assert page.examples_model.rowCount() == 12
    # debop runs list names the same score the same way
    assert main(["--home", str(home), "runs", "list"]) == 0
    listed = capsys.readouterr().out
    assert "final exam" in listed and "tuned test" not in listed
    line = next(x for x in listed.splitlines() if x.lstrip().startswith(str(direct_run.run_id)))
    fields = re.split(r"\s{2,}", line.strip())  # #, model, task, status, preset, best try, final exam, verdict
    assert fields[5:8] == ["0%", "100%", "no clear change"]  # the search's best try 0 %; the kept one 100 %
    assert main(["--home", str(home), "--json", "runs", "list"]) == 0
    listed = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert (listed[direct_run.run_id]["kept_test"], listed[direct_run.run_id]["tuned_test"]) == (1.0, 0.0)
    assert listed[direct_run.run_id]["verdict"] == "no_clear_change" and listed[few_run.run_id]["verdict"] == "better"
    assert main(["--home", str(home), "runs", "show", str(direct_run.run_id)]) == 0
    shown = capsys.readouterr().out
    assert "Plain prompting  ← what the app uses" in shown and "Tuned behavior (DeBoP)  ←" not in shown
    # Compare runs: each run by model and date; what each keeps, and its verdict
    compare = page.compare
    assert compare.choice.count() == 1 and compare.choice.itemText(0).startswith(second.name + ", ")
    text = html.unescape(compare.text.toPlainText())
    assert f"Task '{direct_run and 'sums'}': what each run keeps" in text
    assert first.name in text and second.name in text and "run 2" not in text.lower()
    assert "What it keeps plain prompting a few solved examples" in " ".join(text.split())
    assert "Final exam (what it keeps) 100% (12 of 12) 100% (12 of 12)" in " ".join(text.split())
    # what each keeps, right on all 12 (the search's best tries were wrong on all 12: both wrong 12)
    assert (f"On the 12 final-exam questions both answered, each with what it keeps: both right 12; only {first.name} "
            f"right 0; only {second.name} right 0; both wrong 0.") in " ".join(text.split())


def test_one_colour_scale_for_the_verdict_on_every_page(qtbot, store, tiny_gguf, tiny_gguf_no_template):
    """The banner, the runs list's Verdict cell and the Optimize page's last-run line take the
    verdict's colours from the one scale, by its label."""
    from debop_desktop.ui.optimize_page import OptimizePage

    _, (few_run, _) = two_runs(store, tiny_gguf, tiny_gguf_no_template)  # the newest: 'helped'
    background, accent = COLOURS["better"]
    results = ResultsPage(store)
    qtbot.addWidget(results)
    results.refresh(select=few_run.run_id)
    assert background in results.banner.styleSheet() and accent in results.banner.styleSheet()
    optimize = OptimizePage(store)
    qtbot.addWidget(optimize)
    optimize.show_last_run()
    assert "helped" in optimize.stage.text()
    assert background in optimize.stage.styleSheet() and accent in optimize.stage.styleSheet()


def test_every_behavior_has_a_plain_name_on_the_chart():
    """The chart and Compare runs name each behavior by its plain label, never its stored name."""
    from debop_desktop.core import behaviors
    from debop_desktop.core.optimizer.run_compare import plain_method

    assert plain_method("direct") == "Plain prompting" and plain_method("few_examples") == "A few solved examples"
    assert plain_method("zero_shot_cot") == "Step by step"  # "(zero-shot CoT)" is for tooltips
    assert all(plain_method(m) != m for m in behaviors.LABELS)
