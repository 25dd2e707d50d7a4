"""Every prompt DeBoP sends, in one place. Task-agnostic: the task arrives as its
instruction and examples; nothing here knows what the task is about."""

from __future__ import annotations

from collections.abc import Sequence

from debop_desktop.core.datasets.repository import WorkedExample
from debop_desktop.core.llm.base import ChatMessage
from debop_desktop.core.optimizer.demos import Demonstration, Plan

PLAN_SYSTEM = "You are an expert at breaking problems into clear, reusable steps."
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


def execute_prompt(instruction: str, question: str, plan: Plan) -> str:
    return (f"{instruction}\n\nQuestion: {question}\n\nFill in each step of this plan for the "
            f"question, as JSON, ending with the final answer:\n{plan.template()}").lstrip()


def execution_messages(instruction: str, question: str, plan: Plan,
                       demo: Demonstration | None = None) -> list[ChatMessage]:
    """Zero-shot (plan only) or the tuned behavior: the demonstration as a one-shot chat turn,
    then the real question with the same plan. The shared demonstration prefix is what the
    engine's prefix reuse makes almost free across a dev split."""
    messages = []
    if demo is not None:
        messages += [ChatMessage("user", execute_prompt(instruction, demo.question, demo.plan)),
                     ChatMessage("assistant", demo.filled_json())]
        plan = demo.plan
    messages.append(ChatMessage("user", execute_prompt(instruction, question, plan)))
    return messages


def operator_messages(operator: str, demo: Demonstration) -> list[ChatMessage]:
    return [ChatMessage("user", (
        f"Here is a worked example that solves a question step by step, as JSON.\n\n"
        f"Question: {demo.question}\n{demo.filled_json()}\n\n{OPERATOR_INSTRUCTIONS[operator]} "
        f'Keep the same question and the same final answer. Reply with only the new JSON object, '
        f'ending with "Answer".'))]


def direct_messages(instruction: str, question: str) -> list[ChatMessage]:
    return [ChatMessage("user", f"{instruction}\n\nQuestion: {question}\nAnswer with just the answer.".lstrip())]


def zero_shot_cot_messages(instruction: str, question: str) -> list[ChatMessage]:
    return [ChatMessage("user", (f"{instruction}\n\nQuestion: {question}\nLet's think step by step, "
                                 'then finish with "So the answer is X."').lstrip())]


def worked_example_messages(instruction: str, question: str,
                            worked: Sequence[WorkedExample]) -> list[ChatMessage]:
    messages = []
    for w in worked:
        messages += [ChatMessage("user", f"{instruction}\n\nQuestion: {w.question}".lstrip()),
                     ChatMessage("assistant", w.reasoning)]
    messages.append(ChatMessage("user", f"{instruction}\n\nQuestion: {question}".lstrip()))
    return messages
