"""The inference worker: a child process that owns llama.cpp for the app or the CLI.

Whatever can crash or hang in native code (a llama.cpp assert, a CPU-feature bug, a hostile
chat template) happens here, where dying costs a restart instead of the window.

Protocol: JSON lines over the child's stdin/stdout. The parent writes one request per line,
`{"id": N, "op": "load" | "chat" | "chat_many" | "answer_logprobs" | "answer_logprobs_many" | "count_tokens" | "stats" |
"shutdown", ...}`, and
`{"op": "cancel", "id": N}` at any time. The worker answers with lines carrying the same id:
`{"event": "text"}` while streaming, `{"event": "rendered"}` once the chat template has been
applied, then exactly one `{"event": "result"}` or `{"event": "error"}`. Requests are served
one at a time, in order; a reader thread takes cancels while a generation runs. When the
parent goes away (stdin closes) the worker ends. See docs/method.md, "Inference worker".
"""

from __future__ import annotations

import json
import os
import queue
import signal
import sys
import threading
import traceback
from dataclasses import asdict
from typing import Any, TextIO

WORKER_FLAG = "--inference-worker"


def worker_command() -> list[str]:
    """How to start a worker: the bundled program with a flag, or this module."""
    if getattr(sys, "frozen", False):
        return [sys.executable, WORKER_FLAG]
    return [sys.executable, "-m", "debop_desktop.core.llm.worker"]


def maybe_run_worker(argv: list[str]) -> None:
    """Called first by every entry point: with the worker flag, become a worker and exit."""
    if argv[1:2] == [WORKER_FLAG]:
        sys.exit(serve())


class _Worker:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.out_lock = threading.Lock()
        self.engine: Any = None
        self.requests: queue.Queue[dict | None] = queue.Queue()
        self.current_id: int | None = None
        self.current_cancel: Any = None
        self.state_lock = threading.Lock()

    # -- plumbing -------------------------------------------------------------------------
    def send(self, message: dict) -> None:
        line = json.dumps(message, ensure_ascii=False)
        with self.out_lock:
            self.out.write(line + "\n")
            self.out.flush()

    def read_requests(self, stream: TextIO) -> None:
        for line in stream:
            try:
                request = json.loads(line)
            except ValueError:
                continue
            if request.get("op") == "cancel":
                with self.state_lock:
                    if self.current_id == request.get("id") and self.current_cancel is not None:
                        self.current_cancel.cancel()
                continue
            self.requests.put(request)
        with self.state_lock:  # the parent is gone: stop what runs and end
            if self.current_cancel is not None:
                self.current_cancel.cancel()
        self.requests.put(None)

    def serve_forever(self) -> None:
        from debop_desktop.core.llm.base import CancelToken

        while True:
            request = self.requests.get()
            if request is None or request.get("op") == "shutdown":
                if request is not None:
                    self.send({"id": request.get("id"), "event": "result", "value": None})
                return
            rid = request.get("id")
            with self.state_lock:
                self.current_id, self.current_cancel = rid, CancelToken()
            try:
                value = self.handle(request, self.current_cancel)
                self.send({"id": rid, "event": "result", "value": value})
            except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
                self.send({"id": rid, "event": "error", **_error_payload(exc)})
            finally:
                with self.state_lock:
                    self.current_id = self.current_cancel = None

    # -- operations -----------------------------------------------------------------------
    def handle(self, request: dict, cancel: Any) -> Any:
        op = request["op"]
        if op == "load":
            return self.load(request)
        if op == "chat":
            return self.chat(request, cancel)
        if op == "chat_many":
            return self.chat_many(request, cancel)
        if op == "answer_logprobs":
            return self.require().answer_logprobs(_messages(request["messages"]), request["answers"], cancel)
        if op == "answer_logprobs_many":
            items = [(_messages(i["messages"]), i["answers"]) for i in request["items"]]
            return self.require().answer_logprobs_many(items, cancel)
        if op == "count_tokens":
            return self.require().count_tokens(request["text"])
        if op == "stats":
            return {"pid": os.getpid(), "rss_bytes": _rss_bytes()}
        if op == "crash_for_test":  # lets tests crash a worker the way llama.cpp would
            os.abort()
        raise ValueError(f"unknown operation {op!r}")

    def load(self, request: dict) -> dict:
        from debop_desktop.core.llm.llama_engine import LlamaEngine

        if self.engine is not None:
            self.engine.unload()
        self.engine = LlamaEngine(n_threads=request.get("n_threads"), extra_bufts=request.get("extra_bufts"))
        loaded = self.engine.load(request["path"], n_ctx=request.get("n_ctx"),
                                  n_gpu_layers=int(request.get("n_gpu_layers") or 0),
                                  fingerprint=request.get("fingerprint"), seed=int(request.get("seed") or 0),
                                  n_parallel=int(request.get("n_parallel") or 1))
        return asdict(loaded)

    def chat(self, request: dict, cancel: Any) -> dict:
        engine = self.require()
        rid = request["id"]
        messages, params = _messages(request["messages"]), _params(request["params"])

        def rendered() -> None:
            self.send({"id": rid, "event": "rendered"})

        def on_text(text: str) -> None:
            self.send({"id": rid, "event": "text", "text": text})

        completion = engine.chat(messages, params, cancel, on_text if request.get("stream") else None,
                                 on_rendered=rendered)
        return asdict(completion)

    def chat_many(self, request: dict, cancel: Any) -> list[dict | None]:
        from debop_desktop.core.llm.base import ChatRequest

        requests = [ChatRequest(tuple(_messages(r["messages"])), _params(r["params"])) for r in request["requests"]]
        return [None if c is None else asdict(c) for c in self.require().chat_many(requests, cancel)]

    def require(self) -> Any:
        if self.engine is None or self.engine.loaded is None:
            from debop_desktop.core import messages as msg
            from debop_desktop.core.errors import NoModelLoaded

            raise NoModelLoaded(msg.MODEL_NOT_LOADED)
        return self.engine


