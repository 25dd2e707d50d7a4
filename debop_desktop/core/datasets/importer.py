"""Import a file as a task: read → map columns → suggest a scorer → validate → split → store.

`plan_import` does everything but write, so a person (or the import wizard) can look at
the preview, the suggested scorer and the validation report first. `commit_import` then
writes the whole dataset or nothing (in short committed steps, shown only when whole: see
import_steps.py).

A big file streams: the plan keeps a few bytes per row (`row_facts`: digests, lines,
splits), never the rows, and the commit reads the file again and writes it in batches.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.answer_types import AnswerTally, AnswerTypeSuggestion
from debop_desktop.core.datasets.lazy_rows import HEAD_ROWS, LazyRows, filtered
from debop_desktop.core.datasets.mapping import ColumnMapping, MappedRow, iter_mapped, suggest_mapping
from debop_desktop.core.datasets.repository import (
    Dataset,
    DatasetRepository,
    NewExample,
    Progress,
    WorkedExample,
)
from debop_desktop.core.datasets.row_facts import RowFacts, RowFactsBuilder, facts_of
from debop_desktop.core.datasets.splits import (
    CLASSIFICATION_TYPES,
    DEFAULT_SPLIT,
    SPLITS,
    SplitSpec,
    questions_in_two_splits,
    split_codes,
    split_warnings_of,
)
from debop_desktop.core.datasets.tables import DatasetFileError, Table, read_table
from debop_desktop.core.datasets.validation import Issue, ValidationReport, line_list, validate_facts
from debop_desktop.core.errors import DebopError
from debop_desktop.core.scoring.scorers import SCORERS
from debop_desktop.core.units import name_list


class ImportBlocked(DebopError):
    """Validation found rows that cannot be imported as they are; nothing was written."""


@dataclass
class ImportPlan:
    path: Path
    table: Table
    mapping: ColumnMapping
    rows: Sequence[MappedRow]  # a list, or a LazyRows read again from the file (a big file)
    suggestion: AnswerTypeSuggestion
    report: ValidationReport
    _facts: RowFacts | None = field(default=None, init=False, repr=False, compare=False)
    _facts_of: object = field(default=None, init=False, repr=False, compare=False)

    def facts(self) -> RowFacts:
        """The compact facts of `rows` (gathered again if `rows` was replaced)."""
        if self._facts is None or self._facts_of is not self.rows:
            self._facts, self._facts_of = facts_of(self.rows), self.rows
        return self._facts

    @property
    def given_splits(self) -> int:
        """How many rows name their split in the file."""
        return int(np.count_nonzero(self.facts().given >= 0))

    def without_lines(self, lines: Iterable[int]) -> ImportPlan:
        """The plan for the same file leaving out the rows that start on `lines` (e.g. the
        repeats), without holding the rows in memory."""
        facts = self.facts()
        keep = ~np.isin(facts.lines, np.fromiter(lines, dtype=np.int64))
        plan = dataclasses.replace(self, rows=filtered(self.rows, keep))
        plan._facts, plan._facts_of = facts.subset(keep), plan.rows
        return plan


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
    """Plan from a table already read (the import wizard re-plans on every mapping change).
    One pass over the rows; a big table's rows are not kept, only their compact facts."""
    mapping = mapping or suggest_mapping(table.headers)
    missing = mapping.validate_against(table.headers)
    if missing:
        raise DatasetFileError(f"The file has no column named {', '.join(repr(m) for m in missing)}. "
                               f"Its columns: {name_list(table.headers)}.")
    if mapping.answer_column in mapping.input_columns:
        raise DatasetFileError(f"The column '{mapping.answer_column}' cannot be both the question and the answer.")
    tally = AnswerTally()
    builder = RowFactsBuilder(tally)
    kept: list[MappedRow] | None = None if table.streamed else []
    head: list[MappedRow] = []
    unknown_splits: list[int] = []
    for row in iter_mapped(table, mapping):
        builder.add(row)
        if row.raw_split and row.split is None:
            unknown_splits.append(row.line)
        if kept is not None:
            kept.append(row)
        elif len(head) < HEAD_ROWS:
            head.append(row)
    facts = builder.finish()
    rows: Sequence[MappedRow] = kept if kept is not None else LazyRows(
        len(facts), head, lambda: iter_mapped(table, mapping), getattr(table.rows, "stamp", None))
    suggestion = tally.suggestion()
    report = validate_facts(facts, suggestion, context_tokens, unknown_splits)
    if table.mixed_encoding_lines:  # read right line by line, but worth a look
        lines = table.mixed_encoding_lines
        text = msg.MIXED_ENCODING.format(count=len(lines), lines=line_list(lines))
        report.issues.append(Issue("mixed_encoding", text, lines, False))
    plan = ImportPlan(Path(path), table, mapping, rows, suggestion, report)
    plan._facts, plan._facts_of = facts, rows
    return plan


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
    """Write the planned import: all of it or nothing (see `DatasetRepository.create`).
    Blocking problems stop it unless `skip_invalid` leaves those rows out (they are listed in
    the result). A big file is read again and written in batches; if it changed since the
    plan, nothing is written."""
    if plan.report.errors and not skip_invalid:
        problems = " ".join(issue.message for issue in plan.report.errors)
        raise ImportBlocked(f"Nothing was imported. {problems} Fix these rows in the file, or import "
                            f"without them (--skip-invalid).")
    blocked = plan.report.blocked_lines if skip_invalid else set()
    facts, keep = _kept(plan, blocked)
    if not len(facts):
        raise ImportBlocked("Nothing was imported: no row has both a question and an answer.")
    scorer_name = scorer or plan.suggestion.scorer
    if scorer_name not in SCORERS:
        raise ImportBlocked(f"Unknown scoring rule '{scorer_name}'. Choose one of: {', '.join(SCORERS)}.")
    answer_type = plan.suggestion.answer_type if scorer is None else _type_for(scorer_name)
    options = scorer_options if scorer_options is not None else (
        plan.suggestion.scorer_options if scorer is None or scorer == plan.suggestion.scorer else {})
    codes = split_codes(facts, SplitSpec.parse(split), seed, stratify=answer_type in CLASSIFICATION_TYPES)
    dataset = repo.create(
        name=name or plan.path.stem, examples=_examples(plan.rows, keep, codes), total=len(facts),
        instruction=instruction, description=description, answer_type=answer_type, scorer=scorer_name,
        scorer_options=options, worked_examples=worked_examples, source=str(plan.path), split_seed=seed,
        progress=progress)
    return ImportResult(dataset, sorted(blocked), split_warnings_of(facts, codes))


