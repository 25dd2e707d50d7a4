"""Quality against simple baselines (issue 12): what a new user gets from a Quick run.

SmolLM2-135M-Instruct, Quick preset, seed 1, one llama.cpp thread, each task in its own
throwaway data folder, through the CLI as a person would run it: built-in sample tasks at
levels 1-2 and the BIG-Bench Hard tasks in ../shared/data/bbh (skipped when that folder is
absent). Prints one markdown table: test accuracy of direct prompting, a few examples, step by
step, the calibrated pick, always giving the train split's most common answer, the behavior
that ships (and which it is) and how many more test questions it got right than the best
simple prompt, the verdict with its p-value, the most common test answer's rate, model calls
and wall time; then, per task, how often each method gave each answer on the test split, and
a few raw outputs (to read, not only count).

    .venv/bin/python benchmarks/bench_quality.py [--tasks a,b] [--list] [--save DIR]
        [--threads N] [--dev-limit N --test-limit N --iterations N]   # smaller runs: for developing this
    .venv/bin/python benchmarks/bench_quality.py --report DIR   # one table from the tasks saved in DIR
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fetch_test_models import smollm2_path  # noqa: E402

from debop_desktop.core.optimizer.recorder import RunRecorder  # noqa: E402
from debop_desktop.core.optimizer.verdict import stored_name  # noqa: E402
from debop_desktop.core.store.db import Store, database_path  # noqa: E402

DEBOP = str(Path(sys.executable).parent / "debop")
BBH = Path(os.environ.get("DEBOP_BBH_DIR", Path(__file__).resolve().parents[2] / "shared" / "data" / "bbh"))
CLOSED = ("yes_no", "true_false", "label", "choice")  # answers from a small set: majority goal applies
# name -> ("sample", task, level) or ("bbh", task file stem)
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
}
METHODS = ("direct", "few_examples", "step_by_step", "worked_examples", "calibrated", "most_common", "tuned")
PROMPTS = ("direct", "few_examples", "step_by_step", "worked_examples")  # the simple prompts a person types
SAMPLE_N = "150"


def debop(home: str, *args: str) -> str:
    done = subprocess.run([DEBOP, "--home", home, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"debop {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def run_task(name: str, limits: list[str], threads: int) -> dict:
    kind, task, level = TASKS[name]
    with tempfile.TemporaryDirectory() as home:
        debop(home, "models", "add", str(smollm2_path()))
        if kind == "sample":
            data = json.loads(debop(home, "--json", "datasets", "sample", task, "--n", SAMPLE_N, "--seed", "1",
                                    "--difficulty", str(level)))
        else:
            data = json.loads(debop(home, "--json", "datasets", "import", str(BBH / "tasks" / f"{task}.json"),
                                    "--name", task, "--skip-invalid"))["dataset"]
        started = time.perf_counter()
        result = json.loads(debop(home, "--json", "optimize", "--model", "1", "--dataset", "1", "--preset", "quick",
                                  "--seed", "1", "--threads", str(threads), *limits))
        wall = time.perf_counter() - started
        return {"task": name, "scorer": data["scorer"], "instruction": data["instruction"], "wall_s": wall,
                "threads": threads,
                "result": result, "outputs": test_outputs(home, result["run_id"])}


def test_outputs(home: str, run_id: int) -> dict:
    """Per method on the test split: how often each answer was given, and three raw outputs."""
    store = Store(database_path(home), migrate=False)
    try:
        rec = RunRecorder(store, run_id)
        out = {}
        for method in METHODS:
            rows = rec.evaluations(f"test:{stored_name(method)}")
            if rows:
                out[method] = {"answers": Counter(r["extracted"] or "—" for r in rows).most_common(),
                               "examples": [{"expected": r["answer"], "output": r["output"][:300]} for r in rows[:3]]}
        return out
    finally:
        store.close()


def _acc(tests: dict, method: str) -> str:
    t = tests.get(method)
    return f"{t['right'] / t['total']:.0%} ({t['right']}/{t['total']})" if t and t["total"] else "—"


def row(r: dict) -> list[str]:
    v = r["result"].get("verdict") or {}
    tests = v.get("test") or {}
    shipped = v.get("shipped") or "?"
    closed = r["scorer"] in CLOSED
    ship = tests.get(shipped) or {}
    ship_rate = ship["right"] / ship["total"] if ship.get("total") else 0.0
    goal = v.get("label") != "worse" and (not closed or ship_rate >= v.get("majority_rate", 0.0))
    prompts = [tests[m]["right"] for m in PROMPTS if m in tests]
    best_prompt = max(prompts, default=0)
    gain = (ship.get("right", 0) - best_prompt) if prompts else 0
    return [r["task"], r["scorer"], str((tests.get("direct") or {}).get("total", "—")),
            f"{v.get('majority_rate', 0):.0%}" if closed else "—",
            _acc(tests, "direct"), _acc(tests, "few_examples"), _acc(tests, "step_by_step"),
            _acc(tests, "calibrated"), _acc(tests, "most_common"), f"{shipped}: {_acc(tests, shipped)}",
            f"{gain:+d}", f"{v.get('label', r['result']['status'])} (p={v.get('p_value', 1):.3g})",
            "yes" if goal else "**no**", str(r["result"]["model_calls"]), f"{r['wall_s'] / 60:.1f} min"]


def print_table(results: list[dict]) -> None:
    head = ["task", "scorer", "test n", "majority (test)", "direct", "few examples", "step by step", "calibrated",
            "most common (train)", "shipped", "vs best prompt", "verdict", "goal met", "model calls", "wall"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in results:
        print("| " + " | ".join(row(r)) + " |")
    for r in results:
        print(f"\n{r['task']} (instruction: {r['instruction']!r})")
        for method, o in r["outputs"].items():
            answers = ", ".join(f"{a}×{n}" for a, n in o["answers"][:6])
            print(f"  {method:<13} {answers}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", help="comma-separated names (default: all; see --list)")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--save", type=Path, help="write each task's result and outputs as JSON here")
    ap.add_argument("--dev-limit")
    ap.add_argument("--test-limit")
    ap.add_argument("--iterations")
    ap.add_argument("--threads", type=int, default=1, help="llama.cpp threads for the runs (default 1)")
    ap.add_argument("--report", type=Path, help="print the table of the results saved in this folder (no runs)")
    args = ap.parse_args()
    if args.report:
        saved = {json.loads(p.read_text())["task"]: json.loads(p.read_text()) for p in args.report.glob("*.json")}
        print_table([saved[n] for n in TASKS if n in saved])
        return 0
    names = args.tasks.split(",") if args.tasks else list(TASKS)
    if args.list:
        print("\n".join(TASKS))
        return 0
    if not (BBH / "tasks").is_dir():
        print(f"BIG-Bench Hard not found at {BBH}; its tasks are skipped.", file=sys.stderr)
        names = [n for n in names if TASKS[n][0] != "bbh"]
    limits = [x for flag, value in (("--dev-limit", args.dev_limit), ("--test-limit", args.test_limit),
                                    ("--iterations", args.iterations)) if value for x in (flag, value)]
    results = []
    for name in names:
        print(f"running {name} …", file=sys.stderr, flush=True)
        results.append(run_task(name, limits, args.threads))
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{name.replace(':', '_')}.json").write_text(json.dumps(results[-1], indent=1))
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
