"""A scripted backend for unit tests of logic built on top of a model.

Not a model: it returns what the test scripted, so search logic can be tested exactly and
fast. Real model behaviour is tested with real GGUF files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from debop_desktop.core.errors import Cancelled, ContextOverflow
from debop_desktop.core.llm.base import (
    CancelToken,
    ChatMessage,
    ChatRequest,
    Completion,
    GenerationParams,
    OnText,
)

Script = Callable[[Sequence[ChatMessage], GenerationParams], str]
# (messages, answers) -> each answer's summed log-probability as the start of the reply
LogprobScript = Callable[[Sequence[ChatMessage], Sequence[str]], Sequence[float]]


class ScriptedBackend:
    """Answers from a list (in order, then the last one repeats) or from a function.
    `logprobs` scripts `answer_logprobs`; without it the backend cannot score answers and
    raises NotImplementedError, like a server backend."""

    def __init__(
        self,
        script: Sequence[str] | Script,
        *,
        fingerprint: str = "fake:scripted",
        context_length: int = 4096,
        seconds_per_token: float = 0.0,
        logprobs: LogprobScript | None = None,
    ) -> None:
        self._script = script
        self._fingerprint = fingerprint
        self._context_length = context_length
        self.seconds_per_token = seconds_per_token
        self.calls: list[tuple[tuple[ChatMessage, ...], GenerationParams]] = []
        self._logprobs = logprobs
        self.logprob_calls: list[tuple[tuple[ChatMessage, ...], tuple[str, ...]]] = []

    @property
    def fingerprint(self) -> str:
        return self._fingerprint

    @property
    def context_length(self) -> int:
        return self._context_length

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def chat(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams,
        cancel: CancelToken | None = None,
        on_text: OnText | None = None,
    ) -> Completion:
        if cancel and cancel.cancelled:
            raise Cancelled()
        index = len(self.calls)
        self.calls.append((tuple(messages), params))
        if callable(self._script):
            text = self._script(messages, params)
        else:
            text = self._script[min(index, len(self._script) - 1)] if self._script else ""
        words = text.split(" ")[: params.max_tokens]
        finish = "length" if len(text.split(" ")) > params.max_tokens else "stop"
        text = " ".join(words)
        if on_text:
            on_text(text)
        prompt_tokens = sum(self.count_tokens(m.content) for m in messages)
        return Completion(text, finish, prompt_tokens, len(words),
                          self.seconds_per_token * len(words), prompt_tokens)

    def chat_many(self, requests: Sequence[ChatRequest], cancel: CancelToken | None = None) -> list[Completion | None]:
        """One after another, in order (the script sees them as separate calls); None for a
        request the script refuses as too long."""
        out: list[Completion | None] = []
        for r in requests:
            try:
                out.append(self.chat(r.messages, r.params, cancel))
            except ContextOverflow:
                out.append(None)
        return out

    def answer_logprobs(
        self,
        messages: Sequence[ChatMessage],
        answers: Sequence[str],
        cancel: CancelToken | None = None,
    ) -> list[float]:
        if self._logprobs is None:
            raise NotImplementedError("this scripted backend has no answer probabilities")
        if cancel and cancel.cancelled:
            raise Cancelled()
        self.logprob_calls.append((tuple(messages), tuple(answers)))
        values = [float(v) for v in self._logprobs(messages, answers)]
        if len(values) != len(answers):
            raise ValueError(f"scripted {len(values)} log-probabilities for {len(answers)} answers")
        return values
