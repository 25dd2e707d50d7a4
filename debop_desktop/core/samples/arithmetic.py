"""Number tasks: arithmetic word problems, counting objects, boolean expressions, comparing."""

from __future__ import annotations

import random

_NAMES = ["Maya", "Leo", "Ana", "Sam", "Priya", "Tom", "Ines", "Kofi", "Mei", "Omar"]
_THINGS = ["marbles", "apples", "stickers", "books", "coins", "pencils", "shells", "cards"]
_NUMBER_WORDS = {1: "a", 2: "two", 3: "three", 4: "four", 5: "five"}
_CATEGORIES = {
    "fruits": ["apple", "banana", "peach", "plum", "grape", "orange", "strawberry", "nectarine"],
    "musical instruments": ["flute", "piano", "violin", "trumpet", "drum", "clarinet", "accordion"],
    "animals": ["cat", "dog", "rabbit", "goat", "snake", "mouse", "donkey", "fish"],
    "vegetables": ["carrot", "onion", "potato", "cabbage", "yam", "lettuce", "celery stalk"],
}


def arithmetic(rng: random.Random, difficulty: int) -> tuple[str, str]:
    if difficulty == 1:
        a, b = rng.randint(0, 9), rng.randint(0, 9)
        return f"What is {a} + {b}?", str(a + b)
    if difficulty == 2:
        a, b = rng.randint(10, 99), rng.randint(10, 99)
        if rng.random() < 0.5:
            return f"What is {a} + {b}?", str(a + b)
        a, b = max(a, b), min(a, b)
        return f"What is {a} - {b}?", str(a - b)
    name, thing = rng.choice(_NAMES), rng.choice(_THINGS)
    boxes, per = rng.randint(2, 9), rng.randint(3, 12)
    sold, more = rng.randint(1, boxes * per), rng.randint(1, 30)
    question = (f"{name}'s shop has {boxes} boxes of {thing} with {per} {thing} in each box. "
                f"The shop sells {sold} {thing} and then receives a delivery of {more} more. "
                f"How many {thing} does the shop have now?")
    return question, str(boxes * per - sold + more)


def _plural(word: str, n: int) -> str:
    if n == 1:
        return word
    if word.endswith(("ch", "sh", "s", "x", "o")):
        return word + "es"
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word == "mouse":
        return "mice"
    if word == "fish":
        return "fish"
    return word + "s"


def _with_article(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def object_counting(rng: random.Random, difficulty: int) -> tuple[str, str]:
    category = rng.choice(sorted(_CATEGORIES))
    kinds = rng.sample(_CATEGORIES[category], k=min(len(_CATEGORIES[category]), 1 + difficulty * 2))
    max_each = (1, 3, 5)[difficulty - 1]
    items = [(k, rng.randint(1, max_each)) for k in kinds]
    answer = sum(n for _, n in items)
    if difficulty > 1:  # distractors from another category
        other = rng.choice([c for c in sorted(_CATEGORIES) if c != category])
        items += [(k, rng.randint(1, max_each)) for k in rng.sample(_CATEGORIES[other], k=difficulty)]
    rng.shuffle(items)
    parts = [_with_article(k) if n == 1 else f"{_NUMBER_WORDS[n]} {_plural(k, n)}" for k, n in items]
    listing = ", ".join(parts[:-1]) + f", and {parts[-1]}" if len(parts) > 1 else parts[0]
    return f"I have {listing}. How many {category} do I have?", str(answer)


def _expr(rng: random.Random, depth: int) -> str:
    if depth == 0:
        value = rng.choice(["True", "False"])
        return f"not {value}" if rng.random() < 0.3 else value
    left, right = _expr(rng, depth - 1), _expr(rng, rng.randint(0, depth - 1))
    text = f"{left} {rng.choice(['and', 'or'])} {right}"
    if rng.random() < 0.3:
        return f"not ( {text} )"
    return f"( {text} )" if depth > 1 or rng.random() < 0.5 else text


def boolean_expression(rng: random.Random, difficulty: int) -> tuple[str, str]:
    text = _expr(rng, difficulty)
    value = _evaluate(text.split())
    return f"{text} is", "True" if value else "False"


def _evaluate(tokens: list[str]) -> bool:
    """A small recursive-descent evaluator (not Python's eval): or < and < not < ( )."""
    pos = 0

    def atom() -> bool:
        nonlocal pos
        tok = tokens[pos]
        pos += 1
        if tok == "not":
            return not atom()
        if tok == "(":
            value = disjunction()
            pos += 1  # ")"
            return value
        return tok == "True"

    def conjunction() -> bool:
        nonlocal pos
        value = atom()
        while pos < len(tokens) and tokens[pos] == "and":
            pos += 1
            rhs = atom()
            value = value and rhs
        return value

    def disjunction() -> bool:
        nonlocal pos
        value = conjunction()
        while pos < len(tokens) and tokens[pos] == "or":
            pos += 1
            rhs = conjunction()
            value = value or rhs
        return value

    return disjunction()


def compare_numbers(rng: random.Random, difficulty: int) -> tuple[str, str]:
    if difficulty == 1:
        a, b = rng.sample(range(1, 100), 2)
        x, y = str(a), str(b)
    elif difficulty == 2:
        a, b = rng.sample(range(100, 1000), 2)
        x, y = f"{a / 100:.2f}", f"{b / 100:.2f}"
    else:  # the classic trap: 3.9 vs 3.11
        whole = rng.randint(0, 20)
        short, long_ = rng.randint(1, 9), rng.randint(10, 99)
        x, y = f"{whole}.{short}", f"{whole}.{long_}"
        if float(x) == float(y):
            y = f"{whole}.{long_ + 1}"
    if rng.random() < 0.5:
        x, y = y, x
    return f"Which number is larger: {x} or {y}?", x if float(x) > float(y) else y
