"""Comparisons as the store keeps them: which task, which models in which order, the run each
model got and why a model was left out. All of the comparison's SQL lives here."""

from __future__ import annotations

import time
from dataclasses import dataclass

from debop_desktop.core import messages as msg
from debop_desktop.core.errors import DebopError
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.optimizer.config import OptimizerConfig
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.store import Store

PREFER = ("size", "speed")  # what "the best model that is good enough" means: the smallest, or the fastest


@dataclass(frozen=True)
class ComparisonEntry:
    position: int
    model_id: int | None  # None once the model was removed from the library
    model_name: str
    run_id: int | None  # None until its run has started
    skipped: str | None  # why it was left out ("" or None: it was not)


@dataclass(frozen=True)
class Comparison:
    id: int
    dataset_id: int | None
    preset: str
    config: OptimizerConfig  # the same for every model: task, split, seed, settings
    target: float | None  # share right wanted on the final exam (0–1), None: no target
    prefer: str  # "size" or "speed"
    memory_limit: int | None  # bytes a model may need; None: this computer's free memory
    status: str  # "created", "running", "cancelled", "finished"
    created_at: float
    entries: tuple[ComparisonEntry, ...]

    @property
    def first_look(self) -> bool:
        """Only the simple prompts were run (no search)."""
        return not self.config.search


class ComparisonStore:
    """Reads and writes comparisons. A comparison never changes its task, models or settings
    once created; only its runs, skip reasons, status, target and preference change."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def create(self, dataset_id: int, model_ids: list[int], config: OptimizerConfig, *, preset: str,
               target: float | None = None, prefer: str = "size", memory_limit: int | None = None) -> int:
        """A new comparison of `model_ids` (library models, in this order, each once) on the task."""
        if len(set(model_ids)) < 2:
            raise DebopError(msg.COMPARE_NEEDS_TWO)
        library = ModelLibrary(self.store)
        names = [library.get(m).name for m in model_ids]  # an unknown model is said before anything is written
        with self.store.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO comparisons (dataset_id, preset, config_json, target, prefer, memory_limit, status, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, 'created', ?)",
                (dataset_id, preset, config.to_json(), _target(target), _prefer(prefer), memory_limit, time.time()))
            comparison_id = int(cur.lastrowid or 0)
            conn.executemany(
                "INSERT INTO comparison_models (comparison_id, position, model_id, model_name) VALUES (?, ?, ?, ?)",
                [(comparison_id, i, m, name) for i, (m, name) in enumerate(zip(model_ids, names, strict=True))])
        return comparison_id

    def get(self, comparison_id: int) -> Comparison:
        rows = list(self.store.db.query("SELECT * FROM comparisons WHERE id = ?", [comparison_id]))
        if not rows:
            raise DebopError(msg.COMPARE_NOT_FOUND.format(id=comparison_id))
        r = rows[0]
        entries = tuple(
            ComparisonEntry(e["position"], e["model_id"], e["model_name"], e["run_id"], e["skipped"] or None)
            for e in self.store.db.query("SELECT * FROM comparison_models WHERE comparison_id = ? ORDER BY position",
                                         [comparison_id]))
        return Comparison(r["id"], r["dataset_id"], r["preset"], OptimizerConfig.from_json(r["config_json"]),
                          r["target"], r["prefer"], r["memory_limit"], r["status"], r["created_at"], entries)

    def list(self, dataset_id: int | None = None) -> list[Comparison]:
        """Comparisons, newest first (of one task when `dataset_id` is given)."""
        where, params = ("WHERE dataset_id = ?", [dataset_id]) if dataset_id is not None else ("", [])
        ids = [r["id"] for r in self.store.db.query(f"SELECT id FROM comparisons {where} ORDER BY id DESC", params)]
        return [self.get(i) for i in ids]

    def set_run(self, comparison_id: int, position: int, run_id: int) -> None:
        self.store.execute("UPDATE comparison_models SET run_id = ?, skipped = NULL WHERE comparison_id = ? "
                           "AND position = ?", (run_id, comparison_id, position))

    def run_status(self, run_id: int | None) -> str | None:
        """The status of a comparison's run; None when it has none (or the run was deleted)."""
        if run_id is None:
            return None
        run = RunRepository(self.store).header(run_id)
        return str(run.status) if run else None

    def set_skipped(self, comparison_id: int, position: int, reason: str | None) -> None:
        self.store.execute("UPDATE comparison_models SET skipped = ? WHERE comparison_id = ? AND position = ?",
                           (reason, comparison_id, position))

    def set_status(self, comparison_id: int, status: str) -> None:
        done = time.time() if status == "finished" else None
        self.store.execute("UPDATE comparisons SET status = ?, finished_at = ? WHERE id = ?",
                           (status, done, comparison_id))

    def set_goal(self, comparison_id: int, target: float | None, prefer: str) -> None:
        """The target and the preference change only the recommendation, never the runs."""
        self.store.execute("UPDATE comparisons SET target = ?, prefer = ? WHERE id = ?",
                           (_target(target), _prefer(prefer), comparison_id))


def _target(target: float | None) -> float | None:
    if target is None:
        return None
    if not 0 < target <= 1:
        raise DebopError(msg.COMPARE_BAD_TARGET.format(value=target))
    return float(target)


def _prefer(prefer: str) -> str:
    if prefer not in PREFER:
        raise DebopError(msg.COMPARE_BAD_PREFER.format(value=prefer))
    return prefer

