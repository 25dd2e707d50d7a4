"""Issue 15: any sequence of import / delete / run / cancel / resume / export leaves the
database intact, no partial task, and every finished run exportable (property-based)."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from run_helpers import drain
from simulated_env import simulated_backend
from test_optimizer_run import CFG, make_dataset

from debop_desktop.core.datasets.repository import DatasetRepository, TaskHasRuns
from debop_desktop.core.errors import DebopError
from debop_desktop.core.llm.base import CancelToken
from debop_desktop.core.optimizer.export import FORMATS, export_behavior
from debop_desktop.core.optimizer.run import resume, run_optimization
from debop_desktop.core.store import open_store

STEPS = st.lists(st.tuples(st.sampled_from(["import", "delete", "delete_with_runs", "run", "cancel", "resume",
                                            "export"]), st.integers(0, 5)), min_size=1, max_size=8)


class World:
    def __init__(self, store):
        self.store, self.repo = store, DatasetRepository(store)
        self.sizes: dict[int, int] = {}  # live task -> how many examples it was created with
        self.answers: dict[int, dict] = {}

    def live(self, k):
        ids = sorted(self.sizes)
        return ids[k % len(ids)] if ids else None

    def runs(self, status):
        return [r[0] for r in self.store.execute("SELECT id FROM runs WHERE status = ? ORDER BY id", (status,))]

    def step(self, op, k):
        if op == "import":
            d, answers = make_dataset(self.store, n=60 + 3 * k)
            self.sizes[d.id], self.answers[d.id] = d.size, answers
        elif op.startswith("delete") and (task := self.live(k)) is not None:
            try:
                self.repo.delete(task, with_runs=op == "delete_with_runs")
                del self.sizes[task]
            except TaskHasRuns:
                assert op == "delete"
        elif op in ("run", "cancel") and (task := self.live(k)) is not None:
            token = CancelToken()
            gen = run_optimization(self.store, simulated_backend(self.answers[task])[0], task, CFG, cancel=token,
                                   tokens_per_second=40)
            if op == "cancel":
                for _ in range(3 + 5 * k):  # stop part-way, as the Cancel button does
                    next(gen)
                token.cancel()
            assert drain(gen)[1].status == ("finished" if op == "run" else "cancelled")
        elif op == "resume" and (stopped := self.runs("cancelled")):
            run_id = stopped[k % len(stopped)]
            task = self.store.execute("SELECT dataset_id FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
            try:
                result = drain(resume(self.store, simulated_backend(self.answers[task])[0], run_id))[1]
                assert task in self.sizes and result.status == "finished"
            except DebopError as exc:  # only a deleted task stops a resume
                assert task not in self.sizes and "was deleted" in exc.message
        elif op == "export" and (done := self.runs("finished")):
            assert export_behavior(self.store, done[k % len(done)], "text")

    def check(self):
        assert self.store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert not self.store.execute("PRAGMA foreign_key_check").fetchall()
        live = {d.id: d.size for d in self.repo.list()}
        assert live == self.sizes  # every task whole, none partial, none left over
        for run_id in self.runs("finished"):
            for fmt in FORMATS:
                assert export_behavior(self.store, run_id, fmt)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STEPS)
def test_any_sequence_keeps_the_store_whole_and_finished_runs_exportable(steps):
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder))
        try:
            world = World(store)
            for op, k in steps:
                world.step(op, k)
                world.check()
        finally:
            store.close()
