"""Turn chat messages into the exact prompt text a model expects.

The GGUF's own `tokenizer.chat_template` (Jinja, rendered the way llama-cpp-python and
Transformers render it) is used when present. Some templates reject a system message
(they raise); then the system text is folded into the first user turn. A model with no
template gets a plain "User:/Assistant:" transcript, which base models continue well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from debop_desktop.core.llm.base import ChatMessage

FALLBACK_STOPS = ("\nUser:", "\nSystem:")


@dataclass(frozen=True)
class RenderedPrompt:
    text: str
    stop: tuple[str, ...]
    from_template: bool  # False: the plain fallback transcript was used
    adds_bos_itself: bool  # the template wrote the BOS token into the text


def render_chat(
    messages: Sequence[ChatMessage],
    template: str | None,
    bos_token: str,
    eos_token: str,
) -> RenderedPrompt:
    if template:
        for attempt in (list(messages), _fold_system(messages)):
            text = _render_jinja(template, attempt, bos_token, eos_token)
            if text is not None:
                return RenderedPrompt(text, (), True, True)
    return RenderedPrompt(_plain_transcript(messages), FALLBACK_STOPS, False, False)


def _render_jinja(
    template: str, messages: Sequence[ChatMessage], bos: str, eos: str
) -> str | None:
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    try:
        formatter = Jinja2ChatFormatter(template, eos_token=eos, bos_token=bos)
        return formatter(messages=[m.as_dict() for m in messages]).prompt
    except Exception:  # a template may raise on roles it does not support
        return None


def _fold_system(messages: Sequence[ChatMessage]) -> list[ChatMessage]:
    system = "\n\n".join(m.content for m in messages if m.role == "system")
    rest = [m for m in messages if m.role != "system"]
    if system and rest and rest[0].role == "user":
        rest[0] = ChatMessage("user", f"{system}\n\n{rest[0].content}")
    return rest


def _plain_transcript(messages: Sequence[ChatMessage]) -> str:
    names = {"system": "System", "user": "User", "assistant": "Assistant"}
    lines = [f"{names[m.role]}: {m.content}" for m in messages]
    return "\n\n".join(lines) + "\n\nAssistant:"
