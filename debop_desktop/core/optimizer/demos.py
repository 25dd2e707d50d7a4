"""Plans and demonstrations, and tolerant parsing of what a small model writes for them.

A plan is an ordered list of key steps ending with "Answer". A demonstration is a plan
filled in for one train question: the execution sequence a model is shown as a one-shot
example. Small models write broken JSON, so parsing takes the first usable object and
tolerates code fences and trailing commas; what cannot be used is reported, never raised.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from debop_desktop.core import messages
from debop_desktop.core.scoring.extract import iter_json_objects

ANSWER_KEY = "Answer"
MAX_STEPS = 12
_ANSWER_KEYS = {"answer", "final answer", "finalanswer", "the answer"}


def is_answer_key(key: str) -> bool:
    return re.sub(r"[_\-]", " ", key).strip().lower() in _ANSWER_KEYS


@dataclass(frozen=True)
class Plan:
    steps: tuple[str, ...]  # the last one is "Answer"
    guidelines: str = ""

    def template(self) -> str:
        return json.dumps({s: "" for s in self.steps}, ensure_ascii=False)


@dataclass(frozen=True)
class Demonstration:
    question: str
    steps: tuple[tuple[str, str], ...]  # (step, filled value); the last is the answer
    expected: str  # the train example's known answer
    example_id: int | None = None
    source: str = "execution"  # execution | worked_example | direct | operator:<name>
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def plan(self) -> Plan:
        return Plan(tuple(k for k, _ in self.steps))

    @property
    def answer(self) -> str:
        return self.steps[-1][1] if self.steps else ""

    def filled_json(self) -> str:
        return json.dumps(dict(self.steps), ensure_ascii=False)

    def to_json(self) -> str:
        return json.dumps({"question": self.question, "steps": [list(s) for s in self.steps],
                           "expected": self.expected, "example_id": self.example_id,
                           "source": self.source}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Demonstration:
        d = json.loads(text)
        return cls(d["question"], tuple((k, v) for k, v in d["steps"]), d["expected"],
                   d.get("example_id"), d.get("source", "execution"))

    def with_steps(self, steps: list[tuple[str, str]], source: str) -> Demonstration:
        return Demonstration(self.question, tuple(steps), self.expected, self.example_id, source)


def parse_plan(text: str) -> tuple[Plan | None, str]:
    """(plan, "") or (None, why it is unusable). Guidelines are the text before the JSON."""
    for obj in iter_json_objects(text or ""):
        keys = [str(k).strip() for k in obj if str(k).strip()]
        if not keys or len(keys) > MAX_STEPS + 1 or any(len(k) > 160 for k in keys):
            continue
        if any(isinstance(v, dict | list) for v in obj.values()):
            continue  # nested junk is not a plan of steps
        steps = [k for k in keys if not is_answer_key(k)]
        if not steps:
            continue
        guidelines = text.split("{", 1)[0].strip()[:1000]
        return Plan(tuple(steps[:MAX_STEPS]) + (ANSWER_KEY,), guidelines), ""
    return None, "no JSON object of steps in the model's reply"


def parse_execution(text: str) -> list[tuple[str, str]] | None:
    """The filled steps of an execution sequence, the answer moved last; None if unusable."""
    for obj in iter_json_objects(text or ""):
        pairs = [(str(k).strip(), _value_text(v)) for k, v in obj.items() if str(k).strip()]
        answers = [(k, v) for k, v in pairs if is_answer_key(k) and v.strip()]
        if not answers:
            continue
        steps = [(k, v) for k, v in pairs if not is_answer_key(k)][:MAX_STEPS]
        return steps + [(ANSWER_KEY, answers[-1][1].strip())]
    return None


def _value_text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    return json.dumps(value, ensure_ascii=False) if value is not None else ""


def readable_output(text: str) -> str:
    """A model's output as a person reads it: a filled plan as numbered steps ending in the
    answer, followed by the reply exactly as written; any other reply unchanged."""
    steps = parse_execution(text)
    if not steps:
        return text
    lines = [f"{i}. {key}: {value}" for i, (key, value) in enumerate(steps[:-1], 1)]
    lines.append(f"{ANSWER_KEY}: {steps[-1][1]}")
    return "\n".join(lines) + f"\n\n{messages.OUTPUT_AS_WRITTEN}\n{text.strip()}"
