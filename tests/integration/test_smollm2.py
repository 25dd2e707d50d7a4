"""A real instruct model: SmolLM2-135M-Instruct (Apache-2.0), fetched by `make test-models`."""

import pytest

from debop_desktop.core.gguf_info import read_model_info
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.llm.base import ChatMessage, GenerationParams
from debop_desktop.core.llm.llama_engine import LlamaEngine

pytestmark = pytest.mark.smollm2


@pytest.fixture(scope="module")
def smol_engine(smollm2):
    engine = LlamaEngine()
    engine.load(smollm2, n_ctx=2048)
    yield engine
    engine.unload()


def test_metadata_matches_the_published_model(smollm2, store):
    info = read_model_info(smollm2)
    assert info.architecture == "llama"
    assert 130e6 < info.parameter_count < 140e6  # "135M"
    assert info.quantization == "Q4_1"
    assert (info.n_layers, info.n_embd, info.n_head, info.n_head_kv) == (30, 576, 9, 3)
    assert info.context_length == 8192 and info.vocab_size == 49152
    assert info.has_chat_template and "<|im_start|>" in info.chat_template
    record = ModelLibrary(store).add(smollm2).record
    assert record.parameter_count == info.parameter_count and record.quantization == "Q4_1"


def test_answers_a_simple_sum(smol_engine):
    out = smol_engine.chat([ChatMessage("user", "What is 2 + 3?")], GenerationParams(max_tokens=48))
    assert "5" in out.text, out.text
    assert out.finish_reason == "stop"  # it ended its turn by itself


def test_prefix_reuse_on_a_shared_demonstration(smol_engine):
    demo = [ChatMessage("system", "You solve additions step by step. " * 40),
            ChatMessage("user", "What is 3 + 4?"),
            ChatMessage("assistant", '{"Read the numbers": "3 and 4", "Add them": "7", "Answer": "7"}')]
    smol_engine.chat(demo + [ChatMessage("user", "What is 1 + 1?")], GenerationParams(max_tokens=8))
    smol_engine.reset_counters()
    for a in range(2, 6):
        smol_engine.chat(demo + [ChatMessage("user", f"What is {a} + 2?")], GenerationParams(max_tokens=8))
    c = smol_engine.counters()
    assert c.prompt_tokens_submitted > 4 * 300
    assert c.reuse_ratio > 10, c
