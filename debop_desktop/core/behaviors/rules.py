"""Behaviors that are a rule, not a prompt: no file can carry them.

The calibrated pick: for a task with a small answer set, the allowed answer the model finds
likeliest, corrected for the lean the prompt itself gives it (calibrated.py). The most
common answer: the train split's most common expected answer given to every question, with
no model call; the bar any behavior must clear on such a task.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from debop_desktop.core import messages as msg
from debop_desktop.core.behaviors.base import Answers, Behavior, Gateway, Reply
from debop_desktop.core.llm.base import Completion
from debop_desktop.core.optimizer import verdict  # its `majority`: verdict.py imports the registry
from debop_desktop.core.optimizer.calibrated import (
    TOO_LONG,
    Pick,
    answer_probabilities,
    calibration_answers,
    pick_many,
)


def _said(text: str, seconds: float = 0.0) -> Completion:
    return Completion(text, "stop", 0, 0, seconds, 0)


class Calibrated(Behavior):
    name = "calibrated"
    rank = 1
    needs_closed_answers = True  # one probability request per question, over the allowed answers

    @classmethod
    def build(cls, kit, settings):
        return cls(kit, settings) if kit.calibration else None

    @classmethod
    def prepare(cls, kit, run):
        """The content-free probabilities of the allowed answers (the prompt with "N/A" as its
        question), measured once per run; the kit unchanged when the task has fewer than two
        answers to pick from, the prompt does not fit, or the backend cannot score answers
        (said once: the pick is then left out)."""
        if kit.calibration:
            return kit
        answers = calibration_answers(kit.space, run.train)
        if len(answers) < 2:
            return kit
        messages = kit.content_free_messages()
        try:
            probabilities = yield from run.gateway(cls.name).pick(
                lambda backend, cancel: answer_probabilities(backend, messages, answers, cancel))
        except NotImplementedError:
            warning = run.warn_once("calibrated:unsupported", msg.CALIBRATED_UNSUPPORTED)
            if warning:
                yield warning
            return kit
        if probabilities is None:
            return kit
        return replace(kit, calibration=tuple((a, round(p, 6)) for a, p in zip(answers, probabilities, strict=True)))

    def answer_many(self, gateway: Gateway, questions: Sequence[str]) -> Answers:
        """One probability request for the batch (a shared prompt, one sequence per answer; the
        questions scored together where the backend can, each pick equal to its own request's);
        raises NotImplementedError when the backend cannot score answers."""
        calibration = dict(self.kit.calibration)
        items = [(self.messages(q), q) for q in questions]
        started = time.perf_counter()
        done = yield from gateway.pick(
            lambda backend, cancel: pick_many(backend, items, self.kit.space, calibration, cancel),
            calls=len(questions))
        seconds = (time.perf_counter() - started) / max(1, len(questions))
        replies = []
        for chosen in done if done is not None else [TOO_LONG] * len(questions):
            if chosen is TOO_LONG:
                replies.append(Reply(None))
            elif not isinstance(chosen, Pick):
                replies.append(Reply(_said("", seconds), msg.CALIBRATED_NO_OPTIONS))
            else:
                confidence = max(chosen.calibrated) if chosen.calibrated else None
                replies.append(Reply(_said(chosen.answer, seconds), chosen.explain(), confidence))
        return replies

    def rule_note(self) -> str:
        answers = [a for a, _ in self.kit.calibration] or list(self.kit.space.allowed())
        return msg.EXPORT_CALIBRATED_NOTE.format(answers=", ".join(answers))


class MostCommon(Behavior):
    name = "most_common"
    rank = 2
    counts_calls = False

    @classmethod
    def build(cls, kit, settings):
        return cls(kit, settings) if kit.most_common else None

    @classmethod
    def prepare(cls, kit, run):
        """The train split's most common expected answer as the scorer shows it (ties: the first
        seen), for a task with a small answer set; chosen once per run, with no model call. The
        kit keeps it as it always did (`PromptKit.most_common`, the kit JSON's `most_common`), so
        a run recorded before keeps its own; a resumed run's kit already holds it."""
        if kit.most_common or not kit.space.closed:
            return kit
        answer, _ = verdict.majority([run.shown(e) for e in run.examples])
        return replace(kit, most_common=answer or "")
        yield  # a generator like every preparation, though it asks no model

    def answer_many(self, gateway: Gateway, questions: Sequence[str]) -> Answers:
        return [Reply(_said(self.kit.most_common), msg.MOST_COMMON_REASON) for _ in questions]
        yield  # a generator like every behavior's, though it never waits for anything

    def rule_note(self) -> str:
        return msg.EXPORT_MOST_COMMON_NOTE.format(answer=self.kit.most_common)


BUILT_IN = (Calibrated, MostCommon)
