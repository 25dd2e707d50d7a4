"""Answer every row of a file with the behavior a run ships, exactly as the run scored it.

Rows go to the model in batches (`behavior.answer_many` through a `BackendGateway`, the
batched backend call), and each batch is recorded in one transaction as it completes. A
stop (cancel, Ctrl-C, a closed window) or a killed process loses at most the batch in
flight; the next start on the same file continues with the first row not recorded, in the
same batches, so an interrupted job writes the same file as an uninterrupted one. A row the
model cannot answer (an empty question, one too long for the context) gets an empty answer
and a note, never a stopped job. The file of answers is written at the end, streamed from
the input and the database, and can be written on demand while the job runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from debop_desktop.core import behaviors
from debop_desktop.core import messages as msg
from debop_desktop.core.apply.columns import question_maker
from debop_desktop.core.apply.events import ApplyEvent, ApplyFinished, ApplyProgress, ApplyStarted
from debop_desktop.core.apply.files import open_input, output_format, unique_names, write_rows
from debop_desktop.core.apply.jobs import AnsweredRow, ApplyJob, ApplyJobs
from debop_desktop.core.apply.plan import ApplyPlan
from debop_desktop.core.behaviors import BackendGateway, Behavior, drive
from debop_desktop.core.costs import run_check_notes
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.errors import Cancelled
from debop_desktop.core.llm.base import CancelToken, ChatBackend
from debop_desktop.core.optimizer.export import load_tuned
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.scoring.scorers import NumberScorer, Scorer, get_scorer, score_output
from debop_desktop.core.store import Store

CHECK_BELOW = 0.6  # a pick by probability less sure than this is marked to check by hand


@dataclass(frozen=True)
class ApplyResult:
    job_id: int
    status: str
    done: int
    total: int
    output_path: str


def batch_size_for(backend: ChatBackend) -> int:
    """Rows sent together: enough to keep every parallel slot of the model busy."""
    return max(8, 4 * int(getattr(backend, "parallel", 1) or 1))


def answer_file(store: Store, plan: ApplyPlan, backend: ChatBackend, *, cancel: CancelToken | None = None,
                batch_size: int | None = None) -> Generator[ApplyEvent, None, ApplyResult]:
    """Answer the rows of `plan`'s job not answered yet, then write the file of answers.
    A cancel ends it with status "stopped" (resumable), never an exception."""
    jobs, job, total = ApplyJobs(store), plan.job, plan.job.total_rows
    tuned = load_tuned(store, plan.run_id)
    behavior, scorer = tuned.behavior, _scorer(store, tuned.run["dataset_id"])
    started_with = jobs.count(job.id)
    words = msg.APPLY_RESUMING.format(done=started_with, total=total) if started_with else \
        msg.APPLY_COLUMNS_USED.format(columns=", ".join(f"'{c}'" for c in plan.columns), rows=total)
    yield ApplyStarted(job.id, plan.run_id, total, started_with, plan.columns, str(plan.output), words)
    size, clock, count = batch_size or batch_size_for(backend), time.monotonic(), started_with
    make = question_maker(plan.input.headers, list(plan.columns))
    jobs.set_status(job.id, "running")
    try:
        for batch in _batches(plan.input.table.rows, size, lambda a, b: jobs.done_between(job.id, a, b)):
            if cancel is not None and cancel.cancelled:
                raise Cancelled()
            answered, behavior = _answer_batch(behavior, backend, cancel, scorer, [(i, make(r)) for i, r in batch])
            jobs.record(job.id, answered)
            count += len(answered)
            rate = (count - started_with) / max(time.monotonic() - clock, 1e-6)
            yield ApplyProgress(job.id, count, total, rate, (total - count) / rate if rate > 0 else None)
    except Cancelled:
        jobs.set_status(job.id, "stopped")
        message = msg.APPLY_STOPPED.format(done=count, total=total)
        yield ApplyFinished(job.id, "stopped", count, total, str(plan.output), 0, 0, message)
        return ApplyResult(job.id, "stopped", count, total, str(plan.output))
    notes, check = write_answers(store, job, probabilities=behavior.rank == 1)
    jobs.set_status(job.id, "finished")
    message = msg.APPLY_DONE.format(answered=count - notes, total=total, path=plan.output) + \
        (msg.APPLY_DONE_NOTES.format(notes=notes) if notes else "") + \
        (msg.APPLY_DONE_CHECK.format(check=check) if check else "")
    yield ApplyFinished(job.id, "finished", count, total, str(plan.output), notes, check, message)
    return ApplyResult(job.id, "finished", count, total, str(plan.output))


def _scorer(store: Store, dataset_id: int) -> Scorer:
    dataset = DatasetRepository(store).get(dataset_id)
    return get_scorer(dataset.scorer, **dataset.scorer_options)


def _batches(rows: Sequence[list[str]], size: int, done: Callable[[int, int], set[int]]
             ) -> Iterator[list[tuple[int, list[str]]]]:
    """Rows in fixed batches by position (the same batches on every start), leaving out the
    rows answered (`done(first, last)`: those of one window); a batch is recorded whole, so
    on a continued job a batch is either all done or all to do."""
    batch: list[tuple[int, list[str]]] = []
    answered: set[int] = set()
    for i, row in enumerate(rows):
        if i % size == 0:
            answered = done(i, i + size - 1)
        if i not in answered:
            batch.append((i, row))
        if (i + 1) % size == 0 and batch:
            yield batch
            batch = []
    if batch:
        yield batch


def _answer_batch(behavior: Behavior, backend: ChatBackend, cancel: CancelToken | None, scorer: Scorer,
                  rows: list[tuple[int, str]]) -> tuple[list[AnsweredRow], Behavior]:
    """One batch answered exactly as the run scores the behavior; empty questions are not
    sent. A pick by probability on a backend that cannot score answers becomes plain
    prompting from then on (as `debop ask` does)."""
    asked = [(i, q) for i, q in rows if q.strip()]
    gateway = BackendGateway(backend, cancel)
    try:
        replies = drive(behavior.answer_many(gateway, [q for _, q in asked])) if asked else []
    except NotImplementedError:
        behavior = behaviors.build("direct", behavior.kit, behavior.settings)  # type: ignore[assignment]
        replies = drive(behavior.answer_many(gateway, [q for _, q in asked])) if asked else []
    by_index = dict(zip((i for i, _ in asked), replies, strict=True))
    out = []
    for i, question in rows:
        reply = by_index.get(i)
        if reply is None:
            out.append(AnsweredRow(i, "", "", None, msg.APPLY_EMPTY_QUESTION, 0.0))
        elif reply.completion is None:
            out.append(AnsweredRow(i, "", "", None, msg.APPLY_TOO_LONG, 0.0))
        else:
            text = reply.completion.text
            found = score_output(text, "", scorer, question).extracted
            out.append(AnsweredRow(i, found or "", text, reply.confidence, "" if found else msg.APPLY_NO_ANSWER,
                                   reply.completion.seconds))
    return out, behavior


def write_answers(store: Store, job: ApplyJob, *, probabilities: bool) -> tuple[int, int]:
    """Write the job's file of answers (also while it runs: rows not answered yet are left
    empty), atomically. In XLSX and JSON a numeric task's answers and the confidence are
    numbers, not text. Returns (rows with a note, answers to check by hand: a pick by probability
    not sure enough, or an answer in the costly direction of the task's mistake costs)."""
    source = open_input(job.input_path, job.sheet or None)
    headers = source.headers
    flags = run_check_notes(store, job.run_id)  # answer -> why to check it ({} without costly mistakes)
    check = probabilities or bool(flags)
    added = ["answer", "model output", *(["confidence"] if probabilities else []),
             *(["check by hand"] if check else []), "notes"]
    names = unique_names(headers, added)
    counts = [0, 0]
    out = Path(job.output_path)
    fmt = output_format(source, out)
    number = _number_reader(store, job.run_id) if fmt in TYPED_FORMATS else None
    empty = ["", "", *([None] if probabilities else []), *([""] if check else []), ""]

    def rows() -> Iterator[list[object]]:
        answered = ApplyJobs(store).answered(job.id)
        nxt = next(answered, None)
        for i, row in enumerate(source.table.rows):
            if nxt is not None and nxt.row_index == i:
                extra, nxt = _cells(nxt, probabilities, flags, counts, number), next(answered, None)
            else:
                extra = empty
            yield [*row, *extra]

    write_rows(out, fmt, [*headers, *names], rows(), delimiter=source.table.delimiter or ",",
               sheet=source.table.sheet)
    return counts[0], counts[1]


TYPED_FORMATS = ("xlsx", "json", "jsonl")  # formats whose cells hold numbers as numbers


def _number_reader(store: Store, run_id: int) -> Callable[[str], float | None] | None:
    """For a run on a numeric task, how an answer is read as a number (the task's scorer's own
    reading); None for any other task."""
    run = RunRepository(store).header(run_id)
    scorer = _scorer(store, run.dataset_id) if run and run.dataset_id is not None else None
    return scorer.parse if isinstance(scorer, NumberScorer) else None


def _as_number(text: str, read: Callable[[str], float | None] | None) -> object:
    """`text` as a number (a whole number as an int) when `read` reads it; else the text."""
    value = read(text) if read is not None and text else None
    if value is None:
        return text
    return int(value) if value.is_integer() and abs(value) < 2 ** 53 else value


def _cells(row: AnsweredRow, probabilities: bool, flags: dict[str, str], counts: list[int],
           number: Callable[[str], float | None] | None = None) -> list[object]:
    counts[0] += bool(row.notes)
    answer = _as_number(row.answer, number)
    if not probabilities and not flags:
        return [answer, row.output, row.notes]
    unsure = probabilities and row.confidence is not None and row.confidence < CHECK_BELOW
    check = flags.get(" ".join(row.answer.split()).casefold()) or (msg.APPLY_CHECK if unsure else "")
    counts[1] += bool(check)
    confidence = [] if not probabilities else [None if row.confidence is None else round(row.confidence, 3)]
    return [answer, row.output, *confidence, check, row.notes]


def write_answers_now(db_path: str | Path, job_id: int) -> str:
    """Write job `job_id`'s file of answers as it stands (also while the job runs: rows not
    answered yet are left empty), on any thread (its own database connection). Returns its path."""
    store = Store(Path(db_path), migrate=False)
    try:
        job = ApplyJobs(store).get(job_id)
        if job is None:
            raise ValueError(f"no job {job_id}")
        write_answers(store, job, probabilities=load_tuned(store, job.run_id).behavior.rank == 1)
        return job.output_path
    finally:
        store.close()
