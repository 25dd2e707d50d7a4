"""Answering a file as one generator, for front ends that run it off their main thread.

Everything happens inside the generator's body (like `optimizer.job.optimization_job`): the
thread that iterates it opens the database, loads the model through the model host and hands
it back however the job ends."""

from __future__ import annotations

import os
from collections.abc import Generator, Sequence
from pathlib import Path

from debop_desktop.core import messages as msg
from debop_desktop.core.apply.answering import ApplyResult, answer_file
from debop_desktop.core.apply.events import ApplyEvent
from debop_desktop.core.apply.lock import holding_job
from debop_desktop.core.apply.plan import ApplyPlan, plan_apply
from debop_desktop.core.errors import DebopError, ModelFileChanged
from debop_desktop.core.library import ModelLibrary, ModelRecord
from debop_desktop.core.llm.base import CancelToken, ChatBackend
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.runtime import open_model
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import Store


def check_run_model(store: Store, run_id: int) -> ModelRecord:
    """The library model the run used, refused (the run's own message) when its file now
    holds other weights than the run was scored with."""
    run = RunRepository(store).header(run_id)
    if run is None or run.model_id is None:
        raise DebopError(msg.APPLY_MODEL_GONE)
    record = ModelLibrary(store).get(run.model_id)
    if not record.is_remote and run.model_sha256 and record.sha256 and run.model_sha256 != record.sha256:
        raise ModelFileChanged(msg.RUN_MODEL_CHANGED.format(run=run_id, name=record.name),
                               f"run scored with sha256 {run.model_sha256}, the library's file is {record.sha256}")
    return record


def apply_job(db_path: str | Path, run_id: int, input_path: str | os.PathLike[str], *, sheet: str | None = None,
              columns: Sequence[str] = (), output: str | os.PathLike[str] | None = None,
              cancel: CancelToken | None = None, threads: int | None = None, n_ctx: int | None = None,
              parallel: int | None = None, backend: ChatBackend | None = None, batch_size: int | None = None,
              plan: ApplyPlan | None = None) -> Generator[ApplyEvent, None, ApplyResult]:
    """Answer `input_path` with run `run_id`'s shipped behavior (a job on the same file and
    columns that did not finish is continued). `backend` replaces the library model (tests).
    Raises `ApplyBusy` when another process or window is answering the same job."""
    store = Store(Path(db_path), migrate=False)
    opened = None
    try:
        store.require_writable()
        plan = plan or plan_apply(store, run_id, input_path, sheet=sheet, columns=columns, output=output)
        with holding_job(db_path, plan.job.id):
            if backend is None:
                record = check_run_model(store, run_id)
                opened = open_model(record, Settings(store), user="apply", threads=threads, n_ctx=n_ctx,
                                    parallel=parallel)
                backend = opened.backend
            return (yield from answer_file(store, plan, backend, cancel=cancel, batch_size=batch_size))
    finally:
        if opened is not None:
            opened.release()
        store.close()
