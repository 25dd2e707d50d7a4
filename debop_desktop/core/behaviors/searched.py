"""A searched set of solved examples: which train questions the few-examples prompt shows, and
in what order, chosen once per run on the dev sample (DSPy's BootstrapFewShotWithRandomSearch,
Opik's few-shot optimizer), answered by the likeliest allowed answer.

The search is the behavior's preparation (`prepare`), through the run's gateway, so its calls
are counted and timed like every other. Its candidates, in order: the run's few examples as
they are, then seeded draws from the train pool (`PromptKit.pool`), alternately one example
per answer (a small model leans towards the answer its examples show most) and any k, then
other orders of the best set. Each is scored on the dev sample, the questions the search
scores its tries on (never the confirmation questions nor the final exam), by the likeliest
allowed answer: one probability request per batch of questions. A candidate stops once even
every question left right could not beat the best so far (racing; a tie keeps the earlier),
and no candidate starts that could take the calls past `BUDGET` passes over the dev sample.

What it chose (the examples, in order) is its per-run state in the kit, so a resumed run,
`ask`, the Playground and exports rebuild the identical prompt.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from debop_desktop.core import messages as msg
from debop_desktop.core.behaviors.base import AnswerSettings, TaskFacts
from debop_desktop.core.behaviors.nearest import NearestExamples
from debop_desktop.core.behaviors.picked import PickedByProbability
from debop_desktop.core.behaviors.prompted import FewExamples, PromptBehavior
from debop_desktop.core.llm.base import ChatMessage
from debop_desktop.core.optimizer.prompts import few_example_messages

NAME = "searched_examples_picked"
K = 4  # examples shown (more when the task has more answers, one each, up to K_MAX)
K_MAX = 6
SETS = 8  # candidate sets, the run's few examples first
ORDERS = 2  # other orders of the best set, tried after the sets
BUDGET = 6  # the search's calls: at most this many passes over the dev sample
RACE_BATCH = 8  # questions per probability request; a candidate may stop after each

Pairs = tuple[tuple[str, str], ...]


class SearchedExamples(PromptBehavior):
    """The few-examples prompt with the searched examples (not registered: answered only by
    the likeliest allowed answer, whose state it reads)."""

    name = "searched_examples"
    state_key = NAME

    @classmethod
    def build(cls, kit, settings):
        return cls(kit, settings) if chosen(cls.state_in(kit)) else None

    def messages(self, question: str) -> list[ChatMessage]:
        return few_example_messages(self.kit.instruction, question, chosen(self.state), self.kit.space.format_line())


class SearchedExamplesPicked(PickedByProbability):
    name = NAME
    label = msg.SEARCHED_EXAMPLES_LABEL
    prompt = SearchedExamples
    uses_pool: ClassVar[bool] = True  # it draws from the train pool (prepared as the nearest examples do)

    @classmethod
    def preparation_calls(cls, facts: TaskFacts, dev: int) -> dict[str, int]:
        """The most calls its search makes on a dev sample of `dev` questions."""
        return {cls.kind_of_call(): BUDGET * dev} if cls.applies(facts) else {}

    @classmethod
    def prepare(cls, kit, run):
        """The examples that pick the most dev-sample answers right (see the module); the kit
        unchanged when it holds them already (a resumed run), the task has no small answer set,
        too few train questions or no dev sample, or the backend cannot score answers (said
        once: the behavior is then left out)."""
        if cls.state_in(kit) is not None or not kit.space.closed:
            return kit
        kit = yield from FewExamples.prepare(kit, run)  # its first candidate: the run's few examples
        kit = yield from NearestExamples.prepare(kit, run)  # the train pool it draws the others from
        dev = list(run.dev)
        candidates = candidate_sets(kit.few, kit.pool, random.Random(f"{run.seed}:searched"))
        if not dev or not candidates:
            return kit
        try:
            best = yield from search(kit, run, dev, candidates)
        except NotImplementedError:
            warning = run.warn_once("calibrated:unsupported", msg.CALIBRATED_UNSUPPORTED)
            if warning:
                yield warning
            return kit
        return cls.with_state(kit, {"examples": [list(p) for p in best.examples], "right": best.right,
                                    "of": len(dev), "tried": best.tried, "calls": best.calls})

    def rule_note(self) -> str:
        return msg.EXPORT_SEARCHED_NOTE.format(answers=", ".join(self.kit.space.allowed()) or msg.PICKED_ANY_OPTION)


@dataclass(frozen=True)
class Found:
    """The search's result: the best examples, their dev-sample score, candidates tried, calls."""

    examples: Pairs
    right: int
    tried: int
    calls: int


