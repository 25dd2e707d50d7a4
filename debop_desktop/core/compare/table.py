"""The comparison as one table and one recommendation, read from what the runs recorded.

`comparison_view` is what the CLI and the app show; `recommend` is the pure rule behind the
sentence: with a target, the smallest (or fastest) model whose final-exam range reaches it,
else the most accurate; with a paired test on the shared final-exam questions to say when two
models cannot be told apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from debop_desktop.core import messages as msg
from debop_desktop.core.compare.fit import memory_needed
from debop_desktop.core.compare.outcome import ModelOutcome, run_outcome
from debop_desktop.core.compare.records import Comparison, ComparisonStore
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.errors import DebopError
from debop_desktop.core.library import ModelLibrary, ModelRecord
from debop_desktop.core.optimizer.verdict import SIGNIFICANCE, mcnemar_exact
from debop_desktop.core.scoring.answer_space import CLOSED_SCORERS
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import Store
from debop_desktop.core.units import name_list


@dataclass(frozen=True)
class ComparisonRow:
    position: int
    model_id: int | None
    name: str
    size_bytes: int | None  # the model file; None for a model on a server
    memory_bytes: int | None  # memory it needs to run (weights, conversation memory, work space)
    skipped: str | None  # why it was left out
    outcome: ModelOutcome | None  # None until its run has started

    @property
    def state(self) -> str:
        """"done", "skipped", "waiting" (not started), or its run's status ("cancelled", "failed", …)."""
        if self.outcome is not None and self.outcome.finished:
            return "done"
        if self.skipped:
            return "skipped"
        return self.outcome.status if self.outcome is not None else "waiting"


@dataclass(frozen=True)
class Recommendation:
    position: int | None  # the row recommended (None: no model has finished)
    sentence: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComparisonView:
    comparison: Comparison
    dataset: str
    rows: tuple[ComparisonRow, ...]
    recommendation: Recommendation

    @property
    def recommended(self) -> ComparisonRow | None:
        return next((r for r in self.rows if r.position == self.recommendation.position), None)


_UNSET = object()


def comparison_view(store: Store, comparison_id: int, *, target: float | None | object = _UNSET,
                    prefer: str | None = None) -> ComparisonView:
    """Everything the comparison shows, read once. `target` and `prefer` default to the ones
    the comparison keeps (the recommendation can be read for another target without saving it)."""
    comparison = ComparisonStore(store).get(comparison_id)
    library, settings = ModelLibrary(store), Settings(store)
    rows = _distinct_names([_row(store, library, settings, e.position, e.model_id, e.model_name, e.run_id,
                                 e.skipped) for e in comparison.entries], library)
    dataset = DatasetRepository(store).get(comparison.dataset_id) if comparison.dataset_id is not None else None
    closed = dataset is not None and dataset.scorer in CLOSED_SCORERS
    goal = comparison.target if target is _UNSET else target
    recommendation = recommend(rows, goal, prefer or comparison.prefer, closed)  # type: ignore[arg-type]
    return ComparisonView(comparison, dataset.name if dataset else "", rows, recommendation)


def _row(store: Store, library: ModelLibrary, settings: Settings, position: int, model_id: int | None,
         name: str, run_id: int | None, skipped: str | None) -> ComparisonRow:
    record: ModelRecord | None = None
    if model_id is not None:
        try:
            record = library.get(model_id)
        except DebopError:
            record = None
    estimate = memory_needed(record, settings) if record is not None and record.path else None
    outcome = None
    if run_id is not None:
        try:
            outcome = run_outcome(store, run_id)
        except DebopError:  # the run was deleted
            outcome = None
    return ComparisonRow(position, model_id, record.name if record else name, record.size_bytes if record else None,
                         estimate.total_bytes if estimate else None, skipped, outcome)


def _distinct_names(rows: list[ComparisonRow], library: ModelLibrary) -> tuple[ComparisonRow, ...]:
    """Two files of one model (two quantizations) often carry the same name inside: tell them
    apart by their quantization, or else by their file name."""
    def label(row: ComparisonRow, how: str) -> str:
        try:
            record = library.get(row.model_id) if row.model_id is not None else None
        except DebopError:
            record = None
        extra = (record.quantization if how == "quantization" else Path(record.path or "").name) if record else ""
        return f"{row.name} ({extra})" if extra else row.name

    for how in ("quantization", "file"):
        counts = Counter(r.name for r in rows)
        rows = [replace(r, name=label(r, how)) if counts[r.name] > 1 else r for r in rows]
    return tuple(rows)


