"""The verdict of a run: is the behavior the app ships better than plain prompting?

Judged on the held-out test split with a paired exact test (McNemar's, as a two-sided
binomial test on the questions where exactly one of the two was right), next to the score
of always giving the most common answer, and with warnings when the test split is too
small to tell, or when the shipped behavior gives one answer to almost every question.

Stored in a run's summary as `summary["verdict"]` with this shape (the UI and the CLI
read it; keep it stable):

    {"label": "better" | "no_clear_change" | "worse", "shipped": METHOD, "p_value": P,
     "majority_rate": R, "majority_answer": A, "test": {METHOD: {"right": N, "total": N}},
     "warnings": [sentence, ...], "sentence": sentence}
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from debop_desktop.core import behaviors
from debop_desktop.core import messages as msg
from debop_desktop.core.scoring.answer_space import CLOSED_KINDS

SIGNIFICANCE = 0.05
SMALL_TEST = 30  # fewer test questions than this: warn that small differences cannot be told apart
ONE_ANSWER_SHARE = 0.9  # the shipped behavior gives one answer to at least this share: warn


def mcnemar_exact(only_first: int, only_second: int) -> float:
    """Two-sided exact McNemar p-value: the binomial test (p = 1/2) on the discordant pairs,
    `only_first` questions right only with the first method, `only_second` only with the
    second. 1.0 when there are no discordant pairs."""
    n = only_first + only_second
    if n == 0:
        return 1.0
    k = min(only_first, only_second)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return min(1.0, 2 * tail)


def majority(answers: Sequence[str]) -> tuple[str | None, float]:
    """The most common answer and the share of `answers` it is (ties: the first seen). Answers
    that differ only in capitals or spacing count as one, shown as first written."""
    if not answers:
        return None, 0.0
    keys = [" ".join(a.casefold().split()) for a in answers]
    counts = Counter(keys)
    best = max(counts.values())
    top = next(a for a, k in zip(answers, keys, strict=True) if counts[k] == best)
    return top, best / len(answers)


@dataclass(frozen=True)
class ExamOutcomes:
    """What the verdict needs of the test split, read from the recorded evaluations."""

    correct: Mapping[str, Mapping[int, bool]]  # method -> example id -> right
    expected: Sequence[str]  # every test question's expected answer, as the scorer shows it
    answers: Mapping[str, Sequence[str | None]]  # method -> what it answered (None: nothing found)


def compute_verdict(outcomes: ExamOutcomes, chosen: str, *, answer_kind: str = "free",
                    constant_answer: str = "") -> dict[str, Any]:
    """The verdict for `chosen` (the behavior picked on dev) against direct prompting, on
    the test questions both answered. `constant_answer` is the answer "most_common" gives.

    When `chosen` is significantly worse than direct prompting there, the app keeps plain
    prompting: the label is "worse" and `shipped` becomes "direct". Methods are named as in
    `summary["baselines"]` except that "zero_shot_cot" is reported as "step_by_step"."""
    test = {m: {"right": sum(c.values()), "total": len(c)} for m, c in outcomes.correct.items()}
    majority_answer, majority_rate = majority(list(outcomes.expected))
    direct = outcomes.correct.get("direct", {})
    mine = outcomes.correct.get(chosen, {})
    shared = sorted(direct.keys() & mine.keys())
    only_direct = sum(direct[i] and not mine[i] for i in shared)
    only_mine = sum(mine[i] and not direct[i] for i in shared)
    p_value = 1.0 if chosen == "direct" else mcnemar_exact(only_direct, only_mine)
    if chosen != "direct" and p_value < SIGNIFICANCE:
        label = "better" if only_mine > only_direct else "worse"
    else:
        label = "no_clear_change"
    shipped = "direct" if label == "worse" else chosen
    right, direct_right, total = sum(mine[i] for i in shared), sum(direct[i] for i in shared), len(shared)
    if chosen == "most_common" and label != "worse" and total and constant_answer:
        # "did no better than always answering" would contradict the numbers when plain prompting is ahead
        template = msg.VERDICT_MOST_COMMON_DIRECT_AHEAD if direct_right > right else msg.VERDICT_MOST_COMMON
        sentence = template.format(answer=constant_answer, right=right, total=total, direct=direct_right)
    else:
        sentence = _sentence(label, chosen, right, direct_right, total) + _why(label, chosen, only_mine,
                                                                                only_direct, p_value)
    if answer_kind in CLOSED_KINDS and majority_answer is not None and total and chosen != "most_common":
        sentence = sentence + msg.VERDICT_CHANCE.format(answer=majority_answer, rate=_pct(majority_rate))
    return {"label": label, "shipped": verdict_name(shipped), "p_value": round(p_value, 6),
            "majority_rate": majority_rate, "majority_answer": majority_answer,
            "test": {verdict_name(m): t for m, t in test.items()},
            "warnings": _warnings(outcomes, total, shipped), "sentence": sentence}


def verdict_name(method: str) -> str:
    """A method's public name, as every front end and JSON output says it. Runs store step
    by step under its older name, "zero_shot_cot" (run settings, evaluation subjects and
    summaries of existing databases use it), so it is translated on the way out."""
    return "step_by_step" if method == "zero_shot_cot" else method


def stored_name(method: str) -> str:
    """The name a run stores for a method given by its public name (see `verdict_name`)."""
    return "zero_shot_cot" if method == "step_by_step" else method


def _sentence(label: str, chosen: str, right: int, direct_right: int, total: int) -> str:
    if total == 0:
        return msg.VERDICT_NO_TEST
    what = msg.VERDICT_WHAT.get(verdict_name(chosen)) or behaviors.label(chosen)
    if chosen == "direct":
        return msg.VERDICT_KEPT_DIRECT.format(right=right, total=total)
    template = {"better": msg.VERDICT_BETTER, "worse": msg.VERDICT_WORSE}.get(label, msg.VERDICT_NO_CLEAR_CHANGE)
    return template.format(what=what, right=right, total=total, direct=direct_right)


def _why(label: str, chosen: str, only_mine: int, only_direct: int, p_value: float) -> str:
    """Why the difference is or is not beyond chance, in the paired test's own terms: only the
    questions where just one of the two was right count, and how often a fair coin would split
    them at least as unevenly (the two-sided p-value)."""
    n = only_mine + only_direct
    if chosen in ("direct", "most_common"):
        return ""
    if n == 0:
        return msg.VERDICT_WHY_SAME
    who = msg.VERDICT_WHO.get(verdict_name(chosen)) or behaviors.label(chosen)
    who = who[:1].lower() + who[1:]
    parts = {"n": n, "who": who, "mine": only_mine, "direct": only_direct, "odds": chance_odds(p_value)}
    if label == "better":
        return msg.VERDICT_WHY_BETTER.format(**parts)
    if label == "worse":
        return msg.VERDICT_WHY_WORSE.format(**parts)
    change = msg.VERDICT_CHANGE["loss" if only_direct > only_mine else "gain"]
    return msg.VERDICT_WHY_UNCLEAR.format(**parts, change=change)


def chance_odds(p_value: float) -> str:
    """A p-value as a person says it: "about 1 time in 13"."""
    if p_value < 0.001:
        return msg.VERDICT_ODDS_RARE
    if p_value >= 0.5:
        return msg.VERDICT_ODDS_OFTEN
    return msg.VERDICT_ODDS.format(k=round(1 / p_value))


def tone(label: str | None) -> str | None:
    """The one colour scale of every verdict (banner, lists, Compare), decided by the label's
    own rule: the paired test beyond chance for "better" and "worse", else "no_clear_change".
    None: a run not judged (yet)."""
    return label if label in ("better", "no_clear_change", "worse") else None


def _warnings(outcomes: ExamOutcomes, total: int, shipped: str) -> list[str]:
    warnings = []
    if total < SMALL_TEST:
        warnings.append(msg.VERDICT_SMALL_TEST.format(n=total, enough=SMALL_TEST))
    answers = list(outcomes.answers.get(shipped, ()))
    given = [a for a in answers if a is not None]
    answer, share = majority(given)
    k = round(share * len(given))
    one_answer = answer is not None and answers and k / len(answers) >= ONE_ANSWER_SHARE
    if one_answer and shipped != "most_common":  # a constant answer says so in its own sentence
        what = msg.VERDICT_WHO.get(verdict_name(shipped)) or behaviors.label(shipped)
        warnings.append(msg.VERDICT_ONE_ANSWER.format(who=what, answer=answer, k=k, n=len(answers)))
    return warnings


def _pct(rate: float) -> str:
    return f"{rate * 100:.0f} %"
