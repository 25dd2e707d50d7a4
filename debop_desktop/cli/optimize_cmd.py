"""`debop optimize`, `debop resume`, `debop ask`."""

from __future__ import annotations

import argparse
import contextlib
import signal
import threading
from collections.abc import Generator, Iterator
from pathlib import Path

from debop_desktop.cli.args import non_negative_int, parallel_count, positive_int
from debop_desktop.cli.output import Output, OutputClosed, stdout_closed
from debop_desktop.cli.runs_cmd import cmd_runs_show, print_run_result
from debop_desktop.cli.ticker import ProgressTicker
from debop_desktop.core import messages
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.llm.base import CancelToken
from debop_desktop.core.optimizer.config import PRESETS, estimate_for
from debop_desktop.core.optimizer.events import (
    BestImproved,
    Event,
    PlanScored,
    Progress,
    RunFinished,
    StageChanged,
    Warning,
)
from debop_desktop.core.optimizer.export import load_tuned
from debop_desktop.core.optimizer.job import optimization_job
from debop_desktop.core.optimizer.run import RunResult
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.runtime import open_model
from debop_desktop.core.scoring.scorers import get_scorer, score_output
from debop_desktop.core.settings import Settings
from debop_desktop.core.store import Store, open_store


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
    p.add_argument("--parallel", type=parallel_count, metavar="N",
                   help="questions the model works on together while scoring (1 = one at a time; "
                        "default: the Settings value, automatic from the model, the context and free memory)")


def _store_path(store) -> Path:
    return Path(store.path)


def cmd_optimize(args: argparse.Namespace, out: Output) -> int:
    store = open_store(args.home)
    store.require_writable()  # a read-only data folder is said now, not after the model has loaded
    dataset = DatasetRepository(store).get(args.dataset)
    record = ModelLibrary(store).get(args.model)
    config = PRESETS[args.preset].with_overrides(
        seed=args.seed, max_iterations=args.iterations, dev_limit=args.dev_limit, test_limit=args.test_limit,
        racing=False if args.no_racing else None)
    if record.is_remote:
        out.note(f"Using the model server at {record.endpoint} (model '{record.remote_model}').")
    out.note(f"Optimizing '{record.name}' on '{dataset.name}' ({args.preset}): "
             f"{estimate_for(config, dataset).in_words()} before the model's speed is measured.")
    cancel = CancelToken()
    job = optimization_job(_store_path(store), record.id, dataset_id=dataset.id, config=config, preset=args.preset,
                           cancel=cancel, threads=args.threads, n_ctx=args.ctx, parallel=args.parallel,
                           on_busy=out.note)
    return _drive(job, out, cancel, args.json, store)


def cmd_resume(args: argparse.Namespace, out: Output) -> int:
    store = open_store(args.home)
    row = RunRepository(store).header(args.run)
    if row is None:
        out.error(f"There is no run number {args.run}. See 'debop runs list'.")
        return 1
    if row.status == "finished":
        out.note(f"Run {args.run} already finished; showing its results.")
        return cmd_runs_show(args, out)
    if row.model_id is None:
        out.error("The model this run used is no longer in your library; add it again first.")
        return 1
    store.require_writable()
    cancel = CancelToken()
    job = optimization_job(_store_path(store), row.model_id, resume_run=args.run, cancel=cancel,
                           threads=args.threads, n_ctx=args.ctx, parallel=args.parallel, on_busy=out.note)
    return _drive(job, out, cancel, args.json, store)


