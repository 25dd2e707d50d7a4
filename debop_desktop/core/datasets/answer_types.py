"""Suggest how answers should be judged, from the answers themselves.

A type is suggested when at least 95% of the answers fit it; the rest are reported as
outliers ("mixed answer types") so the person can fix them or keep them knowingly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from debop_desktop.core.scoring.scorers import normalize_text

ANSWER_TYPES = {
    "choice": ("choice", "Multiple-choice letters such as (A), (B), (C)"),
    "yes_no": ("yes_no", "Yes or no"),
    "true_false": ("true_false", "True or false"),
    "number": ("number", "Numbers"),
    "label": ("label", "A small set of labels"),
    "word_list": ("word_list", "Lists of words"),
    "free_text": ("exact", "Free text"),
}
_CHOICE = re.compile(r"^\(?[A-Za-z]\)$|^\([A-Za-z]\)?$")
_NUMBER = re.compile(r"^[-−]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[-−]?\.\d+$")
_MOSTLY = 0.95
_MAX_LABELS = 20


@dataclass(frozen=True)
class AnswerTypeSuggestion:
    answer_type: str
    scorer: str
    scorer_options: dict[str, Any]
    share: float  # fraction of answers that fit the type
    outliers: list[int] = field(default_factory=list)  # indexes of answers that do not fit
    explanation: str = ""


def _fits(answer_type: str, a: str) -> bool:
    a = a.strip()
    if answer_type == "choice":
        return bool(_CHOICE.match(a))
    if answer_type == "yes_no":
        return a.lower() in ("yes", "no")
    if answer_type == "true_false":
        return a.lower() in ("true", "false")
    if answer_type == "number":
        return bool(_NUMBER.match(a))
    if answer_type == "word_list":
        words = a.split()
        return len(words) >= 2 and a == a.lower() and not re.search(r"[.!?:;\"]", a)
    return True


def suggest_answer_type(answers: Sequence[str]) -> AnswerTypeSuggestion:
    values = [a for a in answers if a.strip()]
    if not values:
        return AnswerTypeSuggestion("free_text", "exact", {}, 0.0, [], "No answers to look at yet.")
    for answer_type in ("choice", "yes_no", "true_false", "number"):
        suggestion = _try(answer_type, answers, values)
        if suggestion:
            return suggestion
    distinct = Counter(normalize_text(a) for a in values)
    short = all(len(a.split()) <= 4 for a in values)
    if short and len(distinct) <= _MAX_LABELS and len(distinct) <= max(2, len(values) // 3):
        labels = sorted({a.strip() for a in values}, key=str.lower)
        return AnswerTypeSuggestion(
            "label", "label", {"labels": labels}, 1.0, [],
            f"The answers use {len(distinct)} different labels: {', '.join(labels[:8])}"
            + (" …" if len(labels) > 8 else "") + ".")
    suggestion = _try("word_list", answers, values)
    if suggestion:
        return suggestion
    return AnswerTypeSuggestion("free_text", "exact", {}, 1.0, [],
                                "The answers are free text; each must match exactly "
                                "(ignoring capitals, spaces and punctuation).")


def _try(answer_type: str, answers: Sequence[str], values: list[str]) -> AnswerTypeSuggestion | None:
    fit = sum(_fits(answer_type, a) for a in values)
    share = fit / len(values)
    if share < _MOSTLY:
        return None
    outliers = [i for i, a in enumerate(answers) if a.strip() and not _fits(answer_type, a)]
    scorer, words = ANSWER_TYPES[answer_type]
    options: dict[str, Any] = {"ordered": True} if answer_type == "word_list" else {}
    text = f"{words}: {fit} of {len(values)} answers look like this."
    if outliers:
        verb = "does" if len(outliers) == 1 else "do"
        text += f" {len(outliers)} {verb} not and will probably be scored wrong."
    return AnswerTypeSuggestion(answer_type, scorer, options, share, outliers, text)
