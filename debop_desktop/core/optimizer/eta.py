"""Time left in a run, as a range, from the measured time per call of each kind.

A run's calls are not alike: a plan is a long sampled reply, a rewrite a medium one, an
evaluation a short answer that is often decoded together with others, each simple prompt
answers at its own length (step by step long, with worked examples shorter, plainly
shortest) and the calibrated pick writes nothing. One rate for all of them (calls so far /
time so far) is dominated by whatever came first. Here each kind (each simple method is its
own kind, measured on the dev questions before the final exam) keeps its own seconds per
call (a step-by-step answer's follow-up counts toward the answer it follows), the calls
still to come are counted per kind and per stage (a finished stage's unused budget is
dropped), and the answer is a range:

- A kind not measured yet is priced by its token limit, not by another kind's pace: its
  answers take 20 % (low end) to 100 % (high end) of the limit, at the seconds per token
  measured on calls of the same mode (one at a time, or decoded together), else at the
  speed measured as the run started. A base model that writes to the limit every time is
  inside the range from the first call on.
- A measured kind costs its mean seconds per call at the high end and its fastest batch's
  at the low end (scoring the plans writes longer answers than scoring the tries after).
- The high end runs every remaining search step and scores every candidate in full; the
  low end runs only the steps the search reaches with 90 % probability under its early
  stop, and lets racing keep skipping the share of questions it has skipped so far.

A range is given from the first event on. Between events a front end ticks it down
(`time_left_now`): the run says, just before a call, what it is working on and what that
work is expected to take; the shown range goes down with the time since, but never below
what is left once that work is done. After `NO_PROGRESS_S` without an event the front end
also says what the run is doing (`no_progress_words`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from debop_desktop.core.optimizer.events import Progress

SIMPLE_KINDS = ("direct", "few_examples", "zero_shot_cot", "worked_examples", "calibrated")
KINDS = ("plan", "execution", "operator", "evaluation", *SIMPLE_KINDS)
ONE_AT_A_TIME = frozenset({"execution", "operator", "calibrated"})  # never decoded together with others
SHORT_SHARE, LONG_SHARE = 0.2, 1.0  # an unmeasured kind's answers: share of its token limit (low, high)
STOP_CONFIDENCE = 0.9  # the low end's search reaches its steps with this probability
NO_PROGRESS_S = 60.0  # after this long without an event, say what the run is doing


def kind_of_method(method: str) -> str:
    """The kind of call a behavior's answers make (`Behavior.kind_of_call`): its own name for
    a simple one; the tuned behavior's and a plan's are evaluations (a plan executed, as when
    a try is scored). A name no behavior is registered under is its own kind."""
    from debop_desktop.core import behaviors  # here: the behaviors import the optimizer's modules

    kind = behaviors.kind(method)
    return kind.kind_of_call() if kind is not None else method


@dataclass
class CallClock:
    """Mean seconds and generated tokens per fresh call of each kind, and calls accounted per
    kind. A mean over all of a kind's calls rather than a moving average: one slow batch must
    not set the pace for the hundreds of short answers after it."""

    total_s: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, int] = field(default_factory=dict)
    fastest: dict[str, float] = field(default_factory=dict)  # seconds per call of the kind's fastest batch
    done: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    measured_s: float = 0.0

    @property
    def seconds(self) -> dict[str, float]:
        return {k: self.total_s[k] / n for k, n in self.calls.items() if n}

    def record(self, kind: str, calls: int, wall_seconds: float, tokens: int = 0) -> None:
        """`calls` fresh calls of `kind` took `wall_seconds` together (a batch counts once) and
        wrote `tokens`. `calls` = 0 adds time to calls already counted (a follow-up turn)."""
        if calls < 0 or (calls == 0 and wall_seconds <= 0):
            return
        self.total_s[kind] = self.total_s.get(kind, 0.0) + wall_seconds
        self.calls[kind] = self.calls.get(kind, 0) + calls
        if calls:
            self.fastest[kind] = min(self.fastest.get(kind, wall_seconds / calls), wall_seconds / calls)
        self.tokens[kind] = self.tokens.get(kind, 0) + tokens
        self.measured_s += wall_seconds

    def account(self, kind: str, calls: int = 1) -> None:
        self.done[kind] = self.done.get(kind, 0) + calls

    def per_call(self, kind: str) -> float | None:
        """The measured mean seconds per call of `kind`, or None before its first call."""
        return self.seconds.get(kind)

    def seconds_per_token(self, one_at_a_time: bool) -> float | None:
        """Measured seconds per generated token over the kinds of one mode (None: none yet)."""
        kinds = [k for k in self.calls if (k in ONE_AT_A_TIME) == one_at_a_time and self.tokens.get(k)]
        tokens = sum(self.tokens[k] for k in kinds)
        return sum(self.total_s[k] for k in kinds) / tokens if tokens else None


@dataclass(frozen=True)
class Prior:
    """What prices a kind not measured yet: generated tokens a second of one request,
    measured as the run started; each kind's token limit; the speed-up the low end allows
    calls decoded together (1: the backend works one at a time)."""

    tokens_per_second: float
    max_tokens: Mapping[str, int]
    batch_gain: float = 1.0


def pace(clock: CallClock, kind: str, prior: Prior | None) -> tuple[float, float] | None:
    """(low, high) seconds per call of `kind`: its fastest batch's and its mean, else its token
    limit at the measured (or prior) seconds per token; None when nothing can price it."""
    measured = clock.per_call(kind)
    if measured is not None:
        return min(measured, clock.fastest.get(kind, measured)), measured
    single = kind in ONE_AT_A_TIME
    per_token = clock.seconds_per_token(single)
    if per_token is not None:
        fast = slow = per_token
    elif prior is not None and prior.tokens_per_second > 0:
        slow = 1 / prior.tokens_per_second
        fast = slow if single else slow / max(1.0, prior.batch_gain)
    else:
        return None
    limit = prior.max_tokens.get(kind, 0) if prior is not None else 0
    if not limit:  # no limit known: the slowest measured kind is the best guess
        return (max(clock.seconds.values()),) * 2 if clock.seconds else None
    return SHORT_SHARE * limit * fast, LONG_SHARE * limit * slow


@dataclass(frozen=True)
class Remaining:
    """The calls still to come, per kind, in the worst case, and what may cut them."""

    calls: dict[str, int]
    iterations_left: int  # search steps not yet run (each: 1 rewrite + its evaluations)
    evaluations_per_iteration: int
    early_stop_probability: float
    racing_skip_share: float  # share of questions racing has skipped so far (0 … 1)


def calls_left(stages: Mapping[str, Mapping[str, int]], stage: str, used: Mapping[str, int]) -> dict[str, int]:
    """Calls still to come per kind: the budget of `stage` less the calls it has `used`, then
    every later stage's whole budget; an earlier stage's unused budget is dropped (early stop,
    racing and saved answers leave calls that will never be made)."""
    order = list(stages)
    current = order.index(stage) if stage in order else 0
    left: dict[str, int] = {}
    for name in order[current:]:
        for kind, n in stages[name].items():
            left[kind] = left.get(kind, 0) + max(0, n - (used.get(kind, 0) if name == order[current] else 0))
    return left


def steps_reached(iterations_left: int, early_stop_probability: float) -> int:
    """The search steps still run with `STOP_CONFIDENCE` probability: after each step that
    finds nothing better the search stops with `early_stop_probability`, so it reaches step
    k + 1 with probability (1 - p)^k or more."""
    if early_stop_probability <= 0 or iterations_left <= 0:
        return iterations_left
    if early_stop_probability >= 1:
        return min(1, iterations_left)
    k = math.floor(math.log(STOP_CONFIDENCE) / math.log(1 - early_stop_probability) + 1e-9)
    return min(iterations_left, 1 + k)


def eta_range(clock: CallClock, remaining: Remaining, prior: Prior | None = None) -> tuple[float, float] | None:
    """(low, high) seconds left, or None while nothing can price the calls to come."""
    skipped = remaining.iterations_left - steps_reached(remaining.iterations_left,
                                                        remaining.early_stop_probability)
    low = high = 0.0
    for kind, calls in remaining.calls.items():
        if calls <= 0:
            continue
        span = pace(clock, kind, prior)
        if span is None:
            return None
        fewer = calls
        if kind == "operator":
            fewer -= skipped
        elif kind == "evaluation":
            fewer -= skipped * remaining.evaluations_per_iteration
            fewer = int(max(0, fewer) * (1 - min(0.9, max(0.0, remaining.racing_skip_share))))
        low += max(0, fewer) * span[0]
        high += calls * span[1]
    return low, max(low, high)


@dataclass
class RunClock:
    """A run's progress and time left. The model gateway feeds it every counted call (after
    the request: `account`, and the call's time: `record`); the scoring loop adds the answers
    it reuses from the record (`account`) and the questions racing skipped (`skipped`); the
    run says when a stage starts (`start_stage`). No stage counts anything by hand.

    `done` is the run's work so far in calls (a resumed run counts what it reuses, so a try's
    `model_calls` is the same however often the run was resumed); the time left is the
    estimate's budget per stage (`budget`, eta's kinds of call) less what the current stage
    used, at each kind's measured pace (`pace`) or its `prior` price."""

    total: int = 0  # calls the estimate expects (raised when the run does more)
    budget: dict[str, dict[str, int]] = field(default_factory=dict)  # calls per stage and kind, in order
    prior: Prior | None = None
    dev_size: int = 0  # dev questions a search step scores
    early_stop_probability: float = 0.0
    pace: CallClock = field(default_factory=CallClock)
    done: int = 0
    saved: int = 0  # questions racing skipped
    stage: str = ""
    _stage_start: dict[str, int] = field(default_factory=dict)  # done per kind (and saved) when it began

    def expect(self, budget: Mapping[str, Mapping[str, int]], dev_size: int, max_tokens: Mapping[str, int]) -> None:
        """The run's plan, once its estimate is made: the calls per stage and kind, the dev
        questions a search step scores, and each kind's token limit (it prices a kind not
        measured yet)."""
        self.budget = {stage: dict(kinds) for stage, kinds in budget.items()}
        self.dev_size = dev_size
        if self.prior is not None:
            self.prior = Prior(self.prior.tokens_per_second, dict(max_tokens), self.prior.batch_gain)

    def start_stage(self, name: str) -> None:
        """A new stage: what earlier stages did not use of their budget no longer counts."""
        self.stage = name
        self._stage_start = dict(self.pace.done, saved=self.saved)

    def account(self, kind: str, calls: int = 1) -> None:
        """`calls` calls of `kind` done (made, or their answers reused from the record)."""
        self.done += calls
        self.pace.account(kind, calls)

    def record(self, kind: str, calls: int, wall_seconds: float, tokens: int = 0) -> None:
        """The measured time of fresh calls (see `CallClock.record`)."""
        self.pace.record(kind, calls, wall_seconds, tokens)

    def skipped(self, questions: int) -> None:
        self.saved += questions

    def time_left(self) -> tuple[float, float] | None:
        """(low, high) seconds left: the current stage's budget less what it has used, and the
        later stages' whole budgets, at each kind's measured (or prior) pace."""
        if not self.budget:
            return None
        start = self._stage_start
        used = {kind: n - start.get(kind, 0) for kind, n in self.pace.done.items()}
        used["evaluation"] = used.get("evaluation", 0) + self.saved - start.get("saved", 0)
        left = calls_left(self.budget, self.stage, used)
        evaluated = self.pace.done.get("evaluation", 0) + self.saved
        return eta_range(self.pace, Remaining(left, left.get("operator", 0), self.dev_size,
                                              self.early_stop_probability,
                                              self.saved / evaluated if evaluated else 0.0), self.prior)

    def progress(self, run_id: int, *, busy: str = "", calls: int = 0, speed: float = 0.0,
                 calls_made: int = 0) -> Progress:
        """The run's `Progress` event; `busy`: the kind of the `calls` the run is about to wait
        for (front ends tick the time left down while it waits, see `time_left_now`)."""
        self.total = max(self.total, self.done)
        span = self.time_left()
        eta = (span[0] + span[1]) / 2 if span else None
        busy_low, busy_high = busy_span(self.pace, busy, calls, self.prior, span)
        return Progress(run_id, self.stage, self.done, self.total, eta, speed, calls_made, self.saved,
                        span[0] if span else None, span[1] if span else None, busy, busy_low, busy_high)


