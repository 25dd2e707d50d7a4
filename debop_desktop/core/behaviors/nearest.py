"""Nearest examples: for each question, the train questions most like it, with their answers,
as solved examples (the few-examples prompt with examples chosen per question; KATE, Liu et
al., 2022; DSPy's KNNFewShot). Similarity is BM25 over words (bm25.py): no second model.

The train questions it draws from are its preparation (`prepare`: `pool_of` the train split,
shared with its pick by probability) and travel in the run's kit (`PromptKit.pool`, saved in
the summary), so `ask`, the Playground and exports rebuild the identical prompt for a question.
The most similar example comes last, next to the question.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar

from debop_desktop.core import behaviors
from debop_desktop.core import messages as msg
from debop_desktop.core.behaviors.bm25 import BM25
from debop_desktop.core.behaviors.prompted import PromptBehavior
from debop_desktop.core.llm.base import ChatMessage
from debop_desktop.core.optimizer.prompts import few_example_messages

K = 4  # examples per question (the probe tried 4 and 8 on film reviews: 8 was no better)
POOL_MAX = 1000  # train questions kept in the kit at most (a sample in train order beyond this)


class NearestExamples(PromptBehavior):
    name = "nearest_examples"
    rank = 1  # a rule: the examples change with the question, and a file carries one fixed set
    label = msg.NEAREST_EXAMPLES_LABEL
    uses_pool: ClassVar[bool] = True  # it draws from the train pool (`train_pool`)
    k: ClassVar[int] = K

    @classmethod
    def prepare(cls, kit, run):
        """The train questions it draws from (`pool_of`), once per run; a resumed run's kit holds
        them."""
        if kit.pool:
            return kit
        pool = pool_of(run.examples, run.seed)
        return replace(kit, pool=pool) if pool else kit
        yield  # a generator like every preparation, though it asks no model

    @classmethod
    def build(cls, kit, settings):
        return cls(kit, settings) if kit.pool else None

    def __init__(self, kit, settings) -> None:
        super().__init__(kit, settings)
        self._index: BM25 | None = None

    def nearest(self, question: str) -> list[tuple[str, str]]:
        """The `k` train pairs most like `question`, the most similar last."""
        if self._index is None:
            self._index = BM25([q for q, _ in self.kit.pool])
        return [self.kit.pool[i] for i in reversed(self._index.top(question, self.k))]

    def messages(self, question: str) -> list[ChatMessage]:
        return few_example_messages(self.kit.instruction, question, self.nearest(question),
                                    self.kit.space.format_line())

    def rule_note(self) -> str:
        return msg.EXPORT_NEAREST_NOTE.format(k=self.k)


def train_pool(train: Sequence[Any], methods: Sequence[str], seed: int) -> tuple[tuple[str, str], ...]:
    """The train (question, answer) pairs a run keeps for the behaviors that draw examples per
    question (`pool_of`); () when none of `methods` does."""
    if not any(getattr(behaviors.kind(m), "uses_pool", False) for m in methods):
        return ()
    return pool_of(train, seed)


def pool_of(train: Sequence[Any], seed: int) -> tuple[tuple[str, str], ...]:
    """The train split's (question, answer) pairs: at most POOL_MAX, a seeded sample kept in
    train order."""
    rows = list(train)
    if len(rows) > POOL_MAX:
        keep = set(random.Random(f"{seed}:pool").sample(range(len(rows)), POOL_MAX))
        rows = [r for i, r in enumerate(rows) if i in keep]
    return tuple((r.input, r.answer) for r in rows)


BUILT_IN = (NearestExamples,)
