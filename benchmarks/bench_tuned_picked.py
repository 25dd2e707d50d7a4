"""The tuned demonstration picked by probability (issue 22, item 4) against the tuned behavior
as it was scored, on the three real tasks, and the content-free calibration of the picks.

Reads finished runs (SmolLM2 Quick seed 1, one database per task, e.g. bench_quality.py's
homes): each run's shipped kit and best node's demonstration (`export.load_tuned`), and the
tuned behavior's recorded answers on the dev sample (`node:<best>`), the confirmation questions
(`confirm:tuned`) and the final exam (`test:tuned`). On the same questions it answers with
`tuned_picked` (the same steps, generated through the app's LlamaEngine with safe CPU
settings, stopped at the answer field; then one probability request) raw and calibrated (the
same steps written for "N/A"), and the few examples picked by probability raw and calibrated.
Per task and split: right answers, the most frequent answer, and the paired exact test of
each against the recorded tuned behavior. Each database is copied first (never written).

    nice -n 10 .venv/bin/python benchmarks/bench_tuned_picked.py --runs DIR [--tasks a,b] \
        [--threads 2] [--parallel 8] [--out FILE.json]
    .venv/bin/python benchmarks/bench_tuned_picked.py --report FILE.json
DIR holds <task>.sqlite3 (or <task>-home/debop.sqlite3, or real_<task>-home/debop.sqlite3).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fetch_test_models import smollm2_path  # noqa: E402

from debop_desktop.core import behaviors  # noqa: E402
from debop_desktop.core.behaviors import BackendGateway, drive  # noqa: E402
from debop_desktop.core.behaviors.base import AnswerSettings  # noqa: E402
from debop_desktop.core.behaviors.tuned_picked import filled_reply, reply_start  # noqa: E402
from debop_desktop.core.llm.llama_engine import LlamaEngine  # noqa: E402
from debop_desktop.core.optimizer.calibrated import answer_probabilities_many, calibrate  # noqa: E402
from debop_desktop.core.optimizer.export import load_tuned  # noqa: E402
from debop_desktop.core.optimizer.verdict import mcnemar_exact  # noqa: E402
from debop_desktop.core.scoring.scorers import get_scorer, score_output  # noqa: E402
from debop_desktop.core.store.db import Store  # noqa: E402

TASKS = ("film_review_sentiment", "news_headline_topic", "question_kind")
BATCH = 8


def database(runs: Path, task: str) -> Path:
    for name in (f"{task}.sqlite3", f"{task}-home/debop.sqlite3", f"real_{task}-home/debop.sqlite3"):
        if (runs / name).exists():
            return runs / name
    raise SystemExit(f"no database for {task} in {runs}")


def likeliest(answers, probs) -> str:
    return answers[max(range(len(answers)), key=lambda k: (probs[k], -k))]


def recorded(store: Store, run: int, subject: str):
    return store.execute("SELECT e.id, e.input, e.answer, v.correct, v.output, v.extracted FROM evaluations v "
                         "JOIN examples e ON e.id = v.example_id WHERE v.run_id = ? AND v.subject = ? "
                         "ORDER BY e.position", (run, subject)).fetchall()


def tuned_picks(engine, b, questions):
    """Each question's (reply start, raw probabilities) as `tuned_picked` answers it."""
    gateway, out = BackendGateway(engine), []
    for i in range(0, len(questions), BATCH):
        qs = questions[i:i + BATCH]
        steps = drive(gateway.chat_many([b.messages(q) for q in qs], b.steps_params()))
        starts = [reply_start(c.text) if c is not None else None for c in steps]
        items = [(b._begun(q, s), b.kit.space.allowed_for(q)) for q, s in zip(qs, starts, strict=True)]
        out += list(zip(starts, answer_probabilities_many(engine, items), strict=True))
        print(f"  {len(out)}/{len(questions)}", file=sys.stderr, flush=True)
    return out


def few_picks(engine, kit, settings, questions):
    b = behaviors.build("few_examples_picked", kit, settings)
    items = [(b.messages(q), kit.space.allowed_for(q)) for q in questions]
    free_items = [(b.content_free_messages(questions[0]), kit.space.allowed_for(questions[0]))]
    return answer_probabilities_many(engine, items), answer_probabilities_many(engine, free_items)[0]


