"""The candidate behaviors of a run, and the choice of the one that ships.

Simple candidates are what a person would try by hand: direct prompting (with the answer
format stated), a few solved train questions, step-by-step reasoning, the task's own
worked examples; and for a task with a small answer set, the likeliest allowed answer under
the direct prompt, calibrated (see calibrated.py); and always giving the train split's most
common answer, the bar any behavior must clear on such a task. With each plan the model
wrote, executed zero-shot, and the search's best node, they form one pool scored on the dev
sample; the best few are confirmed on dev questions the search never saw (confirm.py), and
direct prompting ships unless one of them beats it there by more than noise; when direct
prompting gives one answer to nearly every question or is below chance (fewer right than the
most common answer's share of the train split typically gives), the better of those two, or
a finalist that reads the question and does as well, is what must be beaten (`default`).

A `PromptKit` holds everything a behavior's prompt needs besides the question; it is saved
in the run's summary so that export, `debop ask` and the Playground send exactly the
prompts that were scored.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from debop_desktop.core import behaviors
from debop_desktop.core.behaviors.base import AnswerSettings
from debop_desktop.core.datasets.repository import Example, WorkedExample
from debop_desktop.core.llm.base import ChatMessage
from debop_desktop.core.optimizer.calibrated import CONTENT_FREE
from debop_desktop.core.optimizer.config import FINALISTS, OptimizerConfig
from debop_desktop.core.optimizer.demos import Demonstration, Plan
from debop_desktop.core.optimizer.prompts import direct_messages
from debop_desktop.core.scoring.answer_space import AnswerSpace

# The kinds of behavior and their order (the simplest first, which wins ties) live in the
# behaviors registry (core/behaviors). A pick by probability and one answer for every
# question cannot travel in a file, so each loses a tie to a prompt: their rank.
MIN_GAIN = 2  # a finalist must get at least this many more confirmation questions right than direct


@dataclass(frozen=True)
class PromptKit:
    instruction: str
    space: AnswerSpace
    few: tuple[tuple[str, str], ...] = ()  # (question, answer) train pairs for few examples
    worked: tuple[WorkedExample, ...] = ()
    demo: Demonstration | None = field(default=None, compare=False)
    # the calibrated candidate: each allowed answer's probability for a content-free question
    calibration: tuple[tuple[str, float], ...] = ()
    # the most common answer of the train split, as the scorer shows it (closed answer sets only)
    most_common: str = ""
    # the plan that ships when a plan executed zero-shot won (kept in the summary to rebuild it)
    plan: Plan | None = field(default=None, compare=False)
    # train (question, answer) pairs the nearest examples are drawn from (behaviors/nearest.py)
    pool: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    # each behavior's own per-run state, by the name it keeps it under (`Behavior.with_state`),
    # as canonical JSON text: immutable, and the same in the run as after a resume or in `ask`
    states: tuple[tuple[str, str], ...] = ()

    def state(self, name: str) -> Any:
        """What was kept under `name` (`with_state`), read from JSON afresh; None when nothing."""
        text = dict(self.states).get(name)
        return None if text is None else json.loads(text)

    def with_state(self, name: str, state: Any) -> PromptKit:
        """This kit with `state` kept under `name` (replacing what was there). `state` must be
        JSON (dicts with text keys, lists, text, numbers, booleans, None): it is kept as its JSON
        text, so what the run reads back equals what a resumed run or `ask` reads (a tuple comes
        back a list)."""
        try:
            text = json.dumps(state, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"the state kept under {name!r} is not JSON: {exc}") from exc
        kept = dict(self.states)
        kept[name] = text
        return replace(self, states=tuple(kept.items()))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"instruction": self.instruction,
                                "answer_space": {"kind": self.space.kind, "values": list(self.space.values)},
                                "few_examples": [list(p) for p in self.few]}
        if self.calibration:
            data["calibration"] = {"content_free": CONTENT_FREE, "probabilities": dict(self.calibration)}
        if self.most_common:
            data["most_common"] = self.most_common
        if self.plan is not None:
            data["plan"] = {"steps": list(self.plan.steps), "guidelines": self.plan.guidelines}
        if self.pool:
            data["train_pool"] = [list(p) for p in self.pool]
        if self.states:
            data["states"] = {name: json.loads(text) for name, text in self.states}
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any], worked: Sequence[WorkedExample] = (),
                  demo: Demonstration | None = None) -> PromptKit:
        space = data.get("answer_space") or {}
        calibration = (data.get("calibration") or {}).get("probabilities") or {}
        plan = data.get("plan") or {}
        return cls(str(data.get("instruction") or ""), AnswerSpace(space.get("kind", "free"),
                                                                   tuple(space.get("values") or ())),
                   tuple((str(q), str(a)) for q, a in data.get("few_examples") or ()), tuple(worked), demo,
                   tuple((str(a), float(p)) for a, p in calibration.items()), str(data.get("most_common") or ""),
                   Plan(tuple(str(s) for s in plan["steps"]), str(plan.get("guidelines") or ""))
                   if plan.get("steps") else None,
                   tuple((str(q), str(a)) for q, a in data.get("train_pool") or ()), _states(data.get("states")))

    def content_free_messages(self) -> list[ChatMessage]:
        """The calibrated candidate's prompt with the content-free question in place of one."""
        return direct_messages(self.instruction, CONTENT_FREE, self.space.format_line())


