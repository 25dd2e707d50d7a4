"""Time left in a run, as a range, from the measured time per call of each kind.

A run's calls are not alike: a plan is a long sampled reply, a rewrite a medium one, an
evaluation a short answer that is often decoded together with others, and the simple prompts
(step by step among them) answer at their own lengths. One rate for all of
them (calls so far / time so far) is dominated by whatever came first, which is why a run
once said "about 25 min left" twenty seconds into a 4.5-minute run. Here each kind keeps
its own mean seconds per call, the calls still to come are counted per kind and per stage (a
finished stage's unused budget is dropped), and the answer is a range: the high end
assumes every remaining search step runs and every candidate is scored in full; the low
end assumes the search stops early as often as its early-stop probability says and racing
keeps skipping the share of questions it has skipped so far. No range is given before `WARM_UP_S` of measured calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("plan", "execution", "operator", "evaluation", "baseline")
WARM_UP_S = 60.0  # seconds of measured calls before a range is shown


@dataclass
class CallClock:
    """Mean seconds per fresh call of each kind, and calls accounted per kind. A mean over all
    of a kind's calls rather than a moving average: one batch of long step-by-step answers
    must not set the pace for the hundreds of short answers after it."""

    total_s: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    done: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    measured_s: float = 0.0

    @property
    def seconds(self) -> dict[str, float]:
        return {k: self.total_s[k] / n for k, n in self.calls.items() if n}

    def record(self, kind: str, calls: int, wall_seconds: float) -> None:
        """`calls` fresh calls of `kind` took `wall_seconds` together (a batch counts once)."""
        if calls <= 0:
            return
        self.total_s[kind] = self.total_s.get(kind, 0.0) + wall_seconds
        self.calls[kind] = self.calls.get(kind, 0) + calls
        self.measured_s += wall_seconds

    def account(self, kind: str, calls: int = 1) -> None:
        self.done[kind] = self.done.get(kind, 0) + calls

    def per_call(self, kind: str) -> float | None:
        seconds = self.seconds
        if kind in seconds:
            return seconds[kind]
        # a kind not seen yet borrows from a similar one: answers scored in batches (a
        # candidate's or a simple prompt's), sampled executions and rewrites, plans
        similar = {"evaluation": ("baseline", "execution"), "baseline": ("evaluation", "execution"),
                   "execution": ("evaluation", "baseline"), "plan": ("operator",), "operator": ("plan",)}
        for other in similar.get(kind, ()):
            if other in seconds:
                return seconds[other]
        return max(seconds.values()) if seconds else None


@dataclass(frozen=True)
class Remaining:
    """The calls still to come, per kind, in the worst case, and what may cut them."""

    calls: dict[str, int]
    iterations_left: int  # search steps not yet run (each: 1 rewrite + its evaluations)
    evaluations_per_iteration: int
    early_stop_probability: float
    racing_skip_share: float  # share of questions racing has skipped so far (0 … 1)


def eta_range(clock: CallClock, remaining: Remaining) -> tuple[float, float] | None:
    """(low, high) seconds left, or None while too little has been measured."""
    if clock.measured_s < WARM_UP_S:
        return None
    high = low = 0.0
    expected_iterations = remaining.iterations_left
    if remaining.early_stop_probability > 0:
        expected_iterations = min(remaining.iterations_left, round(1 / remaining.early_stop_probability))
    skipped_iterations = remaining.iterations_left - expected_iterations
    for kind, calls in remaining.calls.items():
        t = clock.per_call(kind)
        if t is None or calls <= 0:
            continue
        high += calls * t
        fewer = calls
        if kind == "operator":
            fewer -= skipped_iterations
        elif kind == "evaluation":
            fewer -= skipped_iterations * remaining.evaluations_per_iteration
            fewer = int(fewer * (1 - min(0.9, max(0.0, remaining.racing_skip_share))))
        low += max(0, fewer) * t
    return low, max(low, high)


def time_left_words(progress: Any) -> str:
    """'about 3–6 min left', or 'measuring the time left…' before a range is known."""
    from debop_desktop.core import messages as msg

    low, high = getattr(progress, "eta_low_seconds", None), getattr(progress, "eta_high_seconds", None)
    if low is None or high is None:
        return msg.TIME_LEFT_MEASURING
    return msg.TIME_LEFT.format(span=words_for_seconds(low, high))


def words_for_seconds(low: float, high: float) -> str:
    """'about 3–6 min', 'about 40–90 s', or one figure when the ends round together."""
    if high >= 90:
        lo, hi = max(1, round(low / 60)), max(1, round(high / 60))
        return f"about {hi} min" if lo >= hi else f"about {lo}–{hi} min"
    lo, hi = round(low / 5) * 5, max(5, round(high / 5) * 5)
    return f"about {hi} s" if lo >= hi else f"about {max(5, lo)}–{hi} s"
