"""The DeBoP search's behavior: the best demonstration it found, as a one-shot turn.

Its `prepare` is the search itself (optimizer/stages.py `debop_search`): plans sampled from
the meta-prompt, each scored zero-shot on dev (Collect; a plan followed that way is a behavior
of its own, plan.py), seed demonstrations from their correct executions, then MCTS over six
rewriting operators, each try scored on dev. The run prepares it after the simple behaviors
are scored (the search's reward measures time against theirs) and only when the run searches.
It ships, like any behavior, only when it beats direct prompting on the confirmation questions
by more than noise (candidates.choose).

A run's kit does not keep the search: its plans and nodes are in the run's record, and a
resumed run replays the search with every recorded step taken from there (the same seeded
choices, no model call repeated). The shipped demonstration is the run's best node.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from debop_desktop.core.behaviors.base import AnswerSettings, Preparation
from debop_desktop.core.behaviors.prompted import PromptBehavior
from debop_desktop.core.llm.base import ChatMessage, GenerationParams
from debop_desktop.core.optimizer.grammar import execution_params
from debop_desktop.core.optimizer.prompts import execution_messages

if TYPE_CHECKING:
    from debop_desktop.core.datasets.repository import Example
    from debop_desktop.core.optimizer.candidates import PromptKit
    from debop_desktop.core.optimizer.evaluate import RunContext
    from debop_desktop.core.optimizer.stages import Forest


class SearchPreparation(Preparation, Protocol):
    """What a run offers the search besides what every behavior gets: its context (the
    recorder that lets a resume replay it, the model gateway, the clock), the dev sample
    each try is scored on, and the forest that receives what it finds."""

    ctx: RunContext
    examples: Sequence[Example]  # the train split with its answers (seeds, resampling)
    dev: Sequence[Example]
    forest: Forest


class Tuned(PromptBehavior):
    """The search's best demonstration as a one-shot turn, answered with its plan (under the
    plan's grammar when the run used structured output)."""

    name = "tuned"
    simple = False
    needs_search = True
    call_kind = "evaluation"  # answered as a try of the search is scored

    @classmethod
    def prepare(cls, kit: PromptKit, run: Preparation) -> Generator[Any, None, PromptKit]:
        """Plan, collect and MCTS (`stages.debop_search`) into `run.forest`; the kit with the
        best node's demonstration (None when no try was scored in full). A preparation that
        offers no search (not a run's) leaves the kit as it is."""
        if not hasattr(run, "forest"):
            return kit
        from debop_desktop.core.optimizer.stages import debop_search  # the optimizer imports the registry

        searched: SearchPreparation = run  # type: ignore[assignment]
        forest = yield from debop_search(searched.ctx, kit.worked, searched.examples, searched.dev, searched.forest)
        best = forest.best
        return replace(kit, demo=best.demo if best else None)

    @classmethod
    def build(cls, kit, settings):
        return cls(kit, settings) if kit.demo is not None else None

    @classmethod
    def token_limit(cls, settings: AnswerSettings) -> int:
        return settings.max_tokens

    def messages(self, question: str) -> list[ChatMessage]:
        demo = self.kit.demo
        assert demo is not None
        return execution_messages(self.kit.instruction, question, demo.plan, demo)

    def generation_params(self) -> GenerationParams:
        assert self.kit.demo is not None  # `build` makes none without a demonstration
        return execution_params(super().generation_params(), self.kit.demo.plan, self.kit.space,
                                self.settings.structured_output)


BUILT_IN = (Tuned,)
