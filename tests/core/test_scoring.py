import pytest
from hypothesis import given
from hypothesis import strategies as st

from debop_desktop.core.scoring import SCORERS, extract_answer, get_scorer, score_output
from debop_desktop.core.scoring.scorers import normalize_text, parse_number


def right(output, expected, name, question="", **options):
    return score_output(output, expected, get_scorer(name, **options), question).correct


def test_extraction_order_is_json_then_phrases_then_last_line():
    both = 'So the answer is 3.\n{"Add": "1 + 1", "Answer": "2"}'
    assert extract_answer(both).text == "2" and extract_answer(both).method == "json"
    assert extract_answer("work...\nSo the answer is (B).").text == "(B)"
    assert extract_answer("Answer: 12\nthanks").method == "answer_label"
    assert extract_answer("first\nsecond line\n").text == "second line"
    assert extract_answer("   ").text is None


def test_json_answer_is_read_from_broken_model_json():
    fenced = '```json\n{"Step 1": "read", "Final answer": "7",}\n```'
    assert extract_answer(fenced).text == "7"
    assert extract_answer('{"a": {"b": 1}, "answer": 5} trailing').text == "5"
    assert extract_answer('{"answer": "x"} then {"answer": "y"}').text == "y"  # the last one wins


def test_exact_ignores_case_spacing_and_punctuation():
    assert right("  The CAPITAL is Paris! ", "the capital is paris", "exact")
    assert not right("Lyon", "Paris", "exact")
    assert normalize_text("Hello,   World!") == "hello world"


@pytest.mark.parametrize("output", ["(B)", "B", "B)", "b.", "The answer is (B).", "Option B",
                                    "I pick (A)... no, (B)"])
def test_choice_accepts_letter_forms(output):
    assert right(output, "(B)", "choice")


def test_choice_accepts_the_option_text_from_the_question():
    question = "Which is a fruit?\nOptions:\n(A) carrot\n(B) apple\n(C) potato"
    assert right("apple", "(B)", "choice", question)
    assert not right("carrot", "(B)", "choice", question)
    assert right("(B)", "apple", "choice", question)  # a row whose target is the option text


def test_a_letter_the_question_does_not_offer_is_no_answer():
    question = "Which is a fruit?\nOptions:\n(A) carrot\n(B) apple\n(C) potato"
    scorer = get_scorer("choice")
    placeholder = score_output("Let me think. So the answer is (X).", "(B)", scorer, question)
    assert placeholder.extracted is None and placeholder.unparsed  # the prompt's "X", copied
    assert score_output("The answer is X.", "(B)", scorer, question).extracted is None
    assert right("(B) or maybe (X)", "(B)", "choice", question)  # the last letter it offers
    assert right("(X)", "(X)", "choice")  # with no options known, any letter may be one


def test_yes_no_and_true_false():
    assert right("Yes, it is.", "Yes", "yes_no") and not right("No.", "yes", "yes_no")
    assert right("So the answer is False.", "False", "true_false")
    assert not right("maybe", "True", "true_false")


@pytest.mark.parametrize("output,expected", [("1,234", "1234"), ("-3", "-3"), ("12.0", "12"),
                                             ("12 apples", "12"), ("3 + 4 = 7", "7"),
                                             ("The total is 1,000.5 coins.", "1000.5")])
def test_number_forms(output, expected):
    assert right(output, expected, "number")


def test_number_tolerance_and_fallback_to_last_number():
    assert not right("12.5", "12", "number")
    assert right("12.5", "12", "number", tolerance=0.5)
    assert right('Let me count: 3, then 4 more makes 7 in total', "7", "number")


@pytest.mark.parametrize("output", ["17 is larger than 26.", "So the answer is 17 is greater than 26.",
                                    "Comparing them: 17 is much bigger than 2.", '{"Answer": "17 is more than 9"}',
                                    "First 3 + 4. Then we see 17 is larger than 26."])
def test_a_comparison_is_read_as_the_number_it_asserts(output):
    assert right(output, "17", "number")
    assert not right(output, "26", "number")


def test_label_with_synonyms():
    opts = {"labels": ["low", "medium", "high"], "synonyms": {"high": ["urgent", "critical"]}}
    assert right("This is URGENT", "high", "label", **opts)
    assert right("medium", "Medium", "label", **opts)
    assert not right("low or high", "high", "label", **opts)  # two labels: not an answer


def test_contains_regex_and_word_list():
    assert right("The patient should rest and drink fluids.", "drink fluids", "contains")
    assert not right("drinking fluidsx", "drink fluids", "contains")
    assert right("Code: AB-12", "ab 12", "regex", pattern=r"code:\s*(\S+)")
    assert right("apple banana cherry", "apple banana cherry", "word_list")
    assert not right("banana apple cherry", "apple banana cherry", "word_list")
    assert right("banana, apple, cherry", "apple banana cherry", "word_list", ordered=False)


def test_results_keep_the_extracted_answer_and_the_reason():
    r = score_output("So the answer is 8.", "7", get_scorer("number"))
    assert (r.correct, r.extracted, r.unparsed, r.reason) == (False, "8", False, "expected 7, got 8")
    r = score_output("I cannot say.", "7", get_scorer("number"))
    assert not r.correct and r.unparsed and r.extracted is None and "no answer" in r.reason


def test_every_scorer_has_plain_words():
    for name, cls in SCORERS.items():
        assert cls.name == name and cls.label and cls.description.endswith(".")


@given(output=st.text(max_size=300), expected=st.text(max_size=30), name=st.sampled_from(sorted(SCORERS)))
def test_scoring_never_raises_on_model_output(output, expected, name):
    r = score_output(output, expected, get_scorer(name, pattern="(a|b"), question=output)
    assert isinstance(r.correct, bool) and (r.correct or r.reason)


@given(value=st.integers(min_value=-10**9, max_value=10**9))
def test_numbers_with_thousands_separators_round_trip(value):
    assert parse_number(f"{value:,}") == value
    assert right(f"I count {value:,} items", str(value), "number")
