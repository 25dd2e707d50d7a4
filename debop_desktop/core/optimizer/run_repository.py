"""The one place that reads the runs, nodes and evaluations tables (the recorder writes them as
a run goes): screens, the CLI, exports, the model comparison and the task's own housekeeping
read runs here, never the database (`tests/core/test_run_tables_owned.py`).

(Run views with their tries, scores and verdict are `report.run_view`, built from `named` and
`nodes`; a run's typed outcome is `outcome`.)

It imports nothing from the run's code (the outcome on demand), so the tasks' repository can
ask it which runs use a task.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from debop_desktop.core.errors import StoreBusy
from debop_desktop.core.store import Store

if TYPE_CHECKING:
    from debop_desktop.core.optimizer.outcome import RunOutcome

_CHUNK = 500  # ids per query (SQLite's limit on parameters is 999 on older builds)


@dataclass(frozen=True)
class RunHeader:
    """What a command needs to decide about a run before it opens it."""

    id: int
    status: str
    model_id: int | None
    dataset_id: int | None
    model_sha256: str | None = None  # the weights the run started with (a run goes on only on them)


@dataclass(frozen=True)
class RecordedAnswer:
    """One recorded answer: its question, whether it was right, and the seconds it took when
    it was first written (an answer taken from the answer cache keeps its real time)."""

    example_id: int
    correct: bool
    seconds: float | None


@dataclass(frozen=True)
class RunCounts:
    started: int
    finished: int


class RunRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    def header(self, run_id: int) -> RunHeader | None:
        row = self.store.execute("SELECT id, status, model_id, dataset_id, model_sha256 FROM runs WHERE id = ?",
                                 (run_id,)).fetchone()
        return RunHeader(row[0], row[1], row[2], row[3], row[4]) if row else None

    def counts(self) -> RunCounts:
        """How many runs were started, and how many finished."""
        row = self.store.execute("SELECT COUNT(*), COALESCE(SUM(status = 'finished'), 0) FROM runs").fetchone()
        return RunCounts(int(row[0]), int(row[1]))

    def outcome(self, run_id: int) -> RunOutcome | None:
        """What run `run_id` came to so far (None: no such run). Runs recorded by older code
        read back too (`RunOutcome.from_summary`)."""
        from debop_desktop.core.optimizer.outcome import RunOutcome

        row = self.store.execute("SELECT summary_json FROM runs WHERE id = ?", (run_id,)).fetchone()
        return RunOutcome.from_stored(row[0]) if row else None

    def run_of_node(self, node_id: int) -> int | None:
        row = self.store.execute("SELECT run_id FROM nodes WHERE id = ?", (node_id,)).fetchone()
        return int(row[0]) if row else None

    def row(self, run_id: int) -> dict[str, Any] | None:
        """Every stored column of run `run_id` (None: no such run)."""
        return next(iter(self.store.db.query("SELECT * FROM runs WHERE id = ?", [run_id])), None)

    def named(self, run_id: int | None = None) -> list[dict[str, Any]]:
        """Runs with their model's and task's names (`model`, `dataset`: None once removed),
        newest first; only run `run_id` when it is given."""
        where, params = ("WHERE r.id = ? ", [run_id]) if run_id is not None else ("", [])
        return list(self.store.db.query(
            "SELECT r.*, m.name AS model, d.name AS dataset FROM runs r LEFT JOIN models m ON m.id = r.model_id "
            f"LEFT JOIN datasets d ON d.id = r.dataset_id {where}ORDER BY r.id DESC", params))

    def nodes(self, run_id: int) -> list[dict[str, Any]]:
        """The run's tries as stored, in the order they were made."""
        return list(self.store.db.query("SELECT * FROM nodes WHERE run_id = ? ORDER BY id", [run_id]))

    def demo_json(self, node_id: int) -> str | None:
        """A try's demonstration as stored (None: no such try)."""
        row = self.store.execute("SELECT demo_json FROM nodes WHERE id = ?", (node_id,)).fetchone()
        return row[0] if row else None

    def evaluations(self, run_id: int, subject: str) -> list[dict[str, Any]]:
        """Every answer run `run_id` recorded for `subject` ("test:direct", …) as stored, with
        its question's `input` and `answer`, in the task's order."""
        return list(self.store.db.query(
            "SELECT e.*, x.input, x.answer FROM evaluations e JOIN examples x ON x.id = e.example_id "
            "WHERE e.run_id = ? AND e.subject = ? ORDER BY x.position", [run_id, subject]))

    def answers(self, run_id: int, subject: str, split: str) -> list[RecordedAnswer]:
        """The answers run `run_id` recorded for `subject` ("test:direct", …) on `split`."""
        rows = self.store.execute("SELECT example_id, correct, seconds FROM evaluations WHERE run_id = ? "
                                  "AND subject = ? AND split = ?", (run_id, subject, split)).fetchall()
        return [RecordedAnswer(int(r[0]), bool(r[1]), r[2]) for r in rows]

    def mark_interrupted(self, now: float, stale_after: float) -> list[int]:
        """Runs left 'running' or 'paused' and silent (no event, no answer) for `stale_after`
        seconds become 'interrupted'; their ids. Writes only when one needs marking, and gives
        up (marking nothing, returning []) on another program's write or a read-only folder."""
        stale = [r["id"] for r in self.store.db.query(
            "SELECT r.id, MAX(COALESCE(r.started_at, r.created_at), COALESCE((SELECT MAX(at) FROM run_events e "
            "WHERE e.run_id = r.id), 0), COALESCE((SELECT MAX(created_at) FROM evaluations v WHERE v.run_id = r.id), 0)"
            ") AS last FROM runs r WHERE r.status IN ('running', 'paused')") if r["last"] < now - stale_after]
        if not stale or self.store.read_only:
            return []
        try:
            with self.store.short_wait(), self.store.transaction() as conn:
                conn.executemany("UPDATE runs SET status = 'interrupted' WHERE id = ?", [(i,) for i in stale])
        except StoreBusy:
            return []
        return stale

    # -- for the tasks' repository: inside its transaction (`conn`) when it deletes ---------------
    def statuses_on_task(self, dataset_id: int, conn: sqlite3.Connection | None = None) -> dict[str, int]:
        """How many runs used task `dataset_id`, by status."""
        sql = "SELECT status, COUNT(*) FROM runs WHERE dataset_id = ? GROUP BY status"
        return dict((conn.execute(sql, (dataset_id,)) if conn else self.store.execute(sql, (dataset_id,))).fetchall())

    def runs_answering(self, example_ids: Sequence[int], conn: sqlite3.Connection) -> set[int]:
        """The runs that recorded an answer to any of these questions."""
        runs: set[int] = set()
        for start in range(0, len(example_ids), _CHUNK):
            chunk = list(example_ids[start : start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            runs.update(r[0] for r in conn.execute(
                f"SELECT DISTINCT run_id FROM evaluations WHERE example_id IN ({marks})", chunk))
        return runs

    def answered_on_task(self, dataset_id: int, conn: sqlite3.Connection) -> set[int]:
        """The questions of task `dataset_id` that its runs answered (they stay with the runs)."""
        return {r[0] for r in conn.execute(
            "SELECT DISTINCT v.example_id FROM evaluations v JOIN runs r ON r.id = v.run_id WHERE r.dataset_id = ?",
            (dataset_id,))}
