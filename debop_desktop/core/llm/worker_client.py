"""`WorkerEngine`: a `ChatBackend` whose model lives in an inference worker process.

Same interface as the in-process `LlamaEngine` (load, chat with streaming, count tokens,
cancel, unload, counters), so the optimizer, the cache and the pages do not change. What
it adds is survival: when the worker dies, the caller gets `EngineCrashed` naming the model,
and the next request starts a new worker with the same model. `restart_safe()` starts one
with safe settings (no extra buffer types, no GPU offload). A generation that ignores a
cancel for `CANCEL_GRACE_S`, or a chat template that hangs, is ended by stopping the worker.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from debop_desktop.core import errors
from debop_desktop.core import messages as msg
from debop_desktop.core.cpu import extra_bufts_default
from debop_desktop.core.errors import Cancelled, DebopError, EngineCrashed, ModelLoadError, NoModelLoaded
from debop_desktop.core.gguf_info import check_gguf_file
from debop_desktop.core.llm.base import (
    CancelToken,
    ChatMessage,
    ChatRequest,
    Completion,
    GenerationParams,
    OnText,
)
from debop_desktop.core.llm.llama_engine import (
    EngineCounters,
    EngineState,
    LoadedModel,
    default_threads,
    path_fingerprint,
)
from debop_desktop.core.llm.templates import TEMPLATE_SECONDS
from debop_desktop.core.llm.worker import worker_command

CANCEL_GRACE_S = 1.0  # a generation still running this long after a cancel is ended by force
RENDER_GRACE_S = TEMPLATE_SECONDS + 5.0  # the worker stops its own render at TEMPLATE_SECONDS
START_TIMEOUT_S = 60.0


@dataclass
class _Died:
    returncode: int | None


class _WorkerProcess:
    """One running worker: its pipes, a reader thread, and the last lines of its stderr."""

    def __init__(self) -> None:
        kwargs: dict[str, Any] = {}
        if sys.platform == "win32":
            kwargs["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
        self.proc = subprocess.Popen(  # noqa: S603 - our own program, no shell
            worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8", errors="replace", bufsize=1, env=env, **kwargs)
        self.inbox: queue.Queue[dict | _Died] = queue.Queue()
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=40)
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                self.inbox.put(json.loads(line))
            except ValueError:
                self.stderr_tail.append(line.rstrip())
        self.inbox.put(_Died(self.proc.wait()))

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr_tail.append(line.rstrip())

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, message: dict) -> bool:
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps(message, ensure_ascii=False) + "\n")
            self.proc.stdin.flush()
            return True
        except (OSError, ValueError):  # the worker is gone; its reader reports how
            return False

    def kill(self) -> None:
        if self.alive():
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the worker to end (it frees the model), then make sure it has."""
        if self.alive():
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()


