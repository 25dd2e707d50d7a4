"""Turn chat messages into the exact prompt text a model expects.

The GGUF's own `tokenizer.chat_template` (Jinja, rendered the way llama-cpp-python and
Transformers render it) is used when present. Some templates reject a system message
(they raise); then the system text is folded into the first user turn. A model with no
template gets a plain "User:/Assistant:" transcript, which base models continue well.
Messages that end with an assistant turn are a reply already begun (the tuned pick scores
its answer after the steps the model wrote): the turns before it are rendered as usual and
the reply's start follows, left open.
"""

from __future__ import annotations

import contextlib
import json
import signal
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from debop_desktop.core import messages as msg
from debop_desktop.core.errors import DebopError
from debop_desktop.core.llm.base import ChatMessage

FALLBACK_STOPS = ("\nUser:", "\nSystem:")
TEMPLATE_SECONDS = 5.0  # rendering a real chat template takes milliseconds
TEMPLATE_MAX_CHARS = 4_000_000  # far beyond any context a model has


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
    if messages and messages[-1].role == "assistant":  # a reply already begun: the model goes on from it
        head = render_chat(messages[:-1], template, bos_token, eos_token)
        joint = "" if head.from_template else " "  # the plain transcript ends "Assistant:"
        return replace(head, text=f"{head.text}{joint}{messages[-1].content}")
    if template:
        for attempt in (list(messages), _fold_system(messages)):
            text = _render_jinja(template, attempt, bos_token, eos_token)
            if text is not None:
                return RenderedPrompt(text, (), True, True)
    return RenderedPrompt(_plain_transcript(messages), FALLBACK_STOPS, False, False)


def _render_jinja(
    template: str, messages: Sequence[ChatMessage], bos: str, eos: str
) -> str | None:
    try:
        compiled = _compile(template)
    except TemplateLimitExceeded:
        raise
    except Exception:  # a template that does not compile is treated like one that has none
        return None
    with _time_limit(TEMPLATE_SECONDS):
        try:
            pieces, size = [], 0
            for piece in compiled.generate(  # piece by piece, so the size is checked as it grows
                messages=[m.as_dict() for m in messages], eos_token=eos, bos_token=bos,
                raise_exception=_raise_exception, add_generation_prompt=True, functions=None,
                function_call=None, tools=None, tool_choice=None, strftime_now=_strftime_now,
            ):
                size += len(piece)
                if size > TEMPLATE_MAX_CHARS:
                    raise TemplateLimitExceeded(f"a prompt of more than {TEMPLATE_MAX_CHARS:,} characters")
                pieces.append(piece)
        except TemplateLimitExceeded:
            raise
        except Exception:  # a template may raise on roles it does not support
            return None
    return "".join(pieces)


class TemplateLimitExceeded(DebopError):
    """A chat template ran too long or produced too much: the file is damaged or hostile."""

    def __init__(self, details: str) -> None:
        super().__init__(msg.CHAT_TEMPLATE_TOO_SLOW.format(seconds=TEMPLATE_SECONDS), details)


def _raise_exception(message: str) -> None:
    raise ValueError(message)


def _strftime_now(fmt: str) -> str:
    return datetime.now().strftime(fmt)


def _tojson(x: Any, ensure_ascii: bool = False, indent: int | None = None,
            separators: tuple[str, str] | None = None, sort_keys: bool = False) -> str:
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def _limited_environment() -> Any:
    """Jinja's immutable sandbox (as Transformers and llama-cpp-python render chat templates),
    with string and list repetition capped, so `{{ 'x' * 10**9 }}` fails at once."""
    import jinja2.ext
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class LimitedSandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "+"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*" and isinstance(right, int) and isinstance(left, (str, list, tuple)):
                _check_size(len(left) * right)
            elif operator == "*" and isinstance(left, int) and isinstance(right, (str, list, tuple)):
                _check_size(len(right) * left)
            elif operator == "**" and isinstance(right, int) and abs(right) > 4096:
                raise TemplateLimitExceeded(f"power of {right}")
            result = super().call_binop(context, operator, left, right)
            if isinstance(result, (str, list, tuple)):
                _check_size(len(result))
            return result

    class IgnoreGenerationTags(jinja2.ext.Extension):  # Transformers' {% generation %} tag
        tags = {"generation"}

        def parse(self, parser: Any) -> Any:
            parser.stream.skip(1)
            return parser.parse_statements(("name:endgeneration",), drop_needle=True)

    env = LimitedSandbox(loader=jinja2.BaseLoader(), trim_blocks=True, lstrip_blocks=True,
                         extensions=[IgnoreGenerationTags, jinja2.ext.loopcontrols])
    env.filters["tojson"] = _tojson
    return env


def _check_size(n: int) -> None:
    if n > TEMPLATE_MAX_CHARS:
        raise TemplateLimitExceeded(f"a value of {n:,} items")


@lru_cache(maxsize=8)
def _compile(template: str) -> Any:
    return _limited_environment().from_string(template)


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop a render that runs longer than `seconds` (POSIX main thread: a timer signal).
    Elsewhere the inference worker's parent enforces the limit by ending the worker."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(_signum: int, _frame: Any) -> None:
        raise TemplateLimitExceeded(f"longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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
