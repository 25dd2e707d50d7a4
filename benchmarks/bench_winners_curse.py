"""The winner's curse in what ships, simulated with known true accuracies.

    .venv/bin/python benchmarks/bench_winners_curse.py [--trials 2000] [--seed 0] [--rho 0.6] [--gain 0.15]

A run's pool (direct prompting and nine other tries: simple behaviors, plans, the search's
best node) answers 20 dev-sample questions and 20 dev questions the search never saw. Each
try has a true accuracy; its answers are correlated across tries through each question's
difficulty (a shared latent, correlation `RHO`), as real prompts on one model are. The app's
own choice code (`candidates.finalists`, `candidates.choose`) picks what ships for each
`ship_margin`; the rule before issue 22 is shown for reference (on the dev sample only: the
best simple behavior, unless the search's best node beats it by 2 questions and one standard
error; plans could not ship). Reported per scenario: how often the shipped behavior is truly worse than direct
prompting (at all, and by 5 points or more), how often it is truly better by 5 or more, how
often it is the truly best of the pool, and the mean true gain over direct prompting (points).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from debop_desktop.core.optimizer.candidates import DevScore, beats, choose, finalists, ranked  # noqa: E402

RHO = 0.6  # how much of a question's difficulty every try shares (--rho)
SAMPLE, CONFIRM = 20, 20
NAMES = ["direct", "few_examples", "zero_shot_cot", "worked_examples", "calibrated", "plan:0", "plan:1", "plan:2",
         "plan:3", "tuned"]
MARGINS = (0.0, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
GAIN = 0.15  # how much truly better the one better try is (--gain)


def scenario_truth(kind: str, rng: random.Random, gain: float = GAIN) -> dict[str, float]:
    """True accuracies: direct uniform in [0.3, 0.7]; the others around it."""
    direct = rng.uniform(0.3, 0.7)
    truth = {"direct": direct}
    for name in NAMES[1:]:
        delta = rng.gauss(-0.05, 0.05)  # most tries are no better than plain prompting
        truth[name] = min(0.95, max(0.02, direct + delta))
    if kind == "one better":
        truth[rng.choice(NAMES[1:])] = min(0.95, direct + gain)
    return truth


def answers(truth: dict[str, float], n: int, rng: random.Random, first_id: int, rho: float = RHO
            ) -> dict[str, dict[int, bool]]:
    right: dict[str, dict[int, bool]] = {name: {} for name in truth}
    for q in range(first_id, first_id + n):
        shared = rng.random()
        for name, p in truth.items():
            # right iff a mix of the question's shared difficulty and the try's own luck clears p
            u = shared if rng.random() < rho else rng.random()
            right[name][q] = u < p
    return right


def one_trial(kind: str, rng: random.Random, rho: float, gain: float = GAIN
              ) -> tuple[dict[str, float], str, dict[float, str]]:
    truth = scenario_truth(kind, rng, gain)
    sample = answers(truth, SAMPLE, rng, 0, rho)
    fresh = answers(truth, CONFIRM, rng, SAMPLE, rho)
    pool = [DevScore(name, sample[name], 0.0) for name in NAMES]
    simple = ranked([s for s in pool if not s.method.startswith("plan:") and s.method != "tuned"])[0]
    old = "tuned" if beats(pool[-1], simple, 1.0) else simple.method
    confirmed = [DevScore(s.method, fresh[s.method], 0.0) for s in finalists(pool)]
    return truth, old, {m: choose(confirmed, m).method for m in MARGINS}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rho", type=float, default=RHO)
    parser.add_argument("--gain", type=float, default=GAIN, help="the one better try's true gain (0.15: 15 points)")
    args = parser.parse_args()
    print(f"{args.trials} trials per scenario; {SAMPLE} dev-sample and {CONFIRM} unseen questions; rho {args.rho}; "
          f"one better by {args.gain:.0%}")
    print(f"{'scenario':<12} {'rule':<24} {'worse':>6} {'worse by 5+':>11} {'better by 5+':>12} "
          f"{'truly best':>10} {'mean gain':>9}")
    for kind in ("none better", "one better"):
        rng = random.Random(f"{args.seed}:{kind}")
        trials = [one_trial(kind, rng, args.rho, args.gain) for _ in range(args.trials)]
        rules = [("before (dev sample only)", lambda t: t[1])] + [
            (f"confirmed, margin {m:g}", lambda t, m=m: t[2][m]) for m in MARGINS]
        for label, pick in rules:
            gains = [(t[0][pick(t)] - t[0]["direct"]) * 100 for t in trials]
            below = sum(g < 0 for g in gains) / len(gains)
            worse = sum(g <= -5 for g in gains) / len(gains)
            better = sum(g >= 5 for g in gains) / len(gains)
            best = sum(t[0][pick(t)] == max(t[0].values()) for t in trials) / len(trials)
            print(f"{kind:<12} {label:<24} {below:>6.1%} {worse:>10.1%} {better:>11.1%} {best:>10.1%} "
                  f"{statistics.mean(gains):>+9.1f}")


if __name__ == "__main__":
    main()
