"""What one model's run on the task came to, as the comparison needs it.

`run_outcome` is the only place the comparison reads a run: its typed outcome (what ships, by
the rule every reader uses, and the verdict) and its recorded final-exam answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from debop_desktop.core.optimizer.evaluate import wilson_bounds
from debop_desktop.core.optimizer.report import run_view
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.optimizer.verdict import verdict_name
from debop_desktop.core.store import Store


@dataclass(frozen=True)
class ModelOutcome:
    """A run's result on the final exam (test split), for one row of the comparison."""

    run_id: int
    status: str  # the run's: "finished", "cancelled", "failed", …
    error: str
    shipped: str  # what the app keeps, by its public name ("direct", "step_by_step", "tuned", …)
    label: str  # the verdict: "better", "no_clear_change", "worse" ("" before the final exam)
    right: int  # final-exam questions the shipped behavior got right
    total: int
    low: float  # 95 % range of the share right (Wilson)
    high: float
    direct_right: int | None  # plain prompting on the same questions (None: not taken)
    answers_per_second: float | None  # of the shipped behavior (plain prompting's when it asks no model)
    majority_rate: float | None  # always giving the most common answer (the chance level)
    majority_answer: str | None
    correct: Mapping[int, bool] = field(default_factory=dict, hash=False, compare=False)  # example id -> right

    @property
    def finished(self) -> bool:
        return self.status == "finished" and self.total > 0

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    @property
    def direct_accuracy(self) -> float | None:
        return self.direct_right / self.total if self.direct_right is not None and self.total else None


def run_outcome(store: Store, run_id: int) -> ModelOutcome:
    """The outcome of run `run_id` (any status; an unfinished run has no final-exam answers)."""
    view = run_view(store, run_id)
    verdict, shipped = view.verdict, view.outcome.shipped_method
    correct, seconds = _test_answers(store, run_id, shipped)
    direct, direct_seconds = _test_answers(store, run_id, "direct") if shipped != "direct" else (correct, seconds)
    right, total = sum(correct.values()), len(correct)
    low, high = wilson_bounds(right, total) if total else (0.0, 0.0)
    speed = _rate(len(correct), seconds) or _rate(len(direct), direct_seconds)
    return ModelOutcome(
        run_id, view.status, view.error or "", verdict_name(shipped), verdict.label if verdict else "",
        right, total, low, high, sum(direct.values()) if direct else None, speed,
        verdict.majority_rate if verdict else None, verdict.majority_answer if verdict else None, correct)


def _test_answers(store: Store, run_id: int, method: str) -> tuple[dict[int, bool], float]:
    """Per final-exam question: right or not, and the seconds all the answers took (as recorded
    when they were first written, so answers taken from the answer cache count their real time)."""
    answers = RunRepository(store).answers(run_id, f"test:{method}", "test")
    return {a.example_id: a.correct for a in answers}, float(sum(a.seconds or 0.0 for a in answers))


def _rate(answers: int, seconds: float) -> float | None:
    return answers / seconds if answers and seconds > 0 else None
