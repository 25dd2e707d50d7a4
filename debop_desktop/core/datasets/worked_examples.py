"""Read hand-written chain-of-thought demonstrations ("Q: … A: … So the answer is X.")."""

from __future__ import annotations

import re

from debop_desktop.core.datasets.repository import WorkedExample
from debop_desktop.core.scoring.extract import extract_answer

_BLOCK = re.compile(r"(?:^|\n)Q:\s*(.*?)\nA:\s*(.*?)(?=\n\s*\nQ:|\Z)", re.S)


def parse_worked_examples(text: str) -> list[WorkedExample]:
    """Parse BIG-Bench Hard style prompt files: an optional header (a canary line, `-----`, a
    task description), then blocks of `Q: question` and `A: reasoning … So the answer is X.`"""
    body = text.split("\n-----\n", 1)[1] if "\n-----\n" in text else text
    examples = []
    for question, reasoning in _BLOCK.findall(body):
        answer = extract_answer(reasoning).text or ""
        examples.append(WorkedExample(question.strip(), reasoning.strip(), answer))
    return examples
