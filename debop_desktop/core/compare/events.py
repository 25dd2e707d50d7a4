"""The events a comparison yields between its models' runs (whose own events pass through).

Small, frozen, plain data, like a run's events (`run_id` is 0 where no run is meant).
"""

from __future__ import annotations

from dataclasses import dataclass

from debop_desktop.core.optimizer.events import Event


@dataclass(frozen=True)
class ModelStarting(Event):
    comparison_id: int
    position: int  # 0-based, in the comparison's order
    count: int  # models in the comparison
    model: str
    resumed: bool  # its run was stopped before and continues


@dataclass(frozen=True)
class ModelDone(Event):
    """A model's run ended (or had ended before a resume): the table can show its row."""

    comparison_id: int
    position: int
    model: str
    status: str  # the run's status


@dataclass(frozen=True)
class ModelSkipped(Event):
    comparison_id: int
    position: int
    model: str
    reason: str  # one sentence


@dataclass(frozen=True)
class ComparisonFinished(Event):
    comparison_id: int
    status: str  # "finished" or "cancelled"
    message: str


@dataclass(frozen=True)
class ComparisonResult:
    """What `comparison_job` returns."""

    comparison_id: int
    status: str  # "finished" or "cancelled"
