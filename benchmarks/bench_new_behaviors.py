"""The behaviors of issue 22, item 4, against direct prompting on the three real tasks.

SmolLM2-135M-Instruct through the app's own loader (LlamaEngine, safe CPU settings, batched)
and behaviors (`answer_many` through a `BackendGateway`, as `ask` answers). Each task is
imported as `debop datasets import` does it (seed 1, 60/20/20; the news items with both text
columns as the question); train is the train split (the few examples and the nearest-examples
pool come from it, as in a run's kit) and the held-out questions are the first `--n` of the test
split. Per behavior: accuracy, the most frequent answer and how often it was given, unreadable
replies. The picked-by-probability kinds are measured raw and calibrated (the same prompt with
"N/A" as the question); direct picked raw is the uncalibrated twin of the calibrated pick.
A missing data folder skips the tasks.

    nice -n 10 .venv/bin/python benchmarks/bench_new_behaviors.py [--n 40] [--tasks a,b]
        [--threads 2] [--parallel 8] [--skip nearest_examples_picked+cal] [--out FILE.json]
    .venv/bin/python benchmarks/bench_new_behaviors.py --report FILE.json   # the table again

`--searched` measures the searched set of examples instead: its search on
the dev sample a Quick run scores on (seed 1, 20 questions), then direct prompting, a few
examples picked, the nearest examples picked and the searched examples picked on the same
held-out questions, with the paired exact test and the model calls.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fetch_test_models import smollm2_path  # noqa: E402

from debop_desktop.core import behaviors  # noqa: E402
from debop_desktop.core.behaviors import BackendGateway, drive  # noqa: E402
from debop_desktop.core.behaviors.base import AnswerSettings  # noqa: E402
from debop_desktop.core.behaviors.nearest import pool_of  # noqa: E402
from debop_desktop.core.datasets.importer import commit_import, plan_import  # noqa: E402
from debop_desktop.core.datasets.mapping import ColumnMapping  # noqa: E402
from debop_desktop.core.datasets.repository import DatasetRepository  # noqa: E402
from debop_desktop.core.llm.llama_engine import LlamaEngine  # noqa: E402
from debop_desktop.core.optimizer.calibrated import (  # noqa: E402
    answer_probabilities_many,
    calibrate,
    calibration_answers,
)
from debop_desktop.core.optimizer.candidates import pick_few  # noqa: E402
from debop_desktop.core.optimizer.config import PRESETS  # noqa: E402
from debop_desktop.core.optimizer.run import _sample as sample  # noqa: E402  # the run's dev sample
from debop_desktop.core.optimizer.shipping import expected_shown, make_kit  # noqa: E402
from debop_desktop.core.optimizer.verdict import majority, mcnemar_exact  # noqa: E402
from debop_desktop.core.scoring.scorers import get_scorer, score_output  # noqa: E402
from debop_desktop.core.store.db import Store  # noqa: E402

REAL = Path(os.environ.get("DEBOP_REAL_DIR", Path(__file__).resolve().parents[2] / "shared" / "data" / "real"))
TASKS = {"film_review_sentiment": None, "news_headline_topic": ["Headline", "Summary"], "question_kind": None}
GENERATED = ("direct", "few_examples", "nearest_examples")
PICKED = ("few_examples_picked", "nearest_examples_picked")
SEARCHED = "searched_examples_picked"
STARTED = time.perf_counter()


def load(task: str, store: Store):
    plan = plan_import(REAL / f"{task}.csv")
    if TASKS[task]:
        plan = plan_import(REAL / f"{task}.csv", mapping=ColumnMapping(TASKS[task], plan.mapping.answer_column))
    return commit_import(DatasetRepository(store), plan, name=task, seed=1).dataset


def likeliest(answers, probs) -> str:
    return answers[max(range(len(answers)), key=lambda k: (probs[k], -k))]


def measure(engine: LlamaEngine, task: str, n: int, skip: set[str]) -> dict:
    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home) / "db.sqlite")
        d = load(task, store)
        repo = DatasetRepository(store)
        train, test = repo.optimizer_examples(d.id, "train"), repo.examples(d.id, "test")[:n]
        cfg = PRESETS["quick"].with_overrides(seed=1, baselines=(*PRESETS["quick"].baselines, *GENERATED, *PICKED))
        kit = make_kit(d, train, None)  # the few examples and the pool: as their behaviors prepare them
        kit = replace(kit, few=pick_few(train, cfg.few_examples_k, cfg.seed), pool=pool_of(train, cfg.seed))
        answers = calibration_answers(kit.space, [e.input for e in train])
        free = answer_probabilities_many(engine, [(kit.content_free_messages(), answers)])[0]
        kit = replace(kit, calibration=tuple(zip(answers, free, strict=True)))
        settings, gateway, qs = AnswerSettings.from_config(cfg), BackendGateway(engine), [e.input for e in test]
        given: dict[str, list[str]] = {}
        seconds: dict[str, float] = {}

        def probs_of(prompts):
            return answer_probabilities_many(engine, [(m, answers) for m in prompts])

        started = time.perf_counter()
        direct = behaviors.build("direct", kit, settings)
        for p in probs_of([direct.messages(q) for q in qs]):  # the calibrated pick's own arithmetic
            given.setdefault("direct_picked (raw)", []).append(likeliest(answers, p))
            given.setdefault("calibrated", []).append(likeliest(answers, calibrate(p, free)))
        seconds["calibrated"] = time.perf_counter() - started
        for name in GENERATED:
            started, b, replies = time.perf_counter(), behaviors.build(name, kit, settings), []
            for i in range(0, len(qs), 8):
                replies += drive(b.answer_many(gateway, qs[i:i + 8]))
            given[name] = [r.completion.text if r.completion else "" for r in replies]
            seconds[name] = time.perf_counter() - started
            print(task, name, f"{seconds[name]:.0f}s", file=sys.stderr, flush=True)
        for name in PICKED:
            started, b = time.perf_counter(), behaviors.build(name, kit, settings)
            raw = probs_of([b.messages(q) for q in qs])
            given[name] = [likeliest(answers, p) for p in raw]
            seconds[name] = time.perf_counter() - started
            if f"{name}+cal" not in skip:
                keys = [tuple(b.content_free_messages(q)) for q in qs]
                distinct = list(dict.fromkeys(keys))
                measured = dict(zip(distinct, probs_of([list(k) for k in distinct]), strict=True))
                given[f"{name}+cal"] = [likeliest(answers, calibrate(p, measured[k])) for p, k in zip(raw, keys,
                                                                                                      strict=True)]
                seconds[f"{name}+cal"] = time.perf_counter() - started
            print(task, name, f"{time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)
        scorer = get_scorer(d.scorer, **d.scorer_options)
        row = {"n": len(qs), "train": len(train), "labels": list(answers),
               "majority_test": Counter(e.answer for e in test).most_common(1)[0],
               "most_common_train": majority([expected_shown(scorer, e) for e in train])[0],
               "seconds": seconds, "methods": {}}
        for name, outs in given.items():
            judged = [score_output(o, e.answer, scorer, e.input) for o, e in zip(outs, test, strict=True)]
            said = Counter(r.extracted if r.extracted is not None else "—" for r in judged)
            row["methods"][name] = {"right": sum(r.correct for r in judged), "top": said.most_common(1)[0],
                                    "unparsed": said.get("—", 0), "correct": [bool(r.correct) for r in judged]}
        store.close()
        return row


def table(results: dict) -> str:
    names = list(dict.fromkeys(m for row in results.values() for m in row["methods"]))
    lines = ["| behavior | " + " | ".join(f"{t} (n={r['n']})" for t, r in results.items()) + " |",
             "|---|" + "---|" * len(results)]
    for name in names:
        cells = []
        for row in results.values():
            m = row["methods"].get(name)
            cells.append("—" if m is None else f"{m['right'] / row['n']:.0%} ({m['top'][0]}×{m['top'][1]}"
                         + (f", {m['unparsed']} unread" if m["unparsed"] else "") + ")")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| always the most common test answer | " + " | ".join(
        f"{r['majority_test'][1] / r['n']:.0%} ({r['majority_test'][0]})" for r in results.values()) + " |")
    return "\n".join(lines)


class Counted(BackendGateway):
    """A backend gateway that counts its calls as a run's gateway does (a pick: one a question)."""

    calls = 0

    def chat_many(self, prompts, params, *, follow_up=False):
        Counted.calls += len(prompts)
        return (yield from super().chat_many(prompts, params, follow_up=follow_up))

    def pick(self, work, *, calls=1):
        Counted.calls += calls
        done = yield from super().pick(work, calls=calls)
        print(f"  {Counted.calls} calls, {time.perf_counter() - STARTED:.0f} s", file=sys.stderr, flush=True)
        return done


