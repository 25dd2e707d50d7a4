"""Several sequences decoded together (core/llm/batched.py) on real llama.cpp: the tiny
random-weight GGUF for the mechanics, SmolLM2 for agreement with one-at-a-time answers."""

import threading
import time

import llama_cpp
import numpy as np
import pytest

from debop_desktop.core.errors import Cancelled
from debop_desktop.core.llm.base import CancelToken, ChatMessage, ChatRequest, GenerationParams
from debop_desktop.core.llm.batched import batch_context, common_prefix
from debop_desktop.core.llm.llama_engine import LlamaEngine
from debop_desktop.core.llm.worker_client import WorkerEngine

DEMO = ChatMessage("system", "Answer with one word. Example: What is the capital of France? Paris.")


def ask(question: str, max_tokens: int = 12, **kw) -> ChatRequest:
    return ChatRequest((DEMO, ChatMessage("user", question)), GenerationParams(max_tokens=max_tokens, **kw))


QUESTIONS = [ask(f"What is {a} + {b}?") for a, b in [(1, 2), (3, 4), (5, 6), (7, 8), (2, 9), (4, 4), (6, 1),
                                                     (8, 3), (9, 9), (5, 5)]]


@pytest.fixture(scope="module")
def batched(tiny_gguf):
    e = LlamaEngine(n_threads=1)
    e.load(tiny_gguf, n_ctx=512, n_parallel=4)
    yield e
    e.unload()


def test_common_prefix_leaves_each_sequence_a_token_of_its_own():
    assert common_prefix([[1, 2, 3, 4], [1, 2, 3, 5]]) == 3
    assert common_prefix([[1, 2, 3], [1, 2, 3]]) == 2  # the last prompt token gives the logits
    assert common_prefix([[7, 1], [8, 1]]) == 0 and common_prefix([]) == 0
    assert batch_context(2048, 1) == 2048 and batch_context(2048, 8) == 2048 + 7 * 512


def test_more_requests_than_slots_all_answered_in_order_within_their_limits(batched):
    requests = [ask(q.messages[1].content, max_tokens=3 + i) for i, q in enumerate(QUESTIONS)]
    out = batched.chat_many(requests)
    assert batched.loaded.n_parallel == 4 and len(out) == len(requests) == 10  # slots were reused
    for i, c in enumerate(out):
        assert c is not None and 1 <= c.completion_tokens <= 3 + i and c.finish_reason in ("stop", "length")
        assert c.prompt_tokens > 10 and c.seconds >= 0


def test_same_batch_gives_the_same_outputs(batched):
    first = [c.text for c in batched.chat_many(QUESTIONS)]
    again = [c.text for c in batched.chat_many(QUESTIONS)]
    assert first == again
    sampled = [ask("Say something.", temperature=1.0, seed=s) for s in range(4)]
    assert [c.text for c in batched.chat_many(sampled)] == [c.text for c in batched.chat_many(sampled)]


def test_a_prompt_too_long_is_none_and_the_others_are_answered(batched):
    huge = ask("word " * 900)
    out = batched.chat_many([QUESTIONS[0], huge, QUESTIONS[1]])
    assert out[1] is None and out[0] is not None and out[2] is not None


def test_grammar_constrains_each_sequence(batched):
    grammar = 'root ::= "yes" | "no"'
    out = batched.chat_many([ask(q.messages[1].content, grammar=grammar) for q in QUESTIONS[:6]])
    assert all(c is not None and c.text in ("yes", "no") for c in out)


def test_stop_strings_cut_each_reply(batched):
    plain = batched.chat_many(QUESTIONS[:4])
    cut_at = [c.text[2:4] for c in plain]  # a piece of each reply, used as its stop string
    pairs = zip(QUESTIONS[:4], cut_at, strict=True)
    stopped = batched.chat_many([ask(q.messages[1].content, stop=(s,)) for q, s in pairs])
    for before, after, s in zip(plain, stopped, cut_at, strict=True):
        if s:
            assert s not in after.text and before.text.startswith(after.text) and after.finish_reason == "stop"


def test_one_at_a_time_engine_gives_exactly_what_chat_gives(tiny_gguf):
    e = LlamaEngine(n_threads=1)
    e.load(tiny_gguf, n_ctx=512)
    try:
        assert e.parallel == 1
        assert [c.text for c in e.chat_many(QUESTIONS[:3])] == [e.chat(q.messages, q.params).text
                                                                 for q in QUESTIONS[:3]]
    finally:
        e.unload()


def test_answer_logprobs_match_a_plain_evaluation(batched):
    """Prefix shared and copied, answers decoded as separate sequences: the numbers equal
    the model's own log-softmax after the prompt, computed the plain way."""
    llm = batched._llm
    messages = list(QUESTIONS[0].messages)
    prompt, _ = batched.render_prompt(messages)
    answers = ["yes", "no", "maybe later"]
    got = batched.answer_logprobs(messages, answers)
    assert len(got) == 3 and all(np.isfinite(got)) and all(x <= 0 for x in got)
    expected = []
    for answer in answers:
        tokens = llm.tokenize(answer.encode(), add_bos=False, special=False)
        total = 0.0
        for k, token in enumerate(tokens):
            llm.reset()
            llm.eval(list(prompt) + tokens[:k])
            row = llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1)
            logits = np.ctypeslib.as_array(row, shape=(llm.n_vocab(),)).astype(np.float64)
            total += float(logits[token] - logits.max() - np.log(np.exp(logits - logits.max()).sum()))
        expected.append(total)
    llm.reset()
    assert got == pytest.approx(expected, abs=2e-2)


def test_worker_batches_and_a_cancel_returns_within_a_second(tiny_gguf):
    worker = WorkerEngine(n_threads=1)
    worker.load(tiny_gguf, n_ctx=512, n_parallel=4)
    try:
        assert worker.parallel == 4
        out = worker.chat_many(QUESTIONS[:5])
        assert all(c is not None for c in out) and worker.counters().calls == 5
        cancel = CancelToken()
        long = [ask(q.messages[1].content, max_tokens=400) for q in QUESTIONS] * 4
        result: dict = {}

        def run():
            try:
                worker.chat_many(long, cancel)
            except Cancelled:
                result["cancelled_at"] = time.monotonic()

        thread = threading.Thread(target=run)
        thread.start()
        time.sleep(0.5)
        cancel.cancel()
        asked = time.monotonic()
        thread.join(10)
        assert result.get("cancelled_at") is not None and result["cancelled_at"] - asked < 1.5
        assert worker.chat_many(QUESTIONS[:2])[0] is not None  # usable afterwards
    finally:
        worker.unload()


def test_smollm2_batched_answers_agree_with_one_at_a_time(smollm2):
    """Batch shapes change float rounding, so near-ties may flip (docs/benchmarks.md); short
    greedy answers of a real instruct model mostly agree."""
    e = LlamaEngine(n_threads=1)
    e.load(smollm2, n_ctx=1024, n_parallel=8)
    try:
        requests = [ask(f"What is {a} + {b}? Reply with the number only.", max_tokens=8)
                    for a, b in [(1, 2), (3, 4), (5, 6), (7, 8), (2, 9), (4, 4), (6, 1), (8, 3), (9, 9), (5, 5),
                                 (2, 2), (3, 6)]]
        one = [e.chat(r.messages, r.params).text for r in requests]
        many = [c.text for c in e.chat_many(requests)]
        same = sum(a == b for a, b in zip(one, many, strict=True))
        assert same >= 9, list(zip(one, many, strict=True))
    finally:
        e.unload()
