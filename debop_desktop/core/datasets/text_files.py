"""Open a file of examples as text, line by line, whatever wrote it.

UTF-8 (with or without a byte-order mark), UTF-16 with a mark (Excel's "Unicode text"), and
the older Windows encoding (cp1252, else Latin-1) are told apart *per line*: a file that
mixes UTF-8 lines with Windows lines (two exports pasted together) reads every line right,
and `DecodedLines.legacy_lines` names the lines that were not UTF-8.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from debop_desktop.core import messages as msg
from debop_desktop.core.errors import DebopError

SNIFF_BYTES = 64 * 1024
_BOMS_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class DatasetFileError(DebopError):
    """The file cannot be read as a table of examples; nothing was imported."""


def stat_input_file(p: Path) -> os.stat_result:
    """The file's status, or `DatasetFileError` saying plainly why it cannot be read."""
    try:
        st = p.stat()
    except FileNotFoundError:
        raise DatasetFileError(msg.FILE_MISSING.format(path=p)) from None
    except OSError as exc:
        text = msg.SYMLINK_LOOP if exc.errno == errno.ELOOP else msg.FILE_UNREADABLE
        raise DatasetFileError(text.format(path=p), str(exc)) from exc
    if stat.S_ISDIR(st.st_mode):
        raise DatasetFileError(msg.FILE_IS_FOLDER.format(path=p))
    if not os.access(p, os.R_OK):
        raise DatasetFileError(msg.FILE_UNREADABLE.format(path=p))
    return st


def read_head(p: Path, n: int = SNIFF_BYTES) -> bytes:
    try:
        with open(p, "rb") as fh:
            return fh.read(n)
    except OSError as exc:
        raise DatasetFileError(msg.FILE_UNREADABLE.format(path=p), str(exc)) from exc


def is_utf16(head: bytes) -> bool:
    return head.startswith(_BOMS_UTF16)


@dataclass
class DecodedLines:
    """The lines of a text file, decoded as they are read (iterate once)."""

    path: Path
    utf16: bool = False
    cr_only: bool = False  # lines end in a lone carriage return (old Mac files)
    bom: bool = False
    legacy_lines: list[int] = field(default_factory=list)  # 1-based lines not in UTF-8
    utf8_non_ascii: int = 0  # lines with letters beyond ASCII that were valid UTF-8

    def __iter__(self) -> Iterator[str]:
        if self.utf16:
            yield from self._utf16_lines()
            return
        try:
            with open(self.path, "rb") as fh:
                raws = _cr_lines(fh) if self.cr_only else fh
                for n, raw in enumerate(raws, start=1):
                    if n == 1 and raw.startswith(codecs.BOM_UTF8):
                        raw, self.bom = raw[len(codecs.BOM_UTF8):], True
                    yield self._decode(n, raw)
        except OSError as exc:
            raise DatasetFileError(msg.FILE_UNREADABLE.format(path=self.path), str(exc)) from exc

    def _decode(self, n: int, raw: bytes) -> str:
        if raw.isascii():
            return raw.decode("ascii")
        try:
            line = raw.decode("utf-8")
            self.utf8_non_ascii += 1
            return line
        except UnicodeDecodeError:
            self.legacy_lines.append(n)
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            return raw.decode("latin-1")  # decodes every byte

    def _utf16_lines(self) -> Iterator[str]:
        try:
            with open(self.path, encoding="utf-16", newline="") as fh:  # the mark says which byte order
                yield from fh
        except UnicodeDecodeError as exc:
            raise DatasetFileError(msg.FILE_BINARY.format(path=self.path), str(exc)) from exc
        except OSError as exc:
            raise DatasetFileError(msg.FILE_UNREADABLE.format(path=self.path), str(exc)) from exc

    @property
    def encoding(self) -> str:
        """What was read: 'utf-8', 'utf-8-bom', 'utf-16', 'cp1252', or 'utf-8 + cp1252' (mixed)."""
        if self.utf16:
            return "utf-16"
        if self.legacy_lines:
            return "utf-8 + cp1252" if self.utf8_non_ascii else "cp1252"
        return "utf-8-bom" if self.bom else "utf-8"

    @property
    def mixed_lines(self) -> list[int]:
        """The Windows-encoded lines of a file that is otherwise UTF-8 (empty when not mixed)."""
        return self.legacy_lines if self.utf8_non_ascii else []


def _cr_lines(fh: BinaryIO, block: int = 1 << 20) -> Iterator[bytes]:
    """Lines ending in a lone carriage return, each with its ending, read a block at a time."""
    rest = b""
    while chunk := fh.read(block):
        parts = (rest + chunk).split(b"\r")
        rest = parts.pop()
        yield from (part + b"\r" for part in parts)
    if rest:
        yield rest


def sniff_text(head: bytes) -> str:
    """The first part of the file as text, for guessing the delimiter (never fails)."""
    if is_utf16(head):
        return head.decode("utf-16", errors="ignore")
    return head.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="ignore")
