"""Nearest examples (the train questions most like each question, as solved examples) and
prompts answered by the likeliest allowed answer (issue 22, item 4)."""

import math

import pytest
from run_helpers import drain
from test_optimizer_run import CFG, SPEED

from debop_desktop.core import behaviors
from debop_desktop.core.behaviors import AnswerSettings, BackendGateway, drive
from debop_desktop.core.behaviors.nearest import POOL_MAX, train_pool
from debop_desktop.core.behaviors.picked import FewExamplesPicked
from debop_desktop.core.datasets.repository import DatasetRepository, Example, NewExample
from debop_desktop.core.llm.fake import ScriptedBackend
from debop_desktop.core.optimizer.candidates import PromptKit
from debop_desktop.core.optimizer.export import load_tuned
from debop_desktop.core.optimizer.prompts import few_example_messages
from debop_desktop.core.optimizer.run import run_optimization
from debop_desktop.core.optimizer.shipping import make_kit
from debop_desktop.core.scoring.answer_space import AnswerSpace

SPACE = AnswerSpace("labels", ("sports", "business", "world"))
POOL = (("Cup final ends in penalties", "sports"), ("Shares fall as bank warns", "business"),
        ("Election called in Spain", "world"), ("Striker signs for cup holders", "sports"),
        ("Oil prices lift shares", "business"))
KIT = PromptKit("What is the topic?", SPACE, few=POOL[:2], pool=POOL)
SETTINGS = AnswerSettings()


def example(i, q, a, split="train"):
    return Example(i, 1, i, q, a, "", split)


def test_nearest_examples_shows_the_most_similar_train_questions_the_closest_last():
    b = behaviors.build("nearest_examples", KIT, SETTINGS)
    shown = b.nearest("Penalties decide the cup final")
    assert len(shown) == 4 and shown[-1] == POOL[0] and POOL[3] in shown  # both cup stories, the closer last
    assert b.messages("Penalties decide the cup final") == few_example_messages(
        KIT.instruction, "Penalties decide the cup final", shown, SPACE.format_line())
    assert b.nearest("Shares and oil")[-1] == POOL[4]
    assert b.is_rule and "4 solved examples" in b.rule_note()


def test_without_a_pool_there_is_no_nearest_examples_behavior():
    bare = PromptKit("What is the topic?", SPACE, few=POOL[:2])
    assert behaviors.build("nearest_examples", bare, SETTINGS) is None
    assert behaviors.build("nearest_examples_picked", bare, SETTINGS) is None
    assert behaviors.build("few_examples_picked", PromptKit("Say it.", AnswerSpace("free"), few=POOL[:2]),
                           SETTINGS) is None  # no small answer set: nothing to pick from


def test_the_kit_keeps_the_train_pool_only_when_a_behavior_draws_from_it_and_rebuilds_it():
    train = [example(i, q, a) for i, (q, a) in enumerate(POOL)]
    assert train_pool(train, ("direct", "few_examples"), 1) == ()
    assert train_pool(train, ("direct", "nearest_examples_picked"), 1) == POOL
    many = [example(i, f"q{i}", "sports") for i in range(POOL_MAX + 50)]
    kept = train_pool(many, ("nearest_examples",), 1)
    assert len(kept) == POOL_MAX and kept == train_pool(many, ("nearest_examples",), 1)
    assert [int(q[1:]) for q, _ in kept] == sorted(int(q[1:]) for q, _ in kept)  # in train order
    again = PromptKit.from_json(KIT.to_json())
    assert again.pool == POOL
    q = "Striker scores in the cup"
    assert behaviors.build("nearest_examples", again, SETTINGS).messages(q) == \
        behaviors.build("nearest_examples", KIT, SETTINGS).messages(q)
    assert "train_pool" not in PromptKit("x", SPACE).to_json()


def leaning_scores():
    """Probabilities that lean towards 'sports': 0.5 for it and 0.4 for the right answer on a
    business or world question, 0.8 on a sports question, 0.7 for the content-free 'N/A'."""
    truth = {"Shares fall again": "business", "Talks in Geneva": "world", "Cup run ends": "sports"}

    def logprobs(messages, answers):
        q = messages[-1].content.split("Question: ", 1)[1].split("\n", 1)[0]
        if q == "N/A":
            p = {"sports": 0.7, "business": 0.15, "world": 0.15}
        elif truth[q] == "sports":
            p = {"sports": 0.8, "business": 0.1, "world": 0.1}
        else:
            p = {"sports": 0.5, "business": 0.1, "world": 0.1} | {truth[q]: 0.4}
        return [math.log(p[a.lower()] / 3) for a in answers]  # each of the three written forms

    return truth, ScriptedBackend(["I think it is sports."], logprobs=logprobs)


def test_a_picked_prompt_answers_only_allowed_answers_with_their_probability():
    truth, backend = leaning_scores()
    b = behaviors.build("few_examples_picked", KIT, SETTINGS)
    replies = drive(b.answer_many(BackendGateway(backend), list(truth)))
    assert [r.completion.text for r in replies] == ["sports", "sports", "sports"]  # raw: the lean wins
    assert all(0.33 < r.confidence <= 1 and r.reason.startswith("picked by probability: sports") for r in replies)
    assert backend.calls == []  # no reply was written
    assert backend.logprob_calls[0][0] == tuple(b.messages("Shares fall again"))
    assert b.rank == 1 and b.is_rule and "sports, business, world" in b.rule_note()


