"""Every knob of a run in one dataclass, with presets and a cost estimate."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from debop_desktop.core.scoring.answer_space import CLOSED_SCORERS

if TYPE_CHECKING:
    from debop_desktop.core.behaviors.base import TaskFacts
    from debop_desktop.core.datasets.repository import Dataset


FINALISTS = 3  # the best tries on the dev sample, confirmed on dev questions the search never saw
CONFIRM_MIN = 20  # fewer unseen dev questions than this: the choice is confirmed on all of dev


def confirm_calls(n_dev: int, sample: int) -> int:
    """Dev questions outside the sample that each finalist answers (confirm.confirmation_questions)."""
    unseen = max(0, n_dev - sample)
    return unseen if unseen < CONFIRM_MIN else min(unseen, max(sample, CONFIRM_MIN))


@dataclass(frozen=True)
class OptimizerConfig:
    # 1. Plan
    n_plans: int = 4  # K plans sampled from the meta-prompt
    plan_temperature: float = 0.7
    plan_examples: int = 3  # train examples shown in the meta-prompt
    # 2. Collect
    dev_limit: int | None = 30  # dev examples used to score plans and candidates (None = all)
    plan_alpha: float = 1.0  # plans drawn with probability ∝ accuracy^alpha
    n_seeds: int = 2  # trees in the forest
    seed_tries: int = 4  # train questions tried per drawn plan to find a correct execution
    collect_temperature: float = 0.7  # executions that look for seed demonstrations (the paper's T)
    # 3. MCTS
    max_iterations: int = 12
    max_children: int = 3  # a node is fully expanded with this many children
    exploration: float = 1.0  # c in UCT
    reward_alpha: float = 1.0  # α · accuracy
    reward_beta: float = 1.0  # β · exp(-λ t)
    reward_lambda: float = 0.5  # λ, t = mean seconds per dev example
    # Off (the paper preset): reward = α·acc + β·exp(-λ t), t in seconds, literally. On: t is
    # relative to the run's median answer time and the time term is at most `speed_cap`, so
    # speed only breaks ties between equally accurate candidates.
    relative_time: bool = True
    speed_cap: float = 0.01
    early_stop_probability: float = 0.2  # stop with this probability after a non-improving iteration
    max_model_calls: int | None = None  # budget for the whole search (None = no limit)
    # Speed
    racing: bool = True  # stop evaluating a candidate once it cannot beat the best
    race_batch: int = 6
    race_confidence: float = 0.95
    # What ships: a finalist must beat direct prompting on the confirmation questions by more
    # than `ship_margin` standard errors of the paired difference (and by 2 questions).
    ship_margin: float = 0.5  # from benchmarks/bench_winners_curse.py (docs/method.md)
    few_examples_k: int = 3  # solved train questions in the few-examples prompt
    # Generation
    structured_output: bool = True  # plans and executions under a grammar (llama.cpp) / JSON schema (servers)
    max_tokens: int = 192  # for executions and operator rewrites
    plan_max_tokens: int = 256
    # 4. Baselines on the held-out test split
    test_limit: int | None = None  # None = the whole test split
    baselines: tuple[str, ...] = ("direct", "few_examples", "zero_shot_cot", "worked_examples", "calibrated",
                                  "most_common", "nearest_examples_picked", "tuned",
                                  "tuned_picked")  # the registry's order
    seed: int = 0
    # Off: only the simple prompts compete (no plans, no tree): a fast first look, e.g. to compare models.
    search: bool = True

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> OptimizerConfig:
        data: dict[str, Any] = json.loads(text)
        data["baselines"] = tuple(data.get("baselines", ()))
        return cls(**data)

    def with_overrides(self, **changes: Any) -> OptimizerConfig:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


PRESETS: dict[str, OptimizerConfig] = {
    "quick": OptimizerConfig(n_plans=3, dev_limit=20, n_seeds=2, max_iterations=6, max_children=2,
                             test_limit=40, max_tokens=160),
    "balanced": OptimizerConfig(),
    "thorough": OptimizerConfig(n_plans=8, dev_limit=60, n_seeds=3, max_iterations=30, max_children=3,
                                seed_tries=6),
    # As close to the paper as it describes: no racing, 50 iterations, the whole dev split.
    "paper": OptimizerConfig(n_plans=5, dev_limit=None, n_seeds=3, max_iterations=50, max_children=3,
                             racing=False, seed_tries=6, relative_time=False,
                             structured_output=False),
}
PRESET_DESCRIPTIONS = {
    "quick": "A first look in a few minutes: small dev sample, few search steps.",
    "balanced": "A good default: more plans and search steps, racing to skip hopeless candidates.",
    "thorough": "The most careful search; takes much longer.",
    "paper": "The paper's settings (no racing, up to 50 iterations, the whole dev split, its speed reward), "
             "for comparison.",
}


@dataclass(frozen=True)
class Estimate:
    model_calls: int  # the most calls the run can make (no early stop, no racing savings)
    prompt_tokens: int
    completion_tokens: int
    minutes: float  # the high end: every search step runs and every candidate is scored in full
    minutes_low: float = 0.0  # the search stops early as often as expected; batches go faster
    calls_by_kind: dict[str, int] = field(default_factory=dict)  # the kinds of eta.py (plan, execution, …)
    calls_by_stage: dict[str, dict[str, int]] = field(default_factory=dict)  # the same, per stage, in order

    def in_words(self) -> str:
        low = max(1, round(self.minutes_low or self.minutes))
        high = max(low, round(self.minutes))
        span = f"{low}" if low == high else f"{low}–{high}"
        unit = "minute" if high == 1 else "minutes"
        return f"about {span} {unit} on this computer (up to {self.model_calls:,} model calls)"


BATCH_GAIN = 1.5  # assumed speed-up of batched scoring for the estimate's low end (docs/benchmarks.md)
# Answers at the low end are this share of `max_tokens` (SmolLM2's JSON answers to a Quick run's
# questions were ~30 of 160 tokens); the high end keeps 0.6.
SHORT_ANSWER_SHARE = 0.2


def estimate_cost(config: OptimizerConfig, *, n_train: int, n_dev: int, n_test: int,
                  avg_question_tokens: float, prompt_tokens_per_s: float,
                  gen_tokens_per_s: float, worked_examples: bool = False, parallel: int = 1,
                  closed_answers: bool = True) -> Estimate:
    """Calls and time from measured (or assumed) speeds, as a range. The high end is the
    worst case (no early stop, no racing savings, no gain from batching, long answers); the
    low end lets the search stop early as its early-stop probability makes likely, takes
    short answers and, with `parallel` > 1, scores questions `BATCH_GAIN` times faster.
    Prefix reuse makes the demonstration part of consecutive prompts almost free, so prompt
    time counts each call's question and a share of its demonstration. What each behavior
    costs is its own (`Behavior.estimated_calls`: whether it applies, calls per question)."""
    from debop_desktop.core import behaviors  # here: the behaviors import the optimizer's modules
    from debop_desktop.core.behaviors.base import TaskFacts

    facts = TaskFacts(worked_examples=worked_examples, closed_answers=closed_answers, search=config.search)
    if not config.search:  # the simple prompts only: no plans, no seeds, no tree
        config = replace(config, n_plans=0, n_seeds=0, max_iterations=0)
    dev = min(n_dev, config.dev_limit or n_dev)
    test = min(n_test, config.test_limit or n_test)
    wanted = set(config.baselines) | {"direct"}
    simple = {b for b in wanted if (kind := behaviors.kind(b)) is None or kind.simple}  # they compete on dev too
    fresh = confirm_calls(n_dev, dev)  # each finalist's answers on dev questions the search never saw
    stages = {"simple": _merged(_prepared(wanted, dev, facts), _by_kind(simple, dev, facts)),
              "plan": {"plan": config.n_plans},  # the plans are scored at the start of collect
              "collect": {"evaluation": config.n_plans * dev, "execution": config.n_seeds * config.seed_tries},
              "search": {"operator": config.max_iterations,
                         "evaluation": config.max_iterations * dev + config.n_seeds * dev},
              "confirm": {"direct": fresh, "evaluation": FINALISTS * fresh},
              "baselines": _by_kind(wanted, test, facts)}
    kinds: dict[str, int] = {}
    for budget in stages.values():
        for kind, n in budget.items():
            kinds[kind] = kinds.get(kind, 0) + n
    calls = sum(kinds.values())
    per_call_prompt = avg_question_tokens + 60  # question + template; demo prefix is reused
    out_tokens = config.max_tokens * 0.6

    def seconds(n_calls: float, long_calls: float, gain: float, answer_share: float = 0.6) -> float:
        prompt = n_calls * per_call_prompt + long_calls * 600
        answers = n_calls * config.max_tokens * answer_share
        return prompt / max(prompt_tokens_per_s, 1) + answers / max(gen_tokens_per_s, 1) / gain

    long_calls = config.n_plans + config.max_iterations
    scored = calls - kinds["plan"] - kinds["execution"] - kinds["operator"]  # answers to questions: batched
    high = seconds(calls - scored, long_calls, 1.0) + seconds(scored, 0, 1.0)
    steps = config.max_iterations
    if config.early_stop_probability > 0:
        steps = min(steps, round(1 / config.early_stop_probability))
    cut = config.max_iterations - steps
    gain = BATCH_GAIN if parallel > 1 else 1.0
    low = seconds(calls - scored - cut, long_calls - cut, 1.0, SHORT_ANSWER_SHARE) + \
        seconds(scored - cut * dev, 0, gain, SHORT_ANSWER_SHARE)
    prompt = int(calls * per_call_prompt + long_calls * 600)
    return Estimate(calls, prompt, int(calls * out_tokens), high / 60, low / 60, kinds, stages)


def _by_kind(methods: set[str], questions: int, facts: TaskFacts) -> dict[str, int]:
    """Calls per kind of call (eta.py) for `methods` on `questions`, each behavior's own
    estimate; a name no behavior is registered under costs one call of its own kind a question."""
    from debop_desktop.core import behaviors

    calls: dict[str, int] = {}
    for method in sorted(methods):
        kind = behaviors.kind(method)
        for call, n in (kind.estimated_calls(facts, questions) if kind else {method: questions}).items():
            calls[call] = calls.get(call, 0) + n
    return calls


def _prepared(methods: set[str], dev: int, facts: TaskFacts) -> dict[str, int]:
    """Calls per kind of call that `methods`' preparations make (`Behavior.preparation_calls`,
    e.g. a search over example sets on the dev sample)."""
    from debop_desktop.core import behaviors

    calls: dict[str, int] = {}
    for method in sorted(methods):
        if (kind := behaviors.kind(method)) is not None:
            calls = _merged(calls, kind.preparation_calls(facts, dev))
    return calls


def _merged(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {k: a.get(k, 0) + b.get(k, 0) for k in dict.fromkeys([*a, *b])}


ASSUMED_TOKENS_PER_SECOND = 50.0  # for an estimate made before the model's speed is measured


def estimate_for(config: OptimizerConfig, dataset: Dataset, speed: float | None = None,
                 parallel: int = 1) -> Estimate:
    """The estimate of model calls and time for `config` on `dataset` at `speed` generated
    tokens per second (an assumed speed before it is measured), with `parallel` questions
    decoded together. The CLI, the Optimize page and the run itself all use this one."""
    speed = speed or ASSUMED_TOKENS_PER_SECOND
    return estimate_cost(config, n_train=dataset.counts.get("train", 0), n_dev=dataset.counts.get("dev", 0),
                         n_test=dataset.counts.get("test", 0), avg_question_tokens=60,
                         prompt_tokens_per_s=speed * 5, gen_tokens_per_s=speed,
                         worked_examples=bool(dataset.worked_examples), parallel=parallel,
                         closed_answers=dataset.scorer in CLOSED_SCORERS)