def _states(data: Any) -> tuple[tuple[str, str], ...]:
    """A stored kit's `states` section back as canonical JSON text by name; () for anything
    else (a kit stored before behaviors kept states of their own has none)."""
    if not isinstance(data, Mapping):
        return ()
    return tuple((str(name), json.dumps(state, ensure_ascii=False)) for name, state in data.items())


def pick_few(train: Sequence[Example], k: int, seed: int) -> tuple[tuple[str, str], ...]:
    """k train questions with their answers, drawn once per run with its seed."""
    chosen = random.Random(f"{seed}:few").sample(list(train), min(k, len(train)))
    return tuple((e.input, e.answer) for e in chosen)


def token_limits(config: OptimizerConfig) -> dict[str, int]:
    """Each kind of call's token limit (eta.py prices a kind not measured yet by it); a
    reasoning answer may take its follow-up turn too."""
    limits = {"plan": config.plan_max_tokens, "execution": config.max_tokens, "operator": config.max_tokens,
              "evaluation": config.max_tokens}
    settings = AnswerSettings.from_config(config)
    return limits | {k.name: k.token_limit(settings) + k.follow_up_tokens for k in behaviors.kinds()
                     if k.simple and k.counts_calls}


@dataclass(frozen=True)
class DevScore:
    """One candidate on some dev questions: which it got right, and its time. `method` names
    the candidate: a behavior's stored name, `plan:<k>` for the run's plan k executed zero-shot,
    or "tuned" for the search's best node. `constant`: it gave one answer to
    `ONE_ANSWER_SHARE` or more of the questions, so it competes as a constant answer does."""

    method: str
    right: Mapping[int, bool]  # example id -> right
    mean_seconds: float
    constant: bool = False
    # example id -> what its answer cost (core/costs.py), when the task's mistakes have costs
    cost: Mapping[int, float] | None = None

    @property
    def correct(self) -> int:
        return sum(self.right.values())

    @property
    def mean_cost(self) -> float:
        """The mean cost of its mistakes per question (0 without costs)."""
        return sum(self.cost.values()) / len(self.cost) if self.cost else 0.0

    @property
    def n(self) -> int:
        return len(self.right)

    @property
    def behavior(self) -> str:
        """The behavior's stored name (a plan's candidates are all one kind)."""
        return PLAN_BEHAVIOR if self.method.startswith(PLAN_PREFIX) else self.method

    @property
    def rank(self) -> int:
        """Ties go to the lower: a prompt, a pick by probability, one answer for every question
        (the most common answer), then a behavior that gives one answer nearly every time (it
        costs calls for what the most common answer gives for free)."""
        kind_rank = behaviors.rank(self.behavior)
        return CONSTANT_RANK + 1 if self.constant and kind_rank < CONSTANT_RANK else kind_rank


CONSTANT_RANK = 2  # the most common answer's rank: one answer for every question
ONE_ANSWER_SHARE = 0.9  # one answer to this share of the questions or more: a constant answer
# plain prompting is below chance when so few right would come up less often than this were it
# truly at the most common answer's share of the train split (`below_chance`; bench_winners_curse.py)
BELOW_CHANCE_P = 0.5
PLAN_BEHAVIOR = "zero_shot_plan"
PLAN_PREFIX = "plan:"
MOST_COMMON = "most_common"


