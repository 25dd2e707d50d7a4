"""The calibrated candidate: the likeliest allowed answer, divided by what the same prompt gives
a content-free question. Scripted models collapse onto "no"; their probabilities still lean
the right way, and calibration finds it."""

import json
import math

import pytest
from run_helpers import drain
from test_optimizer_run import CFG, SPEED

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.core.llm.base import CancelToken, ChatMessage
from debop_desktop.core.llm.cache import CachedBackend
from debop_desktop.core.llm.fake import ScriptedBackend
from debop_desktop.core.optimizer.calibrated import answer_forms, calibrate, calibration_answers, pick
from debop_desktop.core.optimizer.export import export_behavior, load_tuned
from debop_desktop.core.optimizer.playground import ask_both
from debop_desktop.core.optimizer.run import resume, run_optimization
from debop_desktop.core.scoring.answer_space import AnswerSpace

# these tests count the calibrated pick's own probability requests: no other pick competes
CFG = CFG.with_overrides(baselines=tuple(b for b in CFG.baselines if b not in ("nearest_examples_picked",
                                                                               "tuned_picked")))
INSTRUCTION = "Say whether the number is even."


def question_of(text):
    return text.split("Question: ", 1)[1].split("\n", 1)[0]


def even_task(store, n=90):
    """Questions 'Is N even?' in turn for train, dev and test (so each split is half yes)."""
    rows = [(f"Is {i} even?", "yes" if i % 2 == 0 else "no") for i in range(n)]
    examples = [NewExample(q, a, ("train", "dev", "test")[i % 3]) for i, (q, a) in enumerate(rows)]
    d = DatasetRepository(store).create(name="even", examples=examples, instruction=INSTRUCTION,
                                        scorer="yes_no", answer_type="yes_no")
    return d, dict(rows)


def leaning_model(truth, *, right_when_asked=lambda q: False, free_yes=0.15):
    """Writes "no" to every prompt (right only where told), and scores answers so that "yes"
    is never the likeliest: 0.3 for a yes-question, 0.1 for a no-question, `free_yes` for
    "N/A". Each answer's probability is split over its forms ("yes" 60 %, "Yes" 40 %)."""

    def chat(messages, params):
        last = messages[-1].content
        if "Question: " in last and last.endswith("Answer with just yes or no."):
            q = question_of(last)
            if not any(m.role == "assistant" for m in messages) and right_when_asked(q):
                return truth[q]
        return "no"

    def logprobs(messages, answers):
        last = messages[-1].content
        q = question_of(last) if "Question: " in last else None  # None: the tuned pick's steps, leaning "no"
        p_yes = free_yes if q == "N/A" else (0.3 if truth.get(q) == "yes" else 0.1)
        share = {"yes": p_yes * 0.6, "Yes": p_yes * 0.4, "no": (1 - p_yes) * 0.6, "No": (1 - p_yes) * 0.4}
        return [math.log(share[a]) for a in answers]

    return ScriptedBackend(chat, logprobs=logprobs)


def summary_of(store, run_id):
    return json.loads(store.execute("SELECT summary_json FROM runs WHERE id = ?", (run_id,)).fetchone()[0])


def test_calibration_divides_by_the_content_free_probabilities():
    assert answer_forms("yes") == ("yes", "Yes") and answer_forms("B") == ("B", "b", "(B)")
    after = calibrate([0.3, 0.7], [0.15, 0.85])  # 2.0 and 0.8235..., renormalised
    assert after == pytest.approx((2.0 / (2.0 + 0.7 / 0.85), (0.7 / 0.85) / (2.0 + 0.7 / 0.85)))
    space = AnswerSpace("yes_no")
    backend = leaning_model({"Is 4 even?": "yes", "Is 5 even?": "no"})
    ask = [ChatMessage("user", "Question: Is 4 even?\nAnswer with just yes or no.")]
    raw_only = pick(backend, ask, space, "Is 4 even?", {"yes": 0.5, "no": 0.5})
    assert raw_only.answer == "no" and raw_only.raw == pytest.approx((0.3, 0.7))  # forms added up
    calibrated = pick(backend, ask, space, "Is 4 even?", {"yes": 0.15, "no": 0.85})
    assert calibrated.answer == "yes" and "yes 0.71" in calibrated.explain()
    assert backend.logprob_calls[-1][1] == ("yes", "Yes", "no", "No")


