"""Runs an optimization off the UI thread and hands its events to the UI, throttled.

A superqt GeneratorWorker iterates the core's event generator on a worker thread. Events
that change the picture (a node, a score, a stage, a warning) are forwarded as they come;
progress is cumulative, so only the latest is kept and delivered at most 10 times a second.
Cancel goes through the core's CancelToken, so the run records its end and stays resumable.
While another program writes to the database the run waits; that is said at once, as a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from superqt.utils import GeneratorWorker

from debop_desktop.core.errors import Cancelled
from debop_desktop.core.llm.base import CancelToken
from debop_desktop.core.optimizer.events import Event, Progress, Warning
from debop_desktop.core.optimizer.job import optimization_job

UPDATE_INTERVAL_MS = 100


class RunController(QObject):
    event = Signal(object)  # every non-progress Event, in order
    progress = Signal(object)  # the latest Progress, at most every UPDATE_INTERVAL_MS
    finished = Signal(object)  # RunResult, or None if the job raised
    failed = Signal(object)  # an exception from the job (not a cancel)
    state_changed = Signal(str)  # "running", "paused", "stopping", "idle"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker: GeneratorWorker | None = None
        self.cancel_token: CancelToken | None = None
        self._latest: Progress | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(UPDATE_INTERVAL_MS)
        self._timer.timeout.connect(self._flush_progress)
        self._timer.timeout.connect(self._reconcile_pause)
        self.state = "idle"

    @property
    def running(self) -> bool:
        return self.worker is not None

    def start(self, db_path: str, model_id: int, **job_args: Any) -> None:
        """Start (dataset_id=, config=, preset=) or resume (resume_run=) a run."""
        self.start_job(optimization_job, db_path, model_id, on_busy=self._waiting, **job_args)

    def _waiting(self, text: str) -> None:
        """On the worker thread, while the run's write waits: the signal reaches the UI thread queued."""
        self.event.emit(Warning(0, text))

    def start_job(self, job: Callable[..., Generator[Event, None, Any]], *args: Any, **kwargs: Any) -> None:
        """Run any event generator that takes `cancel=` (tests drive the page with a scripted model)."""
        if self.running:
            raise RuntimeError("a run is already in progress")
        self.cancel_token = CancelToken()
        self.worker = GeneratorWorker(job, *args, cancel=self.cancel_token, **kwargs)
        self.worker.yielded.connect(self._on_event)
        self.worker.returned.connect(self._on_returned)
        self.worker.errored.connect(self._on_error)
        self.worker.finished.connect(self._on_finished)
        self._timer.start()
        self._set_state("running")
        self.worker.start()

    def pause(self) -> None:
        if self.worker and self.state == "running":
            self.worker.pause()  # takes effect between two events, i.e. between model calls
            self._set_state("paused")

    def resume(self) -> None:
        if self.worker and self.state == "paused":
            self._set_state("running")
            self._reconcile_pause()

    def cancel(self) -> None:
        """Stop within one token; the run ends as 'cancelled' and can be resumed."""
        if self.worker and self.cancel_token:
            self.cancel_token.cancel()
            self._set_state("stopping")
            self._reconcile_pause()

    def _reconcile_pause(self) -> None:
        # superqt applies a pause request only at the worker's next event, so a resume or a
        # cancel can arrive before the pause takes effect: keep resuming until it is not paused.
        if self.worker is not None and self.state != "paused" and self.worker.is_paused:
            self.worker.resume()

    def _on_event(self, event: Event) -> None:
        if isinstance(event, Progress):
            self._latest = event
        else:
            self._flush_progress()  # keep order: no stale progress after, say, RunFinished
            self.event.emit(event)

    def _on_error(self, exc: BaseException) -> None:
        if not isinstance(exc, Cancelled):  # e.g. cancelled while waiting for the database: no error
            self.failed.emit(exc)

    def _flush_progress(self) -> None:
        if self._latest is not None:
            self.progress.emit(self._latest)
            self._latest = None

    def _on_returned(self, result: Any) -> None:
        self._flush_progress()
        self.finished.emit(result)

    def _on_finished(self) -> None:
        self._timer.stop()
        self._flush_progress()
        self.worker = None
        self._set_state("idle")

    def _set_state(self, state: str) -> None:
        self.state = state
        self.state_changed.emit(state)
