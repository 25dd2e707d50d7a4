"""`debop datasets costs` and `debop datasets import --costs`: a label task's mistake costs
("urgent>routine=5": missing urgent, answering routine, counts 5 times; core/costs.py)."""

from __future__ import annotations

import argparse

from debop_desktop.cli.output import Output
from debop_desktop.core import messages as msg
from debop_desktop.core.costs import (
    CostsError,
    MistakeCosts,
    cost_labels,
    parse_costs,
    set_task_costs,
    task_costs,
)
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.store import open_store

COSTS_HELP = "which mistakes are worse, e.g. \"urgent>routine=5\" (missing urgent, answering routine, counts 5 times)"


def add_parser(ds: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = ds.add_parser("costs", help="show or set which mistakes of a label task are worse")
    p.add_argument("dataset")
    p.add_argument("--set", metavar="COSTS", dest="costs", help=COSTS_HELP + "; the costs not named count once")
    p.add_argument("--clear", action="store_true", help="every mistake counts the same again")
    p.set_defaults(handler=cmd_costs)


def costs_for_import(plan: object, scorer: str | None, text: str, name: str) -> MistakeCosts:
    """`--costs` checked against the labels the import will have, before anything is written."""
    chosen = scorer or plan.suggestion.scorer  # type: ignore[attr-defined]
    options = plan.suggestion.scorer_options if chosen == plan.suggestion.scorer else {}  # type: ignore[attr-defined]
    labels = cost_labels(chosen, options, (r.answer for r in plan.rows))  # type: ignore[attr-defined]
    if not labels:
        raise CostsError(msg.COSTS_NOT_LABELS.format(name=name))
    return parse_costs(text, labels)


def cmd_costs(args: argparse.Namespace, out: Output) -> int:
    store = open_store(args.home)
    d = DatasetRepository(store).get_live(args.dataset)
    costs = task_costs(store, d.id)
    if costs is None:
        raise CostsError(msg.COSTS_NOT_LABELS.format(name=d.name))
    if args.costs is not None or args.clear:
        costs = parse_costs("" if args.clear else args.costs, costs.labels)
        set_task_costs(store, d.id, costs)
    if args.json:
        out.json({"dataset": d.id, "labels": list(costs.labels), "costs": costs.to_json()})
    else:
        out.line(f"Task #{d.id} '{d.name}': {costs.describe()}"
                 + (f" (--set \"{costs.to_text()}\")" if costs.is_set else ""))
    return 0
