"""Train / dev / test splits: seeded, reproducible, stratified by answer for classification.

The test split is held out: the optimizer never sees it (enforced where examples are read
for a run). Rows whose file named a split keep it; the rest are assigned here.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from debop_desktop.core.datasets.mapping import MappedRow
from debop_desktop.core.datasets.row_facts import RowFacts, facts_of, repeat_groups
from debop_desktop.core.errors import DebopError

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
    facts = facts_of((MappedRow("", a, g or None, "", 0) for a, g in zip(answers, given, strict=True)),
                     max_names=None)
    return [SPLITS[c] for c in split_codes(facts, spec, seed, stratify).tolist()]


def split_codes(facts: RowFacts, spec: SplitSpec, seed: int, stratify: bool) -> np.ndarray:
    """`assign_splits` on compact facts: one code per row (the index in SPLITS)."""
    result = facts.given.copy()
    todo = np.flatnonzero(result < 0)
    n_train, n_dev, n_test = spec.targets(len(todo))
    rng = random.Random(seed)
    if stratify:
        order = _stratified_order(todo, facts, rng)
    else:
        order = np.array(rng.sample(todo.tolist(), len(todo)), dtype=np.int64)
    result[order[:n_test]] = SPLITS.index("test")
    result[order[n_test:n_test + n_dev]] = SPLITS.index("dev")
    result[order[n_test + n_dev:]] = SPLITS.index("train")
    return result


def _stratified_order(todo: np.ndarray, facts: RowFacts, rng: random.Random) -> np.ndarray:
    """Spread each answer's rows evenly over [0, 1) and sort: any contiguous block then holds
    the answers in about the same proportions as the whole. Answers are taken in the order of
    their normalised text (by digest when there are too many to keep their text)."""
    keys = facts.answer_keys[todo]
    distinct, group = np.unique(keys, return_inverse=True)
    by_group = np.argsort(group, kind="stable")  # stable: each group's rows in file order
    starts = np.searchsorted(group[by_group], np.arange(len(distinct)))
    ends = np.r_[starts[1:], len(todo)]
    names = facts.answer_names
    order = range(len(distinct)) if names is None else sorted(range(len(distinct)),
                                                              key=lambda g: names[int(distinct[g])])
    n = len(todo)
    position, tiebreak, index = np.empty(n), np.empty(n), np.empty(n, dtype=np.int64)
    k = 0
    for g in order:  # the same draws, in the same order, as with a dictionary of answers
        members = todo[by_group[starts[g]:ends[g]]].tolist()
        rng.shuffle(members)
        offset, m = rng.random(), len(members)
        index[k:k + m] = members
        position[k:k + m] = (np.arange(m) + offset) / m
        tiebreak[k:k + m] = [rng.random() for _ in range(m)]
        k += m
    return index[np.lexsort((index, tiebreak, position))]  # position first, then tiebreak, then index


def split_warnings(inputs: Sequence[str], splits: Sequence[str]) -> list[str]:
    if len(inputs) != len(splits):
        raise ValueError("one split per input")
    facts = facts_of(MappedRow(q, "", None, "", 0) for q in inputs)
    return split_warnings_of(facts, np.array([SPLITS.index(s) for s in splits], dtype=np.int8))


def split_warnings_of(facts: RowFacts, codes: np.ndarray) -> list[str]:
    """Too-small splits, and questions that sit in more than one split (`codes`: one per row)."""
    counts = dict(zip(SPLITS, np.bincount(codes, minlength=len(SPLITS)).tolist(), strict=True))
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
    shared = questions_in_two_splits(facts, codes)
    if shared:
        warnings.append(f"{shared} question(s) appear in more than one split; scores on the held-out "
                        f"split will look better than they are. Remove the duplicates.")
    return warnings


def questions_in_two_splits(facts: RowFacts, codes: np.ndarray) -> int:
    """How many repeated questions have copies in more than one split (`codes`: one per row)."""
    members, starts = repeat_groups(facts.input_keys, facts.input_chars > 0)
    if not len(members):
        return 0
    where = codes[members]
    return int(np.count_nonzero(np.minimum.reduceat(where, starts) != np.maximum.reduceat(where, starts)))
