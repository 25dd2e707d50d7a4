"""Suggest how answers should be judged, from the answers themselves.

A type is suggested when at least 95% of the answers fit it; the rest are reported as
outliers ("mixed answer types") so the person can fix them or keep them knowingly.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable
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


_HAS_TEXT, _SHORT = 1, 2  # per-answer flags; the types' own bits follow
_TYPE_BITS = {"choice": 4, "yes_no": 8, "true_false": 16, "number": 32, "word_list": 64}
_CACHE_ANSWERS = 4096  # answers whose flags are remembered (labels and numbers repeat)


def _flags(a: str) -> int:
    flags = (_HAS_TEXT if a.strip() else 0) | (_SHORT if len(a.split()) <= 4 else 0)
    for answer_type, bit in _TYPE_BITS.items():
        if _fits(answer_type, a):
            flags |= bit
    return flags


class AnswerTally:
    """What `suggest_answer_type` needs to know about the answers, gathered one answer at a
    time: one byte per answer, plus the distinct answers while there are few enough to be
    labels. A million answers cost about a megabyte."""

    def __init__(self) -> None:
        self.flags = array("B")
        self.distinct: set[str] | None = set()  # normalised answers; None once there are too many
        self.labels: set[str] = set()  # the answers as written, while `distinct` is kept
        self._cache: dict[str, int] = {}

    def add(self, answer: str, normalized: str | None = None) -> None:
        """Count one answer (`normalized`: its `normalize_text`, if the caller has it)."""
        flags = self._cache.get(answer)
        if flags is None:
            if len(self._cache) >= _CACHE_ANSWERS:
                self._cache.clear()
            flags = self._cache[answer] = _flags(answer)
        self.flags.append(flags)
        if flags & _HAS_TEXT and self.distinct is not None:
            key = normalize_text(answer) if normalized is None else normalized
            if key not in self.distinct:
                if len(self.distinct) >= _MAX_LABELS:  # too many for labels, now and later
                    self.distinct, self.labels = None, set()
                    return
                self.distinct.add(key)
            self.labels.add(answer.strip())

    def suggestion(self) -> AnswerTypeSuggestion:
        import numpy as np

        flags = np.frombuffer(self.flags, dtype=np.uint8) if self.flags else np.zeros(0, np.uint8)
        has_text = (flags & _HAS_TEXT) != 0
        values = int(np.count_nonzero(has_text))
        if not values:
            return AnswerTypeSuggestion("free_text", "exact", {}, 0.0, [], "No answers to look at yet.")
        for answer_type in ("choice", "yes_no", "true_false", "number"):
            suggestion = _try(answer_type, flags, has_text, values)
            if suggestion:
                return suggestion
        short = bool(np.all(flags[has_text] & _SHORT))
        distinct = self.distinct
        if short and distinct is not None and len(distinct) <= max(2, values // 3):
            labels = sorted(self.labels, key=str.lower)
            return AnswerTypeSuggestion(
                "label", "label", {"labels": labels}, 1.0, [],
                f"The answers use {len(distinct)} different labels: {', '.join(labels[:8])}"
                + (" …" if len(labels) > 8 else "") + ".")
        suggestion = _try("word_list", flags, has_text, values)
        if suggestion:
            return suggestion
        return AnswerTypeSuggestion("free_text", "exact", {}, 1.0, [],
                                    "The answers are free text; each must match exactly "
                                    "(ignoring capitals, spaces and punctuation).")


def suggest_answer_type(answers: Iterable[str]) -> AnswerTypeSuggestion:
    """The answer type at least 95% of the answers fit, its scorer, and the answers (by index)
    that do not fit."""
    tally = AnswerTally()
    for a in answers:
        tally.add(a)
    return tally.suggestion()


def _try(answer_type: str, flags: Any, has_text: Any, values: int) -> AnswerTypeSuggestion | None:
    import numpy as np

    fits = (flags & _TYPE_BITS[answer_type]) != 0
    fit = int(np.count_nonzero(has_text & fits))
    share = fit / values
    if share < _MOSTLY:
        return None
    outliers = np.flatnonzero(has_text & ~fits).tolist()
    scorer, words = ANSWER_TYPES[answer_type]
    options: dict[str, Any] = {"ordered": True} if answer_type == "word_list" else {}
    text = f"{words}: {fit} of {values} answers look like this."
    if outliers:
        verb = "does" if len(outliers) == 1 else "do"
        text += f" {len(outliers)} {verb} not and will probably be scored wrong."
    return AnswerTypeSuggestion(answer_type, scorer, options, share, outliers, text)
