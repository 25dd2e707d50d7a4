"""Scoring the candidate behaviors: the simple ones on the dev sample (they compete with the
search's demonstrations for what ships), and every compared method on the held-out test
split, which the search never saw. Accuracy with a 95% Wilson interval. Each method has one
token limit, the same on dev and on test."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass, field

from debop_desktop.core import behaviors
from debop_desktop.core import messages as msg
from debop_desktop.core.behaviors import RunGateway
from debop_desktop.core.behaviors.base import AnswerSettings
from debop_desktop.core.datasets.repository import Example
from debop_desktop.core.optimizer.candidates import DevScore, PromptKit
from debop_desktop.core.optimizer.config import OptimizerConfig
from debop_desktop.core.optimizer.eta import kind_of_method
from debop_desktop.core.optimizer.evaluate import EvalOutcome, RunContext, wilson_bounds
from debop_desktop.core.optimizer.events import BaselineScored, Event
from debop_desktop.core.optimizer.score_loop import score
from debop_desktop.core.optimizer.shipping import expected_shown
from debop_desktop.core.optimizer.stages import Forest
from debop_desktop.core.scoring.scorers import score_output

METHOD_LABELS = behaviors.LABELS  # plain names, the registry's own first (a mapping)


@dataclass(frozen=True)
class BaselineResult:
    method: str
    correct: int
    n: int
    low: float
    high: float

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0


def simple_methods(methods: Sequence[str], *, searched: bool = False) -> list[str]:
    """The simple candidates among `methods`, direct prompting always included, in the
    behaviors registry's order: those scored before the search, or with `searched` those made
    from what it found (the tuned pick), scored once it has."""
    names = [m for m in behaviors.simple_names() if m == "direct" or m in methods]
    return [m for m in names if (kind := behaviors.kind(m)) is not None and kind.needs_search == searched]


@dataclass(frozen=True)
class RunPreparation:
    """What a run offers a behavior preparing itself (behaviors.base.Preparation), and what
    the search's behavior needs besides (behaviors.debop.SearchPreparation): the run's
    context, the dev sample and the forest the search's finds go into."""

    ctx: RunContext
    train: Sequence[str]
    examples: Sequence[Example] = ()  # the train split with its answers
    dev: Sequence[Example] = ()
    forest: Forest = field(default_factory=Forest)

    def gateway(self, kind: str) -> RunGateway:
        return RunGateway(self.ctx, kind)

    def warn_once(self, key: str, message: str) -> Event | None:
        return self.ctx.warn_once(key, message)

    @property
    def seed(self) -> int:
        """The run's seed: what a preparation draws, it draws with it."""
        return self.ctx.config.seed

    def right(self, example: Example, output: str) -> bool:
        """Whether `output` answers `example` right, by the run's scorer."""
        return bool(score_output(output, example.answer, self.ctx.scorer, example.input).correct)

    def shown(self, example: Example) -> str:
        """`example`'s expected answer as the run's scorer shows it (as the verdict compares)."""
        return expected_shown(self.ctx.scorer, example)

    @property
    def config(self) -> OptimizerConfig:
        """The run's settings: what a preparation draws with (its seed, the few examples' k…)."""
        return self.ctx.config


def preparation(ctx: RunContext, train: Sequence[Example], dev: Sequence[Example], forest: Forest
                ) -> RunPreparation:
    return RunPreparation(ctx, tuple(e.input for e in train), tuple(train), tuple(dev), forest)


def prepared(run: RunPreparation, kit: PromptKit, methods: Sequence[str]) -> Generator[Event, None, PromptKit]:
    """The kit with what each behavior the run compares (`methods`, and direct prompting)
    prepares once per run (`Behavior.prepare`: the calibrated pick's content-free
    probabilities…), in the registry's order; not those the search makes (`searched`). A
    resumed run's kit already holds it."""
    for kind in behaviors.kinds():
        if not kind.needs_search and (kind.name == "direct" or kind.name in methods):
            kit = yield from kind.prepare(kit, run)
    return kit


def searched(run: RunPreparation, kit: PromptKit, methods: Sequence[str]) -> Generator[Event, None, PromptKit]:
    """The kit with what the behaviors the search makes prepare, in the registry's order: the
    tuned demonstration (always: its `prepare` is the DeBoP search, plan → collect → MCTS,
    behaviors/debop.py) and those of `methods`. The run calls it once the simple behaviors are
    scored (the search's reward weighs time against theirs); what the search finds is in
    `run.forest`."""
    for kind in behaviors.kinds():
        if kind.needs_search and (kind.name == "tuned" or kind.name in methods):
            kit = yield from kind.prepare(kit, run)
    return kit


def _scored(ctx: RunContext, kit: PromptKit, method: str, subject: str, examples: Sequence[Example]
            ) -> Generator[Event, None, EvalOutcome | None]:
    """One method on `examples`; None when the kit cannot make it (no worked examples, no
    tuned demonstration…) or the backend turns out unable to score answers."""
    behavior = behaviors.build(method, kit, AnswerSettings.from_config(ctx.config))
    if behavior is None:
        return None
    try:
        return (yield from score(ctx, behavior, subject, examples, kind=kind_of_method(method)))
    except NotImplementedError:
        warning = ctx.warn_once("calibrated:unsupported", msg.CALIBRATED_UNSUPPORTED)
        if warning:
            yield warning
        return None


def score_on_dev(ctx: RunContext, kit: PromptKit, dev: Sequence[Example], methods: Sequence[str], *,
                 searched: bool = False) -> Generator[Event, None, list[DevScore]]:
    """Each simple method on the dev sample (subject `dev:<method>`), in full (no racing); with
    `searched`, those made from what the search found (`simple_methods`)."""
    scores = []
    for method in simple_methods(methods, searched=searched):
        outcome = yield from _scored(ctx, kit, method, f"dev:{method}", dev)
        if outcome is None:
            continue
        right = {e.id: bool(ev.correct) for e in dev if (ev := ctx.recorder.evaluation(f"dev:{method}", e.id))}
        scores.append(DevScore(method, right, outcome.mean_seconds))
        low, high = wilson_bounds(outcome.correct, outcome.evaluated)
        yield BaselineScored(ctx.run_id, method, outcome.accuracy, low, high, outcome.evaluated, split="dev")
    return scores


def run_baselines(ctx: RunContext, kit: PromptKit, test: Sequence[Example], methods: Sequence[str]
                  ) -> Generator[Event, None, list[BaselineResult]]:
    """Each of `methods` on the test split (subject `test:<method>`); a method the kit cannot
    make (no worked examples, no tuned behavior) is left out."""
    results = []
    for method in methods:
        outcome = yield from _scored(ctx, kit, method, f"test:{method}", test)
        if outcome is None:
            continue
        low, high = wilson_bounds(outcome.correct, outcome.evaluated)
        result = BaselineResult(method, outcome.correct, outcome.evaluated, low, high)
        results.append(result)
        yield BaselineScored(ctx.run_id, method, result.accuracy, low, high, result.n)
    return results
