"""Import a file as a task: read → map columns → suggest a scorer → validate → split → store.

`plan_import` does everything but write, so a person (or the import wizard) can look at
the preview, the suggested scorer and the validation report first. `commit_import` then
writes the whole dataset in one transaction, or nothing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.answer_types import AnswerTypeSuggestion, suggest_answer_type
from debop_desktop.core.datasets.mapping import ColumnMapping, MappedRow, apply_mapping, suggest_mapping
from debop_desktop.core.datasets.repository import (
    Dataset,
    DatasetRepository,
    NewExample,
    Progress,
    WorkedExample,
)
from debop_desktop.core.datasets.splits import (
    CLASSIFICATION_TYPES,
    DEFAULT_SPLIT,
    SplitSpec,
    assign_splits,
    split_warnings,
)
from debop_desktop.core.datasets.tables import DatasetFileError, Table, read_table
from debop_desktop.core.datasets.validation import Issue, ValidationReport, line_list, validate_rows
from debop_desktop.core.errors import DebopError
from debop_desktop.core.scoring.scorers import SCORERS


class ImportBlocked(DebopError):
    """Validation found rows that cannot be imported as they are; nothing was written."""


@dataclass
class ImportPlan:
    path: Path
    table: Table
    mapping: ColumnMapping
    rows: list[MappedRow]
    suggestion: AnswerTypeSuggestion
    report: ValidationReport


@dataclass
class ImportResult:
    dataset: Dataset
    skipped_lines: list[int] = field(default_factory=list)
    split_warnings: list[str] = field(default_factory=list)  # the plan's own are in plan.report


def plan_import(path: str | os.PathLike[str], *, mapping: ColumnMapping | None = None,
                sheet: str | None = None, context_tokens: int = 4096) -> ImportPlan:
    return plan_table(path, read_table(path, sheet=sheet), mapping=mapping, context_tokens=context_tokens)


def plan_table(path: str | os.PathLike[str], table: Table, *, mapping: ColumnMapping | None = None,
               context_tokens: int = 4096) -> ImportPlan:
    """Plan from a table already read (the import wizard re-plans on every mapping change)."""
    mapping = mapping or suggest_mapping(table.headers)
    missing = mapping.validate_against(table.headers)
    if missing:
        raise DatasetFileError(f"The file has no column named {', '.join(repr(m) for m in missing)}. "
                               f"Its columns: {', '.join(table.headers)}.")
    if mapping.answer_column in mapping.input_columns:
        raise DatasetFileError(f"The column '{mapping.answer_column}' cannot be both the question and the answer.")
    mapped = apply_mapping(table, mapping)
    suggestion = suggest_answer_type([r.answer for r in mapped.rows])
    report = validate_rows(mapped.rows, suggestion, context_tokens, mapped.unknown_splits)
    if table.mixed_encoding_lines:  # read right line by line, but worth a look
        lines = table.mixed_encoding_lines
        text = msg.MIXED_ENCODING.format(count=len(lines), lines=line_list(lines))
        report.issues.append(Issue("mixed_encoding", text, lines, False))
    return ImportPlan(Path(path), table, mapping, mapped.rows, suggestion, report)


def commit_import(
    repo: DatasetRepository,
    plan: ImportPlan,
    *,
    name: str | None = None,
    instruction: str = "",
    description: str = "",
    scorer: str | None = None,
    scorer_options: dict[str, Any] | None = None,
    split: str = DEFAULT_SPLIT,
    seed: int = 0,
    worked_examples: Sequence[WorkedExample] = (),
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Write the planned import. Blocking problems stop it unless `skip_invalid` leaves
    those rows out (they are listed in the result)."""
    if plan.report.errors and not skip_invalid:
        problems = " ".join(issue.message for issue in plan.report.errors)
        raise ImportBlocked(f"Nothing was imported. {problems} Fix these rows in the file, or import "
                            f"without them (--skip-invalid).")
    blocked = plan.report.blocked_lines if skip_invalid else set()
    rows = [r for r in plan.rows if r.line not in blocked]
    if not rows:
        raise ImportBlocked("Nothing was imported: no row has both a question and an answer.")
    scorer_name = scorer or plan.suggestion.scorer
    if scorer_name not in SCORERS:
        raise ImportBlocked(f"Unknown scoring rule '{scorer_name}'. Choose one of: {', '.join(SCORERS)}.")
    answer_type = plan.suggestion.answer_type if scorer is None else _type_for(scorer_name)
    options = scorer_options if scorer_options is not None else (
        plan.suggestion.scorer_options if scorer is None or scorer == plan.suggestion.scorer else {})
    splits = planned_splits(plan, rows, scorer=scorer, split=split, seed=seed)
    examples = _ExamplesView(rows, splits)
    dataset = repo.create(
        name=name or plan.path.stem, examples=examples, instruction=instruction, description=description,
        answer_type=answer_type, scorer=scorer_name, scorer_options=options,
        worked_examples=worked_examples, source=str(plan.path), split_seed=seed, progress=progress)
    return ImportResult(dataset, sorted(blocked), split_warnings([r.input for r in rows], splits))


def planned_splits(plan: ImportPlan, rows: Sequence[MappedRow], *, scorer: str | None = None,
                   split: str = DEFAULT_SPLIT, seed: int = 0) -> list[str]:
    """The split each of `rows` gets from `commit_import` with the same arguments, so a front
    end can show before importing which repeated questions would sit in two splits."""
    answer_type = plan.suggestion.answer_type if scorer is None else _type_for(scorer)
    return assign_splits([r.input for r in rows], [r.answer for r in rows], [r.split for r in rows],
                         SplitSpec.parse(split), seed, stratify=answer_type in CLASSIFICATION_TYPES)


class _ExamplesView(Sequence[NewExample]):
    """The rows as examples, made one at a time as the store writes them (a million
    `NewExample` objects at once would cost hundreds of megabytes)."""

    def __init__(self, rows: Sequence[MappedRow], splits: Sequence[str]) -> None:
        self.rows, self.splits = rows, splits

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        r = self.rows[index]
        return NewExample(r.input, r.answer, self.splits[index], r.notes)


def _type_for(scorer: str) -> str:
    return {"choice": "choice", "yes_no": "yes_no", "true_false": "true_false", "number": "number",
            "label": "label", "word_list": "word_list"}.get(scorer, "free_text")
