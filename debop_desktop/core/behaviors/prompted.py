"""Behaviors that are a prompt: the model writes the answer.

Direct prompting (told the answer format), a few solved train questions, step by step, the
task's own worked examples (the search's tuned demonstration is debop.py). Step-by-step
replies that run out of tokens or end without a stated answer get one short follow-up turn
asking for it; the two replies are kept as one output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from debop_desktop.core.behaviors.base import Answers, AnswerSettings, Behavior, Gateway, Reply
from debop_desktop.core.llm.base import ChatMessage, Completion, GenerationParams
from debop_desktop.core.optimizer.prompts import (
    answer_now_messages,
    few_example_messages,
    worked_example_messages,
    zero_shot_cot_messages,
)
from debop_desktop.core.scoring.extract import extract_answer

REASONING_TOKENS = 256
FOLLOW_UP_TOKENS = 24


class PromptBehavior(Behavior):
    """A prompt answered greedily with `max_tokens`; `follows_up` adds the answer turn."""

    follows_up = False

    def answer_many(self, gateway: Gateway, questions: Sequence[str]) -> Answers:
        prompts = [self.messages(q) for q in questions]
        completions = yield from gateway.chat_many(prompts, self.generation_params())
        if self.follows_up:
            completions = yield from _answers_now(gateway, prompts, completions, self.kit.space.format_line())
        return [Reply(c) for c in completions]


class Direct(PromptBehavior):
    name = "direct"


class FewExamples(PromptBehavior):
    name = "few_examples"

    @classmethod
    def prepare(cls, kit, run):
        """The few solved train questions, drawn once per run with its seed (`pick_few`; its
        pick by probability shows the same); a resumed run's kit holds them."""
        if kit.few:
            return kit
        from debop_desktop.core.optimizer.candidates import pick_few  # the optimizer imports the registry

        few = pick_few(run.examples, run.config.few_examples_k, run.seed)
        return replace(kit, few=few) if few else kit
        yield  # a generator like every preparation, though it asks no model

    @classmethod
    def build(cls, kit, settings):
        return cls(kit, settings) if kit.few else None

    def messages(self, question: str) -> list[ChatMessage]:
        return few_example_messages(self.kit.instruction, question, self.kit.few, self.kit.space.format_line())


class StepByStep(PromptBehavior):
    name = "zero_shot_cot"
    follows_up = True
    follow_up_tokens = FOLLOW_UP_TOKENS

    @classmethod
    def token_limit(cls, settings: AnswerSettings) -> int:
        return max(settings.max_tokens, REASONING_TOKENS)

    def messages(self, question: str) -> list[ChatMessage]:
        return zero_shot_cot_messages(self.kit.instruction, question, self.kit.space.answer_phrase())


class WorkedExamples(StepByStep):
    name = "worked_examples"
    needs_worked_examples = True

    @classmethod
    def build(cls, kit, settings):
        return cls(kit, settings) if kit.worked else None

    def messages(self, question: str) -> list[ChatMessage]:
        return worked_example_messages(self.kit.instruction, question, self.kit.worked)


def states_answer(completion: Completion) -> bool:
    how = extract_answer(completion.text).method
    return completion.finish_reason != "length" and how in ("json", "so_the_answer", "answer_label")


def _answers_now(gateway: Gateway, prompts: list[list[ChatMessage]], completions: list[Completion | None],
                 format_line: str) -> Answers:
    need = [i for i, c in enumerate(completions) if c is not None and not states_answer(c)]
    if not need:
        return completions
    turns = [answer_now_messages(prompts[i], completions[i].text, format_line) for i in need]  # type: ignore[union-attr]
    again = yield from gateway.chat_many(turns, GenerationParams(max_tokens=FOLLOW_UP_TOKENS, temperature=0.0),
                                         follow_up=True)
    out = list(completions)
    for i, second in zip(need, again, strict=True):
        first = completions[i]
        assert first is not None
        if second is not None:
            out[i] = Completion(f"{first.text}\n\n{second.text}", second.finish_reason,
                                first.prompt_tokens + second.prompt_tokens,
                                first.completion_tokens + second.completion_tokens, first.seconds + second.seconds,
                                first.prompt_tokens_processed + second.prompt_tokens_processed,
                                first.cached and second.cached)
    return out


BUILT_IN = (Direct, FewExamples, StepByStep, WorkedExamples)

