"""`debop datasets ...` and `debop score`: import, list, show, export, delete, samples, scoring."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from debop_desktop.cli import costs_cmd, duplicates_cmd
from debop_desktop.cli.args import positive_int
from debop_desktop.cli.output import Output
from debop_desktop.core import messages as msg
from debop_desktop.core.costs import keep_costs, task_costs
from debop_desktop.core.datasets.importer import commit_import, plan_import
from debop_desktop.core.datasets.mapping import ColumnMapping
from debop_desktop.core.datasets.repository import Dataset, DatasetRepository
from debop_desktop.core.datasets.splits import DEFAULT_SPLIT
from debop_desktop.core.datasets.worked_examples import parse_worked_examples
from debop_desktop.core.errors import DebopError
from debop_desktop.core.samples import SAMPLE_TASKS
from debop_desktop.core.scoring.answer_space import suggest_instruction
from debop_desktop.core.scoring.scorers import SCORERS, get_scorer, score_output
from debop_desktop.core.store import open_store
from debop_desktop.core.units import name_list


def register(sub: argparse._SubParsersAction) -> None:
    ds = sub.add_parser("datasets", help="your tasks (examples with expected answers)").add_subparsers(
        dest="datasets_command", metavar="ACTION", required=True)
    p = ds.add_parser("import", help="import a CSV, TSV, Excel, JSON or JSONL file")
    p.add_argument("file")
    p.add_argument("--input", action="append", metavar="COL", help="question column (repeatable)")
    p.add_argument("--answer", metavar="COL", help="expected-answer column")
    p.add_argument("--split-column", metavar="COL", help="column naming train/dev/test")
    p.add_argument("--scorer", choices=sorted(SCORERS), help="how answers are judged (default: suggested)")
    p.add_argument("--split", default=DEFAULT_SPLIT, help=f"train/dev/test sizes (default {DEFAULT_SPLIT})")
    p.add_argument("--seed", type=int, default=0, help="seed for the split")
    p.add_argument("--name", help="name of the task (default: the file name)")
    p.add_argument("--instruction", help="what the model is asked to do (default: one suggested from the scoring "
                   "rule and the answers; \"\" for none)")
    p.add_argument("--sheet", help="Excel sheet to read (default: the first)")
    p.add_argument("--worked-examples", metavar="FILE", help="hand-written 'Q: … A: …' demonstrations")
    p.add_argument("--skip-invalid", action="store_true", help="leave out rows with no question or answer")
    p.add_argument("--dry-run", action="store_true", help="show the preview and report; write nothing")
    p.add_argument("--costs", metavar="COSTS", help=costs_cmd.COSTS_HELP)
    p.set_defaults(handler=cmd_import)
    ds.add_parser("list", help="list tasks").set_defaults(handler=cmd_list)
    costs_cmd.add_parser(ds)
    p = ds.add_parser("show", help="a task and some of its examples")
    p.add_argument("dataset")
    p.add_argument("--split", choices=["train", "dev", "test"])
    p.add_argument("--limit", type=positive_int, default=10)
    p.set_defaults(handler=cmd_show)
    p = ds.add_parser("export", help="write a task's examples to .csv or .jsonl")
    p.add_argument("dataset")
    p.add_argument("file")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.set_defaults(handler=cmd_export)
    p = ds.add_parser("delete", help="delete a task and its examples")
    p.add_argument("dataset")
    p.add_argument("--with-runs", action="store_true",
                   help="delete it even though runs used it (their results stay readable and exportable)")
    p.set_defaults(handler=cmd_delete)
    p = ds.add_parser("sample", help="create a built-in sample task")
    p.add_argument("task", choices=sorted(SAMPLE_TASKS))
    p.add_argument("--n", type=positive_int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--difficulty", type=int, choices=[1, 2, 3], default=1)
    p.add_argument("--split", default=DEFAULT_SPLIT)
    p.add_argument("--name")
    p.set_defaults(handler=cmd_sample)
    duplicates_cmd.register(ds)
    p = sub.add_parser("score", help="score a file of model outputs against a task's answers")
    p.add_argument("--dataset", required=True)
    p.add_argument("--outputs", required=True, help="JSONL with example_id and output")
    p.add_argument("--scorer", choices=sorted(SCORERS), help="override the task's scorer")
    p.set_defaults(handler=cmd_score)


def _summary(d: Dataset) -> dict:
    return {"id": d.id, "name": d.name, "answer_type": d.answer_type, "scorer": d.scorer,
            "scorer_options": d.scorer_options, "instruction": d.instruction, "counts": d.counts,
            "worked_examples": len(d.worked_examples), "source": d.source}


def cmd_import(args: argparse.Namespace, out: Output) -> int:
    mapping = None
    if args.input or args.answer or args.split_column:
        from debop_desktop.core.datasets.mapping import suggest_mapping
        from debop_desktop.core.datasets.tables import read_table

        guess = suggest_mapping(read_table(args.file, sheet=args.sheet).headers)
        mapping = ColumnMapping(args.input or guess.input_columns, args.answer or guess.answer_column,
                                args.split_column or guess.split_column, guess.notes_column)
    plan = plan_import(args.file, mapping=mapping, sheet=args.sheet)
    if not args.json:
        _print_plan(out, plan)
    worked = parse_worked_examples(Path(args.worked_examples).read_text(encoding="utf-8")) \
        if args.worked_examples else []
    instruction = args.instruction if args.instruction is not None else _suggested_instruction(plan, args.scorer)
    if args.instruction is None and not args.json:
        out.line(msg.INSTRUCTION_SUGGESTED_CLI.format(instruction=instruction))
    costs = costs_cmd.costs_for_import(plan, args.scorer, args.costs, args.name or plan.path.stem) \
        if args.costs else None
    if args.dry_run:
        if args.json:
            out.json({"rows": len(plan.rows), "sheet": plan.table.sheet or None,
                      "suggested_scorer": plan.suggestion.scorer,
                      "instruction": instruction, "issues": [i.__dict__ for i in plan.report.issues]})
        return 0 if plan.report.ok else 1
    store = open_store(args.home)
    result = commit_import(DatasetRepository(store), plan, name=args.name, instruction=instruction,
                           scorer=args.scorer, split=args.split, seed=args.seed, worked_examples=worked,
                           skip_invalid=args.skip_invalid, progress=out.progress("Importing"))
    costs = keep_costs(store, result.dataset.id, costs) if costs is not None else None
    if args.json:
        out.json({"dataset": _summary(result.dataset), "skipped_lines": result.skipped_lines,
                  "mistake_costs": costs.to_json() if costs is not None else [],
                  "warnings": [i.message for i in plan.report.warnings] + result.split_warnings})
        return 0
    for warning in result.split_warnings:
        out.note(f"Warning: {warning}")
    d = result.dataset
    out.line(f"\nImported {d.size} examples as task #{d.id} '{d.name}' "
             f"(train {d.counts['train']}, dev {d.counts['dev']}, test {d.counts['test']}); "
             f"answers judged by: {SCORERS[d.scorer].label}.")
    if result.skipped_lines:
        out.line(f"Left out {len(result.skipped_lines)} row(s) with no question or answer.")
    if costs is not None:
        out.line(f"Mistake costs: {costs.describe()}.")
    return 0


def _suggested_instruction(plan, scorer: str | None) -> str:
    """The instruction stored when none is given: suggested from the scoring rule the import
    will use (with the options it keeps) and the file's answers."""
    name = scorer or plan.suggestion.scorer
    options = plan.suggestion.scorer_options if name == plan.suggestion.scorer else {}
    return suggest_instruction(name, options, (r.answer for r in plan.rows))  # one pass, nothing kept


