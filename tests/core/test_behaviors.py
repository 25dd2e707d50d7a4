"""Every way of answering is a behavior (core/behaviors): a new kind is one module and its
registration; what `ask`, the Playground and exports answer is what the run scored."""

import json

import pytest
import toy_behavior
from run_helpers import drain
from test_optimizer_run import CFG, SPEED

from debop_desktop.core import behaviors
from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.core.llm.fake import ScriptedBackend
from debop_desktop.core.optimizer.export import export_behavior, load_tuned
from debop_desktop.core.optimizer.report import run_view
from debop_desktop.core.optimizer.run import run_optimization


@pytest.fixture
def toy():
    toy_behavior.install()
    yield toy_behavior.FirstAllowed
    toy_behavior.remove()


def leaning_task(store, n=90):
    """Yes/no questions whose examples to learn from are mostly 'no' and whose examples to check
    with and final exam are mostly 'yes': the most common answer learned is the wrong one."""
    rows = []
    for i in range(n):
        split = ("train", "dev", "test")[i % 3]
        yes = (i // 3) % 4 == 0 if split == "train" else (i // 3) % 4 != 0
        rows.append(NewExample(f"Is item {i} on the list?", "yes" if yes else "no", split))
    return DatasetRepository(store).create(name="lists", examples=rows, instruction="Is it on the list?",
                                           scorer="yes_no", answer_type="yes_no")


def test_the_registry_lists_the_built_in_kinds_in_the_order_they_compete():
    assert behaviors.simple_names() == ("direct", "few_examples", "zero_shot_cot", "worked_examples",
                                        "calibrated", "most_common", "nearest_examples", "few_examples_picked",
                                        "nearest_examples_picked", "searched_examples_picked", "tuned_picked")
    assert [behaviors.rank(n) for n in ("direct", "tuned", "calibrated", "most_common")] == [0, 0, 1, 2]
    assert behaviors.label("zero_shot_cot") == "Step by step (zero-shot CoT)"


def test_a_toy_behavior_in_its_own_module_is_scored_ships_and_shows_everywhere(store, home, toy, capsys):
    from debop_desktop.cli import main

    d = leaning_task(store)
    backend = ScriptedBackend(["no"])  # every prompt says "no"; the task's dev and test are mostly "yes"
    # The toy gives one answer to every question; with the most common answer competing, such a
    # try is no finalist (candidates.finalists), so that behavior sits this run out.
    cfg = CFG.with_overrides(baselines=(*(b for b in CFG.baselines if b != "most_common"), "first_allowed"),
                             test_limit=30)
    events, result = drain(run_optimization(store, backend, d.id, cfg, tokens_per_second=SPEED))
    dev = {e.method: e.accuracy for e in events if e.kind == "BaselineScored" and e.split == "dev"}
    assert dev["first_allowed"] > max(v for m, v in dev.items() if m != "first_allowed")
    assert result.status == "finished" and result.shipped == "first_allowed"
    v = result.verdict
    assert v["shipped"] == "first_allowed" and v["test"]["first_allowed"]["right"] > v["test"]["direct"]["right"]
    assert "The first allowed answer (toy)" in v["sentence"]
    view = run_view(store, result.run_id)
    assert view.shipped == "first_allowed" and "The first allowed answer (toy)" in view.shipped_name
    asked = len(backend.calls)
    assert load_tuned(store, result.run_id).answer(backend, "Is item 1000 on the list?").text == "yes"
    assert len(backend.calls) == asked  # a rule: no model call
    text = export_behavior(store, result.run_id, "text")
    assert "The first allowed answer (toy)" in text and "A file cannot carry this rule" in text
    card = json.loads(export_behavior(store, result.run_id, "card"))
    assert card["shipped"]["method"] == "first_allowed" and "rule" in card["shipped"]
    assert main(["--home", str(home), "runs", "show", str(result.run_id)]) == 0
    assert "The first allowed answer (toy)" in capsys.readouterr().out
    assert main(["--home", str(home), "--json", "runs", "show", str(result.run_id)]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"]["shipped"] == "first_allowed"


def test_without_the_toy_registered_the_same_run_ships_something_else(store):
    d = leaning_task(store)
    cfg = CFG.with_overrides(baselines=(*CFG.baselines, "first_allowed"), test_limit=30)
    _, result = drain(run_optimization(store, ScriptedBackend(["no"]), d.id, cfg, tokens_per_second=SPEED))
    assert result.status == "finished" and result.shipped != "first_allowed"


def test_a_behaviors_own_state_made_in_prepare_survives_a_resume_and_ask(store, toy, tmp_path):
    from debop_desktop.core.apply import answer_file, plan_apply
    from debop_desktop.core.llm.base import CancelToken
    from debop_desktop.core.optimizer.playground import ask_both
    from debop_desktop.core.optimizer.run import resume

    d = leaning_task(store)
    cfg = CFG.with_overrides(baselines=(*(b for b in CFG.baselines if b != "most_common"), "first_allowed"),
                             test_limit=30)
    toy.prepared = 0
    cancel = CancelToken()
    for event in run_optimization(store, ScriptedBackend(["no"]), d.id, cfg, tokens_per_second=SPEED, cancel=cancel):
        if event.kind == "StageChanged" and event.stage == "plan":
            cancel.cancel()
    run_id = store.execute("SELECT max(id) FROM runs").fetchone()[0]
    kit = json.loads(store.execute("SELECT summary_json FROM runs WHERE id = ?", (run_id,)).fetchone()[0])["behavior"]
    assert kit["states"] == {"first_allowed": {"answer": "yes", "from_train": 30}} and toy.prepared == 1
    # the train split changes after the start: the resumed run keeps the answer it chose, unprepared
    store.execute("UPDATE examples SET answer = 'no' WHERE split = 'train'")
    _, result = drain(resume(store, ScriptedBackend(["no"]), run_id, tokens_per_second=SPEED))
    assert result.status == "finished" and result.shipped == "first_allowed" and toy.prepared == 1
    test_answers = {r[0] for r in store.execute("SELECT output FROM evaluations WHERE run_id = ? AND subject = ?",
                                                (run_id, "test:first_allowed"))}
    assert test_answers == {"yes"}
    backend = ScriptedBackend(["no"])
    assert load_tuned(store, run_id).answer(backend, "Is item 1000 on the list?").text == "yes"  # ask, serve
    assert backend.calls == []
    assert "the app answers 'yes' to every question" in export_behavior(store, run_id, "text")
    sides = ask_both(store, run_id, "Is item 1000 on the list?", ScriptedBackend(["no"]))  # the Playground
    assert [(a.side, a.output) for a in sides] == [("untuned", "no"), ("tuned", "yes")]
    source = tmp_path / "new.csv"
    source.write_text("question\nIs item 1001 on the list?\nIs item 1002 on the list?\n")
    plan = plan_apply(store, run_id, source)  # a file of new rows
    drain(answer_file(store, plan, ScriptedBackend(["no"]), batch_size=1))
    assert [row.split(",")[1] for row in plan.output.read_text().splitlines()[1:]] == ["yes", "yes"]