@dataclass(frozen=True)
class Choice:
    """What ships and why: `method` is the winning candidate's name (see `DevScore`)."""

    method: str
    confirmed: DevScore | None  # the winner on the confirmation questions
    direct: DevScore | None  # direct prompting on the same questions
    runner_up: DevScore | None = None  # the best other finalist, when direct prompting is kept
    finalists: tuple[DevScore, ...] = ()
    costs: Any = None  # the task's MistakeCosts (core/costs.py) when the choice was made by them
    # plain prompting was no default (`default`: one answer, or below the most common answer) and what ships,
    # a finalist that reads the question, took its place without beating it by the paired test
    over_constant: bool = False
    # the most common answer's share of the train split, when it decided plain prompting's default
    chance: float | None = None

    @property
    def behavior(self) -> str:
        return PLAN_BEHAVIOR if self.method.startswith(PLAN_PREFIX) else self.method


def ranked(scores: Sequence[DevScore]) -> list[DevScore]:
    """Best first: the lowest mean cost of mistakes when every score has costs; most questions
    right; then a prompt before a pick by probability (a prompt
    can be exported whole), and that before one constant answer; then faster; then the
    simpler (the registry's order of simple behaviors, then plans, then the search's node)."""
    order = {m: i for i, m in enumerate(behaviors.simple_names())}

    def simplicity(s: DevScore) -> float:
        if s.method in order:
            return order[s.method]
        if s.method.startswith(PLAN_PREFIX):
            return 50 + int(s.method[len(PLAN_PREFIX):] or 0)
        return 99

    by_cost = bool(scores) and all(s.cost is not None for s in scores)
    return sorted(scores, key=lambda s: (round(s.mean_cost, 9) if by_cost else 0, -s.correct, s.rank,
                                         round(s.mean_seconds, 6), simplicity(s)))


def best_simple(scores: Sequence[DevScore]) -> DevScore | None:
    """The best simple candidate by `ranked`."""
    simple = [s for s in scores if behaviors.kind(s.behavior) is None or behaviors.kind(s.behavior).simple]
    return next(iter(ranked(simple)), None)


def finalists(pool: Sequence[DevScore], k: int = FINALISTS) -> list[DevScore]:
    """The `k` best of the pool on the dev sample (`ranked`), and direct prompting and the most
    common answer always (the default and the chance level the choice measures against; the
    most common answer costs no call). When the most common answer is in the pool, a try that
    gives one answer to nearly every question is not a finalist: it is a constant answer, and
    the most common answer is the constant the train split supports, at no call (such tries
    took every place on question kinds, SmolLM2, and one answering "number" to all shipped;
    docs/benchmarks.md, issue 22)."""
    if any(s.method == MOST_COMMON for s in pool):
        pool = [s for s in pool if not s.constant or s.method in (MOST_COMMON, "direct")]
    best = ranked(pool)[:k]
    return best + [s for s in pool if s.method in ("direct", MOST_COMMON) and s not in best]


def beats(challenger: DevScore, direct: DevScore, margin: float) -> bool:
    """On the questions both answered, `challenger` is right on at least MIN_GAIN more than
    `direct` and the gain exceeds `margin` standard errors of the paired difference
    (√(b + c), b and c the questions only one of the two got right). With mistake costs on
    both, the gain is what the challenger saves against `direct` over the shared questions, and
    its standard error √Σd², d each question's difference in cost (√(b + c) when every mistake
    costs 1)."""
    shared = challenger.right.keys() & direct.right.keys()
    if challenger.cost is not None and direct.cost is not None:
        saved = [direct.cost[i] - challenger.cost[i] for i in shared if i in direct.cost and i in challenger.cost]
        gain_cost = sum(saved)
        return gain_cost >= MIN_GAIN and gain_cost > margin * math.sqrt(sum(d * d for d in saved))
    only_challenger = sum(challenger.right[i] and not direct.right[i] for i in shared)
    only_direct = sum(direct.right[i] and not challenger.right[i] for i in shared)
    gain = only_challenger - only_direct
    return gain >= MIN_GAIN and gain > margin * math.sqrt(only_challenger + only_direct)


def _as_good(a: DevScore, b: DevScore, by_cost: bool) -> bool:
    """`a` does at least as well as `b` on the questions each answered: costs no more (with
    mistake costs) or gets as many right."""
    return a.mean_cost <= b.mean_cost if by_cost else a.correct >= b.correct


def below_chance(score: DevScore, chance: float, alpha: float = BELOW_CHANCE_P) -> bool:
    """`score` is right on so few of its questions that, were it truly right as often as always
    giving the most common answer (`chance`: that answer's share of the train split), as few or
    fewer would come up less than `alpha` of the time (one-sided binomial). At the default
    0.5: fewer right than the constant typically gets there (the binomial's median, n ×
    `chance` rounded; 20 questions at 27 %: 4 or fewer is below, 5 is not)."""
    n, k = score.n, score.correct
    chance = min(max(chance, 0.0), 1.0)
    return n > 0 and sum(math.comb(n, i) * chance ** i * (1 - chance) ** (n - i) for i in range(k + 1)) < alpha


