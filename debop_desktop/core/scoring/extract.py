"""Find the answer in a model's free-form output.

The order, first match wins (documented in docs/scoring.md):
1. the `answer` field of the last JSON object that has one (DeBoP's execution sequences end
   with it; keys are matched without regard to case, spaces or underscores, so "Answer",
   "final answer" and "final_answer" count);
2. the last "So the answer is X" (BIG-Bench Hard's chain-of-thought phrasing);
3. the last "Answer: X" / "The answer is X" / "Final answer: X";
4. the last non-empty line.
A scorer that cannot read its kind of answer from that text looks at the whole output as a
last resort (e.g. the number scorer takes the last number). Never raises.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_SO_THE_ANSWER = re.compile(r"so the (?:final )?answer is\s*:?\s*(.+?)(?:\.\s*$|\.\s+|\n|$)", re.I | re.S)
_ANSWER_IS = re.compile(
    r"\b(?:final answer\b\s*(?:is)?\s*[:=]?|the answer is\b\s*:?|answer\s*[:=])\s*(.+?)\s*$",
    re.I | re.M)
_ANSWER_KEYS = {"answer", "finalanswer", "theanswer"}


@dataclass(frozen=True)
class Extraction:
    text: str | None  # None: nothing that looks like an answer
    method: str  # "json", "so_the_answer", "answer_label", "last_line", "none"


def extract_answer(output: str) -> Extraction:
    try:
        return _extract(output if isinstance(output, str) else str(output))
    except Exception:  # model output must never crash scoring
        return Extraction(None, "none")


def _extract(output: str) -> Extraction:
    found = _json_answer(output)
    if found is not None:
        return Extraction(found, "json")
    matches = list(_SO_THE_ANSWER.finditer(output))
    if matches:
        return Extraction(_clean(matches[-1].group(1)), "so_the_answer")
    matches = list(_ANSWER_IS.finditer(output))
    if matches:
        return Extraction(_clean(matches[-1].group(1)), "answer_label")
    lines = [ln.strip() for ln in output.strip().splitlines() if ln.strip()]
    if lines:
        return Extraction(_clean(lines[-1]), "last_line")
    return Extraction(None, "none")


def _clean(text: str) -> str:
    text = text.strip().strip("`*").strip()
    return text[:-1].rstrip() if text.endswith(".") else text


def _json_answer(output: str) -> str | None:
    """The answer field of the last parseable JSON object in the text."""
    answer = None
    for obj in iter_json_objects(output):
        for key, value in obj.items():
            if re.sub(r"[\s_\-]", "", str(key)).lower() in _ANSWER_KEYS and value not in (None, ""):
                answer = value if isinstance(value, str) else json.dumps(value)
    return answer.strip() if isinstance(answer, str) else None


def iter_json_objects(text: str):
    """Yield every top-level JSON object in `text`, tolerating code fences and trailing
    commas (small models write both)."""
    depth, start, in_str, esc = 0, -1, False, False
    for i, ch in enumerate(text):
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            continue
        if ch == '"' and depth > 0:
            in_str = True
        elif ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                obj = _loads_tolerant(text[start : i + 1])
                if isinstance(obj, dict):
                    yield obj


def _loads_tolerant(chunk: str):
    for candidate in (chunk, re.sub(r",\s*([}\]])", r"\1", chunk)):
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    return None
