"""A behavior keeps what it chooses once per run as JSON of its own in the run's kit
(`Behavior.with_state`, `Behavior.state_in`): stored with the kit, read back the same by a
resumed run, `ask` and exports, with no field of the kit added for it. A kit stored before
behaviors kept states reads and writes back exactly as it was stored."""

import json

import pytest
from run_helpers import drain

from debop_desktop.core.behaviors import AnswerSettings
from debop_desktop.core.behaviors.picked import PickedByProbability
from debop_desktop.core.behaviors.prompted import PromptBehavior
from debop_desktop.core.datasets.repository import Example
from debop_desktop.core.optimizer.candidates import PromptKit
from debop_desktop.core.optimizer.prompts import few_example_messages

# a kit as the code before behaviors kept states stored it, every key it could write
STORED_BEFORE = {"instruction": "Is it on the list?", "answer_space": {"kind": "yes_no", "values": []},
                 "few_examples": [["Is 1 on it?", "yes"], ["Is 2 on it?", "no"]],
                 "calibration": {"content_free": "N/A", "probabilities": {"yes": 0.25, "no": 0.75}},
                 "most_common": "no", "plan": {"steps": ["Look.", "Say."], "guidelines": "Be short."},
                 "train_pool": [["Is 1 on it?", "yes"], ["Is 2 on it?", "no"], ["Is 3 on it?", "no"]]}


class Chosen(PromptBehavior):
    """Its examples are the train pairs it chose while preparing, kept as its own state."""

    name = "chosen_examples"

    @classmethod
    def prepare(cls, kit, run):
        if cls.state_in(kit) is not None:
            return kit
        return cls.with_state(kit, {"examples": [(e.input, e.answer) for e in run.examples[:2]]})
        yield

    @classmethod
    def build(cls, kit, settings):
        return cls(kit, settings) if cls.state_in(kit) else None

    def messages(self, question):
        return few_example_messages(self.kit.instruction, question,
                                    [tuple(p) for p in self.state["examples"]], self.kit.space.format_line())


class ChosenPicked(PickedByProbability):
    name = "chosen_examples_picked"
    prompt = Chosen


class Run:
    examples = tuple(Example(i, 1, i, f"Is {i} on it?", "yes" if i % 2 else "no", "", "train") for i in range(5))
    train = tuple(e.input for e in examples)

    def gateway(self, kind):
        raise AssertionError("choosing examples asks the model nothing")

    def warn_once(self, key, message):
        return None


def kit():
    return PromptKit.from_json(STORED_BEFORE)


def test_a_kit_stored_before_states_reads_and_writes_back_byte_for_byte():
    again = kit().to_json()
    assert "states" not in again
    assert json.dumps(again, sort_keys=True) == json.dumps(STORED_BEFORE, sort_keys=True)
    assert json.dumps(again) == json.dumps(STORED_BEFORE)  # the same keys in the same order too
    k = kit()
    assert k.states == () and Chosen.state_in(k) is None and Chosen.build(k, AnswerSettings()) is None
    assert k.calibration == (("yes", 0.25), ("no", 0.75)) and k.most_common == "no" and len(k.pool) == 3


def test_a_state_kept_in_the_run_reads_back_as_after_a_resume():
    prepared = drain(Chosen.prepare(kit(), Run()))[1]
    stored = json.loads(json.dumps(prepared.to_json()))  # as the run's record keeps it
    assert stored["states"] == {"chosen_examples": {"examples": [["Is 0 on it?", "no"], ["Is 1 on it?", "yes"]]}}
    resumed = PromptKit.from_json(stored)
    assert resumed == prepared and resumed.to_json() == prepared.to_json()
    # the run's own kit gives lists, as the resumed one does: the same behavior either way
    assert Chosen.state_in(prepared) == Chosen.state_in(resumed) == stored["states"]["chosen_examples"]
    settings = AnswerSettings()
    assert Chosen.build(prepared, settings).messages("Is 9 on it?") == Chosen.build(resumed, settings).messages(
        "Is 9 on it?")
    assert drain(Chosen.prepare(resumed, Run()))[1] is resumed  # prepared once per run
    # every other key stays as it was stored
    assert {k: v for k, v in stored.items() if k != "states"} == STORED_BEFORE


def test_a_state_is_json_kept_per_name_and_cannot_be_changed_by_its_reader():
    k = kit().with_state("a", {"n": 1}).with_state("b", [1, 2]).with_state("a", {"n": 2})
    assert [name for name, _ in k.states] == ["a", "b"] and k.state("a") == {"n": 2}
    k.state("b").append(3)
    assert k.state("b") == [1, 2] and k.state("nothing") is None
    with pytest.raises(TypeError, match="'a' is not JSON"):
        k.with_state("a", {"when": object()})
    with pytest.raises(TypeError, match="not JSON"):
        k.with_state("a", float("nan"))


def test_a_pick_by_probability_prepares_and_shares_its_prompts_state():
    prepared = drain(ChosenPicked.prepare(kit(), Run()))[1]
    assert [name for name, _ in prepared.states] == ["chosen_examples"]
    picked = ChosenPicked.build(prepared, AnswerSettings())
    assert picked is not None and picked.messages("Is 9 on it?") == Chosen.build(prepared, AnswerSettings()).messages(
        "Is 9 on it?")
    assert ChosenPicked.build(kit(), AnswerSettings()) is None  # not prepared: not made
