"""A backend wrapper that remembers greedy completions in SQLite.

Greedy decoding is deterministic, so an identical request (same model file, same messages,
same parameters) gets the stored answer back instantly. Sampled requests are never cached.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence

from debop_desktop.core.llm.base import (
    CancelToken,
    ChatBackend,
    ChatMessage,
    ChatRequest,
    Completion,
    GenerationParams,
    OnText,
    logprobs_one_by_one,
    messages_json,
)
from debop_desktop.core.store import Store


def cache_key(fingerprint: str, messages: Sequence[ChatMessage], params: GenerationParams) -> str:
    raw = "\x00".join([fingerprint, messages_json(messages), params.cache_json()])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class CachedBackend:
    """Wraps any `ChatBackend`; same interface. Counts its hits and misses."""

    def __init__(self, inner: ChatBackend, store: Store) -> None:
        self.inner = inner
        self.store = store
        self.hits = 0
        self.misses = 0

    @property
    def fingerprint(self) -> str:
        return self.inner.fingerprint

    @property
    def context_length(self) -> int:
        return self.inner.context_length

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def chat(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams,
        cancel: CancelToken | None = None,
        on_text: OnText | None = None,
    ) -> Completion:
        if not self.cacheable(params):
            return self.inner.chat(messages, params, cancel, on_text)
        hit = self.lookup(messages, params)
        if hit is not None:
            if on_text and hit.text:
                on_text(hit.text)
            return hit
        result = self.inner.chat(messages, params, cancel, on_text)
        self.remember(messages, params, result)
        return result

    def answer_logprobs(self, messages: Sequence[ChatMessage], answers: Sequence[str],
                        cancel: CancelToken | None = None) -> list[float]:
        """Passed through uncached (a run records what it uses); NotImplementedError when the
        wrapped backend cannot score answers."""
        score = getattr(self.inner, "answer_logprobs", None)
        if score is None:
            raise NotImplementedError(f"{type(self.inner).__name__} cannot score answers")
        return score(messages, answers, cancel)

    def answer_logprobs_many(self, items: Sequence[tuple[Sequence[ChatMessage], Sequence[str]]],
                             cancel: CancelToken | None = None) -> list[list[float] | None]:
        """Passed through uncached, or one `answer_logprobs` after another when the wrapped
        backend has no call for several (None where a prompt does not fit)."""
        many = getattr(self.inner, "answer_logprobs_many", None)
        return many(items, cancel) if many is not None else logprobs_one_by_one(self, items, cancel)

    def chat_many(self, requests: Sequence[ChatRequest], cancel: CancelToken | None = None) -> list[Completion | None]:
        """Stored answers where there are some; the rest go to the model together."""
        out: list[Completion | None] = [self.lookup(r.messages, r.params) for r in requests]
        todo = [i for i, c in enumerate(out) if c is None]
        if todo:
            fresh = self.inner.chat_many([requests[i] for i in todo], cancel)
            for i, c in zip(todo, fresh, strict=True):
                out[i] = c
                if c is not None:
                    self.remember(requests[i].messages, requests[i].params, c)
        return out

    @property
    def parallel(self) -> int:
        return int(getattr(self.inner, "parallel", 1))

    def cacheable(self, params: GenerationParams) -> bool:
        return params.greedy and bool(self.fingerprint)

    def lookup(self, messages: Sequence[ChatMessage], params: GenerationParams) -> Completion | None:
        """The stored answer, or None (counts a hit or a miss). Call on the store's thread."""
        if not self.cacheable(params):
            return None
        key = cache_key(self.fingerprint, messages, params)
        row = self.store.execute(
            "SELECT text, finish_reason, prompt_tokens, completion_tokens, seconds "
            "FROM completions WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        self.store.execute("UPDATE completions SET hits = hits + 1 WHERE key = ?", (key,))
        return Completion(row[0], row[1], row[2], row[3], row[4], 0, cached=True)

    def remember(self, messages: Sequence[ChatMessage], params: GenerationParams, result: Completion) -> None:
        """Store a fresh greedy answer. Call on the store's thread."""
        if not self.cacheable(params) or result.cached:
            return
        self.store.execute(
            "INSERT OR REPLACE INTO completions (key, model_sha256, prompt_json, params_json, "
            "text, finish_reason, prompt_tokens, completion_tokens, seconds, hits, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
            (cache_key(self.fingerprint, messages, params), self.fingerprint, messages_json(messages),
             params.cache_json(), result.text, result.finish_reason, result.prompt_tokens,
             result.completion_tokens, result.seconds, time.time()),
        )


def cache_stats(store: Store) -> tuple[int, int]:
    """(saved answers, bytes of text they hold)."""
    n, size = store.execute("SELECT COUNT(*), COALESCE(SUM(LENGTH(prompt_json) + LENGTH(text)), 0) "
                            "FROM completions").fetchone()
    return int(n), int(size)


def clear_cache(store: Store) -> int:
    """Forget every saved answer; runs keep their own records. Returns how many were forgotten."""
    with store.transaction() as conn:
        return conn.execute("DELETE FROM completions").rowcount
