"""A searched set of solved examples (issue 22, item 4): which train questions the few-examples
prompt shows, and in what order, chosen on the dev sample by the likeliest allowed answer; the
search is the behavior's preparation (scripted model: search logic only)."""

import json
import math

from run_helpers import drain
from test_optimizer_run import SPEED

from debop_desktop.core import behaviors
from debop_desktop.core.behaviors import AnswerSettings, BackendGateway, drive
from debop_desktop.core.behaviors.searched import BUDGET, NAME, candidate_sets, chosen
from debop_desktop.core.datasets.repository import DatasetRepository, Example, NewExample
from debop_desktop.core.llm.fake import ScriptedBackend
from debop_desktop.core.optimizer.candidates import PromptKit
from debop_desktop.core.optimizer.config import OptimizerConfig
from debop_desktop.core.optimizer.confirm import confirmation_questions
from debop_desktop.core.optimizer.export import load_tuned
from debop_desktop.core.optimizer.run import run_optimization
from debop_desktop.core.scoring.answer_space import AnswerSpace

COLOURS = ("red", "blue", "green")
TEAMS = {"Ajax": "red", "Bayern": "blue", "Celtic": "green", "Dynamo": "red", "Everton": "blue", "Fulham": "green"}
SPACE = AnswerSpace("labels", COLOURS)
SETTINGS = AnswerSettings()


def question(i):
    team = list(TEAMS)[i % len(TEAMS)]
    return f"What colour does {team} wear in match {i}?", TEAMS[team]


def balanced_or_copying(messages, answers):
    """A scripted model that is right when its examples show every colour, and otherwise says
    the last example's answer (red with no example)."""
    shown = [m.content for m in messages if m.role == "assistant"]
    asked = messages[-1].content.split("Question: ", 1)[1].split("\n", 1)[0]
    team = asked.split("does ", 1)[1].split(" ", 1)[0]
    said = TEAMS[team] if set(shown) == set(COLOURS) else (shown[-1] if shown else "red")
    return [math.log(0.8 if a.lower() == said else 0.1) for a in answers]


class Preparing:
    """What a run offers the preparation: the train split, the dev sample, the seed, a judge."""

    def __init__(self, dev, seed=1, train=()):
        self.dev, self.seed, self.examples = dev, seed, train
        self.train = [e.input for e in train]
        self.asked: list[str] = []

    def gateway(self, kind):
        assert kind == NAME
        return BackendGateway(self.backend)

    def warn_once(self, key, message):
        return None

    def right(self, example, output):
        return output == example.answer


def example(i, split="dev"):
    q, a = question(i)
    return Example(i, 1, i, q, a, "", split)


POOL = tuple(question(i) for i in range(100, 130))
FEW = (question(100), question(103))  # red, red: not every colour
KIT = PromptKit("Which colour?", SPACE, few=FEW, pool=POOL)


def always_red(messages, answers):
    return [math.log(0.8 if a.lower() == "red" else 0.1) for a in answers]


def prepare(dev, seed=1, model=balanced_or_copying):
    run = Preparing(dev, seed)
    run.backend = ScriptedBackend(["red"], logprobs=model)
    kit = drive(behaviors.kind(NAME).prepare(KIT, run))
    return kit, run.backend


def test_the_search_finds_examples_that_beat_the_few_examples_on_dev_deterministically():
    dev = [example(i) for i in range(20)]
    kit, backend = prepare(dev)
    state = behaviors.kind(NAME).state_in(kit)
    assert set(a for _, a in chosen(state)) == set(COLOURS) and state["right"] == 20 and state["of"] == 20
    assert behaviors.build("few_examples_picked", kit, SETTINGS) is not None
    again, _ = prepare(dev)
    assert chosen(behaviors.kind(NAME).state_in(again)) == chosen(state)  # the same seed, the same examples
    b = behaviors.build(NAME, kit, SETTINGS)
    replies = drive(b.answer_many(BackendGateway(backend), [e.input for e in dev[:6]]))
    assert [r.completion.text for r in replies] == [e.answer for e in dev[:6]]
    assert b.messages("q")[1].content in [a for _, a in chosen(state)] and b.rank == 1 and b.rule_note()


def test_the_search_asks_only_dev_questions_within_its_budget_and_races():
    dev = [example(i) for i in range(20)]
    kit, backend = prepare(dev)
    asked = [m[-1].content.split("Question: ", 1)[1].split("\n", 1)[0] for m, _ in backend.logprob_calls]
    assert set(asked) <= {e.input for e in dev}  # never the confirmation questions or the final exam
    assert len(asked) <= 6 * 20 and BUDGET == 6
    state = behaviors.kind(NAME).state_in(kit)
    assert state["calls"] == len(asked) and state["tried"] >= 3
    assert len(asked) < state["tried"] * len(dev)  # racing: a set that cannot win stops early
    assert backend.calls == []  # no reply was written


def test_no_set_starts_that_could_take_the_search_past_its_budget():
    dev = [example(i) for i in range(20)]
    kit, backend = prepare(dev, model=always_red)  # every set ties: none can be stopped early
    state = behaviors.kind(NAME).state_in(kit)
    assert len(backend.logprob_calls) == state["calls"] == 6 * 20 and state["tried"] == 6
    assert chosen(state) == FEW  # a tie keeps the earlier: the run's few examples


