"""DeBoP on a real small model: SmolLM2-135M-Instruct on a built-in sample task, through the
CLI in a throwaway data folder. Prints the held-out test table and the wall time.

    .venv/bin/python benchmarks/bench_optimizer_real.py [--task arithmetic] [--difficulty 1] [--preset quick]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fetch_test_models import smollm2_path  # noqa: E402

DEBOP = str(Path(sys.executable).parent / "debop")


def debop(home: str, *args: str) -> str:
    return subprocess.run([DEBOP, "--home", home, *args], check=True, capture_output=True, text=True).stdout


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", default="arithmetic")
    ap.add_argument("--difficulty", default="1")
    ap.add_argument("--n", default="100")
    ap.add_argument("--preset", default="quick")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as home:
        debop(home, "models", "add", str(smollm2_path()))
        debop(home, "datasets", "sample", args.task, "--n", args.n, "--seed", "1", "--difficulty", args.difficulty)
        started = time.perf_counter()
        result = json.loads(debop(home, "--json", "optimize", "--model", "1", "--dataset", "1",
                                  "--preset", args.preset))
        wall = time.perf_counter() - started
        show = json.loads(debop(home, "--json", "runs", "show", str(result["run_id"])))
    print(f"SmolLM2-135M-Instruct, task {args.task} level {args.difficulty} (n={args.n}), preset {args.preset}")
    print(f"status {result['status']}, wall time {wall:.0f} s, {result['model_calls']} model calls, "
          f"{result['calls_saved']} saved by racing, {len(show['nodes'])} nodes in the tree")
    print(f"{'method':<16} {'test accuracy':>14} {'95% interval':>16}")
    for b in result["baselines"]:
        print(f"{b['method']:<16} {b['accuracy']:>13.0%} {b['low']:>8.0%}–{b['high']:.0%}  ({b['correct']}/{b['n']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
