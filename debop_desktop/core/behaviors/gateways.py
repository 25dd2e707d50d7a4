"""How behaviors reach the model: through a run, or straight to a backend.

Both run a behavior's identical code; only what happens around each request differs (a run
counts calls, times them, pauses for a server and restarts a crashed worker)."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any

from debop_desktop.core.behaviors.base import Behavior, Reply
from debop_desktop.core.errors import ContextOverflow
from debop_desktop.core.llm.base import CancelToken, ChatBackend, ChatMessage, ChatRequest, Completion, GenerationParams

if TYPE_CHECKING:
    from debop_desktop.core.optimizer.evaluate import RunContext

Work = Callable[[ChatBackend, CancelToken | None], Any]


class BackendGateway:
    """Straight to a backend (`debop ask`, the Playground, answering a file). One question
    with `on_text` streams its reply; a prompt too long for the context gives None."""

    def __init__(self, backend: ChatBackend, cancel: CancelToken | None = None,
                 on_text: Callable[[str], None] | None = None) -> None:
        self.backend, self.cancel, self.on_text = backend, cancel, on_text

    def chat_many(self, prompts: Sequence[Sequence[ChatMessage]], params: GenerationParams, *,
                  follow_up: bool = False) -> Generator[Any, None, list[Completion | None]]:
        if len(prompts) == 1 and self.on_text is not None:
            if follow_up:
                self.on_text("\n\n")
            try:
                return [self.backend.chat(list(prompts[0]), params, self.cancel, on_text=self.on_text)]
            except ContextOverflow:
                return [None]
        requests = [ChatRequest(tuple(m), params) for m in prompts]
        return list(self.backend.chat_many(requests, self.cancel))
        yield

    def pick(self, work: Work, *, calls: int = 1) -> Generator[Any, None, Any]:
        try:
            return work(self.backend, self.cancel)
        except ContextOverflow:
            return None
        yield


class RunGateway:
    """Through a run's context: its retry path, call counting and time-left clock. `kind`
    names the calls for the time left."""

    def __init__(self, ctx: RunContext, kind: str) -> None:
        self.ctx, self.kind = ctx, kind

    def chat_many(self, prompts: Sequence[Sequence[ChatMessage]], params: GenerationParams, *,
                  follow_up: bool = False) -> Generator[Any, None, list[Completion | None]]:
        return (yield from self.ctx.call_many(prompts, params, self.kind, follow_up=follow_up))

    def pick(self, work: Work, *, calls: int = 1) -> Generator[Any, None, Any]:
        """`work` counted and timed as `calls` calls (the questions it scores together)."""
        return (yield from self.ctx.measured(self.kind, lambda: work(self.ctx.backend, self.ctx.cancel), calls=calls))


def answer(behavior: Behavior, backend: ChatBackend, question: str, *, cancel: CancelToken | None = None,
           on_text: Callable[[str], None] | None = None) -> Reply:
    """`behavior`'s answer to one question, exactly as a run scores it; an answer that was not
    streamed (a rule's) is passed to `on_text` whole, and one that goes on after what was
    streamed (the tuned pick's answer after its steps) its rest. Raises `Cancelled` on cancel."""
    streamed: list[str] = []

    def shown(text: str) -> None:
        streamed.append(text)
        on_text(text)  # type: ignore[misc]  # only passed on when there is one

    replies = drive(behavior.answer_many(BackendGateway(backend, cancel, shown if on_text else None), [question]))
    reply = replies[0]
    if on_text is not None and reply.completion is not None:
        seen, text = "".join(streamed), reply.completion.text
        if not streamed:
            on_text(text)
        elif len(text) > len(seen) and text.startswith(seen):
            on_text(text[len(seen):])
    return reply


def drive(gen: Generator[Any, None, Any]) -> Any:
    """Run a generator that yields nothing a caller must see, and return its value."""
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value
