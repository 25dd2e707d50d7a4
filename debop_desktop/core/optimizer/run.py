"""`run_optimization` and `resume`: a whole DeBoP run as a generator of events.

    result = yield from run_optimization(store, backend, dataset_id, config)

The generator's return value is a `RunResult`; every event is also recorded in the store
(progress events excepted: they are cumulative and frequent). A cancel (the token) ends the
run as "cancelled", resumable; any other failure ends it as "failed" with the reason.
Another program writing to the database makes the run wait, not fail (`Store.waiting_when_busy`);
a Warning says how long once it goes on.
"""

from __future__ import annotations

import random
import traceback
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field, replace

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.repository import DatasetRepository, Example
from debop_desktop.core.errors import Cancelled, EngineCrashed
from debop_desktop.core.llm.base import CancelToken, ChatBackend
from debop_desktop.core.optimizer.baselines import (
    BaselineResult,
    preparation,
    prepared,
    run_baselines,
    score_on_dev,
    searched,
)
from debop_desktop.core.optimizer.candidates import PLAN_PREFIX, DevScore, token_limits
from debop_desktop.core.optimizer.config import OptimizerConfig, estimate_for
from debop_desktop.core.optimizer.confirm import candidate_pool, confirm_stage, confirmation_questions
from debop_desktop.core.optimizer.demos import Demonstration
from debop_desktop.core.optimizer.evaluate import RunContext, wilson_bounds
from debop_desktop.core.optimizer.events import Event, Progress, RunFinished, RunStarted, StageChanged, Warning
from debop_desktop.core.optimizer.outcome import BestNode, RunOutcome, Score, Shipped, Verdict
from debop_desktop.core.optimizer.recorder import RunRecorder
from debop_desktop.core.optimizer.search import Node, best_node
from debop_desktop.core.optimizer.shipping import (
    make_kit,
    median_answer_seconds,
    shipping_note,
    test_methods,
    verdict_for_run,
)
from debop_desktop.core.optimizer.stages import Forest
from debop_desktop.core.optimizer.verdict import stored_name, verdict_name
from debop_desktop.core.scoring.scorers import get_scorer
from debop_desktop.core.store import Store

DEFAULT_TOKENS_PER_SECOND = 50.0


@dataclass(frozen=True)
class Candidate:
    node_id: int
    parent_id: int | None
    tree_index: int
    operator: str
    iteration: int
    dev_accuracy: float | None
    mean_seconds: float | None
    reward: float | None
    visits: int
    raced_out: bool
    model_calls: int  # spent to find and score it


@dataclass
class RunResult:
    run_id: int
    status: str
    candidates: list[Candidate] = field(default_factory=list)
    best: Candidate | None = None
    best_demo: Demonstration | None = None
    baselines: list[BaselineResult] = field(default_factory=list)
    model_calls: int = 0
    calls_saved: int = 0
    error: str = ""
    shipped: str | None = None  # the method whose behavior the app keeps (None: not decided yet)
    verdict: dict | None = None  # as compute_verdict gives it (see verdict.py); typed: RunOutcome.verdict


def run_optimization(store: Store, backend: ChatBackend, dataset_id: int,
                     config: OptimizerConfig | None = None, *, preset: str = "custom",
                     model_id: int | None = None, cancel: CancelToken | None = None,
                     tokens_per_second: float | None = None, backend_name: str = "llama.cpp",
                     endpoint: str | None = None) -> Generator[Event, None, RunResult]:
    config = config or OptimizerConfig()
    repo = DatasetRepository(store)
    with store.waiting_when_busy(cancel):
        recorder = RunRecorder.create(store, model_id=model_id, dataset_id=dataset_id, config=config, preset=preset,
                                      backend=backend_name, endpoint=endpoint, model_sha256=backend.fingerprint,
                                      dataset_sha256=repo.current_hash(dataset_id))
        return (yield from _recorded(recorder, _drive(store, backend, recorder, cancel, tokens_per_second, False)))


def resume(store: Store, backend: ChatBackend, run_id: int, cancel: CancelToken | None = None,
           tokens_per_second: float | None = None) -> Generator[Event, None, RunResult]:
    """Continue a cancelled, failed or interrupted run: the same tree, and no evaluation
    that finished before is run again."""
    with store.waiting_when_busy(cancel):
        recorder = RunRecorder(store, run_id)
        return (yield from _recorded(recorder, _drive(store, backend, recorder, cancel, tokens_per_second, True)))


