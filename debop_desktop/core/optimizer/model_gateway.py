"""A run's way to the model: one place for how every request is made, counted and timed.

Every request goes through `attempt`: a prompt too long for the context gives None; while a
model server is unreachable the run pauses here (with a warning) and tries again until it
answers or the run is cancelled; a crashed worker process is restarted once with safe
settings (the one place a run does that) and the request asked again. The gateway counts
its own calls and generated tokens, and feeds the run's clock (eta.RunClock) each request's
calls (once it returns) and time, so no caller bumps a counter by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Sequence
from typing import TypeVar

from debop_desktop.core import messages as msg
from debop_desktop.core.errors import Cancelled, ContextOverflow, EngineCrashed, ServerUnavailable
from debop_desktop.core.llm.base import CancelToken, ChatBackend, ChatMessage, ChatRequest, Completion, GenerationParams
from debop_desktop.core.optimizer.eta import RunClock
from debop_desktop.core.optimizer.events import Event, Progress, Warning

T = TypeVar("T")
SERVER_RETRY_SECONDS = 2.0
Announce = Callable[[str, int], Progress]  # (kind, calls about to be waited for) -> a progress event


class ModelGateway:
    def __init__(self, run_id: int, backend: ChatBackend, cancel: CancelToken | None, clock: RunClock,
                 announce: Announce) -> None:
        self.run_id, self.backend, self.cancel, self.clock, self.announce = run_id, backend, cancel, clock, announce
        self.calls_made = 0  # model requests answered this session (cached answers not counted)
        self.tokens_generated, self.gen_seconds = 0, 0.0
        self.crashes = 0  # worker crashes this session; the second one ends the run

    @property
    def parallel(self) -> int:
        """How many requests the backend works on together (1: one at a time)."""
        return max(1, int(getattr(self.backend, "parallel", 1)))

    def attempt(self, work: Callable[[], T]) -> Generator[Event, None, T | None]:
        """Run one request the way every run request is run (see the module's docstring)."""
        while True:
            try:
                return work()
            except ContextOverflow:
                return None
            except ServerUnavailable as exc:
                yield from self._wait_for_server(exc)
            except EngineCrashed as exc:
                yield from self._recover_from_crash(exc)

    def call(self, messages: Sequence[ChatMessage], params: GenerationParams,
             kind: str = "execution") -> Generator[Event, None, Completion | None]:
        """One chat request of `kind` (plan, execution, operator); None when it does not fit."""
        yield self.announce(kind, 1)
        timed = _Timed(lambda: self.backend.chat(messages, params, self.cancel))
        completion = yield from self.attempt(timed)
        self.clock.account(kind)
        if completion is not None:
            if not completion.cached:
                self.clock.record(kind, 1, timed.seconds, completion.completion_tokens)
            self._count(completion)
        return completion

    def call_many(self, prompts: Sequence[Sequence[ChatMessage]], params: GenerationParams | Sequence[GenerationParams],
                  kind: str = "evaluation", follow_up: bool = False
                  ) -> Generator[Event, None, list[Completion | None]]:
        """Several chat requests, with the same settings or one each (`params` a sequence),
        worked on together where the backend can; None for a prompt that does not fit. A
        `follow_up` turn's time counts toward the calls of `kind` it follows."""
        each = [params] * len(prompts) if isinstance(params, GenerationParams) else list(params)
        requests = [ChatRequest(tuple(m), p) for m, p in zip(prompts, each, strict=True)]
        yield self.announce(kind, 0 if follow_up else len(requests))
        timed = _Timed(lambda: self.backend.chat_many(requests, self.cancel))
        results = yield from self.attempt(timed)
        results = results if results is not None else [None] * len(requests)
        if not follow_up:  # a follow-up turn belongs to the call it follows
            self.clock.account(kind, len(requests))
        fresh = [c for c in results if c is not None and not c.cached]
        self.clock.record(kind, 0 if follow_up else len(fresh), timed.seconds if fresh else 0.0,
                          sum(c.completion_tokens for c in fresh))
        for completion in results:
            if completion is not None:
                self._count(completion)
        return results

    def measured(self, kind: str, work: Callable[[], T], calls: int = 1) -> Generator[Event, None, T | None]:
        """`work` (a request that is not a chat, e.g. scoring answers by probability) run as
        every run request is, counted and timed as `calls` calls of `kind` (one request may
        score several questions)."""
        yield self.announce(kind, calls)
        timed = _Timed(work)
        result = yield from self.attempt(timed)
        self.clock.account(kind, calls)
        if result is not None:
            self.clock.record(kind, calls, timed.seconds)
            self.calls_made += calls
        return result

    def _count(self, completion: Completion) -> None:
        if not completion.cached:
            self.calls_made += 1
            self.tokens_generated += completion.completion_tokens
            self.gen_seconds += completion.seconds

    def _recover_from_crash(self, exc: EngineCrashed) -> Generator[Event, None, None]:
        restart = getattr(getattr(self.backend, "inner", self.backend), "restart_safe", None)  # under the cache
        if self.crashes >= 1 or restart is None:
            raise exc
        self.crashes += 1
        yield Warning(self.run_id, msg.ENGINE_CRASHED_RETRYING.format(model=exc.model or "the model"))
        restart()

    def _wait_for_server(self, exc: ServerUnavailable) -> Generator[Event, None, None]:
        yield Warning(self.run_id, f"{exc.message} Paused; retrying every {SERVER_RETRY_SECONDS:g} s.")
        end = time.monotonic() + SERVER_RETRY_SECONDS
        while time.monotonic() < end:
            if self.cancel and self.cancel.cancelled:
                raise Cancelled()
            time.sleep(0.05)


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
