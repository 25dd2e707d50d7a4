"""Issue 20 part 3 item 3: answers are compared in normalized form but shown as the task
writes its labels. Before, 'N/A' came back as 'n a', '<b>yes</b>' as '<b>yes< b>' and
'{{ 7*7 }}' as '7 7': in the verdict, `debop ask`, the exports, Results and the Playground."""

import json
from types import SimpleNamespace

from run_helpers import drain
from test_optimizer_run import CFG, SPEED

from debop_desktop.cli import main
from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.core.llm.fake import ScriptedBackend
from debop_desktop.core.optimizer.export import export_behavior, load_tuned
from debop_desktop.core.optimizer.playground import ask_both
from debop_desktop.core.optimizer.report import question_changes
from debop_desktop.core.optimizer.run import run_optimization
from debop_desktop.core.optimizer.verdict import ExamOutcomes, compute_verdict
from debop_desktop.core.scoring.scorers import get_scorer, score_output

LABELS = ["N/A", "C++", "e-mail"]


def label_task(store, labels=LABELS, n=90, name="odd labels"):
    """Half the questions are answered by the first label; the rest share the others."""
    rows = [(f"Which label fits ticket {i}?", labels[0] if i % 2 else labels[1 + (i // 2) % (len(labels) - 1)])
            for i in range(n)]
    examples = [NewExample(q, a, ("train", "dev", "test")[i % 3]) for i, (q, a) in enumerate(rows)]
    d = DatasetRepository(store).create(name=name, examples=examples, instruction="Pick the label.",
                                        scorer="label", answer_type="label", scorer_options={"labels": labels})
    return d, dict(rows)


def test_a_label_is_shown_as_the_task_writes_it():
    scorer = get_scorer("label", labels=LABELS + ["<b>yes</b>", "{{ 7*7 }}"])
    assert score_output("The answer is n/a.", "N/A", scorer).extracted == "N/A"
    assert score_output("Answer: c++", "e-mail", scorer).extracted == "C++"
    assert score_output("Answer: E-Mail", "", scorer).extracted == "e-mail"
    wrong = score_output("Answer: <b>yes</b>", "{{ 7*7 }}", scorer)
    assert (wrong.extracted, wrong.reason) == ("<b>yes</b>", "expected {{ 7*7 }}, got <b>yes</b>")
    exact = get_scorer("exact")
    right = score_output("Answer: {{ 7*7 }}", "{{ 7*7 }}", exact)
    assert right.correct and right.extracted == "{{ 7*7 }}"  # before: '7 7'
    assert score_output("Answer: N/A", "", get_scorer("label")).extracted == "N/A"  # labels not listed


def test_the_verdict_ask_and_exports_say_the_label_as_written(store, home, capsys, monkeypatch):
    d, _ = label_task(store)
    backend = ScriptedBackend(["c++"])  # every prompt: a rarer label, written in lower case
    _, result = drain(run_optimization(store, backend, d.id, CFG.with_overrides(test_limit=30),
                                       tokens_per_second=SPEED))
    assert result.status == "finished" and result.shipped == "most_common"
    sentence = result.verdict["sentence"]
    assert "always answering 'N/A'" in sentence and "'n a'" not in sentence  # before: 'n a'
    assert "always answering 'N/A'" in export_behavior(store, result.run_id, "text")
    card = json.loads(export_behavior(store, result.run_id, "card"))
    assert card["shipped"]["answer"] == "N/A"
    assert load_tuned(store, result.run_id).answer(backend, "Which label fits ticket 999?").text == "N/A"
    answers = ask_both(store, result.run_id, "Which label fits ticket 999?", backend)
    assert [(a.side, a.answer) for a in answers] == [("untuned", "C++"), ("tuned", "N/A")]  # before: 'c', 'n a'
    changes = question_changes(store, result.run_id)
    assert {(c.direct, c.tuned) for c in changes} == {("C++", "N/A")}

    opened = SimpleNamespace(backend=ScriptedBackend(["Answer: e-mail"]), release=lambda: None)
    monkeypatch.setattr("debop_desktop.cli.optimize_cmd.ModelLibrary", lambda _store: SimpleNamespace(
        get=lambda _id: None))
    monkeypatch.setattr("debop_desktop.cli.optimize_cmd.open_model", lambda *a, **k: opened)
    assert main(["--home", str(home), "ask", str(result.run_id), "Which label fits ticket 999?"]) == 0
    assert "Answer: N/A" in capsys.readouterr().out  # the constant answer, as the task writes it
    assert main(["--home", str(home), "--json", "ask", str(result.run_id), "Which label?"]) == 0
    assert json.loads(capsys.readouterr().out)["answer"] == "N/A"


def test_the_chance_sentence_uses_the_written_label(store):
    d, truth = label_task(store)
    backend = ScriptedBackend(lambda messages, params: next(
        (f"Answer: {truth[q].upper()}" for q in truth if q in messages[-1].content), "I am not sure."))
    _, result = drain(run_optimization(store, backend, d.id, CFG, tokens_per_second=SPEED))
    verdict = result.verdict
    assert verdict["majority_answer"] == "N/A"
    assert "always answering 'N/A' (its most common answer) would score" in verdict["sentence"]
    rows = store.execute("SELECT DISTINCT extracted FROM evaluations WHERE run_id = ? AND subject = 'test:direct'",
                         (result.run_id,)).fetchall()
    assert {r[0] for r in rows} <= set(LABELS) and len(rows) == 3  # written 'E-MAIL', shown 'e-mail'


def test_answers_written_in_other_capitals_count_as_one_answer():
    correct = {"direct": {i: i % 2 == 0 for i in range(10)}, "tuned": {i: i < 5 for i in range(10)}}
    answers = {"tuned": ["Yes", "yes", "YES ", "yes", "Yes", "yes", "Yes", "yes", "Yes", "no"]}
    v = compute_verdict(ExamOutcomes(correct, ["Yes"] * 6 + ["no"] * 4, answers), "tuned", answer_kind="free")
    assert any("answered 'Yes' to 9 of 10" in w for w in v["warnings"]), v["warnings"]
