"""Prompts answered by the likeliest allowed answer, on real llama.cpp (the tiny random-weight
GGUF): whatever the weights, every answer is one of the allowed ones (the task's labels, or the
option letters written in the question), with the probability it was picked with."""

from debop_desktop.core import behaviors
from debop_desktop.core.behaviors import AnswerSettings, BackendGateway, drive
from debop_desktop.core.llm.llama_engine import LlamaEngine
from debop_desktop.core.optimizer.candidates import PromptKit
from debop_desktop.core.scoring.answer_space import AnswerSpace

POOL = (("Cup final ends in penalties", "sports"), ("Shares fall as bank warns", "business"),
        ("Election called in Spain", "world"), ("Striker signs for cup holders", "sports"))


def test_picked_prompts_give_only_allowed_answers_on_a_real_model(tiny_gguf):
    labels = PromptKit("What is the topic?", AnswerSpace("labels", ("sports", "business", "world")),
                       few=POOL[:2], pool=POOL)
    letters = PromptKit("Pick the right option.", AnswerSpace("choice"), few=(("2+2?\n(A) 4\n(B) 5", "A"),),
                        pool=(("2+2?\n(A) 4\n(B) 5", "A"), ("3+3?\n(A) 7\n(B) 6\n(C) 5", "B")))
    engine = LlamaEngine(n_threads=1)
    engine.load(str(tiny_gguf))
    try:
        for kit, questions in ((labels, ["Bank shares rise", "Cup holders lose"]),
                               (letters, ["1+1?\n(A) 2\n(B) 3\n(C) 4\n(D) 5", "5+5?\n(A) 10\n(B) 11"])):
            for name in ("few_examples_picked", "nearest_examples_picked"):
                b = behaviors.build(name, kit, AnswerSettings())
                replies = drive(b.answer_many(BackendGateway(engine), questions))
                for q, r in zip(questions, replies, strict=True):
                    assert len(kit.space.allowed_for(q)) >= 2
                    assert r.completion.text in kit.space.allowed_for(q), (name, q, r.completion.text)
                    assert 0 < r.confidence <= 1 and r.completion.completion_tokens == 0
                    assert r.reason.startswith("picked by probability")
    finally:
        engine.unload()
