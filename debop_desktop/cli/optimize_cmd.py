"""`debop optimize`, `debop resume`, `debop runs`, `debop export`, `debop ask`."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Generator
from pathlib import Path

from debop_desktop.cli.output import Output
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.llm.base import CancelToken, GenerationParams
from debop_desktop.core.llm.cache import CachedBackend
from debop_desktop.core.optimizer.baselines import METHOD_LABELS
from debop_desktop.core.optimizer.config import PRESETS, estimate_cost
from debop_desktop.core.optimizer.events import Event
from debop_desktop.core.optimizer.export import FORMATS, export_behavior, load_tuned
from debop_desktop.core.optimizer.job import measure_speed
from debop_desktop.core.optimizer.report import list_runs, mark_interrupted, question_changes
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
    p.add_argument("--iterations", type=int, help="search iterations (overrides the preset)")
    p.add_argument("--dev-limit", type=int, help="dev examples used in the search")
    p.add_argument("--test-limit", type=int, help="test examples used for the comparison")
    p.add_argument("--no-racing", action="store_true", help="evaluate every candidate on the whole dev sample")
    _model_options(p)
    p.set_defaults(handler=cmd_optimize)
    p = sub.add_parser("resume", help="continue a stopped or interrupted run")
    p.add_argument("run", type=int)
    _model_options(p)
    p.set_defaults(handler=cmd_resume)
    runs = sub.add_parser("runs", help="optimization runs").add_subparsers(dest="runs_command", required=True)
    runs.add_parser("list", help="list runs").set_defaults(handler=cmd_runs_list)
    p = runs.add_parser("show", help="a run's tree and results")
    p.add_argument("run", type=int)
    p.add_argument("--examples", action="store_true", help="test questions, direct vs tuned, side by side")
    p.set_defaults(handler=cmd_runs_show)
    p = sub.add_parser("export", help="export a run's tuned behavior")
    p.add_argument("run", type=int)
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--output", help="write to this file instead of the screen")
    p.set_defaults(handler=cmd_export)
    p = sub.add_parser("ask", help="ask a question using a run's tuned behavior")
    p.add_argument("run", type=int)
    p.add_argument("question")
    _model_options(p)
    p.set_defaults(handler=cmd_ask)


def _model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--threads", type=int)
    p.add_argument("--ctx", type=int, help="context length (default: up to 4096)")


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
    return _report(out, result, args.json)


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
    return _report(out, result, args.json)


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


def _report(out: Output, result: RunResult, as_json: bool) -> int:
    if as_json:
        out.json({"run_id": result.run_id, "status": result.status, "model_calls": result.model_calls,
                  "calls_saved": result.calls_saved, "best": result.best.__dict__ if result.best else None,
                  "baselines": [b.__dict__ | {"accuracy": b.accuracy} for b in result.baselines],
                  "error": result.error})
    else:
        _baseline_table(out, [{"method": b.method, "accuracy": b.accuracy, "low": b.low, "high": b.high,
                               "correct": b.correct, "n": b.n} for b in result.baselines])
        if result.status == "cancelled":
            out.line(f"Run {result.run_id} stopped. Continue it with: debop resume {result.run_id}")
        elif result.status == "failed":
            out.line(f"Run {result.run_id} failed: {result.error}. It can be resumed: debop resume {result.run_id}")
        else:
            out.line(f"Run {result.run_id}: {result.model_calls} model calls, {result.calls_saved} saved by racing. "
                     f"Export it with: debop export {result.run_id} --format modelfile")
    return 0 if result.status in ("finished", "cancelled") else 1


def _baseline_table(out: Output, baselines: list[dict]) -> None:
    if not baselines:
        return
    out.line("\nHeld-out test split:")
    out.table(["method", "accuracy", "95% interval", "right"],
              [[METHOD_LABELS.get(b["method"], b["method"]), f"{b['accuracy']:.0%}",
                f"{b['low']:.0%}–{b['high']:.0%}", f"{b['correct']}/{b['n']}"] for b in baselines])


def cmd_runs_list(args: argparse.Namespace, out: Output) -> int:
    store = open_store(args.home)
    mark_interrupted(store)
    runs = list(reversed(list_runs(store)))  # oldest first on a terminal

    def pct(value: float | None) -> str:
        return "" if value is None else f"{value:.0%}"

    if args.json:
        out.json([{"id": r.id, "model": r.model, "dataset": r.dataset, "status": r.status, "preset": r.preset,
                   "best_dev": r.best_dev, "tuned_test": r.tuned_test, "created": r.created} for r in runs])
    elif not runs:
        out.line("No runs yet. Start one with: debop optimize --model 1 --dataset 1")
    else:
        out.table(["#", "model", "task", "status", "preset", "best dev", "tuned test", "started"],
                  [[r.id, r.model, r.dataset, r.status, r.preset, pct(r.best_dev), pct(r.tuned_test), r.created]
                   for r in runs])
    return 0


def cmd_runs_show(args: argparse.Namespace, out: Output) -> int:
    store = open_store(args.home)
    run = next(iter(store.db.query("SELECT * FROM runs WHERE id = ?", [args.run])), None)
    if run is None:
        out.error(f"There is no run number {args.run}.")
        return 1
    nodes = list(store.db.query("SELECT id, parent_id, tree_index, operator, iteration, dev_accuracy, reward, "
                                "visits, status FROM nodes WHERE run_id = ? ORDER BY id", [args.run]))
    summary = json.loads(run["summary_json"] or "{}")
    if args.json:
        out.json({"run": {k: run[k] for k in ("id", "status", "preset", "seed", "best_node_id", "error",
                                              "backend", "endpoint")},
                  "summary": {k: v for k, v in summary.items() if k != "traceback"}, "nodes": nodes})
        return 0
    where = f"server {run['endpoint']}" if run["endpoint"] else "in-process llama.cpp"
    out.line(f"Run {run['id']}: {run['status']} (preset {run['preset']}, seed {run['seed']}, model via {where})")
    children: dict = {}
    for n in nodes:
        children.setdefault(n["parent_id"], []).append(n)

    def draw(parent, depth):
        for n in children.get(parent, []):
            acc = "—" if n["dev_accuracy"] is None else f"{n['dev_accuracy']:.0%}"
            mark = "  ★ best" if n["id"] == run["best_node_id"] else ""
            raced = " (raced out)" if n["status"] == "raced_out" else ""
            out.line(f"{'  ' * depth}• node {n['id']} {n['operator']}: dev {acc}, reward "
                     f"{(n['reward'] or 0):.3f}, visits {n['visits']}{raced}{mark}")
            draw(n["id"], depth + 1)

    draw(None, 0)
    _baseline_table(out, summary.get("baselines", []))
    if getattr(args, "examples", False):
        _examples_table(out, store, args.run)
    return 0


def _examples_table(out: Output, store, run_id: int) -> None:
    """Each test question: expected answer, direct and tuned answers, fixed / broken."""
    rows = [[q.question[:50], q.expected, q.direct, q.tuned, q.change] for q in question_changes(store, run_id)]
    out.line("\nTest questions (direct → tuned):")
    out.table(["question", "expected", "direct", "tuned", "change"], rows)


def cmd_export(args: argparse.Namespace, out: Output) -> int:
    text = export_behavior(open_store(args.home), args.run, args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        out.line(f"Wrote {args.output}")
    else:
        out.write(text if text.endswith("\n") else text + "\n")
    return 0


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
