"""The whole DeBoP run on the simulated behavior environment and on scripted models."""

import itertools

import pytest
from run_helpers import drain
from simulated_env import best_achievable_reward, cancelling_backend, simulated_backend

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.core.errors import ContextOverflow
from debop_desktop.core.llm.base import CancelToken
from debop_desktop.core.llm.fake import ScriptedBackend
from debop_desktop.core.optimizer.config import OptimizerConfig
from debop_desktop.core.optimizer.run import resume, run_optimization

SPEED = 40.0


def make_dataset(store, n=90, worked=()):
    pairs = [(f"What is {a} + {b}?", str(a + b)) for a, b in itertools.product(range(10), range(9))][:n]
    splits = ["train", "dev", "test"]
    examples = [NewExample(q, a, splits[i % 3]) for i, (q, a) in enumerate(pairs)]
    d = DatasetRepository(store).create(name="sums", examples=examples, instruction="Add the numbers.",
                                        scorer="number", answer_type="number", worked_examples=worked)
    return d, dict(pairs)


def tree(store, run_id):
    rows = store.execute("SELECT id, parent_id, tree_index, operator, iteration, demo_json, reward FROM nodes "
                         "WHERE run_id = ? ORDER BY id", (run_id,)).fetchall()
    position = {r[0]: i for i, r in enumerate(rows)}  # ids differ between runs; the shape must not
    return [(i, position.get(r[1]), *r[2:]) for i, r in enumerate(rows)]


CFG = OptimizerConfig(n_plans=3, dev_limit=20, n_seeds=2, max_iterations=10, early_stop_probability=0.0,
                      test_limit=12, seed=3)


def test_a_run_produces_a_tree_baselines_and_a_result(store):
    d, answers = make_dataset(store)
    backend, _ = simulated_backend(answers)
    events, result = drain(run_optimization(store, backend, d.id, CFG, tokens_per_second=SPEED))
    kinds = [e.kind for e in events]
    assert kinds[0] == "RunStarted" and kinds[-1] == "RunFinished" and result.status == "finished"
    assert kinds.count("PlanScored") == 3 and kinds.count("NodeScored") == kinds.count("NodeAdded")
    assert [e.stage for e in events if e.kind == "StageChanged"] == ["simple", "plan", "collect", "search",
                                                                     "confirm", "baselines"]
    assert result.best is not None and result.best_demo is not None
    # no worked examples, so no such baseline; the simple prompts compete on dev first
    assert {b.method for b in result.baselines} == {"direct", "few_examples", "zero_shot_cot", "tuned"}
    dev_scored = [e.method for e in events if e.kind == "BaselineScored" and e.split == "dev"]
    assert dev_scored == ["direct", "few_examples", "zero_shot_cot"]
    assert result.shipped == "tuned" and result.verdict["shipped"] == "tuned"
    assert all(c.parent_id is None or any(p.node_id == c.parent_id for p in result.candidates)
               for c in result.candidates)
    progress = [e for e in events if e.kind == "Progress"]
    assert [p.done for p in progress] == sorted(p.done for p in progress)  # cumulative
    recorded = store.execute("SELECT COUNT(*) FROM run_events WHERE run_id = ?", (result.run_id,)).fetchone()[0]
    assert recorded == len(events) - len(progress)


def test_the_search_never_sees_the_test_split(store):
    d, answers = make_dataset(store)
    backend, model = simulated_backend(answers)
    _, result = drain(run_optimization(store, backend, d.id, CFG, tokens_per_second=SPEED))
    test_questions = {e.input for e in DatasetRepository(store).examples(d.id, "test")}
    rows = store.execute("SELECT subject, split FROM evaluations WHERE run_id = ?", (result.run_id,)).fetchall()
    methods = ("direct", "few_examples", "zero_shot_cot", "tuned")
    assert {s for s, split in rows if split == "test"} == {f"test:{m}" for m in methods}
    assert all(split != "test" for s, split in rows if not s.startswith("test:"))
    search_calls = [c for c in backend.calls if not c[0][-1].content.endswith("Answer with just the answer.")]
    del search_calls  # the evaluations table is the record; prompts are checked below
    nodes = store.execute("SELECT demo_json FROM nodes WHERE run_id = ?", (result.run_id,)).fetchall()
    assert not any(q in demo for (demo,) in nodes for q in test_questions)


