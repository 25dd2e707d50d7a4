"""Mistake costs of a label task: which mistakes are worse than others (issue 25).

A cost per (right answer, given answer) pair: 0 for a right answer, 1 for any mistake unless
the person says otherwise ("missing urgent, answering routine, is 5 times as bad"). Kept with
the task (`datasets.mistake_costs_json`, migration m006). When a task has costs, the choice of
what ships compares candidates by the mean cost of their mistakes per question (lower is
better) instead of how many they got right, the verdict counts the costly mistakes, the
Mistakes tab highlights them, and an answered file marks answers in the costly direction
for a second look.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from debop_desktop.core import messages as msg
from debop_desktop.core.errors import DebopError
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.store import Store

LABEL_KINDS = ("labels", "yes_no", "true_false")  # choice letters differ per question: no costs
COST_SCORERS = ("label", "yes_no", "true_false")  # the scoring rules whose answers can be such a set
MOST = 1000.0  # a cost above this is a typing slip, not a judgement
MAX_EDITOR_LABELS = 6  # more labels than this: too many pairs for the editor's list


class CostsError(DebopError):
    """The costs as written cannot be used; the message says why."""


@dataclass(frozen=True)
class MistakeCosts:
    """The cost of each mistake of a label task. `pairs` holds only the costs that are not 1."""

    labels: tuple[str, ...]
    pairs: Mapping[tuple[str, str], float] = field(default_factory=dict)

    @property
    def is_set(self) -> bool:
        """Some mistake costs other than 1: the choice and the verdict use the costs."""
        return any(c != 1 for c in self.pairs.values())

    def label(self, answer: str | None) -> str | None:
        """The task's label an answer stands for (ignoring capitals and spaces), or None."""
        if answer is None:
            return None
        key = " ".join(str(answer).split()).casefold()
        return next((lab for lab in self.labels if lab.casefold() == key), None)

    def cost(self, expected: str, given: str | None, right: bool | None = None) -> float:
        """What one answer costs: 0 when right (`right`, or the same label), the pair's cost
        for a mistake between two labels, 1 for any other mistake (no answer, another word)."""
        e, g = self.label(expected), self.label(given)
        if right or (right is None and e is not None and e == g):
            return 0.0
        return float(self.pairs.get((e, g), 1.0)) if e is not None and g is not None else 1.0

    def costly(self) -> list[tuple[str, str, float]]:
        """The mistakes that count more than once, the costliest first."""
        return sorted(((e, g, c) for (e, g), c in self.pairs.items() if c > 1), key=lambda t: (-t[2], t[0], t[1]))

    def is_costly(self, expected: str, given: str | None) -> bool:
        return self.cost(expected, given) > 1

    def costly_given(self) -> dict[str, list[str]]:
        """For each given answer that may be a costly mistake, the right answers it may have missed."""
        found: dict[str, list[str]] = {}
        for e, g, _ in self.costly():
            found.setdefault(g, []).append(e)
        return found

    def describe(self) -> str:
        """The costs in words: "missing urgent (answered routine) counts 5 times"."""
        parts = [msg.COSTS_PAIR.format(expected=e, given=g, times=times(c))
                 for (e, g), c in sorted(self.pairs.items(), key=lambda t: (-t[1], t[0])) if c != 1]
        return "; ".join(parts) if parts else msg.COSTS_EQUAL

    def to_text(self) -> str:
        """The costs as `--costs` takes them: "urgent>routine=5"."""
        return ", ".join(f"{e}>{g}={number(c)}" for (e, g), c in self.pairs.items() if c != 1)

    def to_json(self) -> list[dict[str, Any]]:
        return [{"expected": e, "given": g, "cost": c} for (e, g), c in self.pairs.items() if c != 1]


def times(cost: float) -> str:
    return msg.COSTS_TIMES.get(cost) or f"{number(cost)} times"  # type: ignore[call-overload]


def number(value: float) -> str:
    return f"{value:g}"


