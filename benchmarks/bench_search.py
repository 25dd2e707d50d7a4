"""Search efficiency on the simulated behavior environment (tests/simulated_env.py).

    .venv/bin/python benchmarks/bench_search.py [--seeds 10] [--iterations 40]

For each seed: the model calls until the best dev reward first reaches 95% of the best
achievable reward (computed exactly over every step subset), and the final ratio, for the
paper-faithful search (no racing) and with racing. Prints one table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "core"))
from simulated_env import best_achievable_reward, simulated_backend  # noqa: E402
from test_optimizer_run import make_dataset  # noqa: E402

from debop_desktop.core.datasets.repository import DatasetRepository  # noqa: E402
from debop_desktop.core.optimizer.config import OptimizerConfig  # noqa: E402
from debop_desktop.core.optimizer.run import run_optimization  # noqa: E402
from debop_desktop.core.store import Store  # noqa: E402

SPEED = 40.0


def one_run(seed: int, racing: bool, iterations: int) -> tuple[int | None, int, float]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "db.sqlite3")
        d, answers = make_dataset(store)
        dev = [e.input for e in DatasetRepository(store).optimizer_examples(d.id, "dev")][:30]
        target = 0.95 * best_achievable_reward(dev, SPEED)
        cfg = OptimizerConfig(n_plans=4, dev_limit=30, n_seeds=2, max_iterations=iterations,
                              early_stop_probability=0.0, racing=racing, test_limit=3, seed=seed,
                              baselines=("tuned",))
        backend, model = simulated_backend(answers)
        gen = run_optimization(store, backend, d.id, cfg, tokens_per_second=SPEED)
        reached, best = None, 0.0
        try:
            while True:
                event = next(gen)
                if event.kind == "BestImproved":
                    best = max(best, event.reward)
                    if reached is None and best >= target:
                        reached = model.calls
        except StopIteration as stop:
            result = stop.value
        store.close()
        return reached, model.calls, result.best.reward / (target / 0.95)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--iterations", type=int, default=40)
    args = ap.parse_args()
    print(f"{'search':<22} {'reached 95%':>12} {'calls to 95% (median)':>22} {'total calls (mean)':>19} "
          f"{'final / optimum (min, mean)':>28}")
    for label, racing in (("paper-faithful", False), ("racing", True)):
        runs = [one_run(s, racing, args.iterations) for s in range(args.seeds)]
        hit = [r[0] for r in runs if r[0] is not None]
        ratios = [r[2] for r in runs]
        median = f"{statistics.median(hit):.0f}" if hit else "—"
        print(f"{label:<22} {len(hit):>9}/{args.seeds} {median:>22} {statistics.mean(r[1] for r in runs):>19.0f} "
              f"{min(ratios):>14.3f}, {statistics.mean(ratios):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
