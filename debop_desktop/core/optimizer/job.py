"""A whole optimization as one generator, for front ends that run it off their main thread.

Everything happens inside the generator's body, so a worker that iterates it on another
thread also opens the database connection, loads the model and writes results there; the
caller's thread only receives events. The CLI and the desktop app both use it, so loading,
measuring the speed, the answer cache and handing the model back are written once.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.errors import EngineCrashed, ModelFileChanged
from debop_desktop.core.library import ModelLibrary, ModelRecord
from debop_desktop.core.llm.base import CancelToken, ChatBackend, ChatMessage, GenerationParams
from debop_desktop.core.llm.cache import CachedBackend
from debop_desktop.core.optimizer.config import OptimizerConfig, estimate_for
from debop_desktop.core.optimizer.events import Event, StageChanged, Warning
from debop_desktop.core.optimizer.run import RunResult, resume, run_optimization
from debop_desktop.core.optimizer.run_lock import driving_run
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.runtime import open_model
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import Store


def measure_speed(backend: ChatBackend) -> float:
    """Generated tokens per second on this computer or server (one short greedy call)."""
    out = backend.chat([ChatMessage("user", "Count from one to twenty in words.")], GenerationParams(max_tokens=48))
    return out.completion_tokens / out.seconds if out.seconds > 0 and out.completion_tokens else 50.0


def optimization_job(db_path: str | Path, model_id: int | str, *, dataset_id: int | None = None,
                     config: OptimizerConfig | None = None, preset: str = "custom", resume_run: int | None = None,
                     cancel: CancelToken | None = None, threads: int | None = None,
                     n_ctx: int | None = None, parallel: int | None = None,
                     on_busy: Callable[[str], None] | None = None) -> Generator[Event, None, RunResult]:
    """Start (dataset_id + config) or resume (resume_run) a run with a library model.

    The model is taken from this process's `ModelHost` (shared with the Playground, never
    loaded twice) and handed back when the run ends, however it ends. While another program
    writes to the database the run waits (`Store.waiting_when_busy`): `on_busy` is told so
    at once, in words, on the thread that iterates the job, and a Warning follows the wait."""
    store = Store(Path(db_path), migrate=False)
    opened = None
    try:
        store.require_writable()  # a read-only data folder could keep nothing the run does
        with store.waiting_when_busy(cancel, on_busy):
            yield StageChanged(resume_run or 0, "load", "Loading the model")
            record = ModelLibrary(store).get(model_id)
            if resume_run is not None:
                _same_weights(store, resume_run, record)
            opened = open_model(record, Settings(store), user="run", threads=threads, n_ctx=n_ctx,
                                parallel=parallel)
            if opened.loaded is not None and opened.loaded.note:
                yield Warning(resume_run or 0, opened.loaded.note)
            cached = CachedBackend(opened.backend, store)
            if resume_run is not None:
                with driving_run(db_path, resume_run):
                    return (yield from resume(store, cached, resume_run, cancel))
            try:
                speed = measure_speed(opened.backend)
            except EngineCrashed as crash:  # the first prompt is where a CPU-feature crash shows
                yield Warning(0, msg.ENGINE_CRASHED_RETRYING.format(model=crash.model or record.name))
                opened.backend.restart_safe()  # type: ignore[attr-defined] - only local models crash
                speed = measure_speed(opened.backend)
            if dataset_id is not None:
                estimate = estimate_for(config or OptimizerConfig(), DatasetRepository(store).get(dataset_id),
                                        speed, int(getattr(opened.backend, "parallel", 1)))
                yield StageChanged(0, "load", f"Measured {speed:.0f} tokens/s: {estimate.in_words()}")
            return (yield from _locked(db_path, run_optimization(
                store, cached, dataset_id, config, preset=preset,  # type: ignore[arg-type]
                model_id=record.id, cancel=cancel, tokens_per_second=speed, backend_name=opened.backend_name,
                endpoint=opened.endpoint)))
    finally:
        if opened is not None:
            opened.release()
        store.close()


def _locked(db_path: str | Path, run: Generator[Event, None, RunResult]) -> Generator[Event, None, RunResult]:
    """A new run, locked for this process from its first event (which names the run) on."""
    first = next(run)
    with driving_run(db_path, first.run_id):
        yield first
        return (yield from run)


def _same_weights(store: Store, run_id: int, record: ModelRecord) -> None:
    """A run continues only on the weights it started with (its answers and tree came from them)."""
    run = RunRepository(store).header(run_id)
    started_with = run.model_sha256 if run else None
    if record.is_remote or not started_with or not record.sha256 or started_with == record.sha256:
        return
    raise ModelFileChanged(msg.RUN_MODEL_CHANGED.format(run=run_id, name=record.name),
                           f"run started with sha256 {started_with}, the library's file is {record.sha256}")
