"""One candidate pool, one choice on dev, and the verdict: scripted models decide who is right."""

import json

from run_helpers import drain
from simulated_env import simulated_backend
from test_optimizer_run import CFG, SPEED, make_dataset

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.core.llm.fake import ScriptedBackend
from debop_desktop.core.optimizer.export import export_behavior, load_tuned
from debop_desktop.core.optimizer.prompts import PLAN_SYSTEM, direct_messages
from debop_desktop.core.optimizer.run import run_optimization

WRONG = '{"Work it out": "hmm", "Answer": "-1"}'


def question_of(text):
    return text.split("Question: ", 1)[1].split("\n", 1)[0]


def scripted(answers, *, direct_right=lambda q: True, few_right=lambda q: False):
    """Plans parse; every execution and rewrite is wrong. The direct prompt (one user turn
    ending in the number format) and the few-examples prompt are right where told."""

    def script(messages, params):
        last = messages[-1].content
        if messages[0].content == PLAN_SYSTEM:
            return '{"Read the numbers": "", "Answer": ""}'
        if last.endswith("Answer with just a number.") and "Question: " in last:
            q = question_of(last)
            is_few = any(m.role == "assistant" for m in messages)
            right = few_right(q) if is_few else direct_right(q)
            return answers[q] if right else "-1"
        return WRONG

    return ScriptedBackend(script)


def test_a_model_right_only_when_asked_directly_ships_direct_prompting(store):
    d, answers = make_dataset(store)
    events, result = drain(run_optimization(store, scripted(answers), d.id, CFG, tokens_per_second=SPEED))
    assert result.status == "finished" and result.best is not None  # the search ran and found a best try
    assert result.best.dev_accuracy == 0.0
    assert result.shipped == "direct"
    v = result.verdict
    assert v["label"] == "no_clear_change" and v["shipped"] == "direct" and v["p_value"] == 1.0
    assert v["test"]["direct"] == {"right": 12, "total": 12} and v["test"]["tuned"]["right"] == 0
    assert v["sentence"].startswith("No improvement found")
    assert any("keeps plain prompting" in e.message for e in events if e.kind == "Warning")
    assert events[-1].message.startswith("Done. No improvement found")
    summary = json.loads(store.execute("SELECT summary_json FROM runs WHERE id = ?", (result.run_id,)).fetchone()[0])
    assert summary["verdict"] == v and summary["shipped"]["method"] == "direct"
    # export, ask and the Playground use the shipped behavior: the fair direct prompt
    shipped = load_tuned(store, result.run_id)
    assert shipped.method == "direct"
    assert shipped.messages_for("What is 2 + 3?") == direct_messages("Add the numbers.", "What is 2 + 3?",
                                                                     "Answer with just a number.")
    text = export_behavior(store, result.run_id, "text")
    assert "--- assistant ---" not in text and "Answer with just a number." in text and "No improvement" in text
    chat = json.loads(export_behavior(store, result.run_id, "chat-json"))
    assert chat["behavior"] == "direct" and chat["messages"] == []
    assert chat["question_template"].endswith("Question: {question}\nAnswer with just a number.")
    card = json.loads(export_behavior(store, result.run_id, "card"))
    assert card["shipped"]["method"] == "direct" and card["verdict"]["label"] == "no_clear_change"


def test_when_the_search_wins_the_tuned_behavior_ships_and_is_better(store):
    d, answers = make_dataset(store)
    backend, _ = simulated_backend(answers)  # it answers plain prompts with "I am not sure."
    _, result = drain(run_optimization(store, backend, d.id, CFG.with_overrides(test_limit=30),
                                       tokens_per_second=SPEED))
    assert result.shipped == "tuned"
    v = result.verdict
    assert v["label"] == "better" and v["shipped"] == "tuned" and v["p_value"] < 0.05
    assert v["test"]["direct"]["right"] == 0 and v["test"]["tuned"]["right"] > 5
    assert v["sentence"].startswith(f"Tuning helped: {v['test']['tuned']['right']} of 30")
    shipped = load_tuned(store, result.run_id)
    assert shipped.method == "tuned" and shipped.demo is not None
    assert "--- assistant ---" in export_behavior(store, result.run_id, "text")


def test_a_simple_prompt_that_wins_on_dev_but_loses_on_test_is_not_kept(store):
    d, answers = make_dataset(store)
    dev = {e.input for e in DatasetRepository(store).examples(d.id, "dev")}
    backend = scripted(answers, direct_right=lambda q: q not in dev, few_right=lambda q: q in dev)
    _, result = drain(run_optimization(store, backend, d.id, CFG.with_overrides(test_limit=30),
                                       tokens_per_second=SPEED))
    summary = json.loads(store.execute("SELECT summary_json FROM runs WHERE id = ?", (result.run_id,)).fetchone()[0])
    assert summary["shipped"]["chosen_on_dev"] == "few_examples"
    v = result.verdict
    assert v["label"] == "worse" and v["shipped"] == "direct" and result.shipped == "direct"
    assert v["test"]["few_examples"] == {"right": 0, "total": 30} and v["test"]["direct"]["right"] == 30
    assert "made it worse" in v["sentence"] and load_tuned(store, result.run_id).method == "direct"


