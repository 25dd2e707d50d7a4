"""Check the rows to import (their compact facts, `row_facts`) before anything is written, and say
what is wrong in plain words, with the lines concerned.

Errors block the import (unless the person chooses to leave those rows out); warnings
are shown and the import may go ahead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from debop_desktop.core.datasets.answer_types import AnswerTypeSuggestion
from debop_desktop.core.datasets.row_facts import RowFacts, normalized, repeat_groups

CHARS_PER_TOKEN = 3.5  # a cautious average for English text with these tokenizers
ROOM_FOR_ANSWER = 512  # tokens kept free for the demonstration's reasoning and the answer


@dataclass(frozen=True)
class Issue:
    kind: str  # empty_input, missing_answer, duplicate, conflicting, too_long, mixed_types, bad_split
    message: str
    lines: list[int]
    blocking: bool


@dataclass
class ValidationReport:
    total: int
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.blocking]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.blocking]

    @property
    def blocked_lines(self) -> set[int]:
        return {line for issue in self.errors for line in issue.lines}

    @property
    def ok(self) -> bool:
        return not self.errors


def line_list(lines: Sequence[int]) -> str:
    """'3, 7, 9 and 12 more': line numbers for a message."""
    shown = ", ".join(str(n) for n in lines[:8])
    return shown + (f" and {len(lines) - 8} more" if len(lines) > 8 else "")


_lines = line_list


def repeated_groups(texts: Sequence[str]) -> list[list[int]]:
    """Indexes of texts that are the same once normalised, in groups of two or more (each in
    file order; empty texts never count). Sorts 64-bit hashes in numpy rather than keeping a
    dictionary of a million normalised strings; equal hashes are then compared exactly."""
    n = len(texts)
    keys = np.fromiter((hash(normalized(t)) if t else 0 for t in texts), dtype=np.int64, count=n)
    filled = np.fromiter((bool(t) for t in texts), dtype=bool, count=n)
    members, starts = repeat_groups(keys, filled)
    groups: list[list[int]] = []
    for block in np.split(members, starts[1:]) if len(members) else []:
        exact: dict[str, list[int]] = defaultdict(list)  # a hash collision is not a repeat
        for i in block.tolist():
            exact[normalized(texts[i])].append(i)
        groups.extend(g for g in exact.values() if len(g) > 1)
    return sorted(groups)


def validate_facts(facts: RowFacts, suggestion: AnswerTypeSuggestion | None = None,
                   context_tokens: int = 4096, unknown_split_lines: Sequence[int] = ()) -> ValidationReport:
    """The checks, on the rows' compact facts (`row_facts`): what blocks the import, what is
    worth a look, each with the lines it concerns."""
    report = ValidationReport(total=len(facts))
    add = report.issues.append
    lines = facts.lines
    empty = lines[facts.input_chars == 0].tolist()
    if empty:
        add(Issue("empty_input", f"{len(empty)} row(s) have no question (line {_lines(empty)}).",
                  empty, True))
    missing = lines[facts.answer_empty].tolist()
    if missing:
        add(Issue("missing_answer", f"{len(missing)} row(s) have no expected answer (line "
                  f"{_lines(missing)}).", missing, True))
    if unknown_split_lines:
        bad = list(unknown_split_lines)
        add(Issue("bad_split", f"{len(bad)} row(s) name a split other than train, dev or test (line "
                  f"{_lines(bad)}); they will be assigned one like rows without a split.", bad, False))
    dupes, conflicts = _repeats(facts)
    if dupes:
        add(Issue("duplicate", f"{len(dupes)} row(s) repeat an earlier question with the same answer "
                  f"(line {_lines(dupes)}).", dupes, False))
    if conflicts:
        add(Issue("conflicting", f"{len(conflicts)} row(s) repeat an earlier question with a different "
                  f"answer (line {_lines(conflicts)}); at least one of each pair will be scored wrong.",
                  conflicts, False))
    limit = max(0, context_tokens - ROOM_FOR_ANSWER)
    too_long = lines[facts.input_chars / CHARS_PER_TOKEN > limit].tolist()
    if too_long:
        add(Issue("too_long", f"{len(too_long)} question(s) are probably too long for a {context_tokens}-"
                  f"token model context (line {_lines(too_long)}).", too_long, False))
    if suggestion and suggestion.outliers:
        outliers = [i for i in suggestion.outliers if i < len(facts)]
        odd = lines[outliers].tolist()
        kind = suggestion.explanation.split(":")[0]
        add(Issue("mixed_types", f"{len(odd)} answer(s) are not like the others ({kind}): "
                  f"line {_lines(odd)}.", odd, False))
    return report


def _repeats(facts: RowFacts) -> tuple[list[int], list[int]]:
    """Lines repeating an earlier question: (same answer, different answer)."""
    members, starts = repeat_groups(facts.input_keys, facts.input_chars > 0)
    if not len(members):
        return [], []
    answers = facts.answer_keys[members]
    conflicting = np.minimum.reduceat(answers, starts) != np.maximum.reduceat(answers, starts)
    sizes = np.diff(np.r_[starts, len(members)])
    later = np.ones(len(members), dtype=bool)
    later[starts] = False  # the first copy of each question is not a repeat
    in_conflict = np.repeat(conflicting, sizes)
    lines = facts.lines
    return (np.sort(lines[members[later & ~in_conflict]]).tolist(),
            np.sort(lines[members[later & in_conflict]]).tolist())
