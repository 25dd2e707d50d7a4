"""Before answering a file: read it, find its question columns, and find the job to continue
or start one (so a stopped job, or one killed with `kill -9`, continues where it was)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from debop_desktop.core import messages as msg
from debop_desktop.core.apply.columns import choose_columns, task_labels
from debop_desktop.core.apply.files import InputFile, default_output, open_input, output_format
from debop_desktop.core.apply.jobs import ApplyJob, ApplyJobs
from debop_desktop.core.optimizer.export import load_tuned
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.output_files import OutputFileError
from debop_desktop.core.store import Store

LABEL_SAMPLE = 50  # the task's questions read to tell how they were made


@dataclass(frozen=True)
class ApplyPlan:
    run_id: int
    input: InputFile
    columns: tuple[str, ...]
    output: Path
    fmt: str
    job: ApplyJob
    resumed: bool


def task_question_sample(store: Store, run_id: int) -> list[str]:
    run = RunRepository(store).header(run_id)
    if not run or run.dataset_id is None:
        return []
    return [r[0] for r in store.execute("SELECT input FROM examples WHERE dataset_id = ? ORDER BY position LIMIT ?",
                                        (run.dataset_id, LABEL_SAMPLE))]


def plan_apply(store: Store, run_id: int, input_path: str | os.PathLike[str], *, sheet: str | None = None,
               columns: Sequence[str] = (), output: str | os.PathLike[str] | None = None) -> ApplyPlan:
    """Everything settled before the model is loaded: the run ships a behavior, the file
    reads, its question columns are found (or the mismatch is said), and the job to
    continue or the new one. Raises `DebopError` subclasses with plain messages."""
    load_tuned(store, run_id)  # no such run, or no behavior yet: said now
    source = open_input(input_path, sheet)
    chosen = choose_columns(source.headers, task_labels(task_question_sample(store, run_id)), columns,
                            source.table.preview(20))
    jobs = ApplyJobs(store)
    sheet_name = source.table.sheet
    old = jobs.unfinished(run_id, str(source.path), source.size, source.mtime, sheet_name, chosen)
    target = Path(output).expanduser().resolve() if output else None
    if old is not None and (target is None or str(target) == old.output_path):
        out = Path(old.output_path)
        return ApplyPlan(run_id, source, old.columns, out, output_format(source, out), old, True)
    out = target or default_output(source.path)
    if out == source.path:
        raise OutputFileError(msg.APPLY_SAME_AS_INPUT.format(path=out))
    fmt = output_format(source, out)
    store.require_writable()
    job = jobs.create(run_id, str(source.path), source.size, source.mtime, sheet_name, chosen, str(out), source.total)
    return ApplyPlan(run_id, source, tuple(chosen), out, fmt, job, False)


@dataclass(frozen=True)
class ApplyPreview:
    """What the dialog shows before starting: the file's columns, the question columns found
    (or why none could be matched), its rows, and where the answers will go."""

    path: str
    headers: tuple[str, ...]
    columns: tuple[str, ...]  # () when the task's columns are not all in the file
    problem: str  # the mismatch in words ("" when the columns were found)
    rows: int
    output: str


def preview_apply(db_path: str | os.PathLike[str], run_id: int, input_path: str | os.PathLike[str],
                  sheet: str | None = None) -> ApplyPreview:
    """Read the file and match its columns, without starting anything (for a worker thread:
    it opens its own database connection). Raises `DebopError` for a file that cannot be read."""
    from debop_desktop.core.apply.columns import ColumnsMismatch

    store = Store(Path(db_path), migrate=False)
    try:
        source = open_input(input_path, sheet)
        labels = task_labels(task_question_sample(store, run_id))
        try:
            chosen, problem = choose_columns(source.headers, labels, (), source.table.preview(20)), ""
        except ColumnsMismatch as exc:
            chosen, problem = [], exc.message
        old = ApplyJobs(store).unfinished(run_id, str(source.path), source.size, source.mtime, source.table.sheet,
                                          chosen) if chosen else None
        out = old.output_path if old else str(default_output(source.path))
        return ApplyPreview(str(source.path), tuple(source.headers), tuple(chosen), problem, source.total, out)
    finally:
        store.close()
