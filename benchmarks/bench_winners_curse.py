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
("one better"). The train split's 180 labels are drawn too: its most common answer is the
constant (now and then not the truly most common label), and that answer's share of train is
what the rule knows of chance; the labels of the 20 confirmation questions are drawn apart from
it, so the constant's count there varies as on a real run. For these, also: how often what
ships is truly 5+ points below chance (the truly most common label's share), and the mean true
gain over the better of direct prompting and chance. Besides the app's rule at each margin, at
margin 0.5: the rule before plain prompting's default was checked, the default decided by the
most common answer's count on the 20 (fd5e6b6), and variants of the train share's rule
(`variant`: the binomial level, what a reading finalist must do to take plain prompting's
place, and whether the constant may replace a plain prompt that is not below chance).
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from debop_desktop.core.optimizer.candidates import (  # noqa: E402
    BELOW_CHANCE_P,
    CONSTANT_RANK,
    DevScore,
    beats,
    below_chance,
    choose,
    finalists,
    ranked,
)
from debop_desktop.core.optimizer.config import FINALISTS  # noqa: E402

RHO = 0.6  # how much of a question's difficulty every try shares (--rho)
SAMPLE, CONFIRM = 20, 20
NAMES = ["direct", "few_examples", "zero_shot_cot", "worked_examples", "calibrated", "plan:0", "plan:1", "plan:2",
         "plan:3", "tuned"]
MARGINS = (0.0, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
GAIN = 0.15  # how much truly better the one better try is (--gain)
TRAIN = 180  # train rows: the most common answer and its share, known to the rule at no cost
VARIANTS = [(a, "as good", c) for c in ("beats", "unprotected") for a in (0.05, 0.1, 0.2, 0.3, 0.5)] + [
    (0.5, floor, c) for c in ("beats", "unprotected") for floor in ("expected", "beat")]  # (alpha, floor, constant)
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
              ) -> tuple[dict[str, float], str, dict[str, str], float]:
    if kind in CLOSED:
        return closed_trial(kind, rng, rho, gain)
    truth = scenario_truth(kind, rng, gain)
    sample = answers(truth, SAMPLE, rng, 0, rho)
    fresh = answers(truth, CONFIRM, rng, SAMPLE, rho)
    pool = [DevScore(name, sample[name], 0.0) for name in NAMES]
    simple = ranked([s for s in pool if not s.method.startswith("plan:") and s.method != "tuned"])[0]
    old = "tuned" if beats(pool[-1], simple, 1.0) else simple.method
    confirmed = [DevScore(s.method, fresh[s.method], 0.0) for s in finalists(pool)]
    return truth, old, {f"confirmed, margin {m:g}": choose(confirmed, m).method for m in MARGINS}, 0.0


def closed_answers(truth: dict[str, float], shares: tuple[float, ...], direct_kind: str, n: int,
                   rng: random.Random, first_id: int, rho: float, constant: int = 0) -> dict[str, dict[int, bool]]:
    """As `answers`, with a label per question drawn from `shares`, so how many of the n have
    the most common answer varies as it does on a real run's 20: the most common answer (label
    `constant`, the train split's) is right on exactly those; plain prompting giving one answer
    says label 1 (else a random label)."""
    right = answers({k: p for k, p in truth.items() if k != "most_common"}, n, rng, first_id, rho)
    right["most_common"] = {}
    for q in range(first_id, first_id + n):
        label = rng.choices(range(len(shares)), shares)[0]
        right["most_common"][q] = label == constant
        if direct_kind == "one answer":
            said = 1 if rng.random() < 0.95 else rng.randrange(len(shares))
            right["direct"][q] = said == label
    return right


def before_default(pool: list[DevScore], fresh: dict[str, dict[int, bool]], margin: float) -> str:
    """The rule before plain prompting's default was checked (fd5e6b6): plain prompting the
    default always, the most common answer a finalist only among the dev sample's best 3."""
    pool = [s for s in pool if not s.constant or s.method in ("most_common", "direct")]
    best = ranked(pool)[:FINALISTS]
    best += [s for s in pool if s.method == "direct" and s not in best]
    confirmed = [DevScore(s.method, fresh[s.method], 0.0, s.constant) for s in best]
    direct = next(s for s in confirmed if s.method == "direct")
    reading = [s for s in confirmed if s.rank < CONSTANT_RANK]
    qualified = [s for s in confirmed if s is not direct and beats(s, direct, margin)
                 and (s.rank < CONSTANT_RANK or all(s.correct > r.correct for r in reading))]
    return ranked(qualified)[0].method if qualified else "direct"


def variant(confirmed: list[DevScore], margin: float, share: float, alpha: float, floor: str, constant: str) -> str:
    """`candidates.choose` with the train share's test (`below_chance` at `alpha`) deciding
    plain prompting's default, and two of its parts varied. `floor`, when plain prompting is no
    default: "as good" (a finalist reading the question right on as many as the better of plain
    prompting and the most common answer here takes its place), "expected" (as many as plain
    prompting and as n × share), "beat" (none takes its place: the better of the two is the
    default, to be beaten). `constant`: "beats" (the most common answer ships by beating the
    default, as today) or "unprotected" (only when plain prompting is no default)."""
    direct = next(s for s in confirmed if s.method == "direct")
    common = next(s for s in confirmed if s.method == "most_common")
    reading = [s for s in confirmed if s.rank < CONSTANT_RANK]
    if not direct.constant and not below_chance(direct, share, alpha):
        base = direct
    else:
        base = ranked([direct, common])[0]
        need = {"as good": base.correct, "expected": max(direct.correct, share * direct.n), "beat": math.inf}[floor]
        equal = [s for s in reading if s.correct >= need]
        base = ranked(equal)[0] if equal else base
    qualified = [s for s in confirmed if s is not base and beats(s, base, margin)
                 and (s.rank < CONSTANT_RANK or (all(s.correct > r.correct for r in reading)
                                                 and (constant == "beats" or base is not direct)))]
    return ranked(qualified)[0].method if qualified else base.method


def closed_trial(kind: str, rng: random.Random, rho: float, gain: float
                 ) -> tuple[dict[str, float], str, dict[str, str], float]:
    shares, direct_kind = CLOSED[kind]
    chance = shares[0]  # the best constant answer, truly
    counts = Counter(rng.choices(range(len(shares)), shares, k=TRAIN))  # the train split's labels
    label = max(range(len(shares)), key=lambda i: (counts[i], -i))  # its most common answer
    share = counts[label] / TRAIN  # that answer's share of train: what the rule knows of chance
    direct = {"one answer": shares[1], "below": rng.uniform(0.02, chance - 0.05),
              "reads": rng.uniform(0.3, 0.7)}[direct_kind]
    truth = {"direct": direct, "most_common": shares[label]}
    for name in NAMES[1:]:
        truth[name] = min(0.95, max(0.02, chance + rng.gauss(-0.05, 0.05)))
    if kind.endswith(", one better"):
        truth[rng.choice(NAMES[1:])] = min(0.95, chance + gain)
    sample = closed_answers(truth, shares, direct_kind, SAMPLE, rng, 0, rho, label)
    fresh = closed_answers(truth, shares, direct_kind, CONFIRM, rng, SAMPLE, rho, label)
    constant = {"most_common"} | ({"direct"} if direct_kind == "one answer" else set())
    pool = [DevScore(name, sample[name], 0.0, name in constant) for name in truth]
    simple = ranked([s for s in pool if not s.method.startswith("plan:") and s.method != "tuned"])[0]
    old = "tuned" if beats(next(s for s in pool if s.method == "tuned"), simple, 1.0) else simple.method
    confirmed = [DevScore(s.method, fresh[s.method], 0.0, s.constant) for s in finalists(pool)]
    picks = {f"confirmed, margin {m:g}": choose(confirmed, m, share).method for m in MARGINS}
    picks["0.5, before the default"] = before_default(pool, fresh, 0.5)
    picks["0.5, counted on the 20"] = choose(confirmed, 0.5).method
    assert picks["confirmed, margin 0.5"] == variant(confirmed, 0.5, share, BELOW_CHANCE_P, "as good", "unprotected")
    for alpha, floor, constant in VARIANTS:
        picks[f"0.5, p<{alpha:g}, {floor}, {constant}"] = variant(confirmed, 0.5, share, alpha, floor, constant)
    return truth, old, picks, chance


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
    print(f"{'scenario':<34} {'rule':<28} {'worse':>6} {'worse by 5+':>11} {'better by 5+':>12} "
          f"{'truly best':>10} {'mean gain':>9} {'5+ below chance':>15} {'gain over max(direct, chance)':>29}")
    for kind in kinds[args.scenarios]:
        rng = random.Random(f"{args.seed}:{kind}")
        trials = [one_trial(kind, rng, args.rho, args.gain) for _ in range(args.trials)]
        rules = [("before (dev sample only)", lambda t: t[1])] + [
            (label, lambda t, label=label: t[2][label]) for label in trials[0][2]]
        for label, pick in rules:
            gains = [(t[0][pick(t)] - t[0]["direct"]) * 100 for t in trials]
            below = sum(g < 0 for g in gains) / len(gains)
            worse = sum(g <= -5 for g in gains) / len(gains)
            better = sum(g >= 5 for g in gains) / len(gains)
            best = sum(t[0][pick(t)] == max(t[0].values()) for t in trials) / len(trials)
            line = (f"{kind:<34} {label:<28} {below:>6.1%} {worse:>10.1%} {better:>11.1%} {best:>10.1%} "
                    f"{statistics.mean(gains):>+9.1f}")
            if kind in CLOSED:
                chance = [t[3] for t in trials]
                under = sum(t[0][pick(t)] <= c - 0.05 for t, c in zip(trials, chance, strict=True)) / len(trials)
                over = statistics.mean((t[0][pick(t)] - max(t[0]["direct"], c)) * 100
                                       for t, c in zip(trials, chance, strict=True))
                line += f" {under:>15.1%} {over:>+29.1f}"
            print(line)


if __name__ == "__main__":
    main()