def test_multiple_choice_letters_come_from_each_questions_options():
    space = AnswerSpace("choice")
    q3 = "Which is larger?\nOptions:\n(A) 3\n(B) 9\n(C) 1"
    assert space.allowed_for(q3) == ("A", "B", "C") and space.allowed_for("no options here") == ()
    assert calibration_answers(space, [q3, "Pick one\n(A) x\n(B) y"]) == ("A", "B", "C")
    assert calibration_answers(AnswerSpace("number"), [q3]) == ()
    assert AnswerSpace("choice", ("A", "B")).allowed_for(q3) == ("A", "B")  # a fixed option list wins


def test_a_model_that_collapses_onto_no_ships_the_calibrated_pick(store):
    d, truth = even_task(store)
    backend = leaning_model(truth)
    events, result = drain(run_optimization(store, backend, d.id, CFG.with_overrides(test_limit=30),
                                            tokens_per_second=SPEED))
    assert result.status == "finished" and result.shipped == "calibrated"
    dev = [e for e in events if e.kind == "BaselineScored" and e.split == "dev"]
    direct = store.execute("SELECT x.answer, e.output FROM evaluations e JOIN examples x ON x.id = e.example_id "
                           "WHERE e.run_id = ? AND e.subject = 'dev:direct'", (result.run_id,)).fetchall()
    assert {out for _, out in direct} == {"no"}  # the collapse
    assert dev[0].method == "direct" and dev[0].accuracy == sum(a == "no" for a, _ in direct) / 20 < 0.6
    assert {e.method: e.accuracy for e in dev}["calibrated"] == 1.0
    v = result.verdict
    assert v["shipped"] == "calibrated" and v["label"] == "better" and v["p_value"] < 0.05
    assert v["test"]["calibrated"] == {"right": 30, "total": 30} and v["test"]["direct"]["right"] == 15
    assert v["majority_rate"] == 0.5
    # one content-free call, then one call per dev and per test question, recorded as evaluations
    free = [m for m, _ in backend.logprob_calls if question_of(m[-1].content) == "N/A"]
    assert len(free) == 1 and len(backend.logprob_calls) == 1 + 20 + 10 + 30  # dev, confirm, test
    rows = store.execute("SELECT output, correct, reason FROM evaluations WHERE run_id = ? AND subject = "
                         "'test:calibrated'", (result.run_id,)).fetchall()
    assert len(rows) == 30 and {r[0] for r in rows} == {"yes", "no"} and all(r[1] for r in rows)
    assert all(r[2].startswith("picked by probability, calibrated: yes") for r in rows)
    summary = summary_of(store, result.run_id)
    assert summary["behavior"]["calibration"] == {"content_free": "N/A",
                                                  "probabilities": {"yes": 0.15, "no": 0.85}}
    assert summary["shipped"]["method"] == "calibrated"


