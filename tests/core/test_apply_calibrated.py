"""Issue 23: a file answered by a run that ships the calibrated pick gets the pick's confidence
and a flag for answers to check by hand (scripted model that collapses onto "no")."""

import csv
import json

import pytest
from run_helpers import drain
from test_calibrated import even_task, leaning_model
from test_optimizer_run import CFG, SPEED

from debop_desktop.core.apply import ApplyFinished, answer_file, answering, plan_apply
from debop_desktop.core.optimizer.run import run_optimization


def test_a_pick_by_probability_writes_its_confidence_and_what_to_check(store, tmp_path, monkeypatch):
    d, truth = even_task(store)
    _, result = drain(run_optimization(store, leaning_model(truth), d.id, CFG.with_overrides(test_limit=30),
                                       tokens_per_second=SPEED))
    assert result.shipped == "calibrated"
    source = tmp_path / "numbers.csv"
    questions = [f"Is {i} even?" for i in range(12)]
    source.write_text("question\n" + "\n".join(questions) + "\n", encoding="utf-8")
    monkeypatch.setattr(answering, "CHECK_BELOW", 0.65)  # between this model's 0.61 ("no") and 0.71 ("yes")
    plan = plan_apply(store, result.run_id, source)
    events, _ = drain(answer_file(store, plan, leaning_model(truth)))
    with open(plan.output, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["question", "answer", "model output", "confidence", "check by hand", "notes"]
    assert [r["answer"] for r in rows] == [truth[q] for q in questions]  # the calibrated pick, not the collapse
    confidence = [float(r["confidence"]) for r in rows]
    assert confidence[0] == pytest.approx(0.708, abs=0.001) and all(0.5 <= c <= 1 for c in confidence)
    flagged = [r["check by hand"] == "check" for r in rows]
    assert flagged == [c < 0.65 for c in confidence] and flagged == [truth[q] == "no" for q in questions]
    finished = events[-1]
    assert isinstance(finished, ApplyFinished) and finished.to_check == sum(flagged)
    as_json = tmp_path / "numbers.jsonl"  # in JSON (and XLSX) the confidence is a number, not text
    as_json.write_text("".join(json.dumps({"question": q}) + "\n" for q in questions), encoding="utf-8")
    plan = plan_apply(store, result.run_id, as_json)
    drain(answer_file(store, plan, leaning_model(truth)))
    lines = [json.loads(line) for line in plan.output.read_text(encoding="utf-8").splitlines()]
    assert [line["confidence"] for line in lines] == pytest.approx(confidence, abs=1e-9)
    assert all(type(line["confidence"]) is float for line in lines)
