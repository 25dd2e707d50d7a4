"""Always giving the most common answer: a candidate that asks no model, the bar every behavior
must clear on a task with a small answer set. Scripted models collapse onto one answer."""

import json

from run_helpers import drain
from test_optimizer_run import CFG, SPEED, make_dataset

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.core.llm.fake import ScriptedBackend
from debop_desktop.core.optimizer.config import estimate_cost
from debop_desktop.core.optimizer.export import export_behavior, load_tuned
from debop_desktop.core.optimizer.playground import ask_both
from debop_desktop.core.optimizer.run import resume, run_optimization


def third_task(store, n=90):
    """'Is N a multiple of three?': every split is one third yes, so "no" is right on two thirds."""
    rows = [(f"Is {i} a multiple of three?", "yes" if (i // 3) % 3 == 0 else "no") for i in range(n)]
    examples = [NewExample(q, a, ("train", "dev", "test")[i % 3]) for i, (q, a) in enumerate(rows)]
    d = DatasetRepository(store).create(name="thirds", examples=examples, instruction="Is it a multiple of 3?",
                                        scorer="yes_no", answer_type="yes_no")
    return d, dict(rows)


def evaluations(store, run_id, subject):
    return store.execute("SELECT output, correct, reason, completion_tokens FROM evaluations "
                         "WHERE run_id = ? AND subject = ?", (run_id, subject)).fetchall()


def test_a_model_that_always_says_the_rarer_answer_ships_the_most_common_one(store, home, capsys):
    from debop_desktop.cli import main

    d, _ = third_task(store)
    backend = ScriptedBackend(["yes"])  # every prompt, every time; it cannot score answers
    events, result = drain(run_optimization(store, backend, d.id, CFG.with_overrides(test_limit=30),
                                            tokens_per_second=SPEED))
    assert result.status == "finished" and result.shipped == "most_common"
    dev = {e.method: e.accuracy for e in events if e.kind == "BaselineScored" and e.split == "dev"}
    assert dev["direct"] < 0.5 and dev["most_common"] == 1 - dev["direct"]
    rows = evaluations(store, result.run_id, "test:most_common")
    assert len(rows) == 30 and {r[0] for r in rows} == {"no"} and sum(r[1] for r in rows) == 20
    assert all(r[3] == 0 and "no model call" in r[2] for r in rows)
    asked = len(backend.calls)
    v = result.verdict
    assert v["shipped"] == "most_common" and v["test"]["most_common"] == {"right": 20, "total": 30}
    assert v["test"]["direct"]["right"] == 10 and v["label"] == "no_clear_change" and 0.05 < v["p_value"] < 0.2
    assert v["sentence"].startswith("This model did no better than always answering 'no': that gets 20 of 30")
    assert not any("answered 'no' to" in w for w in v["warnings"])  # its own sentence already says so
    notes = [e.message for e in events if e.kind == "Warning" and "always answering" in e.message]
    # confirmed on all 30 dev questions (only 10 lie outside the dev sample of 20)
    assert notes == ["Nothing the model was asked did better than always answering 'no' on the questions to "
                     "check with (20 of 30 right), so the app keeps that one answer for every question."]
    # ask, the Playground and every export give or explain the same one answer
    shipped = load_tuned(store, result.run_id)
    said = []
    assert shipped.answer(backend, "Is 99 a multiple of three?", on_text=said.append).text == "no"
    assert said == ["no"] and len(backend.calls) == asked  # no model call
    answers = ask_both(store, result.run_id, "Is 99 a multiple of three?", backend)
    assert [(a.side, a.answer) for a in answers] == [("untuned", "yes"), ("tuned", "no")]
    text = export_behavior(store, result.run_id, "text")
    assert "did no better than always answering 'no'" in text and "A file cannot carry that rule" in text
    assert "Question: {question}\nAnswer with just yes or no." in text  # the plain prompt
    card = json.loads(export_behavior(store, result.run_id, "card"))
    assert card["shipped"]["method"] == "most_common" and card["test_scores"]["most_common"]["n"] == 30
    assert card["shipped"]["answer"] == "no" and "always answering 'no'" in card["shipped"]["gives_one_answer"]
    assert "picks_by_probability" not in card["shipped"]
    assert "always answering 'no'" in export_behavior(store, result.run_id, "modelfile")
    assert main(["--home", str(home), "--json", "runs", "show", str(result.run_id)]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"]["shipped"] == "most_common"


def test_a_prompt_that_says_the_most_common_answer_to_every_question_ships_as_that_answer(store):
    # plain prompting answering one label is a constant answer: it is not the protected default, and
    # the most common answer gives the same answers without a model call (issue 22)
    d, _ = third_task(store)
    _, result = drain(run_optimization(store, ScriptedBackend(["no"]), d.id, CFG, tokens_per_second=SPEED))
    v = result.verdict
    assert result.shipped == "most_common" and v["test"]["most_common"] == v["test"]["direct"] == {"right": 8,
                                                                                                    "total": 12}
    assert v["sentence"].startswith("This model did no better than always answering 'no': that gets 8 of 12")


def test_a_resumed_run_keeps_the_answer_it_started_with(store):
    d, _ = third_task(store)
    from debop_desktop.core.llm.base import CancelToken

    cancel = CancelToken()
    run = run_optimization(store, ScriptedBackend(["yes"]), d.id, CFG, tokens_per_second=SPEED, cancel=cancel)
    for event in run:
        if event.kind == "StageChanged" and event.stage == "plan":
            cancel.cancel()
    run_id = store.execute("SELECT max(id) FROM runs").fetchone()[0]
    dev_rows = evaluations(store, run_id, "dev:most_common")
    assert len(dev_rows) == 20
    # the train split changes after the start: the run keeps the answer its dev scores were made with
    store.execute("UPDATE examples SET answer = 'yes' WHERE split = 'train'")
    _, result = drain(resume(store, ScriptedBackend(["yes"]), run_id, tokens_per_second=SPEED))
    assert result.shipped == "most_common" and {r[0] for r in evaluations(store, run_id, "test:most_common")} == {"no"}
    assert evaluations(store, run_id, "dev:most_common") == dev_rows


def test_tasks_without_a_small_answer_set_have_no_constant_candidate(store):
    d, _ = make_dataset(store)
    _, result = drain(run_optimization(store, ScriptedBackend(["7"]), d.id, CFG, tokens_per_second=SPEED))
    assert result.status == "finished" and "most_common" not in result.verdict["test"]
    assert evaluations(store, result.run_id, "dev:most_common") == []


def test_the_estimate_counts_no_call_for_the_constant_answer_and_none_for_picks_on_open_tasks():
    def calls(**kw):
        return estimate_cost(CFG, n_train=30, n_dev=30, n_test=30, avg_question_tokens=20, prompt_tokens_per_s=200,
                             gen_tokens_per_s=40, **kw).model_calls

    closed, open_ = calls(), calls(closed_answers=False)
    # the calibrated pick, the nearest examples' pick and the tuned pick on dev and on test, and the
    # tuned pick's preparation (the dev sample's steps and the "N/A" steps)
    assert closed - open_ == 3 * (CFG.dev_limit + CFG.test_limit) + CFG.dev_limit + 1
    without = estimate_cost(CFG.with_overrides(baselines=tuple(b for b in CFG.baselines if b != "most_common")),
                            n_train=30, n_dev=30, n_test=30, avg_question_tokens=20, prompt_tokens_per_s=200,
                            gen_tokens_per_s=40).model_calls
    assert without == closed


def test_the_chance_level_is_the_most_common_answers_share_of_the_train_split(store):
    # 'no' is 60 % of the examples to learn from, but every example to check with is 'no': always 'no' gets
    # all 20 confirmation questions by that luck. Plain prompting reads the question and is right on about
    # 70 %, above the 60 % chance gives: it stays the default, and the lucky constant does not replace it
    # (issue 22; by its count on the 20, always 'no' beat plain prompting and shipped)
    import re

    rows = [(f"Is {i} odd?", "no" if i % 5 < 3 else "yes", "train") for i in range(60)]
    rows += [(f"Is {i} odd?", "no", "dev") for i in range(100, 160)]
    rows += [(f"Is {i} odd?", "no" if i % 5 < 3 else "yes", "test") for i in range(200, 230)]
    truth = {q: a for q, a, _ in rows}
    d = DatasetRepository(store).create(name="lucky", examples=[NewExample(q, a, s) for q, a, s in rows],
                                        instruction="Is it odd?", scorer="yes_no", answer_type="yes_no")

    def model(messages, params):
        asked = re.findall(r"Is (\d+) odd\?", messages[-1].content)
        if not asked:
            return "no"
        right = truth.get(f"Is {asked[-1]} odd?", "no")
        wrong = int(asked[-1]) % 10 < 3  # wrong on 3 in 10, whatever the prompt
        return {"yes": "no", "no": "yes"}[right] if wrong else right

    events, result = drain(run_optimization(store, ScriptedBackend(model), d.id, CFG.with_overrides(test_limit=30),
                                            tokens_per_second=SPEED))
    assert result.status == "finished"
    right = {m: sum(r[1] for r in evaluations(store, result.run_id, f"confirm:{m}")) for m in ("most_common", "direct")}
    assert right["most_common"] == 20 and 12 <= right["direct"] < 20
    assert result.shipped == "direct"
