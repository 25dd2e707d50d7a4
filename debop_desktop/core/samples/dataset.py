"""Create a task from a built-in sample generator: examples, splits and worked examples."""

from __future__ import annotations

from dataclasses import dataclass

from debop_desktop.core.datasets.repository import Dataset, DatasetRepository, NewExample, WorkedExample
from debop_desktop.core.datasets.splits import CLASSIFICATION_TYPES, SplitSpec, assign_splits, split_warnings
from debop_desktop.core.samples import SAMPLE_TASKS


@dataclass(frozen=True)
class SampleResult:
    dataset: Dataset
    requested: int
    warnings: list[str]

    @property
    def capped(self) -> bool:
        """Fewer distinct questions exist at this level than were asked for."""
        return self.dataset.size < self.requested


def create_sample_dataset(repo: DatasetRepository, task_name: str, *, n: int = 200, seed: int = 1,
                          difficulty: int = 1, split: str = "60/20/20", name: str | None = None) -> SampleResult:
    task = SAMPLE_TASKS[task_name]
    pairs = task.generate(n, seed=seed, difficulty=difficulty)
    splits = assign_splits([q for q, _ in pairs], [a for _, a in pairs], [None] * len(pairs), SplitSpec.parse(split),
                           seed, stratify=task.answer_type in CLASSIFICATION_TYPES)
    examples = [NewExample(q, a, s) for (q, a), s in zip(pairs, splits, strict=True)]
    worked = [WorkedExample(q, r, a) for q, r, a in task.worked(3, seed, difficulty, exclude={q for q, _ in pairs})]
    dataset = repo.create(
        name=name or f"{task.title} (level {difficulty})", examples=examples, instruction=task.instruction,
        answer_type=task.answer_type, scorer=task.scorer,
        scorer_options={"ordered": True} if task.scorer == "word_list" else {},
        source=f"sample:{task.name}:seed={seed}:difficulty={difficulty}", split_seed=seed, worked_examples=worked)
    return SampleResult(dataset, n, split_warnings([e.input for e in examples], splits))
