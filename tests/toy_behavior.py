"""A toy behavior, written the way a new kind is added: one module, its registration and its
words, and nothing else in the app edited. It gives every question the first allowed answer
the train split gives: chosen once per run in its `prepare` and kept as its own state in the
run's kit (`with_state`), so a resumed run, `ask` and exports read the same answer back."""

from debop_desktop.core import behaviors
from debop_desktop.core.behaviors import Behavior, Reply
from debop_desktop.core.llm.base import Completion


class FirstAllowed(Behavior):
    name = "first_allowed"
    rank = 2  # a rule: one answer for every question, like the most common answer
    counts_calls = False
    label = "The first allowed answer (toy)"
    prepared = 0  # how many times a run chose its answer (a resumed run reads it back instead)

    @classmethod
    def prepare(cls, kit, run):
        if cls.state_in(kit) is not None:  # a resumed run's kit holds it already
            return kit
        allowed = kit.space.allowed()
        first = next((e.answer for e in run.examples if e.answer in allowed), None)
        if first is None:
            return kit
        cls.prepared += 1
        return cls.with_state(kit, {"answer": first, "from_train": len(run.examples)})
        yield  # a generator like every preparation, though it asks no model

    @classmethod
    def build(cls, kit, settings):
        return cls(kit, settings) if cls.state_in(kit) else None

    def answer_many(self, gateway, questions):
        said = self.state["answer"]
        return [Reply(Completion(said, "stop", 0, 0, 0.0, 0), "the first allowed answer") for _ in questions]
        yield

    def rule_note(self):
        return f"A file cannot carry this rule: the app answers '{self.state['answer']}' to every question."


def install():
    behaviors.register(FirstAllowed)


def remove():
    behaviors.unregister(FirstAllowed.name)
