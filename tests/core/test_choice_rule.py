"""The rule that decides what ships from the finalists' answers on the confirmation questions
(issue 22): the margin over plain prompting, and a one-answer behavior against the finalists
that read the question. Pure logic on recorded right/wrong answers: no model."""

from debop_desktop.core.optimizer.candidates import DevScore, beats, choose, finalists

N = 20  # confirmation questions


def answers(right: set[int]) -> dict[int, bool]:
    return {i: i in right for i in range(N)}


def test_a_gain_within_the_margin_keeps_plain_prompting_and_a_smaller_margin_ships_it():
    # plain prompting right on 0-8 (9); the other try on 0-5 and 9-14 (12): 6 right only with it,
    # 3 only with plain prompting, a gain of 3 against a standard error of √(6 + 3) = 3
    direct = DevScore("direct", answers(set(range(9))), 0.1)
    better = DevScore("few_examples", answers(set(range(6)) | set(range(9, 15))), 0.1)
    assert (better.correct, direct.correct) == (12, 9)
    assert beats(better, direct, 0.5) and not beats(better, direct, 1.0)
    assert choose([direct, better], 1.0).method == "direct"
    assert choose([direct, better], 0.5).method == "few_examples"


def test_a_gain_of_one_question_never_ships_whatever_the_margin():
    direct = DevScore("direct", answers(set(range(9))), 0.1)
    one_more = DevScore("few_examples", answers(set(range(10))), 0.1)
    assert choose([direct, one_more], 0.0).method == "direct"


def test_a_one_answer_behavior_that_beats_plain_prompting_loses_to_a_prompt_that_reads_as_many_right():
    # plain prompting right on 0-7; a prompt that reads the question right on 0-1 and 8-17 (12), not
    # clearly better than plain prompting (10 against 6 disagreements); step by step says one answer
    # to every question and is right on 0-11 (12): clearly better than plain prompting, but no better
    # than the prompt that reads the question, so it does not ship
    direct = DevScore("direct", answers(set(range(8))), 0.1)
    reading = DevScore("few_examples", answers({0, 1} | set(range(8, 18))), 0.1)
    one_answer = DevScore("zero_shot_cot", answers(set(range(12))), 0.1, constant=True)
    assert reading.correct == one_answer.correct == 12
    assert not beats(reading, direct, 1.0) and beats(one_answer, direct, 1.0)
    assert choose([direct, reading, one_answer], 1.0).method == "direct"
    # one more right than every finalist that reads the question: then it ships
    more = DevScore("zero_shot_cot", answers(set(range(13))), 0.1, constant=True)
    assert choose([direct, reading, more], 1.0).method == "zero_shot_cot"


def test_tries_that_give_one_answer_do_not_take_the_finalists_places_from_those_that_read_the_question():
    # question kinds, SmolLM2 (docs/benchmarks.md, issue 22): the most common answer, the search's
    # node and a plan (both answering "number" to every question) led the dev sample with 5 of 20,
    # a prompt that reads the question had 4, plain prompting 3
    pool = [DevScore("direct", answers(set(range(3))), 0.1), DevScore("few_examples", answers(set(range(4))), 0.1),
            DevScore("most_common", answers(set(range(5))), 0.0, constant=True),
            DevScore("plan:2", answers(set(range(5))), 0.1, constant=True),
            DevScore("tuned", answers(set(range(5))), 0.1, constant=True),
            DevScore("calibrated", answers(set(range(2))), 0.1)]
    assert [s.method for s in finalists(pool)] == ["most_common", "few_examples", "direct"]
    # without the most common answer in the pool (an open answer), they compete as before
    assert [s.method for s in finalists([s for s in pool if s.method != "most_common"])] == [
        "plan:2", "tuned", "few_examples", "direct"]
