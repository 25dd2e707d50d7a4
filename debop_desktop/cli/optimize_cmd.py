"""`debop optimize`, `debop resume`, `debop ask`."""

from __future__ import annotations

import argparse
import time
from collections.abc import Generator

from debop_desktop.cli.args import non_negative_int, positive_int
from debop_desktop.cli.output import Output
from debop_desktop.cli.runs_cmd import cmd_runs_show, print_run_result
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.llm.base import CancelToken, GenerationParams
from debop_desktop.core.llm.cache import CachedBackend
from debop_desktop.core.optimizer.config import PRESETS, estimate_cost
from debop_desktop.core.optimizer.events import Event
from debop_desktop.core.optimizer.export import load_tuned
from debop_desktop.core.optimizer.job import measure_speed
from debop_desktop.core.optimizer.run import RunResult, resume, run_optimization
from debop_desktop.core.runtime import open_backend
from debop_desktop.core.scoring.scorers import get_scorer, score_output
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import open_store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("optimize", help="tune a model's behavior on a task with DeBoP")
    p.add_argument("--model", required=True)
    p.add_argument("--dataset", required=True)
    p.add_argument("--preset", choices=sorted(PRESETS), default="quick")
    p.add_argument("--seed", type=int)
    p.add_argument("--iterations", type=non_negative_int, help="search iterations (overrides the preset)")
    p.add_argument("--dev-limit", type=positive_int, help="dev examples used in the search")
    p.add_argument("--test-limit", type=positive_int, help="test examples used for the comparison")
    p.add_argument("--no-racing", action="store_true", help="evaluate every candidate on the whole dev sample")
    _model_options(p)
    p.set_defaults(handler=cmd_optimize)
    p = sub.add_parser("resume", help="continue a stopped or interrupted run")
    p.add_argument("run", type=int)
    _model_options(p)
    p.set_defaults(handler=cmd_resume)
    p = sub.add_parser("ask", help="ask a question using a run's tuned behavior")
    p.add_argument("run", type=int)
    p.add_argument("question")
    _model_options(p)
    p.set_defaults(handler=cmd_ask)


def _model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--threads", type=positive_int)
    p.add_argument("--ctx", type=positive_int, help="context length (default: up to 4096)")


def _load(store, model_ref, args, out: Output | None = None):
    """(record, backend, engine to unload or None, backend name, endpoint) for any model."""
    record = ModelLibrary(store).get(model_ref)
    backend, engine, name, endpoint = open_backend(record, Settings(store), threads=args.threads, n_ctx=args.ctx)
    if endpoint and out is not None:
        out.note(f"Using the model server at {endpoint} (model '{record.remote_model}').")
    return record, backend, engine, name, endpoint


def cmd_optimize(args: argparse.Namespace, out: Output) -> int:
    store = open_store(args.home)
    dataset = DatasetRepository(store).get(args.dataset)
    config = PRESETS[args.preset].with_overrides(
        seed=args.seed, max_iterations=args.iterations, dev_limit=args.dev_limit, test_limit=args.test_limit,
        racing=False if args.no_racing else None)
    record, backend, engine, backend_name, endpoint = _load(store, args.model, args, out)
    speed = measure_speed(backend)
    est = estimate_cost(config, n_train=dataset.counts["train"], n_dev=dataset.counts["dev"],
                        n_test=dataset.counts["test"], avg_question_tokens=60, prompt_tokens_per_s=speed * 5,
                        gen_tokens_per_s=speed, worked_examples=bool(dataset.worked_examples))
    out.note(f"Optimizing '{record.name}' on '{dataset.name}' ({args.preset}): {est.in_words()} "
             f"(measured {speed:.0f} tokens/s; racing and early stopping usually make it shorter).")
    gen = run_optimization(store, CachedBackend(backend, store), dataset.id, config, preset=args.preset,
                           model_id=record.id, cancel=(cancel := CancelToken()), tokens_per_second=speed,
                           backend_name=backend_name, endpoint=endpoint)
    result = _follow(gen, out, cancel, args.json)
    if engine:
        engine.unload()
    return print_run_result(out, result, args.json)


def cmd_resume(args: argparse.Namespace, out: Output) -> int:
    store = open_store(args.home)
    row = next(iter(store.db.query("SELECT * FROM runs WHERE id = ?", [args.run])), None)
    if row is None:
        out.error(f"There is no run number {args.run}. See 'debop runs list'.")
        return 1
    if row["status"] == "finished":
        out.note(f"Run {args.run} already finished; showing its results.")
        return cmd_runs_show(args, out)
    if row["model_id"] is None:
        out.error("The model this run used is no longer in your library; add it again first.")
        return 1
    _, backend, engine, _, _ = _load(store, row["model_id"], args, out)
    cancel = CancelToken()
    result = _follow(resume(store, CachedBackend(backend, store), args.run, cancel), out, cancel, args.json)
    if engine:
        engine.unload()
    return print_run_result(out, result, args.json)


def _follow(gen: Generator[Event, None, RunResult], out: Output, cancel: CancelToken, quiet: bool) -> RunResult:
    """Print events as they come; Ctrl-C cancels cleanly (the run stays resumable)."""
    bar = out.progress("Working")
    last = 0.0
    while True:
        try:
            event = next(gen)
        except StopIteration as stop:
            return stop.value
        except KeyboardInterrupt:
            cancel.cancel()
            continue
        if quiet:
            continue
        kind = event.kind
        if kind == "Progress":
            if time.monotonic() - last > 0.2:
                last = time.monotonic()
                bar(min(event.done, event.total), max(event.total, 1))
        elif kind == "StageChanged":
            out.note(f"\n== {event.message}")
        elif kind == "PlanScored":
            steps = " → ".join(event.steps[:-1]) if event.parsed else "(unreadable)"
            out.note(f"plan {event.plan_index + 1}: {event.dev_accuracy:.0%} on dev  {steps[:90]}")
        elif kind == "BestImproved":
            out.note(f"best so far: node {event.node_id}, {event.dev_accuracy:.0%} on dev (reward {event.reward:.3f})")
        elif kind == "Warning":
            out.note(f"note: {event.message}")
        elif kind == "RunFinished":
            out.note(f"\n{event.message}")


def cmd_ask(args: argparse.Namespace, out: Output) -> int:
    store = open_store(args.home)
    tuned = load_tuned(store, args.run)
    _, backend, engine, _, _ = _load(store, tuned.run["model_id"], args)
    result = backend.chat(tuned.messages_for(args.question), GenerationParams(max_tokens=256),
                          on_text=None if args.json else out.write)
    if engine:
        engine.unload()
    dataset = DatasetRepository(store).get(tuned.run["dataset_id"])
    scored = score_output(result.text, "", get_scorer(dataset.scorer, **dataset.scorer_options), args.question)
    if args.json:
        out.json({"output": result.text, "answer": scored.extracted})
    else:
        out.line(f"\nAnswer: {scored.extracted or '(none found)'}")
    return 0
