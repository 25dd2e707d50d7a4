"""llama.cpp grammars (GBNF) that keep a small model's plans and executions in shape.

A plan may only be a JSON object of step keys with empty values, ending in "Answer"; an
execution must fill exactly its plan's keys, in order, and its answer value is limited to
the answer space when the scorer knows it (labels, yes/no, letters, numbers). Measured on
SmolLM2-135M (../shared/notes/small-models.md): 0 of 4 free-text plans were readable JSON,
4 of 4 under such a grammar, and 17 of 17 executions under a plan grammar parsed.

Server backends ignore `grammar`; `json_schema` carries the execution's shape for them.
"""

from __future__ import annotations

import json
from dataclasses import replace

from debop_desktop.core.llm.base import GenerationParams
from debop_desktop.core.optimizer.demos import ANSWER_KEY, MAX_STEPS, Plan
from debop_desktop.core.scoring.answer_space import AnswerSpace

PLAN_STEPS = 5  # most steps a plan may have under the grammar (the paper's plans have 3-5)
STEP_OVERHEAD = 12  # quotes, colon, comma, empty value and whitespace around one step
ROOT_OVERHEAD = 24  # braces, the "Answer" key and its whitespace

_COMMON = r'''
ws ::= [ \t\n]{0,2}
char ::= [^"\\\x00-\x1f] | "\\" ["\\/nt]
'''


def literal(text: str) -> str:
    """A GBNF string literal that matches `text` exactly."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def plan_grammar(max_tokens: int = 256, max_steps: int = PLAN_STEPS) -> str:
    """A JSON object of 1..max_steps step keys with empty values, then "Answer": "". Step
    names are short enough that any plan the grammar allows ends within `max_tokens` (a
    token is at least one character), so even a model that writes nonsense ends it."""
    name_chars = max(4, (max_tokens - ROOT_OVERHEAD) // max_steps - STEP_OVERHEAD)
    return (f'root ::= "{{" ws step ("," ws step){{0,{max_steps - 1}}} "," ws '
            f'{literal(json.dumps(ANSWER_KEY))} ws ":" ws "\\"\\"" ws "}}"\n'
            'step ::= "\\"" stepname "\\"" ws ":" ws "\\"\\""\n'
            f'stepname ::= [A-Za-z0-9] [^"\\\\\\x00-\\x1f{{}}]{{0,{name_chars - 1}}}' + _COMMON)


def _value_rule(max_tokens: int, n_values: int) -> str:
    # About three characters per token for real text; the answer is kept within reach.
    chars = max(16, 3 * max_tokens // max(1, n_values))
    return f'value ::= "\\"" char{{0,{chars}}} "\\""\n'


def answer_rule(space: AnswerSpace) -> str:
    """The GBNF rule `answer` for the answer value (a JSON string) in this answer space."""
    quote = '"\\""'
    if space.kind in ("labels", "yes_no", "true_false"):
        words = list(dict.fromkeys(w for a in space.allowed() for w in (a, a.lower(), a.capitalize())))
        return f'answer ::= {quote} ({" | ".join(literal(w) for w in words)}) {quote}'
    if space.kind == "choice":
        letters = space.values or tuple(chr(c) for c in range(ord("A"), ord("Z") + 1))
        alternatives = " | ".join(literal(x) for x in letters)
        return f'answer ::= {quote} ("(" ({alternatives}) ")" | ({alternatives})) {quote}'
    if space.kind == "number":
        return f'answer ::= {quote} "-"? [0-9] [0-9,]{{0,15}} ("." [0-9]{{1,8}})? {quote}'
    return "answer ::= value"


def execution_grammar(plan: Plan, space: AnswerSpace, max_tokens: int = 192) -> str:
    """Exactly the plan's keys in order, each with a string value, the answer constrained."""
    parts = [f'{literal(json.dumps(step, ensure_ascii=False))} ws ":" ws value "," ws' for step in plan.steps[:-1]]
    answer = f'{literal(json.dumps(ANSWER_KEY))} ws ":" ws answer'
    return (f'root ::= "{{" ws {" ".join(parts)} {answer} ws "}}"\n{answer_rule(space)}\n'
            f'{_value_rule(max_tokens, len(parts))}{_COMMON}')


def demonstration_grammar(space: AnswerSpace, max_tokens: int = 192, max_steps: int = MAX_STEPS) -> str:
    """Any filled plan (step keys with string values) ending in a constrained "Answer"; for
    rewrites, whose steps may change."""
    return (f'root ::= "{{" ws (step "," ws){{0,{max_steps}}} {literal(json.dumps(ANSWER_KEY))} ws ":" ws '
            f'answer ws "}}"\nstep ::= "\\"" stepname "\\"" ws ":" ws value\n'
            'stepname ::= [A-Za-z0-9] [^"\\\\\\x00-\\x1f]{0,60}\n'
            f'{answer_rule(space)}\n{_value_rule(max_tokens, 4)}{_COMMON}')


def execution_schema(plan: Plan, space: AnswerSpace) -> str:
    """The same shape as JSON Schema, for servers that take `response_format`."""
    answer: dict = {"type": "string"}
    if space.allowed():
        answer["enum"] = list(space.allowed())
    properties = {step: {"type": "string"} for step in plan.steps[:-1]} | {ANSWER_KEY: answer}
    return json.dumps({"type": "object", "properties": properties, "required": list(properties),
                       "additionalProperties": False}, ensure_ascii=False)


def execution_params(params: GenerationParams, plan: Plan | None, space: AnswerSpace,
                     structured: bool) -> GenerationParams:
    """`params` for executing `plan` (None: any filled plan, e.g. a rewrite): under a grammar
    with exactly its keys and a constrained answer when the run uses structured output."""
    if not structured:
        return params
    if plan is None:
        return replace(params, grammar=demonstration_grammar(space, params.max_tokens))
    return replace(params, grammar=execution_grammar(plan, space, params.max_tokens),
                   json_schema=execution_schema(plan, space))
