"""Prompt behaviors whose answer is picked by probability: for a task with a small answer set,
the prompt is not answered in words; the model scores each allowed answer as the start of its
reply (one prompt pass per question, as the calibrated pick does with the direct prompt) and
the likeliest is the answer. No reply is unreadable, and every answer is an allowed one.

`calibrated` kinds also divide by the probabilities the same prompt gives a content-free
question ("N/A" in the question's place, with the same examples): one more pass per
different prompt. Which kinds are calibrated was measured (docs/benchmarks.md, "New
behaviors (issue 22)").
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
from debop_desktop.core.optimizer.calibrated import CONTENT_FREE, answer_probabilities, calibrate


class PickedByProbability(Behavior):
    """`prompt`'s messages, answered by the likeliest allowed answer."""

    rank = 1
    prompt: ClassVar[type[PromptBehavior]]
    calibrated: ClassVar[bool] = False

    @classmethod
    def build(cls, kit, settings):
        if not kit.space.closed or cls.prompt.build(kit, settings) is None:
            return None
        return cls(kit, settings)

    def __init__(self, kit, settings) -> None:
        super().__init__(kit, settings)
        self.inner = self.prompt(kit, settings)
        self._free: dict[tuple[ChatMessage, ...], tuple[float, ...]] = {}

    def messages(self, question: str) -> list[ChatMessage]:
        return self.inner.messages(question)

    def content_free_messages(self, question: str) -> list[ChatMessage]:
        """The same prompt with the content-free question in the question's place."""
        return self.messages(question)[:-1] + self.prompt(self.kit, self.settings).messages(CONTENT_FREE)[-1:]

    def answer_many(self, gateway: Gateway, questions: Sequence[str]) -> Answers:
        """One probability request per question (and, when calibrated, one per different
        content-free prompt); raises NotImplementedError when the backend cannot score answers."""
        replies = []
        for q in questions:
            answers = self.kit.space.allowed_for(q)
            if len(answers) < 2:
                replies.append(Reply(_said("", 0.0), msg.CALIBRATED_NO_OPTIONS))
                continue
            started = time.perf_counter()
            probs = yield from self._probabilities(gateway, self.messages(q), answers)
            free = None
            if probs is not None and self.calibrated:
                free = yield from self._content_free(gateway, q, answers)
                probs = None if free is None else calibrate(probs, free)
            if probs is None:
                replies.append(Reply(None))
                continue
            best = max(range(len(answers)), key=lambda k: (probs[k], -k))
            shown = ", ".join(f"{a} {p:.2f}" for a, p in zip(answers, probs, strict=True))
            reason = (msg.PICKED_CALIBRATED_REASON if self.calibrated else msg.PICKED_REASON).format(shown=shown)
            replies.append(Reply(_said(answers[best], time.perf_counter() - started), reason, probs[best]))
        return replies

    def _probabilities(self, gateway: Gateway, messages: list[ChatMessage], answers: Sequence[str]):
        done = yield from gateway.pick(
            lambda backend, cancel: (answer_probabilities(backend, messages, answers, cancel),))
        return None if done is None else done[0]

    def _content_free(self, gateway: Gateway, question: str, answers: Sequence[str]):
        messages = self.content_free_messages(question)
        key = (*messages, ChatMessage("answers", "\x00".join(answers)))
        if key not in self._free:
            probs = yield from self._probabilities(gateway, messages, answers)
            if probs is None:
                return None
            self._free[key] = probs
        return self._free[key]

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


def _said(text: str, seconds: float) -> Completion:
    return Completion(text, "stop", 0, 0, seconds, 0)


BUILT_IN = (FewExamplesPicked, NearestExamplesPicked)
