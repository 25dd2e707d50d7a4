"""A behavior prepares itself once per run, before any answer (`Behavior.prepare`): the run
prepares only the behaviors it compares, through the run's gateway (its calls counted), and
the calibrated pick's content-free probabilities are its own preparation."""

import pytest
from run_helpers import drain
from simulated_env import simulated_backend
from test_optimizer_run import CFG, SPEED, make_dataset

from debop_desktop.core import behaviors
from debop_desktop.core.behaviors import Behavior
from debop_desktop.core.optimizer.candidates import PromptKit
from debop_desktop.core.optimizer.run import run_optimization
from debop_desktop.core.scoring.answer_space import AnswerSpace

PREPARED = []


class Looked(Behavior):
    """Asks the model one question while it prepares, then answers as plain prompting would not:
    it is never scored here (its build gives nothing), only prepared."""

    name = "looked_once"

    @classmethod
    def prepare(cls, kit, run):
        said = yield from run.gateway(cls.name).pick(lambda backend, cancel: len(run.train))
        PREPARED.append(said)
        warning = run.warn_once("looked", "looked once")
        if warning:
            yield warning
        return kit

    @classmethod
    def build(cls, kit, settings):
        return None


@pytest.fixture
def looked():
    PREPARED.clear()
    behaviors.register(Looked)
    yield Looked
    behaviors.unregister(Looked.name)


def test_a_run_prepares_the_behaviors_it_compares_once_before_any_answer(store, looked):
    d, answers = make_dataset(store)
    cfg = CFG.with_overrides(baselines=(*CFG.baselines, "looked_once"))
    events, result = drain(run_optimization(store, simulated_backend(answers)[0], d.id, cfg, tokens_per_second=SPEED))
    assert result.status == "finished" and PREPARED == [30]  # the 30 train questions
    kinds = [e.kind for e in events]
    said = next(i for i, e in enumerate(events) if e.kind == "Warning" and e.message == "looked once")
    assert said < kinds.index("BaselineScored")
    progress = [e for e in events if e.kind == "Progress"]
    assert progress[0].done == 0 and progress[-1].done > 0
    PREPARED.clear()
    drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=SPEED))
    assert PREPARED == []  # not compared: not prepared


class NoGateway:
    train = ("Is 2 even?", "Is 3 even?")

    def gateway(self, kind):
        raise AssertionError("a prepared kit asks the model nothing")

    def warn_once(self, key, message):
        return None


def test_a_kit_that_holds_the_calibration_is_not_measured_again():
    kit = PromptKit("Is it even?", AnswerSpace("yes_no"), calibration=(("yes", 0.4), ("no", 0.6)))
    assert drain(behaviors.kind("calibrated").prepare(kit, NoGateway()))[1] is kit
    assert drain(behaviors.kind("direct").prepare(kit, NoGateway()))[1] is kit