def busy_span(clock: CallClock, kind: str, calls: int, prior: Prior | None,
              span: tuple[float, float] | None) -> tuple[float, float]:
    """The share of `span` (the time left) that `calls` calls of `kind` are expected to take."""
    share = pace(clock, kind, prior) if kind and calls and span else None
    if share is None or span is None:
        return 0.0, 0.0
    return min(calls * share[0], span[0]), min(calls * share[1], span[1])


def time_left_now(progress: Any, since: float) -> tuple[float, float] | None:
    """The range of `progress` ticked down by the `since` seconds that passed after it, but
    never below what is left once the work then in progress is done (the run is slower than
    measured: the next event says how much)."""
    low, high = getattr(progress, "eta_low_seconds", None), getattr(progress, "eta_high_seconds", None)
    if low is None or high is None:
        return None
    since = max(0.0, since)
    floor_low = max(0.0, low - getattr(progress, "busy_low_seconds", 0.0))
    floor_high = max(0.0, high - getattr(progress, "busy_high_seconds", 0.0))
    now_low = max(floor_low, low - since)
    return now_low, max(now_low, floor_high, high - since)


def time_left_words(progress: Any, since: float = 0.0) -> str:
    """'about 3–6 min left' (`since` seconds after `progress` came), or 'measuring the time
    left…' before a range is known."""
    from debop_desktop.core import messages as msg

    span = time_left_now(progress, since)
    return msg.TIME_LEFT_MEASURING if span is None else msg.TIME_LEFT.format(span=words_for_seconds(*span))


def no_progress_words(progress: Any, since: float) -> str | None:
    """After `NO_PROGRESS_S` without an event, what the run is doing: 'Writing plans… (no
    progress for 2 min; long answers take a while with this model)'; else None."""
    from debop_desktop.core import messages as msg

    busy = getattr(progress, "busy", "")
    if since < NO_PROGRESS_S or not busy:
        return None
    return msg.NO_PROGRESS.format(doing=msg.BUSY_DOING.get(busy, msg.BUSY_DOING["evaluation"]),
                                  minutes=int(since // 60))


def words_for_seconds(low: float, high: float) -> str:
    """'about 3–6 min', 'about 40–90 s', or one figure when the ends round together."""
    if high >= 90:
        lo, hi = max(1, round(low / 60)), max(1, round(high / 60))
        return f"about {hi} min" if lo >= hi else f"about {lo}–{hi} min"
    lo, hi = max(5, round(low / 5) * 5), max(5, round(high / 5) * 5)
    return f"about {hi} s" if lo >= hi else f"about {lo}–{hi} s"
