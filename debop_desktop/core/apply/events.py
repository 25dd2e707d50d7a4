"""What answering a file tells its front ends: small frozen events (cumulative progress, so
any one of them is enough to redraw)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ApplyStarted:
    job_id: int
    run_id: int
    total: int
    already_done: int  # rows answered before this start (a job continued)
    columns: tuple[str, ...]
    output_path: str
    message: str


@dataclass(frozen=True)
class ApplyProgress:
    job_id: int
    done: int
    total: int
    rows_per_second: float
    seconds_left: float | None  # None until the first batch of this start is answered

    def time_left_words(self) -> str:
        """'about 3 min left'; '' until it is known."""
        from debop_desktop.core.optimizer.eta import words_for_seconds

        left = self.seconds_left
        return f"{words_for_seconds(left, left)} left" if left is not None else ""


@dataclass(frozen=True)
class ApplyFinished:
    job_id: int
    status: str  # "finished" (the file is written) or "stopped" (resumable)
    done: int
    total: int
    output_path: str
    with_notes: int
    to_check: int
    message: str


ApplyEvent = ApplyStarted | ApplyProgress | ApplyFinished
