"""The shared context of a run: the model's calls with their retry path, counting and time
left, the reward, and batch sizes. Scoring goes through score_loop.py."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from debop_desktop.core import messages as msg
from debop_desktop.core.errors import Cancelled, ContextOverflow, EngineCrashed, ServerUnavailable
from debop_desktop.core.llm.base import (
    CancelToken,
    ChatBackend,
    ChatMessage,
    ChatRequest,
    Completion,
    GenerationParams,
)
from debop_desktop.core.optimizer.config import BATCH_GAIN, OptimizerConfig
from debop_desktop.core.optimizer.demos import Plan
from debop_desktop.core.optimizer.eta import KINDS, CallClock, Prior, Remaining, busy_span, calls_left, eta_range
from debop_desktop.core.optimizer.events import Event, Progress, Warning
from debop_desktop.core.optimizer.grammar import demonstration_grammar, execution_grammar, execution_schema
from debop_desktop.core.optimizer.recorder import RunRecorder
from debop_desktop.core.scoring.answer_space import AnswerSpace
from debop_desktop.core.scoring.scorers import Scorer

Events = Generator[Event, None, "EvalOutcome"]
T = TypeVar("T")
FollowUp = Callable[[list[ChatMessage], str], list[ChatMessage]]  # (messages, reply) -> the follow-up turn
SERVER_RETRY_SECONDS = 2.0
FOLLOW_UP_TOKENS = 24


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
        self._stage = ""
        self._stage_start: dict[str, int] = {}  # calls accounted per kind when the stage began
        self.calls_by_stage: dict[str, dict[str, int]] = {}  # the estimate's budget per stage (set by the run)
        self.median_seconds: float | None = None  # the run's typical answer time (relative reward)
        self.space = AnswerSpace("free")  # the answer space the scorer reads (set by the run)
        self.crashes = 0  # worker crashes this session; the second one ends the run
        self.clock = CallClock()  # seconds per call of each kind, for the time left
        # each kind of call's token limit, which prices a kind not measured yet (set by the run)
        self.token_limits = dict.fromkeys(KINDS, config.max_tokens) | {"plan": config.plan_max_tokens}
        self.dev_size = 0  # dev questions a search step scores (set by the run)
        self._warned: set[str] = set()

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
        """Params for executing `plan` (None: any filled plan, e.g. a rewrite): under a grammar
        with exactly its keys and a constrained answer when `structured_output` is on."""
        params = self.params(max_tokens, temperature, seed)
        if not self.config.structured_output:
            return params
        if plan is None:
            return replace(params, grammar=demonstration_grammar(self.space, params.max_tokens))
        return replace(params, grammar=execution_grammar(plan, self.space, params.max_tokens),
                       json_schema=execution_schema(plan, self.space))

    @property
    def parallel(self) -> int:
        """How many requests the backend works on together (1: one at a time)."""
        return max(1, int(getattr(self.backend, "parallel", 1)))

    def attempt(self, work: Callable[[], T]) -> Generator[Event, None, T | None]:
        """Run one model request the way every run request is run: a prompt too long gives
        None; while a server is unreachable the run pauses here (with a warning) and tries
        again until it answers or the run is cancelled; a crashed worker restarts once."""
        while True:
            try:
                return work()
            except ContextOverflow:
                return None
            except ServerUnavailable as exc:
                yield from self.wait_for_server(exc)
            except EngineCrashed as exc:
                yield from self.recover_from_crash(exc)

    def call(self, messages: Sequence[ChatMessage], params: GenerationParams,
             kind: str = "execution") -> Generator[Event, None, Completion | None]:
        """One model call of `kind` (plan, execution, operator); None when the prompt does not
        fit the context (see `attempt`)."""
        self.clock.account(kind)
        yield self.progress(busy=kind, calls=1)
        timed = _Timed(lambda: self.backend.chat(messages, params, self.cancel))
        completion = yield from self.attempt(timed)
        if completion is not None:
            if not completion.cached:
                self.clock.record(kind, 1, timed.seconds, completion.completion_tokens)
            self.count(completion)
        return completion

    def call_many(self, prompts: Sequence[Sequence[ChatMessage]], params: GenerationParams | Sequence[GenerationParams],
                  kind: str = "evaluation", follow_up: bool = False
                  ) -> Generator[Event, None, list[Completion | None]]:
        """Several calls, with the same settings or one each (`params` a sequence), worked on
        together where the backend can; None for a prompt that does not fit (see `attempt`).
        A `follow_up` turn's time counts toward the calls of `kind` it follows."""
        each = [params] * len(prompts) if isinstance(params, GenerationParams) else list(params)
        requests = [ChatRequest(tuple(m), p) for m, p in zip(prompts, each, strict=True)]
        yield self.progress(busy=kind, calls=0 if follow_up else len(requests))
        timed = _Timed(lambda: self.backend.chat_many(requests, self.cancel))
        results = yield from self.attempt(timed)
        results = results if results is not None else [None] * len(requests)
        fresh = [c for c in results if c is not None and not c.cached]
        self.clock.record(kind, 0 if follow_up else len(fresh), timed.seconds if fresh else 0.0,
                          sum(c.completion_tokens for c in fresh))
        for completion in results:
            if completion is not None:
                self.count(completion)
        return results

    def measured(self, kind: str, work: Callable[[], T]) -> Generator[Event, None, T | None]:
        """`work` (a request that is not a chat, e.g. scoring answers) run as every run
        request is (`attempt`), its time counted as one call of `kind` for the time left."""
        yield self.progress(busy=kind, calls=1)
        timed = _Timed(work)
        result = yield from self.attempt(timed)
        if result is not None:
            self.clock.record(kind, 1, timed.seconds)
        return result

    def recover_from_crash(self, exc: EngineCrashed) -> Generator[Event, None, None]:
        """The model's worker process died: restart it once with safe settings and let the
        caller retry the same request. A second crash ends the run (as interrupted)."""
        restart = getattr(getattr(self.backend, "inner", self.backend), "restart_safe", None)  # under the cache
        if self.crashes >= 1 or restart is None:
            raise exc
        self.crashes += 1
        yield Warning(self.run_id, msg.ENGINE_CRASHED_RETRYING.format(model=exc.model or "the model"))
        restart()

    def wait_for_server(self, exc: ServerUnavailable) -> Generator[Event, None, None]:
        yield Warning(self.run_id, f"{exc.message} Paused; retrying every {SERVER_RETRY_SECONDS:g} s.")
        end = time.monotonic() + SERVER_RETRY_SECONDS
        while time.monotonic() < end:
            if self.cancel and self.cancel.cancelled:
                raise Cancelled()
            time.sleep(0.05)

    def count(self, completion: Completion) -> None:
        if not completion.cached:
            self.calls_made += 1
            self.tokens_generated += completion.completion_tokens
            self.gen_seconds += completion.seconds

    def time_cost(self, completion_tokens: int) -> float:
        """Seconds per answer at the run's measured speed: reproducible, unlike wall time."""
        return completion_tokens / self.tokens_per_second

    def reward(self, accuracy: float, seconds: float) -> float:
        """The paper's α·acc + β·exp(-λ t) (t in seconds) when `relative_time` is off. When on,
        t is divided by the run's median answer time and the time term is at most
        `speed_cap`, so speed breaks ties and never outweighs a question answered right."""
        c = self.config
        if not c.relative_time:
            return c.reward_alpha * accuracy + c.reward_beta * math.exp(-c.reward_lambda * seconds)
        typical = max(self.median_seconds or 0.0, 1.0 / self.tokens_per_second)
        return c.reward_alpha * accuracy + min(c.reward_beta, c.speed_cap) * math.exp(
            -c.reward_lambda * seconds / typical)

    def warn_once(self, key: str, message: str) -> Event | None:
        if key in self._warned:
            return None
        self._warned.add(key)
        return Warning(self.run_id, message)

    def progress(self, busy: str = "", calls: int = 0) -> Progress:
        """The run's progress; `busy`: the kind of the `calls` the run is about to wait for
        (front ends tick the time left down while it waits, see eta.time_left_now)."""
        self.total_calls = max(self.total_calls, self.calls_done)
        speed = self.tokens_generated / self.gen_seconds if self.gen_seconds else 0.0
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


class _Timed:
    """A request that remembers how long its last (successful) try took, so the time-left
    pace never includes a pause spent waiting for a server."""

    def __init__(self, work: Callable[[], T]) -> None:
        self.work, self.seconds = work, 0.0

    def __call__(self) -> T:
        started = time.monotonic()
        result = self.work()
        self.seconds = time.monotonic() - started
        return result


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
