"""`debop datasets duplicates TASK [--remove]`: the questions a task holds more than once."""

from __future__ import annotations

import argparse

from debop_desktop.cli.output import Output
from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.duplicates import find_duplicates, remove_duplicates
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.store import open_store


def register(ds: argparse._SubParsersAction) -> None:
    p = ds.add_parser("duplicates", help="questions that appear more than once in a task")
    p.add_argument("dataset")
    p.add_argument("--remove", action="store_true",
                   help="delete the extra copies, keeping one of each (the train copy where there is one)")
    p.set_defaults(handler=cmd_duplicates)


def cmd_duplicates(args: argparse.Namespace, out: Output) -> int:
    from debop_desktop.core.optimizer.report import mark_interrupted

    store = open_store(args.home)
    repo = DatasetRepository(store)
    d = repo.get_live(args.dataset)
    if args.remove:
        mark_interrupted(store)  # a run a crash left 'running' does not hold the task forever
        report = remove_duplicates(repo, d.id)
    else:
        report = find_duplicates(repo, d.id)
    if args.json:
        out.json({"dataset": d.id, "questions": report.questions, "extra_rows": report.extra_rows,
                  "in_exam_and_tuning": report.in_exam_and_tuning, "conflicting": report.conflicting,
                  "removed": report.removable_ids() if args.remove else [],
                  "groups": [{"keep": g.keep.id, "copies": [{"id": e.id, "split": e.split, "input": e.input,
                                                              "answer": e.answer} for e in g.copies]}
                             for g in report.groups]})
        return 0
    out.line(report.sentence)
    if report.groups:
        out.table(["#", "split", "question", "answer", ""],
                  [[e.id, e.split, _short(e.input), _short(e.answer, 30), "kept" if e.id == g.keep.id else
                    ("removed" if args.remove else "repeat")] for g in report.groups for e in g.copies])
        if args.remove:
            out.line(msg.DUPLICATES_REMOVED_AFTER.format(extra=report.extra_rows))
        else:
            out.line(msg.DUPLICATES_CLI_HINT.format(task=d.id))
    return 0


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
