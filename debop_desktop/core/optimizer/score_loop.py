"""The one scoring loop every behavior goes through, on dev and on the final exam.

Skip what is recorded; answer the rest in batches through the behavior (decoded together
where the backend can); score; save each batch in one transaction (a resumed run sees whole
batches and repeats the same batch composition); report progress (the model gateway counts
the calls it makes on the run's clock; the loop adds the answers it reuses). Results are
accounted in example order. With racing, the behavior is dropped at a batch's end once even
an optimistic bound on its accuracy cannot beat the best reward so far; the questions it
skips are counted.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Generator, Sequence

from debop_desktop.core.behaviors import Behavior, Reply, RunGateway
from debop_desktop.core.behaviors.base import Answers, Gateway
from debop_desktop.core.datasets.repository import Example
from debop_desktop.core.llm.base import ChatMessage, GenerationParams
from debop_desktop.core.optimizer.evaluate import EvalOutcome, RunContext, batch_size, wilson_bounds
from debop_desktop.core.optimizer.events import Event
from debop_desktop.core.optimizer.recorder import StoredEvaluation
from debop_desktop.core.scoring.scorers import score_output

TOO_LONG = "too long for the model's context"


def score(ctx: RunContext, behavior: Behavior, subject: str, examples: Sequence[Example], *,
          kind: str = "evaluation", node_id: int | None = None, plan_id: int | None = None,
          best_reward: float | None = None) -> Generator[Event, None, EvalOutcome]:
    """`behavior` on `examples` (one subject), reusing what is already recorded. `kind` names
    its calls for the time left; `best_reward` turns racing on (when the run races)."""
    correct = evaluated = 0
    seconds: list[float] = []
    racing = ctx.config.racing and best_reward is not None
    size = batch_size(ctx, racing) if behavior.counts_calls else max(1, len(examples))
    gateway = RunGateway(ctx, kind)
    for start in range(0, len(examples), size):
        part = examples[start:start + size]
        stored = {e.id: ctx.recorder.evaluation(subject, e.id) for e in part}
        missing = [e for e in part if stored[e.id] is None]
        if behavior.counts_calls and len(missing) < len(part):  # the gateway counts the calls it makes
            ctx.clock.account(kind, len(part) - len(missing))  # answers reused from the record
        if missing:
            replies = yield from behavior.answer_many(gateway, [e.input for e in missing])
            fresh = {e.id: _stored(ctx, e, r) for e, r in zip(missing, replies, strict=True)}
            ctx.recorder.save_evaluations(subject, [(e, fresh[e.id]) for e in missing], node_id=node_id,
                                          plan_id=plan_id)
            stored.update(fresh)
        for example in part:
            result = stored[example.id]
            assert result is not None
            if result.reason.startswith("too long"):
                warning = ctx.warn_once(f"overflow:{subject}", f"{subject}: a question with this demonstration "
                                        "is too long for the model's context; it was scored wrong rather "
                                        "than cut short.")
                if warning:
                    yield warning
            evaluated += 1
            correct += result.correct
            seconds.append(ctx.time_cost(result.completion_tokens))
        if behavior.counts_calls:
            yield ctx.progress()
        remaining = len(examples) - evaluated
        if racing and remaining and _hopeless(ctx, correct, evaluated, min(seconds), best_reward):
            ctx.clock.skipped(remaining)
            yield ctx.progress()
            return EvalOutcome(correct / evaluated, statistics.mean(seconds), evaluated, correct, True)
    if not behavior.counts_calls:
        yield ctx.progress()
    mean_t = statistics.mean(seconds) if seconds else 0.0
    return EvalOutcome(correct / max(1, evaluated), mean_t, evaluated, correct, False)


class _Messages(Behavior):
    """A search step's prompt as a behavior: a plan executed zero-shot, a tree's try, a
    sampled execution (one example's messages and fixed settings)."""

    name = "search step"

    def __init__(self, messages_for: Callable[[Example], list[ChatMessage]], params: GenerationParams,
                 examples: Sequence[Example]) -> None:
        self.messages_for, self.params = messages_for, params
        self.by_question = {e.input: e for e in examples}

    def answer_many(self, gateway: Gateway, questions: Sequence[str]) -> Answers:
        prompts = [self.messages_for(self.by_question[q]) for q in questions]
        completions = yield from gateway.chat_many(prompts, self.params)
        return [Reply(c) for c in completions]


def evaluate(ctx: RunContext, subject: str, examples: Sequence[Example],
             messages_for: Callable[[Example], list[ChatMessage]], *, params: GenerationParams,
             node_id: int | None = None, plan_id: int | None = None, best_reward: float | None = None,
             kind: str = "evaluation") -> Generator[Event, None, EvalOutcome]:
    """Score one search step's prompt (`messages_for`, answered with `params`) on `examples`
    through the same loop as every behavior (see `score`)."""
    return (yield from score(ctx, _Messages(messages_for, params, examples), subject, examples, kind=kind,
                             node_id=node_id, plan_id=plan_id, best_reward=best_reward))


def _hopeless(ctx: RunContext, correct: int, evaluated: int, fastest: float, best_reward: float | None) -> bool:
    high = wilson_bounds(correct, evaluated, ctx.config.race_confidence)[1]
    return ctx.reward(high, fastest) < best_reward  # type: ignore[operator]


def _stored(ctx: RunContext, example: Example, reply: Reply) -> StoredEvaluation:
    completion = reply.completion
    if completion is None:
        return StoredEvaluation("", None, False, True, TOO_LONG, 0, 0, 0.0)
    r = score_output(completion.text, example.answer, ctx.scorer, example.input)
    return StoredEvaluation(completion.text, r.extracted, r.correct, r.unparsed, reply.reason or r.reason,
                            completion.prompt_tokens, completion.completion_tokens, completion.seconds)
