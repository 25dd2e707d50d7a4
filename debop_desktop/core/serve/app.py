"""The HTTP side of serving: a Starlette app whose chat completions are answered by the
shipped behavior (its demonstrations, rule, grammar and token limit applied to the user's
message), exactly as `debop ask` answers. One question at a time: the model is one."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from debop_desktop.core.llm.base import ChatBackend, Completion
from debop_desktop.core.optimizer.export import TunedBehavior

Extract = Callable[[str, str], str | None]  # (output, question) -> the task's answer


def question_of(body: dict[str, Any]) -> str | None:
    """The user's message: the last 'user' turn (its text parts joined). The behavior brings
    its own instruction and examples, so other turns are not sent."""
    for message in reversed(body.get("messages") or []):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):  # [{"type": "text", "text": …}, …]
                content = "\n".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
            return str(content or "")
    return None


def make_app(tuned: TunedBehavior, backend: ChatBackend, model_name: str, extract: Extract | None = None) -> Starlette:
    """The app: `GET /v1/models`, `POST /v1/chat/completions` (also with `stream: true`, as one chunk)."""
    lock = threading.Lock()

    def answer(question: str) -> Completion:
        with lock:
            return tuned.answer(backend, question)

    async def models(_request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [
            {"id": model_name, "object": "model", "created": int(time.time()), "owned_by": "debop-desktop"}]})

    async def chat(request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "The request body is not JSON.")
        question = question_of(body) if isinstance(body, dict) else None
        if question is None:
            return _error(400, "The request has no message with the role 'user'.")
        done = await run_in_threadpool(answer, question)
        reply = _reply(done, model_name, extract(done.text, question) if extract else None)
        if body.get("stream"):
            return StreamingResponse(_as_stream(reply), media_type="text/event-stream")
        return JSONResponse(reply)

    return Starlette(routes=[Route("/v1/models", models, methods=["GET"]),
                             Route("/v1/chat/completions", chat, methods=["POST"])])


def _reply(done: Completion, model: str, extracted: str | None) -> dict[str, Any]:
    finish = "length" if done.finish_reason == "length" else "stop"
    return {"id": f"chatcmpl-{uuid.uuid4().hex[:24]}", "object": "chat.completion", "created": int(time.time()),
            "model": model, "choices": [{"index": 0, "message": {"role": "assistant", "content": done.text},
                                         "finish_reason": finish, "logprobs": None}],
            "usage": {"prompt_tokens": done.prompt_tokens, "completion_tokens": done.completion_tokens,
                      "total_tokens": done.prompt_tokens + done.completion_tokens},
            "debop": {"answer": extracted}}


def _as_stream(reply: dict[str, Any]):
    base = {"id": reply["id"], "object": "chat.completion.chunk", "created": reply["created"], "model": reply["model"]}
    choice = reply["choices"][0]
    first = {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": choice["message"]["content"]},
                                  "finish_reason": None}]}
    last = {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": choice["finish_reason"]}]}
    for chunk in (first, last):
        yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": "invalid_request_error"}}, status_code=status)