def check_cost(expected: str, given: str, value: Any) -> float:
    """A cost as typed, as a number; `CostsError` with a plain sentence if it is not one ≥ 0."""
    text = str(value).strip().rstrip("×x").strip()
    try:
        cost = float(text.replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise CostsError(msg.COSTS_NOT_NUMBER.format(expected=expected, given=given, value=value)) from None
    if math.isnan(cost) or math.isinf(cost):
        raise CostsError(msg.COSTS_NOT_NUMBER.format(expected=expected, given=given, value=value))
    if cost < 0:
        raise CostsError(msg.COSTS_NEGATIVE.format(expected=expected, given=given, value=number(cost)))
    if cost > MOST:
        raise CostsError(msg.COSTS_TOO_BIG.format(expected=expected, given=given, value=number(cost),
                                                  most=number(MOST)))
    return cost


def make_costs(labels: Sequence[str], pairs: Iterable[tuple[str, str, Any]]) -> MistakeCosts:
    """Costs from (right, given, cost) triples, each label one of `labels` (any capitals);
    `CostsError` for an unknown label, a right answer given a cost, or a cost that is not a
    number ≥ 0."""
    base = MistakeCosts(tuple(labels))
    shown = ", ".join(labels)
    found: dict[tuple[str, str], float] = {}
    for expected, given, value in pairs:
        e, g = base.label(expected), base.label(given)
        for typed, known in ((expected, e), (given, g)):
            if known is None:
                raise CostsError(msg.COSTS_UNKNOWN_LABEL.format(label=str(typed).strip(), labels=shown))
        if e == g:
            example = f"{labels[0]}>{labels[1]}=5" if len(labels) > 1 else "urgent>routine=5"
            raise CostsError(msg.COSTS_SAME_LABEL.format(label=e, example=example))
        cost = check_cost(e, g, value)  # type: ignore[arg-type]
        if cost != 1:
            found[(e, g)] = cost  # type: ignore[index]
        else:
            found.pop((e, g), None)  # type: ignore[arg-type]
    return MistakeCosts(tuple(labels), found)


def parse_costs(text: str, labels: Sequence[str]) -> MistakeCosts:
    """Costs as written on the command line: "urgent>routine=5, routine>urgent=0.5"."""
    triples = []
    for item in (p.strip() for p in text.replace(";", ",").split(",")):
        if not item:
            continue
        pair, eq, value = item.partition("=")
        expected, gt, given = pair.partition(">")
        if not eq or not gt or not expected.strip() or not given.strip() or not value.strip():
            raise CostsError(msg.COSTS_FORMAT.format(item=item))
        triples.append((expected.strip(), given.strip(), value.strip()))
    return make_costs(labels, triples)


def from_json(labels: Sequence[str], data: Any) -> MistakeCosts:
    """Stored costs; an entry whose labels the task no longer has is left out."""
    base = MistakeCosts(tuple(labels))
    pairs: dict[tuple[str, str], float] = {}
    for item in data or ():
        e, g = base.label(item.get("expected")), base.label(item.get("given"))
        if e is not None and g is not None and e != g:
            pairs[(e, g)] = float(item.get("cost", 1))
    return MistakeCosts(tuple(labels), pairs)


def cost_labels(scorer: str, options: Mapping[str, Any] | None, answers: Iterable[str]) -> tuple[str, ...]:
    """The labels costs can name: the task's small answer set (labels, yes/no, true/false), or ()."""
    from debop_desktop.core.scoring.answer_space import answer_space

    space = answer_space(scorer, dict(options or {}), list(answers) if scorer == "label" else ())
    return tuple(space.allowed()) if space.kind in LABEL_KINDS else ()


def task_labels(store: Store, dataset_id: int) -> tuple[str, ...]:
    """The labels of a stored task, () when its answers are not a small set."""
    row = store.execute("SELECT scorer, scorer_options_json FROM datasets WHERE id = ?", (dataset_id,)).fetchone()
    if row is None:
        return ()
    scorer, options = row[0], json.loads(row[1] or "{}")
    answers: list[str] = []
    if scorer == "label" and not options.get("labels"):
        answers = [r[0] for r in store.execute("SELECT DISTINCT answer FROM examples WHERE dataset_id = ?",
                                               (dataset_id,))]
    return cost_labels(scorer, options, answers)


def task_costs(store: Store, dataset_id: int) -> MistakeCosts | None:
    """The task's mistake costs; None when its answers are not a small set of labels."""
    labels = task_labels(store, dataset_id)
    if not labels:
        return None
    row = store.execute("SELECT mistake_costs_json FROM datasets WHERE id = ?", (dataset_id,)).fetchone()
    return from_json(labels, json.loads(row[0] or "[]") if row else [])


def set_task_costs(store: Store, dataset_id: int, costs: MistakeCosts) -> None:
    """Keep `costs` with the task (replacing the ones it had); runs made before keep their choice."""
    with store.transaction() as conn:
        conn.execute("UPDATE datasets SET mistake_costs_json = ? WHERE id = ?",
                     (json.dumps(costs.to_json(), ensure_ascii=False), dataset_id))


def keep_costs(store: Store, dataset_id: int, costs: MistakeCosts) -> MistakeCosts | None:
    """Keep costs set before the task was written (the import wizard, `--costs`): those between
    the new task's labels; None (nothing kept) when its answers are not a small set of labels."""
    labels = task_labels(store, dataset_id)
    if not labels:
        return None
    kept = from_json(labels, costs.to_json())
    set_task_costs(store, dataset_id, kept)
    return kept


def run_check_notes(store: Store, run_id: int) -> dict[str, str]:
    """For an answered file: each answer (lower case) that may be a costly mistake of the run's
    task, with the note its "check by hand" cell gets ("check: could be a missed urgent");
    {} when no mistake of the task counts more than once."""
    costs = run_costs(store, run_id)
    if costs is None:
        return {}
    return {given.casefold(): msg.APPLY_CHECK_COSTLY.format(expected=" or ".join(missed))
            for given, missed in costs.costly_given().items()}


def run_costs(store: Store, run_id: int) -> MistakeCosts | None:
    """The mistake costs of a run's task when some are set (else None)."""
    run = RunRepository(store).header(run_id)
    costs = task_costs(store, run.dataset_id) if run and run.dataset_id is not None else None
    return costs if costs is not None and costs.is_set else None