def test_ask_the_playground_and_exports_use_the_calibrated_pick(store):
    d, truth = even_task(store)
    _, result = drain(run_optimization(store, leaning_model(truth), d.id, CFG, tokens_per_second=SPEED))
    shipped = load_tuned(store, result.run_id)
    assert shipped.method == "calibrated"
    later = leaning_model({"Is 1000 even?": "yes"})
    said = []
    out = shipped.answer(later, "Is 1000 even?", on_text=said.append)
    assert out.text == "yes" and said == ["yes"] and later.calls == []  # picked, not written
    assert len(later.logprob_calls) == 1  # the stored calibration is reused, not measured again
    answers = ask_both(store, result.run_id, "Is 1000 even?", leaning_model({"Is 1000 even?": "yes"}))
    assert [(a.side, a.answer) for a in answers] == [("untuned", "no"), ("tuned", "yes")]
    text = export_behavior(store, result.run_id, "text")
    assert "A file cannot carry that rule" in text and "(yes, no)" in text
    assert "Question: {question}\nAnswer with just yes or no." in text  # the prompt it uses
    chat = json.loads(export_behavior(store, result.run_id, "chat-json"))
    assert chat["behavior"] == "calibrated" and "A file cannot carry that rule" in chat["how_to_use"]
    assert "# In the app this behavior does not let the model write" in export_behavior(store, result.run_id,
                                                                                         "modelfile")
    card = json.loads(export_behavior(store, result.run_id, "card"))
    assert card["shipped"]["method"] == "calibrated" and card["shipped"]["content_free_probabilities"]["yes"] == 0.15
    assert card["test_scores"]["calibrated"]["accuracy"] == 1.0


def test_a_tie_with_direct_prompting_keeps_the_prompt(store):
    d, truth = even_task(store)
    backend = leaning_model(truth, right_when_asked=lambda q: True)  # direct is right too
    _, result = drain(run_optimization(store, backend, d.id, CFG, tokens_per_second=SPEED))
    assert result.shipped == "direct" and result.verdict["test"]["calibrated"]["right"] == 12


def test_a_backend_that_cannot_score_answers_skips_the_candidate_once(store):
    d, truth = even_task(store)
    backend = ScriptedBackend(["no"])  # no logprobs: like a model server
    events, result = drain(run_optimization(store, CachedBackend(backend, store), d.id, CFG,
                                            tokens_per_second=SPEED))
    warnings = [e.message for e in events if e.kind == "Warning" and "likeliest answer" in e.message]
    assert result.status == "finished" and len(warnings) == 1 and "cannot tell how likely" in warnings[0]
    assert "calibrated" not in result.verdict["test"] and "calibration" not in summary_of(store, result.run_id)[
        "behavior"]


def test_the_cache_passes_answer_scoring_through(store):
    fake = ScriptedBackend(["x"], logprobs=lambda m, answers: [-1.0] * len(answers))
    cached = CachedBackend(fake, store)
    assert cached.answer_logprobs([ChatMessage("user", "hi")], ["a", "b"]) == [-1.0, -1.0]
    with pytest.raises(NotImplementedError):
        CachedBackend(ScriptedBackend(["x"]), store).answer_logprobs([ChatMessage("user", "hi")], ["a"])


def test_a_resumed_run_reuses_the_recorded_calibrated_answers(store):
    d, truth = even_task(store)
    cancel = CancelToken()
    first = leaning_model(truth)
    score = first._logprobs

    def stop_after_five(messages, answers):
        if len(first.logprob_calls) == 1 + 5:  # the content-free call, then the fifth dev question
            cancel.cancel()  # seen by the next call
        return score(messages, answers)

    first._logprobs = stop_after_five
    _, stopped = drain(run_optimization(store, first, d.id, CFG, cancel=cancel, tokens_per_second=SPEED))
    assert stopped.status == "cancelled"
    recorded = store.execute("SELECT COUNT(*) FROM evaluations WHERE run_id = ? AND subject = 'dev:calibrated'",
                             (stopped.run_id,)).fetchone()[0]
    assert recorded == 5
    again = leaning_model(truth)
    _, done = drain(resume(store, again, stopped.run_id, tokens_per_second=SPEED))
    assert done.status == "finished" and done.shipped == "calibrated"
    asked = [question_of(m[-1].content) for m, _ in again.logprob_calls]
    assert "N/A" not in asked and len(asked) == (20 - 5) + 10 + 12  # nothing recorded is asked again
