"""The shared context of a run: its recorder, scorer and settings, its way to the model
(model_gateway.py), its clock (eta.RunClock: progress and time left), and batch sizes.
Scoring goes through score_loop.py; the reward is the search's (search.py)."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from debop_desktop.core.llm.base import (
    CancelToken,
    ChatBackend,
    GenerationParams,
)
from debop_desktop.core.optimizer.config import BATCH_GAIN, OptimizerConfig
from debop_desktop.core.optimizer.demos import Plan
from debop_desktop.core.optimizer.eta import KINDS, Prior, RunClock
from debop_desktop.core.optimizer.events import Event, Progress, Warning
from debop_desktop.core.optimizer.grammar import execution_params
from debop_desktop.core.optimizer.model_gateway import ModelGateway
from debop_desktop.core.optimizer.recorder import RunRecorder
from debop_desktop.core.optimizer.search import reward
from debop_desktop.core.scoring.answer_space import AnswerSpace
from debop_desktop.core.scoring.scorers import Scorer


@dataclass(frozen=True)
class EvalOutcome:
    accuracy: float  # over the examples evaluated
    mean_seconds: float  # t in the reward (tokens at the run's measured speed)
    evaluated: int
    correct: int
    raced_out: bool


class RunContext:
    """What every stage of a run shares: the run's recorder, scorer and settings, its way to the
    model (`model`, a `ModelGateway`: requests, retries, the one safe restart, call counts),
    and its clock (`clock`, an `eta.RunClock`: progress and time left, fed by the gateway's
    counted calls and the scoring loop; no stage counts anything by hand)."""

    def __init__(self, run_id: int, backend: ChatBackend, recorder: RunRecorder, scorer: Scorer,
                 config: OptimizerConfig, instruction: str, tokens_per_second: float,
                 total_calls: int, cancel: CancelToken | None = None, space: AnswerSpace | None = None) -> None:
        self.run_id, self.recorder, self.scorer = run_id, recorder, scorer
        self.config, self.instruction, self.cancel = config, instruction, cancel
        self.tokens_per_second = max(tokens_per_second, 1e-6)
        # the run's typical answer time (the search's relative reward): known once the simple behaviors are scored
        self.median_seconds: float | None = None
        self.space = space or AnswerSpace("free")  # the kit's answer space (a plan's grammar reads it)
        self._warned: set[str] = set()
        # each kind of call's token limit prices a kind not measured yet (the run sets them: clock.expect)
        limits = dict.fromkeys(KINDS, config.max_tokens) | {"plan": config.plan_max_tokens}
        gain = BATCH_GAIN if int(getattr(backend, "parallel", 1)) > 1 else 1.0
        self.clock = RunClock(total_calls, prior=Prior(self.tokens_per_second, limits, gain),
                              early_stop_probability=config.early_stop_probability)
        self.model = ModelGateway(run_id, backend, cancel, self.clock,
                                  lambda kind, calls: self.progress(busy=kind, calls=calls))
        # the run's requests, all through the gateway
        self.attempt, self.call, self.call_many, self.measured = (
            self.model.attempt, self.model.call, self.model.call_many, self.model.measured)

    @property
    def backend(self) -> ChatBackend:
        return self.model.backend

    @property
    def calls_made(self) -> int:
        return self.model.calls_made

    @property
    def parallel(self) -> int:
        return self.model.parallel

    def params(self, max_tokens: int | None = None, temperature: float = 0.0, seed: int = 0) -> GenerationParams:
        return GenerationParams(max_tokens=max_tokens or self.config.max_tokens, temperature=temperature, seed=seed)

    def execution_params(self, plan: Plan | None, max_tokens: int | None = None, temperature: float = 0.0,
                         seed: int = 0) -> GenerationParams:
        """Params for executing `plan` (grammar.execution_params with the run's settings)."""
        return execution_params(self.params(max_tokens, temperature, seed), plan, self.space,
                                self.config.structured_output)

    def time_cost(self, completion_tokens: int) -> float:
        """Seconds per answer at the run's measured speed: reproducible, unlike wall time."""
        return completion_tokens / self.tokens_per_second

    def reward(self, accuracy: float, seconds: float) -> float:
        """The search's reward (search.reward) with the run's settings and typical answer time."""
        return reward(self.config, accuracy, seconds, self.median_seconds, self.tokens_per_second)

    def warn_once(self, key: str, message: str) -> Event | None:
        if key in self._warned:
            return None
        self._warned.add(key)
        return Warning(self.run_id, message)

    def progress(self, busy: str = "", calls: int = 0) -> Progress:
        """The run's progress (`clock.progress`, with the gateway's speed and calls made)."""
        speed = self.model.tokens_generated / self.model.gen_seconds if self.model.gen_seconds else 0.0
        return self.clock.progress(self.run_id, busy=busy, calls=calls, speed=speed, calls_made=self.calls_made)


def wilson_bounds(correct: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (two-sided at `confidence`)."""
    if n == 0:
        return 0.0, 1.0
    z = statistics.NormalDist().inv_cdf(0.5 + confidence / 2)
    p = correct / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def batch_size(ctx: RunContext, racing: bool) -> int:
    """Questions sent to the model at once. One at a time: racing checks after every
    `race_batch`, as before batching. Batched: a racing candidate is checked after each
    batch of `parallel`; without racing, batches of 2 × `parallel` keep the model's slots
    full while bounding the work a crash or cancel can lose and the time between progress
    updates."""
    parallel = ctx.parallel
    if parallel <= 1:
        return ctx.config.race_batch if racing else 1
    return parallel if racing else 2 * parallel
