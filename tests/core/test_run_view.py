"""The one read side of a run (core/optimizer/report.py): tries, baselines, what ships, verdict."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from run_helpers import drain  # noqa: E402
from simulated_env import simulated_backend  # noqa: E402
from test_optimizer_run import CFG, make_dataset  # noqa: E402

from debop_desktop.core.optimizer.report import run_view, verdict_from_summary  # noqa: E402
from debop_desktop.core.optimizer.run import run_optimization  # noqa: E402


def test_a_run_view_holds_every_try_with_its_parent_and_the_best(store):
    d, answers = make_dataset(store)
    _, result = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=40))
    view = run_view(store, result.run_id)
    rows = store.execute("SELECT id, parent_id, operator FROM nodes WHERE run_id = ? ORDER BY id",
                         (result.run_id,)).fetchall()
    assert [(n.id, n.parent_id, n.operator) for n in view.nodes] == [(i, p, o or "seed") for i, p, o in rows]
    assert view.best is not None and view.best.id == result.best.node_id
    assert {"direct", "tuned"} <= {b.method for b in view.baselines} and view.status == "finished"
    assert view.headline and view.shipped


def test_older_runs_without_a_verdict_still_get_a_plain_first_sentence(store):
    d, answers = make_dataset(store)
    _, result = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=40))
    summary = json.loads(store.execute("SELECT summary_json FROM runs WHERE id = ?", (result.run_id,)).fetchone()[0])
    for key in ("verdict", "shipped"):
        summary.pop(key, None)
    store.execute("UPDATE runs SET summary_json = ? WHERE id = ?", (json.dumps(summary), result.run_id))
    view = run_view(store, result.run_id)
    tuned = next(b for b in view.baselines if b.method == "tuned")
    assert view.verdict is None and view.warnings == () and view.shipped == "tuned"
    assert view.headline.startswith(f"Final exam: the tuned behavior got {tuned.correct} of {tuned.n}")


def test_odd_verdicts_are_read_without_raising():
    assert verdict_from_summary({}) is None
    assert verdict_from_summary({"verdict": "better"}) is None
    assert verdict_from_summary({"verdict": {"sentence": "no label"}}) is None
    v = verdict_from_summary({"verdict": {"label": "worse", "test": {"tuned": {"right": 3, "total": 9}, "x": 1},
                                          "warnings": None}})
    assert v is not None and v.shipped == "tuned" and v.test == (("tuned", 3, 9),) and v.warnings == ()
