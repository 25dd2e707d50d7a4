"""The in-process llama.cpp backend (llama-cpp-python).

One model per engine, and one process-wide lock around every llama.cpp call, so the UI,
a run and a quick test can never drive the library from two threads at once.

Prefix reuse is the engine's main speed lever: llama-cpp-python keeps the previous call's
tokens in its KV cache and evaluates only what differs. The engine never resets the
context between calls, and counts prompt tokens submitted vs actually evaluated.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from debop_desktop.core import messages as msg
from debop_desktop.core.cpu import extra_bufts_default, model_params_without_extra_bufts
from debop_desktop.core.errors import (
    Cancelled,
    ContextOverflow,
    DebopError,
    ModelLoadError,
    NoModelLoaded,
)
from debop_desktop.core.gguf_info import check_gguf_file
from debop_desktop.core.llm.answer_scores import answer_tokens, score_questions
from debop_desktop.core.llm.base import (
    CancelToken,
    ChatMessage,
    ChatRequest,
    Completion,
    GenerationParams,
    OnText,
)
from debop_desktop.core.llm.batched import BatchDecoder, Job, batch_context, context_params_for_batches
from debop_desktop.core.llm.templates import render_chat

LLAMA_LOCK = threading.RLock()
DEFAULT_CONTEXT = 2048  # when the caller names none; the library passes the model's own (capped)


def default_threads() -> int:
    """One core left free: on 2 cores, 2 threads plus any other busy process was 10x slower."""
    return max(1, (os.cpu_count() or 2) - 1)


@dataclass(frozen=True)
class EngineCounters:
    calls: int = 0
    prompt_tokens_submitted: int = 0
    prompt_tokens_processed: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0

    @property
    def reuse_ratio(self) -> float:
        """Submitted / processed prompt tokens (1.0 = no reuse)."""
        return self.prompt_tokens_submitted / max(1, self.prompt_tokens_processed)

    def plus(self, c: Completion) -> EngineCounters:
        return EngineCounters(self.calls + 1, self.prompt_tokens_submitted + c.prompt_tokens,
                              self.prompt_tokens_processed + c.prompt_tokens_processed,
                              self.completion_tokens + c.completion_tokens, self.seconds + c.seconds)


@dataclass(frozen=True)
class LoadedModel:
    path: str
    name: str
    chat_template: str | None
    trained_context: int | None
    n_ctx: int
    n_gpu_layers: int
    n_threads: int
    load_seconds: float
    note: str = ""  # e.g. "GPU load failed; running on the processor"
    extra_bufts: bool = True  # ggml's extra buffer types (weight repacking, AMX) were allowed
    n_parallel: int = 1  # sequences decoded together by `chat_many` (1 = one at a time)


class EngineState:
    """What the in-process engine and the worker's parent side share: the loaded model's
    description, its fingerprint and the call counters."""

    _loaded: LoadedModel | None = None
    _fingerprint = ""
    _counters = EngineCounters()

    @property
    def loaded(self) -> LoadedModel | None:
        return self._loaded

    @property
    def fingerprint(self) -> str:
        return self._fingerprint

    @property
    def context_length(self) -> int:
        return self._require().n_ctx

    @property
    def parallel(self) -> int:
        """How many requests `chat_many` decodes together."""
        return self._loaded.n_parallel if self._loaded is not None else 1

    def counters(self) -> EngineCounters:
        return self._counters

    def reset_counters(self) -> None:
        self._counters = EngineCounters()

    def _require(self) -> LoadedModel:
        if self._loaded is None:
            raise NoModelLoaded(msg.MODEL_NOT_LOADED)
        return self._loaded


class LlamaEngine(EngineState):
    """A `ChatBackend` over llama-cpp-python. Load a model, then `chat()`."""

    def __init__(self, n_threads: int | None = None, extra_bufts: bool | None = None) -> None:
        self.n_threads = n_threads or default_threads()
        self.n_parallel = 1
        # None: on unless the processor reports AMX (see core/cpu.py)
        self.extra_bufts = extra_bufts_default() if extra_bufts is None else extra_bufts
        self._llm: Any = None
        self._loaded: LoadedModel | None = None
        self._fingerprint = ""
        self._counters = EngineCounters()
        self._prompt_evals: list[int] = []

    # -- lifecycle --------------------------------------------------------------------
    def load(
        self,
        path: str | os.PathLike[str],
        *,
        n_ctx: int | None = None,
        n_gpu_layers: int = 0,
        fingerprint: str | None = None,
        seed: int = 0,
        n_parallel: int = 1,
    ) -> LoadedModel:
        """Load a GGUF (unloading any previous model). Falls back to the CPU when a GPU
        load fails. Raises `BadModelFile` or `ModelLoadError` with a plain message.

        Metadata comes from llama.cpp itself: re-reading the header with the `gguf` reader
        costs seconds on a large vocabulary, and the library already validated the file."""
        model_path = check_gguf_file(path)
        name = model_path.stem
        n_ctx = n_ctx or DEFAULT_CONTEXT
        self.n_parallel = n_parallel = max(1, int(n_parallel))
        with LLAMA_LOCK:
            self.unload()
            started = time.perf_counter()
            note = ""
            try:
                llm = self._construct(str(model_path), n_ctx, n_gpu_layers, seed)
            except Exception as exc:
                _raise_if_template_error(exc, name)
                if n_gpu_layers == 0:
                    raise ModelLoadError(msg.MODEL_LOAD_FAILED.format(name=name), repr(exc)) from exc
                note = "The graphics card could not take the model; it runs on the processor."
                n_gpu_layers = 0
                try:
                    llm = self._construct(str(model_path), n_ctx, 0, seed)
                except Exception as exc2:
                    raise ModelLoadError(msg.MODEL_LOAD_FAILED.format(name=name), repr(exc2)) from exc2
            meta = dict(llm.metadata or {})
            arch = meta.get("general.architecture", "")
            trained = meta.get(f"{arch}.context_length")
            self._llm = llm
            self._install_eval_counter(llm)
            self._fingerprint = fingerprint or path_fingerprint(model_path)
            self._loaded = LoadedModel(
                path=str(model_path), name=meta.get("general.name") or name,
                chat_template=meta.get("tokenizer.chat_template") or None,
                trained_context=int(trained) if str(trained).isdigit() else None,
                n_ctx=min(n_ctx, llm.n_ctx()), n_gpu_layers=n_gpu_layers, n_threads=self.n_threads,
                load_seconds=time.perf_counter() - started, note=note, extra_bufts=self.extra_bufts,
                n_parallel=n_parallel,
            )
            return self._loaded

    def _construct(self, path: str, n_ctx: int, n_gpu_layers: int, seed: int) -> Any:
        """The context holds `n_ctx` for one conversation plus room for the other sequences
        of a batch, in one unified KV cache with a spare sequence for their shared prefix.
        One at a time (`n_parallel` 1) it has just that spare sequence (for answer probabilities).
        No flash attention: with it a token's numbers depend on how many tokens its batch holds
        (SmolLM2's logits moved by up to 0.8 when one prompt was decoded in other pieces), so
        batched answers and picks would not be what one question at a time gives (docs/benchmarks.md)."""
        from llama_cpp import Llama

        guard = contextlib.nullcontext() if self.extra_bufts else model_params_without_extra_bufts()
        with guard, context_params_for_batches(self.n_parallel):
            return Llama(
                model_path=path, n_ctx=batch_context(n_ctx, self.n_parallel), n_gpu_layers=n_gpu_layers,
                seed=seed, n_threads=self.n_threads, n_threads_batch=self.n_threads, verbose=False,
                flash_attn=False,
            )

    def _install_eval_counter(self, llm: Any) -> None:
        """Record how many tokens each llama.cpp eval receives. In `Llama.generate` the
        first eval of a call is the part of the prompt not reused from the KV cache."""
        original = llm.eval

        def counting_eval(tokens: Sequence[int]) -> None:
            self._prompt_evals.append(len(tokens))
            return original(tokens)

        llm.eval = counting_eval

    def unload(self) -> None:
        with LLAMA_LOCK:
            if self._llm is not None:
                self._llm.close()
            self._llm = None
            self._loaded = None

    # -- ChatBackend ------------------------------------------------------------------
    def count_tokens(self, text: str) -> int:
        with LLAMA_LOCK:
            return len(self._require_llm().tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def render_prompt(self, messages: Sequence[ChatMessage]) -> tuple[list[int], tuple[str, ...]]:
        """The exact prompt tokens and extra stop strings for these messages."""
        llm = self._require_llm()
        model = llm._model
        bos_id, eos_id = llm.token_bos(), llm.token_eos()
        bos = model.token_get_text(bos_id) if bos_id != -1 else ""
        eos = model.token_get_text(eos_id) if eos_id != -1 else ""
        rendered = render_chat(messages, self._require().chat_template, bos, eos)
        add_bos = not rendered.adds_bos_itself and bool(model.add_bos_token()) and bos_id != -1
        tokens = llm.tokenize(rendered.text.encode("utf-8"), add_bos=add_bos, special=True)
        return tokens, rendered.stop

    def chat(
        self,
        messages: Sequence[ChatMessage],
        params: GenerationParams,
        cancel: CancelToken | None = None,
        on_text: OnText | None = None,
        on_rendered: Callable[[], None] | None = None,
    ) -> Completion:
        """`on_rendered` is called once the chat template has been applied (the worker
        reports it, so its parent can tell a hung template from a long generation)."""
        with LLAMA_LOCK:
            return self._chat_locked(messages, params, cancel, on_text, on_rendered)

    def _chat_locked(self, messages, params, cancel, on_text, on_rendered=None) -> Completion:
        from llama_cpp import StoppingCriteriaList

        llm = self._require_llm()
        if cancel and cancel.cancelled:
            raise Cancelled()
        started = time.perf_counter()
        tokens, extra_stops = self.render_prompt(messages)
        if on_rendered is not None:
            on_rendered()
        n_ctx = self._require().n_ctx
        if len(tokens) + min(params.max_tokens, 16) >= n_ctx:
            raise ContextOverflow(msg.CONTEXT_OVERFLOW.format(prompt=len(tokens), n_ctx=n_ctx))
        sampled = 0

        def stop_requested(_ids: Any, _logits: Any) -> bool:
            # Also enforces max_tokens: llama-cpp-python 0.3.36 skips its own length check
            # while the output ends inside a multi-byte character, and overruns.
            nonlocal sampled
            sampled += 1
            return sampled > params.max_tokens or bool(cancel and cancel.cancelled)

        self._prompt_evals = []
        grammar = _compile_grammar(params.grammar) if params.grammar else None
        pieces: list[str] = []
        finish = "length"
        # Stream only for a caller that shows text as it comes: llama-cpp-python's streaming
        # path re-decodes pending tokens on every step, which is slow on odd byte sequences.
        response = llm.create_completion(
            prompt=tokens, max_tokens=params.max_tokens, temperature=params.temperature,
            top_p=params.top_p, top_k=params.top_k, seed=params.seed,
            stop=list(params.stop) + list(extra_stops), stream=on_text is not None,
            stopping_criteria=StoppingCriteriaList([stop_requested]), grammar=grammar,
        )
        for chunk in response if on_text is not None else [response]:
            choice = chunk["choices"][0]
            if choice.get("text"):
                pieces.append(choice["text"])
                if on_text:
                    on_text(choice["text"])
            finish = choice.get("finish_reason") or finish
        # llama-cpp-python polls the stopping criteria once per sampled token and once
        # more after its loop ends, so the poll count is the tokens sampled plus one.
        generated = min(max(0, sampled - 1), params.max_tokens)
        if cancel and cancel.cancelled:
            raise Cancelled(generated)
        if generated >= params.max_tokens:
            finish = "length"
        processed = self._prompt_evals[0] if self._prompt_evals else 0
        completion = Completion(
            text="".join(pieces), finish_reason=finish, prompt_tokens=len(tokens),
            completion_tokens=generated, seconds=time.perf_counter() - started,
            prompt_tokens_processed=processed,
        )
        self._counters = self._counters.plus(completion)
        return completion

    def chat_many(self, requests: Sequence[ChatRequest], cancel: CancelToken | None = None) -> list[Completion | None]:
        """Generate replies for several requests; None for one whose prompt does not fit the
        context. With `n_parallel` > 1 they are decoded together (see batched.py); with 1,
        one after another exactly as `chat` would."""
        if cancel and cancel.cancelled:
            raise Cancelled()
        with LLAMA_LOCK:
            if self.n_parallel <= 1 or len(requests) <= 1:
                out: list[Completion | None] = []
                for r in requests:
                    try:
                        out.append(self._chat_locked(r.messages, r.params, cancel, None))
                    except ContextOverflow:
                        out.append(None)
                return out
            jobs = []
            for r in requests:
                tokens, stops = self.render_prompt(r.messages)
                jobs.append(Job(tokens, r.params, stops))
            for r in requests:
                if r.params.grammar:
                    _compile_grammar(r.params.grammar)  # a plain error for invalid GBNF
            decoder = BatchDecoder(self._require_llm(), self.n_parallel, self._require().n_ctx)
            results = decoder.generate(jobs, cancel)
            for c in results:
                if c is not None:
                    self._counters = self._counters.plus(c)
            return results

    def answer_logprobs(self, messages: Sequence[ChatMessage], answers: Sequence[str],
                        cancel: CancelToken | None = None) -> list[float]:
        """For each answer, the summed log-probability (natural log) of its tokens as the
        start of the assistant's reply to `messages`."""
        with LLAMA_LOCK:
            prompt, lists = self._answer_tokens(messages, answers)
            return self._decoder().answer_logprobs(prompt, lists, cancel)

    def answer_logprobs_many(self, items: Sequence[tuple[Sequence[ChatMessage], Sequence[str]]],
                             cancel: CancelToken | None = None) -> list[list[float] | None]:
        """`answer_logprobs` of each (messages, answers), equal to it, None where the prompt
        does not fit the context. With `n_parallel` > 1 the questions are scored together
        (answer_scores.py); with 1, one after another."""
        with LLAMA_LOCK:
            rendered: list[tuple[list[int], list[list[int]]] | None] = []
            for messages, answers in items:
                try:
                    rendered.append(self._answer_tokens(messages, answers))
                except ContextOverflow:
                    rendered.append(None)
            decoder, fits = self._decoder(), [r for r in rendered if r is not None]
            if self.n_parallel > 1 and len(fits) > 1:
                scored = iter(score_questions(decoder, fits, cancel))
                return [None if r is None else next(scored) for r in rendered]
            return [None if r is None else decoder.answer_logprobs(r[0], r[1], cancel) for r in rendered]

    def _answer_tokens(self, messages: Sequence[ChatMessage], answers: Sequence[str]
                       ) -> tuple[list[int], list[list[int]]]:
        prompt, _ = self.render_prompt(messages)
        return list(prompt), answer_tokens(self._require_llm(), prompt, answers, self._require().n_ctx)

    def _decoder(self) -> BatchDecoder:
        return BatchDecoder(self._require_llm(), self.n_parallel, self._require().n_ctx)

    def _require_llm(self) -> Any:
        self._require()
        return self._llm


def _raise_if_template_error(exc: Exception, name: str) -> None:
    """llama-cpp-python compiles the file's chat templates while loading; a template with a
    syntax error is the file's fault, not memory's, and says so."""
    if type(exc).__module__.startswith("jinja2"):
        raise ModelLoadError(msg.CHAT_TEMPLATE_BROKEN.format(name=name), repr(exc)) from exc


def _compile_grammar(text: str) -> Any:
    """A llama.cpp grammar from GBNF text; a plain error when the text is not valid GBNF."""
    from llama_cpp import LlamaGrammar

    try:
        return LlamaGrammar.from_string(text, verbose=False)
    except Exception as exc:
        raise DebopError(msg.GRAMMAR_INVALID, repr(exc)) from exc


def path_fingerprint(path: Path) -> str:
    st = path.stat()
    return f"file:{path.name}:{st.st_size}:{int(st.st_mtime)}"
