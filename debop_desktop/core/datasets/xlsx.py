"""Read the cells of an Excel workbook (.xlsx) as text, one row at a time.

A workbook stores each formula's last result next to the formula, but files written by
programs other than Excel (or never opened in it) may hold the formula alone. Such a cell
would read as empty, so an expected answer would look missing: those cells are named
instead, and nothing is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import zip_longest
from pathlib import Path
from typing import Any

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.text_files import DatasetFileError

_MAX_CELLS_NAMED = 8
CellText = Callable[[Any], str]


def _load(p: Path, *, data_only: bool) -> Any:
    import openpyxl

    try:
        return openpyxl.load_workbook(p, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise DatasetFileError(msg.XLSX_BAD.format(path=p), repr(exc)) from exc


class XlsxSheet:
    """One sheet of a workbook, read in read-only mode (rows come as the file is unpacked)."""

    def __init__(self, p: Path, sheets: list[str], sheet: str, book: Any = None) -> None:
        self.path, self.sheets, self.sheet = p, sheets, sheet
        self._book = book  # the workbook opened to find the sheet, used by the first read
        self.blanks = False  # an empty cell was seen in a row that is not empty

    def _values(self, *, data_only: bool) -> Iterator[tuple[Any, ...]]:
        book, self._book = (self._book, None) if data_only and self._book else (None, self._book)
        book = book or _load(self.path, data_only=data_only)
        try:
            yield from book[self.sheet].iter_rows(values_only=True)
        finally:
            book.close()

    def records(self, cell_text: CellText) -> Iterator[tuple[int, list[str]]]:
        """(1-based row number, cells as text) for every row that is not empty."""
        for n, row in enumerate(self._values(data_only=True), start=1):
            cells = [cell_text(v) for v in row]
            if any(c.strip() for c in cells):
                self.blanks = self.blanks or any(v is None for v in row)
                yield n, cells

    def refuse_formulas_without_values(self, cell_text: CellText) -> None:
        """After `records` was read through: raise if a formula cell has no saved value."""
        if not self.blanks:  # only then can a formula without its value hide among the empty cells
            return
        from openpyxl.utils import get_column_letter

        missing: list[str] = []
        pairs = zip_longest(self._values(data_only=True), self._values(data_only=False), fillvalue=())
        for n, (values, formulas) in enumerate(pairs, start=1):
            for col, value in enumerate(formulas):
                if isinstance(value, str) and value.startswith("=") and \
                        not (col < len(values) and cell_text(values[col])):
                    missing.append(f"{get_column_letter(col + 1)}{n}")
        if missing:
            shown = ", ".join(missing[:_MAX_CELLS_NAMED]) + (
                f" and {len(missing) - _MAX_CELLS_NAMED} more" if len(missing) > _MAX_CELLS_NAMED else "")
            raise DatasetFileError(msg.XLSX_FORMULAS_WITHOUT_VALUES.format(path=self.path, cells=shown))


def open_xlsx(p: Path, sheet: str | None) -> XlsxSheet:
    """The sheet to read (the first by default); `DatasetFileError` if it is not there."""
    book = _load(p, data_only=True)
    names = list(book.sheetnames)
    if sheet is not None and sheet not in names:
        book.close()
        raise DatasetFileError(msg.XLSX_NO_SHEET.format(path=p, sheet=sheet, sheets=", ".join(names)))
    return XlsxSheet(p, names, sheet or names[0], book)