def chosen(state: Any) -> Pairs:
    """The examples a stored state holds, in order; () for none or anything else."""
    if not isinstance(state, dict) or not isinstance(state.get("examples"), list):
        return ()
    return tuple((str(p[0]), str(p[1])) for p in state["examples"] if isinstance(p, list) and len(p) == 2)


def shown(pool: Sequence[tuple[str, str]]) -> int:
    """How many examples a candidate shows: one per answer of the pool, at least K, at most K_MAX."""
    return max(K, min(K_MAX, len({a for _, a in pool})))


def candidate_sets(few: Pairs, pool: Sequence[tuple[str, str]], rng: random.Random) -> list[Pairs]:
    """The candidate sets in the order they are tried: `few` (the run's few examples), then
    draws from `pool`, alternately one per answer and any, none twice; [] when the pool has
    fewer than K questions."""
    pool = list(pool)
    if len(pool) < K:
        return []
    k = min(shown(pool), len(pool))
    out: list[Pairs] = [tuple(few)] if few else []
    by_answer: dict[str, list[int]] = {}
    for i, (_, a) in enumerate(pool):
        by_answer.setdefault(a, []).append(i)
    for draw in range(SETS * 4):  # a few draws more than needed, for repeats
        if len(out) >= SETS:
            break
        picked = _one_per_answer(by_answer, k, rng) if draw % 2 == 0 else rng.sample(range(len(pool)), k)
        candidate = tuple(pool[i] for i in picked)
        if candidate not in out:
            out.append(candidate)
    return out


def _one_per_answer(by_answer: dict[str, list[int]], k: int, rng: random.Random) -> list[int]:
    """k pool indices covering the answers as evenly as they can (answers drawn in a random
    order, cycled when there are fewer than k), in a random order."""
    answers = sorted(by_answer)
    rng.shuffle(answers)
    left = {a: list(ix) for a, ix in by_answer.items()}
    picked: list[int] = []
    while len(picked) < k and any(left.values()):
        for a in answers:
            if len(picked) < k and left[a]:
                picked.append(left[a].pop(rng.randrange(len(left[a]))))
    rng.shuffle(picked)
    return picked


def other_orders(examples: Pairs, rng: random.Random) -> list[Pairs]:
    """Up to ORDERS other orders of `examples`: reversed first (the last example sways a small
    model most), then shuffles."""
    out: list[Pairs] = []
    if len(examples) < 2:
        return out
    wanted = [tuple(reversed(examples))]
    for _ in range(ORDERS * 4):
        mixed = list(examples)
        rng.shuffle(mixed)
        wanted.append(tuple(mixed))
    for order in wanted:
        if len(out) < ORDERS and order != examples and order not in out:
            out.append(order)
    return out


def search(kit, run, dev: Sequence[Any], candidates: list[Pairs]):
    """Score `candidates` (then other orders of the best) on `dev` within the budget, raced;
    returns the best as `Found`."""
    gateway = run.gateway(NAME)
    budget = BUDGET * len(dev)
    rng = random.Random(f"{run.seed}:searched:orders")
    best: Pairs = candidates[0]
    best_right, calls, tried = -1, 0, 0
    queue, ordered = list(candidates), False
    while True:
        if not queue and not ordered:
            queue, ordered = other_orders(best, rng), True
        if not queue or calls + len(dev) > budget:
            break
        examples = queue.pop(0)
        right, asked = yield from _raced(kit, run, gateway, dev, examples, best_right)
        calls, tried = calls + asked, tried + 1
        if right > best_right:
            best, best_right = examples, right
    return Found(best, best_right, tried, calls)


def _raced(kit, run, gateway, dev: Sequence[Any], examples: Pairs, to_beat: int):
    """How many of `dev` the examples get right and how many were asked, stopping once even
    every question left right would not beat `to_beat`."""
    trial = SearchedExamplesPicked.with_state(kit, {"examples": [list(p) for p in examples]})
    behavior = SearchedExamplesPicked(trial, AnswerSettings())  # a pick: no token limit to set
    right = asked = 0
    for start in range(0, len(dev), RACE_BATCH):
        if right + len(dev) - start <= to_beat:
            break
        batch = dev[start:start + RACE_BATCH]
        replies = yield from behavior.answer_many(gateway, [e.input for e in batch])
        asked += len(batch)
        right += sum(1 for e, r in zip(batch, replies, strict=True)
                     if r.completion is not None and run.right(e, r.completion.text))
    return right, asked


BUILT_IN = (SearchedExamplesPicked,)
