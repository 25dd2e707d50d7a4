from collections import Counter

import pytest

from debop_desktop.core.datasets.splits import SplitError, SplitSpec, assign_splits, split_warnings


def test_parse_percent_fractions_and_counts():
    assert SplitSpec.parse("60/20/20") == SplitSpec(0.6, 0.2, 0.2)
    assert SplitSpec.parse("0.5/0.25/0.25") == SplitSpec(0.5, 0.25, 0.25)
    assert SplitSpec.parse("10/30/50") == SplitSpec(10, 30, 50, counts=True)
    for bad in ("60/40", "a/b/c", "-10/60/50", "1.5/2.5/3"):
        with pytest.raises(SplitError):
            SplitSpec.parse(bad)


def assign(n=200, seed=0, spec="60/20/20", stratify=False, answers=None, given=None):
    inputs = [f"q{i}" for i in range(n)]
    answers = answers or [str(i % 4) for i in range(n)]
    return assign_splits(inputs, answers, given or [None] * n, SplitSpec.parse(spec), seed, stratify)


def test_sizes_seeded_and_reproducible():
    a = assign(seed=1)
    assert Counter(a) == {"train": 120, "dev": 40, "test": 40}
    assert a == assign(seed=1) and a != assign(seed=2)


def test_counts_spec_and_too_many():
    s = assign(n=100, spec="10/20/30")
    assert Counter(s) == {"train": 50, "dev": 20, "test": 30}  # the rest goes to train
    with pytest.raises(SplitError):
        assign(n=20, spec="10/20/30")


def test_stratified_splits_keep_the_answer_mix():
    answers = ["yes"] * 160 + ["no"] * 40  # 80 / 20
    splits = assign(stratify=True, answers=answers)
    for split, size in (("dev", 40), ("test", 40)):
        mix = Counter(a for a, s in zip(answers, splits, strict=True) if s == split)
        assert sum(mix.values()) == size and abs(mix["no"] - size * 0.2) <= 1, (split, mix)


def test_splits_from_the_file_are_kept():
    given = ["test"] * 10 + [None] * 90
    splits = assign(n=100, given=given)
    assert splits[:10] == ["test"] * 10
    assert Counter(splits[10:]) == {"train": 54, "dev": 18, "test": 18}


def test_warnings_for_small_splits_and_leaks():
    warnings = split_warnings(["a", "b", "a", "c"], ["train", "dev", "test", "train"])
    text = " ".join(warnings)
    assert "dev split has only 1" in text and "test split has only 1" in text
    assert "train split has only 2" in text and "1 question(s) appear in more than one split" in text
    assert split_warnings([f"q{i}" for i in range(60)], ["train"] * 20 + ["dev"] * 20 + ["test"] * 20) == []
