"""Lexical similarity between questions: Okapi BM25 over word tokens, in pure Python.

Enough to find the train questions most like a new one (the nearest-examples behavior)
without a second model. Ranking is deterministic: equal scores go to the earlier document,
so the same pool and question always give the same neighbours, in a run and in `ask`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

K1 = 1.5  # term-frequency saturation (the usual default)
B = 0.75  # length normalisation (the usual default)
_WORD = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens (letters, digits, underscore); punctuation is dropped."""
    return _WORD.findall(text.lower())


class BM25:
    """An index over `documents` (built once); `scores` and `top` rank them for a query."""

    def __init__(self, documents: Sequence[str], k1: float = K1, b: float = B) -> None:
        self.k1, self.b = k1, b
        self.counts = [Counter(tokens(d)) for d in documents]
        self.lengths = [sum(c.values()) for c in self.counts]
        n = len(self.counts)
        self.mean_length = (sum(self.lengths) / n) if n else 0.0
        df: Counter[str] = Counter()
        for c in self.counts:
            df.update(c.keys())
        # the BM25+ style idf that is never negative (Lucene's): a word in every document counts a little
        self.idf = {w: math.log(1 + (n - f + 0.5) / (f + 0.5)) for w, f in df.items()}

    def __len__(self) -> int:
        return len(self.counts)

    def scores(self, query: str) -> list[float]:
        """Each document's BM25 score for `query` (0 for a document sharing no word with it)."""
        words = [w for w in dict.fromkeys(tokens(query)) if w in self.idf]
        out = []
        for counts, length in zip(self.counts, self.lengths, strict=True):
            norm = self.k1 * (1 - self.b + self.b * length / self.mean_length) if self.mean_length else self.k1
            out.append(sum(self.idf[w] * counts[w] * (self.k1 + 1) / (counts[w] + norm)
                           for w in words if w in counts))
        return out

    def top(self, query: str, k: int) -> list[int]:
        """The indices of the `k` best documents for `query`, best first; ties (and documents
        sharing no word with it) in document order."""
        s = self.scores(query)
        return sorted(range(len(s)), key=lambda i: (-s[i], i))[:max(0, k)]
