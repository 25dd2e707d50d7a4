"""BIG-Bench Hard from ../shared/data/bbh (read in place, never copied). Skips without it."""

import json

import pytest

from debop_desktop.core.datasets.importer import plan_import
from debop_desktop.core.datasets.worked_examples import parse_worked_examples
from debop_desktop.core.scoring import get_scorer, score_output

EXPECTED_TYPES = {
    "boolean_expressions": "true_false", "date_understanding": "choice", "disambiguation_qa": "choice",
    "hyperbaton": "choice", "logical_deduction_five_objects": "choice",
    "logical_deduction_three_objects": "choice", "movie_recommendation": "choice",
    "multistep_arithmetic_two": "number", "object_counting": "number", "penguins_in_a_table": "choice",
    "snarks": "choice", "word_sorting": "word_list",
}


@pytest.mark.parametrize("task", sorted(EXPECTED_TYPES))
def test_task_imports_with_the_right_answer_type(bbh_dir, task):
    plan = plan_import(bbh_dir / "tasks" / f"{task}.json")
    examples = json.loads((bbh_dir / "tasks" / f"{task}.json").read_text())["examples"]
    assert len(plan.rows) == len(examples)
    assert plan.mapping.input_columns == ["input"] and plan.mapping.answer_column == "target"
    assert plan.suggestion.answer_type == EXPECTED_TYPES[task]
    assert plan.report.ok  # no blocking problems


def test_the_odd_movie_row_is_reported_not_hidden(bbh_dir):
    plan = plan_import(bbh_dir / "tasks" / "movie_recommendation.json")
    mixed = [i for i in plan.report.issues if i.kind == "mixed_types"]
    assert len(mixed) == 1 and len(mixed[0].lines) == 1


@pytest.mark.parametrize("task", sorted(EXPECTED_TYPES))
def test_worked_exemplars_answers_are_extracted(bbh_dir, task):
    text = (bbh_dir / "cot-prompts" / f"{task}.txt").read_text()
    worked = parse_worked_examples(text)
    assert len(worked) == 3
    scorer_name = {"true_false": "true_false", "choice": "choice", "number": "number",
                   "word_list": "word_list"}[EXPECTED_TYPES[task]]
    for w in worked:
        # the stated answer, read independently of the extractor: after the last "So the answer is "
        stated = w.reasoning.rsplit("So the answer is ", 1)[1].strip().rstrip(".")
        result = score_output(w.reasoning, stated, get_scorer(scorer_name), w.question)
        assert result.correct, (task, stated, result)
