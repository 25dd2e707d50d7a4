"""Read the cells of an Excel workbook (.xlsx) as text.

A workbook stores each formula's last result next to the formula, but files written by
programs other than Excel (or never opened in it) may hold the formula alone. Such a cell
would read as empty, so an expected answer would look missing: those cells are named
instead, and nothing is imported.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from pathlib import Path
from typing import Any

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.text_files import DatasetFileError

_MAX_CELLS_NAMED = 8


def read_xlsx_records(p: Path, sheet: str | None, cell_text: Callable[[Any], str]
                      ) -> tuple[list[list[str]], list[int], list[str], str]:
    """(non-empty rows as text, their 1-based row numbers, sheet names, the sheet read)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise DatasetFileError(msg.XLSX_BAD.format(path=p), repr(exc)) from exc
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise DatasetFileError(msg.XLSX_NO_SHEET.format(path=p, sheet=sheet, sheets=", ".join(names)))
        chosen = sheet or names[0]
        records, lines, blanks = [], [], False
        for n, row in enumerate(book[chosen].iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in row]
            if any(c.strip() for c in cells):
                records.append(cells)
                lines.append(n)
                blanks = blanks or any(v is None for v in row)
    finally:
        book.close()
    if blanks:  # only then can a formula without its value hide among the empty cells
        _refuse_formulas_without_values(p, chosen, records, lines)
    return records, lines, names, chosen


def _refuse_formulas_without_values(p: Path, sheet: str, records: list[list[str]], lines: list[int]) -> None:
    import openpyxl
    from openpyxl.utils import get_column_letter

    book = openpyxl.load_workbook(p, read_only=True, data_only=False)
    missing: list[str] = []
    try:
        for n, row in enumerate(book[sheet].iter_rows(values_only=True), start=1):
            k = bisect_left(lines, n)
            read = records[k] if k < len(lines) and lines[k] == n else []
            for col, value in enumerate(row):
                if isinstance(value, str) and value.startswith("=") and not (col < len(read) and read[col]):
                    missing.append(f"{get_column_letter(col + 1)}{n}")
    finally:
        book.close()
    if missing:
        shown = ", ".join(missing[:_MAX_CELLS_NAMED]) + (
            f" and {len(missing) - _MAX_CELLS_NAMED} more" if len(missing) > _MAX_CELLS_NAMED else "")
        raise DatasetFileError(msg.XLSX_FORMULAS_WITHOUT_VALUES.format(path=p, cells=shown))
