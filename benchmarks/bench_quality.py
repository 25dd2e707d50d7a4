"""Quality against simple baselines (issues 12 and 22): what a new user gets from a Quick run.

SmolLM2-135M-Instruct, Quick preset, seed 1, one llama.cpp thread, each task in its own data
folder, through the CLI as a person would run it: built-in sample tasks at levels 1-2, the
BIG-Bench Hard tasks in ../shared/data/bbh and the three spreadsheets in ../shared/data/real
(film reviews, news topics with both text columns as the question, question kinds; imported
as `debop datasets import` suggests). A missing folder skips its tasks. Prints one markdown
table: test accuracy of every behavior the run scored on test, always giving the train
split's most common answer, the behavior that ships (and which it is), the test-best behavior
and whether what ships is it or within 5 points of it, the verdict with its p-value, the
issue-22 goals (what ships not clearly worse than direct or the most common answer, paired
exact test), model calls and wall time; then, per task, how often each method gave each
answer on the test split, the finalists on the confirmation questions and why what ships
was chosen, and a few raw outputs (to read, not only count).

Each task's result is written to --save (default /tmp/bench_quality) as soon as its run ends,
with the run's data folder beside it; --resume skips the tasks already saved there.

    .venv/bin/python benchmarks/bench_quality.py [--tasks a,b] [--list] [--save DIR] [--resume]
        [--threads N] [--dev-limit N --test-limit N --iterations N]   # smaller runs: for developing this
    .venv/bin/python benchmarks/bench_quality.py --report DIR [--tasks a,b]   # the table of the tasks saved in DIR
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fetch_test_models import smollm2_path  # noqa: E402

from debop_desktop.core.optimizer.recorder import RunRecorder  # noqa: E402
from debop_desktop.core.optimizer.verdict import mcnemar_exact, verdict_name  # noqa: E402
from debop_desktop.core.store.db import Store, database_path  # noqa: E402

DEBOP = str(Path(sys.executable).parent / "debop")
BBH = Path(os.environ.get("DEBOP_BBH_DIR", Path(__file__).resolve().parents[2] / "shared" / "data" / "bbh"))
REAL = Path(os.environ.get("DEBOP_REAL_DIR", Path(__file__).resolve().parents[2] / "shared" / "data" / "real"))
SAVE = Path("/tmp/bench_quality")
CLOSED = ("yes_no", "true_false", "label", "choice")  # answers from a small set: majority goal applies
# name -> ("sample", task, level), ("bbh", task file stem, 0) or ("real", file stem, 0)
TASKS: dict[str, tuple[str, str, int]] = {
    "boolean_expressions-1": ("sample", "boolean_expressions", 1),
    "compare_numbers-1": ("sample", "compare_numbers", 1),
    "date_arithmetic-1": ("sample", "date_arithmetic", 1),
    "logical_deduction-2": ("sample", "logical_deduction", 2),
    "tracking_shuffled_objects-1": ("sample", "tracking_shuffled_objects", 1),
    "bbh:boolean_expressions": ("bbh", "boolean_expressions", 0),
    "bbh:snarks": ("bbh", "snarks", 0),
    "bbh:hyperbaton": ("bbh", "hyperbaton", 0),
    "bbh:disambiguation_qa": ("bbh", "disambiguation_qa", 0),
    "bbh:logical_deduction_three_objects": ("bbh", "logical_deduction_three_objects", 0),
    "real:film_review_sentiment": ("real", "film_review_sentiment", 0),
    "real:news_headline_topic": ("real", "news_headline_topic", 0),
    "real:question_kind": ("real", "question_kind", 0),
}
# the question columns a person picks where the suggested one is not all of the question
REAL_INPUTS = {"news_headline_topic": ("Headline", "Summary")}
FOLDERS = {"bbh": BBH / "tasks", "real": REAL}
PROMPTS = ("direct", "few_examples", "step_by_step", "worked_examples")  # the simple prompts a person types
NEAR = 5  # points: what ships is "near the best" within this many of the test-best behavior
SAMPLE_N = "150"


def debop(home: str, *args: str) -> str:
    done = subprocess.run([DEBOP, "--home", home, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"debop {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def run_task(name: str, limits: list[str], threads: int, home: Path) -> dict:
    """One Quick run of the task in the data folder `home` (emptied first; kept after, to read
    the run's recorded evaluations)."""
    kind, task, level = TASKS[name]
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    debop(str(home), "models", "add", str(smollm2_path()))
    if kind == "sample":
        data = json.loads(debop(str(home), "--json", "datasets", "sample", task, "--n", SAMPLE_N, "--seed", "1",
                                "--difficulty", str(level)))
    elif kind == "bbh":
        data = json.loads(debop(str(home), "--json", "datasets", "import", str(BBH / "tasks" / f"{task}.json"),
                                "--name", task, "--skip-invalid"))["dataset"]
    else:
        inputs = [x for col in REAL_INPUTS.get(task, ()) for x in ("--input", col)]
        data = json.loads(debop(str(home), "--json", "datasets", "import", str(REAL / f"{task}.csv"),
                                *inputs))["dataset"]
    started = time.perf_counter()
    result = json.loads(debop(str(home), "--json", "optimize", "--model", "1", "--dataset", "1", "--preset", "quick",
                              "--seed", "1", "--threads", str(threads), *limits))
    wall = time.perf_counter() - started
    return {"task": name, "scorer": data["scorer"], "instruction": data["instruction"], "wall_s": wall,
            "threads": threads, "home": str(home),
            "result": result, **recorded(home, result["run_id"])}


def recorded(home: Path, run_id: int) -> dict:
    """From the run's database: per method on the test split how often each answer was given,
    three raw outputs and which questions it got right; per subject (dev sample, confirmation,
    test) how many right of how many."""
    store = Store(database_path(str(home)), migrate=False)
    try:
        rec = RunRecorder(store, run_id)
        rows = store.execute("SELECT subject, sum(correct), count(*) FROM evaluations WHERE run_id = ? "
                             "GROUP BY subject ORDER BY subject", (run_id,)).fetchall()
        out = {}
        for subject, _, _ in rows:
            if subject.startswith("test:"):
                evals = rec.evaluations(subject)
                out[verdict_name(subject[len("test:"):])] = {
                    "answers": Counter(r["extracted"] or "—" for r in evals).most_common(),
                    "right": {str(r["example_id"]): bool(r["correct"]) for r in evals},
                    "examples": [{"expected": r["answer"], "output": r["output"][:300]} for r in evals[:3]]}
        return {"outputs": out, "subjects": {s: [int(c or 0), n] for s, c, n in rows}}
    finally:
        store.close()


def _acc(tests: dict, method: str) -> str:
    t = tests.get(method)
    return f"{t['right'] / t['total']:.0%}" if t and t["total"] else "—"


def methods_of(results: list[dict]) -> list[str]:
    """Every method scored on test in any of `results`, the simple prompts first."""
    seen: list[str] = list(PROMPTS)
    for r in results:
        seen += [m for m in ((r["result"].get("verdict") or {}).get("test") or {}) if m not in seen]
    return [m for m in seen if any(m in ((r["result"].get("verdict") or {}).get("test") or {}) for r in results)]


def not_clearly_worse(r: dict, shipped: str, other: str) -> bool:
    """What ships is not worse than `other` on the test split by the verdict's paired exact test."""
    mine, theirs = (r["outputs"].get(shipped) or {}).get("right"), (r["outputs"].get(other) or {}).get("right")
    if mine is None or theirs is None or shipped == other:
        return True
    shared = mine.keys() & theirs.keys()
    only_mine = sum(mine[i] and not theirs[i] for i in shared)
    only_theirs = sum(theirs[i] and not mine[i] for i in shared)
    return not (only_theirs > only_mine and mcnemar_exact(only_mine, only_theirs) < 0.05)


def row(r: dict, methods: list[str]) -> list[str]:
    v = r["result"].get("verdict") or {}
    tests = v.get("test") or {}
    shipped = v.get("shipped") or "?"
    rate = {m: t["right"] / t["total"] for m, t in tests.items() if t.get("total")}
    best = max(rate, key=lambda m: rate[m], default="?")
    near = rate.get(shipped, 0.0) >= rate.get(best, 0.0) - NEAR / 100
    is_best = rate.get(shipped, -1) == rate.get(best)
    goal = v.get("label") != "worse" and all(not_clearly_worse(r, shipped, o) for o in ("direct", "most_common"))
    return [r["task"], str((tests.get("direct") or {}).get("total", "—")),
            *(_acc(tests, m) for m in methods), f"**{shipped}** {_acc(tests, shipped)}",
            f"{best} {_acc(tests, best)}", "best" if is_best else ("within 5" if near else "**no**"),
            f"{v.get('label', r['result']['status'])} (p={v.get('p_value', 1):.2g})",
            "yes" if goal else "**no**", str(r["result"]["model_calls"]), f"{r['wall_s'] / 60:.0f} min"]


def print_table(results: list[dict]) -> None:
    methods = methods_of(results)
    head = ["task", "test n", *methods, "ships", "test-best", "ships vs best", "verdict",
            "not worse than direct, most common", "model calls", "wall"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in results:
        print("| " + " | ".join(row(r, methods)) + " |")
    better = sum((r["result"].get("verdict") or {}).get("label") == "better" for r in results)
    print(f"\nverdict better than direct: {better} of {len(results)}")
    for r in results:
        shipped = r["result"].get("shipped") or {}
        print(f"\n{r['task']} (instruction: {r['instruction']!r})")
        confirm = {s[len("confirm:"):]: f"{c}/{n}" for s, (c, n) in r.get("subjects", {}).items()
                   if s.startswith("confirm:")}
        if confirm:
            print("  confirmation: " + ", ".join(f"{m} {x}" for m, x in confirm.items()))
        if shipped.get("reason"):
            print(f"  why: {shipped['reason']}")
        for method, o in r["outputs"].items():
            answers = ", ".join(f"{a}×{n}" for a, n in o["answers"][:6])
            print(f"  {method:<16} {answers}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", help="comma-separated names (default: all; see --list)")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--save", type=Path, default=SAVE,
                    help=f"write each task's result as JSON here as soon as it ends (default {SAVE})")
    ap.add_argument("--resume", action="store_true", help="skip the tasks already saved in --save")
    ap.add_argument("--dev-limit")
    ap.add_argument("--test-limit")
    ap.add_argument("--iterations")
    ap.add_argument("--threads", type=int, default=1, help="llama.cpp threads for the runs (default 1)")
    ap.add_argument("--report", type=Path, help="print the table of the results saved in this folder (no runs)")
    args = ap.parse_args()
    names = args.tasks.split(",") if args.tasks else list(TASKS)
    if args.list:
        print("\n".join(TASKS))
        return 0
    if args.report:
        saved = {json.loads(p.read_text())["task"]: json.loads(p.read_text()) for p in args.report.glob("*.json")}
        print_table([saved[n] for n in names if n in saved])
        return 0
    for kind, folder in FOLDERS.items():
        if not folder.is_dir():
            print(f"{folder} not found; its tasks are skipped.", file=sys.stderr)
            names = [n for n in names if TASKS[n][0] != kind]
    limits = [x for flag, value in (("--dev-limit", args.dev_limit), ("--test-limit", args.test_limit),
                                    ("--iterations", args.iterations)) if value for x in (flag, value)]
    args.save.mkdir(parents=True, exist_ok=True)
    results = []
    for name in names:
        path = args.save / f"{name.replace(':', '_')}.json"
        if args.resume and path.exists():
            results.append(json.loads(path.read_text()))
            continue
        print(f"running {name} …", file=sys.stderr, flush=True)
        results.append(run_task(name, limits, args.threads, args.save / f"{name.replace(':', '_')}-home"))
        path.write_text(json.dumps(results[-1], indent=1))
        print(f"saved {path}", file=sys.stderr, flush=True)
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
