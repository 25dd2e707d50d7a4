"""The six operators that turn a demonstration into a new one.

Each asks the same small model to rewrite the demonstration (Resampling executes its plan
on another train question instead). A rewrite is kept only if it parses and still reaches
the known answer. When the model's rewrite is unusable, a structural edit the code can
make itself stands in (merge two steps, split one, drop one, shorten values), so the
search still moves; Elaboration and Resampling have no such stand-in.
"""

from __future__ import annotations

import random
import re
from collections.abc import Generator, Sequence

from debop_desktop.core.datasets.repository import Example
from debop_desktop.core.optimizer.demos import Demonstration, parse_execution
from debop_desktop.core.optimizer.evaluate import RunContext
from debop_desktop.core.optimizer.events import Event
from debop_desktop.core.optimizer.prompts import execution_messages, operator_messages
from debop_desktop.core.scoring.scorers import score_output

Outcome = Generator[Event, None, Demonstration | None]


def rewrite_kind(operator: str) -> str:
    """The kind of call (eta.py) that makes a try with `operator`: every try kept cost exactly one."""
    return "execution" if operator == "resample" else "operator"


def apply_operator(ctx: RunContext, operator: str, demo: Demonstration, rng: random.Random,
                   train: Sequence[Example]) -> Outcome:
    if operator == "resample":
        return (yield from _resample(ctx, demo, rng, train))
    completion = yield from ctx.call(operator_messages(operator, demo), ctx.execution_params(None),
                                     rewrite_kind(operator))
    yield ctx.progress()
    steps = parse_execution(completion.text) if completion else None
    if steps and len(steps) > 1 and _reaches(ctx, steps[-1][1], demo):
        candidate = demo.with_steps(steps, f"operator:{operator}")
        if candidate.steps != demo.steps:
            return candidate
    return structural_edit(operator, demo, rng)


def _reaches(ctx: RunContext, answer: str, demo: Demonstration) -> bool:
    return score_output(answer, demo.expected, ctx.scorer, demo.question).correct


def _resample(ctx: RunContext, demo: Demonstration, rng: random.Random,
              train: Sequence[Example]) -> Outcome:
    """Execute the demonstration's plan on another train question, with the demonstration
    as its example; keep the new one if it reaches that question's answer."""
    others = [e for e in train if e.id != demo.example_id]
    if not others:
        return None
    example = others[rng.randrange(len(others))]
    messages = execution_messages(ctx.instruction, example.input, demo.plan, demo)
    completion = yield from ctx.call(messages, ctx.execution_params(demo.plan), rewrite_kind("resample"))
    yield ctx.progress()
    steps = parse_execution(completion.text) if completion else None
    if not steps:
        return None
    if not score_output(steps[-1][1], example.answer, ctx.scorer, example.input).correct:
        return None
    return Demonstration(example.input, tuple(steps), example.answer, example.id, "operator:resample")


def structural_edit(operator: str, demo: Demonstration, rng: random.Random) -> Demonstration | None:
    """The stand-in edit for an unusable rewrite; None when there is nothing to change."""
    body, answer = list(demo.steps[:-1]), demo.steps[-1]
    if operator == "consolidate" and len(body) >= 2:
        i = rng.randrange(len(body) - 1)
        (k1, v1), (k2, v2) = body[i], body[i + 1]
        body[i : i + 2] = [(f"{k1} and {k2.lower()}", f"{v1}; {v2}".strip("; "))]
    elif operator == "decompose" and body:
        i = max(range(len(body)), key=lambda j: len(body[j][1]))
        key, value = body[i]
        parts = [p.strip() for p in re.split(r"(?<=[.;,])\s+", value) if p.strip()]
        if len(parts) < 2:
            return None
        half = len(parts) // 2
        body[i : i + 1] = [(f"{key} (part 1)", " ".join(parts[:half])),
                           (f"{key} (part 2)", " ".join(parts[half:]))]
    elif operator == "prune" and body:
        del body[rng.randrange(len(body))]
    elif operator == "simplify" and body:
        shorter = [(k, re.split(r"(?<=[.;])\s+", v)[0]) for k, v in body]
        if shorter == body:
            return None
        body = shorter
    else:
        return None
    return demo.with_steps(body + [answer], f"structural:{operator}")
