"""Which mistakes the kept behavior makes on the final exam, for tasks whose answers come from
a small set (labels, yes/no, true/false): a confusion table (expected × given, each cell with
its questions) and one plain line per expected answer ("urgent: 12 of 15 caught, 3 answered
routine"). Read from the recorded evaluations, like every other view of a run."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from debop_desktop.core import messages as msg
from debop_desktop.core.costs import MistakeCosts, run_costs
from debop_desktop.core.optimizer.outcome import RunOutcome
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.store import Store

NO_ANSWER = "(no answer)"
LABEL_KINDS = ("labels", "yes_no", "true_false")  # choice letters differ per question: no table


@dataclass(frozen=True)
class Mistakes:
    """The final exam of the kept behavior as a confusion table."""

    method: str  # the kept behavior's stored name
    labels: tuple[str, ...]  # expected answers first (in the task's order), then other given answers
    counts: dict[tuple[str, str], int]  # (expected, given) -> questions
    questions: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    costs: MistakeCosts | None = None  # the task's mistake costs, when some are set

    def is_costly(self, expected: str, given: str) -> bool:
        """A mistake that counts more than once (the task's mistake costs)."""
        return self.costs is not None and expected != given and self.costs.is_costly(expected, given)

    def costly_count(self) -> int:
        return sum(n for (e, g), n in self.counts.items() if self.is_costly(e, g))

    def costly_line(self) -> str:
        """"3 costly mistakes: urgent answered routine" ("" when no mistake costs more than once)."""
        if self.costs is None or not self.costs.costly():
            return ""
        made = [(e, g) for e, g, _ in self.costs.costly() if self.count(e, g)]
        pairs = ", ".join(msg.COSTLY_PAIR.format(expected=e, given=g)
                          for e, g in (made or [(e, g) for e, g, _ in self.costs.costly()]))
        n = self.costly_count()
        if n == 0:
            return msg.COSTLY_NONE.format(pairs=pairs)
        return (msg.COSTLY_LINE_ONE if n == 1 else msg.COSTLY_LINE).format(n=n, pairs=pairs)

    def count(self, expected: str, given: str) -> int:
        return self.counts.get((expected, given), 0)

    def expected_labels(self) -> list[str]:
        return [e for e in self.labels if any(k[0] == e for k in self.counts)]

    def lines(self) -> list[str]:
        """One sentence per expected answer: how many were caught, and what the rest got."""
        out = []
        for expected in self.expected_labels():
            total = sum(n for (e, _), n in self.counts.items() if e == expected)
            caught = self.count(expected, expected)
            wrong = sorted(((n, g) for (e, g), n in self.counts.items() if e == expected and g != expected),
                           key=lambda t: (-t[0], t[1]))
            rest = "; ".join(msg.MISTAKES_ANSWERED.format(n=n, given=g) for n, g in wrong)
            out.append(msg.MISTAKES_LINE.format(label=expected, caught=caught, total=total,
                                                rest=f", {rest}" if rest else ""))
        return out


def run_mistakes(store: Store, run_id: int) -> Mistakes | None:
    """The kept behavior's final-exam mistakes; None for a task without a small set of labels
    or a run with no final exam yet."""
    repo = RunRepository(store)
    outcome = repo.outcome(run_id) or RunOutcome()
    space = (outcome.kit or {}).get("answer_space") or {}
    if space.get("kind") not in LABEL_KINDS:
        return None
    method = outcome.shipped_method
    rows = repo.evaluations(run_id, f"test:{method}")
    if not rows:
        return None
    allowed = [str(v) for v in space.get("values") or ()] or {"yes_no": ["yes", "no"],
                                                             "true_false": ["true", "false"]}.get(space["kind"], [])
    by_lower = {a.lower(): a for a in allowed}
    counts: Counter[tuple[str, str]] = Counter()
    questions: dict[tuple[str, str], list[str]] = {}
    for r in rows:
        expected = by_lower.get(str(r["answer"]).strip().lower(), str(r["answer"]).strip())
        given = r["extracted"] or NO_ANSWER
        given = by_lower.get(str(given).strip().lower(), str(given))
        counts[(expected, given)] += 1
        questions.setdefault((expected, given), []).append(" ".join(str(r["input"]).split()))
    seen = [lab for pair in counts for lab in pair]
    labels = tuple(dict.fromkeys([*[a for a in allowed if a in seen], *sorted(set(seen) - set(allowed))]))
    return Mistakes(method, labels, dict(counts), {k: tuple(v) for k, v in questions.items()},
                    run_costs(store, run_id))
