"""The searched set of solved examples on real llama.cpp (the tiny random-weight GGUF): the
search runs through the engine's batched answer scoring within its budget, asks only the dev
sample, chooses the same examples twice, and the chosen prompt answers only allowed answers."""

from debop_desktop.core import behaviors
from debop_desktop.core.behaviors import AnswerSettings, BackendGateway, drive
from debop_desktop.core.behaviors.searched import BUDGET, NAME, chosen
from debop_desktop.core.datasets.repository import Example
from debop_desktop.core.llm.llama_engine import LlamaEngine
from debop_desktop.core.optimizer.candidates import PromptKit
from debop_desktop.core.scoring.answer_space import AnswerSpace

TOPICS = ("sports", "business", "world")
POOL = tuple((f"{w} story number {i}", TOPICS[i % 3]) for i, w in enumerate(
    ["Cup", "Shares", "Election", "Striker", "Oil", "Summit", "Final", "Bank", "Treaty", "Coach", "Market", "Vote"]))
DEV = [Example(i, 1, i, f"Headline {i}: {w}", TOPICS[i % 3], "", "dev")
       for i, w in enumerate(["goal", "profit", "border", "match", "trade", "talks"])]


class Counting(BackendGateway):
    asked: list[str] = []

    def pick(self, work, *, calls=1):
        Counting.asked.append(calls)
        return (yield from super().pick(work, calls=calls))


class Preparing:
    def __init__(self, engine):
        self.engine, self.dev, self.seed, self.examples, self.train = engine, DEV, 1, (), [q for q, _ in POOL]

    def gateway(self, kind):
        return Counting(self.engine)

    def warn_once(self, key, message):
        return None

    def right(self, example, output):
        return output == example.answer


def test_the_search_on_a_real_model_stays_in_budget_and_chooses_the_same_twice(tiny_gguf):
    kit = PromptKit("What is the topic?", AnswerSpace("labels", TOPICS), few=POOL[:2], pool=POOL)
    engine = LlamaEngine(n_threads=1)
    engine.load(str(tiny_gguf))
    try:
        Counting.asked = []
        first = drive(behaviors.kind(NAME).prepare(kit, Preparing(engine)))
        calls = sum(Counting.asked)
        again = drive(behaviors.kind(NAME).prepare(kit, Preparing(engine)))
        state = behaviors.kind(NAME).state_in(first)
        assert 0 < calls <= BUDGET * len(DEV) and state["calls"] == calls and 0 <= state["right"] <= len(DEV)
        assert chosen(state) and set(chosen(state)) <= set(POOL) | set(kit.few)
        assert chosen(behaviors.kind(NAME).state_in(again)) == chosen(state)
        b = behaviors.build(NAME, first, AnswerSettings())
        replies = drive(b.answer_many(BackendGateway(engine), ["Bank shares rise", "Cup holders lose"]))
        assert all(r.completion.text in TOPICS and 0 < r.confidence <= 1 for r in replies)
    finally:
        engine.unload()


def test_a_run_on_a_real_model_searches_counts_the_search_and_keeps_what_it_chose(store, tiny_gguf):
    import json

    from run_helpers import drain

    from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
    from debop_desktop.core.optimizer.config import OptimizerConfig
    from debop_desktop.core.optimizer.export import load_tuned
    from debop_desktop.core.optimizer.run import run_optimization

    rows = [NewExample(f"Is {i} even?", "yes" if i % 2 == 0 else "no", ("train", "dev", "test")[i % 3])
            for i in range(60)]
    d = DatasetRepository(store).create(name="evens", examples=rows, instruction="Is it even?", scorer="yes_no",
                                        answer_type="yes_no")
    cfg = OptimizerConfig(dev_limit=6, test_limit=6, search=False, seed=1, baselines=("direct", NAME))
    engine = LlamaEngine(n_threads=1)
    engine.load(str(tiny_gguf))
    try:
        _, result = drain(run_optimization(store, engine, d.id, cfg, tokens_per_second=40.0))
    finally:
        engine.unload()
    assert result.status == "finished" and result.verdict["test"][NAME]["total"] == 6
    summary = json.loads(store.execute("SELECT summary_json FROM runs WHERE id = ?", (result.run_id,)).fetchone()[0])
    state = summary["behavior"]["states"][NAME]
    assert 0 < state["calls"] <= BUDGET * 6 and len(state["examples"]) in (3, 4)  # the few examples, or 4 drawn
    calls = summary["model_calls_this_session"]
    assert calls >= state["calls"] + 2 * 6 + 2 * 6  # the search, then direct and the pick on dev and on the exam
    kit = load_tuned(store, result.run_id).kit
    assert chosen(behaviors.kind(NAME).state_in(kit)) == tuple(tuple(p) for p in state["examples"])