def planned_splits(plan: ImportPlan, rows: Sequence[MappedRow] | None = None, *, scorer: str | None = None,
                   split: str = DEFAULT_SPLIT, seed: int = 0) -> list[str]:
    """The split each of `rows` (default: the plan's) gets from `commit_import` with the same
    arguments, so a front end can show before importing which repeated questions would sit in
    two splits. Pass the plan's own rows, or use `shared_questions`, for a big file: other
    rows are gathered again."""
    facts = plan.facts() if rows is None or rows is plan.rows else facts_of(rows)
    return [SPLITS[c] for c in _codes(plan, facts, scorer, split, seed).tolist()]


def shared_questions(plan: ImportPlan, *, scorer: str | None = None, split: str = DEFAULT_SPLIT,
                     seed: int = 0) -> int:
    """Repeated questions that, with these sizes and shuffle, would sit in two splits (rows with
    blocking problems left out, as an import with them left out would)."""
    facts, _keep = _kept(plan, plan.report.blocked_lines)
    return questions_in_two_splits(facts, _codes(plan, facts, scorer, split, seed))


def _codes(plan: ImportPlan, facts: RowFacts, scorer: str | None, split: str, seed: int) -> np.ndarray:
    answer_type = plan.suggestion.answer_type if scorer is None else _type_for(scorer)
    return split_codes(facts, SplitSpec.parse(split), seed, stratify=answer_type in CLASSIFICATION_TYPES)


def _kept(plan: ImportPlan, blocked: set[int]) -> tuple[RowFacts, np.ndarray | None]:
    """The facts of the rows not on `blocked` lines, and which rows those are (None: all)."""
    facts = plan.facts()
    if not blocked:
        return facts, None
    keep = ~np.isin(facts.lines, np.fromiter(blocked, dtype=np.int64))
    return facts.subset(keep), keep


def _examples(rows: Iterable[MappedRow], keep: np.ndarray | None, codes: np.ndarray) -> Iterator[NewExample]:
    """The rows to write, one at a time, each with its split."""
    splits = iter(codes.tolist())
    wanted = itertools.repeat(True) if keep is None else keep.tolist()
    for row, take in zip(rows, wanted, strict=keep is not None):
        if take:
            yield NewExample(row.input, row.answer, SPLITS[next(splits)], row.notes)


def _type_for(scorer: str) -> str:
    return {"choice": "choice", "yes_no": "yes_no", "true_false": "true_false", "number": "number",
            "label": "label", "word_list": "word_list"}.get(scorer, "free_text")
