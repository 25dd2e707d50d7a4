"""Each generator's answers, recomputed independently from the question text alone."""

import datetime as dt
import itertools
import re

import pytest

from debop_desktop.core.samples import SAMPLE_TASKS
from debop_desktop.core.scoring import get_scorer, score_output

WORD_NUMBERS = {"a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def options(question):
    return dict(re.findall(r"^\(([A-Z])\) (.+)$", question, re.M))


def solve_arithmetic(q):
    m = re.fullmatch(r"What is (\d+) ([+-]) (\d+)\?", q)
    if m:
        a, op, b = int(m[1]), m[2], int(m[3])
        return a + b if op == "+" else a - b
    boxes, per, sold, more = map(int, re.findall(r"(\d+)", q))
    return boxes * per - sold + more


def solve_counting(q):
    category = re.search(r"How many (.+) do I have\?", q)[1]
    kinds = {"fruits": "apple banana peach plum grape orange strawberr nectarine",
             "musical instruments": "flute piano violin trumpet drum clarinet accordion",
             "animals": "cat dog rabbit goat snake mouse mice donkey fish",
             "vegetables": "carrot onion potato cabbage yam lettuce celery"}[category].split()
    total = 0
    for count, thing in re.findall(r"(a|an|two|three|four|five) ([a-z ]+?)(?:,|\.| and)", q):
        if any(thing.startswith(k) for k in kinds):
            total += WORD_NUMBERS[count]
    return total


def solve_boolean(q):
    return str(eval(q.removesuffix(" is")))  # Python's own evaluator as the independent check


def solve_dates(q):
    m = re.search(r"Today is (\S+)\. What is the date (\d+) (days?|weeks?) (ago|from now)", q)
    start = dt.datetime.strptime(m[1], "%m/%d/%Y").date()
    delta = dt.timedelta(**{m[3].rstrip("s") + "s": int(m[2])})
    target = (start - delta if m[4] == "ago" else start + delta).strftime("%m/%d/%Y")
    return next(f"({k})" for k, v in options(q).items() if v == target)


def solve_sorting(q):
    return " ".join(sorted(q.split("List: ")[1].split()))


def solve_deduction(q):
    objects = re.findall(r"(?:an?) ([a-z ]+?)(?:,|\.)", q.split(":")[1].split(".")[0] + ".")
    ordinals = ["leftmost", "second from the left", "third from the left", "fourth from the left"]
    fits = []
    for order in itertools.permutations(objects):
        ok = True
        for a, where in re.findall(r"The ([a-z ]+?) is the (leftmost|rightmost|[a-z]+ from the left)\.", q):
            pos = len(order) - 1 if where == "rightmost" else ordinals.index(where)
            ok &= order[pos] == a
        for a, side, b in re.findall(r"The ([a-z ]+?) is to the (left|right) of the ([a-z ]+?)\.", q):
            ok &= (order.index(a) < order.index(b)) == (side == "left")
        if ok:
            fits.append(order)
    assert len(fits) == 1, (q, fits)  # the clues pin down exactly one order
    asked = re.search(r"\(A\) The [a-z ]+? is the (.+)$", q, re.M)[1]
    pos = len(objects) - 1 if asked == "rightmost" else ordinals.index(asked)
    return next(f"({k})" for k, v in options(q).items() if v == f"The {fits[0][pos]} is the {asked}")


def solve_tracking(q):
    holding = dict(re.findall(r"(\w+) has a (\w+ ball)", q.split("As the game")[0]))
    for a, b in re.findall(r"(\w+) and (\w+) swap balls", q):
        holding[a], holding[b] = holding[b], holding[a]
    who = re.search(r"At the end of the game, (\w+) has the", q)[1]
    return next(f"({k})" for k, v in options(q).items() if v == holding[who])


SOLVERS = {"arithmetic": solve_arithmetic, "object_counting": solve_counting,
           "boolean_expressions": solve_boolean, "date_arithmetic": solve_dates,
           "word_sorting": solve_sorting, "logical_deduction": solve_deduction,
           "tracking_shuffled_objects": solve_tracking,
           "compare_numbers": lambda q: max(re.findall(r"(\d+(?:\.\d+)?)", q), key=float)}


def test_every_task_has_a_solver():
    assert set(SOLVERS) == set(SAMPLE_TASKS)


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("name", sorted(SAMPLE_TASKS))
def test_answers_match_an_independent_computation(name, difficulty):
    task = SAMPLE_TASKS[name]
    scorer = get_scorer(task.scorer)
    for question, answer in task.generate(60, seed=7, difficulty=difficulty):
        expected = SOLVERS[name](question)
        assert str(expected) == answer or float(expected) == float(answer), (question, answer, expected)
        assert score_output(answer, answer, scorer, question).correct  # its own scorer accepts it


@pytest.mark.parametrize("name", sorted(SAMPLE_TASKS))
def test_same_seed_same_examples_and_no_duplicates(name):
    task = SAMPLE_TASKS[name]
    a = task.generate(40, seed=1, difficulty=2)
    assert a == task.generate(40, seed=1, difficulty=2)
    assert a != task.generate(40, seed=2, difficulty=2)
    assert len({q for q, _ in a}) == len(a) == 40


def test_small_question_spaces_stop_instead_of_repeating():
    pairs = SAMPLE_TASKS["arithmetic"].generate(500, seed=0, difficulty=1)
    assert len(pairs) == 100 == len({q for q, _ in pairs})  # every single-digit sum, once


def test_difficulty_changes_the_task():
    easy = SAMPLE_TASKS["word_sorting"].generate(5, difficulty=1)
    hard = SAMPLE_TASKS["word_sorting"].generate(5, difficulty=3)
    assert all(len(a.split()) == 3 for _, a in easy) and all(len(a.split()) == 10 for _, a in hard)
    with pytest.raises(ValueError):
        SAMPLE_TASKS["arithmetic"].generate(5, difficulty=4)


@pytest.mark.parametrize("name", ["arithmetic", "compare_numbers", "boolean_expressions", "object_counting"])
@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_worked_examples_reach_the_answer_and_stay_out_of_the_task(name, difficulty):
    import json as _json

    task = SAMPLE_TASKS[name]
    own = {q for q, _ in task.generate(40, seed=3, difficulty=difficulty)}
    worked = task.worked(3, 3, difficulty, own)
    assert len(worked) == 3
    for question, reasoning, answer in worked:
        steps = _json.loads(reasoning)
        assert question not in own and steps["Answer"] == answer
        assert str(SOLVERS[name](question)) == answer or float(SOLVERS[name](question)) == float(answer)
        if name == "object_counting":  # the listed counts add up to the answer
            total = steps["Add them up"].split(" = ")[0]
            assert sum(int(x) for x in total.split(" + ")) == int(answer)


def test_tasks_without_worked_examples_return_none():
    assert SAMPLE_TASKS["word_sorting"].worked(3, 0, 1, set()) == []
