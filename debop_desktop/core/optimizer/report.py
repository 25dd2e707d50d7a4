"""What a run found, as plain data for any front end: the runs list; per test question,
whether the tuned behavior fixed or broke what direct prompting did; and one run view (its
tries, baselines, the behavior that ships and the verdict) that every page reads."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from debop_desktop.core import behaviors, messages
from debop_desktop.core.errors import DebopError
from debop_desktop.core.optimizer.demos import Demonstration
from debop_desktop.core.optimizer.outcome import RunOutcome, Verdict
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.optimizer.verdict import verdict_name
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
    kept_test: float | None = None  # final-exam accuracy of the behavior the app keeps (what ships)
    verdict: str | None = None  # the verdict's label; None for a run not judged

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
    for r in RunRepository(store).named():
        o = RunOutcome.from_stored(r["summary_json"])
        runs.append(RunSummary(r["id"], r["model_id"], r["model"] or "", r["dataset"] or "", r["status"],
                               r["preset"] or "", o.best.dev_accuracy if o.best else None, o.test_accuracy("tuned"),
                               time.strftime("%Y-%m-%d %H:%M", time.localtime(r["created_at"])),
                               o.test_accuracy(o.shipped_method), o.verdict.label if o.verdict else None))
    return runs


def question_changes(store: Store, run_id: int) -> list[QuestionChange]:
    """Each test question answered by the behavior the app keeps (plain prompting's own answers
    when that is what it keeps: nothing changed), next to direct prompting's answer."""
    repo = RunRepository(store)
    direct = {r["example_id"]: r for r in repo.evaluations(run_id, "test:direct")}
    shipped = (repo.outcome(run_id) or RunOutcome()).shipped_method
    changes = []
    for t in repo.evaluations(run_id, f"test:{shipped}"):
        d = direct.get(t["example_id"])
        change = "unchanged" if d is None or d["correct"] == t["correct"] else ("fixed" if t["correct"] else "broken")
        changes.append(QuestionChange(" ".join(t["input"].split()), t["answer"],
                                      (d["extracted"] if d else None) or "—", t["extracted"] or "—", change,
                                      d["output"] if d else "", t["output"]))
    return changes


STALE_AFTER_S = 600.0  # a live run records something after every model call


def mark_interrupted(store: Store, now: float | None = None, stale_after: float = STALE_AFTER_S) -> list[int]:
    """Runs left 'running' or 'paused' by a crash or a killed app, and silent for `stale_after`
    seconds, are marked 'interrupted' so the runs list offers Resume. Returns their ids.

    Housekeeping, so it writes only when a run needs marking, and gives up (marking nothing,
    returning []) rather than keep a reading command waiting behind another program's write
    or fail in a read-only data folder."""
    return RunRepository(store).mark_interrupted(time.time() if now is None else now, stale_after)


# -- one read side for a run: its tries, baselines, what ships, and the verdict ----------------


@dataclass(frozen=True)
class NodeView:
    """One try (a demonstration the search made and scored)."""

    id: int
    parent_id: int | None
    tree_index: int
    operator: str  # "seed" for the first try of a tree
    iteration: int
    source: str  # execution | worked_example | direct | operator:<name> | structural:<name>
    dev_accuracy: float | None
    mean_seconds: float | None
    reward: float | None
    visits: int
    raced_out: bool
    demo: Demonstration


@dataclass(frozen=True)
class BaselineScore:
    method: str
    correct: int
    n: int
    accuracy: float
    low: float  # 95% interval
    high: float


@dataclass(frozen=True)
class RunView:
    id: int
    status: str
    model: str
    dataset: str
    preset: str
    nodes: tuple[NodeView, ...]
    best_node_id: int | None
    baselines: tuple[BaselineScore, ...]
    verdict: Verdict | None
    shipped: str  # "tuned" when the best try ships, else the method the app keeps
    shipped_reason: str = ""  # why it ships, in plain words ("" for older runs)
    seed: int | None = None
    backend: str = ""
    endpoint: str | None = None  # a model server's address; None for the built-in engine
    error: str | None = None
    outcome: RunOutcome = field(default_factory=RunOutcome, hash=False, compare=False)  # as stored, for JSON

    @property
    def shipped_name(self) -> str:
        """What ships, as the object of a sentence ("your worked examples")."""
        return messages.SHIPPED_NAMES.get(self.shipped) or behaviors.label(self.shipped)

    def node(self, node_id: int | None) -> NodeView | None:
        return next((n for n in self.nodes if n.id == node_id), None)

    @property
    def best(self) -> NodeView | None:
        return self.node(self.best_node_id)

    @property
    def headline(self) -> str:
        """The first sentence a person reads about this run: the verdict's own sentence, or,
        for a run judged before the app gave verdicts, the final-exam scores in plain words."""
        if self.verdict is not None and self.verdict.sentence:
            return self.verdict.sentence
        scores = {b.method: b for b in self.baselines}
        if "tuned" in scores and "direct" in scores:
            t, d = scores["tuned"], scores["direct"]
            return messages.RESULT_WITHOUT_VERDICT.format(tuned=t.correct, direct=d.correct, total=t.n)
        return messages.RESULT_NOT_JUDGED.get(self.status, messages.RESULT_NOT_JUDGED["other"])

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.verdict.warnings if self.verdict is not None else ()


def public_summary(outcome: RunOutcome) -> dict[str, Any]:
    """A run's outcome as JSON outputs show it (the stored summary's keys): methods by their
    public names (step by step is stored as "zero_shot_cot"), without the failure traceback."""
    out = {k: v for k, v in outcome.to_summary().items() if k != "traceback"}
    for key in ("baselines", "dev_scores", "confirm_scores"):
        if isinstance(out.get(key), list):
            out[key] = [{**b, "method": verdict_name(str(b.get("method")))} if isinstance(b, dict) else b
                        for b in out[key]]
    if isinstance(out.get("shipped"), dict):
        out["shipped"] = {k: verdict_name(v) if k in ("method", "chosen_on_dev") and isinstance(v, str) else v
                          for k, v in out["shipped"].items()}
    return out


def verdict_from_summary(summary: dict[str, Any]) -> Verdict | None:
    """The summary's verdict, or None for runs recorded before verdicts existed. Tolerates
    missing fields; never raises on an odd summary."""
    return RunOutcome.from_summary(summary).verdict


def run_view(store: Store, run_id: int) -> RunView:
    """Everything a page shows about one run, read once. Callers must not write through it."""
    repo = RunRepository(store)
    rows = repo.named(run_id)
    if not rows:
        raise DebopError(messages.RUN_NOT_FOUND.format(run_id=run_id))
    r = rows[0]
    outcome = RunOutcome.from_stored(r["summary_json"])
    nodes = tuple(
        NodeView(n["id"], n["parent_id"], n["tree_index"], n["operator"] or "seed", n["iteration"],
                 (demo := Demonstration.from_json(n["demo_json"])).source, n["dev_accuracy"], n["mean_seconds"],
                 n["reward"], n["visits"], n["status"] == "raced_out", demo)
        for n in repo.nodes(run_id))
    baselines = tuple(BaselineScore(s.method, s.correct, s.n, s.accuracy, s.low, s.high) for s in outcome.test_scores)
    return RunView(r["id"], r["status"], r["model"] or "", r["dataset"] or "", r["preset"] or "", nodes,
                   r["best_node_id"], baselines, outcome.verdict, outcome.shipped_method, outcome.shipped_reason,
                   r["seed"], r["backend"] or "", r["endpoint"], r["error"], outcome)
