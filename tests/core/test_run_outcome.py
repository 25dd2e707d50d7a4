"""A run's outcome is typed (core/optimizer/outcome.py): each behavior's scores on dev, on the
confirmation questions and on the final exam, what ships and why, the verdict, the best try and
the model calls; runs recorded by older code (their summaries) read back the same."""

import json

from run_helpers import drain
from simulated_env import simulated_backend
from test_optimizer_run import CFG, SPEED, make_dataset

from debop_desktop.core.optimizer.outcome import RunOutcome, Shipped, Verdict
from debop_desktop.core.optimizer.run import run_optimization
from debop_desktop.core.optimizer.run_repository import RunRepository


def stored_summary(store, run_id):
    return json.loads(store.execute("SELECT summary_json FROM runs WHERE id = ?", (run_id,)).fetchone()[0])


def test_a_finished_run_has_a_typed_outcome_with_every_score_and_what_ships(store):
    d, answers = make_dataset(store)
    _, result = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=SPEED))
    outcome = RunRepository(store).outcome(result.run_id)
    assert outcome is not None and outcome.status == "finished" and outcome.model_calls == result.model_calls
    assert outcome.shipped_method == result.shipped == outcome.shipped.method
    assert outcome.shipped.chosen_on_dev and outcome.shipped.candidate and outcome.shipped.reason
    assert isinstance(outcome.verdict, Verdict) and outcome.verdict.raw == result.verdict
    assert outcome.best is not None and outcome.best.node_id == result.best.node_id
    tests = {s.method: (s.correct, s.n) for s in outcome.test_scores}
    assert tests == {b.method: (b.correct, b.n) for b in result.baselines}
    dev = {s.method: s for s in outcome.on("dev")}
    assert {"direct", "few_examples", "zero_shot_cot", "tuned"} <= set(dev) and dev["direct"].n == CFG.dev_limit
    assert any(m.startswith("plan:") for m in dev)  # each plan executed zero-shot is a candidate
    confirm = {s.method for s in outcome.on("confirm")}
    assert "direct" in confirm and confirm <= set(dev)
    by_method = {b.method: b for b in outcome.scores}
    assert by_method["direct"].dev is not None and by_method["direct"].test is not None
    assert all(0 <= s.low <= s.accuracy + 1e-9 and s.accuracy <= s.high + 1e-9 <= 1 + 1e-9
               for b in outcome.scores for s in (b.dev, b.confirm, b.test) if s)
    # what the run wrote is what the outcome writes back
    assert outcome.to_summary() == stored_summary(store, result.run_id)


def test_an_older_summary_reads_back_and_keeps_its_keys():
    older = {"tokens_per_second": 40.0, "behavior": {"instruction": "Add."}, "status": "failed",
             "model_calls_this_session": 12, "calls_saved": 3, "best": None, "traceback": "Traceback …",
             "baselines": [{"method": "direct", "accuracy": 0.5}],  # before counts were stored
             "shipped": {"method": "few_examples"}}
    outcome = RunOutcome.from_summary(older)
    assert outcome.shipped_method == "few_examples" and outcome.shipped.reason == ""
    assert outcome.test_accuracy("direct") == 0.5 and outcome.verdict is None and outcome.details == "Traceback …"
    assert outcome.on("dev") == [] and outcome.model_calls == 12
    again = outcome.to_summary()
    assert again["traceback"] == older["traceback"] and again["shipped"]["method"] == "few_examples"
    assert set(again) == set(older)


def test_what_ships_is_one_rule_for_every_reader():
    verdict = {"label": "better", "shipped": "step_by_step", "sentence": "s", "test": {}, "warnings": []}
    assert RunOutcome.from_summary({"verdict": verdict}).shipped_method == "zero_shot_cot"  # stored name
    assert RunOutcome.from_summary({"verdict": verdict, "shipped": {"method": "direct"}}).shipped_method == "direct"
    assert RunOutcome.from_summary({"best": {"node_id": 4}}).shipped_method == "tuned"
    assert RunOutcome().shipped_method == "direct"
    assert RunOutcome(shipped=Shipped("step_by_step")).shipped_method == "zero_shot_cot"


def test_odd_summaries_read_without_raising():
    for odd in ("x", None, [], {"baselines": "x", "best": {"node_id": "a"}, "shipped": "direct",
                                "verdict": {"label": "", "test": [1], "warnings": "w", "p_value": "?"},
                                "dev_scores": [{"method": 3}], "tokens_per_second": "fast"}):
        outcome = RunOutcome.from_summary(odd)
        assert outcome.shipped_method == "direct" and outcome.test_scores == []
    assert RunOutcome.from_stored("not json") == RunOutcome()
    odd_verdict = RunOutcome.from_summary({"verdict": {"label": "worse", "test": [1], "warnings": "w", "p_value": "?"}})
    assert odd_verdict.verdict.test == () and odd_verdict.verdict.warnings == () and odd_verdict.verdict.p_value is None
