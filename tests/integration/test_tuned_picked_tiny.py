"""The tuned demonstration picked by probability on real llama.cpp (the tiny random-weight GGUF):
whatever the weights, each reply is the steps the model wrote, then an allowed answer in the
answer field; a batch answers as each question alone does; the same question twice gives the
same reply; and what `ask` shows a person, streamed, is the reply recorded."""

import json

import pytest
from run_helpers import drain

from debop_desktop.core import behaviors
from debop_desktop.core.behaviors import AnswerSettings, BackendGateway, answer, drive
from debop_desktop.core.behaviors.tuned_picked import TunedPicked
from debop_desktop.core.datasets.repository import DatasetRepository, Example, NewExample
from debop_desktop.core.llm.base import CancelToken
from debop_desktop.core.llm.llama_engine import LlamaEngine
from debop_desktop.core.optimizer.candidates import PromptKit
from debop_desktop.core.optimizer.config import OptimizerConfig
from debop_desktop.core.optimizer.demos import Demonstration, parse_execution
from debop_desktop.core.optimizer.events import StageChanged
from debop_desktop.core.optimizer.outcome import RunOutcome
from debop_desktop.core.optimizer.run import run_optimization
from debop_desktop.core.scoring.answer_space import AnswerSpace
from debop_desktop.core.scoring.scorers import get_scorer, score_output

DEMO = Demonstration("Cup final ends in penalties", (("Words", "cup, final"), ("Answer", "sports")), "sports")
KIT = PromptKit("What is the topic?", AnswerSpace("labels", ("sports", "business", "world")), demo=DEMO)
QUESTIONS = ["Bank shares rise", "Cup holders lose", "Election called in Spain"]


@pytest.fixture(scope="module")
def engine(tiny_gguf):
    e = LlamaEngine(n_threads=1)
    e.load(str(tiny_gguf), n_parallel=4)
    yield e
    e.unload()


@pytest.mark.parametrize("structured", [True, False])
def test_each_reply_is_the_steps_then_an_allowed_answer(engine, structured):
    settings = AnswerSettings(max_tokens=24, structured_output=structured)
    b = behaviors.build("tuned_picked", KIT, settings)
    replies = drive(b.answer_many(BackendGateway(engine), QUESTIONS))
    steps = drive(BackendGateway(engine).chat_many([b.messages(q) for q in QUESTIONS], b.steps_params()))
    for q, r, s in zip(QUESTIONS, replies, steps, strict=True):
        picked = parse_execution(r.completion.text)[-1][1] if r.completion.text.startswith("{") else \
            json.loads(r.completion.text.splitlines()[-1])["Answer"]
        assert picked in KIT.space.allowed(), (q, r.completion.text)
        assert r.completion.text.startswith(s.text.rstrip().rstrip("}"))  # the steps the model wrote
        assert 0 < r.confidence <= 1 and r.reason.startswith("steps written by the model")
        assert f"{picked} {r.confidence:.2f}" in r.reason
    again = drive(b.answer_many(BackendGateway(engine), QUESTIONS))
    assert [r.completion.text for r in again] == [r.completion.text for r in replies]  # deterministic
    assert [r.confidence for r in again] == [r.confidence for r in replies]


def test_asked_alone_and_streamed_it_answers_as_in_a_batch(engine):
    b = behaviors.build("tuned_picked", KIT, AnswerSettings(max_tokens=24, structured_output=True))
    batch = drive(b.answer_many(BackendGateway(engine), QUESTIONS))
    for q, r in zip(QUESTIONS, batch, strict=True):
        streamed: list[str] = []
        alone = answer(b, engine, q, on_text=streamed.append)
        assert alone.completion.text == r.completion.text and alone.confidence == pytest.approx(r.confidence)
        assert "".join(streamed) == r.completion.text  # the steps as they came, then the answer


class Counting(BackendGateway):
    """A plain gateway that counts the prompts of each chat request."""

    def __init__(self, backend, calls):
        super().__init__(backend)
        self.calls = calls

    def chat_many(self, prompts, params, *, follow_up=False):
        self.calls.append(len(prompts))
        return (yield from super().chat_many(prompts, params, follow_up=follow_up))


class Run:
    """What a run offers a preparation: the dev sample, its scorer's judgement, the model."""

    def __init__(self, engine, dev, calls):
        self.engine, self.dev, self.calls = engine, dev, calls
        self.config = OptimizerConfig(max_tokens=24)

    def gateway(self, kind):
        return Counting(self.engine, self.calls)

    def right(self, example, output):
        scorer = get_scorer("label", labels=list(KIT.space.allowed()))
        return score_output(output, example.answer, scorer, example.input).correct


def test_calibrated_it_measures_the_content_free_steps_once(engine):
    b = TunedPicked(TunedPicked.with_state(KIT, {"calibrated": True}), AnswerSettings(max_tokens=24))
    calls = []
    first = drive(b.answer_many(Counting(engine, calls), QUESTIONS[:2]))
    drive(b.answer_many(Counting(engine, calls), QUESTIONS[2:]))
    assert calls == [2, 1, 1]  # the content-free steps were written once
    assert all(r.reason.startswith("steps written by the model, answer picked by probability, calibrated")
               for r in first)


