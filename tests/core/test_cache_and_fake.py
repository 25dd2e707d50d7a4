import pytest

from debop_desktop.core.errors import Cancelled
from debop_desktop.core.llm.base import CancelToken, ChatBackend, ChatMessage, GenerationParams
from debop_desktop.core.llm.cache import CachedBackend, cache_key
from debop_desktop.core.llm.fake import ScriptedBackend

Q = [ChatMessage("user", "What is 2 + 3?")]


def test_fake_backend_follows_its_script_and_records_calls():
    fake = ScriptedBackend(["one", "two"])
    assert isinstance(fake, ChatBackend)
    texts = [fake.chat(Q, GenerationParams()).text for _ in range(3)]
    assert texts == ["one", "two", "two"]
    assert len(fake.calls) == 3
    fn = ScriptedBackend(lambda msgs, params: msgs[-1].content.upper())
    assert fn.chat(Q, GenerationParams()).text == "WHAT IS 2 + 3?"


def test_fake_backend_respects_max_tokens_and_cancel():
    fake = ScriptedBackend(["a b c d e"])
    out = fake.chat(Q, GenerationParams(max_tokens=2))
    assert out.text == "a b" and out.finish_reason == "length"
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        fake.chat(Q, GenerationParams(), token)


def test_greedy_requests_are_cached(store):
    fake = ScriptedBackend(lambda m, p: f"answer {len(fake.calls)}")
    cached = CachedBackend(fake, store)
    first = cached.chat(Q, GenerationParams())
    streamed = []
    second = cached.chat(Q, GenerationParams(), on_text=streamed.append)
    assert first.text == second.text == "answer 1"
    assert second.cached and not first.cached and second.prompt_tokens_processed == 0
    assert streamed == ["answer 1"]
    assert len(fake.calls) == 1 and (cached.hits, cached.misses) == (1, 1)
    assert store.execute("SELECT hits FROM completions").fetchone()[0] == 1


def test_cache_key_separates_model_prompt_and_params(store):
    p = GenerationParams()
    base = cache_key("m1", Q, p)
    assert base != cache_key("m2", Q, p)
    assert base != cache_key("m1", [ChatMessage("user", "What is 2 + 4?")], p)
    assert base != cache_key("m1", Q, GenerationParams(max_tokens=7))
    assert base != cache_key("m1", Q, GenerationParams(stop=("\n",)))
    assert base == cache_key("m1", Q, GenerationParams(seed=99))  # greedy ignores the seed


def test_sampled_requests_are_never_cached(store):
    fake = ScriptedBackend(lambda m, p: f"draw {len(fake.calls)}")
    cached = CachedBackend(fake, store)
    sampled = GenerationParams(temperature=0.7, seed=1)
    assert cached.chat(Q, sampled).text == "draw 1"
    assert cached.chat(Q, sampled).text == "draw 2"
    assert store.execute("SELECT COUNT(*) FROM completions").fetchone()[0] == 0


def test_settings_have_defaults_and_persist(store):
    from debop_desktop.core.settings import Settings

    s = Settings(store)
    assert s.get("threads") == 0 and s.get("gpu_layers") == "auto"
    s.set("threads", 3)
    assert Settings(store.reopen()).get("threads") == 3
    with pytest.raises(KeyError):
        s.set("no_such_setting", 1)
