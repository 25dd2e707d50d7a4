"""Which columns hold the question, the expected answer and (optionally) the split."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.tables import DatasetFileError, Table

_INPUT_NAMES = ("input", "question", "prompt", "text", "query", "problem", "q", "x", "message",
                "ticket", "case", "description")
_ANSWER_NAMES = ("answer", "target", "expected", "label", "output", "gold", "solution", "y", "a",
                 "category", "class", "response")
_SPLIT_NAMES = ("split", "set", "fold", "partition", "subset")
_NOTES_NAMES = ("notes", "note", "comment", "comments")
_MAX_CELLS_NAMED = 8
SPLIT_ALIASES = {"train": "train", "training": "train", "dev": "dev", "val": "dev",
                 "valid": "dev", "validation": "dev", "development": "dev", "test": "test",
                 "testing": "test", "eval": "test", "heldout": "test", "held-out": "test"}


@dataclass(frozen=True)
class ColumnMapping:
    input_columns: list[str]
    answer_column: str
    split_column: str | None = None
    notes_column: str | None = None

    def validate_against(self, headers: list[str]) -> list[str]:
        """Names that are not columns of the table (empty when the mapping fits)."""
        wanted = [*self.input_columns, self.answer_column, self.split_column, self.notes_column]
        return [c for c in wanted if c and c not in headers]


@dataclass(frozen=True, slots=True)  # slots: a million rows must stay small
class MappedRow:
    input: str
    answer: str
    split: str | None  # from the split column, normalised; None when not given
    notes: str
    line: int  # where it came from in the file
    raw_split: str = ""


def suggest_mapping(headers: list[str]) -> ColumnMapping:
    lower = {h.lower().strip(): h for h in headers}

    def find(names: tuple[str, ...], exclude: set[str]) -> str | None:
        for name in names:
            if name in lower and lower[name] not in exclude:
                return lower[name]
        return None

    split = find(_SPLIT_NAMES, set())
    notes = find(_NOTES_NAMES, {split or ""})
    answer = find(_ANSWER_NAMES, {split or "", notes or ""})
    if answer is None:  # no telling name: the last column that is not split or notes
        rest = [h for h in headers if h not in (split, notes)]
        answer = rest[-1] if len(rest) > 1 else headers[-1]
    taken = {answer, split or "", notes or ""}
    first_input = find(_INPUT_NAMES, taken)
    inputs = [first_input] if first_input else [h for h in headers if h not in taken][:1]
    return ColumnMapping(inputs or [headers[0]], answer, split, notes)


def row_mapper(headers: list[str], mapping: ColumnMapping) -> Callable[[list[str], int], MappedRow]:
    """A function turning one table row (and its line) into a (question, answer, split) row.
    Several question columns are joined with their headers as labels ("Age: 54\nSymptoms:
    cough") so the model sees both."""
    index = {h: i for i, h in enumerate(headers)}
    in_idx = [index[c] for c in mapping.input_columns]
    ans_idx = index[mapping.answer_column]
    split_idx = index.get(mapping.split_column or "")
    notes_idx = index.get(mapping.notes_column or "")

    def mapped(row: list[str], line: int) -> MappedRow:
        if len(in_idx) == 1:
            text = row[in_idx[0]].strip()
        else:
            text = "\n".join(f"{headers[i]}: {row[i].strip()}" for i in in_idx if row[i].strip())
        raw_split = row[split_idx].strip() if split_idx is not None else ""
        split = SPLIT_ALIASES.get(raw_split.lower()) if raw_split else None
        notes = row[notes_idx].strip() if notes_idx is not None else ""
        return MappedRow(text, row[ans_idx].strip(), split, notes, line, raw_split)

    return mapped


def iter_mapped(table: Table, mapping: ColumnMapping) -> Iterator[MappedRow]:
    """The table's rows mapped, one at a time (a big table is read from its file as it goes).
    Raises `DatasetFileError` when a column it uses holds formulas without saved values
    (a column left out may hold them)."""
    used = [c for c in (*mapping.input_columns, mapping.answer_column, mapping.split_column, mapping.notes_column)
            if c and table.unsaved_formulas.get(c)]
    if used:
        cells = [cell for c in used for cell in table.unsaved_formulas[c]]
        shown = ", ".join(cells[:_MAX_CELLS_NAMED]) + (
            f" and {len(cells) - _MAX_CELLS_NAMED} more" if len(cells) > _MAX_CELLS_NAMED else "")
        raise DatasetFileError(msg.XLSX_FORMULAS_WITHOUT_VALUES.format(
            columns=", ".join(f"'{c}'" for c in used), cells=shown))
    mapped = row_mapper(table.headers, mapping)
    return (mapped(row, line) for row, line in zip(table.rows, table.line_numbers, strict=True))
