"""The held-out comparison: direct prompting, zero-shot chain of thought, the task's own
worked examples, and the tuned behavior, with the same model and settings, on the test
split, which the search never saw. Accuracy with a 95% Wilson interval."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass

from debop_desktop.core.datasets.repository import Dataset, Example
from debop_desktop.core.llm.base import ChatMessage
from debop_desktop.core.optimizer.demos import Demonstration
from debop_desktop.core.optimizer.evaluate import RunContext, evaluate, wilson_bounds
from debop_desktop.core.optimizer.events import BaselineScored, Event
from debop_desktop.core.optimizer.prompts import (
    direct_messages,
    execution_messages,
    worked_example_messages,
    zero_shot_cot_messages,
)

METHOD_LABELS = {"direct": "Direct prompting", "zero_shot_cot": "Step by step (zero-shot CoT)",
                 "worked_examples": "Your worked examples", "tuned": "Tuned behavior (DeBoP)"}


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


def method_messages(method: str, dataset: Dataset, demo: Demonstration | None
                    ) -> Callable[[Example], list[ChatMessage]] | None:
    instruction = dataset.instruction
    if method == "direct":
        return lambda e: direct_messages(instruction, e.input)
    if method == "zero_shot_cot":
        return lambda e: zero_shot_cot_messages(instruction, e.input)
    if method == "worked_examples" and dataset.worked_examples:
        return lambda e: worked_example_messages(instruction, e.input, dataset.worked_examples)
    if method == "tuned" and demo is not None:
        return lambda e: execution_messages(instruction, e.input, demo.plan, demo)
    return None


def run_baselines(ctx: RunContext, dataset: Dataset, test: Sequence[Example],
                  demo: Demonstration | None) -> Generator[Event, None, list[BaselineResult]]:
    results = []
    for method in ctx.config.baselines:
        messages_for = method_messages(method, dataset, demo)
        if messages_for is None:
            continue  # no worked examples in this task, or no tuned behavior found
        budget = max(ctx.config.max_tokens, 256) if method != "direct" else 48
        outcome = yield from evaluate(ctx, f"test:{method}", test, messages_for, max_tokens=budget)
        low, high = wilson_bounds(outcome.correct, outcome.evaluated)
        result = BaselineResult(method, outcome.correct, outcome.evaluated, low, high)
        results.append(result)
        yield BaselineScored(ctx.run_id, method, result.accuracy, low, high, result.n)
    return results
