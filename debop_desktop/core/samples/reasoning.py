"""Reasoning tasks: date arithmetic, sorting words, ordering puzzles, tracking swaps."""

from __future__ import annotations

import datetime as dt
import itertools
import random

_LETTERS = "ABCDEFG"
_WORDS = ["apple", "river", "candle", "meadow", "anchor", "violet", "harbor", "pepper", "lantern",
          "marble", "orbit", "saddle", "thistle", "walnut", "breeze", "copper", "fable", "glacier",
          "hollow", "jasper", "kettle", "ledger", "nectar", "oyster", "quartz", "ribbon", "summit",
          "timber", "umber", "velvet", "willow", "yonder", "zephyr", "basket", "cobalt", "dagger"]
_PEOPLE = ["Alice", "Bob", "Claire", "Dave", "Eve", "Fred", "Gertrude"]
_BALLS = ["red ball", "blue ball", "green ball", "yellow ball", "purple ball", "white ball", "black ball"]
_OBJECTS = {
    "books on a shelf": ["red book", "green book", "blue book", "gray book", "orange book"],
    "birds on a branch": ["robin", "crow", "owl", "hawk", "finch"],
    "cars in a row": ["sedan", "truck", "bus", "van", "taxi"],
}
_ORDINALS = ["leftmost", "second from the left", "third from the left", "fourth from the left",
             "fifth from the left"]


def _options(correct: str, distractors: list[str], rng: random.Random, k: int) -> tuple[str, str]:
    choices = [correct] + rng.sample(distractors, k - 1)
    rng.shuffle(choices)
    lines = "\n".join(f"({_LETTERS[i]}) {c}" for i, c in enumerate(choices))
    return lines, f"({_LETTERS[choices.index(correct)]})"


def date_arithmetic(rng: random.Random, difficulty: int) -> tuple[str, str]:
    start = dt.date(1990, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 40))
    if difficulty == 1:
        amount, unit = rng.randint(1, 7), "days"
        delta = dt.timedelta(days=amount)
    elif difficulty == 2:
        amount, unit = rng.randint(1, 4), "weeks"
        delta = dt.timedelta(weeks=amount)
    else:
        amount, unit = rng.randint(20, 400), "days"
        delta = dt.timedelta(days=amount)
    before = rng.random() < 0.5
    target = start - delta if before else start + delta
    fmt = "%m/%d/%Y"
    near = {target + dt.timedelta(days=d) for d in (-7, -2, -1, 1, 2, 7, 30, -30, 365, -365)}
    near.add(start + delta if before else start - delta)  # the wrong direction
    near.discard(target)
    distractors = sorted(d.strftime(fmt) for d in near)
    lines, answer = _options(target.strftime(fmt), distractors, rng, 5)
    when = "ago" if before else "from now"
    unit = unit.removesuffix("s") if amount == 1 else unit
    question = (f"Today is {start.strftime(fmt)}. What is the date {amount} {unit} {when} in "
                f"MM/DD/YYYY?\nOptions:\n{lines}")
    return question, answer


def word_sorting(rng: random.Random, difficulty: int) -> tuple[str, str]:
    words = rng.sample(_WORDS, (3, 6, 10)[difficulty - 1])
    return f"Sort the following words alphabetically: List: {' '.join(words)}", " ".join(sorted(words))


def _clue_holds(clue: tuple, order: tuple[str, ...]) -> bool:
    kind, a, b = clue
    if kind == "pos":
        return order[b] == a
    if kind == "left":
        return order.index(a) < order.index(b)
    return order.index(a) > order.index(b)  # "right"


def _clue_text(clue: tuple, n: int) -> str:
    kind, a, b = clue
    if kind == "pos":
        where = "rightmost" if b == n - 1 else _ORDINALS[b]
        return f"The {a} is the {where}."
    return f"The {a} is to the {'left' if kind == 'left' else 'right'} of the {b}."


def logical_deduction(rng: random.Random, difficulty: int) -> tuple[str, str]:
    """Random order; add true clues until exactly one order fits; ask about one position."""
    n = (3, 4, 5)[difficulty - 1]
    scene = rng.choice(sorted(_OBJECTS))
    objects = rng.sample(_OBJECTS[scene], n)
    order = tuple(rng.sample(objects, n))
    candidates = list(itertools.permutations(objects))
    all_clues = [("pos", order[i], i) for i in range(n)]
    all_clues += [(k, a, b) for a, b in itertools.permutations(objects, 2)
                  for k in ("left", "right") if _clue_holds((k, a, b), order)]
    rng.shuffle(all_clues)
    clues = []
    for clue in all_clues:
        if len(candidates) == 1:
            break
        remaining = [c for c in candidates if _clue_holds(clue, c)]
        if len(remaining) < len(candidates):
            clues.append(clue)
            candidates = remaining
    position = rng.randrange(n)
    where = "rightmost" if position == n - 1 else _ORDINALS[position]
    statements = [f"The {o} is the {where}" for o in objects]
    lines = "\n".join(f"({_LETTERS[i]}) {s}" for i, s in enumerate(statements))
    answer = f"({_LETTERS[objects.index(order[position])]})"
    named = [("an " if o[0] in "aeiou" else "a ") + o for o in objects]
    names = ", ".join(named[:-1]) + f", and {named[-1]}"
    text = (f"There are {n} {scene}: {names}. " + " ".join(_clue_text(c, n) for c in clues)
            + f"\nOptions:\n{lines}")
    return text, answer


def tracking_shuffled_objects(rng: random.Random, difficulty: int) -> tuple[str, str]:
    n = (3, 5, 7)[difficulty - 1]
    people, balls = _PEOPLE[:n], rng.sample(_BALLS, n)
    holding = dict(zip(people, balls, strict=True))
    swaps = [tuple(rng.sample(people, 2)) for _ in range(n)]
    for a, b in swaps:
        holding[a], holding[b] = holding[b], holding[a]
    who = rng.choice(people)
    start = ", ".join(f"{p} has a {b}" for p, b in zip(people, balls, strict=True))
    steps = " ".join(f"{w} {a} and {b} swap balls." for w, (a, b) in zip(
        ["First,"] + ["Then,"] * (n - 2) + ["Finally,"], swaps, strict=True))
    lines = "\n".join(f"({_LETTERS[i]}) {b}" for i, b in enumerate(balls))
    text = (f"{', '.join(people[:-1])}, and {people[-1]} are playing a game. At the start of the game, "
            f"{start}. As the game progresses, pairs of players trade balls. {steps} "
            f"At the end of the game, {who} has the\nOptions:\n{lines}")
    return text, f"({_LETTERS[balls.index(holding[who])]})"
