"""A whole optimization as one generator, for front ends that run it off their main thread.

Everything happens inside the generator's body, so a worker that iterates it on another
thread also opens the database connection, loads the model and writes results there; the
caller's thread only receives events. The CLI and the desktop app both use it.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.llm.base import CancelToken, ChatBackend, ChatMessage, GenerationParams
from debop_desktop.core.llm.cache import CachedBackend
from debop_desktop.core.optimizer.config import OptimizerConfig
from debop_desktop.core.optimizer.events import Event, StageChanged
from debop_desktop.core.optimizer.run import RunResult, resume, run_optimization
from debop_desktop.core.runtime import open_backend
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import Store


def measure_speed(backend: ChatBackend) -> float:
    """Generated tokens per second on this computer or server (one short greedy call)."""
    out = backend.chat([ChatMessage("user", "Count from one to twenty in words.")], GenerationParams(max_tokens=48))
    return out.completion_tokens / out.seconds if out.seconds > 0 and out.completion_tokens else 50.0


def optimization_job(db_path: str | Path, model_id: int, *, dataset_id: int | None = None,
                     config: OptimizerConfig | None = None, preset: str = "custom", resume_run: int | None = None,
                     cancel: CancelToken | None = None, threads: int | None = None,
                     n_ctx: int | None = None) -> Generator[Event, None, RunResult]:
    """Start (dataset_id + config) or resume (resume_run) a run with a library model."""
    store = Store(Path(db_path), migrate=False)
    engine = None
    try:
        yield StageChanged(resume_run or 0, "load", "Loading the model")
        record = ModelLibrary(store).get(model_id)
        backend, engine, backend_name, endpoint = open_backend(record, Settings(store), threads=threads, n_ctx=n_ctx)
        cached = CachedBackend(backend, store)
        if resume_run is not None:
            return (yield from resume(store, cached, resume_run, cancel))
        speed = measure_speed(backend)
        return (yield from run_optimization(store, cached, dataset_id, config, preset=preset,  # type: ignore[arg-type]
                                            model_id=record.id, cancel=cancel, tokens_per_second=speed,
                                            backend_name=backend_name, endpoint=endpoint))
    finally:
        if engine is not None:
            engine.unload()
        store.close()