class Preparing:
    """What a run offers the searched examples' preparation: the dev sample a Quick run scores
    on, the seed, the scorer, a counted gateway."""

    def __init__(self, engine, train, dev, scorer, seed: int) -> None:
        self.engine, self.train, self.examples, self.dev, self.scorer, self.seed = \
            engine, [e.input for e in train], train, dev, scorer, seed

    def gateway(self, kind):
        return Counted(self.engine)

    def warn_once(self, key, message):
        print("warning:", message, file=sys.stderr)

    def right(self, example, output: str) -> bool:
        return bool(score_output(output, example.answer, self.scorer, example.input).correct)


COMPARED = (SEARCHED, "nearest_examples_picked", "few_examples_picked", "direct")  # the new one first


def measure_searched(engine: LlamaEngine, task: str, n: int) -> dict:
    """The search on the Quick dev sample, then each of COMPARED on the first `n` test questions."""
    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home) / "db.sqlite")
        d = load(task, store)
        repo = DatasetRepository(store)
        cfg = PRESETS["quick"].with_overrides(seed=1, baselines=(*PRESETS["quick"].baselines, *COMPARED))
        train, test = repo.optimizer_examples(d.id, "train"), repo.examples(d.id, "test")[:n]
        dev = sample(repo.optimizer_examples(d.id, "dev"), cfg.dev_limit, cfg.seed)
        scorer = get_scorer(d.scorer, **d.scorer_options)
        kit, settings = make_kit(d, train, None), AnswerSettings.from_config(cfg)
        kit = replace(kit, few=pick_few(train, cfg.few_examples_k, cfg.seed), pool=pool_of(train, cfg.seed))
        Counted.calls, started = 0, time.perf_counter()
        kit = drive(behaviors.kind(SEARCHED).prepare(kit, Preparing(engine, train, dev, scorer, cfg.seed)))
        state = behaviors.kind(SEARCHED).state_in(kit) or {}
        row = {"n": len(test), "dev": len(dev), "search_calls": Counted.calls,
               "search_seconds": time.perf_counter() - started, "search": {k: v for k, v in state.items()
                                                                           if k != "examples"},
               "shown": [a for _, a in state.get("examples", [])], "methods": {}}
        print(task, "search", row["search_calls"], "calls", f"{row['search_seconds']:.0f}s", state.get("right"),
              file=sys.stderr, flush=True)
        for name in COMPARED:
            b, replies = behaviors.build(name, kit, settings), []
            Counted.calls, started = 0, time.perf_counter()
            for i in range(0, len(test), 8):
                replies += drive(b.answer_many(Counted(engine), [e.input for e in test[i:i + 8]]))
            outs = [r.completion.text if r.completion else "" for r in replies]
            judged = [score_output(o, e.answer, scorer, e.input) for o, e in zip(outs, test, strict=True)]
            said = Counter(r.extracted if r.extracted is not None else "—" for r in judged)
            row["methods"][name] = {"right": sum(r.correct for r in judged), "top": said.most_common(1)[0],
                                    "calls": Counted.calls, "seconds": time.perf_counter() - started,
                                    "correct": [bool(r.correct) for r in judged]}
            print(task, name, f"{time.perf_counter() - started:.0f}s", f"{row['methods'][name]['right']}/{len(test)}",
                  "".join("1" if c else "0" for c in row["methods"][name]["correct"]), file=sys.stderr, flush=True)
        store.close()
        return row


