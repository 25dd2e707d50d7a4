"""Grammar-constrained plans and executions: real llama.cpp on the tiny random-weight GGUF,
and the grammars a run attaches to its calls (scripted model)."""

import json

import pytest
from run_helpers import drain
from simulated_env import simulated_backend
from test_optimizer_run import CFG, SPEED, make_dataset

from debop_desktop.core.llm.base import GenerationParams
from debop_desktop.core.llm.llama_engine import LlamaEngine
from debop_desktop.core.optimizer.demos import Plan, parse_execution, parse_plan
from debop_desktop.core.optimizer.grammar import (
    demonstration_grammar,
    execution_grammar,
    execution_schema,
    plan_grammar,
)
from debop_desktop.core.optimizer.prompts import PLAN_SYSTEM, execution_messages, plan_messages
from debop_desktop.core.optimizer.run import run_optimization
from debop_desktop.core.scoring.answer_space import AnswerSpace

SPACES = [AnswerSpace("yes_no"), AnswerSpace("true_false"), AnswerSpace("labels", ("positive", "negative")),
          AnswerSpace("choice", ("A", "B", "C")), AnswerSpace("choice"), AnswerSpace("number"),
          AnswerSpace("word_list"), AnswerSpace("free")]


@pytest.fixture(scope="module")
def engine(tiny_gguf):
    e = LlamaEngine(n_threads=1)
    e.load(tiny_gguf, n_ctx=2048)
    yield e
    e.unload()


def test_the_random_model_writes_parseable_plans_under_the_plan_grammar(engine):
    messages = plan_messages("Add the numbers.", [("What is 2 + 3?", "5"), ("What is 1 + 1?", "2")])
    free = engine.chat(messages, GenerationParams(max_tokens=256, temperature=0.7, seed=0))
    assert parse_plan(free.text)[0] is None  # without the grammar: gibberish, no plan
    for seed in range(4):
        out = engine.chat(messages, GenerationParams(max_tokens=256, temperature=0.7, seed=seed,
                                                     grammar=plan_grammar(256)))
        plan, why = parse_plan(out.text)
        assert out.finish_reason == "stop" and plan is not None, (why, out.text)
        assert plan.steps[-1] == "Answer" and 2 <= len(plan.steps) <= 6


@pytest.mark.parametrize("space", SPACES[:6], ids=lambda s: f"{s.kind}{len(s.values)}")
def test_the_answer_value_stays_in_the_answer_space(engine, space):
    plan = Plan(("Answer",))  # no steps: the model must go straight to a constrained answer
    out = engine.chat(execution_messages("Answer.", "Is 7 odd?", plan),
                      GenerationParams(max_tokens=64, grammar=execution_grammar(plan, space, 64)))
    steps = parse_execution(out.text)
    assert steps is not None and len(steps) == 1, out.text
    answer = steps[-1][1]
    if space.kind == "number":
        assert answer.lstrip("-")[0].isdigit()
    elif space.kind == "choice":
        assert answer.strip("()") in (space.values or [chr(c) for c in range(65, 91)])
    else:
        assert answer.lower() in space.allowed()


@pytest.mark.parametrize("space", SPACES, ids=lambda s: f"{s.kind}{len(s.values)}")
def test_every_grammar_compiles_in_llama_cpp(space):
    from llama_cpp import LlamaGrammar

    plan = Plan(('Read the "numbers"', "Add them \\ carefully", "Answer"))
    for text in (plan_grammar(), execution_grammar(plan, space), demonstration_grammar(space)):
        LlamaGrammar.from_string(text, verbose=False)
    schema = json.loads(execution_schema(plan, space))
    assert schema["required"] == list(plan.steps)
    assert schema["properties"]["Answer"].get("enum", list(space.allowed()) or None) == (list(space.allowed())
                                                                                       or None)


def test_a_run_sends_its_plans_and_executions_under_grammars_unless_turned_off(store):
    d, answers = make_dataset(store)
    backend, _ = simulated_backend(answers)
    drain(run_optimization(store, backend, d.id, CFG.with_overrides(max_iterations=2), tokens_per_second=SPEED))
    plans = [p for m, p in backend.calls if m[0].content == PLAN_SYSTEM]
    assert plans and all(p.grammar == plan_grammar(CFG.plan_max_tokens) for p in plans)
    executions = [(m, p) for m, p in backend.calls
                  if m[-1].content.rstrip().endswith("}") and m[0].content != PLAN_SYSTEM]
    assert executions
    for messages, params in executions:  # exactly the plan's keys, in order, then the number answer
        keys = list(json.loads(messages[-1].content[messages[-1].content.rindex("{"):]))
        assert params.grammar == execution_grammar(Plan(tuple(keys)), AnswerSpace("number"), params.max_tokens)
    direct = [p for m, p in backend.calls if m[-1].content.endswith("Answer with just a number.")]
    assert direct and all(p.grammar is None for p in direct)  # the simple prompts stay free text
    backend, _ = simulated_backend(answers)
    drain(run_optimization(store, backend, d.id, CFG.with_overrides(max_iterations=2, structured_output=False),
                           tokens_per_second=SPEED))
    assert all(p.grammar is None for _, p in backend.calls)
