"""What the checks and the split need to know about each row, in a few bytes a row.

A row's question and answer are kept as 128- and 64-bit digests of their normalised text
(equal digests: the same question, as `normalize_text` sees it; a false match needs a
BLAKE2 collision), with its line, its question's length and the split its file gave. A
million rows cost about 40 MB here, instead of the rows themselves.
"""

from __future__ import annotations

import unicodedata
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from hashlib import blake2b

import numpy as np

from debop_desktop.core.datasets.answer_types import AnswerTally
from debop_desktop.core.datasets.mapping import MappedRow
from debop_desktop.core.scoring.scorers import normalize_text

SPLIT_CODES = {"train": 0, "dev": 1, "test": 2}  # the index in splits.SPLITS
NO_SPLIT = -1
MAX_ANSWER_NAMES = 100_000  # distinct answers whose text is kept (to order a stratified split)
_CACHE_ANSWERS = 4096
_ASCII_PUNCTUATION = str.maketrans({chr(c): " " for c in range(128)
                                    if unicodedata.category(chr(c)).startswith("P")})
_NO_KEY = bytes(16)


def normalized(text: str) -> str:
    """Exactly `normalize_text(text)`, several times faster for plain ASCII text (which NFKC
    leaves alone and whose case folding is lower-casing)."""
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII_PUNCTUATION).split())
    return normalize_text(text)


def text_key(text: str, size: int = 16) -> bytes:
    """A digest of the normalised text: equal for texts that are the same once normalised."""
    return blake2b(normalized(text).encode("utf-8", "surrogatepass"), digest_size=size).digest()


@dataclass(frozen=True)
class RowFacts:
    """Per-row facts, one array element per row, in file order."""

    lines: np.ndarray  # int64: the file line of each row
    input_keys: np.ndarray  # (n, 2) uint64: digest of the normalised question; zeros when empty
    input_chars: np.ndarray  # int64: the question's length in characters (0 = no question)
    answer_keys: np.ndarray  # uint64: digest of the normalised answer
    answer_empty: np.ndarray  # bool: no answer at all
    given: np.ndarray  # int8: the split the file gave (SPLIT_CODES), NO_SPLIT when none
    answer_names: dict[int, str] | None  # answer digest -> normalised answer; None when too many

    def __len__(self) -> int:
        return len(self.lines)

    def subset(self, keep: np.ndarray) -> RowFacts:
        """The facts of the rows where `keep` is true, in the same order."""
        return RowFacts(self.lines[keep], self.input_keys[keep], self.input_chars[keep], self.answer_keys[keep],
                        self.answer_empty[keep], self.given[keep], self.answer_names)


class RowFactsBuilder:
    """Gathers `RowFacts` (and the answers' `AnswerTally`) one row at a time."""

    def __init__(self, tally: AnswerTally | None = None, max_names: int | None = MAX_ANSWER_NAMES) -> None:
        self.tally = tally
        self.max_names = max_names
        self._lines, self._chars = array("q"), array("q")
        self._inputs, self._answers = array("Q"), array("Q")
        self._empty, self._given = array("b"), array("b")
        self._names: dict[int, str] | None = {}
        self._cache: dict[str, tuple[bytes, str]] = {}

    def add(self, row: MappedRow) -> None:
        self._lines.append(row.line)
        self._chars.append(len(row.input))
        self._inputs.frombytes(text_key(row.input) if row.input else _NO_KEY)
        self._empty.append(not row.answer)
        self._given.append(SPLIT_CODES[row.split] if row.split else NO_SPLIT)
        answer = row.answer
        known = self._cache.get(answer)
        if known is None:
            if len(self._cache) >= _CACHE_ANSWERS:
                self._cache.clear()
            norm = normalized(answer)
            known = self._cache[answer] = (blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                                           norm)
            self._name(*known)
        self._answers.frombytes(known[0])
        if self.tally is not None:
            self.tally.add(answer, known[1])

    def _name(self, digest: bytes, norm: str) -> None:
        if self._names is None:
            return
        key = int.from_bytes(digest, "little")
        if key not in self._names:
            if self.max_names is not None and len(self._names) >= self.max_names:
                self._names = None
                return
            self._names[key] = norm

    def finish(self) -> RowFacts:
        def arr(a: array, dtype: type) -> np.ndarray:
            return np.frombuffer(a, dtype=dtype) if len(a) else np.zeros(0, dtype)

        return RowFacts(arr(self._lines, np.int64), arr(self._inputs, np.uint64).reshape(-1, 2),
                        arr(self._chars, np.int64), arr(self._answers, np.uint64), arr(self._empty, np.int8) != 0,
                        arr(self._given, np.int8), self._names)


def facts_of(rows: Iterable[MappedRow], tally: AnswerTally | None = None,
             max_names: int | None = MAX_ANSWER_NAMES) -> RowFacts:
    builder = RowFactsBuilder(tally, max_names)
    for row in rows:
        builder.add(row)
    return builder.finish()


def repeat_groups(keys: np.ndarray, filled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose key appears more than once among the `filled` rows: (members, starts), the
    members ordered by group and, within a group, by row; `starts` where each group begins.
    Sorting an array of digests, not a dictionary of strings, keeps a million rows cheap."""
    rows = np.flatnonzero(filled)
    if keys.ndim == 1:
        keys = keys.reshape(-1, 1)
    first = keys[rows, 0]
    order = np.argsort(first, kind="stable")  # stable: rows stay in file order within a key
    rows, first = rows[order], first[order]
    same = first[1:] == first[:-1]
    candidate = np.zeros(len(rows), dtype=bool)
    candidate[1:] |= same
    candidate[:-1] |= same
    rows = rows[candidate]  # only rows sharing the first 64 bits; compare the whole key now
    if not len(rows):
        return rows, np.zeros(0, dtype=np.int64)
    full = keys[rows]
    order = np.lexsort((rows, *full.T[::-1]))
    rows, full = rows[order], full[order]
    new = np.r_[True, (full[1:] != full[:-1]).any(axis=1)]
    starts = np.flatnonzero(new)
    sizes = np.diff(np.r_[starts, len(rows)])
    repeated = np.repeat(sizes > 1, sizes)
    rows = rows[repeated]
    sizes = sizes[sizes > 1]
    return rows, (np.cumsum(sizes) - sizes).astype(np.int64)
