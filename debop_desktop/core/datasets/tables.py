"""Read a file of examples into a plain table of strings: CSV/TSV, JSONL, JSON, XLSX.

`read_table(path)` either returns a complete `Table` or raises `DatasetFileError` with a
plain message (and the line number where it helps). It never returns part of a file.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from debop_desktop.core import messages as msg
from debop_desktop.core.errors import DebopError

_SNIFF_BYTES = 64 * 1024


class DatasetFileError(DebopError):
    """The file cannot be read as a table of examples; nothing was imported."""


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

    def preview(self, n: int = 5) -> list[list[str]]:
        return self.rows[:n]


def read_table(path: str | os.PathLike[str], *, sheet: str | None = None) -> Table:
    p = Path(path).expanduser()
    if not p.is_file():
        raise DatasetFileError(msg.FILE_MISSING.format(path=p))
    data = p.read_bytes()
    if not data.strip():
        raise DatasetFileError(msg.FILE_EMPTY.format(path=p))
    suffix = p.suffix.lower()
    if suffix == ".xlsx" or (data[:4] == b"PK\x03\x04" and suffix in (".xlsm", "")):
        return _read_xlsx(p, sheet)
    if data[:4] == b"PK\x03\x04":
        raise DatasetFileError(msg.FILE_ZIP_NOT_XLSX.format(path=p))
    if suffix in (".xls", ".ods", ".numbers"):
        raise DatasetFileError(msg.UNSUPPORTED_FORMAT.format(suffix=suffix))
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise DatasetFileError(msg.FILE_BINARY.format(path=p))
    text, encoding = decode_text(data)
    if suffix == ".jsonl" or (suffix == ".json" and _looks_like_jsonl(text)):
        return _finish(p, *_read_jsonl(p, text), "jsonl", encoding)
    if suffix == ".json":
        return _finish(p, *_read_json(p, text), "json", encoding)
    delimiter = "\t" if suffix == ".tsv" else sniff_delimiter(text)
    headers, rows, lines = _read_csv(p, text, delimiter)
    return _finish(p, headers, rows, lines, "csv", encoding, delimiter)


def decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, then Windows-1252, then Latin-1 (never fails)."""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        used = "utf-8-bom" if encoding == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf") else encoding
        return text, "utf-8" if used == "utf-8-sig" else used
    raise AssertionError("latin-1 decodes every byte")


def sniff_delimiter(text: str) -> str:
    sample = text[:_SNIFF_BYTES]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample.splitlines() else ""
        counts = {d: first.count(d) for d in ",;\t|"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _read_csv(p: Path, text: str, delimiter: str) -> tuple[list[str], list[list[str]], list[int]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    lines: list[int] = []
    try:
        start = 1
        for row in reader:
            if any(cell.strip() for cell in row):
                records.append(row)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DatasetFileError(msg.CSV_BAD_QUOTES.format(line=reader.line_num, path=p), str(exc)) from exc
    if not records:
        raise DatasetFileError(msg.FILE_EMPTY.format(path=p))
    headers, body, body_lines = records[0], records[1:], lines[1:]
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


def _read_jsonl(p: Path, text: str) -> tuple[list[str], list[list[str]], list[int]]:
    objects, lines = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise DatasetFileError(msg.JSONL_BAD_LINE.format(line=n, path=p, problem=exc.args[0])) from exc
        if not isinstance(obj, dict):
            raise DatasetFileError(msg.JSONL_NOT_OBJECT.format(line=n, path=p))
        objects.append(obj)
        lines.append(n)
    return (*_objects_to_rows(objects), lines)


def _read_json(p: Path, text: str) -> tuple[list[str], list[list[str]], list[int]]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DatasetFileError(msg.JSON_BAD.format(path=p, problem=exc.args[0])) from exc
    if isinstance(data, dict) and isinstance(data.get("examples"), list):
        data = data["examples"]  # BIG-Bench: {"examples": [{"input", "target"}]}
    if not isinstance(data, list) or not all(isinstance(o, dict) for o in data):
        raise DatasetFileError(msg.JSON_SHAPE.format(path=p))
    headers, rows = _objects_to_rows(data)
    return headers, rows, list(range(1, len(rows) + 1))


def _objects_to_rows(objects: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    headers: dict[str, None] = {}
    for obj in objects:
        for key in obj:
            headers.setdefault(str(key), None)
    names = list(headers)
    return names, [[cell_text(obj.get(k)) for k in names] for obj in objects]


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
    import openpyxl

    try:
        book = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise DatasetFileError(msg.XLSX_BAD.format(path=p), repr(exc)) from exc
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise DatasetFileError(msg.XLSX_NO_SHEET.format(path=p, sheet=sheet, sheets=", ".join(names)))
        ws = book[sheet or names[0]]
        records, lines = [], []
        for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in row]
            if any(c.strip() for c in cells):
                records.append(cells)
                lines.append(n)
    finally:
        book.close()
    if not records:
        raise DatasetFileError(msg.FILE_EMPTY.format(path=p))
    headers = records[0]
    while headers and not headers[-1].strip():
        headers.pop()
    rows = [(r + [""] * len(headers))[: len(headers)] for r in records[1:]]
    return _finish(p, headers, rows, lines[1:], "xlsx", "", "", names, sheet or names[0])


def _finish(p: Path, headers: list[str], rows: list[list[str]], lines: list[int], fmt: str,
            encoding: str = "", delimiter: str = "", sheets: list[str] | None = None,
            sheet: str = "") -> Table:
    if not headers or not any(h.strip() for h in headers):
        raise DatasetFileError(msg.FILE_NO_COLUMNS.format(path=p))
    if not rows:
        raise DatasetFileError(msg.FILE_HEADER_ONLY.format(path=p))
    return Table(_unique_headers(headers), rows, lines, fmt, encoding, delimiter, sheets or [], sheet)


def _unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(headers):
        name = h.strip() or f"Column {i + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
