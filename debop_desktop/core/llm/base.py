"""The interface every backend implements, and the plain data it trades in.

A backend turns chat messages into a `Completion`. Callers pass a `CancelToken` to stop a
generation early (it raises `Cancelled`) and may pass `on_text` to stream.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Literal, Protocol, runtime_checkable

from debop_desktop.core.errors import ContextOverflow

Role = Literal["system", "user", "assistant"]
OnText = Callable[[str], None]


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class GenerationParams:
    """Sampling settings. temperature 0 means greedy (deterministic, cacheable)."""

    max_tokens: int = 256
    temperature: float = 0.0
    top_p: float = 0.95
    top_k: int = 40
    seed: int = 0
    stop: tuple[str, ...] = field(default_factory=tuple)
    # Structure constraints. `grammar` is a llama.cpp GBNF grammar (the llama.cpp backend);
    # `json_schema` is JSON Schema text (server backends send it as response_format and fall
    # back to free text where a server refuses it). Either may be None.
    grammar: str | None = None
    json_schema: str | None = None

    @property
    def greedy(self) -> bool:
        return self.temperature <= 0.0

    def cache_json(self) -> str:
        """Canonical JSON of everything that changes the output (the cache key part)."""
        d = asdict(self)
        d["stop"] = list(self.stop)
        for k in ("grammar", "json_schema"):  # keep keys of unconstrained calls unchanged
            if d[k] is None:
                d.pop(k)
        if self.greedy:  # these do not affect greedy decoding
            for k in ("top_p", "top_k", "seed", "temperature"):
                d.pop(k)
        return json.dumps(d, sort_keys=True)


@dataclass(frozen=True)
class Completion:
    """One generation's text and its cost.

    `prompt_tokens_processed` is how many prompt tokens the model actually evaluated; the
    rest were reused from the previous call's shared prefix (0 processed on a cache hit).
    """

    text: str
    finish_reason: str  # "stop" | "length"
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    prompt_tokens_processed: int
    cached: bool = False


@dataclass(frozen=True)
class ChatRequest:
    """One request of a batch (`chat_many`): its messages and its generation settings."""

    messages: tuple[ChatMessage, ...]
    params: GenerationParams


class CancelToken:
    """Thread-safe flag a caller sets to stop work; checked between tokens."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


@runtime_checkable
class ChatBackend(Protocol):
    """What the optimizer and the UI need from a model."""

    @property
    def fingerprint(self) -> str:
        """Identifies the model exactly (e.g. the GGUF's sha256); keys the completion cache."""
        ...

    def chat(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams,
        cancel: CancelToken | None = None,
        on_text: OnText | None = None,
    ) -> Completion:
        """Generate a reply. Raises `Cancelled` if `cancel` is set meanwhile."""
        ...

    def chat_many(self, requests: Sequence[ChatRequest], cancel: CancelToken | None = None) -> list[Completion | None]:
        """Replies to several requests, in order (None: the prompt does not fit the context).
        Backends that can, work on them together; the results are the same kind as `chat`'s."""
        ...

    def count_tokens(self, text: str) -> int:
        ...

    @property
    def context_length(self) -> int:
        ...


def messages_json(messages: Sequence[ChatMessage]) -> str:
    return json.dumps([m.as_dict() for m in messages], ensure_ascii=False)


def logprobs_one_by_one(backend: ChatBackend, items: Sequence[tuple[Sequence[ChatMessage], Sequence[str]]],
                        cancel: CancelToken | None = None) -> list[list[float] | None]:
    """`answer_logprobs_many` (several questions' answers scored) for a backend that scores one
    question per call (`answer_logprobs`): None where a prompt does not fit the context.
    Raises NotImplementedError when the backend cannot score answers."""
    score = getattr(backend, "answer_logprobs", None)
    if score is None:
        raise NotImplementedError(f"{type(backend).__name__} cannot score answers")
    out: list[list[float] | None] = []
    for messages, answers in items:
        try:
            out.append(list(score(messages, answers, cancel)))
        except ContextOverflow:
            out.append(None)
    return out
