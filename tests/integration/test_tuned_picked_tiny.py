"""The tuned demonstration picked by probability on real llama.cpp (the tiny random-weight GGUF):
whatever the weights, each reply is the steps the model wrote, then an allowed answer in the
answer field; a batch answers as each question alone does; the same question twice gives the
same reply; and what `ask` shows a person, streamed, is the reply recorded."""

import json

import pytest

from debop_desktop.core import behaviors
from debop_desktop.core.behaviors import AnswerSettings, BackendGateway, answer, drive
from debop_desktop.core.behaviors.tuned_picked import CalibratedTunedPicked
from debop_desktop.core.llm.llama_engine import LlamaEngine
from debop_desktop.core.optimizer.candidates import PromptKit
from debop_desktop.core.optimizer.demos import Demonstration, parse_execution
from debop_desktop.core.scoring.answer_space import AnswerSpace

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


def test_calibrated_it_measures_the_content_free_steps_once(engine):
    b = CalibratedTunedPicked(KIT, AnswerSettings(max_tokens=24, structured_output=True))
    calls = []

    class Counting(BackendGateway):
        def chat_many(self, prompts, params, *, follow_up=False):
            calls.append(len(prompts))
            return (yield from super().chat_many(prompts, params, follow_up=follow_up))

    first = drive(b.answer_many(Counting(engine), QUESTIONS[:2]))
    drive(b.answer_many(Counting(engine), QUESTIONS[2:]))
    assert calls == [2, 1, 1]  # the content-free steps were written once
    assert all(r.reason.startswith("steps written by the model, answer picked by probability, calibrated")
               for r in first)
