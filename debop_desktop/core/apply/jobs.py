"""Where answering a file is recorded: one `apply_jobs` row per file and run, one `apply_rows`
row per answered row (migration m005). A batch's rows land in one transaction, so a job
killed at any moment holds whole batches and continues with the first row it lacks."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from debop_desktop.core.store import Store

_COLUMNS = "id, run_id, input_path, sheet, columns_json, output_path, total_rows, status"


@dataclass(frozen=True)
class ApplyJob:
    id: int
    run_id: int
    input_path: str
    sheet: str
    columns: tuple[str, ...]
    output_path: str
    total_rows: int
    status: str  # running | stopped | finished


@dataclass(frozen=True)
class AnsweredRow:
    row_index: int
    answer: str
    output: str
    confidence: float | None
    notes: str
    seconds: float


class ApplyJobs:
    """Reads and writes of answered files; the only SQL for them (front ends call these)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def unfinished(self, run_id: int, input_path: str, size: int, mtime: float, sheet: str,
                   columns: Sequence[str]) -> ApplyJob | None:
        """The newest job on the same file (same size and time), sheet and columns that did
        not finish: continuing it redoes no row."""
        row = self.store.execute(
            f"SELECT {_COLUMNS} FROM apply_jobs WHERE run_id = ? AND input_path = ? AND input_size = ? "
            "AND input_mtime = ? AND sheet = ? AND columns_json = ? AND status != 'finished' ORDER BY id DESC LIMIT 1",
            (run_id, input_path, size, mtime, sheet, json.dumps(list(columns)))).fetchone()
        return _job(row) if row else None

    def create(self, run_id: int, input_path: str, size: int, mtime: float, sheet: str, columns: Sequence[str],
               output_path: str, total: int) -> ApplyJob:
        with self.store.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO apply_jobs (run_id, input_path, input_size, input_mtime, sheet, columns_json, "
                "output_path, total_rows, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?)",
                (run_id, input_path, size, mtime, sheet, json.dumps(list(columns)), output_path, total, time.time()))
        job = self.get(int(cur.lastrowid or 0))
        assert job is not None
        return job

    def get(self, job_id: int) -> ApplyJob | None:
        row = self.store.execute(f"SELECT {_COLUMNS} FROM apply_jobs WHERE id = ?", (job_id,)).fetchone()
        return _job(row) if row else None

    def done_between(self, job_id: int, first: int, last: int) -> set[int]:
        """The rows from `first` to `last` (inclusive) already answered: asked one batch's
        window at a time, so memory does not grow with the file."""
        return {r[0] for r in self.store.execute(
            "SELECT row_index FROM apply_rows WHERE job_id = ? AND row_index BETWEEN ? AND ?", (job_id, first, last))}

    def count(self, job_id: int) -> int:
        return int(self.store.execute("SELECT COUNT(*) FROM apply_rows WHERE job_id = ?", (job_id,)).fetchone()[0])

    def record(self, job_id: int, rows: Sequence[AnsweredRow]) -> None:
        """Record a batch whole; a row already recorded is an error (no row is answered twice)."""
        now = time.time()
        with self.store.transaction() as conn:
            conn.executemany(
                "INSERT INTO apply_rows (job_id, row_index, answer, output, confidence, notes, seconds, answered_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(job_id, r.row_index, r.answer, r.output, r.confidence, r.notes, r.seconds, now) for r in rows])

    def answered(self, job_id: int) -> Iterator[AnsweredRow]:
        """Every answered row in file order, read as it goes (a cursor, never a list)."""
        cur = self.store.conn.execute(
            "SELECT row_index, answer, output, confidence, notes, seconds FROM apply_rows WHERE job_id = ? "
            "ORDER BY row_index", (job_id,))
        for r in cur:
            yield AnsweredRow(r[0], r[1], r[2], r[3], r[4], r[5])

    def set_status(self, job_id: int, status: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("UPDATE apply_jobs SET status = ?, finished_at = ? WHERE id = ?",
                         (status, time.time() if status == "finished" else None, job_id))


def _job(row: Sequence) -> ApplyJob:
    job_id, run_id, path, sheet, columns, output, total, status = row
    return ApplyJob(int(job_id), int(run_id), path, sheet, tuple(json.loads(columns)), output, int(total), status)
