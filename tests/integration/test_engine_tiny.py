"""The llama.cpp engine on the tiny random-weight GGUF (real llama-cpp-python)."""

import threading

import pytest

from debop_desktop.core.errors import (
    BadModelFile,
    Cancelled,
    ContextOverflow,
    ModelLoadError,
    NoModelLoaded,
)
from debop_desktop.core.llm.base import CancelToken, ChatMessage, GenerationParams
from debop_desktop.core.llm.cache import CachedBackend
from debop_desktop.core.llm.llama_engine import LlamaEngine, default_threads

Q = [ChatMessage("system", "Answer briefly."), ChatMessage("user", "What is 2 + 3?")]


@pytest.fixture
def engine(tiny_gguf):
    e = LlamaEngine(n_threads=1)
    e.load(tiny_gguf, n_ctx=512)
    yield e
    e.unload()


class CancelAfter(CancelToken):
    """Reads as cancelled from the (k+1)-th poll on: a cancel that lands mid-generation."""

    def __init__(self, polls: int) -> None:
        super().__init__()
        self.polls, self.limit = 0, polls

    @property
    def cancelled(self) -> bool:
        self.polls += 1
        return self.polls > self.limit


def test_default_threads_leave_a_core_free(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert default_threads() == 7
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert default_threads() == 1


def test_chat_returns_text_counts_and_time(engine):
    out = engine.chat(Q, GenerationParams(max_tokens=12))
    assert out.completion_tokens == 12 and out.finish_reason == "length"
    assert out.prompt_tokens > 10 and out.seconds > 0 and isinstance(out.text, str)


def test_greedy_is_deterministic_and_seeded_sampling_reproducible(engine):
    greedy = GenerationParams(max_tokens=16)
    assert engine.chat(Q, greedy).text == engine.chat(Q, greedy).text
    s1 = GenerationParams(max_tokens=16, temperature=1.0, seed=1)
    assert engine.chat(Q, s1).text == engine.chat(Q, s1).text
    draws = {engine.chat(Q, GenerationParams(max_tokens=16, temperature=1.5, seed=s)).text
             for s in range(5)}
    assert len(draws) > 1  # the seed really changes sampled output


def test_stop_strings_end_the_reply(engine):
    text = engine.chat(Q, GenerationParams(max_tokens=40)).text
    marker = text.strip().split()[2]  # a word from the middle of the greedy reply
    stopped = engine.chat(Q, GenerationParams(max_tokens=40, stop=(marker,)))
    assert stopped.finish_reason == "stop" and marker not in stopped.text
    assert text.startswith(stopped.text)


def test_streaming_pieces_add_up_to_the_text(engine):
    pieces = []
    out = engine.chat(Q, GenerationParams(max_tokens=20), on_text=pieces.append)
    assert "".join(pieces) == out.text


@pytest.mark.parametrize("after", [1, 5, 20])
def test_cancel_stops_within_one_token(engine, after):
    with pytest.raises(Cancelled) as info:
        # one poll happens before generation starts, then one per sampled token
        engine.chat(Q, GenerationParams(max_tokens=200), CancelAfter(after))
    assert info.value.completion_tokens == after


def test_cancel_before_start(engine):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        engine.chat(Q, GenerationParams(), token)


def test_engine_is_usable_after_a_cancel(engine):
    expected = engine.chat(Q, GenerationParams(max_tokens=10)).text
    with pytest.raises(Cancelled):
        engine.chat(Q, GenerationParams(max_tokens=50), CancelAfter(3))
    assert engine.chat(Q, GenerationParams(max_tokens=10)).text == expected


def test_shared_prefix_is_not_processed_again(engine):
    long_system = ChatMessage("system", "Context: " + "the plan has steps. " * 60)
    engine.chat([long_system, ChatMessage("user", "first question")], GenerationParams(max_tokens=4))
    engine.reset_counters()
    out = engine.chat([long_system, ChatMessage("user", "second question")], GenerationParams(max_tokens=4))
    assert out.prompt_tokens > 200
    assert out.prompt_tokens_processed < 20  # only the differing tail was evaluated
    c = engine.counters()
    assert c.calls == 1 and c.reuse_ratio > 10


def test_prompt_longer_than_context_is_refused_not_truncated(tiny_gguf):
    e = LlamaEngine(n_threads=1)
    e.load(tiny_gguf, n_ctx=256)
    with pytest.raises(ContextOverflow) as info:
        e.chat([ChatMessage("user", "word " * 400)], GenerationParams())
    assert "too long" in info.value.message
    e.unload()


def test_model_without_template_uses_plain_transcript(tiny_gguf_no_template):
    e = LlamaEngine(n_threads=1)
    e.load(tiny_gguf_no_template, n_ctx=512)
    tokens, stops = e.render_prompt(Q)
    assert "\nUser:" in stops and len(tokens) > 5
    assert e.chat(Q, GenerationParams(max_tokens=5)).completion_tokens <= 5
    e.unload()


def test_template_prompt_is_what_the_model_expects(engine):
    from debop_desktop.core.llm.templates import render_chat

    r = render_chat(Q, engine.loaded.chat_template, "", "<|im_end|>")
    assert r.text.startswith("<|im_start|>system\nAnswer briefly.<|im_end|>")
    assert r.text.endswith("<|im_start|>assistant\n") and r.from_template


def test_system_message_folded_when_template_rejects_it():
    from debop_desktop.core.llm.templates import render_chat

    strict = ("{% for m in messages %}{% if m['role'] == 'system' %}"
              "{{ raise_exception('System role not supported') }}{% endif %}"
              "<turn>{{ m['role'] }}: {{ m['content'] }}</turn>{% endfor %}")
    r = render_chat(Q, strict, "", "")
    assert r.from_template and "user: Answer briefly.\n\nWhat is 2 + 3?" in r.text


def test_unload_then_chat_says_load_first(engine):
    engine.unload()
    with pytest.raises(NoModelLoaded):
        engine.chat(Q, GenerationParams())


def test_loading_a_bad_file_is_a_plain_error(tmp_path, tiny_gguf):
    with pytest.raises(BadModelFile, match="no file"):
        LlamaEngine().load(tmp_path / "missing.gguf")
    not_gguf = tmp_path / "notes.gguf"
    not_gguf.write_text("hello")
    with pytest.raises(BadModelFile, match="not a GGUF"):
        LlamaEngine().load(not_gguf)
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(tiny_gguf.read_bytes()[:5000])
    with pytest.raises(ModelLoadError) as info:
        LlamaEngine().load(cut)
    assert "could not be loaded" in info.value.message and info.value.details


def test_default_context_and_metadata_from_llama_cpp(tiny_gguf):
    e = LlamaEngine(n_threads=1)
    loaded = e.load(tiny_gguf)
    assert loaded.n_ctx == 2048 and loaded.trained_context == 2048
    assert loaded.name == "Tiny Random Llama" and loaded.chat_template
    e.unload()


def test_calls_from_two_threads_are_serialised(engine):
    expected = engine.chat(Q, GenerationParams(max_tokens=10)).text
    results = []

    def ask():
        results.append(engine.chat(Q, GenerationParams(max_tokens=10)).text)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4


def test_completion_cache_with_the_real_engine(engine, store, tiny_gguf):
    cached = CachedBackend(engine, store)
    first = cached.chat(Q, GenerationParams(max_tokens=10))
    second = cached.chat(Q, GenerationParams(max_tokens=10))
    assert not first.cached and second.cached and second.text == first.text
    engine.reset_counters()
    cached.chat(Q, GenerationParams(max_tokens=10))
    assert engine.counters().calls == 0  # answered from SQLite, the model never ran


def test_gpu_load_failure_falls_back_to_the_processor(tiny_gguf, monkeypatch):
    e = LlamaEngine(n_threads=1)
    real = LlamaEngine._construct
    tried = []

    def gpu_fails(self, path, n_ctx, n_gpu_layers, seed):
        tried.append(n_gpu_layers)
        if n_gpu_layers:
            raise RuntimeError("CUDA out of memory (simulated)")
        return real(self, path, n_ctx, n_gpu_layers, seed)

    monkeypatch.setattr(LlamaEngine, "_construct", gpu_fails)
    loaded = e.load(tiny_gguf, n_ctx=256, n_gpu_layers=99)
    assert tried == [99, 0] and loaded.n_gpu_layers == 0 and "processor" in loaded.note
    assert e.chat(Q, GenerationParams(max_tokens=3)).completion_tokens == 3
    e.unload()