def measure(engine: LlamaEngine, path: Path) -> dict:
    with tempfile.TemporaryDirectory() as home:
        copy = Path(home) / "db.sqlite3"
        shutil.copy(path, copy)
        store = Store(copy)
        run = store.execute("SELECT id, best_node_id, dataset_id FROM runs ORDER BY id DESC").fetchone()
        tuned = load_tuned(store, run[0])
        kit, settings = tuned.kit, AnswerSettings.from_json(json.loads(
            store.execute("SELECT config_json FROM runs WHERE id = ?", (run[0],)).fetchone()[0]))
        ds = store.execute("SELECT scorer, scorer_options_json FROM datasets WHERE id = ?", (run[2],)).fetchone()
        scorer = get_scorer(ds[0], **json.loads(ds[1] or "{}"))
        b = behaviors.build("tuned_picked", kit, settings)
        started = time.perf_counter()
        free = drive(b._content_free(BackendGateway(engine), [kit.space.allowed()]))[kit.space.allowed()]
        row = {"demo": kit.demo.filled_json(), "free": free, "splits": {}}
        for split, subject in (("dev", f"node:{run[1]}"), ("confirm", "confirm:tuned"), ("test", "test:tuned")):
            rows = recorded(store, run[0], subject)
            qs = [r[1] for r in rows]
            t0 = time.perf_counter()
            picks = tuned_picks(engine, b, qs)
            t_tuned = time.perf_counter() - t0
            t0 = time.perf_counter()
            few, few_free = few_picks(engine, kit, settings, qs)
            t_few = time.perf_counter() - t0
            given: dict[str, list[str]] = {"tuned (recorded)": [r[4] for r in rows]}
            for (start, p), r in zip(picks, rows, strict=True):
                answers = kit.space.allowed_for(r[1])
                given.setdefault("tuned_picked", []).append(filled_reply(start, likeliest(answers, p)))
                given.setdefault("tuned_picked+cal", []).append(filled_reply(start, likeliest(answers,
                                                                                             calibrate(p, free))))
            for p, r in zip(few, rows, strict=True):
                answers = kit.space.allowed_for(r[1])
                given.setdefault("few_examples_picked", []).append(likeliest(answers, p))
                given.setdefault("few_examples_picked+cal", []).append(likeliest(answers, calibrate(p, few_free)))
            methods = {}
            for name, outs in given.items():
                judged = [score_output(o, r[2], scorer, r[1]) for o, r in zip(outs, rows, strict=True)]
                said = Counter(j.extracted if j.extracted is not None else "—" for j in judged)
                methods[name] = {"right": sum(bool(j.correct) for j in judged), "top": said.most_common(1)[0],
                                 "unparsed": said.get("—", 0), "correct": [bool(j.correct) for j in judged]}
            recorded_right = [bool(r[3]) for r in rows]
            assert methods["tuned (recorded)"]["correct"] == recorded_right  # the scorer reads as the run did
            row["splits"][split] = {"n": len(rows), "methods": methods, "seconds": {"tuned_picked": t_tuned,
                                                                                    "few_examples_picked": t_few}}
            print(path.name, split, f"{t_tuned:.0f}s + {t_few:.0f}s", file=sys.stderr, flush=True)
        row["seconds"] = time.perf_counter() - started
        store.close()
        return row


def table(results: dict) -> str:
    lines = []
    for task, row in results.items():
        splits = row["splits"]
        names = list(dict.fromkeys(m for s in splits.values() for m in s["methods"]))
        lines += [f"\n{task}", "| behavior | " + " | ".join(f"{s} (n={v['n']})" for s, v in splits.items())
                  + " | dev+confirm | test: vs tuned (only it / only tuned, p) |",
                  "|---|" + "---|" * (len(splits) + 2)]
        for name in names:
            cells = []
            for v in splits.values():
                m = v["methods"][name]
                cells.append(f"{m['right']}/{v['n']} ({m['top'][0]}×{m['top'][1]}"
                             + (f", {m['unparsed']} unread" if m["unparsed"] else "") + ")")
            dc = sum(splits[s]["methods"][name]["right"] for s in ("dev", "confirm"))
            test = splits["test"]["methods"]
            t, base = test[name]["correct"], test["tuned (recorded)"]["correct"]
            a = sum(x and not y for x, y in zip(t, base, strict=True))
            c = sum(y and not x for x, y in zip(t, base, strict=True))
            lines.append(f"| {name} | " + " | ".join(cells) + f" | {dc} | {a}/{c}, p={mcnemar_exact(a, c):.2f} |")
        for name in ("tuned_picked", "few_examples_picked"):  # calibrated when it gets more of the dev sample
            dev = splits["dev"]["methods"]
            chosen = f"{name}+cal" if dev[f"{name}+cal"]["right"] > dev[name]["right"] else name
            right = splits["test"]["methods"][chosen]["right"]
            lines.append(f"| {name}, calibration chosen on dev | → {chosen.split('+')[-1] if '+' in chosen else 'raw'}"
                         f" | | {right}/{splits['test']['n']} | | |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=Path)
    ap.add_argument("--tasks", default=",".join(TASKS))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--parallel", type=int, default=8)
    ap.add_argument("--out", type=Path, default=Path("/tmp/bench_tuned_picked.json"))
    ap.add_argument("--report", type=Path)
    args = ap.parse_args()
    if args.report:
        print(table(json.loads(args.report.read_text())))
        return 0
    if args.runs is None or not args.runs.is_dir():
        print(f"{args.runs} not found; nothing to measure.", file=sys.stderr)
        return 0
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    engine = LlamaEngine(n_threads=args.threads)
    engine.load(str(smollm2_path()), n_parallel=args.parallel)
    try:
        for task in args.tasks.split(","):
            results[task] = measure(engine, database(args.runs, task))
            args.out.write_text(json.dumps(results, indent=1))
    finally:
        engine.unload()
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