def _recorded(recorder: RunRecorder, events: Generator[Event, None, RunResult]
              ) -> Generator[Event, None, RunResult]:
    try:
        while True:
            event = next(events)
            waits = recorder.store.busy.take_notes() if recorder.store.busy else []  # how long writes waited
            for item in [*(Warning(recorder.run_id, note) for note in waits), event]:
                if not isinstance(item, Progress):
                    recorder.record_event(item)
                yield item
    except StopIteration as stop:
        return stop.value


def _drive(store: Store, backend: ChatBackend, recorder: RunRecorder, cancel: CancelToken | None,
           tokens_per_second: float | None, resumed: bool) -> Generator[Event, None, RunResult]:
    row = recorder.run_row()
    config = OptimizerConfig.from_json(row["config_json"])
    outcome = RunOutcome.from_summary(recorder.summary())  # a resumed run's, or nothing yet
    speed = outcome.tokens_per_second or tokens_per_second or DEFAULT_TOKENS_PER_SECOND
    repo = DatasetRepository(store)
    dataset = repo.get(row["dataset_id"])
    train = repo.optimizer_examples(dataset.id, "train")
    all_dev = repo.optimizer_examples(dataset.id, "dev")
    dev = _sample(all_dev, config.dev_limit, config.seed)
    scorer = get_scorer(dataset.scorer, **dataset.scorer_options)
    kit = make_kit(dataset, train, outcome.kit)
    # fixed for the run (a resume scores time the same way); export, ask and the Playground send these prompts
    outcome = _checkpoint(recorder, replace(outcome, tokens_per_second=speed, kit=kit.to_json()),
                          row["best_node_id"])
    estimate = estimate_for(config, dataset, speed, int(getattr(backend, "parallel", 1)))
    ctx = RunContext(recorder.run_id, backend, recorder, scorer, config, kit.instruction, speed,
                     estimate.model_calls, cancel, kit.space)
    ctx.clock.expect(estimate.calls_by_stage, len(dev), token_limits(config))
    result = RunResult(recorder.run_id, "running")
    recorder.set_status("running")
    yield RunStarted(recorder.run_id, backend.fingerprint, dataset.name, row["preset"] or "custom",
                     estimate.model_calls, resumed)
    forest = Forest()  # what the search finds, kept as it is found (a stopped run reports it)
    try:
        if not train or not dev:
            raise ValueError("The task needs examples in its train and dev splits before it can be optimized.")
        ctx.clock.start_stage("simple")
        yield StageChanged(ctx.run_id, "simple", msg.STAGE_SIMPLE)
        run = preparation(ctx, train, dev, forest)
        kit = yield from prepared(run, kit, config.baselines)  # e.g. the calibration
        # with what the behaviors prepared, before any answer depends on it
        outcome = _checkpoint(recorder, replace(outcome, kit=kit.to_json()), row["best_node_id"])
        simple = yield from score_on_dev(ctx, kit, dev, config.baselines)
        ctx.median_seconds = median_answer_seconds(recorder, simple, dev, ctx.tokens_per_second)
        if config.search:  # the tuned demonstration's `prepare`: plan → collect → MCTS (stages.py)
            kit = yield from searched(run, kit, config.baselines)
            # with what the search's behaviors prepared (the tuned pick's calibration choice): a resume keeps it
            outcome = _checkpoint(recorder, replace(outcome, kit=kit.to_json()), row["best_node_id"])
            simple += yield from score_on_dev(ctx, kit, dev, config.baselines, searched=True)  # the tuned pick
        plans, best = forest.plans, forest.best
        ctx.clock.start_stage("confirm")
        yield StageChanged(ctx.run_id, "confirm", msg.STAGE_CONFIRM)
        questions = confirmation_questions(all_dev, dev, config.seed)
        pool = candidate_pool(ctx, simple, plans, best, dev)
        choice = yield from confirm_stage(ctx, kit, pool, plans, best, dev, questions)
        note = shipping_note(choice, kit, not {e.id for e in questions} & {e.id for e in dev})
        if choice.method != "tuned":
            yield Warning(ctx.run_id, note)
        plan = plans[int(choice.method[len(PLAN_PREFIX):])] if choice.method.startswith(PLAN_PREFIX) else None
        kit = replace(kit, demo=best.demo if best else None, plan=plan)
        outcome = replace(outcome, kit=kit.to_json(),  # with the plan that ships, so ask and exports rebuild it
                          shipped=Shipped(choice.behavior, choice.behavior, verdict_name(choice.method), note))
        outcome = outcome.with_scores("dev", _scores(pool)).with_scores("confirm", _scores(choice.finalists))
        outcome = _checkpoint(recorder, outcome, best.id if best else None)
        ctx.clock.start_stage("baselines")
        yield StageChanged(ctx.run_id, "baselines", msg.STAGE_FINAL_EXAM)
        test = repo.examples(dataset.id, "test")[: config.test_limit or None]  # first use of test
        methods = test_methods(config, choice.behavior, best is not None)
        result.baselines = yield from run_baselines(ctx, kit, test, methods)
        result.verdict = verdict_for_run(recorder, scorer, test, methods, choice.behavior, kit)
        result.shipped = stored_name(result.verdict["shipped"])
        outcome = replace(outcome, shipped=replace(outcome.shipped, method=result.shipped) if outcome.shipped
                          else None, verdict=Verdict.from_json(result.verdict))
        result.status = "finished"
    except Cancelled:
        result.status = "cancelled"
    except EngineCrashed as exc:  # twice in one session: stop, keep everything, resumable
        result.status, result.error = "interrupted", msg.ENGINE_CRASHED_TWICE.format(model=exc.model or "the model")
        outcome = replace(outcome, extra={**outcome.extra, "crash_details": exc.details})
    except Exception as exc:  # a failed run keeps everything it recorded and can be resumed
        result.status, result.error = "failed", f"{exc}"
        outcome = replace(outcome, extra={**outcome.extra, "traceback": traceback.format_exc()})
    _finish(result, ctx, forest.nodes, outcome)
    recorder.set_status(result.status, result.error or None)
    done = f"Done. {result.verdict['sentence']}" if result.verdict else "Done."
    message = {"finished": done, "cancelled": "Stopped; resume it to continue where it left off.",
               "failed": f"The run stopped because of an error: {result.error}",
               "interrupted": result.error}[result.status]
    yield RunFinished(ctx.run_id, result.status, result.best.node_id if result.best else None,
                      result.best.dev_accuracy if result.best else None, message)
    return result


