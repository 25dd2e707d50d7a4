"""A plan the model wrote, followed without an example (DeBoP's Collect stage scores each plan
this way on dev). It competes with every other try and can ship: the plan is kept in the
run's kit (`RunOutcome.kit["plan"]`), so `ask`, the Playground and exports rebuild it.
"""

from __future__ import annotations

from debop_desktop.core.behaviors.base import AnswerSettings
from debop_desktop.core.behaviors.prompted import PromptBehavior
from debop_desktop.core.llm.base import ChatMessage, GenerationParams
from debop_desktop.core.optimizer.grammar import execution_params
from debop_desktop.core.optimizer.prompts import execution_messages

PLAN_PREFIX = "plan:"  # a plan's candidate name in a run's pool: "plan:<k>", k its index among the run's plans


class ZeroShotPlan(PromptBehavior):
    """The instruction, the question and the plan's template to fill, answered greedily with
    the run's `max_tokens` (under the plan's grammar when the run used structured output):
    exactly as the plan was scored on dev."""

    name = "zero_shot_plan"
    comparable = False  # one per plan the run wrote: it competes when the run has plans
    label = "A plan the model wrote, followed step by step"
    simple = False
    needs_search = True
    call_kind = "evaluation"  # answered as a try of the search is scored

    @classmethod
    def build(cls, kit, settings):
        return cls(kit, settings) if kit.plan is not None else None

    @classmethod
    def token_limit(cls, settings: AnswerSettings) -> int:
        return settings.max_tokens

    def messages(self, question: str) -> list[ChatMessage]:
        assert self.kit.plan is not None
        return execution_messages(self.kit.instruction, question, self.kit.plan)

    def generation_params(self) -> GenerationParams:
        assert self.kit.plan is not None  # `build` makes none without a plan
        return execution_params(super().generation_params(), self.kit.plan, self.kit.space,
                                self.settings.structured_output)

BUILT_IN = (ZeroShotPlan,)
