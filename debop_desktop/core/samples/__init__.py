"""Built-in sample tasks, generated here from a seed (no external data).

In the spirit of BIG-Bench Hard's algorithmic tasks, each with an instruction, an answer
type, a scorer and a difficulty knob (1 = easy enough for a 135M model to gain from a good
demonstration, 3 = a challenge for 3–8B models). Same seed, same examples.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from debop_desktop.core.samples import arithmetic, reasoning

Generator = Callable[[random.Random, int], tuple[str, str]]


@dataclass(frozen=True)
class SampleTask:
    name: str
    title: str
    instruction: str
    answer_type: str
    scorer: str
    generator: Generator

    def generate(self, n: int, seed: int = 0, difficulty: int = 1) -> list[tuple[str, str]]:
        """Up to `n` distinct (question, answer) pairs. Fewer when the task has fewer distinct
        questions at this level (single-digit sums: 100); never duplicates, which would leak
        between the train, dev and test splits."""
        if difficulty not in (1, 2, 3):
            raise ValueError("difficulty is 1, 2 or 3")
        rng = random.Random(f"{self.name}:{seed}:{difficulty}")
        seen: set[str] = set()
        out: list[tuple[str, str]] = []
        misses = 0
        while len(out) < n and misses < 2000:
            question, answer = self.generator(rng, difficulty)
            if question in seen:
                misses += 1
                continue
            misses = 0
            seen.add(question)
            out.append((question, answer))
        return out

    def worked(self, k: int, seed: int, difficulty: int, exclude: set[str]) -> list[tuple[str, str, str]]:
        """Up to `k` worked examples, from their own seed stream and never one of `exclude`
        (the task's own questions), so no demonstration gives away a dev or test answer."""
        from debop_desktop.core.samples.worked import worked_examples

        pairs = [p for p in self.generate(k + len(exclude), seed=seed + 7919, difficulty=difficulty)
                 if p[0] not in exclude][:k]
        return worked_examples(self.name, pairs)


SAMPLE_TASKS: dict[str, SampleTask] = {t.name: t for t in [
    SampleTask("arithmetic", "Arithmetic word problems",
               "Solve the arithmetic problem. Give the final answer as a number.",
               "number", "number", arithmetic.arithmetic),
    SampleTask("object_counting", "Counting objects",
               "Count the objects of the kind asked about. Give the answer as a number.",
               "number", "number", arithmetic.object_counting),
    SampleTask("boolean_expressions", "Boolean expressions",
               "Evaluate the boolean expression. Answer True or False.",
               "true_false", "true_false", arithmetic.boolean_expression),
    SampleTask("compare_numbers", "Which number is larger",
               "Say which of the two numbers is larger. Give that number.",
               "number", "number", arithmetic.compare_numbers),
    SampleTask("date_arithmetic", "Date arithmetic",
               "Work out the date and choose the matching option.",
               "choice", "choice", reasoning.date_arithmetic),
    SampleTask("word_sorting", "Sorting words",
               "Sort the words alphabetically. Give them separated by spaces.",
               "word_list", "word_list", reasoning.word_sorting),
    SampleTask("logical_deduction", "Ordering puzzles",
               "Use the clues to work out the order, then choose the matching option.",
               "choice", "choice", reasoning.logical_deduction),
    SampleTask("tracking_shuffled_objects", "Tracking swapped objects",
               "Follow the swaps and choose who ends up with what.",
               "choice", "choice", reasoning.tracking_shuffled_objects),
]}
