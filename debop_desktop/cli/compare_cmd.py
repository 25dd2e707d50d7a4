"""`debop compare`: several models on one task, one table, one recommendation (issue 24)."""

from __future__ import annotations

import argparse
import re
import signal
import time
from collections.abc import Generator
from dataclasses import replace
from pathlib import Path

from debop_desktop.cli.args import positive_int
from debop_desktop.cli.optimize_cmd import _stop_signals_cancel
from debop_desktop.cli.output import Output
from debop_desktop.core import messages
from debop_desktop.core.compare.cells import COLUMNS, view_cells, view_json
from debop_desktop.core.compare.events import (
    ComparisonFinished,
    ComparisonResult,
    ModelDone,
    ModelSkipped,
    ModelStarting,
)
from debop_desktop.core.compare.job import comparison_job
from debop_desktop.core.compare.records import PREFER, ComparisonStore
from debop_desktop.core.compare.table import comparison_view
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.llm.base import CancelToken
from debop_desktop.core.optimizer.config import PRESETS
from debop_desktop.core.optimizer.events import Event, Progress, RunFinished, StageChanged, Warning
from debop_desktop.core.store import open_store

_UNITS = {"": 1, "B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help="compare models on a task and pick the smallest that is good enough",
                       description="Run the same task with several models (one after the other, same examples "
                                   "and settings) and show one table and a recommendation.")
    p.add_argument("--dataset", help="the task (number or name)")
    p.add_argument("--models", help="the models, by number or name, separated by commas: 1,2,3")
    p.add_argument("--preset", choices=sorted(PRESETS), default="quick", help="how long for each model")
    p.add_argument("--first-look", action="store_true",
                   help="only the simple prompts, no search: a fast first look")
    p.add_argument("--target", type=percentage, metavar="PERCENT",
                   help="good enough at this share right on the final exam, e.g. 85")
    p.add_argument("--prefer", choices=PREFER, help="among the good-enough models: the smallest (default) or fastest")
    p.add_argument("--memory-limit", type=memory_size, metavar="SIZE",
                   help="skip models that need more memory than this, e.g. 4GB (default: what is free)")
    p.add_argument("--seed", type=int)
    p.add_argument("--dev-limit", type=positive_int, help="examples to check with, per model")
    p.add_argument("--test-limit", type=positive_int, help="final-exam questions per model")
    p.add_argument("--resume", type=int, metavar="N", help="continue comparison N where it stopped")
    p.add_argument("--show", type=int, metavar="N", help="show comparison N again (with --target, --prefer)")
    p.add_argument("--list", action="store_true", help="list the comparisons")
    p.add_argument("--threads", type=positive_int)
    p.set_defaults(handler=cmd_compare)


def percentage(text: str) -> float:
    value = text.strip().rstrip("%").strip()
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(messages.COMPARE_BAD_TARGET.format(value=text)) from None
    if not 0 < number <= 100:
        raise argparse.ArgumentTypeError(messages.COMPARE_BAD_TARGET.format(value=text))
    return number / 100


def memory_size(text: str) -> int:
    found = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGT]?B?)\s*", text.upper())
    if not found or float(found[1]) <= 0:
        raise argparse.ArgumentTypeError(messages.COMPARE_BAD_MEMORY.format(value=text))
    unit = found[2] if found[2] in _UNITS else found[2] + "B"
    return int(float(found[1]) * _UNITS[unit])