# Ctrl-C, then the system's ways of asking a program to end: `kill`, a logout or a service
# stop (SIGTERM) and a closed terminal (SIGHUP). SIGHUP does not exist on Windows.
_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def _stop_signals_cancel(cancel: CancelToken, out: Output) -> Iterator[list[int]]:
    """The first Ctrl-C, SIGTERM or SIGHUP asks the run to stop: it ends within a second, marked
    cancelled and resumable. A second one stops at once. Without this, Ctrl-C would tear the run's
    generator down mid-step, and SIGTERM or SIGHUP would end the process with the run left
    'running' until it goes stale. Yields the list of signals received (first one first).
    A SIGTERM or SIGHUP ignored when the program started (`nohup`) stays ignored."""
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def on_signal(signum: int, _frame: object) -> None:
        if cancel.cancelled:
            raise KeyboardInterrupt
        received.append(signum)
        cancel.cancel()
        if signum == signal.SIGINT:
            _say(out, messages.RUN_STOPPING_CTRL_C)
        else:
            why = messages.RUN_STOP_REASONS[signal.Signals(signum).name]
            _say(out, messages.RUN_STOPPING_SIGNAL.format(why=why))

    previous = {s: signal.signal(s, on_signal) for s in _STOP_SIGNALS
                if s == signal.SIGINT or signal.getsignal(s) is not signal.SIG_IGN}
    try:
        yield received
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _say(out: Output, text: str) -> None:
    """A note that may find its terminal gone (after SIGHUP): then everything printed later goes
    nowhere instead of failing, so the run still ends cleanly."""
    try:
        out.note(text)
        out.stderr.flush()
    except (OSError, OutputClosed):
        stdout_closed()


def _drive(job: Generator[Event, None, RunResult], out: Output, cancel: CancelToken, as_json: bool,
           store: Store | None = None) -> int:
    """Follow the run to its end and print its result. Stopped by SIGTERM or SIGHUP, the exit
    status is the shell's for that signal (143, 129), so a script can tell the run did not finish."""
    with _stop_signals_cancel(cancel, out) as received:
        result = _follow(job, out, cancel, as_json)
    code = print_run_result(out, result, as_json, store)
    if result.status == "cancelled" and received and received[0] != signal.SIGINT:
        return 128 + received[0]
    return code


def _follow(gen: Generator[Event, None, RunResult], out: Output, cancel: CancelToken, quiet: bool) -> RunResult:
    """Print events as they come until the run ends (a cancel ends it cleanly, resumable)."""
    ticker = ProgressTicker(out.progress("Working"), out.note)  # ticks between events
    while True:
        try:
            event = next(gen)
        except StopIteration as stop:
            ticker.stop()
            return stop.value
        if quiet:
            continue
        match event:
            case Progress():
                ticker.show(event)
            case StageChanged():
                out.note(f"\n== {event.message}")
            case PlanScored():
                steps = " → ".join(event.steps[:-1]) if event.parsed else "(unreadable)"
                out.note(f"plan {event.plan_index + 1}: {event.dev_accuracy:.0%} on dev  {steps[:90]}")
            case BestImproved():
                out.note(f"best so far: node {event.node_id}, {event.dev_accuracy:.0%} on dev "
                         f"(reward {event.reward:.3f})")
            case Warning():
                out.note(f"note: {event.message}")
            case RunFinished():
                out.note(f"\n{event.message}")


def cmd_ask(args: argparse.Namespace, out: Output) -> int:
    store = open_store(args.home)
    tuned = load_tuned(store, args.run)
    record = ModelLibrary(store).get(tuned.run["model_id"])
    opened = open_model(record, Settings(store), user="ask", threads=args.threads, n_ctx=args.ctx,
                        parallel=args.parallel)
    try:
        result = tuned.answer(opened.backend, args.question,  # exactly as the run scored it
                              on_text=None if args.json else out.write)
    finally:
        opened.release()
    dataset = DatasetRepository(store).get(tuned.run["dataset_id"])
    scored = score_output(result.text, "", get_scorer(dataset.scorer, **dataset.scorer_options), args.question)
    if args.json:
        out.json({"output": result.text, "answer": scored.extracted})
    else:
        out.line(f"\nAnswer: {scored.extracted or '(none found)'}")
    return 0
