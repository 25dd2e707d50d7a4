"""`debop runs list|show` and `debop export`: read a run's results."""

from __future__ import annotations

import argparse
import dataclasses

from debop_desktop.cli.output import Output
from debop_desktop.core import messages
from debop_desktop.core.optimizer.baselines import METHOD_LABELS
from debop_desktop.core.optimizer.export import FORMATS, export_behavior
from debop_desktop.core.optimizer.mistakes import run_mistakes
from debop_desktop.core.optimizer.report import (
    NodeView,
    RunView,
    list_runs,
    mark_interrupted,
    public_summary,
    question_changes,
    run_view,
)
from debop_desktop.core.optimizer.run import RunResult
from debop_desktop.core.optimizer.verdict import stored_name, verdict_name
from debop_desktop.core.output_files import open_for_writing
from debop_desktop.core.store import Store, open_store


def register(sub: argparse._SubParsersAction) -> None:
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
    p.add_argument("--force", action="store_true", help="replace the --output file if it exists")
    p.set_defaults(handler=cmd_export)


def print_run_result(out: Output, result: RunResult, as_json: bool, store: Store | None = None) -> int:
    if as_json and store is not None:
        out.json(run_json(store, result.run_id))  # the same shape as `runs show --json`
    elif as_json:
        out.json({"run_id": result.run_id, "status": result.status, "error": result.error})
    else:
        _baseline_table(out, [{"method": b.method, "accuracy": b.accuracy, "low": b.low, "high": b.high,
                               "correct": b.correct, "n": b.n} for b in result.baselines],
                        stored_name(result.shipped) if result.shipped else None)
        _verdict_lines(out, result.verdict)
        if result.status == "cancelled":
            out.line(f"Run {result.run_id} stopped. Continue it with: debop resume {result.run_id}")
        elif result.status == "failed":
            out.line(f"Run {result.run_id} failed: {result.error}. It can be resumed: debop resume {result.run_id}")
        else:
            out.line(f"Run {result.run_id}: {result.model_calls} model calls, {result.calls_saved} saved by racing. "
                     f"Export it with: debop export {result.run_id} --format modelfile")
    return 0 if result.status in ("finished", "cancelled") else 1


def _baseline_table(out: Output, baselines: list[dict], kept: str | None = None) -> None:
    if not baselines:
        return
    out.line("\nHeld-out test split:")
    out.table(["method", "accuracy", "95% interval", "right"],
              [[METHOD_LABELS.get(b["method"], b["method"]) + (messages.RUNS_SHOW_KEPT if b["method"] == kept else ""),
                f"{b['accuracy']:.0%}", f"{b['low']:.0%}–{b['high']:.0%}", f"{b['correct']}/{b['n']}"]
               for b in baselines])


def _verdict_lines(out: Output, verdict: dict | None) -> None:
    """The verdict's sentence, then its warnings, each on its own line."""
    if not verdict:
        return
    out.line(f"\n{verdict.get('sentence', '')}")
    for warning in verdict.get("warnings") or ():
        out.line(f"Note: {warning}")


def cmd_runs_list(args: argparse.Namespace, out: Output) -> int:
    store = open_store(args.home)
    mark_interrupted(store)
    runs = list(reversed(list_runs(store)))  # oldest first on a terminal

    def pct(value: float | None) -> str:
        return "" if value is None else f"{value:.0%}"

    if args.json:
        out.json([{"id": r.id, "model": r.model, "dataset": r.dataset, "status": r.status, "preset": r.preset,
                   "best_dev": r.best_dev, "tuned_test": r.tuned_test, "kept_test": r.kept_test,
                   "verdict": r.verdict, "created": r.created} for r in runs])
    elif not runs:
        out.line("No runs yet. Start one with: debop optimize --model 1 --dataset 1")
    else:  # the final exam of what the app keeps, as the Results page's list names it
        out.table(list(messages.RUNS_LIST_HEADERS),
                  [[r.id, r.model, r.dataset, r.status, r.preset, pct(r.best_dev), pct(r.kept_test),
                    messages.VERDICT_SHORT.get(r.verdict, "") if r.status == "finished" else "", r.created]
                   for r in runs])
    return 0


