"""Every scored try in one pool, and the choice confirmed on dev questions the search never saw.

The pool: every simple behavior (scored on the dev sample), each plan the model wrote,
executed zero-shot (scored on the dev sample in Collect), and the search's best node. The best
few of them on the dev sample (`candidates.finalists`, direct prompting always) are scored
again on dev questions the search never saw (subject `confirm:<candidate>`), and what ships is
decided there (`candidates.choose`): the best of many noisy scores on one sample is
optimistic, a fresh sample is not. The chance level plain prompting is held to is the most
common answer's share of the train split (`train_share`), not its count on these questions.
When the dev split has too few unseen questions, all of dev is used (the sample's answers are
reused, so only the unseen ones cost calls).

Everything is read back from the recorded evaluations, so a resumed run reaches the same
choice and asks nothing twice.
"""

from __future__ import annotations

import random
from collections.abc import Generator, Sequence
from dataclasses import replace

from debop_desktop.core import behaviors
from debop_desktop.core import messages as msg
from debop_desktop.core.behaviors.base import AnswerSettings, Behavior
from debop_desktop.core.costs import MistakeCosts, run_costs
from debop_desktop.core.datasets.repository import DatasetRepository, Example
from debop_desktop.core.optimizer.candidates import (
    MOST_COMMON,
    ONE_ANSWER_SHARE,
    PLAN_BEHAVIOR,
    PLAN_PREFIX,
    Choice,
    DevScore,
    PromptKit,
    choose,
    finalists,
)
from debop_desktop.core.optimizer.config import CONFIRM_MIN
from debop_desktop.core.optimizer.demos import Plan
from debop_desktop.core.optimizer.eta import kind_of_method
from debop_desktop.core.optimizer.evaluate import RunContext
from debop_desktop.core.optimizer.events import Event
from debop_desktop.core.optimizer.score_loop import score
from debop_desktop.core.optimizer.search import Node
from debop_desktop.core.optimizer.verdict import majority


def confirmation_questions(all_dev: Sequence[Example], sample: Sequence[Example], seed: int) -> list[Example]:
    """The dev questions the choice is confirmed on: those outside the dev sample (at most as
    many as the sample, and at least CONFIRM_MIN, drawn with the run's seed), or all of dev
    when fewer than CONFIRM_MIN are left."""
    seen = {e.id for e in sample}
    unseen = [e for e in all_dev if e.id not in seen]
    if len(unseen) < CONFIRM_MIN:
        return list(all_dev)
    limit = max(len(sample), CONFIRM_MIN)
    if len(unseen) > limit:
        unseen = sorted(random.Random(f"{seed}:confirm").sample(unseen, limit), key=lambda e: e.position)
    return unseen


def dev_subject(method: str, best: Node | None) -> str:
    """Where a candidate's answers on the dev sample are recorded."""
    if method.startswith(PLAN_PREFIX):
        return method
    if method == "tuned":
        return f"node:{best.id}" if best else ""
    return f"dev:{method}"


def scored(ctx: RunContext, method: str, subjects: Sequence[tuple[str, Sequence[Example]]],
           costs: MistakeCosts | None = None) -> DevScore | None:
    """Candidate `method` on the questions of `subjects` (each a subject and the examples
    recorded under it), from the recorded evaluations; None when one is missing. `constant`
    when one answer is given to ONE_ANSWER_SHARE of them or more. With the task's mistake
    `costs`, each answer's cost too."""
    right: dict[int, bool] = {}
    cost: dict[int, float] | None = {} if costs is not None else None
    answers: list[str | None] = []
    seconds: list[float] = []
    for subject, examples in subjects:
        for e in examples:
            ev = ctx.recorder.evaluation(subject, e.id)
            if ev is None:
                return None
            right[e.id] = bool(ev.correct)
            if cost is not None and costs is not None:
                cost[e.id] = costs.cost(e.answer, ev.extracted, bool(ev.correct))
            answers.append(ev.extracted)
            seconds.append(ctx.time_cost(ev.completion_tokens))
    given = [a for a in answers if a is not None]
    answer, share = majority(given)
    constant = answer is not None and round(share * len(given)) >= ONE_ANSWER_SHARE * len(answers)
    return DevScore(method, right, sum(seconds) / len(seconds) if seconds else 0.0, constant, cost)


