"""Run a behavior over examples and score it; the shared context of a run.

Evaluations of one candidate run back to back, so consecutive prompts share the
demonstration prefix (the engine then evaluates only each question). With racing, a
candidate is evaluated in batches and dropped once even an optimistic bound on its
accuracy cannot beat the best reward so far; the calls it skips are counted.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass

from debop_desktop.core.datasets.repository import Example
from debop_desktop.core.errors import ContextOverflow
from debop_desktop.core.llm.base import CancelToken, ChatBackend, ChatMessage, Completion, GenerationParams
from debop_desktop.core.optimizer.config import OptimizerConfig
from debop_desktop.core.optimizer.events import Event, Progress, Warning
from debop_desktop.core.optimizer.recorder import RunRecorder, StoredEvaluation
from debop_desktop.core.scoring.scorers import Scorer, score_output

Events = Generator[Event, None, "EvalOutcome"]


@dataclass(frozen=True)
class EvalOutcome:
    accuracy: float  # over the examples evaluated
    mean_seconds: float  # t in the reward (tokens at the run's measured speed)
    evaluated: int
    correct: int
    raced_out: bool


class RunContext:
    """What every stage of a run shares: the model, the scorer, the recorder, counters."""

    def __init__(self, run_id: int, backend: ChatBackend, recorder: RunRecorder, scorer: Scorer,
                 config: OptimizerConfig, instruction: str, tokens_per_second: float,
                 total_calls: int, cancel: CancelToken | None = None) -> None:
        self.run_id, self.backend, self.recorder, self.scorer = run_id, backend, recorder, scorer
        self.config, self.instruction, self.cancel = config, instruction, cancel
        self.tokens_per_second = max(tokens_per_second, 1e-6)
        self.total_calls = total_calls
        self.calls_made = self.calls_done = self.calls_saved = 0
        self.tokens_generated, self.gen_seconds = 0, 0.0
        self.stage = ""
        self._started = time.monotonic()
        self._warned: set[str] = set()

    def params(self, max_tokens: int | None = None) -> GenerationParams:
        return GenerationParams(max_tokens=max_tokens or self.config.max_tokens, temperature=0.0)

    def chat(self, messages: Sequence[ChatMessage], params: GenerationParams) -> Completion | None:
        """One model call; None when the prompt does not fit the context (the caller warns)."""
        try:
            completion = self.backend.chat(messages, params, self.cancel)
        except ContextOverflow:
            return None
        if not completion.cached:
            self.calls_made += 1
            self.tokens_generated += completion.completion_tokens
            self.gen_seconds += completion.seconds
        return completion

    def time_cost(self, completion_tokens: int) -> float:
        """Seconds per answer at the run's measured speed: reproducible, unlike wall time."""
        return completion_tokens / self.tokens_per_second

    def reward(self, accuracy: float, seconds: float) -> float:
        c = self.config
        return c.reward_alpha * accuracy + c.reward_beta * math.exp(-c.reward_lambda * seconds)

    def warn_once(self, key: str, message: str) -> Event | None:
        if key in self._warned:
            return None
        self._warned.add(key)
        return Warning(self.run_id, message)

    def progress(self) -> Progress:
        self.total_calls = max(self.total_calls, self.calls_done)
        elapsed = time.monotonic() - self._started
        rate = self.calls_made / elapsed if self.calls_made and elapsed > 0 else 0.0
        remaining = max(0, self.total_calls - self.calls_done - self.calls_saved)
        eta = remaining / rate if rate else None
        speed = self.tokens_generated / self.gen_seconds if self.gen_seconds else 0.0
        return Progress(self.run_id, self.stage, self.calls_done, self.total_calls, eta, speed,
                        self.calls_made, self.calls_saved)


def wilson_bounds(correct: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (two-sided at `confidence`)."""
    if n == 0:
        return 0.0, 1.0
    z = statistics.NormalDist().inv_cdf(0.5 + confidence / 2)
    p = correct / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def evaluate(ctx: RunContext, subject: str, examples: Sequence[Example],
             messages_for: Callable[[Example], list[ChatMessage]], *, node_id: int | None = None,
             plan_id: int | None = None, best_reward: float | None = None,
             max_tokens: int | None = None) -> Events:
    """Score a behavior on `examples` (one subject), reusing what is already recorded."""
    correct = evaluated = 0
    seconds: list[float] = []
    racing = ctx.config.racing and best_reward is not None
    for i, example in enumerate(examples):
        stored = ctx.recorder.evaluation(subject, example.id)
        if stored is None:
            stored = _run_one(ctx, example, messages_for(example), max_tokens)
            if stored.reason.startswith("too long"):
                warning = ctx.warn_once(f"overflow:{subject}", f"{subject}: a question with this "
                                        "demonstration is too long for the model's context; it was "
                                        "scored wrong rather than cut short.")
                if warning:
                    yield warning
            ctx.recorder.save_evaluation(subject, example.id, example.split, stored,
                                         node_id=node_id, plan_id=plan_id)
        ctx.calls_done += 1
        evaluated += 1
        correct += stored.correct
        seconds.append(ctx.time_cost(stored.completion_tokens))
        yield ctx.progress()
        remaining = len(examples) - i - 1
        if racing and remaining and evaluated % ctx.config.race_batch == 0:
            high = wilson_bounds(correct, evaluated, ctx.config.race_confidence)[1]
            if ctx.reward(high, min(seconds)) < best_reward:  # type: ignore[operator]
                ctx.calls_saved += remaining
                yield ctx.progress()
                return EvalOutcome(correct / evaluated, statistics.mean(seconds), evaluated, correct, True)
    mean_t = statistics.mean(seconds) if seconds else 0.0
    return EvalOutcome(correct / max(1, evaluated), mean_t, evaluated, correct, False)


def _run_one(ctx: RunContext, example: Example, messages: list[ChatMessage],
             max_tokens: int | None) -> StoredEvaluation:
    completion = ctx.chat(messages, ctx.params(max_tokens))
    if completion is None:
        return StoredEvaluation("", None, False, True, "too long for the model's context", 0, 0, 0.0)
    r = score_output(completion.text, example.answer, ctx.scorer, example.input)
    return StoredEvaluation(completion.text, r.extracted, r.correct, r.unparsed, r.reason,
                            completion.prompt_tokens, completion.completion_tokens, completion.seconds)
