"""Every prompt DeBoP sends, in one place. Task-agnostic: the task arrives as its
instruction and examples; nothing here knows what the task is about."""

from __future__ import annotations

from collections.abc import Sequence

from debop_desktop.core.datasets.repository import WorkedExample
from debop_desktop.core.llm.base import ChatMessage
from debop_desktop.core.optimizer.demos import Demonstration, Plan

PLAN_SYSTEM = "You are an expert at breaking problems into clear, reusable steps."
# Used only when the model writes no usable plan at all (common below ~1B parameters).
GENERIC_PLAN = Plan(("Read the question", "Work it out step by step", "Answer"),
                    "(generic plan: the model's own plans could not be read)")
OPERATORS = ("consolidate", "decompose", "elaborate", "prune", "resample", "simplify")
OPERATOR_INSTRUCTIONS = {
    "consolidate": "Merge steps that belong together, so there are fewer, larger steps.",
    "decompose": "Split the hardest step into two or three smaller steps.",
    "elaborate": "Explain the reasoning inside each step in more detail.",
    "prune": "Remove the least useful step.",
    "simplify": "Make the steps simpler and clearer; reorder them if that helps.",
}


def plan_messages(instruction: str, examples: Sequence[tuple[str, str]]) -> list[ChatMessage]:
    shown = "\n\n".join(f"Question: {q}\nAnswer: {a}" for q, a in examples)
    return [ChatMessage("system", PLAN_SYSTEM), ChatMessage("user", (
        f"Task: {instruction or 'Answer the question.'}\n\nExamples:\n{shown}\n\n"
        "First write a few short guidelines for solving questions like these. Then write a plan: "
        "the key steps for solving any such question, as one JSON object whose keys are the steps "
        'and whose values are empty strings. The last key must be "Answer". For example:\n'
        '{"<key step 1>": "", "<key step 2>": "", "Answer": ""}'))]


def execute_prompt(question: str, plan: Plan, *, zero_shot: bool = False) -> str:
    """Compact on purpose: the question, then the plan's JSON template. Measured on
    SmolLM2-135M with one demonstration (30 single-digit sums): 90% right with this form,
    33% when the turn also repeated the instruction and a sentence about filling the plan."""
    hint = "Fill in this plan as JSON, ending with the answer:\n" if zero_shot else ""
    return f"{question}\n{hint}{plan.template()}"


def execution_messages(instruction: str, question: str, plan: Plan,
                       demo: Demonstration | None = None) -> list[ChatMessage]:
    """Zero-shot (plan only) or the tuned behavior: the instruction as the system message,
    the demonstration as a one-shot chat turn, then the real question with the same plan.
    The shared prefix is what the engine's prefix reuse makes almost free across a split."""
    messages = [ChatMessage("system", instruction)] if instruction else []
    if demo is not None:
        messages += [ChatMessage("user", execute_prompt(demo.question, demo.plan)),
                     ChatMessage("assistant", demo.filled_json())]
        plan = demo.plan
    messages.append(ChatMessage("user", execute_prompt(question, plan, zero_shot=demo is None)))
    return messages


def operator_messages(operator: str, demo: Demonstration) -> list[ChatMessage]:
    return [ChatMessage("user", (
        f"Here is a worked example that solves a question step by step, as JSON.\n\n"
        f"Question: {demo.question}\n{demo.filled_json()}\n\n{OPERATOR_INSTRUCTIONS[operator]} "
        f'Keep the same question and the same final answer. Reply with only the new JSON object, '
        f'ending with "Answer".'))]


DIRECT_FORMAT = "Answer with just the answer."
# Appended after a step-by-step reply that ends without an answer the scorer can find (or runs
# out of tokens): the answer-extraction turn of zero-shot chain of thought (Kojima et al., 2022).
ANSWER_NOW = "So what is the final answer? {format_line}"


def direct_messages(instruction: str, question: str, format_line: str = DIRECT_FORMAT) -> list[ChatMessage]:
    """What a person would type: the instruction, the question, and the answer format the
    scorer reads (the label set, yes/no, the letters, a number)."""
    return [ChatMessage("user", f"{instruction}\n\nQuestion: {question}\n{format_line}".lstrip())]


def few_example_messages(instruction: str, question: str, examples: Sequence[tuple[str, str]],
                         format_line: str = DIRECT_FORMAT) -> list[ChatMessage]:
    """A few solved train questions as chat turns (the direct prompt, then the bare answer),
    then the real question the same way: what a person would try by hand."""
    messages: list[ChatMessage] = []
    for q, a in examples:
        messages += [*direct_messages(instruction, q, format_line), ChatMessage("assistant", a)]
    return messages + direct_messages(instruction, question, format_line)


def zero_shot_cot_messages(instruction: str, question: str, answer_phrase: str = "the answer") -> list[ChatMessage]:
    """No placeholder to fill: told to finish with "So the answer is X." where X is the letter,
    SmolLM2-135M wrote "X" itself on 13 of 16 multiple-choice questions (two sample tasks, 8
    each); with this wording on none, and all 32 replies over four sample tasks ended in an
    answer the extractor finds."""
    return [ChatMessage("user", (f"{instruction}\n\nQuestion: {question}\nLet's think step by step. "
                                 f'End with "So the answer is" followed by {answer_phrase}.').lstrip())]


def answer_now_messages(messages: Sequence[ChatMessage], reply: str, format_line: str) -> list[ChatMessage]:
    """The follow-up turn that asks for the final answer after a step-by-step reply."""
    return [*messages, ChatMessage("assistant", reply),
            ChatMessage("user", ANSWER_NOW.format(format_line=format_line))]


def worked_example_messages(instruction: str, question: str,
                            worked: Sequence[WorkedExample]) -> list[ChatMessage]:
    messages = []
    for w in worked:
        messages += [ChatMessage("user", f"{instruction}\n\nQuestion: {w.question}".lstrip()),
                     ChatMessage("assistant", w.reasoning)]
    messages.append(ChatMessage("user", f"{instruction}\n\nQuestion: {question}".lstrip()))
    return messages
