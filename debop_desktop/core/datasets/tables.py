"""Read a file of examples into a plain table of strings: CSV/TSV, JSONL, JSON, XLSX.

`read_table(path)` reads the whole file once and either returns a `Table` or raises
`DatasetFileError` with a plain message (and the line number where it helps); it never
returns part of a file. A small file's rows are kept in a list. A big one's are not: its
`Table.rows` is a `LazyRows` that reads the file again, row by row, each time it is walked
(and refuses if the file changed since), so a million-row file costs a few bytes a row.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.lazy_rows import HEAD_ROWS, FileStamp, LazyRows
from debop_desktop.core.datasets.text_files import (
    SNIFF_BYTES,
    DatasetFileError,
    DecodedLines,
    is_utf16,
    read_head,
    sniff_text,
    stat_input_file,
)
from debop_desktop.core.datasets.xlsx import XlsxSheet, open_xlsx

# The longest cell read (about a million tokens, more than any small model's context). Python's
# csv module stops at 131,072 characters, which used to be reported as an unclosed quote.
MAX_CELL_CHARS = 4_000_000
# A file with more rows or more text than this is not kept in memory but read again when needed.
KEEP_ROWS = 50_000
KEEP_CHARS = 16_000_000
# False inside `rows_never_kept()`: every file is read again row by row, whatever its size (per thread)
_keep_small_files: ContextVar[bool] = ContextVar("keep_small_files", default=True)

__all__ = ["DatasetFileError", "Table", "read_table", "cell_text", "sniff_delimiter", "MAX_CELL_CHARS"]

Records = Iterator[tuple[int, list[str]]]  # (line where the row starts, its cells)


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: Sequence[list[str]]  # a list, or a LazyRows for a big file
    line_numbers: Sequence[int]  # where each row starts in the file (1-based), for messages
    format: str  # "csv" | "jsonl" | "json" | "xlsx"
    encoding: str = ""
    delimiter: str = ""
    sheets: list[str] = field(default_factory=list)
    sheet: str = ""  # the sheet read (a workbook)
    hidden_sheets: list[str] = field(default_factory=list)  # sheets the workbook hides: read only when chosen
    # cells holding a formula whose result was never saved, by column: only a column the import uses stops it
    unsaved_formulas: dict[str, list[str]] = field(default_factory=dict)
    mixed_encoding_lines: list[int] = field(default_factory=list)  # Windows-encoded lines in a UTF-8 file

    @property
    def streamed(self) -> bool:
        """True when the rows are read again from the file rather than kept in memory."""
        return isinstance(self.rows, LazyRows)

    def preview(self, n: int = 5) -> list[list[str]]:
        return list(self.rows[:n])

    def sheet_words(self) -> str:
        """Which sheet of a workbook was read ("sheet 'Cases'"); "" for other files."""
        return msg.XLSX_SHEET_READ.format(sheet=self.sheet) if self.sheet else ""

    def hidden_note(self) -> str:
        """A sentence naming the hidden sheets left out ("" when there are none)."""
        left_out = [s for s in self.hidden_sheets if s != self.sheet]
        return msg.XLSX_HIDDEN_SHEETS.format(sheets=", ".join(f"'{s}'" for s in left_out)) if left_out else ""


class LineNumbers(array):
    """Line numbers, 8 bytes each; equal to a list holding the same numbers."""

    def __new__(cls) -> LineNumbers:
        return super().__new__(cls, "q")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, list | tuple):
            return len(self) == len(other) and self.tolist() == list(other)
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]


class _Rows:
    """Collects what a read finds: every line number, the first rows, and all rows while the
    file stays small."""

    def __init__(self) -> None:
        self.lines = LineNumbers()
        self.head: list[Any] = []
        self.kept: list[Any] | None = [] if _keep_small_files.get() else None
        self.chars = 0

    def add(self, line: int, row: Any, chars: int | None = None) -> None:
        self.lines.append(line)
        if len(self.head) < HEAD_ROWS:
            self.head.append(row)
        if self.kept is not None:
            self.chars += sum(map(len, row)) if chars is None else chars
            if len(self.lines) > KEEP_ROWS or self.chars > KEEP_CHARS:
                self.kept = None
            else:
                self.kept.append(row)

    def table(self, p: Path, stamp: FileStamp, headers: list[str], walk: Callable[[], Iterator[list[str]]],
              fmt: str, decoded: DecodedLines | None = None, **extra: Any) -> Table:
        if not headers or not any(h.strip() for h in headers):
            raise DatasetFileError(msg.FILE_NO_COLUMNS.format(path=p))
        if not self.lines:
            raise DatasetFileError(msg.FILE_HEADER_ONLY.format(path=p))

        def checked_walk() -> Iterator[list[str]]:
            stamp.check()
            yield from walk()
            stamp.check()

        if self.kept is not None:
            rows: Sequence[list[str]] = self.kept
            lines: Sequence[int] = self.lines.tolist()
        else:
            rows, lines = LazyRows(len(self.lines), self.head, checked_walk, stamp), self.lines
        encoding = decoded.encoding if decoded else ""
        mixed = decoded.mixed_lines if decoded else []
        return Table(_unique_headers(headers), rows, lines, fmt, encoding, mixed_encoding_lines=mixed, **extra)


@contextlib.contextmanager
def rows_never_kept() -> Iterator[None]:
    """In the block, `read_table` keeps no file's rows in memory, however small (a JSON
    document excepted): answering a file walks it once and must not grow with it."""
    token = _keep_small_files.set(False)
    try:
        yield
    finally:
        _keep_small_files.reset(token)


def read_table(path: str | os.PathLike[str], *, sheet: str | None = None) -> Table:
    p = Path(path).expanduser()
    st = stat_input_file(p)
    stamp = FileStamp.of(p, st)
    head = read_head(p)
    if st.st_size == 0 or (st.st_size <= SNIFF_BYTES and not head.strip()):
        raise DatasetFileError(msg.FILE_EMPTY.format(path=p))
    suffix = p.suffix.lower()
    if suffix == ".xlsx" or (head[:4] == b"PK\x03\x04" and suffix in (".xlsm", "")):
        return _read_xlsx(p, stamp, sheet)
    if head[:4] == b"PK\x03\x04":
        raise DatasetFileError(msg.FILE_ZIP_NOT_XLSX.format(path=p))
    if suffix in (".xls", ".ods", ".numbers"):
        raise DatasetFileError(msg.UNSUPPORTED_FORMAT.format(suffix=suffix))
    utf16 = is_utf16(head)
    if not utf16 and b"\x00" in head:
        raise DatasetFileError(msg.FILE_BINARY.format(path=p))
    cr_only = b"\r" in head and b"\n" not in head

    def lines() -> DecodedLines:
        return DecodedLines(p, utf16=utf16, cr_only=cr_only)

    sample = sniff_text(head)
    if suffix == ".jsonl" or (suffix == ".json" and _looks_like_jsonl(sample)):
        return _read_jsonl(p, stamp, lines)
    if suffix == ".json":
        decoded = lines()
        return _read_json(p, stamp, "".join(decoded), decoded)
    delimiter = "\t" if suffix == ".tsv" else sniff_delimiter(sample)
    return _read_csv(p, stamp, lines, delimiter)


def sniff_delimiter(text: str) -> str:
    sample = text[:SNIFF_BYTES]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample.splitlines() else ""
        counts = {d: first.count(d) for d in ",;\t|"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _csv_records(p: Path, lines: Iterable[str], delimiter: str) -> Records:
    """Every record that is not blank, the header first, with the line where it starts."""
    csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise DatasetFileError(msg.CSV_CELL_TOO_LONG.format(line=start, path=p, limit=MAX_CELL_CHARS),
                                   str(exc)) from exc
        raise DatasetFileError(msg.CSV_BAD_QUOTES.format(line=reader.line_num, path=p), str(exc)) from exc


def _trim(row: list[str], width: int) -> list[str]:
    while len(row) > width and not row[-1].strip():
        row.pop()  # trailing empty cells (common in spreadsheet exports)
    return row


def _read_csv(p: Path, stamp: FileStamp, lines: Callable[[], DecodedLines], delimiter: str) -> Table:
    decoded = lines()
    records = _csv_records(p, decoded, delimiter)
    first = next(records, None)
    if first is None:
        raise DatasetFileError(msg.FILE_EMPTY.format(path=p))
    headers, width = first[1], len(first[1])
    found, ragged = _Rows(), []
    for line, row in records:
        if len(_trim(row, width)) != width:
            ragged.append(line)
        elif not ragged:
            found.add(line, row)
    if ragged:
        shown = ", ".join(str(n) for n in ragged[:10]) + (" …" if len(ragged) > 10 else "")
        raise DatasetFileError(msg.CSV_RAGGED.format(path=p, expected=width, lines=shown))

    def walk() -> Iterator[list[str]]:
        again = _csv_records(p, lines(), delimiter)
        next(again, None)  # the header
        for _line, row in again:
            if len(_trim(row, width)) != width:
                raise DatasetFileError(msg.FILE_CHANGED_SINCE_CHECK.format(path=p))
            yield row

    return found.table(p, stamp, headers, walk, "csv", decoded, delimiter=delimiter)


def _looks_like_jsonl(text: str) -> bool:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return len(lines) > 1 and lines[0].lstrip().startswith("{") and lines[0].rstrip().endswith("}")


def _jsonl_objects(p: Path, lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any], int]]:
    """(line number, object, length of the line) for every line that is not blank."""
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except RecursionError as exc:
            raise DatasetFileError(msg.JSON_TOO_DEEP.format(path=p), f"line {n}") from exc
        except ValueError as exc:
            raise DatasetFileError(msg.JSONL_BAD_LINE.format(line=n, path=p, problem=exc.args[0])) from exc
        if not isinstance(obj, dict):
            raise DatasetFileError(msg.JSONL_NOT_OBJECT.format(line=n, path=p))
        yield n, obj, len(line)


def _read_jsonl(p: Path, stamp: FileStamp, lines: Callable[[], DecodedLines]) -> Table:
    """Columns are every key any line has, so rows are made once the whole file was read."""
    decoded = lines()
    keys: dict[str, None] = {}
    found = _Rows()
    for n, obj, chars in _jsonl_objects(p, decoded):
        for key, value in obj.items():
            keys.setdefault(str(key), None)
            _text_or_refuse(p, value)  # a value too deep to write back is found now, not later
        found.add(n, obj, chars)  # made into rows below, once every column is known
    names = list(keys)

    def row(obj: dict[str, Any]) -> list[str]:
        return [cell_text(obj.get(k)) for k in names]

    found.head = [row(o) for o in found.head]
    if found.kept is not None:
        found.kept = [row(o) for o in found.kept]

    def walk() -> Iterator[list[str]]:
        return (row(obj) for _n, obj, _chars in _jsonl_objects(p, lines()))

    return found.table(p, stamp, names, walk, "jsonl", decoded)


def _read_json(p: Path, stamp: FileStamp, text: str, decoded: DecodedLines) -> Table:
    """A JSON document is parsed whole (it has no lines to read one by one); its rows are kept."""
    try:
        data = json.loads(text)
    except RecursionError as exc:  # e.g. 100,000 nested brackets
        raise DatasetFileError(msg.JSON_TOO_DEEP.format(path=p)) from exc
    except ValueError as exc:
        raise DatasetFileError(msg.JSON_BAD.format(path=p, problem=exc.args[0])) from exc
    del text
    if isinstance(data, dict) and isinstance(data.get("examples"), list):
        data = data["examples"]  # BIG-Bench: {"examples": [{"input", "target"}]}
    if not isinstance(data, list) or not all(isinstance(o, dict) for o in data):
        raise DatasetFileError(msg.JSON_SHAPE.format(path=p))
    keys: dict[str, None] = {}
    for obj in data:
        for key in obj:
            keys.setdefault(str(key), None)
    names = list(keys)
    rows = [[_text_or_refuse(p, obj.get(k)) for k in names] for obj in data]
    del data
    if not names or not any(h.strip() for h in names):
        raise DatasetFileError(msg.FILE_NO_COLUMNS.format(path=p))
    if not rows:
        raise DatasetFileError(msg.FILE_HEADER_ONLY.format(path=p))
    return Table(_unique_headers(names), rows, list(range(1, len(rows) + 1)), "json", decoded.encoding,
                 mixed_encoding_lines=decoded.mixed_lines)


def _text_or_refuse(p: Path, value: Any) -> str:
    try:
        return cell_text(value)
    except RecursionError as exc:  # a value nested deeper than can be written back as text
        raise DatasetFileError(msg.JSON_TOO_DEEP.format(path=p)) from exc


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a spurious '.0', lists of targets by their first item."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list) and len(value) == 1:
        return cell_text(value[0])
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _read_xlsx(p: Path, stamp: FileStamp, sheet: str | None) -> Table:
    book: XlsxSheet = open_xlsx(p, sheet)
    records = book.records(cell_text)
    first = next(records, None)
    if first is None:
        raise DatasetFileError(msg.FILE_EMPTY.format(path=p))
    headers = first[1]
    while headers and not headers[-1].strip():
        headers.pop()
    width = len(headers)
    found = _Rows()
    for line, cells in records:
        found.add(line, (cells + [""] * width)[:width])
    unsaved = book.formulas_without_values(cell_text)

    def walk() -> Iterator[list[str]]:
        again = open_xlsx(p, book.sheet).records(cell_text)
        next(again, None)  # the header
        return ((cells + [""] * width)[:width] for _line, cells in again)

    names = _unique_headers(headers)
    return found.table(p, stamp, headers, walk, "xlsx", None, sheets=book.sheets, sheet=book.sheet,
                       hidden_sheets=book.hidden,
                       unsaved_formulas={names[c]: cells for c, cells in unsaved.items() if c < width})


def _unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(headers):
        name = h.strip() or f"Column {i + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
