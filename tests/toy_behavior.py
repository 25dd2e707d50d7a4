"""A toy behavior, written the way a new kind is added: one module, its registration and its
words, and nothing else in the app edited. It always gives the first allowed answer."""

from debop_desktop.core import behaviors
from debop_desktop.core.behaviors import Behavior, Reply
from debop_desktop.core.llm.base import Completion


class FirstAllowed(Behavior):
    name = "first_allowed"
    rank = 2  # a rule: one answer for every question, like the most common answer
    counts_calls = False
    label = "The first allowed answer (toy)"

    @classmethod
    def build(cls, kit, settings):
        return cls(kit, settings) if kit.space.allowed() else None

    def answer_many(self, gateway, questions):
        first = self.kit.space.allowed()[0]
        return [Reply(Completion(first, "stop", 0, 0, 0.0, 0), "the first allowed answer") for _ in questions]
        yield

    def rule_note(self):
        return f"A file cannot carry this rule: the app answers '{self.kit.space.allowed()[0]}' to every question."


def install():
    behaviors.register(FirstAllowed)


def remove():
    behaviors.unregister(FirstAllowed.name)
