"""What a run says about its mistake costs (core/costs.py): why the behavior that ships was
chosen when the choice went by cost, and the costly mistakes of the kept behavior against
plain prompting on the final exam (added to the verdict as `verdict["costly"]`)."""

from __future__ import annotations

from typing import Any

from debop_desktop.core import behaviors
from debop_desktop.core import messages as msg
from debop_desktop.core.costs import MistakeCosts, number, run_costs
from debop_desktop.core.optimizer.candidates import Choice
from debop_desktop.core.optimizer.recorder import RunRecorder
from debop_desktop.core.optimizer.verdict import stored_name


def _named(method: str) -> str:
    return msg.SHIPPED_NAMES.get(method) or behaviors.label(method)


def _total(cost: Any) -> str:
    return number(round(sum(cost.values()), 3)) if cost else "0"


def cost_shipping_note(choice: Choice, where: str) -> str:
    """Why this behavior ships when the choice went by the cost of mistakes (`choice.costs`):
    the costs in words, then what the winner's and plain prompting's mistakes cost on `where`
    (the confirmation questions, as the plain note names them)."""
    costs: MistakeCosts = choice.costs
    s, d, other = choice.confirmed, choice.direct, choice.runner_up
    if choice.method == "direct" or s is None:
        best = msg.COSTS_KEPT_DIRECT_BEST.format(what=_named(other.behavior), cost=_total(other.cost)) \
            if other is not None else ""
        return msg.COSTS_KEPT_DIRECT.format(costs=costs.describe(), where=where,
                                            direct=_total(d.cost if d else None), best=best)
    return msg.COSTS_CHOSEN.format(what=_named(choice.behavior), costs=costs.describe(), where=where,
                                   cost=_total(s.cost), direct=_total(d.cost if d else None), right=s.correct,
                                   direct_right=d.correct if d else 0)


def _exam(recorder: RunRecorder, method: str, costs: MistakeCosts) -> dict[int, tuple[float, bool]]:
    """Each final-exam question of `method`: what its answer cost, and whether it was a costly mistake."""
    return {r["example_id"]: (costs.cost(r["answer"], r["extracted"], bool(r["correct"])),
                              not r["correct"] and costs.is_costly(r["answer"], r["extracted"]))
            for r in recorder.evaluations(f"test:{stored_name(method)}")}


def with_costly_misses(verdict: dict[str, Any], recorder: RunRecorder) -> dict[str, Any]:
    """The verdict with the kept behavior's costly mistakes on the final exam against plain
    prompting's (`verdict["costly"]`, and a sentence added), when the run's task has mistake
    costs; else the verdict unchanged. Counted on the questions both answered."""
    costs = run_costs(recorder.store, recorder.run_id)
    if costs is None or not costs.costly():
        return verdict
    kept, direct = _exam(recorder, verdict["shipped"], costs), _exam(recorder, "direct", costs)
    shared = kept.keys() & direct.keys() if verdict["shipped"] != "direct" else kept.keys()

    def tally(exam: dict[int, tuple[float, bool]]) -> dict[str, float]:
        return {"count": sum(exam[i][1] for i in shared), "cost": round(sum(exam[i][0] for i in shared), 3)}

    mine, plain = tally(kept), tally(direct) if verdict["shipped"] != "direct" else None
    pairs = ", ".join(msg.COSTLY_PAIR.format(expected=e, given=g) for e, g, _ in costs.costly())
    if plain is None:
        extra = msg.COSTS_VERDICT_DIRECT.format(pairs=pairs, mine=int(mine["count"]), mine_cost=number(mine["cost"]))
    else:
        extra = msg.COSTS_VERDICT.format(pairs=pairs, mine=int(mine["count"]), direct=int(plain["count"]),
                                         mine_cost=number(mine["cost"]), direct_cost=number(plain["cost"]))
    return verdict | {"sentence": verdict["sentence"] + extra,
                      "costly": {"pairs": [[e, g, c] for e, g, c in costs.costly()], "kept": mine, "direct": plain,
                                 "costs": costs.describe()}}
