"""Scoring the candidate behaviors: the simple ones on the dev sample (they compete with the
search's demonstrations for what ships), and every compared method on the held-out test
split, which the search never saw. Accuracy with a 95% Wilson interval. Each method has one
token limit, the same on dev and on test."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, replace

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.repository import Example
from debop_desktop.core.llm.base import ChatMessage, GenerationParams
from debop_desktop.core.optimizer.calibrated import calibration_answers, evaluate_calibrated, measure_calibration
from debop_desktop.core.optimizer.candidates import (
    BY_PROBABILITY,
    CONSTANT,
    SIMPLE,
    DevScore,
    PromptKit,
    behavior_messages,
    follow_up_for,
    method_tokens,
)
from debop_desktop.core.optimizer.eta import kind_of_method
from debop_desktop.core.optimizer.evaluate import EvalOutcome, RunContext, evaluate, wilson_bounds
from debop_desktop.core.optimizer.events import BaselineScored, Event
from debop_desktop.core.optimizer.recorder import StoredEvaluation
from debop_desktop.core.scoring.scorers import score_output

METHOD_LABELS = {"direct": "Direct prompting", "few_examples": "A few solved examples",
                 "zero_shot_cot": "Step by step (zero-shot CoT)", "worked_examples": "Your worked examples",
                 "calibrated": "Likeliest allowed answer (calibrated)",
                 "most_common": "Most common answer (given to every question)", "tuned": "Tuned behavior (DeBoP)"}


@dataclass(frozen=True)
class BaselineResult:
    method: str
    correct: int
    n: int
    low: float
    high: float

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0


def simple_methods(methods: Sequence[str]) -> list[str]:
    """The simple candidates among `methods`, direct prompting always included, in SIMPLE order."""
    return [m for m in SIMPLE if m == "direct" or m in methods]


def with_calibration(ctx: RunContext, kit: PromptKit, train: Sequence[Example], methods: Sequence[str]
                     ) -> Generator[Event, None, PromptKit]:
    """The kit with the calibrated candidate's content-free probabilities, measured once per
    run (a resumed run keeps the kit's). Unchanged when the candidate is not wanted, the task
    has no small answer set, or the backend cannot score answers."""
    if "calibrated" not in methods or kit.calibration:
        return kit
    answers = calibration_answers(kit.space, [e.input for e in train])
    if len(answers) < 2:
        return kit
    probabilities = yield from measure_calibration(ctx, kit.content_free_messages(), answers)
    return replace(kit, calibration=tuple(probabilities.items())) if probabilities else kit


def _scored(ctx: RunContext, kit: PromptKit, method: str, subject: str, examples: Sequence[Example],
            messages_for: Callable[[str], list[ChatMessage]], params: GenerationParams | None = None
            ) -> Generator[Event, None, EvalOutcome | None]:
    """One method on `examples`; None when the backend turns out unable to score answers."""
    if method in CONSTANT:
        return (yield from evaluate_constant(ctx, subject, examples, kit.most_common))
    if method not in BY_PROBABILITY:
        return (yield from evaluate(ctx, subject, examples, lambda e: messages_for(e.input),
                                    max_tokens=method_tokens(method, ctx.config), params=params,
                                    follow_up=follow_up_for(method, kit), kind=kind_of_method(method)))
    try:
        return (yield from evaluate_calibrated(ctx, subject, examples, messages_for, kit.space,
                                               dict(kit.calibration)))
    except NotImplementedError:
        warning = ctx.warn_once("calibrated:unsupported", msg.CALIBRATED_UNSUPPORTED)
        if warning:
            yield warning
        return None


def evaluate_constant(ctx: RunContext, subject: str, examples: Sequence[Example], answer: str
                      ) -> Generator[Event, None, EvalOutcome]:
    """Score giving `answer` to every question: no model call, recorded like any answer so
    that the verdict, Results and a resume read it the same way."""
    new, correct = [], 0
    for example in examples:
        stored = ctx.recorder.evaluation(subject, example.id)
        if stored is None:
            r = score_output(answer, example.answer, ctx.scorer, example.input)
            stored = StoredEvaluation(answer, r.extracted, r.correct, r.unparsed, msg.MOST_COMMON_REASON, 0, 0, 0.0)
            new.append((example, stored))
        correct += stored.correct
    ctx.recorder.save_evaluations(subject, new)
    yield ctx.progress()
    return EvalOutcome(correct / max(1, len(examples)), 0.0, len(examples), correct, False)


def score_on_dev(ctx: RunContext, kit: PromptKit, dev: Sequence[Example], methods: Sequence[str]
                 ) -> Generator[Event, None, list[DevScore]]:
    """Each simple method on the dev sample (subject `dev:<method>`), in full (no racing)."""
    scores = []
    for method in simple_methods(methods):
        messages_for = behavior_messages(method, kit)
        if messages_for is None:
            continue
        outcome = yield from _scored(ctx, kit, method, f"dev:{method}", dev, messages_for)
        if outcome is None:
            continue
        right = {e.id: bool(ev.correct) for e in dev if (ev := ctx.recorder.evaluation(f"dev:{method}", e.id))}
        scores.append(DevScore(method, right, outcome.mean_seconds))
        low, high = wilson_bounds(outcome.correct, outcome.evaluated)
        yield BaselineScored(ctx.run_id, method, outcome.accuracy, low, high, outcome.evaluated, split="dev")
    return scores


def run_baselines(ctx: RunContext, kit: PromptKit, test: Sequence[Example], methods: Sequence[str]
                  ) -> Generator[Event, None, list[BaselineResult]]:
    """Each of `methods` on the test split (subject `test:<method>`); a method the kit cannot
    make (no worked examples, no tuned behavior) is left out."""
    results = []
    for method in methods:
        messages_for = behavior_messages(method, kit)
        if messages_for is None:
            continue
        params = ctx.execution_params(kit.demo.plan) if method == "tuned" and kit.demo else None
        outcome = yield from _scored(ctx, kit, method, f"test:{method}", test, messages_for, params)
        if outcome is None:
            continue
        low, high = wilson_bounds(outcome.correct, outcome.evaluated)
        result = BaselineResult(method, outcome.correct, outcome.evaluated, low, high)
        results.append(result)
        yield BaselineScored(ctx.run_id, method, result.accuracy, low, high, result.n)
    return results