def _print_plan(out: Output, plan) -> None:
    t = plan.table
    fmt = t.format.upper() + (f", {t.encoding}, delimiter {t.delimiter!r}" if t.format == "csv" else "") \
        + (f", {t.sheet_words()}" if t.sheet else "")
    out.line(f"Read {len(t.rows)} rows from {plan.path.name} ({fmt}). Columns: {name_list(t.headers)}")
    if t.hidden_note():
        out.line(f"{t.hidden_note()} {msg.XLSX_HIDDEN_SHEETS_CLI}")
    m = plan.mapping
    out.line(f"Question: {name_list(m.input_columns)}   Answer: {m.answer_column}"
             + (f"   Split: {m.split_column}" if m.split_column else ""))
    out.line("Preview:")
    out.table(["line", "question", "answer"],
              [[r.line, _short(r.input), _short(r.answer)] for r in plan.rows[:5]])
    s = plan.suggestion
    out.line(f"Suggested scoring: {SCORERS[s.scorer].label}. {s.explanation}")
    for issue in plan.report.issues:
        out.line(("Problem: " if issue.blocking else "Warning: ") + issue.message)
    if plan.report.ok and not plan.report.warnings:
        out.line("No problems found.")


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_list(args: argparse.Namespace, out: Output) -> int:
    datasets = DatasetRepository(open_store(args.home)).list()
    if args.json:
        out.json([_summary(d) for d in datasets])
    elif not datasets:
        out.line("No tasks yet. Import one with 'debop datasets import FILE' or try "
                 "'debop datasets sample arithmetic'.")
    else:
        out.table(["#", "Name", "Examples", "Train", "Dev", "Test", "Scoring"],
                  [[d.id, d.name, d.size, d.counts["train"], d.counts["dev"], d.counts["test"],
                    SCORERS[d.scorer].label] for d in datasets])
    return 0


