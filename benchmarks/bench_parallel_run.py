"""A whole Quick run on SmolLM2, the same seed and task, one question at a time
(`parallel=1`) and with the default (automatic) batching, each in its own new data folder
so no saved answer is shared. The run is the app's own job (`optimization_job`: the model in
the inference worker, the answer cache, the run lock). Prints the wall time of each run,
their ratio, what each run shipped, and how the time-left range held: at each half minute,
the range shown then against the time the run actually still took.

    .venv/bin/python benchmarks/bench_parallel_run.py [--task compare_numbers] [--n 120] [--threads 1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fetch_test_models import smollm2_path  # noqa: E402

from debop_desktop.core.datasets.repository import DatasetRepository  # noqa: E402
from debop_desktop.core.library import ModelLibrary  # noqa: E402
from debop_desktop.core.llm.host import model_host  # noqa: E402
from debop_desktop.core.optimizer.config import PRESETS  # noqa: E402
from debop_desktop.core.optimizer.events import Progress, StageChanged  # noqa: E402
from debop_desktop.core.optimizer.job import optimization_job  # noqa: E402
from debop_desktop.core.samples.dataset import create_sample_dataset  # noqa: E402
from debop_desktop.core.store import open_store  # noqa: E402


def one_run(task: str, n: int, seed: int, threads: int, parallel: int | None) -> dict:
    with tempfile.TemporaryDirectory() as home:
        store = open_store(home)
        model = ModelLibrary(store).add(smollm2_path()).record
        dataset = create_sample_dataset(DatasetRepository(store), task, n=n, seed=3).dataset
        db = store.path
        store.close()
        job = optimization_job(db, model.id, dataset_id=dataset.id, config=PRESETS["quick"].with_overrides(seed=seed),
                               preset="quick", threads=threads, parallel=parallel)
        trace, started, next_mark, estimate = [], time.monotonic(), 30.0, ""
        while True:
            try:
                event = next(job)
            except StopIteration as stop:
                result = stop.value
                break
            now = time.monotonic() - started
            if isinstance(event, StageChanged) and "tokens/s" in event.message:
                estimate = event.message
            if isinstance(event, Progress) and now >= next_mark:
                trace.append((now, event.eta_low_seconds, event.eta_high_seconds))
                next_mark += 30.0
        wall = time.monotonic() - started
        model_host().unload()
        return {"wall": wall, "result": result, "trace": trace, "estimate": estimate}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", default="compare_numbers")
    ap.add_argument("--n", type=int, default=120)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--parallel", type=int, default=None, help="the batched run's parallel (default: automatic)")
    args = ap.parse_args()
    runs = {}
    for name, parallel in (("one at a time (parallel 1)", 1), ("batched (default)", args.parallel)):
        runs[name] = r = one_run(args.task, args.n, args.seed, args.threads, parallel)
        print(f"{name}: {r['wall']:.0f} s; before the run: {r['estimate']}", flush=True)
        print("  elapsed s | time left shown, s | time it actually still took, s | inside?")
        for at, low, high in r["trace"]:
            actual = r["wall"] - at
            shown = "measuring" if low is None else f"{low:.0f}–{high:.0f}"
            inside = "" if low is None else ("yes" if low * 0.9 <= actual <= high * 1.1 else "no")
            print(f"  {at:9.0f} | {shown:>18} | {actual:>30.0f} | {inside}")
    print(f"\n{'run':<28} {'wall s':>7} {'calls':>6} {'saved':>6} {'shipped':>14} {'verdict':>16} {'test right':>10}")
    for name, r in runs.items():
        res = r["result"]
        verdict = res.verdict or {}
        shipped = verdict.get("shipped", "?")
        test = (verdict.get("test") or {}).get(shipped, {})
        right = f"{test.get('right', 0)}/{test.get('total', 0)}" if test else "?"
        print(f"{name:<28} {r['wall']:>7.0f} {res.model_calls:>6} {res.calls_saved:>6} {shipped:>14} "
              f"{verdict.get('label', '?'):>16} {right:>10}")
    names = list(runs)
    print(f"\nwall-time ratio one at a time / batched: {runs[names[0]]['wall'] / runs[names[1]]['wall']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
