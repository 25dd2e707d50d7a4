"""A GGUF without a chat template (a base model, issue 24) is prompted with the plain
'User:/Assistant:' transcript, word for word, and its answer ends at the transcript's next turn;
a model with a template gets its template instead."""

from debop_desktop.core.llm.base import ChatMessage, GenerationParams
from debop_desktop.core.llm.llama_engine import LlamaEngine

Q = [ChatMessage("system", "Answer with one word."), ChatMessage("user", "Is the sky blue?")]
TRANSCRIPT = "System: Answer with one word.\n\nUser: Is the sky blue?\n\nAssistant:"


def prompt_text(model) -> tuple[str, tuple[str, ...]]:
    engine = LlamaEngine(n_threads=1)
    engine.load(model, n_ctx=512)
    try:
        tokens, stops = engine.render_prompt(Q)
        llm = engine._require_llm()
        bos = llm.token_bos()
        text = llm.detokenize([t for t in tokens if t != bos], special=True).decode("utf-8")
        assert engine.chat(Q, GenerationParams(max_tokens=8)).completion_tokens <= 8
        return text, stops
    finally:
        engine.unload()


def test_a_model_without_a_chat_template_gets_the_plain_transcript(tiny_gguf_no_template):
    text, stops = prompt_text(tiny_gguf_no_template)
    assert text.strip() == TRANSCRIPT and stops == ("\nUser:", "\nSystem:")


def test_a_model_with_a_chat_template_gets_its_template(tiny_gguf):
    text, stops = prompt_text(tiny_gguf)
    assert "<|im_start|>user\nIs the sky blue?<|im_end|>" in text and "User:" not in text and stops == ()
