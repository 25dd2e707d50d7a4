"""What a run ships, and its verdict, from what the run recorded.

Read from the evaluations table (not from live objects), so a resumed run reaches the same
choice and the same verdict as an uninterrupted one.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from debop_desktop.core import behaviors
from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.repository import Dataset, Example
from debop_desktop.core.optimizer.candidates import Choice, DevScore, PromptKit
from debop_desktop.core.optimizer.config import OptimizerConfig
from debop_desktop.core.optimizer.confirm import default_note
from debop_desktop.core.optimizer.mistake_costs import cost_shipping_note, with_costly_misses
from debop_desktop.core.optimizer.recorder import RunRecorder
from debop_desktop.core.optimizer.verdict import ExamOutcomes, compute_verdict
from debop_desktop.core.scoring.answer_space import answer_space, suggest_instruction
from debop_desktop.core.scoring.scorers import Scorer


def make_kit(dataset: Dataset, train: Sequence[Example], stored: Mapping[str, Any] | None) -> PromptKit:
    """The run's prompt kit: the task's instruction (or one suggested from its scorer and
    answers when it has none), the answer format and the worked examples; what a behavior
    chooses or draws once per run (the few examples, the nearest examples' train pool, the
    most common answer…) is its own `prepare`'s. A resumed run keeps the kit it started with
    (`stored`, from the summary)."""
    if stored:
        return PromptKit.from_json(stored, dataset.worked_examples)
    answers = [e.answer for e in train]
    instruction = dataset.instruction.strip() or suggest_instruction(dataset.scorer, dataset.scorer_options,
                                                                    answers)
    space = answer_space(dataset.scorer, dataset.scorer_options, answers)
    return PromptKit(instruction, space, (), tuple(dataset.worked_examples))


def median_answer_seconds(recorder: RunRecorder, scores: Sequence[DevScore], dev: Sequence[Example],
                          tokens_per_second: float) -> float | None:
    """The median time of one dev answer over the simple prompts (tokens at the run's speed;
    a pick by probability or a constant answer writes no tokens and is left out)."""
    times = [ev.completion_tokens / tokens_per_second for s in scores if behaviors.rank(s.method) == 0
             for e in dev if (ev := recorder.evaluation(f"dev:{s.method}", e.id)) is not None]
    return statistics.median(times) if times else None


def test_methods(config: OptimizerConfig, chosen: str, has_tuned: bool) -> list[str]:
    """The methods scored on test: direct prompting and the chosen one always, then the
    configured comparisons; the tuned behavior last."""
    wanted = {"direct", chosen, *config.baselines}
    order = ["direct", *behaviors.simple_names(), *config.baselines, chosen, "tuned"]
    methods = list(dict.fromkeys(m for m in order if m in wanted))
    return [m for m in methods if m != "tuned" or has_tuned]


def shipping_note(choice: Choice, kit: PromptKit, unseen: bool) -> str:
    """One sentence on why this behavior ships (stored, and said as the run ends the search).
    `unseen`: the confirmation questions were all outside the dev sample."""
    s, d, other = choice.confirmed, choice.direct, choice.runner_up
    total = s.n if s else 0
    where = (msg.CONFIRM_WHERE_UNSEEN if unseen else msg.CONFIRM_WHERE_ALL).format(total=total)
    if choice.costs is not None:  # chosen by the cost of mistakes: say so
        return cost_shipping_note(choice, where)
    if choice.method == "most_common":
        return msg.SHIPPED_MOST_COMMON.format(answer=kit.most_common, right=s.correct if s else 0, total=total)
    if choice.method == "direct":
        best = msg.SHIPPED_KEPT_DIRECT_BEST.format(what=_named(other.behavior), right=other.correct) if other else ""
        return msg.SHIPPED_KEPT_DIRECT.format(where=where, direct=d.correct if d else 0, best=best)
    what = _named(choice.behavior)
    if choice.over_constant:  # plain prompting was no default: one answer, or below chance
        return default_note(choice, kit.most_common, where, what)
    return msg.SHIPPED_CONFIRMED.format(What=what[:1].upper() + what[1:], what=what, where=where,
                                        right=s.correct if s else 0, direct=d.correct if d else 0)


def _named(method: str) -> str:
    return msg.SHIPPED_NAMES.get(method) or behaviors.label(method)


def verdict_for_run(recorder: RunRecorder, scorer: Scorer, test: Sequence[Example], methods: Sequence[str],
                    chosen: str, kit: PromptKit) -> dict[str, Any]:
    """The verdict (see verdict.py) from the recorded test evaluations of `methods`."""
    correct: dict[str, dict[int, bool]] = {}
    answers: dict[str, list[str | None]] = {}
    for method in methods:
        rows = {r["example_id"]: r for r in recorder.evaluations(f"test:{method}")}
        if not rows:
            continue
        correct[method] = {i: bool(r["correct"]) for i, r in rows.items()}
        answers[method] = [r["extracted"] for r in rows.values()]
    expected = [expected_shown(scorer, e) for e in test]
    return with_costly_misses(compute_verdict(ExamOutcomes(correct, expected, answers), chosen,
                                              answer_kind=kit.space.kind, constant_answer=kit.most_common), recorder)


def expected_shown(scorer: Scorer, example: Example) -> str:
    """`example`'s expected answer as `scorer` shows it (a label as the task spells it)."""
    s = scorer.for_input(example.input)
    return s.spell(s.expected(example.answer), example.answer)