def test_a_calibrated_pick_divides_by_the_content_free_question_once_per_prompt():
    class Calibrated(FewExamplesPicked):
        name = "few_examples_picked_calibrated_test"
        calibrated = True

    truth, backend = leaning_scores()
    b = Calibrated.build(KIT, SETTINGS)
    replies = drive(b.answer_many(BackendGateway(backend), list(truth)))
    assert [r.completion.text for r in replies] == list(truth.values())
    free = [m for m, _ in backend.logprob_calls if "Question: N/A" in m[-1].content]
    assert len(free) == 1 and len(backend.logprob_calls) == 4  # one content-free pass for the same examples
    assert free[0][:-1] == tuple(b.messages("Talks in Geneva"))[:-1]  # the same examples before it
    assert replies[0].reason.startswith("picked by probability, calibrated:")


def copy_task(store):
    """Each question names a team; its answer is that team's colour, the same in every split."""
    teams = [("Ajax", "red"), ("Bayern", "blue"), ("Celtic", "green")]
    rows = []
    for i in range(60):
        team, colour = teams[i % 3]
        split = ("train", "dev", "test")[i // 3 % 3]
        rows.append(NewExample(f"What colour does {team} wear in match {i}?", colour, split))
    return DatasetRepository(store).create(name="colours", examples=rows, instruction="Which colour?",
                                           scorer="label", scorer_options={"labels": ["red", "blue", "green"]},
                                           answer_type="label")


def copying_model(messages, params):
    """A model that repeats the last solved example's answer (and says 'red' without one)."""
    answers = [m.content for m in messages if m.role == "assistant"]
    return answers[-1] if answers else "red"


def test_nearest_examples_is_scored_in_a_run_ships_and_ask_answers_as_scored(store):
    d = copy_task(store)
    backend = ScriptedBackend(copying_model)
    cfg = CFG.with_overrides(baselines=("direct", "few_examples", "nearest_examples", "most_common"),
                             test_limit=12, search=False)
    events, result = drain(run_optimization(store, backend, d.id, cfg, tokens_per_second=SPEED))
    dev = {e.method: e.accuracy for e in events if e.kind == "BaselineScored" and e.split == "dev"}
    assert dev["nearest_examples"] == 1.0 and dev["direct"] < 0.5 and dev["few_examples"] < 0.5
    assert result.status == "finished" and result.shipped == "nearest_examples"
    assert result.verdict["test"]["nearest_examples"]["right"] == 12
    tuned = load_tuned(store, result.run_id)
    assert tuned.answer(backend, "What colour does Celtic wear in match 99?").text == "green"
    assert result.verdict["label"] == "better"
    assert result.verdict["sentence"].startswith("Showing the most similar solved examples helped")


def test_without_its_train_pool_a_run_cannot_make_nearest_examples(store):
    d = copy_task(store)
    repo = DatasetRepository(store)
    train = repo.optimizer_examples(d.id, "train")
    kit = make_kit(d, train, None)
    assert kit.pool == () and behaviors.build("nearest_examples", kit, SETTINGS) is None  # not prepared yet
    with_pool = drive(behaviors.kind("nearest_examples").prepare(kit, Drawing(train, CFG)))
    assert with_pool.pool == tuple((e.input, e.answer) for e in train)
    assert behaviors.build("nearest_examples", with_pool, SETTINGS) is not None


class Drawing:
    """What a run offers a preparation that draws from the train split and asks no model."""

    def __init__(self, train, config):
        self.examples, self.train, self.config, self.seed = train, [e.input for e in train], config, config.seed

    def gateway(self, kind):
        raise AssertionError("drawing examples asks the model nothing")


@pytest.mark.parametrize("name", ["nearest_examples", "few_examples_picked", "nearest_examples_picked"])
def test_each_new_kind_has_a_plain_name(name):
    from debop_desktop.core import messages as msg

    assert behaviors.label(name) != name and name in msg.SHIPPED_NAMES and name in msg.VERDICT_WHAT


def test_the_estimate_counts_each_new_kind_once_a_question_and_no_pick_for_open_answers():
    from debop_desktop.core.optimizer.config import PRESETS, estimate_cost

    def calls(baselines, closed=True):
        cfg = PRESETS["quick"].with_overrides(baselines=baselines)
        return estimate_cost(cfg, n_train=180, n_dev=60, n_test=60, avg_question_tokens=60, prompt_tokens_per_s=250,
                             gen_tokens_per_s=50, closed_answers=closed).model_calls

    new = ("nearest_examples", "few_examples_picked", "nearest_examples_picked")
    base = tuple(b for b in PRESETS["quick"].baselines if b not in new)
    for name in new:
        assert calls((*base, name)) - calls(base) == 20 + 40  # the dev sample and the final exam
    assert calls((*base, "few_examples_picked"), closed=False) == calls(base, closed=False)
    assert calls((*base, "nearest_examples"), closed=False) - calls(base, closed=False) == 60
    assert calls(PRESETS["quick"].baselines) / calls(base) <= 1.5  # the default list within the budget