def test_without_an_instruction_the_prompts_say_what_to_answer(store):
    rows = [("The nurse was kind.", "positive"), ("Rude staff, long wait.", "negative")] * 15
    examples = [NewExample(q + f" ({i})", a, ("train", "dev", "test")[i % 3]) for i, (q, a) in enumerate(rows)]
    d = DatasetRepository(store).create(name="reviews", examples=examples, instruction="", scorer="label",
                                        scorer_options={"labels": ["positive", "negative"]}, answer_type="label")
    backend = ScriptedBackend(["positive"])
    _, result = drain(run_optimization(store, backend, d.id, CFG.with_overrides(max_iterations=1),
                                       tokens_per_second=SPEED))
    direct = [m for m, _ in backend.calls if len(m) == 1 and m[0].content.endswith("one of: positive or negative.")]
    assert direct, "the direct prompt names the labels"
    assert direct[0][0].content.startswith("Read the text and choose the label that fits it: positive or negative.")
    few = [m for m, _ in backend.calls if sum(x.role == "assistant" for x in m) == CFG.few_examples_k]
    assert few and all(x.content in ("positive", "negative") for x in few[0] if x.role == "assistant")
    cot = [m for m, _ in backend.calls if "step by step" in m[0].content]
    assert cot and 'followed by one of positive or negative.' in cot[0][0].content
    assert all(p.max_tokens == 64 for m, p in backend.calls if m in direct)
    v = result.verdict
    assert v["majority_answer"] in ("positive", "negative") and 0.4 < v["majority_rate"] < 0.6
    # plain prompting said "positive" to every review: a constant answer, so the most common answer ships
    # and the verdict says the model did no better than it (issue 22)
    assert result.shipped == "most_common" and "did no better than always answering" in v["sentence"]


def test_step_by_step_without_a_stated_answer_gets_one_follow_up(store, home, capsys):
    d, answers = make_dataset(store)

    def script(messages, params):
        if messages[-1].content.startswith("So what is the final answer?"):
            return answers[question_of(messages[0].content)]
        if "step by step" in messages[-1].content:
            return "First I look at the numbers and then I keep thinking about them"  # no answer
        return WRONG

    backend = ScriptedBackend(script)
    _, result = drain(run_optimization(store, backend, d.id, CFG.with_overrides(max_iterations=1),
                                       tokens_per_second=SPEED))
    cot = next(b for b in result.baselines if b.method == "zero_shot_cot")
    assert cot.correct == cot.n == 12
    follow_ups = [p for m, p in backend.calls if m[-1].content.startswith("So what is the final answer?")]
    assert len(follow_ups) == 20 + 10 + 12 and all(p.max_tokens <= 24 for p in follow_ups)  # dev, confirm, test
    assert result.shipped == "zero_shot_cot" and result.verdict["shipped"] == "step_by_step"
    # stored under its older name; every JSON output says step_by_step
    from debop_desktop.cli import main

    assert main(["--home", str(home), "--json", "runs", "show", str(result.run_id)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["summary"]["shipped"]["method"] == "step_by_step"
    assert "step_by_step" in {b["method"] for b in shown["summary"]["baselines"]}
    assert "zero_shot_cot" not in json.dumps(shown)
    assert json.loads(export_behavior(store, result.run_id, "chat-json"))["behavior"] == "step_by_step"
    card = json.loads(export_behavior(store, result.run_id, "card"))
    assert card["shipped"]["method"] == "step_by_step" and "step_by_step" in card["test_scores"]


def test_collect_samples_at_the_papers_temperature_with_fixed_seeds_and_scoring_is_greedy(store):
    d, answers = make_dataset(store)
    repo = DatasetRepository(store)
    train = {e.input for e in repo.examples(d.id, "train")}
    seen = []
    for _ in range(2):
        backend, _ = simulated_backend(answers)
        drain(run_optimization(store, backend, d.id, CFG.with_overrides(max_iterations=2), tokens_per_second=SPEED))
        zero_shot = [(m[-1].content.split("\n")[0], p) for m, p in backend.calls
                     if "Fill in this plan" in m[-1].content]
        collect = [(q, p.temperature, p.seed) for q, p in zero_shot if q in train]
        assert collect and all(t == 0.7 for _, t, _ in collect) and len({s for *_, s in collect}) > 1
        assert all(p.temperature == 0.0 for q, p in zero_shot if q not in train)  # plans scored on dev: greedy
        seen.append(collect)
    assert seen[0] == seen[1]  # the same seeds on a rerun


def test_dev_and_test_score_each_behavior_with_the_same_token_limit(store):
    d, answers = make_dataset(store)
    backend, _ = simulated_backend(answers)
    drain(run_optimization(store, backend, d.id, CFG.with_overrides(max_iterations=3), tokens_per_second=SPEED))
    test = {e.input for e in DatasetRepository(store).examples(d.id, "test")}
    one_shot = [(m[-1].content.rsplit("\n{", 1)[0] in test, p.max_tokens) for m, p in backend.calls
                if any(x.role == "assistant" for x in m) and m[-1].content.rstrip().endswith("}")]
    assert {on_test for on_test, _ in one_shot} == {True, False}
    assert {limit for _, limit in one_shot} == {CFG.max_tokens}


def test_the_cli_shows_the_verdict(store, home, capsys):
    from debop_desktop.cli import main

    d, answers = make_dataset(store)
    _, result = drain(run_optimization(store, scripted(answers), d.id, CFG, tokens_per_second=SPEED))
    assert main(["--home", str(home), "--json", "runs", "show", str(result.run_id)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["verdict"] == result.verdict and shown["verdict"]["label"] == "no_clear_change"
    assert main(["--home", str(home), "runs", "show", str(result.run_id)]) == 0
    out = capsys.readouterr().out
    assert result.verdict["sentence"] in out and "What ships: Plain prompting." in out
    assert "Note: Only 12 final-exam questions" in out
