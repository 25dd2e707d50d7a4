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