def _protected(confirmed: Sequence[DevScore], chance: float | None, alpha: float) -> bool:
    """Direct prompting is the default: it reads the question (it does not give one answer to
    ONE_ANSWER_SHARE of them) and is not below chance. With `chance` (the most common answer's
    share of the train split) that is not `below_chance`; without it (mistake costs, or no
    share known) at least as good as always giving the most common answer on these questions.
    The most common answer's count on 20 questions is mostly the luck of how many of them have
    that answer (SmolLM2 on news topics: 8 of 20 for a 27 % share), its share of train is not."""
    direct = next(s for s in confirmed if s.method == "direct")
    common = next((s for s in confirmed if s.method == MOST_COMMON), None)
    by_cost = all(s.cost is not None for s in confirmed)
    if direct.constant or common is None:
        return not direct.constant
    if chance is not None and not by_cost:
        return not below_chance(direct, chance, alpha)
    return _as_good(direct, common, by_cost)


def default(confirmed: Sequence[DevScore], chance: float | None = None,
            alpha: float = BELOW_CHANCE_P) -> DevScore | None:
    """What ships unless a finalist beats it: direct prompting when it is `_protected` (reads
    the question and is not below chance). Otherwise (SmolLM2 on question kinds: plain
    prompting 0 of 20; on the films "positive" to nearly every review) plain prompting is no
    better than a constant: the floor is the better (`ranked`) of direct prompting and the most
    common answer on these questions, and a finalist that reads the question and does at least
    as well as the floor takes its place (the best of them by `ranked`). None when direct
    prompting was not scored."""
    direct = next((s for s in confirmed if s.method == "direct"), None)
    if direct is None:
        return None
    if _protected(confirmed, chance, alpha):
        return direct
    common = next((s for s in confirmed if s.method == MOST_COMMON), None)
    by_cost = all(s.cost is not None for s in confirmed)
    floor = ranked([s for s in (direct, common) if s is not None])[0]
    reading = [s for s in confirmed if s.rank < CONSTANT_RANK and _as_good(s, floor, by_cost)]
    return ranked(reading)[0] if reading else floor


def choose(confirmed: Sequence[DevScore], margin: float, chance: float | None = None,
           alpha: float = BELOW_CHANCE_P) -> Choice:
    """What ships, from the finalists scored on the confirmation questions (direct prompting
    among them): the `default` (direct prompting, unless it gives one answer or is below
    chance) unless a finalist `beats` it there. A constant answer (rank 2 or more) must also
    get more of them right than every finalist that reads the question (with mistake costs:
    cost less than each), and, when `chance` decided the default, plain prompting must be no
    default: a plain prompt at the chance level is not replaced by a constant whose count here
    is mostly the luck of the label mix. Among those that qualify, the best by `ranked` ships.
    `chance`: the most common answer's share of the train split (confirm.train_share)."""
    direct = next((s for s in confirmed if s.method == "direct"), None)
    base = default(confirmed, chance, alpha)
    if base is None:  # direct could not be scored: the best finalist
        best = next(iter(ranked(confirmed)), None)
        return Choice(best.method if best else "direct", best, None, None, tuple(confirmed))
    reading = [s for s in confirmed if s.rank < CONSTANT_RANK]
    by_cost = all(s.cost is not None for s in confirmed)
    expected = chance is not None and not by_cost  # the constant is judged by its share of train, not its count here
    kept = expected and _protected(confirmed, chance, alpha)
    qualified = [s for s in confirmed if s is not base and beats(s, base, margin)
                 and (s.rank < CONSTANT_RANK or (not kept and all(
                     s.mean_cost < r.mean_cost if by_cost else s.correct > r.correct for r in reading)))]
    if qualified:
        winner = ranked(qualified)[0]
        return Choice(winner.method, winner, direct, None, tuple(confirmed), chance=chance if expected else None)
    others = [s for s in confirmed if s is not base]
    over = base is not direct and base.rank < CONSTANT_RANK and direct is not None and not beats(base, direct, margin)
    return Choice(base.method, base, direct, next(iter(ranked(others)), None), tuple(confirmed), over_constant=over,
                  chance=chance if expected else None)
