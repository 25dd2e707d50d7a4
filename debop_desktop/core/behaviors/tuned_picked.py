"""The tuned behavior picked by probability: the search's demonstration, the model writing the
plan's steps as the tuned behavior does, but not its answer. Generation stops where the answer
field begins; the filled steps become the start of the reply and each allowed answer is scored
as its continuation (one cheap probability request for the batch); the likeliest is the answer.
No reply is unreadable and every answer is an allowed one, while the steps still lead to it.

The reply recorded is the filled plan with the picked answer in its answer field, so the
Mistakes table and `ask` show the steps the answer followed. A run scores it on the dev sample
once the search has found its demonstration (`baselines.score_on_dev(searched=True)`), and it
competes in the pool like every try.

Calibrated or not is chosen per run on the dev sample (`prepare`): divided by the
probabilities the same demonstration gives after steps written for a content-free question
("N/A"), the picks spread out where the demonstration leans to one label (news topics:
docs/benchmarks.md, "The tuned demonstration picked by probability").
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import replace

from debop_desktop.core import messages as msg
from debop_desktop.core.behaviors.base import Answers, AnswerSettings, Behavior, Gateway, Reply, TaskFacts
from debop_desktop.core.llm.base import ChatMessage, GenerationParams
from debop_desktop.core.optimizer.calibrated import CONTENT_FREE, answer_probabilities_many, calibrate
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
    needs_search = True  # a simple candidate scored on dev once the search has found its demonstration
    needs_closed_answers = True
    # the steps written; weighing the answers after them (one request for a batch) counts with
    # them, as a follow-up turn does (a prompt pass, no writing)
    calls_per_question = 1

    @classmethod
    def build(cls, kit, settings):
        return cls(kit, settings) if kit.space.closed and kit.demo is not None else None

    @classmethod
    def token_limit(cls, settings: AnswerSettings) -> int:
        return settings.max_tokens

    @classmethod
    def preparation_calls(cls, facts: TaskFacts, dev: int) -> dict[str, int]:
        """The dev sample's steps, and the content-free steps (each weighed with them)."""
        return {cls.kind_of_call(): dev + 1} if cls.applies(facts) else {}

    @classmethod
    def prepare(cls, kit, run):
        """Whether to calibrate, chosen on the run's dev sample once the search has found the
        demonstration: the steps for "N/A" give the content-free probabilities; each dev
        question's steps and pick are judged raw and calibrated (the same probabilities, so one
        pass), and calibration is kept when it gets more of them right. Kept in the kit with
        the content-free probabilities, so `ask` answers as the run scored."""
        if cls.state_in(kit) is not None or kit.demo is None or not kit.space.closed or not run.dev:
            return kit
        b = cls(kit, AnswerSettings.from_config(run.config))
        gateway = run.gateway(cls.name)
        try:
            scored = yield from b._scored(gateway, [e.input for e in run.dev])
            free = yield from b._content_free(gateway, [a for _, _, a, p in scored if p is not None])
        except NotImplementedError:  # a backend that cannot score answers: the run leaves it out, and says so
            return kit
        right = [0, 0]
        for e, (_, start, answers, p) in zip(run.dev, scored, strict=True):
            if p is None:
                continue
            for way, probs in enumerate((p, calibrate(p, free[answers]) if answers in free else None)):
                if probs is not None:
                    right[way] += run.right(e, filled_reply(start, _likeliest(answers, probs)))
        return cls.with_state(kit, {"calibrated": right[1] > right[0], "dev_right": right,
                                    "content_free": [[list(a), list(p)] for a, p in free.items()]})

    def __init__(self, kit, settings) -> None:
        from debop_desktop.core import behaviors  # the registry imports this module

        super().__init__(kit, settings)
        inner = behaviors.build("tuned", kit, settings)
        assert inner is not None  # `build` makes none without a demonstration
        self.inner = inner
        state = self.state or {}
        self.calibrated = bool(state.get("calibrated"))
        self._free: dict[tuple[str, ...], tuple[float, ...]] = {
            tuple(a): tuple(float(x) for x in p) for a, p in state.get("content_free", ())}

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
        allowed answers after them; calibrated by the content-free probabilities when the run
        chose it (measured here only when the kit lacks them). Raises NotImplementedError when
        the backend cannot score answers."""
        started = time.perf_counter()
        scored = yield from self._scored(gateway, questions)
        free: dict[tuple[str, ...], tuple[float, ...]] = {}
        if self.calibrated:
            free = yield from self._content_free(gateway, [a for _, _, a, p in scored if p is not None])
        seconds = (time.perf_counter() - started) / max(1, len(questions))
        how = msg.TUNED_PICKED_CALIBRATED_REASON if self.calibrated else msg.TUNED_PICKED_REASON
        replies = []
        for steps, start, answers, p in scored:
            if steps is None or start is None:
                replies.append(Reply(steps, "" if steps is None else msg.CALIBRATED_NO_OPTIONS))
                continue
            if p is None:  # the steps and an answer do not fit the context
                replies.append(Reply(None))
                continue
            p = calibrate(p, free[answers]) if self.calibrated and answers in free else p
            best = _likeliest(answers, p)
            shown = ", ".join(f"{a} {v:.2f}" for a, v in zip(answers, p, strict=True))
            text = filled_reply(start, best)
            replies.append(Reply(replace(steps, text=text, finish_reason="stop", seconds=steps.seconds + seconds),
                                 how.format(shown=shown), max(p)))
        return replies

    def _scored(self, gateway: Gateway, questions: Sequence[str]):
        """For each question: its steps (None: the prompt does not fit), the reply's start
        (None: fewer than two answers allowed), the allowed answers and their raw
        probabilities after the start (None: they do not fit)."""
        answers = [self.kit.space.allowed_for(q) for q in questions]
        steps = yield from gateway.chat_many([self.messages(q) for q in questions], self.steps_params())
        asked = [k for k, c in enumerate(steps) if c is not None and len(answers[k]) >= 2]
        starts: dict[int, str] = {k: reply_start(steps[k].text) for k in asked}  # type: ignore[union-attr]
        probs = yield from _weighed(gateway, [(self._begun(questions[k], starts[k]), answers[k]) for k in asked])
        got = dict(zip(asked, probs, strict=True))
        return [(steps[k], starts.get(k), answers[k], got.get(k)) for k in range(len(questions))]

    def _begun(self, question: str, start: str) -> list[ChatMessage]:
        return [*self.messages(question), ChatMessage("assistant", start)]

    def _content_free(self, gateway: Gateway, answer_sets: list[tuple[str, ...]]):
        """The content-free probabilities of each answer set: steps written for "N/A", then
        the same pick; measured once per answer set (a run's kit holds them)."""
        todo = [a for a in dict.fromkeys(answer_sets) if a not in self._free]
        if todo:
            steps = yield from gateway.chat_many([self.messages(CONTENT_FREE)], self.steps_params())
            if steps[0] is not None:
                begun = self._begun(CONTENT_FREE, reply_start(steps[0].text))
                for a, p in zip(todo, (yield from _weighed(gateway, [(begun, a) for a in todo])), strict=True):
                    if p is not None:
                        self._free[a] = p
        return dict(self._free)

    def rule_note(self) -> str:
        return msg.EXPORT_TUNED_PICKED_NOTE.format(answers=", ".join(self.kit.space.allowed())
                                                   or msg.PICKED_ANY_OPTION)


def _weighed(gateway: Gateway, items: list[tuple[list[ChatMessage], tuple[str, ...]]]):
    """Each item's allowed answers' probabilities after its reply's start, in one request that
    counts with the steps it follows (no call of its own); None for one that does not fit."""
    if not items:
        return []
    done = yield from gateway.pick(lambda backend, cancel: answer_probabilities_many(backend, items, cancel), calls=0)
    return list(done) if done is not None else [None] * len(items)


def _likeliest(answers: Sequence[str], probs: Sequence[float]) -> str:
    return answers[max(range(len(answers)), key=lambda i: (probs[i], -i))]


BUILT_IN = (TunedPicked,)
