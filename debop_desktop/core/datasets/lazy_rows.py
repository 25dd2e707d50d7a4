"""Rows read again from their file each time they are walked, so a big file is never held whole.

A `LazyRows` knows how many rows there are and keeps the first few (what a preview shows);
walking it reads the file again, in file order, one row at a time. The file is checked
before and after each walk (`FileStamp`), so rows from a file changed since it was checked
are never used: the walk stops with a plain message instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar, overload

import numpy as np

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.text_files import DatasetFileError

T = TypeVar("T")
HEAD_ROWS = 20  # rows kept for previews (the wizard shows 5, the CLI 5)


@dataclass(frozen=True)
class FileStamp:
    """A file's size and modification time when it was checked."""

    path: Path
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path, st: os.stat_result | None = None) -> FileStamp:
        st = st or path.stat()
        return cls(path, st.st_size, st.st_mtime_ns)

    def check(self) -> None:
        """Raise `DatasetFileError` if the file is gone or no longer the one that was checked."""
        try:
            same = FileStamp.of(self.path) == self
        except OSError:
            same = False
        if not same:
            raise DatasetFileError(msg.FILE_CHANGED_SINCE_CHECK.format(path=self.path))


class LazyRows(Sequence[T]):
    """`count` rows, the first ones in `head`, all of them from `walk()` (a fresh iterator each
    time). Indexing past the head and `==` walk the file; prefer one `for` loop over the rows."""

    def __init__(self, count: int, head: list[T], walk: Callable[[], Iterator[T]],
                 stamp: FileStamp | None = None) -> None:
        self.count, self.head, self._walk, self.stamp = count, head[:HEAD_ROWS], walk, stamp

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[T]:
        n = 0
        for item in self._walk():
            n += 1
            if n > self.count:
                break
            yield item
        if n != self.count:  # the file was cut short or grown since it was checked
            raise DatasetFileError(msg.FILE_CHANGED_SINCE_CHECK.format(path=self.stamp.path if self.stamp else "?"))

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            wanted = range(*index.indices(self.count))
            if all(i < len(self.head) for i in wanted):
                return [self.head[i] for i in wanted]
            picked = dict.fromkeys(wanted)
            last = max(wanted, default=-1)
            for i, item in enumerate(islice(self._walk(), last + 1)):
                if i in picked:
                    picked[i] = item
            return list(picked.values())  # type: ignore[arg-type]
        i = index + self.count if index < 0 else index
        if not 0 <= i < self.count:
            raise IndexError(index)
        if i < len(self.head):
            return self.head[i]
        return next(islice(self._walk(), i, None))

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, Sequence) or len(other) != self.count:
            return False
        return all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LazyRows({self.count} rows, read again from {self.stamp.path if self.stamp else 'their source'})"


def filtered(rows: Sequence[T], keep: Sequence[bool]) -> Sequence[T]:
    """The rows whose `keep` is true: a list for a list, a `LazyRows` for a `LazyRows`."""
    if not isinstance(rows, LazyRows):
        return [r for r, k in zip(rows, keep, strict=True) if k]

    def walk() -> Iterator[T]:
        return (r for r, k in zip(rows, keep, strict=True) if k)

    count = int(np.count_nonzero(keep))
    head = [r for r, k in zip(rows.head, keep, strict=False) if k]
    if len(head) < min(HEAD_ROWS, count):
        head = list(islice(walk(), HEAD_ROWS))
    return LazyRows(count, head, walk, rows.stamp)
