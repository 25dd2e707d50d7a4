"""Step-by-step worked examples for the sample tasks, as JSON execution sequences.

They play the part of the demonstrations a person brings with their own task: shown to the
model as the "worked examples" baseline, and the starting point of the search when the
model cannot write a usable demonstration itself. Each is computed from the question text.
"""

from __future__ import annotations

import json
import re

from debop_desktop.core.samples.arithmetic import _CATEGORIES, _evaluate, _plural

_COUNTS = {"a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def explain(task: str, question: str, answer: str) -> dict[str, str] | None:
    """The steps that lead from `question` to `answer`, or None for tasks without them."""
    if task == "arithmetic":
        m = re.fullmatch(r"What is (\d+) ([+-]) (\d+)\?", question)
        if m:
            return {"Read the numbers": f"{m[1]} and {m[3]}",
                    "Calculate": f"{m[1]} {m[2]} {m[3]} = {answer}", "Answer": answer}
        boxes, per, sold, more = re.findall(r"\d+", question)
        start = int(boxes) * int(per)
        return {"Count at the start": f"{boxes} x {per} = {start}",
                "After selling": f"{start} - {sold} = {start - int(sold)}",
                "After the delivery": f"{start - int(sold)} + {more} = {answer}", "Answer": answer}
    if task == "compare_numbers":
        a, b = re.findall(r"\d+(?:\.\d+)?", question)
        return {"The two numbers": f"{a} and {b}", "Compare": f"{answer} is larger", "Answer": answer}
    if task == "boolean_expressions":
        expr = question.removesuffix(" is")
        return {"Expression": expr, "Evaluate": f"{expr} = {_evaluate(expr.split())}", "Answer": answer}
    if task == "object_counting":
        category = re.search(r"How many (.+) do I have\?", question)[1]
        kinds = _CATEGORIES[category]
        found = [(n, thing) for n, thing in re.findall(r"(a|an|two|three|four|five) ([a-z ]+?)(?:,|\.| and)",
                                                       question) if thing in {_plural(k, _COUNTS[n]) for k in kinds}]
        listing = ", ".join(f"{n} {t}" for n, t in found)
        total = " + ".join(str(_COUNTS[n]) for n, _ in found)
        return {f"The {category}": listing, "Add them up": f"{total} = {answer}", "Answer": answer}
    return None


def worked_examples(task_name: str, pairs: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(question, reasoning as JSON steps, answer) for each pair the task can explain."""
    out = []
    for question, answer in pairs:
        steps = explain(task_name, question, answer)
        if steps is not None:
            out.append((question, json.dumps(steps, ensure_ascii=False), answer))
    return out
