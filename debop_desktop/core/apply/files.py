"""The file being answered and the file of answers beside it.

The input is read with the task importer's own readers (core/datasets/tables.py): a big file
is walked row by row, never held whole (a JSON document, which has no lines, is the one
exception). The answers are written in the input's format (an XLSX stays an XLSX) to a
temporary file beside the target and moved into place only when complete, so a stopped
write never leaves half a file and the input is never written over.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.tables import Table, read_table, rows_never_kept
from debop_desktop.core.output_files import OutputFileError, open_for_writing

SUFFIX_FORMATS = {".csv": "csv", ".tsv": "tsv", ".txt": "csv", ".xlsx": "xlsx", ".json": "json",
                  ".jsonl": "jsonl"}


@dataclass(frozen=True)
class InputFile:
    path: Path
    table: Table
    size: int
    mtime: float

    @property
    def headers(self) -> list[str]:
        return self.table.headers

    @property
    def total(self) -> int:
        return len(self.table.rows)


def open_input(path: str | os.PathLike[str], sheet: str | None = None) -> InputFile:
    """Read `path` once to check it (a `DatasetFileError` with a plain message otherwise); its
    rows are read again from the file each time they are walked, never kept."""
    p = Path(path).expanduser().resolve()
    with rows_never_kept():  # walked again from the file as it is answered: memory stays flat
        table = read_table(p, sheet=sheet)
    st = p.stat()
    return InputFile(p, table, st.st_size, st.st_mtime)


def output_format(input_file: InputFile, output: Path) -> str:
    """The format answers are written in: the output's ending, else the input's."""
    fmt = SUFFIX_FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise OutputFileError(msg.APPLY_FORMAT.format(suffix=output.suffix or output.name))
    if fmt == "csv" and input_file.table.delimiter == "\t" and output.suffix.lower() != ".csv":
        return "tsv"
    return fmt


def default_output(input_path: Path) -> Path:
    """'notes.csv' → 'notes answered.csv' beside it, or 'notes answered (2).csv' when taken."""
    suffix = input_path.suffix if input_path.suffix.lower() in SUFFIX_FORMATS else ".csv"
    n = 1
    while True:
        tail = " answered" if n == 1 else f" answered ({n})"
        candidate = input_path.with_name(f"{input_path.stem}{tail}{suffix}")
        if not candidate.exists() and not _partial_exists(candidate):
            return candidate
        n += 1


def _partial_exists(p: Path) -> bool:
    return any(p.parent.glob(f".{p.name}.*.part"))


def unique_names(headers: list[str], wanted: Iterable[str]) -> list[str]:
    """The added columns' names, made different from the file's own ('answer (2)')."""
    taken, out = set(headers), []
    for name in wanted:
        n, candidate = 1, name
        while candidate in taken:
            n += 1
            candidate = f"{name} ({n})"
        taken.add(candidate)
        out.append(candidate)
    return out


def write_rows(path: Path, fmt: str, headers: list[str], rows: Iterable[list[object]], *,
               delimiter: str = ",", overwrite: bool = True, sheet: str = "") -> Path:
    """Write `headers` and `rows` (streamed: one row in memory at a time) to `path` whole or
    not at all. Raises `OutputFileError` with a plain message."""
    if fmt == "xlsx":
        return _write_xlsx(path, headers, rows, overwrite=overwrite, sheet=sheet or "Answers")
    with open_for_writing(path, overwrite=overwrite, newline="" if fmt in ("csv", "tsv") else None) as fh:
        if fmt in ("csv", "tsv"):
            writer = csv.writer(fh, delimiter="\t" if fmt == "tsv" else delimiter)
            writer.writerow(headers)
            writer.writerows(["" if c is None else c for c in row] for row in rows)
        elif fmt == "jsonl":
            for row in rows:
                fh.write(json.dumps(dict(zip(headers, row, strict=True)), ensure_ascii=False) + "\n")
        else:
            fh.write("[")
            for i, row in enumerate(rows):
                fh.write(("," if i else "") + "\n  " + json.dumps(dict(zip(headers, row, strict=True)),
                                                                ensure_ascii=False))
            fh.write("\n]\n")
    return path


def _write_xlsx(path: Path, headers: list[str], rows: Iterable[list[object]], *, overwrite: bool,
                sheet: str) -> Path:
    from openpyxl import Workbook  # write-only: rows go to the file as they come
    from openpyxl.cell import WriteOnlyCell

    if path.exists() and not overwrite:
        raise OutputFileError(msg.WRITE_EXISTS.format(path=path))
    with _temporary_beside(path) as temp:
        book = Workbook(write_only=True)
        ws = book.create_sheet(sheet)

        def cell(value: object) -> object:
            if isinstance(value, str) and value.startswith("="):  # text, never a formula to run
                c = WriteOnlyCell(ws, value)
                c.data_type = "s"
                return c
            return value

        ws.append([cell(h) for h in headers])
        for row in rows:
            ws.append([cell(v) for v in row])
        book.save(temp)
    return path


@contextlib.contextmanager
def _temporary_beside(path: Path) -> Iterator[Path]:
    """A temporary name beside `path`, moved onto it when the block succeeds."""
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        os.close(fd)
    except OSError as exc:
        raise OutputFileError(msg.WRITE_FAILED.format(path=path, why=exc.strerror or exc), str(exc)) from exc
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, path)
    except OSError as exc:
        raise OutputFileError(msg.WRITE_FAILED.format(path=path, why=exc.strerror or exc), str(exc)) from exc
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
