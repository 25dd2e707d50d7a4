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
    assert "instead of 10" in v["sentence"] and v["sentence"].endswith(
        ". On this final exam, always answering 'yes' (its most common answer) would score 67 %.")
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


def paired(both_right, only_mine, only_direct, both_wrong):
    """Right/wrong lists for direct prompting and the chosen behavior, in that order."""
    direct = [True] * both_right + [False] * only_mine + [True] * only_direct + [False] * both_wrong
    mine = [True] * both_right + [True] * only_mine + [False] * only_direct + [False] * both_wrong
    return direct, mine


def test_18_of_30_against_10_with_many_disagreements_says_why_it_is_no_clear_change():
    # 18 vs 10 right, but 16 questions differ, 12 to 4: p = 2 * (1 + 16 + 120 + 560 + 1820) / 2^16 = 0.0768
    direct, mine = paired(6, 12, 4, 8)
    v = compute_verdict(outcomes(direct, mine, method="few_examples"), "few_examples")
    assert v["label"] == "no_clear_change" and v["test"]["few_examples"]["right"] == 18
    assert v["sentence"] == (
        "No clear change: 18 of 30 final-exam questions right instead of 10 with plain prompting. Only the 16 "
        "questions where just one of the two was right tell them apart: the few-examples prompt was right on 12 "
        "of them, plain prompting on 4. Chance alone gives a split at least that uneven about 1 time in 13, too "
        "often to call it a gain.")


def test_18_of_30_against_10_with_few_disagreements_is_beyond_chance_and_says_so():
    # the same scores, but only 8 questions differ, all 8 to the tuned behavior: p = 2/256
    direct, mine = paired(10, 8, 0, 12)
    v = compute_verdict(outcomes(direct, mine, expected=["urgent"] * 12 + ["routine"] * 18), "tuned",
                        answer_kind="labels")
    assert v["label"] == "better"
    assert v["sentence"] == (
        "Tuning helped: 18 of 30 final-exam questions right instead of 10 with plain prompting. Only the 8 "
        "questions where just one of the two was right tell them apart: the tuned behavior was right on 8 of "
        "them, plain prompting on 0. Chance alone gives a split at least that uneven about 1 time in 128, so the "
        "gain is more than chance. On this final exam, always answering 'routine' (its most common answer) "
        "would score 60 %.")  # the chance level stays


def test_a_loss_within_chance_is_called_a_loss_and_the_small_exam_warning_stays():
    # 11 questions differ, 3 to the kept behavior, 8 to plain prompting: p = 2 * 232 / 2048 = 0.2266
    direct, mine = paired(5, 3, 8, 4)
    v = compute_verdict(outcomes(direct, mine), "tuned")
    assert v["label"] == "no_clear_change"
    assert ("Only the 11 questions where just one of the two was right tell them apart: the tuned behavior was "
            "right on 3 of them, plain prompting on 8. Chance alone gives a split at least that uneven about 1 "
            "time in 4, too often to call it a loss.") in v["sentence"]
    assert v["warnings"] == ["Only 20 final-exam questions: too few to tell small differences apart "
                             "(30 or more is better)."]


def test_worse_names_the_disagreements_and_no_disagreement_says_nothing_tells_them_apart():
    direct, mine = paired(10, 0, 12, 8)  # p = 2/4096
    worse = compute_verdict(outcomes(direct, mine), "tuned")
    assert worse["label"] == "worse" and ("plain prompting was right on 12 of them, the tuned behavior on 0. "
                                          "Chance alone gives a split at least that uneven less than 1 time in "
                                          "1,000"
                                          ) in worse["sentence"]
    same = compute_verdict(outcomes(*paired(10, 0, 0, 20)), "tuned")
    assert same["sentence"].endswith("The two got the very same questions right, so nothing tells them apart.")


def test_chance_odds_in_words():
    from debop_desktop.core.optimizer.verdict import chance_odds

    assert chance_odds(0.0768) == "about 1 time in 13"
    assert chance_odds(0.0004) == "less than 1 time in 1,000"
    assert chance_odds(1.0) == "half the time or more"


def test_one_colour_scale_follows_the_label():
    from debop_desktop.core.optimizer.verdict import tone

    v = compute_verdict(outcomes(*paired(6, 12, 4, 8)), "tuned")  # 18 vs 10, within chance
    assert tone(v["label"]) == "no_clear_change"
    assert tone(compute_verdict(outcomes(*paired(10, 8, 0, 12)), "tuned")["label"]) == "better"
    assert tone(None) is None and tone("odd") is None


def test_the_most_common_answer_kept_while_plain_prompting_is_ahead_on_the_final_exam_says_so():
    # chosen on the questions to check with; on the final exam plain prompting got 17 of 40 against
    # its 10, not beyond chance (SmolLM2 on the news topics): "did no better" would contradict the numbers
    direct = [True] * 17 + [False] * 23
    common = [False] * 17 + [True] * 10 + [False] * 13
    v = compute_verdict(outcomes(direct, common, method="most_common"), "most_common", answer_kind="label",
                        constant_answer="Science/Tech")
    assert v["label"] == "no_clear_change" and v["shipped"] == "most_common"
    assert "did no better" not in v["sentence"]
    assert "plain prompting got more right (17 of 40, always 'Science/Tech' 10), but not by more than chance" in (
        v["sentence"])
    # behind or level with it, the sentence stays as it was
    v = compute_verdict(outcomes(common, direct, method="most_common"), "most_common", answer_kind="label",
                        constant_answer="Science/Tech")
    assert v["sentence"].startswith("This model did no better than always answering 'Science/Tech'")
