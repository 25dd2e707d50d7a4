"""Read the cells of an Excel workbook (.xlsx) as text, one row at a time.

A workbook stores each formula's last result next to the formula, but files written by
programs other than Excel (or never opened in it) may hold the formula alone. Such a cell
would read as empty, so an expected answer would look missing: those cells are named (by
column, so that only a column the import uses stops it).

Dates read as the cell shows them: a date-only format gives "2024-01-01", not the
"2024-01-01 00:00:00" that Python would write. Hidden sheets are read only when chosen.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from itertools import zip_longest
from pathlib import Path
from typing import Any

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.text_files import DatasetFileError

CellText = Callable[[Any], str]
_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')  # quoted text, [$-409] and [h], escapes, padding


class XlsxSheet:
    """One sheet of a workbook, read in read-only mode (rows come as the file is unpacked)."""

    def __init__(self, p: Path, sheets: list[str], sheet: str, book: Any = None,
                 hidden: list[str] | None = None) -> None:
        self.path, self.sheets, self.sheet = p, sheets, sheet
        self.hidden = hidden or []  # sheets the workbook hides (read only when chosen)
        self._book = book  # the workbook opened to find the sheet, used by the first read
        self.blanks = False  # an empty cell was seen in a row that is not empty

    def _cells(self, *, data_only: bool) -> Iterator[tuple[Any, ...]]:
        book, self._book = (self._book, None) if data_only and self._book else (None, self._book)
        book = book or _load(self.path, data_only=data_only)
        try:
            yield from book[self.sheet].iter_rows()
        finally:
            book.close()

    def records(self, cell_text: CellText) -> Iterator[tuple[int, list[str]]]:
        """(1-based row number, cells as text) for every row that is not empty."""
        for n, row in enumerate(self._cells(data_only=True), start=1):
            cells = [shown_text(c, cell_text) for c in row]
            if any(c.strip() for c in cells):
                self.blanks = self.blanks or any(c.value is None for c in row)
                yield n, cells

    def formulas_without_values(self, cell_text: CellText) -> dict[int, list[str]]:
        """After `records` was read through: the cells holding a formula without a saved value,
        by column (0-based), as Excel names them ("B3")."""
        if not self.blanks:  # only then can a formula without its value hide among the empty cells
            return {}
        from openpyxl.utils import get_column_letter

        missing: dict[int, list[str]] = {}
        pairs = zip_longest(self._cells(data_only=True), self._cells(data_only=False), fillvalue=())
        for n, (values, formulas) in enumerate(pairs, start=1):
            for col, cell in enumerate(formulas):
                value = cell.value
                if isinstance(value, str) and value.startswith("=") and \
                        not (col < len(values) and shown_text(values[col], cell_text)):
                    missing.setdefault(col, []).append(f"{get_column_letter(col + 1)}{n}")
        return missing


def shown_text(cell: Any, cell_text: CellText) -> str:
    """A cell as text; a date or a time as its number format shows it (date, time or both)."""
    value = cell.value
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return _date_text(value, getattr(cell, "number_format", "") or "")
    return cell_text(value)


def _date_text(value: dt.datetime | dt.date | dt.time | dt.timedelta, number_format: str) -> str:
    code = _LITERALS.sub("", number_format.lower())
    seconds = "s" in code
    has_time = "h" in code or seconds
    has_date = "d" in code or "y" in code or ("m" in code and not has_time)
    clock = "%H:%M:%S" if seconds else "%H:%M"
    if isinstance(value, dt.timedelta):  # a duration, e.g. [h]:mm
        total = int(value.total_seconds())
        hours, rest = divmod(total, 3600)
        return f"{hours}:{rest // 60:02d}" + (f":{rest % 60:02d}" if seconds else "")
    if isinstance(value, dt.time):
        return value.strftime(clock)
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    if has_time and not has_date:
        return value.strftime(clock)
    if has_date and not has_time:
        return value.date().isoformat()
    return value.strftime(f"%Y-%m-%d {clock}")


def _load(p: Path, *, data_only: bool) -> Any:
    import openpyxl

    try:
        return openpyxl.load_workbook(p, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise DatasetFileError(msg.XLSX_BAD.format(path=p), repr(exc)) from exc


def open_xlsx(p: Path, sheet: str | None) -> XlsxSheet:
    """The sheet to read: `sheet`, else the first sheet the workbook shows (a hidden sheet
    only when chosen, or when every sheet is hidden); `DatasetFileError` if it is not there."""
    book = _load(p, data_only=True)
    names = list(book.sheetnames)
    hidden = [ws.title for ws in book.worksheets if getattr(ws, "sheet_state", "visible") != "visible"]
    if sheet is not None and sheet not in names:
        book.close()
        raise DatasetFileError(msg.XLSX_NO_SHEET.format(path=p, sheet=sheet, sheets=", ".join(names)))
    shown = [ws.title for ws in book.worksheets if ws.title not in hidden] or names
    return XlsxSheet(p, names, sheet or shown[0], book, hidden)