def candidate_pool(ctx: RunContext, simple: Sequence[DevScore], plans: Sequence[Plan | None], best: Node | None,
                   dev: Sequence[Example]) -> list[DevScore]:
    """Every try scored in full on the dev sample: the simple behaviors, each plan executed
    zero-shot, the search's best node."""
    names = [s.method for s in simple]
    names += [f"{PLAN_PREFIX}{k}" for k, plan in enumerate(plans) if plan is not None]
    names += ["tuned"] if best is not None else []
    costs = run_costs(ctx.recorder.store, ctx.run_id)
    pool = [scored(ctx, m, [(dev_subject(m, best), dev)], costs) for m in names]
    return [s for s in pool if s is not None]


def candidate_behavior(method: str, kit: PromptKit, plans: Sequence[Plan | None], best: Node | None,
                       settings: AnswerSettings) -> Behavior | None:
    if method.startswith(PLAN_PREFIX):
        plan = plans[int(method[len(PLAN_PREFIX):])]
        return behaviors.build(PLAN_BEHAVIOR, replace(kit, plan=plan), settings)
    if method == "tuned":
        return behaviors.build("tuned", replace(kit, demo=best.demo if best else None), settings)
    return behaviors.build(method, kit, settings)


def confirm_stage(ctx: RunContext, kit: PromptKit, pool: Sequence[DevScore], plans: Sequence[Plan | None],
                  best: Node | None, sample: Sequence[Example], questions: Sequence[Example]
                  ) -> Generator[Event, None, Choice]:
    """Score the finalists on `questions` (only those outside the dev `sample` cost calls) and
    choose what ships (`candidates.choose`)."""
    seen = {e.id for e in sample}
    fresh = [e for e in questions if e.id not in seen]
    reused = [e for e in questions if e.id in seen]
    settings = AnswerSettings.from_config(ctx.config)
    costs = run_costs(ctx.recorder.store, ctx.run_id)  # the choice goes by them when the task has some
    confirmed = []
    for candidate in finalists(pool):
        behavior = candidate_behavior(candidate.method, kit, plans, best, settings)
        if behavior is None:
            continue
        subject = f"confirm:{candidate.method}"
        if fresh:
            try:
                yield from score(ctx, behavior, subject, fresh, kind=kind_of_method(candidate.behavior))
            except NotImplementedError:  # a backend that cannot score answers (it scored none on dev either)
                continue
        score_here = scored(ctx, candidate.method, [(dev_subject(candidate.method, best), reused), (subject, fresh)],
                            costs)
        if score_here is not None:
            confirmed.append(score_here)
    chance = train_share(ctx, kit.most_common) if any(s.method == MOST_COMMON for s in confirmed) else None
    choice = choose(confirmed, ctx.config.ship_margin, chance)
    return replace(choice, costs=costs) if costs is not None else choice


def train_share(ctx: RunContext, answer: str) -> float | None:
    """`answer`'s share of the run's train split (each expected answer as the scorer shows it,
    as the kit's most common answer was found): the share of questions always giving it is
    expected to get right, known from the whole train split at no call. None without train."""
    repo = DatasetRepository(ctx.recorder.store)
    train = repo.optimizer_examples(ctx.recorder.run_row()["dataset_id"], "train")
    if not answer or not train:
        return None

    def key(text: str) -> str:
        return " ".join(text.casefold().split())

    shown = []
    for e in train:
        scorer = ctx.scorer.for_input(e.input)
        shown.append(key(scorer.spell(scorer.expected(e.answer), e.answer)))
    return shown.count(key(answer)) / len(shown)


def default_note(choice: Choice, answer: str, where: str, what: str) -> str:
    """Why `what` ships when it took plain prompting's place as the default without beating it
    by the paired test (`Choice.over_constant`): plain prompting gave one answer to nearly
    every one of `where`, or got fewer right than always answering `answer`."""
    direct = choice.direct
    common = next((s for s in choice.finalists if s.method == MOST_COMMON), None)
    right = choice.confirmed.correct if choice.confirmed else 0
    if direct is not None and not direct.constant and choice.chance is not None:
        return msg.SHIPPED_UNDER_CHANCE.format(where=where, answer=answer, direct=direct.correct,
                                               expected=choice.chance * direct.n, share=choice.chance, what=what,
                                               right=right)
    if direct is not None and not direct.constant and common is not None:
        return msg.SHIPPED_OVER_CHANCE.format(where=where, answer=answer, direct=direct.correct, chance=common.correct,
                                              what=what, right=right)
    return msg.SHIPPED_OVER_ONE_ANSWER.format(where=where, direct=direct.correct if direct else 0, what=what,
                                              right=right)
