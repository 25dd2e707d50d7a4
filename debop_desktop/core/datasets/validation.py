"""Check mapped rows before anything is written, and say what is wrong in plain words.

Errors block the import (unless the person chooses to leave those rows out); warnings
are shown and the import may go ahead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from debop_desktop.core.datasets.answer_types import AnswerTypeSuggestion
from debop_desktop.core.datasets.mapping import MappedRow
from debop_desktop.core.scoring.scorers import normalize_text

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
    import numpy as np

    n = len(texts)
    keys = np.fromiter((hash(normalize_text(t)) if t else 0 for t in texts), dtype=np.int64, count=n)
    filled = np.fromiter((bool(t) for t in texts), dtype=bool, count=n)
    order = np.argsort(keys, kind="stable")
    order = order[filled[order]]
    sorted_keys = keys[order]
    groups: list[list[int]] = []
    if len(order) < 2:
        return groups
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    ends = np.r_[starts[1:], len(order)]
    for a, b in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
        exact: dict[str, list[int]] = defaultdict(list)  # a hash collision is not a repeat
        for i in order[a:b].tolist():
            exact[normalize_text(texts[i])].append(i)
        groups.extend(sorted(g) for g in exact.values() if len(g) > 1)
    return sorted(groups)


def validate_rows(rows: Sequence[MappedRow], suggestion: AnswerTypeSuggestion | None = None,
                  context_tokens: int = 4096, unknown_split_lines: Sequence[int] = ()) -> ValidationReport:
    report = ValidationReport(total=len(rows))
    add = report.issues.append
    empty = [r.line for r in rows if not r.input]
    if empty:
        add(Issue("empty_input", f"{len(empty)} row(s) have no question (line {_lines(empty)}).",
                  empty, True))
    missing = [r.line for r in rows if not r.answer]
    if missing:
        add(Issue("missing_answer", f"{len(missing)} row(s) have no expected answer (line "
                  f"{_lines(missing)}).", missing, True))
    if unknown_split_lines:
        bad = list(unknown_split_lines)
        add(Issue("bad_split", f"{len(bad)} row(s) name a split other than train, dev or test (line "
                  f"{_lines(bad)}); they will be assigned one like rows without a split.", bad, False))
    dupes, conflicts = [], []
    for group in repeated_groups([r.input for r in rows]):
        members = [rows[i] for i in group]
        answers = {normalize_text(r.answer) for r in members}
        (conflicts if len(answers) > 1 else dupes).extend(r.line for r in members[1:])
    dupes.sort()
    conflicts.sort()
    if dupes:
        add(Issue("duplicate", f"{len(dupes)} row(s) repeat an earlier question with the same answer "
                  f"(line {_lines(dupes)}).", dupes, False))
    if conflicts:
        add(Issue("conflicting", f"{len(conflicts)} row(s) repeat an earlier question with a different "
                  f"answer (line {_lines(conflicts)}); at least one of each pair will be scored wrong.",
                  conflicts, False))
    limit = max(0, context_tokens - ROOM_FOR_ANSWER)
    too_long = [r.line for r in rows if len(r.input) / CHARS_PER_TOKEN > limit]
    if too_long:
        add(Issue("too_long", f"{len(too_long)} question(s) are probably too long for a {context_tokens}-"
                  f"token model context (line {_lines(too_long)}).", too_long, False))
    if suggestion and suggestion.outliers:
        lines = [rows[i].line for i in suggestion.outliers if i < len(rows)]
        kind = suggestion.explanation.split(":")[0]
        add(Issue("mixed_types", f"{len(lines)} answer(s) are not like the others ({kind}): "
                  f"line {_lines(lines)}.", lines, False))
    return report