def test_identical_seeds_give_identical_trees(store):
    d, answers = make_dataset(store)
    first = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=SPEED))[1]
    second = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=SPEED))[1]
    strip = [t[1:] for t in tree(store, first.run_id)]
    assert strip == [t[1:] for t in tree(store, second.run_id)] and len(strip) > 4
    other = drain(run_optimization(store, simulated_backend(answers)[0], d.id,
                                   CFG.with_overrides(seed=4), tokens_per_second=SPEED))[1]
    assert [t[1:] for t in tree(store, other.run_id)] != strip


@pytest.mark.parametrize("cancel_after", [5, 40, 90])
def test_cancel_then_resume_repeats_nothing_and_gives_the_same_tree(store, cancel_after):
    d, answers = make_dataset(store)
    reference = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=SPEED))[1]
    token = CancelToken()
    backend = cancelling_backend(answers, cancel_after, token)
    events, stopped = drain(run_optimization(store, backend, d.id, CFG, cancel=token, tokens_per_second=SPEED))
    assert stopped.status == "cancelled" and events[-1].kind == "RunFinished"
    before = store.execute("SELECT COUNT(*) FROM evaluations WHERE run_id = ?", (stopped.run_id,)).fetchone()[0]
    again, counting = simulated_backend(answers)
    _, finished = drain(resume(store, again, stopped.run_id))
    assert finished.status == "finished"
    total = store.execute("SELECT COUNT(*) FROM evaluations WHERE run_id = ?", (stopped.run_id,)).fetchone()[0]
    ref_total = store.execute("SELECT COUNT(*) FROM evaluations WHERE run_id = ?", (reference.run_id,)).fetchone()[0]
    assert total == ref_total  # nothing recorded twice (unique per subject x example) and nothing missing
    # no finished evaluation was asked of the model again: the resumed run made only the missing calls
    # plus plan/operator calls, which are not evaluations, and step-by-step answer follow-ups
    follow_ups = store.execute("SELECT COUNT(*) FROM evaluations WHERE run_id = ? AND subject LIKE '%zero_shot_cot'",
                               (stopped.run_id,)).fetchone()[0]
    assert counting.calls <= ref_total - before + CFG.n_plans + CFG.max_iterations + follow_ups
    assert [t[1:] for t in tree(store, stopped.run_id)] == [t[1:] for t in tree(store, reference.run_id)]


def test_malformed_plans_score_zero_and_the_run_goes_on(store):
    d, answers = make_dataset(store)

    def script(messages, params):
        if "breaking problems" in messages[0].content:
            return ["print('hello')", '{"a": {"nested": 1}}', "Sure! JSON is a format."][params.seed % 3]
        return '{"Answer": "0"}'

    events, result = drain(run_optimization(store, ScriptedBackend(script), d.id, CFG, tokens_per_second=SPEED))
    plans = [e for e in events if e.kind == "PlanScored"]
    from debop_desktop.core.optimizer.prompts import GENERIC_PLAN

    assert [p.parsed for p in plans[:3]] == [False] * 3 and all(p.dev_accuracy == 0 for p in plans)
    assert plans[3].steps == GENERIC_PLAN.steps  # the fallback when no plan can be read
    warnings = [e.message for e in events if e.kind == "Warning"]
    assert sum("could not be read as a plan" in w for w in warnings) == 3
    assert any("generic plan" in w for w in warnings)
    assert any("a plain question and its answer" in w for w in warnings)  # generic plan failed too
    assert result.status == "finished" and result.candidates


