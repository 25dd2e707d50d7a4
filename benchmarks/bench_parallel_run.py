"""A whole Quick run on SmolLM2, the same seed and task, one question at a time
(`--parallel 1`) and with the default (automatic) batching, each in its own new data folder
so no saved answer is shared. Prints the wall time of each `debop optimize`, their ratio,
and what each run found (so a faster run that found something different is visible).

    .venv/bin/python benchmarks/bench_parallel_run.py [--task compare_numbers] [--n 120] [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fetch_test_models import smollm2_path  # noqa: E402

DEBOP = [sys.executable, "-m", "debop_desktop.cli"]


def debop(home: str, *args: str) -> dict:
    out = subprocess.run([*DEBOP, "--home", home, "--json", *args], capture_output=True, text=True, check=True,
                         env=dict(os.environ, DEBOP_HOME=home))
    return json.loads(out.stdout) if out.stdout.strip() else {}


def one_run(task: str, n: int, seed: int, threads: int, parallel: str | None) -> dict:
    with tempfile.TemporaryDirectory() as home:
        model = debop(home, "models", "add", str(smollm2_path()))
        dataset = debop(home, "datasets", "sample", task, "--n", str(n), "--seed", "3", "--difficulty", "1")
        args = ["optimize", "--model", str(model["id"]), "--dataset", str(dataset["id"]), "--preset", "quick",
                "--seed", str(seed), "--threads", str(threads)]
        if parallel is not None:
            args += ["--parallel", parallel]
        started = time.perf_counter()
        result = debop(home, *args)
        wall = time.perf_counter() - started
        return {"wall": wall, "result": result}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", default="compare_numbers")
    ap.add_argument("--n", type=int, default=120)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--parallel", default=None, help="the batched run's --parallel (default: automatic)")
    args = ap.parse_args()
    runs = {}
    for name, parallel in (("one at a time (--parallel 1)", "1"), ("batched (default)", args.parallel)):
        runs[name] = one_run(args.task, args.n, args.seed, args.threads, parallel)
        print(f"{name}: {runs[name]['wall']:.0f} s", flush=True)
    print(f"\n{'run':<30} {'wall s':>7} {'calls':>6} {'shipped':>14} {'verdict':>16} {'test acc.':>10}")
    for name, r in runs.items():
        res = r["result"]
        verdict = res.get("verdict") or {}
        shipped = verdict.get("shipped", "?")
        test = (verdict.get("test") or {}).get(shipped, {})
        acc = f"{test.get('right', 0)}/{test.get('total', 0)}" if test else "?"
        print(f"{name:<30} {r['wall']:>7.0f} {res.get('model_calls', '?'):>6} {shipped:>14} "
              f"{verdict.get('label', '?'):>16} {acc:>10}")
    names = list(runs)
    print(f"\nwall-time ratio one-at-a-time / batched: {runs[names[0]]['wall'] / runs[names[1]]['wall']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
