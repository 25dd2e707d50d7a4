"""What `debop ask` and the Playground answer is what the run scored: for every built-in
behavior, asking a recorded question again through the shipped-behavior path gives the
recorded output, byte for byte (real llama.cpp on the tiny GGUF, one question at a time), on
the dev sample where the run scored it there and on the final exam; a plan the model wrote,
followed without an example, answers as its dev answers were recorded too.

Before behaviors were one object, direct prompting was asked with 256 tokens where it was
scored with 64, and step by step never got the follow-up turn it was scored with."""

from dataclasses import replace

from run_helpers import drain

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample, WorkedExample
from debop_desktop.core.llm.llama_engine import LlamaEngine
from debop_desktop.core.optimizer.config import OptimizerConfig
from debop_desktop.core.optimizer.export import load_tuned
from debop_desktop.core.optimizer.playground import ask_both
from debop_desktop.core.optimizer.recorder import RunRecorder
from debop_desktop.core.optimizer.run import run_optimization

METHODS = ("direct", "few_examples", "zero_shot_cot", "worked_examples", "calibrated", "most_common", "tuned",
           "nearest_examples", "few_examples_picked", "nearest_examples_picked", "searched_examples_picked",
           "tuned_picked")


def recorded(store, run_id, subject):
    return store.execute("SELECT e.input, v.output FROM evaluations v JOIN examples e ON e.id = v.example_id "
                         "WHERE v.run_id = ? AND v.subject = ? ORDER BY e.id", (run_id, subject)).fetchall()


def answers_as_recorded(behavior, engine, rows, what):
    for question, output in rows[:2]:
        streamed: list[str] = []
        said = behavior.answer(engine, question, on_text=streamed.append)
        assert said.text == output, (what, question)
        assert "".join(streamed) == output, (what, question)  # what the person saw, too


def test_every_behavior_answers_a_recorded_question_as_it_was_scored(store, tiny_gguf):
    rows = [NewExample(f"Is {i} even?", "yes" if i % 2 == 0 else "no", ("train", "dev", "test")[i % 3])
            for i in range(36)]
    worked = (WorkedExample("Is 4 even?", "4 ends in 4, an even digit.", "yes"),)
    d = DatasetRepository(store).create(name="even", examples=rows, instruction="Is the number even?",
                                        scorer="yes_no", answer_type="yes_no", worked_examples=worked)
    cfg = OptimizerConfig(n_plans=1, n_seeds=1, max_iterations=1, dev_limit=4, test_limit=4, seed=1,
                          baselines=METHODS, max_tokens=48)
    engine = LlamaEngine(n_threads=1)
    engine.load(str(tiny_gguf))
    try:
        _, result = drain(run_optimization(store, engine, d.id, cfg, tokens_per_second=50.0))
        assert result.status == "finished"
        tuned = load_tuned(store, result.run_id)
        checked = {}
        for method in METHODS:
            behavior = tuned.as_method(method)
            test, dev = recorded(store, result.run_id, f"test:{method}"), recorded(store, result.run_id,
                                                                                  f"dev:{method}")
            if method in ("tuned", "tuned_picked") and not test:
                continue  # the search found no demonstration on random weights
            assert test, method
            answers_as_recorded(behavior, engine, test, method)
            answers_as_recorded(behavior, engine, dev, f"dev:{method}")
            checked[method] = len(test[:2]) + len(dev[:2])
        assert set(checked) >= set(METHODS) - {"tuned", "tuned_picked"}
        assert ("tuned" in checked) == ("tuned_picked" in checked)
        assert all(checked[m] == 4 for m in ("direct", "calibrated", "searched_examples_picked"))  # dev, test
        assert checked.get("tuned_picked", 4) == 4  # scored on dev once the search found its demonstration
        plans = [(k, p[1]) for k in range(cfg.n_plans + 1) if (p := RunRecorder(store, result.run_id).plan(k))
                 and p[1] is not None]
        k, plan = plans[0]  # the model's plan, or the generic one the run fell back on
        followed = replace(tuned, method="zero_shot_plan", kit=replace(tuned.kit, plan=plan))
        rows = recorded(store, result.run_id, f"plan:{k}")
        assert rows
        answers_as_recorded(followed, engine, rows, "zero_shot_plan")
        if result.best is not None:  # the tuned demonstration's dev answers: its node's
            answers_as_recorded(tuned.as_method("tuned"), engine,
                                recorded(store, result.run_id, f"node:{result.best.node_id}"), "dev:tuned")
        question, output = store.execute(
            "SELECT e.input, v.output FROM evaluations v JOIN examples e ON e.id = v.example_id "
            "WHERE v.run_id = ? AND v.subject = 'test:direct' ORDER BY e.id", (result.run_id,)).fetchone()
        untuned = ask_both(store, result.run_id, question, engine)[0]
        assert untuned.side == "untuned" and untuned.output == output
    finally:
        engine.unload()
