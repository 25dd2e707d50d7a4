"""Two runs on one task, compared by what each keeps (issue 25): each run named by its model
and date, the kept behavior's final exam and verdict, and on the questions both answered, who
got what right with what it keeps; then every behavior's score and the settings that differ."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from debop_desktop.core import behaviors, messages
from debop_desktop.core.errors import DebopError
from debop_desktop.core.optimizer.report import run_view
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.optimizer.verdict import stored_name
from debop_desktop.core.store import Store


@dataclass(frozen=True)
class ComparedRun:
    id: int
    task: str
    model: str
    date: str  # when it started, as the runs list says it
    kept: str  # the stored name of the method whose behavior the app keeps
    kept_name: str  # the same, as the object of a sentence ("a few solved examples")
    right: int | None  # the kept behavior's final exam; None when it has none
    total: int | None
    verdict: str | None  # the verdict's label; None for a run not judged

    @property
    def name(self) -> str:
        return messages.COMPARE_RUN_NAME.format(model=self.model or "?", date=self.date)


@dataclass(frozen=True)
class KeptComparison:
    a: ComparedRun
    b: ComparedRun
    methods: tuple[tuple[str, float | None, float | None], ...]  # every method either scored: a, b
    settings: tuple[tuple[str, str, str], ...]  # only the settings that differ
    both_right: int
    only_a: int
    only_b: int
    both_wrong: int

    @property
    def shared(self) -> int:
        return self.both_right + self.only_a + self.only_b + self.both_wrong

    def names(self) -> tuple[str, str]:
        """The two runs' names, told apart by their number when model and date are the same."""
        a, b = self.a.name, self.b.name
        return (f"{a} (#{self.a.id})", f"{b} (#{self.b.id})") if a == b else (a, b)

    def short_names(self) -> tuple[str, str]:
        """What tells the two apart, for a sentence: the model, else the date, else the number."""
        for a, b in ((self.a.model, self.b.model), (self.a.date, self.b.date)):
            if a and b and a != b:
                return a, b
        return f"#{self.a.id}", f"#{self.b.id}"


def _side(store: Store, run_id: int) -> tuple[ComparedRun, dict, dict[int, bool], dict[str, float]]:
    view, repo = run_view(store, run_id), RunRepository(store)
    row = repo.row(run_id) or {}
    kept = stored_name(view.shipped)
    score = next((b for b in view.baselines if b.method == kept), None)
    side = ComparedRun(view.id, view.dataset, view.model, time.strftime("%Y-%m-%d %H:%M",
                                                                          time.localtime(row["created_at"])),
                       kept, view.shipped_name, score.correct if score else None, score.n if score else None,
                       view.verdict.label if view.verdict is not None else None)
    correct = {e["example_id"]: bool(e["correct"]) for e in repo.evaluations(run_id, f"test:{kept}")}
    return side, row, correct, {s.method: s.accuracy for s in view.baselines}


def compare_kept(store: Store, a: int, b: int) -> KeptComparison:
    """Runs `a` and `b`, which must be on the same task (else a plain DebopError)."""
    (side_a, row_a, right_a, scores_a), (side_b, row_b, right_b, scores_b) = _side(store, a), _side(store, b)
    if row_a["dataset_id"] != row_b["dataset_id"]:
        raise DebopError("These two runs are on different tasks; compare runs made on the same task.")
    scores = (scores_a, scores_b)
    methods = tuple((m, scores[0].get(m), scores[1].get(m)) for m in behaviors.LABELS
                    if m in scores[0] or m in scores[1])
    cfg_a, cfg_b = json.loads(row_a["config_json"] or "{}"), json.loads(row_b["config_json"] or "{}")
    settings = [(messages.OPTIMIZE_LABELS["model"], side_a.model or row_a["model_sha256"] or "?",
                 side_b.model or row_b["model_sha256"] or "?"),
                (messages.OPTIMIZE_LABELS["preset"], row_a["preset"] or "", row_b["preset"] or "")]
    settings += [(setting_name(k), str(cfg_a.get(k)), str(cfg_b.get(k))) for k in sorted(set(cfg_a) | set(cfg_b))]
    pairs = [(right_a[k], right_b[k]) for k in right_a.keys() & right_b.keys()]
    return KeptComparison(side_a, side_b, methods, tuple(s for s in settings if s[1] != s[2]),
                          sum(x and y for x, y in pairs), sum(x and not y for x, y in pairs),
                          sum(y and not x for x, y in pairs), sum(not x and not y for x, y in pairs))


def setting_name(key: str) -> str:
    """A run setting by the name the Optimize page's Advanced section gives it."""
    return messages.OPTIMIZER_KNOBS.get(key, (key.replace("_", " "),))[0]


def plain_method(method: str) -> str:
    """A method's label without its technical aside in brackets ("Step by step (zero-shot CoT)"
    is "Step by step"); the full label belongs in a tooltip."""
    return behaviors.label(method).split(" (")[0]
