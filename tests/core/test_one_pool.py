"""One pool of every scored try, a choice confirmed on dev questions the search never saw, and
the one-answer rule (issue 22). Scripted models decide who is right where."""

import json

from run_helpers import drain
from test_most_common import third_task
from test_optimizer_run import CFG, SPEED, make_dataset

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.core.llm.fake import ScriptedBackend
from debop_desktop.core.optimizer.config import PRESETS, estimate_cost
from debop_desktop.core.optimizer.export import export_behavior, load_tuned
from debop_desktop.core.optimizer.prompts import PLAN_SYSTEM, execution_messages
from debop_desktop.core.optimizer.run import _sample, run_optimization

PLAN = '{"Read the numbers": "", "Answer": ""}'


def subjects(store, run_id, prefix):
    rows = store.execute("SELECT subject, example_id FROM evaluations WHERE run_id = ? AND subject LIKE ?",
                         (run_id, prefix + "%")).fetchall()
    found = {}
    for subject, example_id in rows:
        found.setdefault(subject, set()).add(example_id)
    return found


def test_a_plan_followed_without_an_example_that_is_best_ships(store, home, capsys):
    d, answers = make_dataset(store)

    def script(messages, params):
        last = messages[-1].content
        if messages[0].content == PLAN_SYSTEM:
            return PLAN
        if "\nFill in this plan" in last and not any(m.role == "assistant" for m in messages):
            question = last.split("\nFill in this plan")[0]
            return json.dumps({"Read the numbers": "ok", "Answer": answers[question]})
        return '{"Read the numbers": "hmm", "Answer": "-1"}'  # direct, the other prompts, one-shot tries

    backend = ScriptedBackend(script)
    events, result = drain(run_optimization(store, backend, d.id, CFG, tokens_per_second=SPEED))
    assert result.status == "finished" and result.best is not None and result.best.dev_accuracy == 0.0
    assert result.shipped == "zero_shot_plan"
    summary = json.loads(store.execute("SELECT summary_json FROM runs WHERE id = ?", (result.run_id,)).fetchone()[0])
    assert summary["shipped"]["candidate"] == "plan:0" and summary["behavior"]["plan"]["steps"] == [
        "Read the numbers", "Answer"]
    v = result.verdict
    assert v["shipped"] == "zero_shot_plan" and v["label"] == "better"
    assert v["test"]["zero_shot_plan"] == {"right": 12, "total": 12} and v["test"]["direct"]["right"] == 0
    # ask, the Playground and exports rebuild the plan from the run's summary
    shipped = load_tuned(store, result.run_id)
    plan = shipped.kit.plan
    assert shipped.method == "zero_shot_plan" and plan is not None
    assert shipped.messages_for("What is 2 + 3?") == execution_messages("Add the numbers.", "What is 2 + 3?", plan)
    assert shipped.answer(backend, "What is 2 + 3?").text == json.dumps({"Read the numbers": "ok", "Answer": "5"})
    assert "Fill in this plan as JSON" in export_behavior(store, result.run_id, "text")
    assert json.loads(export_behavior(store, result.run_id, "card"))["shipped"]["method"] == "zero_shot_plan"
    from debop_desktop.cli import main

    assert main(["--home", str(home), "runs", "show", str(result.run_id)]) == 0
    assert v["sentence"] in capsys.readouterr().out


def test_a_behavior_that_gives_one_answer_to_every_question_loses_to_the_most_common_answer(store):
    d, _ = third_task(store)

    def script(messages, params):
        last = messages[-1].content
        if "step by step" in last:
            return "These numbers are tricky. So the answer is no."  # one answer, whatever the question
        if len(messages) == 1 and last.endswith("Answer with just yes or no."):
            return "maybe"  # plain prompting finds no answer
        return '{"Answer": "maybe"}'

    events, result = drain(run_optimization(store, ScriptedBackend(script), d.id,
                                            CFG.with_overrides(max_iterations=1), tokens_per_second=SPEED))
    dev = {e.method: e.accuracy for e in events if e.kind == "BaselineScored" and e.split == "dev"}
    assert dev["zero_shot_cot"] == dev["most_common"] > dev["direct"]  # a tie on the dev sample
    assert result.shipped == "most_common"  # the prompt won such a tie before (rank 0 against 2)
    confirmed = subjects(store, result.run_id, "confirm:").keys()
    assert "confirm:most_common" in confirmed and "confirm:zero_shot_cot" not in confirmed  # not a finalist


