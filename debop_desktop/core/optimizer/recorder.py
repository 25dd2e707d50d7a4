"""Persist a run as it happens, and answer "was this already done?" for resume.

Every plan, node and evaluation is written the moment it exists (autocommit, no batching),
so a crash loses at most the model call in flight. A resumed run replays the same seeded
search and takes each step from here when it is already recorded.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from debop_desktop import __version__
from debop_desktop.core.optimizer.config import OptimizerConfig
from debop_desktop.core.optimizer.demos import Demonstration, Plan
from debop_desktop.core.optimizer.events import Event
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.store import Store


@dataclass(frozen=True)
class StoredEvaluation:
    output: str
    extracted: str | None
    correct: bool
    unparsed: bool
    reason: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float


@dataclass(frozen=True)
class StoredNode:
    id: int
    parent_id: int | None
    tree_index: int
    operator: str
    iteration: int
    demo: Demonstration
    status: str


class RunRecorder:
    def __init__(self, store: Store, run_id: int) -> None:
        self.store = store
        self.run_id = run_id
        self._seq = store.execute("SELECT COALESCE(MAX(seq), 0) FROM run_events WHERE run_id = ?",
                                  (run_id,)).fetchone()[0]

    @classmethod
    def create(cls, store: Store, *, model_id: int | None, dataset_id: int, config: OptimizerConfig,
               preset: str, backend: str, endpoint: str | None, model_sha256: str | None,
               dataset_sha256: str | None) -> RunRecorder:
        cur = store.execute(
            "INSERT INTO runs (model_id, dataset_id, status, preset, seed, config_json, backend, endpoint, "
            "model_sha256, dataset_sha256, app_version, created_at) "
            "VALUES (?, ?, 'created', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (model_id, dataset_id, preset, config.seed, config.to_json(), backend, endpoint, model_sha256,
             dataset_sha256, __version__, time.time()))
        return cls(store, cur.lastrowid)  # type: ignore[arg-type]

    # -- run row ----------------------------------------------------------------------
    def run_row(self) -> dict[str, Any]:
        return next(self.store.db.query("SELECT * FROM runs WHERE id = ?", [self.run_id]))

    def set_status(self, status: str, error: str | None = None) -> None:
        now = time.time()
        extra = ", started_at = COALESCE(started_at, ?)" if status == "running" else ", finished_at = ?"
        self.store.execute(f"UPDATE runs SET status = ?, error = ?{extra} WHERE id = ?",
                           (status, error, now, self.run_id))

    def set_summary(self, summary: dict[str, Any], best_node_id: int | None) -> None:
        self.store.execute("UPDATE runs SET summary_json = ?, best_node_id = ? WHERE id = ?",
                           (json.dumps(summary), best_node_id, self.run_id))

    def summary(self) -> dict[str, Any]:
        return json.loads(self.run_row()["summary_json"] or "{}")

    def record_event(self, event: Event) -> None:
        self._seq += 1
        self.store.execute("INSERT INTO run_events (run_id, seq, kind, payload_json, at) VALUES (?, ?, ?, ?, ?)",
                           (self.run_id, self._seq, event.kind, json.dumps(event.payload()), time.time()))

    # -- plans ------------------------------------------------------------------------
    def plan(self, idx: int) -> tuple[str, Plan | None, float | None] | None:
        row = self.store.execute("SELECT raw_text, steps_json, guidelines, dev_accuracy FROM plans "
                                 "WHERE run_id = ? AND idx = ?", (self.run_id, idx)).fetchone()
        if row is None:
            return None
        plan = Plan(tuple(json.loads(row[1])), row[2]) if row[1] else None
        return row[0], plan, row[3]

    def save_plan(self, idx: int, raw: str, plan: Plan | None) -> int:
        cur = self.store.execute(
            "INSERT INTO plans (run_id, idx, raw_text, guidelines, steps_json, parse_ok, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (self.run_id, idx, raw, plan.guidelines if plan else "",
             json.dumps(list(plan.steps)) if plan else None, int(plan is not None), time.time()))
        return cur.lastrowid  # type: ignore[return-value]

    def plan_id(self, idx: int) -> int:
        return self.store.execute("SELECT id FROM plans WHERE run_id = ? AND idx = ?",
                                  (self.run_id, idx)).fetchone()[0]

    def set_plan_accuracy(self, idx: int, accuracy: float) -> None:
        self.store.execute("UPDATE plans SET dev_accuracy = ? WHERE run_id = ? AND idx = ?",
                           (accuracy, self.run_id, idx))

    # -- nodes ------------------------------------------------------------------------
    def node(self, iteration: int, tree_index: int) -> StoredNode | None:
        rows = list(self.store.db.query(
            "SELECT * FROM nodes WHERE run_id = ? AND iteration = ? AND tree_index = ?",
            [self.run_id, iteration, tree_index]))
        if not rows:
            return None
        r = rows[0]
        return StoredNode(r["id"], r["parent_id"], r["tree_index"], r["operator"] or "seed", r["iteration"],
                          Demonstration.from_json(r["demo_json"]), r["status"])

    def save_node(self, *, parent_id: int | None, tree_index: int, operator: str, iteration: int,
                  depth: int, demo: Demonstration, plan_id: int | None = None) -> int:
        cur = self.store.execute(
            "INSERT INTO nodes (run_id, parent_id, tree_index, plan_id, operator, iteration, depth, demo_json, "
            "status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new', ?)",
            (self.run_id, parent_id, tree_index, plan_id, operator, iteration, depth, demo.to_json(), time.time()))
        return cur.lastrowid  # type: ignore[return-value]

    def dead_end(self, iteration: int, tree_index: int) -> int | None:
        """The model calls a search try that gave nothing new cost (`save_dead_end`); None when
        no such try was recorded for `iteration` in tree `tree_index`."""
        row = self.store.execute("SELECT model_calls FROM dead_ends WHERE run_id = ? AND iteration = ? "
                                 "AND tree_index = ?", (self.run_id, iteration, tree_index)).fetchone()
        return None if row is None else int(row[0])

    def save_dead_end(self, iteration: int, tree_index: int, operator: str, model_calls: int) -> None:
        self.store.execute("INSERT OR IGNORE INTO dead_ends (run_id, iteration, tree_index, operator, model_calls) "
                           "VALUES (?, ?, ?, ?, ?)", (self.run_id, iteration, tree_index, operator, model_calls))

    def update_node(self, node_id: int, **values: Any) -> None:
        sets = ", ".join(f"{k} = ?" for k in values)
        self.store.execute(f"UPDATE nodes SET {sets} WHERE id = ?", (*values.values(), node_id))

    # -- evaluations ------------------------------------------------------------------
    def evaluation(self, subject: str, example_id: int) -> StoredEvaluation | None:
        row = self.store.execute(
            "SELECT output, extracted, correct, unparsed, reason, prompt_tokens, completion_tokens, seconds "
            "FROM evaluations WHERE run_id = ? AND subject = ? AND example_id = ?",
            (self.run_id, subject, example_id)).fetchone()
        return StoredEvaluation(row[0], row[1], bool(row[2]), bool(row[3]), row[4], row[5], row[6], row[7]) \
            if row else None

    def save_evaluation(self, subject: str, example_id: int, split: str, e: StoredEvaluation, *,
                        node_id: int | None = None, plan_id: int | None = None, cached: bool = False) -> None:
        self.store.execute(
            "INSERT OR IGNORE INTO evaluations (run_id, subject, node_id, plan_id, example_id, split, output, "
            "extracted, correct, unparsed, reason, prompt_tokens, completion_tokens, seconds, cached, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.run_id, subject, node_id, plan_id, example_id, split, e.output, e.extracted, int(e.correct),
             int(e.unparsed), e.reason, e.prompt_tokens, e.completion_tokens, e.seconds, int(cached),
             time.time()))

    def save_evaluations(self, subject: str, items: list[tuple[Any, StoredEvaluation]], *,
                         node_id: int | None = None, plan_id: int | None = None) -> None:
        """Several (example, evaluation) pairs in one transaction: a batch lands whole or not at all."""
        with self.store.transaction():
            for example, e in items:
                self.save_evaluation(subject, example.id, example.split, e, node_id=node_id, plan_id=plan_id)

    def evaluations(self, subject: str) -> list[dict[str, Any]]:
        return RunRepository(self.store).evaluations(self.run_id, subject)