def recommend(rows: Sequence[ComparisonRow], target: float | None, prefer: str = "size",
              closed_answers: bool = False) -> Recommendation:
    """The model to use, in one sentence, with warnings.

    With `target` (share right, 0–1): among the models whose final-exam 95 % range reaches the
    target (its upper end is at least the target), the smallest file (`prefer="size"`) or the
    most answers a second (`"speed"`); when none reaches it, or without a target, the most
    accurate (ties: the smaller). Only finished runs count."""
    done = [(r, r.outcome) for r in rows if r.outcome is not None and r.outcome.finished]
    if not done:
        return Recommendation(None, msg.COMPARE_NOTHING_FINISHED)
    reaching = [(r, o) for r, o in done if target is not None and o.high >= target]
    if target is not None and reaching:
        if prefer == "speed":
            row, o = max(reaching, key=lambda ro: (ro[1].answers_per_second or 0.0, ro[1].accuracy))
        else:
            row, o = min(reaching, key=lambda ro: (_size(ro[0]), -ro[1].accuracy))
        template = msg.COMPARE_FASTEST_REACHES if prefer == "speed" else msg.COMPARE_SMALLEST_REACHES
        sentence = template.format(name=row.name, target=_pct(target), speed=_speed(o.answers_per_second),
                                   **_numbers(o))
        if o.accuracy < target:
            sentence += msg.COMPARE_MAY_FALL_SHORT.format(acc=_pct(o.accuracy))
    else:
        row, o = max(done, key=lambda ro: (ro[1].accuracy, -_size(ro[0])))
        template = msg.COMPARE_NONE_REACHES if target is not None else msg.COMPARE_MOST_ACCURATE
        sentence = template.format(name=row.name, target=_pct(target or 0.0), **_numbers(o))
    if closed_answers and o.majority_rate is not None and o.majority_answer is not None:
        sentence += msg.VERDICT_CHANCE.format(answer=o.majority_answer, rate=_pct(o.majority_rate))
    return Recommendation(row.position, sentence, _warnings(row, o, done, prefer))


def _warnings(pick: ComparisonRow, mine: ModelOutcome, done: Sequence[tuple[ComparisonRow, ModelOutcome]],
              prefer: str) -> tuple[str, ...]:
    """A paired test (McNemar's) of the recommended model against each other finished one, on
    the final-exam questions both answered: which cannot be told apart, and which was clearly
    more accurate than the one recommended (it is larger, or slower)."""
    alike, shared_n, warnings = [], 0, []
    for other, theirs in done:
        if other is pick:
            continue
        shared = sorted(mine.correct.keys() & theirs.correct.keys())
        only_mine = sum(mine.correct[i] and not theirs.correct[i] for i in shared)
        only_theirs = sum(theirs.correct[i] and not mine.correct[i] for i in shared)
        p = mcnemar_exact(only_mine, only_theirs)
        shared_n = max(shared_n, len(shared))
        if p >= SIGNIFICANCE:
            alike.append(other.name)
        elif only_theirs > only_mine:
            warnings.append(msg.COMPARE_CLEARLY_BETTER.format(
                other=other.name, name=pick.name, other_right=sum(theirs.correct[i] for i in shared),
                right=sum(mine.correct[i] for i in shared), n=len(shared), p="< 0.001" if p < 0.001 else f"= {p:.3f}",
                but=msg.COMPARE_BUT[prefer]))
    if alike:
        warnings.insert(0, msg.COMPARE_CANNOT_TELL.format(n=shared_n, name=pick.name, others=name_list(alike)))
    if len(done) == 1:
        warnings.append(msg.COMPARE_ONLY_ONE)
    return tuple(warnings)


def _numbers(o: ModelOutcome) -> dict[str, str | int]:
    return {"acc": _pct(o.accuracy), "low": f"{o.low * 100:.0f}", "high": _pct(o.high), "right": o.right,
            "total": o.total}


def _size(row: ComparisonRow) -> float:
    return float(row.size_bytes) if row.size_bytes else float("inf")  # a server model: size unknown, last


def _pct(rate: float) -> str:
    return f"{rate * 100:.0f} %"


def _speed(rate: float | None) -> str:
    return f"{rate:.1f}" if rate else "?"