def test_the_run_chooses_calibration_on_its_dev_sample_and_the_kit_keeps_it(engine):
    dev = [Example(i, 1, i, q, a, "", "dev") for i, (q, a) in
           enumerate(zip(QUESTIONS, ("business", "sports", "world"), strict=True))]
    calls = []
    kit = drive(TunedPicked.prepare(KIT, Run(engine, dev, calls)))
    state = TunedPicked.state_in(kit)
    assert calls == [3, 1]  # the dev sample's steps, then the content-free steps
    assert state["calibrated"] == (state["dev_right"][1] > state["dev_right"][0])
    assert [a for a, _ in state["content_free"]] == [list(KIT.space.allowed())]
    assert drive(TunedPicked.prepare(kit, Run(engine, dev, calls))) is kit and len(calls) == 2  # kept: not again
    b = behaviors.build("tuned_picked", PromptKit.from_json(json.loads(json.dumps(kit.to_json())), demo=DEMO),
                        AnswerSettings.from_config(Run(engine, dev, []).config))  # the run's settings
    again = []
    replies = drive(b.answer_many(Counting(engine, again), QUESTIONS))
    assert again == [3] and b.calibrated == state["calibrated"]  # the stored content-free probabilities
    right = sum(Run(engine, dev, []).right(e, r.completion.text) for e, r in zip(dev, replies, strict=True))
    assert right == max(state["dev_right"])  # it answers the dev sample as the choice scored it


EVEN_RUN = OptimizerConfig(n_plans=1, n_seeds=1, max_iterations=1, dev_limit=4, test_limit=4, seed=1,
                           baselines=("direct", "tuned", "tuned_picked"), max_tokens=48)


def even_task(store):
    """A yes/no task small enough for a whole run with the search on the tiny GGUF."""
    rows = [NewExample(f"Is {i} even?", "yes" if i % 2 == 0 else "no", ("train", "dev", "test")[i % 3])
            for i in range(36)]
    return DatasetRepository(store).create(name="even", examples=rows, instruction="Is the number even?",
                                           scorer="yes_no", answer_type="yes_no")


def test_a_run_scores_it_on_dev_once_the_search_found_its_demonstration(store, tiny_gguf):
    d, cfg = even_task(store), EVEN_RUN
    e = LlamaEngine(n_threads=1)
    e.load(str(tiny_gguf))
    try:
        _, result = drain(run_optimization(store, e, d.id, cfg, tokens_per_second=50.0))
    finally:
        e.unload()
    assert result.status == "finished" and result.best is not None  # the tiny model's search finds a node
    outcome = RunOutcome.from_stored(store.execute("SELECT summary_json FROM runs WHERE id = ?",
                                                   (result.run_id,)).fetchone()[0])
    assert "tuned_picked" in [s.method for s in outcome.on("dev")]  # a candidate in the pool
    dev = store.execute("SELECT COUNT(*) FROM evaluations WHERE run_id = ? AND subject = 'dev:tuned_picked'",
                        (result.run_id,)).fetchone()[0]
    assert dev == 4 and "tuned_picked" in [s.method for s in outcome.on("test")]
    state = PromptKit.from_json(outcome.kit).state("tuned_picked")
    assert set(state) == {"calibrated", "dev_right", "content_free"} and sum(state["dev_right"]) <= 8


def test_a_run_stopped_after_the_search_keeps_the_tuned_picks_choice_for_its_resume(store, tiny_gguf):
    d, cfg = even_task(store), EVEN_RUN
    token = CancelToken()
    e = LlamaEngine(n_threads=1)
    e.load(str(tiny_gguf))
    try:
        run = run_optimization(store, e, d.id, cfg, tokens_per_second=50.0, cancel=token)
        for event in run:  # stopped as the confirmation starts: after the search and the tuned pick's prepare
            if isinstance(event, StageChanged) and event.stage == "confirm":
                token.cancel()
    finally:
        e.unload()
    status, summary = store.execute("SELECT status, summary_json FROM runs").fetchone()
    assert status == "cancelled"
    state = PromptKit.from_json(RunOutcome.from_stored(summary).kit).state("tuned_picked")
    assert state is not None and set(state) == {"calibrated", "dev_right", "content_free"}


@pytest.mark.smollm2
def test_on_smollm2_the_steps_lead_to_an_allowed_label_and_ask_answers_the_same(smollm2):
    demo = Demonstration("A dull, slow film with no ideas.", (("Tone of the review", "bored, disappointed"),
                                                              ("Answer", "negative")), "negative")
    kit = PromptKit("Is the film review positive or negative?", AnswerSpace("labels", ("positive", "negative")),
                    demo=demo)
    questions = ["A warm, funny film that I loved.", "Two hours of my life I will never get back."]
    e = LlamaEngine(n_threads=1)
    e.load(str(smollm2), n_ctx=2048)
    try:
        b = behaviors.build("tuned_picked", kit, AnswerSettings(max_tokens=64, structured_output=True))
        replies = drive(b.answer_many(BackendGateway(e), questions))
        for q, r in zip(questions, replies, strict=True):
            steps = parse_execution(r.completion.text)
            assert steps is not None and steps[0][0] == "Tone of the review" and steps[-1][1] in kit.space.allowed()
            streamed: list[str] = []
            assert answer(b, e, q, on_text=streamed.append).completion.text == r.completion.text
            assert "".join(streamed) == r.completion.text
    finally:
        e.unload()
