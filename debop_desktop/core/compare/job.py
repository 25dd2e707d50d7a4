"""A comparison as one generator of events: each model's run in turn, on the same task.

    result = yield from comparison_job(db_path, comparison_id, cancel=token)

Each model gets one ordinary run (`optimization_job`: the model host loads it, the run is
recorded, its verdict judged on the final exam), so one model is in memory at a time and
everything a run keeps, a comparison keeps. The run's number is recorded the moment it
starts; a stopped comparison started again continues that run (nothing done is done twice)
and passes over the models that finished. A model that cannot run here (too big for the
memory, file missing, a load error) is skipped with its reason, and the others go on.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from debop_desktop.core import messages as msg
from debop_desktop.core.compare.events import (
    ComparisonFinished,
    ComparisonResult,
    ModelDone,
    ModelSkipped,
    ModelStarting,
)
from debop_desktop.core.compare.fit import skip_reason
from debop_desktop.core.compare.records import Comparison, ComparisonEntry, ComparisonStore
from debop_desktop.core.compare.table import comparison_view
from debop_desktop.core.errors import Cancelled, DebopError
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.llm.base import CancelToken
from debop_desktop.core.llm.host import ModelInUse
from debop_desktop.core.optimizer.events import Event, RunStarted
from debop_desktop.core.optimizer.job import optimization_job
from debop_desktop.core.optimizer.run import RunResult
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import Store

# optimization_job's signature: (db_path, model_id, *, dataset_id=, config=, preset=, resume_run=, cancel=, ...)
RunModel = Callable[..., Generator[Event, None, RunResult]]


def comparison_job(db_path: str | Path, comparison_id: int, *, cancel: CancelToken | None = None,
                   run_model: RunModel = optimization_job, **load: Any) -> Generator[Event, None, ComparisonResult]:
    """Run (or continue) comparison `comparison_id` to its end or to a cancel.

    `load` goes to each run as is (threads=, n_ctx=, parallel=, on_busy=). `run_model` is
    `optimization_job` unless a test drives scripted models. A cancel stops the current run
    (it stays resumable) and the comparison; the runs already finished are kept."""
    store = Store(Path(db_path), migrate=False)
    try:
        store.require_writable()
        records = ComparisonStore(store)
        comparison = records.get(comparison_id)
        records.set_status(comparison_id, "running")
        for entry in comparison.entries:
            if cancel is not None and cancel.cancelled:
                return (yield from _stopped(records, comparison_id))
            try:
                status = yield from _one_model(db_path, store, records, comparison, entry, cancel, run_model, load)
            except ModelInUse as busy:  # the app's Optimize page or Playground holds a model: wait for it
                return (yield from _stopped(records, comparison_id, f"{busy.message} {msg.COMPARE_BUSY_RESUME}"))
            if status == "cancelled":
                return (yield from _stopped(records, comparison_id))
        records.set_status(comparison_id, "finished")
        sentence = comparison_view(store, comparison_id).recommendation.sentence
        yield ComparisonFinished(0, comparison_id, "finished", msg.COMPARE_DONE.format(sentence=sentence))
        return ComparisonResult(comparison_id, "finished")
    finally:
        store.close()


def _one_model(db_path: str | Path, store: Store, records: ComparisonStore, comparison: Comparison,
               entry: ComparisonEntry, cancel: CancelToken | None, run_model: RunModel,
               load: dict[str, Any]) -> Generator[Event, None, str]:
    """Run, continue or skip one model; its run's status ("skipped" when it did not run)."""
    cid, position, name = comparison.id, entry.position, entry.model_name
    previous = records.run_status(entry.run_id)
    if previous == "finished":
        yield ModelDone(entry.run_id or 0, cid, position, name, previous)
        return previous
    reason, model_id = _reason_to_skip(store, entry, comparison.memory_limit)
    if reason is not None or model_id is None:
        return (yield from _skip(records, cid, entry, reason or msg.COMPARE_SKIPPED_REMOVED))
    records.set_skipped(cid, position, None)
    resuming = previous is not None  # the run exists: continue it
    yield ModelStarting(entry.run_id or 0, cid, position, len(comparison.entries), name, resuming)
    if resuming:
        job = run_model(db_path, model_id, resume_run=entry.run_id, cancel=cancel, **load)
    else:
        job = run_model(db_path, model_id, dataset_id=comparison.dataset_id, config=comparison.config,
                        preset=comparison.preset, cancel=cancel, **load)
    try:
        result = yield from _noting_the_run(job, records, cid, position)
    except Cancelled:  # stopped while the model was loading or the database was busy
        return "cancelled"
    except ModelInUse:
        raise  # not this model's fault: the whole comparison waits
    except DebopError as exc:  # the model could not be loaded (damaged file, another model busy, …)
        return (yield from _skip(records, cid, entry, msg.COMPARE_SKIPPED_ERROR.format(error=exc.message)))
    yield ModelDone(result.run_id, cid, position, name, result.status)
    return result.status


def _noting_the_run(job: Generator[Event, None, RunResult], records: ComparisonStore, comparison_id: int,
                    position: int) -> Generator[Event, None, RunResult]:
    """Pass the run's events on; its number is recorded with the comparison as soon as it is known."""
    try:
        while True:
            event = next(job)
            if isinstance(event, RunStarted) and event.run_id:
                records.set_run(comparison_id, position, event.run_id)
            yield event
    except StopIteration as stop:
        return stop.value


def _reason_to_skip(store: Store, entry: ComparisonEntry, memory_limit: int | None) -> tuple[str | None, int | None]:
    if entry.model_id is None:
        return msg.COMPARE_SKIPPED_REMOVED, None
    try:
        record = ModelLibrary(store).get(entry.model_id)
    except DebopError:
        return msg.COMPARE_SKIPPED_REMOVED, None
    return skip_reason(record, Settings(store), memory_limit), record.id


def _skip(records: ComparisonStore, comparison_id: int, entry: ComparisonEntry,
          reason: str) -> Generator[Event, None, str]:
    records.set_skipped(comparison_id, entry.position, reason)
    yield ModelSkipped(entry.run_id or 0, comparison_id, entry.position, entry.model_name, reason)
    return "skipped"


def _stopped(records: ComparisonStore, comparison_id: int, why: str = msg.COMPARE_STOPPED
             ) -> Generator[Event, None, ComparisonResult]:
    records.set_status(comparison_id, "cancelled")
    yield ComparisonFinished(0, comparison_id, "cancelled", why)
    return ComparisonResult(comparison_id, "cancelled")