def cmd_compare(args: argparse.Namespace, out: Output) -> int:
    store = open_store(args.home)
    records = ComparisonStore(store)
    if args.list:
        return _list(store, records, out, args.json)
    if args.show is not None:
        return _show(store, args.show, out, args.json, args.target, args.prefer)
    if args.resume is not None:
        comparison_id = records.get(args.resume).id
        store.require_writable()
    else:
        if not args.dataset or not args.models:
            out.error(messages.COMPARE_CLI_NEEDS)
            return 2
        store.require_writable()
        dataset = DatasetRepository(store).get_live(args.dataset)
        library = ModelLibrary(store)
        model_ids = [library.get(ref.strip()).id for ref in args.models.split(",") if ref.strip()]
        config = PRESETS[args.preset].with_overrides(seed=args.seed, test_limit=args.test_limit,
                                                     dev_limit=args.dev_limit)
        if args.first_look:
            config = replace(config, search=False)
        comparison_id = records.create(dataset.id, model_ids, config, preset=args.preset, target=args.target,
                                       prefer=args.prefer or "size", memory_limit=args.memory_limit)
        out.note(messages.COMPARE_CLI_STARTED.format(id=comparison_id, count=len(model_ids), task=dataset.name))
    if args.target is not None or args.prefer:
        current = records.get(comparison_id)
        records.set_goal(comparison_id, args.target if args.target is not None else current.target,
                         args.prefer or current.prefer)
    cancel = CancelToken()
    job = comparison_job(Path(store.path), comparison_id, cancel=cancel, threads=args.threads, on_busy=out.note)
    with _stop_signals_cancel(cancel, out) as received:
        result = _follow(job, out, args.json)
    _show(store, comparison_id, out, args.json)
    if result.status == "cancelled":
        out.note(messages.COMPARE_CLI_RESUME.format(id=comparison_id))
        return 128 + received[0] if received and received[0] != signal.SIGINT else 130
    return 0


def _follow(job: Generator[Event, None, ComparisonResult], out: Output, quiet: bool) -> ComparisonResult:
    bar, last = out.progress("Working"), 0.0
    while True:
        try:
            event = next(job)
        except StopIteration as stop:
            return stop.value
        if quiet:
            continue
        match event:
            case Progress():
                if time.monotonic() - last > 0.2:
                    last = time.monotonic()
                    bar(min(event.done, event.total), max(event.total, 1))
            case ModelStarting():
                template = messages.COMPARE_MODEL_RESUMING if event.resumed else messages.COMPARE_MODEL_STARTING
                out.note("\n== " + template.format(n=event.position + 1, count=event.count, model=event.model))
            case ModelSkipped():
                out.note(f"\n== {event.model}: {event.reason}")
            case StageChanged():
                out.note(f"   {event.message}")
            case Warning():
                out.note(f"note: {event.message}")
            case RunFinished():
                out.note(f"   {event.message}")
            case ModelDone() | ComparisonFinished():
                pass  # the table below says it all


def _show(store, comparison_id: int, out: Output, as_json: bool, target: float | None = None,
          prefer: str | None = None) -> int:
    view = comparison_view(store, comparison_id, prefer=prefer,
                           **({"target": target} if target is not None else {}))
    if as_json:
        out.json(view_json(view))
        return 0
    c = view.comparison
    mode = messages.COMPARE_CLI_FIRST_LOOK if c.first_look else c.preset
    out.line(messages.COMPARE_CLI_HEADER.format(id=c.id, task=view.dataset, mode=mode, seed=c.config.seed))
    out.table(COLUMNS, view_cells(view))
    out.line()
    out.line(view.recommendation.sentence)
    for warning in view.recommendation.warnings:
        out.line(f"Note: {warning}")
    return 0


def _list(store, records: ComparisonStore, out: Output, as_json: bool) -> int:
    rows = []
    for c in records.list():
        task = DatasetRepository(store).get(c.dataset_id).name if c.dataset_id is not None else "—"
        rows.append((c.id, task, ", ".join(e.model_name for e in c.entries),
                     messages.COMPARE_CLI_FIRST_LOOK if c.first_look else c.preset, c.status))
    if as_json:
        out.json([dict(zip(("id", "task", "models", "preset", "status"), r, strict=True)) for r in rows])
    elif rows:
        out.table(("#", "Task", "Models", "How long", "Status"), rows)
    else:
        out.note(messages.COMPARE_CLI_NONE)
    return 0
