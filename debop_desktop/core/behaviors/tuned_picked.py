"""The tuned behavior picked by probability: the search's demonstration, the model writing the
plan's steps as the tuned behavior does, but not its answer. Generation stops where the answer
field begins; the filled steps become the start of the reply and each allowed answer is scored
as its continuation (one cheap probability request for the batch); the likeliest is the answer.
No reply is unreadable and every answer is an allowed one, while the steps still lead to it.

The reply recorded is the filled plan with the picked answer in its answer field, so the
Mistakes table and `ask` show the steps the answer followed.

`calibrated` (off; see docs/benchmarks.md, "The tuned demonstration picked by probability")
would divide by the probabilities the same demonstration gives after steps written for a
content-free question ("N/A"): one more generation and pick per run.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from debop_desktop.core import messages as msg
from debop_desktop.core.behaviors.base import Answers, AnswerSettings, Behavior, Gateway, Reply
from debop_desktop.core.behaviors.picked import _probabilities
from debop_desktop.core.llm.base import ChatMessage, GenerationParams
from debop_desktop.core.optimizer.calibrated import CONTENT_FREE, calibrate
from debop_desktop.core.optimizer.demos import ANSWER_KEY
from debop_desktop.core.scoring.extract import extract_answer

ANSWER_FIELD = json.dumps(ANSWER_KEY)  # '"Answer"': where the steps end and the answer begins


def reply_start(steps: str) -> str:
    """The reply up to the answer's first character: the steps as written (generation stopped
    at the answer field), then the answer field opened. Steps that closed the object without
    an answer field reopen it; steps cut off inside a value (out of tokens) close it first."""
    text = steps.rstrip()
    if text.endswith("}"):
        text = text[:-1].rstrip()
        return f"{text}{', ' if text and text[-1] not in '{,' else ' '}{ANSWER_FIELD}: \""
    if not text:
        return f'{{{ANSWER_FIELD}: "'
    if text.endswith(("{", ",")):
        return f"{steps}{ANSWER_FIELD}: \""
    return f'{text}", {ANSWER_FIELD}: "'


def filled_reply(start: str, answer: str) -> str:
    """The whole reply: the start, the picked answer, the object closed. When a reader would
    not find `answer` in it (steps that are not JSON), the answer is added as its own object."""
    text = f'{start}{answer}"}}'
    found = extract_answer(text).text
    if found is not None and found.strip().lower() == answer.lower():
        return text
    return f"{text}\n{json.dumps({ANSWER_KEY: answer}, ensure_ascii=False)}"


class TunedPicked(Behavior):
    name = "tuned_picked"
    rank = 1
    label = msg.TUNED_PICKED_LABEL
    simple = False
    needs_search = True
    needs_closed_answers = True
    calls_per_question = 2  # the steps written, then the answers weighed (one request for a batch)
    calibrated: ClassVar[bool] = False

    @classmethod
    def build(cls, kit, settings):
        return cls(kit, settings) if kit.space.closed and kit.demo is not None else None

    @classmethod
    def token_limit(cls, settings: AnswerSettings) -> int:
        return settings.max_tokens

    def __init__(self, kit, settings) -> None:
        from debop_desktop.core import behaviors  # the registry imports this module

        super().__init__(kit, settings)
        inner = behaviors.build("tuned", kit, settings)
        assert inner is not None  # `build` makes none without a demonstration
        self.inner = inner
        self._free: dict[tuple[str, ...], tuple[float, ...]] = {}

    def messages(self, question: str) -> list[ChatMessage]:
        return self.inner.messages(question)

    def generation_params(self) -> GenerationParams:
        """What a file export carries: the tuned behavior's settings (the file's model writes
        its answer too)."""
        return self.inner.generation_params()

    def steps_params(self) -> GenerationParams:
        """The tuned behavior's settings (its token limit, its plan's grammar under structured
        output), stopping where the answer field begins."""
        params = self.inner.generation_params()
        return replace(params, stop=(*params.stop, ANSWER_FIELD))

    def answer_many(self, gateway: Gateway, questions: Sequence[str]) -> Answers:
        """The steps for the batch (one chat request), then one probability request for the
        allowed answers after them; when calibrated, the content-free steps and pick once.
        Raises NotImplementedError when the backend cannot score answers."""
        answers = [self.kit.space.allowed_for(q) for q in questions]
        steps = yield from gateway.chat_many([self.messages(q) for q in questions], self.steps_params())
        asked = [k for k, c in enumerate(steps) if c is not None and len(answers[k]) >= 2]
        started = time.perf_counter()
        starts = {k: reply_start(steps[k].text) for k in asked}  # type: ignore[union-attr]
        probs = yield from _probabilities(gateway, [(self._begun(questions[k], starts[k]), answers[k]) for k in asked])
        if self.calibrated and asked:
            free = yield from self._content_free(gateway, [answers[k] for k in asked])
            probs = [None if p is None or f is None else calibrate(p, f) for p, f in zip(probs, free, strict=True)]
        seconds = (time.perf_counter() - started) / max(1, len(asked))
        how = msg.TUNED_PICKED_CALIBRATED_REASON if self.calibrated else msg.TUNED_PICKED_REASON
        replies = [Reply(c) if c is None else Reply(c, msg.CALIBRATED_NO_OPTIONS) for c in steps]
        for k, p in zip(asked, probs, strict=True):
            first = steps[k]
            assert first is not None
            if p is None:  # the steps and an answer do not fit the context
                replies[k] = Reply(None)
                continue
            best = max(range(len(p)), key=lambda i: (p[i], -i))
            shown = ", ".join(f"{a} {v:.2f}" for a, v in zip(answers[k], p, strict=True))
            text = filled_reply(starts[k], answers[k][best])
            replies[k] = Reply(replace(first, text=text, finish_reason="stop", seconds=first.seconds + seconds),
                               how.format(shown=shown), p[best])
        return replies

    def _begun(self, question: str, start: str) -> list[ChatMessage]:
        return [*self.messages(question), ChatMessage("assistant", start)]

    def _content_free(self, gateway: Gateway, answer_sets: list[tuple[str, ...]]):
        """The content-free probabilities of each answer set: steps written for "N/A", then
        the same pick; measured once per answer set."""
        todo = [a for a in dict.fromkeys(answer_sets) if a not in self._free]
        if todo:
            steps = yield from gateway.chat_many([self.messages(CONTENT_FREE)], self.steps_params())
            if steps[0] is not None:
                begun = self._begun(CONTENT_FREE, reply_start(steps[0].text))
                for a, p in zip(todo, (yield from _probabilities(gateway, [(begun, a) for a in todo])), strict=True):
                    if p is not None:
                        self._free[a] = p
        return [self._free.get(a) for a in answer_sets]

    def rule_note(self) -> str:
        return msg.EXPORT_TUNED_PICKED_NOTE.format(answers=", ".join(self.kit.space.allowed())
                                                   or msg.PICKED_ANY_OPTION)


class CalibratedTunedPicked(TunedPicked):
    """Measured, not registered (docs/benchmarks.md): the same, calibrated."""

    name = "tuned_picked_calibrated"
    calibrated = True


BUILT_IN = (TunedPicked,)
