"""The verdict: McNemar's exact test against hand-computed values, labels, chance level, warnings."""

import pytest

from debop_desktop.core.optimizer.verdict import ExamOutcomes, compute_verdict, majority, mcnemar_exact


@pytest.mark.parametrize(("only_first", "only_second", "p"), [
    (0, 0, 1.0),  # no discordant pair: no evidence either way
    (0, 6, 2 / 64),  # 2 · (1/2)^6
    (1, 5, 2 * 7 / 64),  # 2 · (C(6,0) + C(6,1)) / 2^6 = 0.21875
    (5, 1, 2 * 7 / 64),  # symmetric
    (2, 10, 2 * 79 / 4096),  # 2 · (1 + 12 + 66) / 2^12 = 0.0385742...
    (3, 3, 1.0),  # 2 · 42/64 > 1 is capped at 1
    (0, 5, 2 / 32),  # 0.0625: five wins to none is not yet significant at 5 %
])
def test_mcnemar_exact_matches_hand_computed_values(only_first, only_second, p):
    assert mcnemar_exact(only_first, only_second) == pytest.approx(p, abs=1e-12)


def test_majority_answer_and_share():
    assert majority(["yes", "no", "yes"]) == ("yes", pytest.approx(2 / 3))
    assert majority([]) == (None, 0.0)
    assert majority(["a", "b"])[0] == "a"  # ties: the first seen


def outcomes(direct, chosen, method="tuned", expected=None, answers=None):
    ids = range(len(direct))
    return ExamOutcomes({"direct": dict(zip(ids, direct, strict=True)), method: dict(zip(ids, chosen, strict=True))},
                        expected or ["yes"] * len(direct), answers or {})


def test_better_when_the_discordant_questions_favour_the_shipped_behavior():
    # 30 questions: 10 right with both, 9 right only when tuned, 0 right only directly -> p = 2/512
    direct = [True] * 10 + [False] * 20
    tuned = [True] * 19 + [False] * 11
    v = compute_verdict(outcomes(direct, tuned, expected=["yes"] * 20 + ["no"] * 10), "tuned", answer_kind="yes_no")
    assert v["label"] == "better" and v["shipped"] == "tuned"
    assert v["p_value"] == pytest.approx(2 / 512, abs=1e-6)
    assert v["test"] == {"direct": {"right": 10, "total": 30}, "tuned": {"right": 19, "total": 30}}
    assert v["majority_answer"] == "yes" and v["majority_rate"] == pytest.approx(20 / 30)
    assert v["sentence"].startswith("Tuning helped: 19 of 30")
    assert "instead of 10" in v["sentence"] and v["sentence"].endswith(". Always answering 'yes' would score 67 %.")
    assert v["warnings"] == []  # 30 questions is enough, and no one-answer collapse was reported
    assert set(v) == {"label", "shipped", "p_value", "majority_rate", "majority_answer", "test", "warnings",
                      "sentence"}


def test_no_clear_change_when_the_difference_is_within_chance():
    direct = [True] * 10 + [False] * 20
    tuned = [True] * 10 + [True] * 4 + [False] * 16  # 4 wins, 0 losses: p = 0.125
    v = compute_verdict(outcomes(direct, tuned, method="few_examples"), "few_examples")
    assert v["label"] == "no_clear_change" and v["shipped"] == "few_examples"
    assert v["p_value"] == pytest.approx(0.125)
    assert v["sentence"].startswith("No clear change: 14 of 30")
    assert "always answering" not in v["sentence"]  # free-text answers: no chance clause


def test_worse_keeps_plain_prompting():
    direct = [True] * 20 + [False] * 10
    tuned = [False] * 8 + [True] * 12 + [False] * 10  # 8 losses, 0 wins: p = 2/256
    v = compute_verdict(outcomes(direct, tuned), "tuned")
    assert v["label"] == "worse" and v["shipped"] == "direct"
    assert "made it worse" in v["sentence"] and "keeps plain prompting" in v["sentence"]


def test_direct_chosen_says_no_improvement_and_p_is_one():
    direct = [True] * 3 + [False] * 9
    v = compute_verdict(ExamOutcomes({"direct": dict(enumerate(direct))}, ["no"] * 12,
                                     {"direct": ["no"] * 11 + ["yes"]}), "direct", answer_kind="yes_no")
    assert v["label"] == "no_clear_change" and v["shipped"] == "direct" and v["p_value"] == 1.0
    assert v["sentence"].startswith("No improvement found") and "3 of 12" in v["sentence"]
    small, collapse = v["warnings"]
    assert "Only 12 final-exam questions" in small
    assert "Plain prompting answered 'no' to 11 of 12" in collapse  # 92 % >= 90 %


def test_step_by_step_is_reported_under_its_verdict_name():
    direct, cot = [False] * 30, [True] * 30
    o = ExamOutcomes({"direct": dict(enumerate(direct)), "zero_shot_cot": dict(enumerate(cot))}, ["1"] * 30, {})
    v = compute_verdict(o, "zero_shot_cot")
    assert v["shipped"] == "step_by_step" and set(v["test"]) == {"direct", "step_by_step"}
    assert v["label"] == "better" and v["sentence"].startswith("Asking for step-by-step reasoning helped")


def test_no_test_questions():
    v = compute_verdict(ExamOutcomes({"direct": {}, "tuned": {}}, [], {}), "tuned")
    assert v["label"] == "no_clear_change" and "no final-exam questions" in v["sentence"]
