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

The closed-answer scenarios add always giving the most common answer to the pool: each
question has a label (4 labels, the most common 30 % of questions; or 2 labels, 50/50), the
most common answer is right exactly on the most common label's questions. "direct one answer":
plain prompting says the second label to 95 % of questions (true accuracy 25 %, below the most
common answer's 30 %; SmolLM2 on the films and question kinds); "direct below chance": it reads
the question but is truly right on 2-25 % (question kinds: 5 %); "closed 50/50": two labels,
plain prompting truly 30-70 % (below chance about half the time). Every other try reads the
question, 5 points under chance on average ("none better") or one of them `--gain` above chance
("one better"). For these, also: how often what ships is truly 5+ points below chance, and the
mean true gain over the better of direct prompting and chance.
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
FOUR_LABELS = (0.3, 0.25, 0.25, 0.2)  # the most common label first
CLOSED = {  # scenario -> the labels' shares, how plain prompting answers
    "direct one answer, none better": (FOUR_LABELS, "one answer"), "direct one answer, one better": (FOUR_LABELS,
                                                                                                    "one answer"),
    "direct below chance, none better": (FOUR_LABELS, "below"), "direct below chance, one better": (FOUR_LABELS,
                                                                                                   "below"),
    "closed 50/50, none better": ((0.5, 0.5), "reads"), "closed 50/50, one better": ((0.5, 0.5), "reads"),
}


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
    if kind in CLOSED:
        return closed_trial(kind, rng, rho, gain)
    truth = scenario_truth(kind, rng, gain)
    sample = answers(truth, SAMPLE, rng, 0, rho)
    fresh = answers(truth, CONFIRM, rng, SAMPLE, rho)
    pool = [DevScore(name, sample[name], 0.0) for name in NAMES]
    simple = ranked([s for s in pool if not s.method.startswith("plan:") and s.method != "tuned"])[0]
    old = "tuned" if beats(pool[-1], simple, 1.0) else simple.method
    confirmed = [DevScore(s.method, fresh[s.method], 0.0) for s in finalists(pool)]
    return truth, old, {m: choose(confirmed, m).method for m in MARGINS}


def closed_answers(truth: dict[str, float], shares: tuple[float, ...], direct_kind: str, n: int,
                   rng: random.Random, first_id: int, rho: float) -> dict[str, dict[int, bool]]:
    """As `answers`, with a label per question: the most common answer is right on label 0's
    questions; plain prompting giving one answer says label 1 (else a random label)."""
    right = answers({k: p for k, p in truth.items() if k != "most_common"}, n, rng, first_id, rho)
    right["most_common"] = {}
    for q in range(first_id, first_id + n):
        label = rng.choices(range(len(shares)), shares)[0]
        right["most_common"][q] = label == 0
        if direct_kind == "one answer":
            said = 1 if rng.random() < 0.95 else rng.randrange(len(shares))
            right["direct"][q] = said == label
    return right


def closed_trial(kind: str, rng: random.Random, rho: float, gain: float
                 ) -> tuple[dict[str, float], str, dict[float, str]]:
    shares, direct_kind = CLOSED[kind]
    chance = shares[0]
    direct = {"one answer": shares[1], "below": rng.uniform(0.02, chance - 0.05),
              "reads": rng.uniform(0.3, 0.7)}[direct_kind]
    truth = {"direct": direct, "most_common": chance}
    for name in NAMES[1:]:
        truth[name] = min(0.95, max(0.02, chance + rng.gauss(-0.05, 0.05)))
    if kind.endswith(", one better"):
        truth[rng.choice(NAMES[1:])] = min(0.95, chance + gain)
    sample = closed_answers(truth, shares, direct_kind, SAMPLE, rng, 0, rho)
    fresh = closed_answers(truth, shares, direct_kind, CONFIRM, rng, SAMPLE, rho)
    constant = {"most_common"} | ({"direct"} if direct_kind == "one answer" else set())
    pool = [DevScore(name, sample[name], 0.0, name in constant) for name in truth]
    simple = ranked([s for s in pool if not s.method.startswith("plan:") and s.method != "tuned"])[0]
    old = "tuned" if beats(next(s for s in pool if s.method == "tuned"), simple, 1.0) else simple.method
    confirmed = [DevScore(s.method, fresh[s.method], 0.0, s.constant) for s in finalists(pool)]
    return truth, old, {m: choose(confirmed, m).method for m in MARGINS}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rho", type=float, default=RHO)
    parser.add_argument("--gain", type=float, default=GAIN, help="the one better try's true gain (0.15: 15 points)")
    parser.add_argument("--scenarios", default="all", help="'open' (the first two), 'closed', or 'all'")
    args = parser.parse_args()
    kinds = {"open": ["none better", "one better"], "closed": list(CLOSED)}
    kinds["all"] = kinds["open"] + kinds["closed"]
    print(f"{args.trials} trials per scenario; {SAMPLE} dev-sample and {CONFIRM} unseen questions; rho {args.rho}; "
          f"one better by {args.gain:.0%}")
    print(f"{'scenario':<34} {'rule':<24} {'worse':>6} {'worse by 5+':>11} {'better by 5+':>12} "
          f"{'truly best':>10} {'mean gain':>9} {'5+ below chance':>15} {'gain over max(direct, chance)':>29}")
    for kind in kinds[args.scenarios]:
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
            line = (f"{kind:<34} {label:<24} {below:>6.1%} {worse:>10.1%} {better:>11.1%} {best:>10.1%} "
                    f"{statistics.mean(gains):>+9.1f}")
            if kind in CLOSED:
                chance = [t[0]["most_common"] for t in trials]
                under = sum(t[0][pick(t)] <= c - 0.05 for t, c in zip(trials, chance, strict=True)) / len(trials)
                over = statistics.mean((t[0][pick(t)] - max(t[0]["direct"], c)) * 100
                                       for t, c in zip(trials, chance, strict=True))
                line += f" {under:>15.1%} {over:>+29.1f}"
            print(line)


if __name__ == "__main__":
    main()