def _sample(examples: list[Example], limit: int | None, seed: int) -> list[Example]:
    if limit is None or len(examples) <= limit:
        return examples
    chosen = random.Random(f"{seed}:dev").sample(examples, limit)
    return sorted(chosen, key=lambda e: e.position)


def _checkpoint(recorder: RunRecorder, outcome: RunOutcome, best_node_id: int | None) -> RunOutcome:
    """Write `outcome` as the run's summary (the one place a run writes it); returns it."""
    recorder.set_summary(outcome.to_summary(), best_node_id)
    return outcome


def _scores(scores: Sequence[DevScore]) -> list[Score]:
    return [Score.of(s.method, s.correct, s.n, *wilson_bounds(s.correct, s.n)) for s in scores]


def _finish(result: RunResult, ctx: RunContext, nodes: list[Node], outcome: RunOutcome) -> None:
    result.candidates = [Candidate(n.id, n.parent.id if n.parent else None, n.tree_index, n.operator, n.iteration,
                                   n.accuracy, n.seconds, n.reward, n.visits, n.raced_out, n.model_calls)
                         for n in nodes]
    best = best_node(nodes)
    if best is not None:
        result.best = next(c for c in result.candidates if c.node_id == best.id)
        result.best_demo = best.demo
    result.model_calls, result.calls_saved = ctx.calls_made, ctx.clock.saved
    outcome = replace(outcome, status=result.status, model_calls=ctx.calls_made, calls_saved=ctx.clock.saved,
                      best=BestNode(best.id, best.accuracy, best.reward) if best else None)
    outcome = outcome.with_scores("test", [Score.of(b.method, b.correct, b.n, b.low, b.high)
                                           for b in result.baselines])
    _checkpoint(ctx.recorder, outcome, best.id if best else None)
