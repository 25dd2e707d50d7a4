"""Which columns of a new file hold the question, matched to how the task's questions were made.

A task imported from several question columns holds questions like "Age: 54\\nSymptoms: cough"
(core/datasets/mapping.py joins them so). A new file with the same column names is matched
to them automatically; a file that lacks one is refused with a sentence naming it. A task of
one-cell questions takes the new file's question column by name ("question", "text", …),
else the one column, else the column with the longest text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.mapping import _INPUT_NAMES, ColumnMapping, row_mapper
from debop_desktop.core.errors import DebopError

_LABEL = re.compile(r"^([^:\n]{1,60}): ")


class ColumnsMismatch(DebopError):
    """The file's columns do not give the task's questions."""


def task_labels(sample_inputs: Sequence[str]) -> list[str]:
    """The column names a task's questions were joined from, in order; [] when every question
    is one cell (some question is not "Name: value" lines, or none has two of them)."""
    labels: dict[str, None] = {}
    several = False
    for text in sample_inputs:
        lines = [ln for ln in text.split("\n") if ln.strip()]
        found = [_LABEL.match(ln) for ln in lines]
        if not lines or not all(found):
            return []
        several = several or len(lines) >= 2
        for m in found:
            labels.setdefault(m.group(1), None)  # type: ignore[union-attr]
    return list(labels) if several else []


def choose_columns(headers: Sequence[str], labels: Sequence[str], requested: Sequence[str] = (),
                   sample_rows: Sequence[Sequence[str]] = ()) -> list[str]:
    """The question columns of a file with `headers`: `requested` when given (each must be
    one), else the task's `labels` (all must be there), else one column found by its name
    or its text. Raises `ColumnsMismatch` with a plain sentence."""
    shown = ", ".join(f"'{h}'" for h in headers)
    if requested:
        for column in requested:
            if column not in headers:
                raise ColumnsMismatch(msg.APPLY_NO_COLUMN.format(column=column, columns=shown))
        return list(requested)
    if labels:
        missing = [c for c in labels if c not in headers]
        if missing:
            raise ColumnsMismatch(msg.APPLY_COLUMNS_MISMATCH.format(
                wanted=", ".join(f"'{c}'" for c in labels), missing=" or ".join(f"'{c}'" for c in missing),
                columns=shown))
        return list(labels)
    lower = {h.lower().strip(): h for h in headers}
    for name in _INPUT_NAMES:
        if name in lower:
            return [lower[name]]
    if len(headers) == 1 or not sample_rows:
        return [headers[0]]
    widths = [sum(len(r[i]) for r in sample_rows if i < len(r)) for i in range(len(headers))]
    return [headers[max(range(len(headers)), key=lambda i: (widths[i], -i))]]


def question_maker(headers: list[str], columns: list[str]) -> Callable[[list[str]], str]:
    """Turn a row into its question exactly as the import made the task's questions (the
    import's own joining code, so the two never differ)."""
    mapped = row_mapper(headers, ColumnMapping(columns, columns[0]))
    return lambda row: mapped(row, 0).input