def test_worked_examples_seed_when_no_plan_works(store):
    from debop_desktop.core.datasets.repository import WorkedExample

    worked = [WorkedExample("What is 1 + 1?", "One plus one is two. So the answer is 2.", "2")]
    d, _ = make_dataset(store, worked=worked)
    events, result = drain(run_optimization(store, ScriptedBackend(["nonsense"]), d.id, CFG,
                                            tokens_per_second=SPEED))
    assert any("worked examples instead" in e.message for e in events if e.kind == "Warning")
    assert "worked_examples" in {b.method for b in result.baselines}


def test_early_stop_and_budget_stop(store):
    d, answers = make_dataset(store)
    cfg = CFG.with_overrides(early_stop_probability=1.0, racing=False)
    events, _ = drain(run_optimization(store, simulated_backend(answers)[0], d.id, cfg, tokens_per_second=SPEED))
    assert any("did not beat the best so far" in e.message for e in events if e.kind == "Warning")
    iterations = {e.iteration for e in events if e.kind == "NodeAdded" and e.operator != "seed"}
    assert len(iterations) < CFG.max_iterations
    events, result = drain(run_optimization(store, simulated_backend(answers)[0], d.id,
                                            CFG.with_overrides(max_model_calls=150), tokens_per_second=SPEED))
    assert any("budget of 150" in e.message for e in events if e.kind == "Warning")


def test_racing_saves_calls_and_the_paper_preset_does_not_race(store):
    d, answers = make_dataset(store)
    _, raced = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=SPEED))
    _, full = drain(run_optimization(store, simulated_backend(answers)[0], d.id,
                                     CFG.with_overrides(racing=False), tokens_per_second=SPEED))
    assert raced.calls_saved > 0 and full.calls_saved == 0
    assert any(c.raced_out for c in raced.candidates) and not any(c.raced_out for c in full.candidates)


def test_too_long_prompts_are_scored_wrong_with_a_warning(store):
    d, answers = make_dataset(store)
    backend, model = simulated_backend(answers)

    def overflow_on_demos(messages, params):
        if any(m.role == "assistant" for m in messages):
            raise ContextOverflow("too long")
        return model(messages, params)

    backend._script = overflow_on_demos
    events, result = drain(run_optimization(store, backend, d.id, CFG, tokens_per_second=SPEED))
    assert result.status == "finished"
    assert any("too long for the model's context" in e.message for e in events if e.kind == "Warning")


@pytest.mark.parametrize("seed", range(10))
def test_search_finds_95_percent_of_the_best_achievable_reward(store, seed):
    d, answers = make_dataset(store)
    cfg = OptimizerConfig(n_plans=4, dev_limit=30, n_seeds=2, max_iterations=40, max_children=3,
                          early_stop_probability=0.0, test_limit=3, seed=seed,
                          baselines=("tuned",), relative_time=False)  # the paper's reward, as computed below
    _, result = drain(run_optimization(store, simulated_backend(answers)[0], d.id, cfg, tokens_per_second=SPEED))
    dev = [e.input for e in DatasetRepository(store).optimizer_examples(d.id, "dev")][:30]
    optimum = best_achievable_reward(dev, SPEED)
    assert result.best.reward >= 0.95 * optimum, (result.best.reward, optimum)


def test_operators_are_drawn_among_the_untried_and_calls_are_counted(store):
    d, answers = make_dataset(store)
    _, result = drain(run_optimization(store, simulated_backend(answers)[0], d.id,
                                       CFG.with_overrides(max_iterations=30, max_children=6),
                                       tokens_per_second=SPEED))
    by_parent = {}
    for c in result.candidates:
        if c.parent_id is not None:
            by_parent.setdefault(c.parent_id, []).append(c.operator)
    assert by_parent and all(len(ops) == len(set(ops)) for ops in by_parent.values())  # never the same twice
    assert all(c.model_calls > 0 for c in result.candidates)
    assert sum(c.model_calls for c in result.candidates) <= result.model_calls
