"""The candidate behaviors of a run, and the choice of the one that ships.

Simple candidates are what a person would try by hand: direct prompting (with the answer
format stated), a few solved train questions, step-by-step reasoning, the task's own
worked examples; and for a task with a small answer set, the likeliest allowed answer under
the direct prompt, calibrated (see calibrated.py); and always giving the train split's most
common answer, the bar any behavior must clear on such a task. They are scored on the same
dev sample as the search's demonstrations; the search's best ships only when it beats the
best simple candidate by more than noise.

A `PromptKit` holds everything a behavior's prompt needs besides the question; it is saved
in the run's summary so that export, `debop ask` and the Playground send exactly the
prompts that were scored.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from debop_desktop.core import behaviors
from debop_desktop.core.behaviors.base import AnswerSettings
from debop_desktop.core.datasets.repository import Example, WorkedExample
from debop_desktop.core.llm.base import ChatMessage
from debop_desktop.core.optimizer.calibrated import CONTENT_FREE
from debop_desktop.core.optimizer.config import OptimizerConfig
from debop_desktop.core.optimizer.demos import Demonstration
from debop_desktop.core.optimizer.prompts import direct_messages
from debop_desktop.core.scoring.answer_space import AnswerSpace

# The kinds of behavior and their order (the simplest first, which wins ties) live in the
# behaviors registry (core/behaviors). A pick by probability and one answer for every
# question cannot travel in a file, so each ships only when it gets more dev questions right
# than every prompt (and the constant answer than the calibrated pick): their rank.
MIN_GAIN = 2  # the search's best must get at least this many more dev questions right


@dataclass(frozen=True)
class PromptKit:
    instruction: str
    space: AnswerSpace
    few: tuple[tuple[str, str], ...] = ()  # (question, answer) train pairs for few examples
    worked: tuple[WorkedExample, ...] = ()
    demo: Demonstration | None = field(default=None, compare=False)
    # the calibrated candidate: each allowed answer's probability for a content-free question
    calibration: tuple[tuple[str, float], ...] = ()
    # the most common answer of the train split, as the scorer shows it (closed answer sets only)
    most_common: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"instruction": self.instruction,
                                "answer_space": {"kind": self.space.kind, "values": list(self.space.values)},
                                "few_examples": [list(p) for p in self.few]}
        if self.calibration:
            data["calibration"] = {"content_free": CONTENT_FREE, "probabilities": dict(self.calibration)}
        if self.most_common:
            data["most_common"] = self.most_common
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any], worked: Sequence[WorkedExample] = (),
                  demo: Demonstration | None = None) -> PromptKit:
        space = data.get("answer_space") or {}
        calibration = (data.get("calibration") or {}).get("probabilities") or {}
        return cls(str(data.get("instruction") or ""), AnswerSpace(space.get("kind", "free"),
                                                                   tuple(space.get("values") or ())),
                   tuple((str(q), str(a)) for q, a in data.get("few_examples") or ()), tuple(worked), demo,
                   tuple((str(a), float(p)) for a, p in calibration.items()), str(data.get("most_common") or ""))

    def content_free_messages(self) -> list[ChatMessage]:
        """The calibrated candidate's prompt with the content-free question in place of one."""
        return direct_messages(self.instruction, CONTENT_FREE, self.space.format_line())


def pick_few(train: Sequence[Example], k: int, seed: int) -> tuple[tuple[str, str], ...]:
    """k train questions with their answers, drawn once per run with its seed."""
    chosen = random.Random(f"{seed}:few").sample(list(train), min(k, len(train)))
    return tuple((e.input, e.answer) for e in chosen)


def method_tokens(method: str, config: OptimizerConfig) -> int:
    """The token limit for a method, the same on dev, on test and when it ships."""
    kind = behaviors.kind(method)
    settings = AnswerSettings.from_config(config)
    return kind.token_limit(settings) if kind else settings.max_tokens


def token_limits(config: OptimizerConfig) -> dict[str, int]:
    """Each kind of call's token limit (eta.py prices a kind not measured yet by it); a
    reasoning answer may take its follow-up turn too."""
    limits = {"plan": config.plan_max_tokens, "execution": config.max_tokens, "operator": config.max_tokens,
              "evaluation": config.max_tokens}
    settings = AnswerSettings.from_config(config)
    return limits | {k.name: k.token_limit(settings) + k.follow_up_tokens for k in behaviors.kinds()
                     if k.simple and k.counts_calls}


@dataclass(frozen=True)
class DevScore:
    """One candidate on the dev sample: which questions it got right, and its time."""

    method: str
    right: Mapping[int, bool]  # example id -> right
    mean_seconds: float

    @property
    def correct(self) -> int:
        return sum(self.right.values())

    @property
    def n(self) -> int:
        return len(self.right)


@dataclass(frozen=True)
class Choice:
    method: str  # what ships: a simple method or "tuned"
    best_simple: DevScore | None
    tuned: DevScore | None
    beats_noise: bool  # the search's best beat the best simple candidate by more than noise


def best_simple(scores: Sequence[DevScore]) -> DevScore | None:
    """Most dev questions right; then a prompt before a pick by probability (a prompt can be
    exported whole), and that before one constant answer (the behaviors' rank); then faster;
    then the simpler method (the registry's order)."""
    if not scores:
        return None
    order = {m: i for i, m in enumerate(behaviors.simple_names())}
    return min(scores, key=lambda s: (-s.correct, behaviors.rank(s.method), round(s.mean_seconds, 6),
                                      order.get(s.method, 99)))


def choose(simple: Sequence[DevScore], tuned: DevScore | None, margin: float) -> Choice:
    """The search's best ships only if, on the dev questions both answered, it is right on at
    least MIN_GAIN more questions than the best simple candidate and the gain exceeds
    `margin` standard errors of the paired difference (√(b + c) discordant questions)."""
    simple_best = best_simple(simple)
    if tuned is None:
        return Choice(simple_best.method if simple_best else "direct", simple_best, None, False)
    if simple_best is None:
        return Choice("tuned", None, tuned, True)
    shared = simple_best.right.keys() & tuned.right.keys()
    only_tuned = sum(tuned.right[i] and not simple_best.right[i] for i in shared)
    only_simple = sum(simple_best.right[i] and not tuned.right[i] for i in shared)
    gain = only_tuned - only_simple
    wins = gain >= MIN_GAIN and gain > margin * math.sqrt(only_tuned + only_simple)
    return Choice("tuned" if wins else simple_best.method, simple_best, tuned, wins)