def cmd_runs_show(args: argparse.Namespace, out: Output) -> int:
    """Rendered from the one run view (`report.run_view`) that the Optimize and Results pages read."""
    store = open_store(args.home)
    view = run_view(store, args.run)  # a plain "There is no run number N." if there is none
    if args.json:
        out.json(run_json(store, args.run))
        return 0
    where = f"server {view.endpoint}" if view.endpoint else "in-process llama.cpp"
    about = [f"task '{view.dataset}'" if view.dataset else "", f"model '{view.model}'" if view.model else "",
             f"preset {view.preset}", f"seed {view.seed}", f"model via {where}"]
    out.line(f"Run {view.id}: {view.status} ({', '.join(a for a in about if a)})")
    out.line(f"\n{view.headline}")
    for warning in view.warnings:
        out.line(f"Note: {warning}")
    if view.shipped_reason:
        out.line(f"What ships: {METHOD_LABELS.get(view.shipped, view.shipped)}. {view.shipped_reason}")
    if view.nodes:
        out.line("\nTries (dev: share right on the examples to check with):")
        _draw_tree(out, view)
    _baseline_table(out, [dataclasses.asdict(b) for b in view.baselines], stored_name(view.shipped))
    mistakes = run_mistakes(store, view.id)
    if mistakes is not None:
        out.line(f"\n{messages.MISTAKES_CLI_TITLE}")
        for line in mistakes.lines():
            out.line(f"  {line}")
        if mistakes.costly_line():
            out.line(f"  {mistakes.costly_line()}")
    if getattr(args, "examples", False):
        _examples_table(out, store, args.run)
    return 0


def _draw_tree(out: Output, view: RunView) -> None:
    children: dict[int | None, list[NodeView]] = {}
    for n in view.nodes:
        children.setdefault(n.parent_id, []).append(n)

    def draw(parent: int | None, depth: int) -> None:
        for n in children.get(parent, []):
            acc = "—" if n.dev_accuracy is None else f"{n.dev_accuracy:.0%}"
            mark = "  ★ best" if n.id == view.best_node_id else ""
            raced = " (raced out)" if n.raced_out else ""
            out.line(f"{'  ' * depth}• node {n.id} {n.operator}: dev {acc}, reward {(n.reward or 0):.3f}, "
                     f"visits {n.visits}{raced}{mark}")
            draw(n.id, depth + 1)

    draw(None, 0)


def run_json(store: Store, run_id: int) -> dict:
    """One run as JSON, the one shape `optimize --json`, `resume --json` and `runs show --json`
    print: the run view, with the run's number, status, model calls and error at the top."""
    view = run_view(store, run_id)
    data = _view_json(view)
    best = next((n for n in data["nodes"] if n["best"]), None)
    return {"run_id": run_id, "status": data["run"]["status"], "error": data["run"]["error"],
            "model_calls": view.outcome.model_calls, "calls_saved": view.outcome.calls_saved, "best": best, **data}


def _view_json(view: RunView) -> dict:
    """The run view as JSON: methods by their public names, the stored summary without its traceback."""
    return {
        "run": {"id": view.id, "status": view.status, "preset": view.preset, "seed": view.seed,
                "best_node_id": view.best_node_id, "error": view.error, "backend": view.backend,
                "endpoint": view.endpoint, "model": view.model, "dataset": view.dataset},
        "headline": view.headline, "warnings": list(view.warnings),
        "shipped": {"method": verdict_name(view.shipped), "reason": view.shipped_reason},
        "baselines": [dataclasses.asdict(b) | {"method": verdict_name(b.method)} for b in view.baselines],
        "nodes": [{"id": n.id, "parent_id": n.parent_id, "tree_index": n.tree_index, "operator": n.operator,
                   "iteration": n.iteration, "source": n.source, "dev_accuracy": n.dev_accuracy,
                   "mean_seconds": n.mean_seconds, "reward": n.reward, "visits": n.visits,
                   "raced_out": n.raced_out, "best": n.id == view.best_node_id} for n in view.nodes],
        "verdict": dict(view.verdict.raw) if view.verdict is not None else None,
        "summary": public_summary(view.outcome),
    }


def _examples_table(out: Output, store, run_id: int) -> None:
    """Each test question: expected answer, direct and tuned answers, fixed / broken."""
    rows = [[q.question[:50], q.expected, q.direct, q.tuned, q.change] for q in question_changes(store, run_id)]
    out.line("\nTest questions (direct → tuned):")
    out.table(["question", "expected", "direct", "tuned", "change"], rows)


def cmd_export(args: argparse.Namespace, out: Output) -> int:
    text = export_behavior(open_store(args.home), args.run, args.format, file_name=args.output)
    if args.output:
        with open_for_writing(args.output, overwrite=args.force) as fh:  # refuses to replace without --force
            fh.write(text)
        out.line(f"Wrote {args.output}")
    else:
        out.write(text if text.endswith("\n") else text + "\n")
    return 0