class WorkerEngine(EngineState):
    """A `ChatBackend` over a worker process. Thread-safe: requests are served one at a
    time (llama.cpp runs one generation per model), and a cancel from any thread works."""

    def __init__(self, n_threads: int | None = None, extra_bufts: bool | None = None) -> None:
        self.n_threads = n_threads or default_threads()
        self.extra_bufts = extra_bufts_default() if extra_bufts is None else extra_bufts
        self._lock = threading.RLock()
        self._worker: _WorkerProcess | None = None
        self._load_args: dict | None = None
        self._loaded: LoadedModel | None = None
        self._fingerprint = ""
        self._counters = EngineCounters()
        self._ids = itertools.count(1)

    # -- lifecycle --------------------------------------------------------------------
    def load(self, path: str | os.PathLike[str], *, n_ctx: int | None = None, n_gpu_layers: int = 0,
             fingerprint: str | None = None, seed: int = 0, n_parallel: int = 1) -> LoadedModel:
        """Start a worker and load the GGUF there (ending any previous worker). A load that
        crashes the worker is tried once more with safe settings before it is reported."""
        model_path = check_gguf_file(path)  # plain messages for missing or non-GGUF files
        with self._lock:
            self.unload()
            self._load_args = {"path": str(model_path), "n_ctx": n_ctx, "n_gpu_layers": n_gpu_layers,
                               "fingerprint": fingerprint, "seed": seed, "n_parallel": max(1, int(n_parallel))}
            safe_already = not self.extra_bufts and not n_gpu_layers
            try:
                try:
                    return self._start_and_load()
                except EngineCrashed:
                    if safe_already:
                        raise
                return self.restart_safe()
            except EngineCrashed as crash:
                self._load_args = None
                raise ModelLoadError(msg.MODEL_LOAD_CRASHED.format(name=model_path.stem, why=crash.reason),
                                     crash.details) from crash

    def _start_and_load(self) -> LoadedModel:
        assert self._load_args is not None
        self._worker = _WorkerProcess()
        ready = self._next_message(self._worker, time.monotonic() + START_TIMEOUT_S)
        if isinstance(ready, _Died) or ready is None:
            raise self._crashed(ready if isinstance(ready, _Died) else _Died(None))
        request = dict(self._load_args, op="load", n_threads=self.n_threads, extra_bufts=self.extra_bufts)
        value = self._request(request)
        self._loaded = LoadedModel(**value)
        self._fingerprint = self._load_args.get("fingerprint") or path_fingerprint(Path(self._load_args["path"]))
        return self._loaded

    def restart_safe(self) -> LoadedModel:
        """Start a new worker with safe settings (no extra buffer types, processor only) and
        load the same model. Used after a crash; later requests keep these settings."""
        with self._lock:
            if self._load_args is None:
                raise NoModelLoaded(msg.MODEL_NOT_LOADED)
            self._end_worker()
            self.extra_bufts = False
            self._load_args = dict(self._load_args, n_gpu_layers=0)
            loaded = self._start_and_load()
            note = msg.ENGINE_SAFE_SETTINGS
            self._loaded = LoadedModel(**{**asdict(loaded), "note": note})
            return self._loaded

    def unload(self) -> None:
        """End the worker; its memory goes back to the system."""
        with self._lock:
            self._end_worker()
            self._load_args = None
            self._loaded = None

    def _end_worker(self) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    @property
    def pid(self) -> int | None:
        return self._worker.pid if self._worker is not None and self._worker.alive() else None

    def stats(self) -> dict:
        """The worker's process id and resident memory (bytes)."""
        return self._request({"op": "stats"})

    # -- ChatBackend ------------------------------------------------------------------
    def count_tokens(self, text: str) -> int:
        return int(self._request({"op": "count_tokens", "text": text}))

    def chat(self, messages: Sequence[ChatMessage], params: GenerationParams, cancel: CancelToken | None = None,
             on_text: OnText | None = None) -> Completion:
        if cancel and cancel.cancelled:
            raise Cancelled()
        request = {"op": "chat", "messages": [m.as_dict() for m in messages], "stream": on_text is not None,
                   "params": {**asdict(params), "stop": list(params.stop)}}
        value = self._request(request, cancel=cancel, on_text=on_text, render_deadline=RENDER_GRACE_S)
        completion = Completion(**value)
        self._counters = self._counters.plus(completion)
        return completion

    def chat_many(self, requests: Sequence[ChatRequest], cancel: CancelToken | None = None) -> list[Completion | None]:
        """Several requests in one worker call, decoded together when the model was loaded
        with `n_parallel` > 1 (see batched.py); None where a prompt does not fit."""
        if cancel and cancel.cancelled:
            raise Cancelled()
        if not requests:
            return []
        body = [{"messages": [m.as_dict() for m in r.messages],
                 "params": {**asdict(r.params), "stop": list(r.params.stop)}} for r in requests]
        values = self._request({"op": "chat_many", "requests": body}, cancel=cancel)
        out = [None if v is None else Completion(**v) for v in values]
        for c in out:
            if c is not None:
                self._counters = self._counters.plus(c)
        return out

    def answer_logprobs(self, messages: Sequence[ChatMessage], answers: Sequence[str],
                        cancel: CancelToken | None = None) -> list[float]:
        """For each answer, the summed log-probability of its tokens as the reply's start."""
        request = {"op": "answer_logprobs", "messages": [m.as_dict() for m in messages], "answers": list(answers)}
        return [float(x) for x in self._request(request, cancel=cancel)]

    def answer_logprobs_many(self, items: Sequence[tuple[Sequence[ChatMessage], Sequence[str]]],
                             cancel: CancelToken | None = None) -> list[list[float] | None]:
        """`answer_logprobs` of each (messages, answers) in one worker call, scored together
        when the model was loaded with `n_parallel` > 1; None where a prompt does not fit."""
        body = [{"messages": [m.as_dict() for m in messages], "answers": list(answers)} for messages, answers in items]
        values = self._request({"op": "answer_logprobs_many", "items": body}, cancel=cancel) if body else []
        return [None if v is None else [float(x) for x in v] for v in values]

    # -- requests ---------------------------------------------------------------------
    def _request(self, request: dict, *, cancel: CancelToken | None = None, on_text: OnText | None = None,
                 render_deadline: float | None = None) -> Any:
        with self._lock:
            worker = self._ensure_worker()
            rid = next(self._ids)
            sent_at = time.monotonic()
            worker.send(dict(request, id=rid))
            cancel_sent: float | None = None
            rendered = render_deadline is None
            while True:
                message = self._next_message(worker, time.monotonic() + 0.05)
                now = time.monotonic()
                if message is None:
                    if cancel is not None and cancel.cancelled and cancel_sent is None:
                        worker.send({"op": "cancel", "id": rid})
                        cancel_sent = now
                    if cancel_sent is not None and now - cancel_sent > CANCEL_GRACE_S:
                        self._end_by_force()
                        raise Cancelled()
                    if not rendered and render_deadline is not None and now - sent_at > render_deadline:
                        self._end_by_force()
                        raise DebopError(msg.CHAT_TEMPLATE_TOO_SLOW.format(seconds=TEMPLATE_SECONDS),
                                         "the worker did not finish the chat template in time")
                    continue
                if isinstance(message, _Died):
                    raise self._crashed(message)
                if message.get("id") != rid:
                    continue
                event = message.get("event")
                if event == "text" and on_text is not None:
                    on_text(message["text"])
                elif event == "rendered":
                    rendered = True
                elif event == "result":
                    return message.get("value")
                elif event == "error":
                    raise _rebuild_error(message)

    def _next_message(self, worker: _WorkerProcess, deadline: float) -> dict | _Died | None:
        try:
            return worker.inbox.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return None

    def _ensure_worker(self) -> _WorkerProcess:
        """The running worker. One that died since the last request is reported once (as
        `EngineCrashed`); the request after that starts a new worker with the same model."""
        if self._worker is not None and self._worker.alive():
            return self._worker
        if self._worker is not None:
            raise self._crashed(_Died(self._worker.proc.poll()))
        if self._load_args is None:
            raise NoModelLoaded(msg.MODEL_NOT_LOADED)
        self._start_and_load()
        assert self._worker is not None
        return self._worker

    def _end_by_force(self) -> None:
        """Stop a worker that does not answer; the model loads again on the next request."""
        if self._worker is not None:
            self._worker.kill()
            self._worker = None

    def _crashed(self, died: _Died) -> EngineCrashed:
        tail = list(self._worker.stderr_tail) if self._worker is not None else []
        if self._worker is not None:
            self._worker.kill()
            self._worker = None
        name = self._loaded.name if self._loaded else (
            os.path.basename(self._load_args["path"]) if self._load_args else "the model")
        why = describe_exit(died.returncode)
        return EngineCrashed(msg.ENGINE_CRASHED.format(model=name, why=why), "\n".join([why, *tail]),
                             model=name, reason=why)

    def close(self) -> None:
        self.unload()


def describe_exit(returncode: int | None) -> str:
    """A plain description of how a worker ended."""
    if returncode is None:
        return "it stopped answering"
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return {"SIGSEGV": "a crash inside llama.cpp (SIGSEGV)",
                "SIGABRT": "llama.cpp stopped on an internal check (SIGABRT)",
                "SIGKILL": "it was killed, perhaps because memory ran out (SIGKILL)",
                "SIGBUS": "a crash reading the model file (SIGBUS)"}.get(name, f"it ended with {name}")
    return f"it exited with code {returncode}"


def _rebuild_error(message: dict) -> BaseException:
    kind = message.get("type", "Exception")
    if kind == "Cancelled":
        return Cancelled(int(message.get("completion_tokens") or 0))
    cls = getattr(errors, kind, None)
    text, details = message.get("message", ""), message.get("details", "")
    if isinstance(cls, type) and issubclass(cls, DebopError) and cls is not EngineCrashed:
        try:
            return cls(text, details)
        except TypeError:
            pass
    if message.get("plain"):  # any other expected failure keeps its plain message
        return DebopError(text, details)
    return RuntimeError(f"{text}\n{details}")