def cmd_show(args: argparse.Namespace, out: Output) -> int:
    repo = DatasetRepository(open_store(args.home))
    d = repo.get_live(args.dataset)
    examples = repo.examples(d.id, args.split, limit=args.limit)
    if args.json:
        out.json({"dataset": _summary(d), "examples": [e.__dict__ for e in examples]})
        return 0
    out.line(f"Task #{d.id} '{d.name}': {d.size} examples (train {d.counts['train']}, dev "
             f"{d.counts['dev']}, test {d.counts['test']}). Scoring: {SCORERS[d.scorer].label}.")
    if d.instruction:
        out.line(f"Instruction: {d.instruction}")
    if d.worked_examples:
        out.line(f"Worked examples: {len(d.worked_examples)}")
    costs = task_costs(repo.store, d.id)
    if costs is not None and costs.is_set:
        out.line(f"Mistake costs: {costs.describe()}.")
    out.table(["#", "split", "question", "answer"],
              [[e.id, e.split, _short(e.input), _short(e.answer, 30)] for e in examples])
    return 0


def cmd_export(args: argparse.Namespace, out: Output) -> int:
    repo = DatasetRepository(open_store(args.home))
    path = repo.export(repo.get_live(args.dataset).id, args.file, overwrite=args.force)
    if args.json:
        out.json({"written": str(path)})
    else:
        out.line(f"Wrote {path}")
    return 0


def cmd_delete(args: argparse.Namespace, out: Output) -> int:
    from debop_desktop.core.optimizer.report import mark_interrupted

    store = open_store(args.home)
    mark_interrupted(store)  # a run a crash left 'running' does not hold the task forever
    repo = DatasetRepository(store)
    target = repo.get_live(args.dataset)
    runs = sum(repo.runs_using(target.id).values())
    d = repo.delete(target.id, with_runs=args.with_runs)
    if args.json:
        out.json({"deleted": d.id, "runs_kept": runs})
    else:
        out.line(f"Deleted task '{d.name}' and its {d.size} examples."
                 + (f" The {runs} run(s) made with it keep their results." if runs else ""))
    return 0


def cmd_sample(args: argparse.Namespace, out: Output) -> int:
    from debop_desktop.core.samples.dataset import create_sample_dataset

    result = create_sample_dataset(DatasetRepository(open_store(args.home)), args.task, n=args.n, seed=args.seed,
                                   difficulty=args.difficulty, split=args.split, name=args.name)
    d = result.dataset
    if args.json:
        out.json(_summary(d))
        return 0
    if result.capped:
        out.note(f"Only {d.size} different questions exist for this task at level {args.difficulty}; "
                 f"using all of them.")
    for warning in result.warnings:
        out.note(f"Warning: {warning}")
    out.line(f"Created task #{d.id} '{d.name}' with {d.size} examples (train {d.counts['train']}, "
             f"dev {d.counts['dev']}, test {d.counts['test']}).")
    return 0


def cmd_score(args: argparse.Namespace, out: Output) -> int:
    repo = DatasetRepository(open_store(args.home))
    d = repo.get_live(args.dataset)
    examples = {e.id: e for e in repo.examples(d.id)}
    scorer = get_scorer(args.scorer or d.scorer, **({} if args.scorer else d.scorer_options))
    results = []
    for n, line in enumerate(Path(args.outputs).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            example = examples[int(item["example_id"])]
        except (ValueError, KeyError, TypeError) as exc:
            raise DebopError(f"Line {n} of {args.outputs} needs an example_id of this task and an output.",
                             repr(exc)) from exc
        r = score_output(str(item.get("output", "")), example.answer, scorer, example.input)
        results.append((example, r))
    correct = sum(r.correct for _, r in results)
    if args.json:
        out.json({"correct": correct, "total": len(results),
                  "results": [{"example_id": e.id, "correct": r.correct, "extracted": r.extracted,
                               "unparsed": r.unparsed, "reason": r.reason} for e, r in results]})
        return 0
    out.table(["#", "expected", "extracted", "result"],
              [[e.id, _short(e.answer, 30), _short(r.extracted or "—", 30),
                "right" if r.correct else r.reason] for e, r in results])
    out.line(f"\n{correct} of {len(results)} right ({correct / max(1, len(results)):.0%}).")
    return 0
