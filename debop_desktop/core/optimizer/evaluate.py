"""The shared context of a run: its recorder, scorer and settings, its way to the model
(model_gateway.py), its progress and time left, and batch sizes. Scoring goes through
score_loop.py; the reward is the search's (search.py)."""

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
from debop_desktop.core.optimizer.eta import KINDS, CallClock, Prior, Remaining, busy_span, calls_left, eta_range
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
    and its progress and time left (the call clock and the estimate's budget per stage)."""

    def __init__(self, run_id: int, backend: ChatBackend, recorder: RunRecorder, scorer: Scorer,
                 config: OptimizerConfig, instruction: str, tokens_per_second: float,
                 total_calls: int, cancel: CancelToken | None = None) -> None:
        self.run_id, self.recorder, self.scorer = run_id, recorder, scorer
        self.config, self.instruction, self.cancel = config, instruction, cancel
        self.tokens_per_second = max(tokens_per_second, 1e-6)
        self.total_calls = total_calls
        self.calls_done = self.calls_saved = 0  # questions accounted for, and skipped by racing
        self._stage = ""
        self._stage_start: dict[str, int] = {}  # calls accounted per kind when the stage began
        self.calls_by_stage: dict[str, dict[str, int]] = {}  # the estimate's budget per stage (set by the run)
        self.median_seconds: float | None = None  # the run's typical answer time (relative reward)
        self.space = AnswerSpace("free")  # the answer space the scorer reads (set by the run)
        self.clock = CallClock()  # seconds per call of each kind, for the time left
        # each kind of call's token limit, which prices a kind not measured yet (set by the run)
        self.token_limits = dict.fromkeys(KINDS, config.max_tokens) | {"plan": config.plan_max_tokens}
        self.dev_size = 0  # dev questions a search step scores (set by the run)
        self._warned: set[str] = set()
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

    @property
    def stage(self) -> str:
        return self._stage

    @stage.setter
    def stage(self, name: str) -> None:
        """A new stage: what earlier stages did not use of their budget no longer counts."""
        self._stage = name
        self._stage_start = dict(self.clock.done, saved=self.calls_saved)

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
        """The run's progress; `busy`: the kind of the `calls` the run is about to wait for
        (front ends tick the time left down while it waits, see eta.time_left_now)."""
        self.total_calls = max(self.total_calls, self.calls_done)
        speed = self.model.tokens_generated / self.model.gen_seconds if self.model.gen_seconds else 0.0
        span = self.time_left()
        eta = (span[0] + span[1]) / 2 if span else None
        busy_low, busy_high = busy_span(self.clock, busy, calls, self.prior, span)
        return Progress(self.run_id, self.stage, self.calls_done, self.total_calls, eta, speed,
                        self.calls_made, self.calls_saved, span[0] if span else None, span[1] if span else None,
                        busy, busy_low, busy_high)

    @property
    def prior(self) -> Prior:
        """What prices a kind of call not measured yet (eta.py)."""
        return Prior(self.tokens_per_second, self.token_limits, BATCH_GAIN if self.parallel > 1 else 1.0)

    def time_left(self) -> tuple[float, float] | None:
        """(low, high) seconds left (eta.py): the current stage's budget less what it has used,
        and the later stages' whole budgets, at each kind's measured (or prior) pace."""
        if not self.calls_by_stage:
            return None
        start = self._stage_start
        used = {kind: n - start.get(kind, 0) for kind, n in self.clock.done.items()}
        used["evaluation"] = used.get("evaluation", 0) + self.calls_saved - start.get("saved", 0)
        left = calls_left(self.calls_by_stage, self._stage, used)
        evaluated = self.clock.done.get("evaluation", 0) + self.calls_saved
        return eta_range(self.clock, Remaining(left, left.get("operator", 0), self.dev_size,
                                               self.config.early_stop_probability,
                                               self.calls_saved / evaluated if evaluated else 0.0), self.prior)


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