def test_a_candidate_that_wins_the_dev_sample_by_luck_loses_the_confirmation(store):
    pairs = [(f"What is {a} + {b}?", str(a + b)) for a in range(12) for b in range(10)]
    examples = [NewExample(q, a, ("train", "dev", "test")[i % 3]) for i, (q, a) in enumerate(pairs)]
    d = DatasetRepository(store).create(name="sums", examples=examples, instruction="Add the numbers.",
                                        scorer="number", answer_type="number")
    answers = dict(pairs)  # 40 dev questions: 20 in the sample, 20 the search never sees
    all_dev = DatasetRepository(store).optimizer_examples(d.id, "dev")
    sample = {e.input for e in _sample(all_dev, CFG.dev_limit, CFG.seed)}
    assert len(sample) == 20 and len(all_dev) == 40

    def script(messages, params):
        last = messages[-1].content
        if last.endswith("Answer with just a number.") and "Question: " in last:
            q = last.split("Question: ", 1)[1].split("\n", 1)[0]
            if any(m.role == "assistant" for m in messages):  # a few solved examples: lucky on the sample only
                return answers[q] if q in sample else "-1"
            return answers[q] if int(answers[q]) % 2 else "-1"  # direct: right on about half
        return '{"Answer": "-1"}'

    events, result = drain(run_optimization(store, ScriptedBackend(script), d.id,
                                            CFG.with_overrides(max_iterations=2), tokens_per_second=SPEED))
    dev = {e.method: e.accuracy for e in events if e.kind == "BaselineScored" and e.split == "dev"}
    assert dev["few_examples"] == 1.0 > dev["direct"]  # the first ranking: few examples, by far
    confirmed = subjects(store, result.run_id, "confirm:")
    sample_ids = {e.id for e in all_dev if e.input in sample}
    assert confirmed["confirm:few_examples"] == confirmed["confirm:direct"] == {e.id for e in all_dev} - sample_ids
    assert result.shipped == "direct"
    summary = json.loads(store.execute("SELECT summary_json FROM runs WHERE id = ?", (result.run_id,)).fetchone()[0])
    assert summary["shipped"]["method"] == "direct"
    assert "20 questions to check with that the search never saw" in summary["shipped"]["reason"]
    assert "the best other try, a few solved examples, 0" in summary["shipped"]["reason"]


def test_the_confirmation_costs_a_quick_run_at_most_half_again_its_calls():
    quick = PRESETS["quick"]
    for n_dev in (20, 30, 40, 200):
        estimate = estimate_cost(quick, n_train=60, n_dev=n_dev, n_test=40, avg_question_tokens=20,
                                 prompt_tokens_per_s=200, gen_tokens_per_s=40)
        confirm = sum(estimate.calls_by_stage["confirm"].values())
        assert confirm <= 0.5 * (estimate.model_calls - confirm)
        assert confirm == (0 if n_dev <= 20 else 4 * min(n_dev - 20, 20))


def test_a_run_stopped_while_confirming_resumes_to_the_same_choice_asking_nothing_twice(store):
    from simulated_env import simulated_backend

    from debop_desktop.core.llm.base import CancelToken
    from debop_desktop.core.optimizer.run import resume

    d, answers = make_dataset(store)
    reference = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=SPEED))[1]
    token, backend_model = CancelToken(), simulated_backend(answers)
    backend, model = backend_model
    run = run_optimization(store, backend, d.id, CFG, cancel=token, tokens_per_second=SPEED)
    confirming = None
    for event in run:
        if event.kind == "StageChanged" and event.stage == "confirm":
            confirming = model.calls
        if confirming is not None and event.kind == "Progress" and model.calls >= confirming + 3:
            token.cancel()
    run_id = store.execute("SELECT max(id) FROM runs").fetchone()[0]
    status = store.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
    before = subjects(store, run_id, "confirm:")
    assert status == "cancelled" and 0 < sum(map(len, before.values())) < sum(
        map(len, subjects(store, reference.run_id, "confirm:").values()))
    again, counting = simulated_backend(answers)
    _, finished = drain(resume(store, again, run_id))
    rows = "SELECT subject, example_id, output FROM evaluations WHERE run_id = ? AND subject LIKE 'confirm:%' " \
           "ORDER BY subject, example_id"
    assert store.execute(rows, (run_id,)).fetchall() == store.execute(rows, (reference.run_id,)).fetchall()
    assert finished.shipped == reference.shipped
    dev = {e.input for e in DatasetRepository(store).optimizer_examples(d.id, "dev")}
    confirm_calls = [m for m, _ in again.calls
                     if any(m[-1].content.startswith(q + "\n") or f"Question: {q}\n" in m[-1].content for q in dev)]
    fresh = sum(map(len, subjects(store, run_id, "confirm:").values())) - sum(map(len, before.values()))
    assert 0 < len(confirm_calls) <= fresh  # dev questions asked again: only the confirmations still missing
