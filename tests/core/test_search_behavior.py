"""The DeBoP search is one behavior among the others: the tuned demonstration's `prepare` is
plan, collect and MCTS (behaviors/debop.py), run once the simple behaviors are scored, its
stages announced as before; a tuned kind that prepares nothing leaves a run with no search."""

from run_helpers import drain
from simulated_env import simulated_backend
from test_optimizer_run import CFG, SPEED, make_dataset

from debop_desktop.core import behaviors
from debop_desktop.core.behaviors.debop import Tuned
from debop_desktop.core.optimizer.candidates import PromptKit
from debop_desktop.core.optimizer.run import run_optimization
from debop_desktop.core.scoring.answer_space import AnswerSpace


class Unsearched(Tuned):
    """The tuned demonstration with a preparation that searches nothing."""

    @classmethod
    def prepare(cls, kit, run):
        return kit
        yield


def test_the_search_is_the_tuned_behaviors_preparation(store):
    d, answers = make_dataset(store)
    events, result = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=SPEED))
    stages = [e.stage for e in events if e.kind == "StageChanged"]
    assert stages == ["simple", "plan", "collect", "search", "confirm", "baselines"]
    assert [e.kind for e in events].index("PlanScored") > max(
        i for i, e in enumerate(events) if e.kind == "BaselineScored" and e.split == "dev")
    assert result.candidates and result.shipped == "tuned"
    behaviors.register(Unsearched)  # in the tuned demonstration's place
    try:
        events, result = drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG,
                                                tokens_per_second=SPEED))
    finally:
        behaviors.register(Tuned)
    assert result.status == "finished"
    assert [e.stage for e in events if e.kind == "StageChanged"] == ["simple", "confirm", "baselines"]
    assert not any(e.kind in ("PlanScored", "NodeAdded") for e in events)
    assert result.candidates == [] and "tuned" not in {b.method for b in result.baselines}


class NotARun:
    """A preparation that offers no search (`debop ask`, a benchmark): no context, no forest."""


def test_outside_a_run_the_tuned_demonstration_searches_nothing():
    kit = PromptKit("Add the numbers.", AnswerSpace("number"))
    assert drain(Tuned.prepare(kit, NotARun()))[1] is kit
