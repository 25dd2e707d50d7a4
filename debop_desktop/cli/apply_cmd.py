"""`debop apply RUN INPUT`: answer a file of new rows with a run's shipped behavior.
`debop serve RUN`: the shipped behavior for other programs on this computer."""

from __future__ import annotations

import argparse
import contextlib
import signal
from pathlib import Path

from debop_desktop.cli.args import parallel_count, positive_int
from debop_desktop.cli.optimize_cmd import _stop_signals_cancel
from debop_desktop.cli.output import Output
from debop_desktop.core import messages as msg
from debop_desktop.core.apply import ApplyFinished, ApplyProgress, ApplyStarted, apply_job
from debop_desktop.core.apply.answering import ApplyResult
from debop_desktop.core.apply.job import check_run_model
from debop_desktop.core.llm.base import CancelToken
from debop_desktop.core.serve.server import DEFAULT_PORT, loopback_host
from debop_desktop.core.store import open_store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("apply", help="answer every row of a CSV, TSV, XLSX, JSON or JSONL file with a run's "
                                     "tuned behavior (a stopped job continues where it stopped)")
    p.add_argument("run", type=int)
    p.add_argument("input", help="the file of new rows (it is never changed)")
    p.add_argument("--output", metavar="FILE", help="where the answers go (default: beside the input, "
                                                    "'NAME answered.EXT')")
    p.add_argument("--sheet", metavar="NAME", help="the sheet of a workbook to answer (default: the first shown)")
    p.add_argument("--input", dest="columns", nargs="+", metavar="COL", default=[],
                   help="the question columns (default: the task's, matched by name)")
    p.add_argument("--batch", type=positive_int, help=argparse.SUPPRESS)
    p.add_argument("--threads", type=positive_int)
    p.add_argument("--ctx", type=positive_int, help="context length (default: up to 4096)")
    p.add_argument("--parallel", type=parallel_count, metavar="N", help="questions the model works on together")
    p.set_defaults(handler=cmd_apply)
    p = sub.add_parser("serve", help="answer other programs on this computer with a run's tuned behavior "
                                     "(an OpenAI-compatible /v1/chat/completions on 127.0.0.1)")
    p.add_argument("run", type=int)
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default: {DEFAULT_PORT}")
    p.add_argument("--host", default="127.0.0.1", help="a loopback address only (127.0.0.1, ::1, localhost)")
    p.add_argument("--threads", type=positive_int)
    p.add_argument("--ctx", type=positive_int, help="context length (default: up to 4096)")
    p.set_defaults(handler=cmd_serve)


def cmd_apply(args: argparse.Namespace, out: Output) -> int:
    store = open_store(args.home)
    db_path = Path(store.path)
    store.close()
    cancel = CancelToken()
    job = apply_job(db_path, args.run, args.input, sheet=args.sheet, columns=args.columns, output=args.output,
                    cancel=cancel, threads=args.threads, n_ctx=args.ctx, parallel=args.parallel,
                    batch_size=args.batch)
    bar = out.progress("Answering")
    finished: ApplyFinished | None = None
    with _stop_signals_cancel(cancel, out) as received:
        result: ApplyResult | None = None
        while result is None:
            try:
                event = next(job)
            except StopIteration as stop:
                result = stop.value
                break
            match event:
                case ApplyStarted():
                    if not args.json:
                        out.note(event.message)
                case ApplyProgress():
                    bar(event.done, max(event.total, 1), event.time_left_words())
                case ApplyFinished():
                    if not args.json:
                        out.line(event.message)
                    finished = event
    if args.json:
        out.json({"job": result.job_id, "status": result.status, "done": result.done, "total": result.total,
                  "output": result.output_path, "with_notes": finished.with_notes if finished else 0,
                  "to_check": finished.to_check if finished else 0})
    if result.status == "stopped":
        return 128 + received[0] if received and received[0] != signal.SIGINT else 130
    return 0


def cmd_serve(args: argparse.Namespace, out: Output) -> int:
    """Serve until Ctrl-C. The address is checked before the model loads."""
    from debop_desktop.core.optimizer.export import load_tuned
    from debop_desktop.core.runtime import open_model
    from debop_desktop.core.serve.session import serving
    from debop_desktop.core.settings import Settings

    loopback_host(args.host)
    store = open_store(args.home)
    tuned = load_tuned(store, args.run)
    record = check_run_model(store, args.run)
    opened = open_model(record, Settings(store), user="serve", threads=args.threads, n_ctx=args.ctx)
    try:
        server, words = serving(store, tuned, opened.backend, args.host, args.port)
        out.note(words)
        with contextlib.suppress(KeyboardInterrupt):  # uvicorn stops on Ctrl-C, then raises it again
            server.run()
        out.note(msg.SERVE_STOPPED)
    finally:
        opened.release()
    return 0