def _messages(raw: list[dict]) -> list[Any]:
    from debop_desktop.core.llm.base import ChatMessage

    return [ChatMessage(m["role"], m["content"]) for m in raw]


def _params(raw: dict) -> Any:
    from debop_desktop.core.llm.base import GenerationParams

    return GenerationParams(**{**raw, "stop": tuple(raw.get("stop") or ())})


def _error_payload(exc: BaseException) -> dict:
    from debop_desktop.core.errors import Cancelled, DebopError

    if isinstance(exc, Cancelled):
        return {"type": "Cancelled", "completion_tokens": exc.completion_tokens}
    if isinstance(exc, DebopError):
        return {"type": type(exc).__name__, "plain": True, "message": exc.message, "details": exc.details}
    return {"type": "Exception", "message": f"{type(exc).__name__}: {exc}", "details": traceback.format_exc()}


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        try:
            import resource

            return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024
        except Exception:  # noqa: BLE001 - a statistic, never worth failing for
            return 0


def serve() -> int:
    """Run the worker on this process's stdin/stdout until the parent closes stdin."""
    # A terminal's Ctrl-C, and its hangup when it is closed, reach the whole process group; the
    # parent decides what stops (it ends the run, resumable, then closes this worker's stdin).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    # The protocol gets its own copy of stdout; anything native code prints goes to stderr.
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", buffering=1)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    requests = open(sys.stdin.fileno(), encoding="utf-8", closefd=False)  # noqa: SIM115
    worker = _Worker(protocol)
    threading.Thread(target=worker.read_requests, args=(requests,), daemon=True).start()
    worker.send({"id": 0, "event": "ready", "pid": os.getpid()})
    try:
        worker.serve_forever()
    finally:
        if worker.engine is not None:
            worker.engine.unload()
    return 0


if __name__ == "__main__":
    sys.exit(serve())
