"""Train / dev / test splits: seeded, reproducible, stratified by answer for classification.

The test split is held out: the optimizer never sees it (enforced where examples are read
for a run). Rows whose file named a split keep it; the rest are assigned here.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from debop_desktop.core.errors import DebopError
from debop_desktop.core.scoring.scorers import normalize_text

SPLITS = ("train", "dev", "test")
CLASSIFICATION_TYPES = {"choice", "yes_no", "true_false", "label"}
DEFAULT_SPLIT = "60/20/20"
MIN_DEV, MIN_TEST, MIN_TRAIN = 10, 10, 3


class SplitError(DebopError):
    pass


@dataclass(frozen=True)
class SplitSpec:
    """Either fractions of the rows (summing to 1) or exact counts."""

    train: float
    dev: float
    test: float
    counts: bool = False

    @classmethod
    def parse(cls, text: str) -> SplitSpec:
        """'60/20/20' (percent), '0.6/0.2/0.2' (fractions) or '20/30/150' (counts)."""
        parts = [p for p in re.split(r"[/,:\s]+", text.strip().rstrip("%")) if p]
        try:
            values = [float(p) for p in parts]
        except ValueError:
            values = []
        if len(values) != 3 or any(v < 0 for v in values) or sum(values) <= 0:
            raise SplitError(f"Write split sizes as train/dev/test, like {DEFAULT_SPLIT} (percent) "
                             f"or 20/30/150 (numbers of examples); got '{text}'.")
        total = sum(values)
        if abs(total - 100) < 1e-6 or abs(total - 1) < 1e-6:
            return cls(*(v / total for v in values))
        if all(v.is_integer() for v in values):
            return cls(*values, counts=True)
        raise SplitError(f"Split sizes must add up to 100 (percent) or be whole numbers; got '{text}'.")

    def targets(self, n: int) -> tuple[int, int, int]:
        if self.counts:
            wanted = (int(self.train), int(self.dev), int(self.test))
            if sum(wanted) > n:
                raise SplitError(f"The split asks for {sum(wanted)} examples but only {n} need a split.")
            return wanted
        dev, test = round(n * self.dev), round(n * self.test)
        return n - dev - test, dev, test


def assign_splits(
    inputs: Sequence[str],
    answers: Sequence[str],
    given: Sequence[str | None],
    spec: SplitSpec,
    seed: int,
    stratify: bool,
) -> list[str]:
    """A split for every row. `given` holds splits from the file (None = assign one).
    Same inputs, spec and seed give the same splits. With counts, rows beyond the three
    numbers go to train."""
    result: list[str] = [g or "" for g in given]
    todo = [i for i, g in enumerate(given) if not g]
    n_train, n_dev, n_test = spec.targets(len(todo))
    rng = random.Random(seed)
    order = _stratified_order(todo, answers, rng) if stratify else rng.sample(todo, len(todo))
    for k, i in enumerate(order):
        result[i] = "test" if k < n_test else "dev" if k < n_test + n_dev else "train"
    return result


def _stratified_order(indices: list[int], answers: Sequence[str], rng: random.Random) -> list[int]:
    """Spread each answer's rows evenly over [0, 1) and sort: any contiguous block then holds
    the answers in about the same proportions as the whole."""
    import numpy as np

    groups: dict[str, list[int]] = defaultdict(list)
    for i in indices:
        groups[normalize_text(answers[i])].append(i)
    n = len(indices)
    position, tiebreak, index = np.empty(n), np.empty(n), np.empty(n, dtype=np.int64)
    k = 0
    for key in sorted(groups):  # the same draws, in the same order, as sorting Python tuples did
        members = groups.pop(key)
        rng.shuffle(members)
        offset = rng.random()
        for j, i in enumerate(members):
            position[k], tiebreak[k], index[k] = (j + offset) / len(members), rng.random(), i
            k += 1
    order = np.lexsort((index, tiebreak, position))  # position first, then tiebreak, then index
    return index[order].tolist()


def split_warnings(inputs: Sequence[str], splits: Sequence[str]) -> list[str]:
    counts = {s: splits.count(s) for s in SPLITS}
    warnings = []
    if counts["dev"] < MIN_DEV:
        warnings.append(f"The dev split has only {counts['dev']} examples, so the scores that guide the "
                        f"search will be noisy. Aim for 30 or more.")
    if counts["test"] < MIN_TEST:
        warnings.append(f"The test split has only {counts['test']} examples, too few to judge the result. "
                        f"Aim for 30 or more.")
    if counts["train"] < MIN_TRAIN:
        warnings.append(f"The train split has only {counts['train']} examples; plans are written from a "
                        f"few of them. Keep at least {MIN_TRAIN}.")
    from debop_desktop.core.datasets.validation import repeated_groups

    if len(inputs) != len(splits):
        raise ValueError("one split per input")
    shared = sum(1 for g in repeated_groups(inputs) if len({splits[i] for i in g}) > 1)
    if shared:
        warnings.append(f"{shared} question(s) appear in more than one split; scores on the held-out "
                        f"split will look better than they are. Remove the duplicates.")
    return warnings
