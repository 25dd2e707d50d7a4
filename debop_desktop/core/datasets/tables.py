"""Read a file of examples into a plain table of strings: CSV/TSV, JSONL, JSON, XLSX.

`read_table(path)` either returns a complete `Table` or raises `DatasetFileError` with a
plain message (and the line number where it helps). It never returns part of a file.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.text_files import (
    SNIFF_BYTES,
    DatasetFileError,
    DecodedLines,
    is_utf16,
    read_head,
    sniff_text,
    stat_input_file,
)
from debop_desktop.core.datasets.xlsx import read_xlsx_records

# The longest cell read (about a million tokens, more than any small model's context). Python's
# csv module stops at 131,072 characters, which used to be reported as an unclosed quote.
MAX_CELL_CHARS = 4_000_000

__all__ = ["DatasetFileError", "Table", "read_table", "cell_text", "sniff_delimiter", "MAX_CELL_CHARS"]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    line_numbers: list[int]  # where each row starts in the file (1-based), for messages
    format: str  # "csv" | "jsonl" | "json" | "xlsx"
    encoding: str = ""
    delimiter: str = ""
    sheets: list[str] = field(default_factory=list)
    sheet: str = ""
    mixed_encoding_lines: list[int] = field(default_factory=list)  # Windows-encoded lines in a UTF-8 file

    def preview(self, n: int = 5) -> list[list[str]]:
        return self.rows[:n]


def read_table(path: str | os.PathLike[str], *, sheet: str | None = None) -> Table:
    p = Path(path).expanduser()
    st = stat_input_file(p)
    head = read_head(p)
    if st.st_size == 0 or (st.st_size <= SNIFF_BYTES and not head.strip()):
        raise DatasetFileError(msg.FILE_EMPTY.format(path=p))
    suffix = p.suffix.lower()
    if suffix == ".xlsx" or (head[:4] == b"PK\x03\x04" and suffix in (".xlsm", "")):
        return _read_xlsx(p, sheet)
    if head[:4] == b"PK\x03\x04":
        raise DatasetFileError(msg.FILE_ZIP_NOT_XLSX.format(path=p))
    if suffix in (".xls", ".ods", ".numbers"):
        raise DatasetFileError(msg.UNSUPPORTED_FORMAT.format(suffix=suffix))
    utf16 = is_utf16(head)
    if not utf16 and b"\x00" in head:
        raise DatasetFileError(msg.FILE_BINARY.format(path=p))
    lines = DecodedLines(p, utf16=utf16, cr_only=b"\r" in head and b"\n" not in head)
    sample = sniff_text(head)
    if suffix == ".jsonl" or (suffix == ".json" and _looks_like_jsonl(sample)):
        return _finish(p, *_read_jsonl(p, lines), "jsonl", lines)
    if suffix == ".json":
        return _finish(p, *_read_json(p, "".join(lines)), "json", lines)
    delimiter = "\t" if suffix == ".tsv" else sniff_delimiter(sample)
    headers, rows, numbers = _read_csv(p, lines, delimiter)
    return _finish(p, headers, rows, numbers, "csv", lines, delimiter)


def sniff_delimiter(text: str) -> str:
    sample = text[:SNIFF_BYTES]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample.splitlines() else ""
        counts = {d: first.count(d) for d in ",;\t|"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _read_csv(p: Path, lines: Iterable[str], delimiter: str) -> tuple[list[str], list[list[str]], list[int]]:
    csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    numbers: list[int] = []
    try:
        start = 1
        for row in reader:
            if any(cell.strip() for cell in row):
                records.append(row)
                numbers.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise DatasetFileError(msg.CSV_CELL_TOO_LONG.format(line=start, path=p, limit=MAX_CELL_CHARS),
                                   str(exc)) from exc
        raise DatasetFileError(msg.CSV_BAD_QUOTES.format(line=reader.line_num, path=p), str(exc)) from exc
    if not records:
        raise DatasetFileError(msg.FILE_EMPTY.format(path=p))
    headers, body, body_lines = records[0], records[1:], numbers[1:]
    del records
    width = len(headers)
    ragged = []
    for i, row in enumerate(body):
        while len(row) > width and not row[-1].strip():
            row.pop()  # trailing empty cells (common in spreadsheet exports)
        if len(row) != width:
            ragged.append(body_lines[i])
    if ragged:
        shown = ", ".join(str(n) for n in ragged[:10]) + (" …" if len(ragged) > 10 else "")
        raise DatasetFileError(msg.CSV_RAGGED.format(path=p, expected=width, lines=shown))
    return headers, body, body_lines


def _looks_like_jsonl(text: str) -> bool:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return len(lines) > 1 and lines[0].lstrip().startswith("{") and lines[0].rstrip().endswith("}")


def _read_jsonl(p: Path, lines: Iterable[str]) -> tuple[list[str], list[list[str]], list[int]]:
    objects, numbers = [], []
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
        objects.append(obj)
        numbers.append(n)
    return (*_objects_to_rows(p, objects), numbers)


def _read_json(p: Path, text: str) -> tuple[list[str], list[list[str]], list[int]]:
    try:
        data = json.loads(text)
    except RecursionError as exc:  # e.g. 100,000 nested brackets
        raise DatasetFileError(msg.JSON_TOO_DEEP.format(path=p)) from exc
    except ValueError as exc:
        raise DatasetFileError(msg.JSON_BAD.format(path=p, problem=exc.args[0])) from exc
    if isinstance(data, dict) and isinstance(data.get("examples"), list):
        data = data["examples"]  # BIG-Bench: {"examples": [{"input", "target"}]}
    if not isinstance(data, list) or not all(isinstance(o, dict) for o in data):
        raise DatasetFileError(msg.JSON_SHAPE.format(path=p))
    headers, rows = _objects_to_rows(p, data)
    return headers, rows, list(range(1, len(rows) + 1))


def _objects_to_rows(p: Path, objects: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    headers: dict[str, None] = {}
    for obj in objects:
        for key in obj:
            headers.setdefault(str(key), None)
    names = list(headers)
    try:
        return names, [[cell_text(obj.get(k)) for k in names] for obj in objects]
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


def _read_xlsx(p: Path, sheet: str | None) -> Table:
    records, numbers, names, chosen = read_xlsx_records(p, sheet, cell_text)
    if not records:
        raise DatasetFileError(msg.FILE_EMPTY.format(path=p))
    headers = records[0]
    while headers and not headers[-1].strip():
        headers.pop()
    rows = [(r + [""] * len(headers))[: len(headers)] for r in records[1:]]
    return _finish(p, headers, rows, numbers[1:], "xlsx", None, "", names, chosen)


def _finish(p: Path, headers: list[str], rows: list[list[str]], lines: list[int], fmt: str,
            decoded: DecodedLines | None, delimiter: str = "", sheets: list[str] | None = None,
            sheet: str = "") -> Table:
    if not headers or not any(h.strip() for h in headers):
        raise DatasetFileError(msg.FILE_NO_COLUMNS.format(path=p))
    if not rows:
        raise DatasetFileError(msg.FILE_HEADER_ONLY.format(path=p))
    encoding = decoded.encoding if decoded else ""
    mixed = decoded.mixed_lines if decoded else []
    return Table(_unique_headers(headers), rows, lines, fmt, encoding, delimiter, sheets or [], sheet, mixed)


def _unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(headers):
        name = h.strip() or f"Column {i + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
