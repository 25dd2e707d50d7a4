"""What a behavior costs in the estimate is its own (`Behavior.applies`, `estimated_calls`):
a new kind that needs a small answer set and asks the model twice a question is counted so,
with no name of it in config.py."""

import pytest

from debop_desktop.core import behaviors
from debop_desktop.core.behaviors import Behavior
from debop_desktop.core.behaviors.base import TaskFacts
from debop_desktop.core.optimizer.config import OptimizerConfig, estimate_cost
from debop_desktop.core.optimizer.eta import kind_of_method

CFG = OptimizerConfig(n_plans=2, dev_limit=10, n_seeds=1, max_iterations=2, test_limit=8,
                      baselines=("direct", "two_looks", "tuned"))


class TwoLooks(Behavior):
    name = "two_looks"
    needs_closed_answers = True
    calls_per_question = 2


@pytest.fixture
def two_looks():
    behaviors.register(TwoLooks)
    yield TwoLooks
    behaviors.unregister(TwoLooks.name)


def estimate(config=CFG, **facts):
    return estimate_cost(config, n_train=30, n_dev=30, n_test=30, avg_question_tokens=20, prompt_tokens_per_s=200,
                         gen_tokens_per_s=40, **facts)


def test_a_new_kind_says_what_it_needs_and_costs(two_looks):
    closed, open_ = estimate(closed_answers=True), estimate(closed_answers=False)
    assert closed.calls_by_stage["simple"]["two_looks"] == 2 * CFG.dev_limit
    assert closed.calls_by_stage["baselines"]["two_looks"] == 2 * CFG.test_limit
    assert "two_looks" not in open_.calls_by_kind
    assert closed.model_calls - open_.model_calls == 2 * (CFG.dev_limit + CFG.test_limit)


def test_the_built_in_kinds_say_what_they_need():
    facts = TaskFacts(worked_examples=False, closed_answers=False, search=False)
    assert not behaviors.kind("worked_examples").applies(facts)
    assert behaviors.kind("worked_examples").applies(TaskFacts(worked_examples=True))
    assert not behaviors.kind("calibrated").applies(facts)
    assert not behaviors.kind("tuned").applies(facts) and behaviors.kind("direct").applies(facts)
    assert behaviors.kind("most_common").estimated_calls(TaskFacts(), 30) == {}  # a rule that asks no model
    assert behaviors.kind("tuned").estimated_calls(TaskFacts(), 30) == {"evaluation": 30}
    assert [kind_of_method(m) for m in ("direct", "tuned", "zero_shot_plan", "unknown")] == \
        ["direct", "evaluation", "evaluation", "unknown"]


def test_a_first_look_costs_no_tuned_behavior():
    first_look = estimate(CFG.with_overrides(search=False))
    assert "evaluation" not in first_look.calls_by_stage["baselines"]
    assert first_look.calls_by_stage["plan"] == {"plan": 0}
