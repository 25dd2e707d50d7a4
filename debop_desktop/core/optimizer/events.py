"""The events a run yields. Small, frozen, plain data: ids, numbers and short strings.

The CLI prints them, the UI draws them, tests assert on them, the store records them.
`Progress` is cumulative, so any one of them is enough to redraw.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Event:
    run_id: int

    @property
    def kind(self) -> str:
        return type(self).__name__

    def payload(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class RunStarted(Event):
    model: str
    dataset: str
    preset: str
    estimated_calls: int
    resumed: bool


@dataclass(frozen=True)
class StageChanged(Event):
    stage: str  # "simple", "plan", "collect", "search", "baselines", "done"
    message: str


@dataclass(frozen=True)
class PlanScored(Event):
    plan_index: int
    steps: tuple[str, ...]
    parsed: bool
    dev_accuracy: float


@dataclass(frozen=True)
class NodeAdded(Event):
    node_id: int
    parent_id: int | None
    tree_index: int
    operator: str  # "seed" for roots
    iteration: int
    n_steps: int


@dataclass(frozen=True)
class NodeScored(Event):
    node_id: int
    dev_accuracy: float
    mean_seconds: float
    reward: float
    evaluated: int  # dev examples evaluated (fewer when racing stopped early)
    raced_out: bool


@dataclass(frozen=True)
class BestImproved(Event):
    node_id: int
    reward: float
    dev_accuracy: float


@dataclass(frozen=True)
class Progress(Event):
    stage: str
    done: int  # model calls made (or found already made) so far
    total: int  # estimated calls for the whole run
    eta_seconds: float | None  # the middle of the range below (None until it is known)
    tokens_per_second: float
    model_calls: int
    calls_saved: int  # skipped by racing
    eta_low_seconds: float | None = None  # time left as a range (eta.py)
    eta_high_seconds: float | None = None
    busy: str = ""  # the kind of call the run is about to wait for ("": none); see eta.time_left_now
    busy_low_seconds: float = 0.0  # the share of the range that call is expected to take
    busy_high_seconds: float = 0.0


@dataclass(frozen=True)
class Warning(Event):  # noqa: A001 - the event's name is what the UI shows
    message: str


@dataclass(frozen=True)
class BaselineScored(Event):
    method: str
    accuracy: float
    low: float  # 95% interval
    high: float
    n: int
    split: str = "test"  # "dev" for the simple prompts competing with the search's tries


@dataclass(frozen=True)
class RunFinished(Event):
    status: str  # "finished", "cancelled", "failed"
    best_node_id: int | None
    best_dev_accuracy: float | None
    message: str
