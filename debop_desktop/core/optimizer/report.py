"""What a run found, as plain data for any front end: the runs list and, per test question,
whether the tuned behavior fixed or broke what direct prompting did."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from debop_desktop.core.errors import DebopError
from debop_desktop.core.optimizer.recorder import RunRecorder
from debop_desktop.core.store import Store


@dataclass(frozen=True)
class RunSummary:
    id: int
    model_id: int | None
    model: str
    dataset: str
    status: str
    preset: str
    best_dev: float | None
    tuned_test: float | None
    created: str

    @property
    def resumable(self) -> bool:
        return self.status != "finished" and self.model_id is not None


@dataclass(frozen=True)
class QuestionChange:
    question: str
    expected: str
    direct: str  # extracted answers; "—" when none
    tuned: str
    change: str  # "fixed", "broken" or "unchanged"
    direct_output: str  # the raw outputs, for a side-by-side view
    tuned_output: str


def list_runs(store: Store) -> list[RunSummary]:
    """Every run, newest first."""
    runs = []
    for r in store.db.query(
            "SELECT r.*, m.name AS model, d.name AS dataset FROM runs r LEFT JOIN models m ON m.id = r.model_id "
            "LEFT JOIN datasets d ON d.id = r.dataset_id ORDER BY r.id DESC"):
        s = json.loads(r["summary_json"] or "{}")
        tuned = next((b for b in s.get("baselines", []) if b["method"] == "tuned"), None)
        runs.append(RunSummary(r["id"], r["model_id"], r["model"] or "", r["dataset"] or "", r["status"],
                               r["preset"] or "", (s.get("best") or {}).get("dev_accuracy"),
                               tuned["accuracy"] if tuned else None,
                               time.strftime("%Y-%m-%d %H:%M", time.localtime(r["created_at"]))))
    return runs


def question_changes(store: Store, run_id: int) -> list[QuestionChange]:
    """Each test question answered by the tuned behavior, next to direct prompting's answer."""
    rec = RunRecorder(store, run_id)
    direct = {r["example_id"]: r for r in rec.evaluations("test:direct")}
    changes = []
    for t in rec.evaluations("test:tuned"):
        d = direct.get(t["example_id"])
        change = "unchanged" if d is None or d["correct"] == t["correct"] else ("fixed" if t["correct"] else "broken")
        changes.append(QuestionChange(" ".join(t["input"].split()), t["answer"],
                                      (d["extracted"] if d else None) or "—", t["extracted"] or "—", change,
                                      d["output"] if d else "", t["output"]))
    return changes


STALE_AFTER_S = 600.0  # a live run records something after every model call


def mark_interrupted(store: Store, now: float | None = None, stale_after: float = STALE_AFTER_S) -> list[int]:
    """Runs left 'running' or 'paused' by a crash or a killed app, and silent for `stale_after`
    seconds, are marked 'interrupted' so the runs list offers Resume. Returns their ids."""
    now = time.time() if now is None else now
    stale = [r["id"] for r in store.db.query(
        "SELECT r.id, MAX(COALESCE(r.started_at, r.created_at), COALESCE((SELECT MAX(at) FROM run_events e "
        "WHERE e.run_id = r.id), 0), COALESCE((SELECT MAX(created_at) FROM evaluations v WHERE v.run_id = r.id), 0)"
        ") AS last FROM runs r WHERE r.status IN ('running', 'paused')") if r["last"] < now - stale_after]
    with store.transaction() as conn:
        conn.executemany("UPDATE runs SET status = 'interrupted' WHERE id = ?", [(i,) for i in stale])
    return stale


@dataclass(frozen=True)
class RunComparison:
    """Two runs on the same task: their scores per method on the test split, what differs in
    how they were made, and on the test questions both answered, who got what right."""

    a: int
    b: int
    methods: list[tuple[str, float | None, float | None]]  # method, accuracy in a, in b
    settings: list[tuple[str, str, str]]  # only the settings that differ
    both_right: int
    only_a: int
    only_b: int
    both_wrong: int


def compare_runs(store: Store, a: int, b: int) -> RunComparison:
    ra, rb = RunRecorder(store, a), RunRecorder(store, b)
    row_a, row_b = ra.run_row(), rb.run_row()
    if row_a["dataset_id"] != row_b["dataset_id"]:
        raise DebopError("These two runs are on different tasks; compare runs made on the same task.")
    scores = [{s["method"]: s["accuracy"] for s in r.summary().get("baselines", [])} for r in (ra, rb)]
    methods = [m for m in ("direct", "zero_shot_cot", "worked_examples", "tuned") if m in scores[0] or m in scores[1]]
    names = {r["id"]: r["name"] for r in store.db.query("SELECT id, name FROM models")}
    cfg_a, cfg_b = json.loads(row_a["config_json"] or "{}"), json.loads(row_b["config_json"] or "{}")
    settings = [("model", names.get(row_a["model_id"], row_a["model_sha256"] or "?"),
                 names.get(row_b["model_id"], row_b["model_sha256"] or "?")),
                ("preset", row_a["preset"] or "", row_b["preset"] or "")]
    settings += [(k, str(cfg_a.get(k)), str(cfg_b.get(k))) for k in sorted(set(cfg_a) | set(cfg_b))]
    tuned = [{e["example_id"]: bool(e["correct"]) for e in r.evaluations("test:tuned")} for r in (ra, rb)]
    shared = tuned[0].keys() & tuned[1].keys()
    pairs = [(tuned[0][k], tuned[1][k]) for k in shared]
    return RunComparison(a, b, [(m, scores[0].get(m), scores[1].get(m)) for m in methods],
                         [s for s in settings if s[1] != s[2]],
                         sum(x and y for x, y in pairs), sum(x and not y for x, y in pairs),
                         sum(y and not x for x, y in pairs), sum(not x and not y for x, y in pairs))
