"""Several questions' allowed answers scored together (core/llm/answer_scores.py) on real
llama.cpp: every number equals the one-question call's on the same engine (exactly, not
nearly), so a pick by probability answers a batch of rows as it answers each alone."""

import pytest

from debop_desktop.core.llm.base import ChatMessage
from debop_desktop.core.llm.llama_engine import LlamaEngine
from debop_desktop.core.llm.worker_client import WorkerEngine
from debop_desktop.core.optimizer.calibrated import TOO_LONG, answer_forms, pick, pick_many
from debop_desktop.core.scoring.answer_space import AnswerSpace

SYSTEM = ChatMessage("system", "Say whether the number is even. Answer with just yes or no.\n"
                               "Example: Is 4 even? yes. Is 7 even? no.")
YES_NO = [f for a in ("yes", "no") for f in answer_forms(a)]


def asked(question: str) -> list[ChatMessage]:
    return [SYSTEM, ChatMessage("user", question)]


# Questions of different lengths and answer sets: two and three answers (several questions in
# one round), multi-token answers, more answers than sequences (scored alone), a tail longer
# than others, and one the context cannot hold.
ITEMS = [
    (asked("Is 12 even?"), YES_NO),
    (asked("Is 7 even?"), ["yes", "no"]),
    (asked("Is 1,000,001 an even number, would you say?"), ["yes", "no", "maybe later"]),
    (asked("Is 3 even?"), [f for a in ("A", "B", "C") for f in answer_forms(a)]),
    (asked("Is 40 even?"), ["no", "yes"]),
    (asked("Is " + "very " * 40 + "big 2 even?"), YES_NO),
    (asked("Is 9 even?"), ["positive", "negative", "neutral"]),
]


def one_by_one(engine, items):
    return [engine.answer_logprobs(m, a) for m, a in items]


@pytest.fixture(scope="module")
def parallel_tiny(tiny_gguf):
    e = LlamaEngine(n_threads=1)
    e.load(tiny_gguf, n_ctx=512, n_parallel=4)
    yield e
    e.unload()


def test_scored_together_equal_one_by_one_exactly(parallel_tiny):
    together = parallel_tiny.answer_logprobs_many(ITEMS)
    assert together == one_by_one(parallel_tiny, ITEMS)
    assert all(len(s) == len(a) for s, (_, a) in zip(together, ITEMS, strict=True))
    assert parallel_tiny.answer_logprobs_many(ITEMS[::-1]) == together[::-1]  # the batch's order does not matter


def test_a_prompt_too_long_is_none_and_the_others_are_scored(parallel_tiny):
    huge = (asked("word " * 900), ["yes", "no"])
    out = parallel_tiny.answer_logprobs_many([ITEMS[0], huge, ITEMS[1]])
    assert out[1] is None and out[0] == parallel_tiny.answer_logprobs(*ITEMS[0])
    assert out[2] == parallel_tiny.answer_logprobs(*ITEMS[1])


def test_one_sequence_engine_scores_one_by_one(tiny_gguf):
    e = LlamaEngine(n_threads=1)
    e.load(tiny_gguf, n_ctx=512)
    try:
        assert e.answer_logprobs_many(ITEMS[:4]) == one_by_one(e, ITEMS[:4])
    finally:
        e.unload()


def test_the_worker_scores_together_as_in_process(tiny_gguf, parallel_tiny):
    worker = WorkerEngine(n_threads=1)
    worker.load(tiny_gguf, n_ctx=512, n_parallel=4)
    try:
        assert worker.answer_logprobs_many(ITEMS[:3]) == parallel_tiny.answer_logprobs_many(ITEMS[:3])
    finally:
        worker.close()


def test_smollm2_picks_together_equal_each_pick(smollm2):
    """The calibrated pick of 12 questions in one call equals 12 separate picks on the same
    engine: the same answers and the same probabilities, to the last bit (two questions of
    four answer forms share a round of 8 sequences)."""
    e = LlamaEngine(n_threads=1)
    e.load(smollm2, n_ctx=1024, n_parallel=8)
    try:
        space = AnswerSpace("yes_no")
        calibration = {"yes": 0.4, "no": 0.6}
        items = [(asked(f"Is {n} even?"), f"Is {n} even?") for n in (3, 8, 15, 22, 31, 44, 57, 60, 71, 86, 99, 100)]
        together = pick_many(e, items, space, calibration)
        alone = [pick(e, m, space, q, calibration) for m, q in items]
        assert together == alone and TOO_LONG not in together
        assert len({p.raw for p in together}) == len(items)  # real probabilities, each question its own
    finally:
        e.unload()
