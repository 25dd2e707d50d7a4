"""The per-question table compares the behavior the app keeps with plain prompting."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from run_helpers import drain  # noqa: E402
from simulated_env import simulated_backend  # noqa: E402
from test_optimizer_run import CFG, make_dataset  # noqa: E402

from debop_desktop.core.optimizer.recorder import RunRecorder  # noqa: E402
from debop_desktop.core.optimizer.report import question_changes  # noqa: E402
from debop_desktop.core.optimizer.run import run_optimization  # noqa: E402


def test_the_table_follows_what_ships(store):
    dataset, answers = make_dataset(store)
    _, result = drain(run_optimization(store, simulated_backend(answers)[0], dataset.id, CFG, tokens_per_second=40))
    rec = RunRecorder(store, result.run_id)

    def outputs(subject):
        return sorted(r["output"] for r in rec.evaluations(subject))

    assert sorted(q.tuned_output for q in question_changes(store, result.run_id)) == outputs("test:tuned")
    summary = rec.summary()
    summary["shipped"] = {"method": "few_examples"}
    store.execute("UPDATE runs SET summary_json = ? WHERE id = ?", (json.dumps(summary), result.run_id))
    assert outputs("test:few_examples") != outputs("test:tuned")
    assert sorted(q.tuned_output for q in question_changes(store, result.run_id)) == outputs("test:few_examples")


def test_when_plain_prompting_is_kept_the_after_column_is_its_own_answers(store):
    """Not the search's best try, which the app does not use: nothing changed."""
    dataset, answers = make_dataset(store)
    _, result = drain(run_optimization(store, simulated_backend(answers)[0], dataset.id, CFG, tokens_per_second=40))
    rec = RunRecorder(store, result.run_id)
    summary = rec.summary()
    summary["shipped"] = {"method": "direct"}
    store.execute("UPDATE runs SET summary_json = ? WHERE id = ?", (json.dumps(summary), result.run_id))
    direct = sorted(r["output"] for r in rec.evaluations("test:direct"))
    assert direct != sorted(r["output"] for r in rec.evaluations("test:tuned"))
    changes = question_changes(store, result.run_id)
    assert sorted(q.tuned_output for q in changes) == direct
    assert {q.change for q in changes} == {"unchanged"} and all(q.direct == q.tuned for q in changes)