def test_a_prepared_kit_asks_nothing_again_and_without_a_pool_or_closed_answers_there_is_no_search():
    kit, _ = prepare([example(i) for i in range(8)])

    class Silent(Preparing):
        def gateway(self, kind):
            raise AssertionError("a prepared kit asks the model nothing")

    assert drain(behaviors.kind(NAME).prepare(kit, Silent([example(1)])))[1] is kit
    bare = PromptKit("Which colour?", SPACE, few=FEW)
    assert drain(behaviors.kind(NAME).prepare(bare, Silent([example(1)])))[1] is bare
    assert behaviors.build(NAME, bare, SETTINGS) is None
    free = PromptKit("Say it.", AnswerSpace("free"), few=FEW, pool=POOL)
    assert drain(behaviors.kind(NAME).prepare(free, Silent([example(1)])))[1] is free
    assert candidate_sets(FEW, POOL[:3], __import__("random").Random(1)) == []  # too few to choose from


def colour_task(store):
    rows = []
    for i in range(90):
        q, a = question(i)
        rows.append(NewExample(q, a, ("train", "dev", "test")[i // 3 % 3]))
    return DatasetRepository(store).create(name="colours", examples=rows, instruction="Which colour?",
                                           scorer="label", scorer_options={"labels": list(COLOURS)},
                                           answer_type="label")


def test_a_run_searches_on_its_dev_sample_only_ships_it_and_ask_answers_as_scored(store):
    d = colour_task(store)
    backend = ScriptedBackend(["red"], logprobs=balanced_or_copying)
    cfg = OptimizerConfig(dev_limit=10, test_limit=12, search=False, seed=3,
                          baselines=("direct", "few_examples_picked", NAME))
    seen = []

    class Watched(behaviors.kind(NAME)):
        @classmethod
        def prepare(cls, kit, run):
            seen.extend(e.id for e in run.dev)
            return (yield from super().prepare(kit, run))

    behaviors.register(Watched)
    try:
        events, result = drain(run_optimization(store, backend, d.id, cfg, tokens_per_second=SPEED))
    finally:
        behaviors.register(behaviors.searched.SearchedExamplesPicked)
    assert result.status == "finished" and result.shipped == NAME
    repo = DatasetRepository(store)
    all_dev, test = repo.optimizer_examples(d.id, "dev"), repo.examples(d.id, "test")
    dev_sample = {e.id for e in all_dev} & set(seen)
    assert len(seen) == 10 and dev_sample == set(seen)
    confirming = {e.id for e in confirmation_questions(all_dev, [e for e in all_dev if e.id in dev_sample], 3)}
    assert confirming and not set(seen) & confirming and not set(seen) & {e.id for e in test}
    assert result.verdict["test"][NAME]["right"] == 12
    tuned = load_tuned(store, result.run_id)  # rebuilt from the run's record, as ask does
    assert tuned.answer(backend, "What colour does Fulham wear in match 999?").text == "green"


def test_the_chosen_examples_survive_a_resume_unsearched(store):
    from debop_desktop.core.llm.base import CancelToken
    from debop_desktop.core.optimizer.run import resume

    d = colour_task(store)
    cfg = OptimizerConfig(dev_limit=10, test_limit=12, search=False, seed=3, baselines=("direct", NAME))
    cancel = CancelToken()
    for event in run_optimization(store, ScriptedBackend(["red"], logprobs=balanced_or_copying), d.id, cfg,
                                  tokens_per_second=SPEED, cancel=cancel):
        if event.kind == "BaselineScored":  # after the search, before the final exam
            cancel.cancel()
    run_id = store.execute("SELECT max(id) FROM runs").fetchone()[0]
    stored = json.loads(store.execute("SELECT summary_json FROM runs WHERE id = ?", (run_id,)).fetchone()[0])
    kit = PromptKit.from_json(stored["behavior"])
    examples = chosen(behaviors.kind(NAME).state_in(kit))
    assert set(a for _, a in examples) == set(COLOURS)
    backend = ScriptedBackend(["red"], logprobs=balanced_or_copying)
    _, result = drain(resume(store, backend, run_id, tokens_per_second=SPEED))
    assert result.status == "finished" and result.verdict["test"][NAME]["right"] == 12
    shown = {tuple(m.content for m in messages if m.role == "assistant") for messages, _ in backend.logprob_calls}
    assert shown == {tuple(a for _, a in examples)}  # the chosen examples only: no set was tried again


def test_the_estimate_counts_the_search_besides_the_answers():
    from debop_desktop.core.optimizer.config import PRESETS, estimate_cost

    def calls(baselines, closed=True):
        cfg = PRESETS["quick"].with_overrides(baselines=baselines)
        return estimate_cost(cfg, n_train=180, n_dev=60, n_test=60, avg_question_tokens=60, prompt_tokens_per_s=250,
                             gen_tokens_per_s=50, closed_answers=closed).model_calls

    base = PRESETS["quick"].baselines
    assert calls((*base, NAME)) - calls(base) == 6 * 20 + 20 + 40  # the search, the dev sample, the final exam
    assert calls((*base, NAME), closed=False) == calls(base, closed=False)  # nothing to pick from: no search