def searched_table(results: dict) -> str:
    """Per task and behavior: held-out accuracy, the searched pick against it (only one right,
    each way; the paired exact test), model calls."""
    lines = ["| task (test n) | behavior | held-out | searched vs it: only searched / only it, p | calls |",
             "|---|---|---|---|---|"]
    for task, row in results.items():
        mine = row["methods"][SEARCHED]["correct"]
        for name, m in row["methods"].items():
            versus = "—"
            if name != SEARCHED:
                a = sum(x and not y for x, y in zip(mine, m["correct"], strict=True))
                b = sum(y and not x for x, y in zip(mine, m["correct"], strict=True))
                versus = f"{a} / {b}, p = {mcnemar_exact(a, b):.2g}"
            calls = f"{m['calls']}" + (f" + search {row['search_calls']}" if name == SEARCHED else "")
            lines.append(f"| {task} ({row['n']}) | {name} | {m['right'] / row['n']:.0%} ({m['top'][0]}×{m['top'][1]})"
                         f" | {versus} | {calls} |")
        s = row["search"]
        lines.append(f"| {task} | the search | {s.get('right')}/{s.get('of')} on the dev sample | "
                     f"{s.get('tried')} sets tried, answers shown: {', '.join(row['shown'])} | "
                     f"{row['search_calls']} ({row['search_seconds']:.0f} s) |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--tasks", default=",".join(TASKS))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--parallel", type=int, default=8)
    ap.add_argument("--skip", default="", help="variants not to measure, e.g. nearest_examples_picked+cal")
    ap.add_argument("--out", type=Path, default=Path("/tmp/bench_new_behaviors.json"))
    ap.add_argument("--report", type=Path)
    ap.add_argument("--searched", action="store_true", help="the searched set of examples against its peers")
    args = ap.parse_args()
    if args.report:
        print((searched_table if args.searched else table)(json.loads(args.report.read_text())))
        return 0
    if not REAL.is_dir():
        print(f"{REAL} not found; nothing to measure.", file=sys.stderr)
        return 0
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    engine = LlamaEngine(n_threads=args.threads)
    engine.load(str(smollm2_path()), n_parallel=args.parallel)
    try:
        for task in args.tasks.split(","):
            results[task] = (measure_searched(engine, task, args.n) if args.searched else
                             measure(engine, task, args.n, set(filter(None, args.skip.split(",")))))
            args.out.write_text(json.dumps(results, indent=1))
    finally:
        engine.unload()
    print((searched_table if args.searched else table)(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
