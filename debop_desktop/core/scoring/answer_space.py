"""What kind of answer a task's scorer expects, said to the model and to the person.

A fair baseline tells the model the answer format the scorer will read (the label set,
yes/no, the choice letters, "a number", a list of words); a task imported without an
instruction gets one suggested from its scorer and its answers. The same answer space
constrains the answer value under a grammar (see core/optimizer/grammar.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from debop_desktop.core.scoring.scorers import normalize_text

MAX_LABELS = 20  # more distinct answers than this is not a label set
_OPTION_LETTER = re.compile(r"^\(([A-Z])\)\s*\S", re.M)  # an option line such as "(B) 12/03/2001"


CLOSED_KINDS = ("labels", "yes_no", "true_false", "choice")  # answers from a small set
CLOSED_SCORERS = ("label", "yes_no", "true_false", "choice")  # the scorers that give one (label: when few)


@dataclass(frozen=True)
class AnswerSpace:
    """kind: labels | yes_no | true_false | choice | number | word_list | free.
    `values` lists the allowed answers when the space is closed (labels, letters)."""

    kind: str
    values: tuple[str, ...] = ()

    @property
    def closed(self) -> bool:
        return self.kind in CLOSED_KINDS

    def allowed(self) -> tuple[str, ...]:
        """Every allowed answer, when the space is a small known set; else ()."""
        if self.kind == "yes_no":
            return ("yes", "no")
        if self.kind == "true_false":
            return ("true", "false")
        return self.values if self.kind in ("labels", "choice") else ()

    def allowed_for(self, question: str) -> tuple[str, ...]:
        """The allowed answers for one question: for multiple choice without a fixed option
        list, the letters of the options written in the question itself ("(A) …")."""
        if self.kind == "choice" and not self.values:
            return tuple(sorted(set(_OPTION_LETTER.findall(question or ""))))
        return self.allowed()

    def format_line(self) -> str:
        """One line for the end of a prompt: how to write the answer."""
        if self.kind == "labels" and self.values:
            return f"Answer with just one of: {_or_list(self.values)}."
        if self.kind == "yes_no":
            return "Answer with just yes or no."
        if self.kind == "true_false":
            return "Answer with just true or false."
        if self.kind == "choice":
            if self.values:
                return f"Answer with just the letter of the right option: {_or_list(self.values)}."
            return "Answer with just the letter of the right option, like A."
        if self.kind == "number":
            return "Answer with just a number."
        if self.kind == "word_list":
            return "Answer with just the words, separated by spaces."
        return "Answer with just the answer."

    def answer_phrase(self) -> str:
        """What X stands for in 'So the answer is X'."""
        return {"labels": f"one of {_or_list(self.values)}" if self.values else "the label",
                "yes_no": "yes or no", "true_false": "true or false", "choice": "the letter of the right option",
                "number": "a number", "word_list": "the words"}.get(self.kind, "the answer")


def answer_space(scorer: str, options: dict[str, Any] | None = None, answers: Sequence[str] = ()) -> AnswerSpace:
    """The answer space a scorer reads. Labels come from the scorer's options, else from the
    distinct `answers` (e.g. the train answers) when they are few."""
    options = options or {}
    if scorer == "yes_no":
        return AnswerSpace("yes_no")
    if scorer == "true_false":
        return AnswerSpace("true_false")
    if scorer == "number":
        return AnswerSpace("number")
    if scorer == "word_list":
        return AnswerSpace("word_list")
    if scorer == "choice":
        n = len(options.get("choices") or [])
        return AnswerSpace("choice", tuple(chr(ord("A") + i) for i in range(min(n, 26))))
    if scorer == "label":
        labels = [str(label) for label in options.get("labels") or []]
        if not labels:
            labels = _distinct(answers)
        if labels and len(labels) <= MAX_LABELS:
            return AnswerSpace("labels", tuple(labels))
    return AnswerSpace("free")


def suggest_instruction(scorer: str, options: dict[str, Any] | None = None, answers: Sequence[str] = ()) -> str:
    """A one-line task instruction for a task that has none, from its scorer and answers.
    Generic on purpose: it names the answer form, never the task's subject."""
    space = answer_space(scorer, options, answers)
    if space.kind == "labels":
        return f"Read the text and choose the label that fits it: {_or_list(space.values)}."
    return {
        "yes_no": "Answer the question with yes or no.",
        "true_false": "Say whether the statement is true or false.",
        "choice": "Choose the right option.",
        "number": "Work out the number the question asks for.",
        "word_list": "Answer with the list of words the question asks for.",
    }.get(space.kind, "Answer the question briefly.")


def _distinct(answers: Sequence[str]) -> list[str]:
    seen: dict[str, str] = {}
    for a in answers:
        key = normalize_text(a)
        if key and key not in seen:
            seen[key] = a.strip()
    return sorted(seen.values(), key=str.lower)


def _or_list(values: Sequence[str]) -> str:
    values = list(values)
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " or " + values[-1]
