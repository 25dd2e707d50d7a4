"""Prompt behaviors whose answer is picked by probability: for a task with a small answer set,
the prompt is not answered in words; the model scores each allowed answer as the start of its
reply (one prompt pass per question, as the calibrated pick does with the direct prompt) and
the likeliest is the answer. No reply is unreadable, and every answer is an allowed one.

A `calibrated` kind would also divide by the probabilities the same prompt gives a
content-free question ("N/A" in the question's place, with the same examples): one more pass
per different prompt. Neither built-in kind is: on film reviews and question kinds it gave the
same number right or fewer (docs/benchmarks.md, "New behaviors (issue 22)").
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import ClassVar

from debop_desktop.core import messages as msg
from debop_desktop.core.behaviors.base import Answers, Behavior, Gateway, Reply
from debop_desktop.core.behaviors.nearest import NearestExamples
from debop_desktop.core.behaviors.prompted import FewExamples, PromptBehavior
from debop_desktop.core.llm.base import ChatMessage, Completion
from debop_desktop.core.optimizer.calibrated import CONTENT_FREE, answer_probabilities_many, calibrate


class PickedByProbability(Behavior):
    """`prompt`'s messages, answered by the likeliest allowed answer."""

    rank = 1
    needs_closed_answers = True  # the allowed answers are what is scored
    prompt: ClassVar[type[PromptBehavior]]
    calibrated: ClassVar[bool] = False

    @classmethod
    def build(cls, kit, settings):
        if not kit.space.closed or cls.prompt.build(kit, settings) is None:
            return None
        return cls(kit, settings)

    @classmethod
    def prepare(cls, kit, run):
        """What its prompt prepares (kept under the prompt's name, so the two share it)."""
        return (yield from cls.prompt.prepare(kit, run))

    def __init__(self, kit, settings) -> None:
        super().__init__(kit, settings)
        self.inner = self.prompt(kit, settings)
        self._free: dict[tuple[tuple[ChatMessage, ...], tuple[str, ...]], tuple[float, ...]] = {}

    def messages(self, question: str) -> list[ChatMessage]:
        return self.inner.messages(question)

    def content_free_messages(self, question: str) -> list[ChatMessage]:
        """The same prompt with the content-free question in the question's place."""
        return self.messages(question)[:-1] + self.prompt(self.kit, self.settings).messages(CONTENT_FREE)[-1:]

    def answer_many(self, gateway: Gateway, questions: Sequence[str]) -> Answers:
        """One probability request for the batch (the questions scored together where the
        backend can, each equal to its own request), and when calibrated one for the
        content-free prompts not measured yet; raises NotImplementedError when the backend
        cannot score answers."""
        answers = [self.kit.space.allowed_for(q) for q in questions]
        asked = [k for k, a in enumerate(answers) if len(a) >= 2]
        started = time.perf_counter()
        probs = yield from _probabilities(gateway, [(self.messages(questions[k]), answers[k]) for k in asked])
        if self.calibrated:
            free = yield from self._content_free(gateway, [(questions[k], answers[k]) for k in asked])
            probs = [None if p is None or f is None else calibrate(p, f) for p, f in zip(probs, free, strict=True)]
        seconds = (time.perf_counter() - started) / max(1, len(questions))
        replies = [Reply(_said("", seconds), msg.CALIBRATED_NO_OPTIONS)] * len(questions)
        how = msg.PICKED_CALIBRATED_REASON if self.calibrated else msg.PICKED_REASON
        for k, p in zip(asked, probs, strict=True):
            if p is None:  # the prompt does not fit the context
                replies[k] = Reply(None)
                continue
            best = max(range(len(p)), key=lambda i: (p[i], -i))
            shown = ", ".join(f"{a} {v:.2f}" for a, v in zip(answers[k], p, strict=True))
            replies[k] = Reply(_said(answers[k][best], seconds), how.format(shown=shown), p[best])
        return replies

    def _content_free(self, gateway: Gateway, items: list[tuple[str, tuple[str, ...]]]):
        """Each question's content-free probabilities, measured once per different prompt."""
        keys = [(tuple(self.content_free_messages(q)), a) for q, a in items]
        todo = [k for k in dict.fromkeys(keys) if k not in self._free]
        for key, p in zip(todo, (yield from _probabilities(gateway, [(list(m), a) for m, a in todo])), strict=True):
            if p is not None:
                self._free[key] = p
        return [self._free.get(key) for key in keys]

    def rule_note(self) -> str:
        return msg.EXPORT_PICKED_NOTE.format(answers=", ".join(self.kit.space.allowed()) or msg.PICKED_ANY_OPTION)


class FewExamplesPicked(PickedByProbability):
    name = "few_examples_picked"
    label = msg.FEW_EXAMPLES_PICKED_LABEL
    prompt = FewExamples


class NearestExamplesPicked(PickedByProbability):
    name = "nearest_examples_picked"
    label = msg.NEAREST_EXAMPLES_PICKED_LABEL
    prompt = NearestExamples
    uses_pool = True


def _probabilities(gateway: Gateway, items: list[tuple[list[ChatMessage], tuple[str, ...]]]):
    """`answer_probabilities_many` through the gateway, counted as one call per question; None
    for a prompt that does not fit."""
    if not items:
        return []
    done = yield from gateway.pick(lambda backend, cancel: answer_probabilities_many(backend, items, cancel),
                                   calls=len(items))
    return list(done) if done is not None else [None] * len(items)


def _said(text: str, seconds: float) -> Completion:
    return Completion(text, "stop", 0, 0, seconds, 0)


BUILT_IN = (FewExamplesPicked, NearestExamplesPicked)
