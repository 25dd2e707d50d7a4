"""A backend that talks to an OpenAI-compatible chat server the person runs themselves
(llama.cpp's server, vLLM, Ollama, LM Studio).

Privacy: requests go only to the base URL the person typed (no redirects are followed, no
other host is contacted), and nothing here runs unless a server model was added. Standard
library HTTP only.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import json
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from debop_desktop.core.errors import Cancelled, ContextOverflow, ServerError, ServerUnavailable
from debop_desktop.core.llm.base import CancelToken, ChatMessage, ChatRequest, Completion, GenerationParams, OnText

DEFAULT_CONCURRENCY = 4


def address_kind(base_url: str) -> str:
    """'this computer', 'private network' or 'elsewhere', from the address as typed (no DNS
    lookup: resolving a name would itself send something over the network)."""
    host = (urlsplit(base_url).hostname or "").lower()
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return "this computer"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return "private network" if host.endswith((".local", ".lan", ".home.arpa", ".internal")) else "elsewhere"
    if ip.is_loopback:
        return "this computer"
    if ip.is_private or ip.is_link_local:
        return "private network"
    return "elsewhere"


def privacy_warning(base_url: str) -> str | None:
    kind = address_kind(base_url)
    if kind == "elsewhere":
        return (f"{base_url} is not on this computer or a private network as far as the address shows. "
                "Your questions and examples will be sent there. Use it only if you trust that machine.")
    return None


@dataclass(frozen=True)
class ServerConfig:
    base_url: str  # e.g. http://127.0.0.1:8080 or http://127.0.0.1:8080/v1
    model: str
    api_key: str | None = None
    timeout: float = 120.0  # seconds for one request
    retries: int = 3  # on connection errors and 5xx
    backoff: float = 0.5  # first wait; doubles each retry
    max_concurrency: int = DEFAULT_CONCURRENCY
    context_length: int = 4096


class ServerBackend:
    """A `ChatBackend` over HTTP. Thread-safe: each request opens its own connection."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        parts = urlsplit(config.base_url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ServerError(f"'{config.base_url}' is not a server address; it should look like "
                              "http://127.0.0.1:8080")
        self._scheme, self._host, self._port = parts.scheme, parts.hostname, parts.port
        path = parts.path.rstrip("/")
        self._prefix = path if path.endswith("/v1") else f"{path}/v1"
        self._schema_refused = False  # the server rejected response_format once: stop sending it

    # -- ChatBackend ------------------------------------------------------------------
    @property
    def fingerprint(self) -> str:
        return f"server:{self.config.base_url.rstrip('/')}#{self.config.model}"

    @property
    def context_length(self) -> int:
        return self.config.context_length

    @property
    def max_concurrency(self) -> int:
        return max(1, self.config.max_concurrency)

    @property
    def parallel(self) -> int:
        """How many requests `chat_many` keeps in flight (the server batches them when it was
        started for it: llama.cpp's `--parallel N`, vLLM by default; docs/method.md)."""
        return self.max_concurrency

    def chat_many(self, requests: Sequence[ChatRequest], cancel: CancelToken | None = None) -> list[Completion | None]:
        """Up to `parallel` requests at once, each on its own connection; results in order."""
        def one(r: ChatRequest) -> Completion | None:
            try:
                return self.chat(r.messages, r.params, cancel)
            except ContextOverflow:
                return None

        if len(requests) <= 1 or self.parallel <= 1:
            return [one(r) for r in requests]
        with ThreadPoolExecutor(min(self.parallel, len(requests)), thread_name_prefix="debop-server") as pool:
            return list(pool.map(one, requests))

    def count_tokens(self, text: str) -> int:
        return max(1, len(text) // 4)  # the OpenAI API has no tokenizer endpoint; an estimate

    def chat(self, messages: Sequence[ChatMessage], params: GenerationParams,
             cancel: CancelToken | None = None, on_text: OnText | None = None) -> Completion:
        body = {"model": self.config.model, "messages": [m.as_dict() for m in messages],
                "max_tokens": params.max_tokens, "temperature": params.temperature, "top_p": params.top_p,
                "seed": params.seed, "stream": False}
        if params.stop:
            body["stop"] = list(params.stop)
        if params.json_schema and not self._schema_refused:
            body["response_format"] = {"type": "json_schema",
                                       "json_schema": {"name": "answer", "schema": json.loads(params.json_schema)}}
        started = time.perf_counter()
        try:
            data = self._request("POST", "/chat/completions", body, cancel)
        except (ServerError, ServerUnavailable):
            if "response_format" not in body:
                raise
            # llama.cpp's server, vLLM and Ollama accept a JSON schema; some servers refuse it
            # (llama-cpp-python's answers HTTP 500). If the same request without it works, that
            # server gets free text from now on (the answer is still scored the same way).
            body.pop("response_format")
            data = self._request("POST", "/chat/completions", body, cancel)
            self._schema_refused = True
        try:
            choice = data["choices"][0]
            text = choice["message"].get("content") or ""
            usage = data.get("usage") or {}
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            raise ServerError("The server's answer was not in the expected chat format.", repr(data)[:500]) from exc
        if on_text and text:
            on_text(text)
        prompt_tokens = int(usage.get("prompt_tokens") or 0)
        return Completion(text, choice.get("finish_reason") or "stop", prompt_tokens,
                          int(usage.get("completion_tokens") or 0), time.perf_counter() - started, prompt_tokens)

    # -- the server's models ----------------------------------------------------------
    def list_models(self) -> list[str]:
        data = self._request("GET", "/models", None, None)
        return [str(m.get("id")) for m in data.get("data", []) if isinstance(m, dict)]

    def check(self) -> list[str]:
        """Raise a plain error unless the server answers and has the configured model."""
        models = self.list_models()
        if models and self.config.model not in models:
            raise ServerError(f"The server at {self.config.base_url} has no model named '{self.config.model}'. "
                              f"It has: {', '.join(models)}.")
        return models

    # -- HTTP -------------------------------------------------------------------------
    def _request(self, method: str, path: str, body: Any, cancel: CancelToken | None) -> dict:
        wait, last_error = self.config.backoff, ""
        for attempt in range(self.config.retries + 1):
            if cancel and cancel.cancelled:
                raise Cancelled()
            try:
                status, payload = self._once(method, path, body, cancel)
            except (OSError, http.client.HTTPException) as exc:
                if cancel and cancel.cancelled:
                    raise Cancelled() from exc
                if isinstance(exc, TimeoutError):
                    raise ServerUnavailable(f"The server at {self.config.base_url} did not answer within "
                                            f"{self.config.timeout:g} seconds.", repr(exc)) from exc
                last_error = repr(exc)
            else:
                if status < 400:
                    return payload
                if status < 500:
                    raise self._client_error(status, payload)
                last_error = f"HTTP {status}: {str(payload)[:300]}"
            if attempt < self.config.retries:
                self._sleep(wait, cancel)
                wait *= 2
        raise ServerUnavailable(f"The server at {self.config.base_url} is not answering. Check that it is "
                                "running; the run waits and tries again.", last_error)

    def _once(self, method: str, path: str, body: Any, cancel: CancelToken | None) -> tuple[int, dict]:
        cls = http.client.HTTPSConnection if self._scheme == "https" else http.client.HTTPConnection
        conn = cls(self._host, self._port, timeout=self.config.timeout)
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        done = threading.Event()
        if cancel is not None:  # close the connection promptly when cancelled mid-request
            threading.Thread(target=self._watch, args=(conn, cancel, done), daemon=True).start()
        try:
            conn.request(method, self._prefix + path, json.dumps(body) if body is not None else None, headers)
            response = conn.getresponse()
            raw = response.read()
        finally:
            done.set()
            conn.close()
        try:
            payload = json.loads(raw.decode("utf-8") or "{}")
        except ValueError:
            payload = {"error": {"message": raw[:300].decode("utf-8", "replace")}}
        return response.status, payload if isinstance(payload, dict) else {"data": payload}

    @staticmethod
    def _watch(conn: http.client.HTTPConnection, cancel: CancelToken, done: threading.Event) -> None:
        while not done.wait(0.05):
            if cancel.cancelled:
                if conn.sock is not None:
                    with contextlib.suppress(OSError):
                        conn.sock.shutdown(2)
                return

    @staticmethod
    def _sleep(seconds: float, cancel: CancelToken | None) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if cancel and cancel.cancelled:
                raise Cancelled()
            time.sleep(min(0.05, left))

    def _client_error(self, status: int, payload: dict) -> Exception:
        error = payload.get("error") if isinstance(payload.get("error"), dict) else {}
        message = str(error.get("message") or payload.get("detail") or payload)[:500]
        if error.get("code") == "context_length_exceeded" or "context length" in message.lower():
            return ContextOverflow("This request is too long for the server's model context.", message)
        if status in (401, 403):
            return ServerError("The server refused the request: check the API key.", message)
        if status == 404:
            return ServerError(f"The server has no model named '{self.config.model}' (or no chat endpoint). "
                               "Use 'Test connection' to see its models.", message)
        return ServerError(f"The server rejected the request (HTTP {status}).", message)
