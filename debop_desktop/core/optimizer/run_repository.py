"""Reading runs for front ends: screens and the CLI ask here, never the database.

(Run views with their tries, scores and verdict are `report.run_view`; a run's typed outcome is
`outcome`; the recorder writes.)
"""

from __future__ import annotations

from dataclasses import dataclass

from debop_desktop.core.optimizer.outcome import RunOutcome
from debop_desktop.core.store import Store


@dataclass(frozen=True)
class RunHeader:
    """What a command needs to decide about a run before it opens it."""

    id: int
    status: str
    model_id: int | None
    dataset_id: int | None
    model_sha256: str | None = None  # the weights the run started with (a run goes on only on them)


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
        row = self.store.execute("SELECT summary_json FROM runs WHERE id = ?", (run_id,)).fetchone()
        return RunOutcome.from_stored(row[0]) if row else None

    def run_of_node(self, node_id: int) -> int | None:
        row = self.store.execute("SELECT run_id FROM nodes WHERE id = ?", (node_id,)).fetchone()
        return int(row[0]) if row else None
