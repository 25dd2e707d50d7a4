"""Several generations decoded together: one llama.cpp batch per step, one sequence each.

Dev questions of one candidate share the demonstration and differ only in their last
few dozen tokens. The shared prefix is decoded once into its own sequence and copied to
each slot (`llama_memory_seq_cp`, which needs a unified KV cache); each step then decodes
one token of every active sequence in a single batch, so the model's weights are read once
per step for all of them (matrix-matrix work instead of matrix-vector). A sequence that
finishes frees its slot and its KV cells for the next request, as llama.cpp's server slots
do. Sampling runs in llama.cpp's own sampler chain per sequence (grammar, then greedy or
top-k / top-p / min-p / temperature / seeded draw), the same chain llama-cpp-python builds.

Batched and one-at-a-time greedy outputs can differ: llama.cpp computes a batch of one token
(every step one at a time) another way than a batch of several, so near-ties between two tokens
can flip (docs/benchmarks.md, issue 23).
"""

from __future__ import annotations

import contextlib
import ctypes
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from debop_desktop.core import messages as msg
from debop_desktop.core.errors import Cancelled, DebopError
from debop_desktop.core.llm.base import CancelToken, Completion, GenerationParams

MIN_P = 0.05  # llama-cpp-python's default for sampled (temperature > 0) completions
SEQUENCE_ROOM = 512  # KV cells added per extra sequence: a question and its answer


def batch_context(n_ctx: int, slots: int) -> int:
    """KV cells for one conversation of `n_ctx` plus `slots - 1` more sequences that share
    its prefix (each a question and its answer)."""
    return n_ctx + max(0, slots - 1) * min(n_ctx, SEQUENCE_ROOM)


@contextlib.contextmanager
def context_params_for_batches(slots: int) -> Iterator[None]:
    """While active, llama-cpp-python's `Llama()` makes its context with room for
    `slots + 1` sequences (the slots and their shared prefix) in one unified KV cache, which
    `llama_memory_seq_cp` requires. llama-cpp-python 0.3.36 has no argument for either; it
    builds its context parameters from `llama_context_default_params()`, wrapped here for one
    load. Callers hold the llama.cpp lock (no concurrent loads)."""
    import llama_cpp.llama_cpp as native

    original = native.llama_context_default_params

    def batched_defaults() -> Any:
        params = original()
        params.n_seq_max = slots + 1
        params.kv_unified = True
        return params

    native.llama_context_default_params = batched_defaults
    try:
        yield
    finally:
        native.llama_context_default_params = original


@dataclass(frozen=True)
class Job:
    """One request, rendered: its prompt tokens, settings and extra stop strings."""

    tokens: Sequence[int]
    params: GenerationParams
    extra_stops: tuple[str, ...] = ()


@dataclass
class _Slot:
    job_index: int
    job: Job
    sampler: Any
    pending: list[int]  # prompt tokens not yet decoded
    pos: int  # the next position in this sequence
    budget: int  # tokens it may still generate
    out: bytearray = field(default_factory=bytearray)
    generated: int = 0
    last: int | None = None  # the token sampled last step, decoded next step
    batch_index: int = -1  # where this sequence's logits are in the current batch
    finish: str = "length"
    stops: tuple[bytes, ...] = ()  # stop strings, encoded once


def common_prefix(token_lists: Sequence[Sequence[int]]) -> int:
    """Length of the prefix all lists share, leaving each at least one token of its own
    (its last prompt token must be decoded in its own sequence to give its logits)."""
    if not token_lists:
        return 0
    first = token_lists[0]
    n = min(len(t) for t in token_lists) - 1
    for other in token_lists[1:]:
        i = 0
        while i < n and other[i] == first[i]:
            i += 1
        n = i
    return max(0, n)


class BatchDecoder:
    """Decodes many requests on one llama-cpp-python `Llama` whose context was made with
    `n_seq_max = slots + 1` and a unified KV cache. Sequence `slots` holds the shared prefix;
    0 … slots-1 are the slots. Leaves the KV cache empty and the `Llama` told so."""

    def __init__(self, llm: Any, slots: int, per_sequence_ctx: int) -> None:
        import llama_cpp

        self.lib, self.llm, self.slots = llama_cpp, llm, max(1, slots)
        self.ctx, self.vocab = llm._ctx.ctx, llm._model.vocab
        self.mem = llama_cpp.llama_get_memory(self.ctx)
        self.n_ctx = int(llama_cpp.llama_n_ctx(self.ctx))
        self.n_batch = int(llama_cpp.llama_n_batch(self.ctx))
        self.n_vocab = int(llm.n_vocab())
        self.per_sequence_ctx = per_sequence_ctx
        self.prefix_seq = self.slots
        self._one = llama_cpp.llama_token_data()  # a one-token candidate list for grammar checks
        self._one_array = llama_cpp.llama_token_data_array(ctypes.pointer(self._one), 1, -1, False)

    # -- generation -----------------------------------------------------------------------
    def generate(self, jobs: Sequence[Job], cancel: CancelToken | None = None) -> list[Completion | None]:
        """One result per job, in order; None for a prompt that does not fit the context
        (the same rule as a single chat call)."""
        results: list[Completion | None] = [None] * len(jobs)
        fits = [i for i, j in enumerate(jobs)
                if len(j.tokens) + min(j.params.max_tokens, 16) < self.per_sequence_ctx]
        if not fits:
            return results
        started = time.perf_counter()
        prefix = list(jobs[fits[0]].tokens[:common_prefix([jobs[i].tokens for i in fits])])
        prefix = prefix[: max(0, self.n_ctx // 2)]  # leave room for the sequences themselves
        self._reset()
        batch = self.lib.llama_batch_init(self.n_batch, 0, self.slots + 1)
        try:
            self._decode_prefix(batch, prefix, cancel)
            done = self._run(batch, jobs, deque(fits), len(prefix), results, cancel)
        finally:
            self.lib.llama_batch_free(batch)
            self._reset()
        wall = time.perf_counter() - started
        finished = [c for c in results if c is not None]
        total = sum(c.completion_tokens for c in finished)
        for i in done:  # share the wall time by generated tokens: the speed shown stays true
            c = results[i]
            assert c is not None
            share = c.completion_tokens / total if total else 1 / len(done)
            processed = len(jobs[i].tokens) - len(prefix) + (len(prefix) if i == done[0] else 0)
            results[i] = replace(c, seconds=wall * share, prompt_tokens_processed=processed)
        return results

    def _run(self, batch: Any, jobs: Sequence[Job], queue: deque[int], p: int, results: list,
             cancel: CancelToken | None) -> list[int]:
        free = list(range(self.slots))
        active: dict[int, _Slot] = {}
        finished: list[int] = []
        reserved = p
        while queue or active:
            if cancel is not None and cancel.cancelled:
                raise Cancelled(sum(s.generated for s in active.values()))
            while queue and free:  # admit while the KV cache has room for the whole answer
                job = jobs[queue[0]]
                need = len(job.tokens) - p + job.params.max_tokens
                if active and reserved + need > self.n_ctx:
                    break
                i = queue.popleft()
                seq = free.pop(0)
                budget = min(job.params.max_tokens, max(1, self.n_ctx - reserved - (len(job.tokens) - p)))
                reserved += len(job.tokens) - p + budget
                if p:
                    self.lib.llama_memory_seq_cp(self.mem, self.prefix_seq, seq, -1, -1)
                stops = tuple(x.encode("utf-8") for x in (*job.params.stop, *job.extra_stops) if x)
                active[seq] = _Slot(i, job, self._sampler(job.params), list(job.tokens[p:]), p, budget, stops=stops)
            self._fill(batch, active)
            self._decode(batch)
            for seq, slot in list(active.items()):
                if slot.batch_index < 0:
                    continue
                if self._step(slot, seq):
                    results[slot.job_index] = self._completion(slot)
                    finished.append(slot.job_index)
                    self.lib.llama_memory_seq_rm(self.mem, seq, -1, -1)
                    self.lib.llama_sampler_free(slot.sampler)
                    reserved -= len(slot.job.tokens) - p + slot.budget
                    del active[seq]
                    free.append(seq)
                    free.sort()
        return finished

    def _fill(self, batch: Any, active: dict[int, _Slot]) -> None:
        """One batch: each generating sequence's last token, then as much pending prompt
        as fits (a sequence's logits are read only after its last prompt token)."""
        n = 0
        for seq, slot in active.items():
            slot.batch_index = -1
            if not slot.pending and slot.last is not None:
                self._put(batch, n, slot.last, slot.pos, seq, True)
                slot.pos += 1
                slot.batch_index = n
                n += 1
        for seq, slot in active.items():
            while slot.pending and n < self.n_batch:
                token = slot.pending.pop(0)
                last = not slot.pending
                self._put(batch, n, token, slot.pos, seq, last)
                slot.pos += 1
                if last:
                    slot.batch_index = n
                n += 1
        batch.n_tokens = n

    def _step(self, slot: _Slot, seq: int) -> bool:
        """Sample this sequence's next token; True when it has finished."""
        token = self._sample(slot)
        if self.lib.llama_vocab_is_eog(self.vocab, token):  # counted, as a single call counts it
            slot.generated += 1
            slot.finish = "stop"
            return True
        slot.generated += 1
        slot.out += self._piece(token)
        hit = [s for s in slot.stops if s in slot.out]
        if hit:
            del slot.out[slot.out.index(hit[0]):]
            slot.finish = "stop"
            return True
        if slot.generated >= slot.budget:
            slot.finish = "length"
            return True
        slot.last = token
        return False

    def _sample(self, slot: _Slot) -> int:
        """Greedy: the most likely token, checked against the grammar alone first (as
        llama.cpp's common sampler does); only when the grammar refuses it is the whole
        vocabulary filtered. The result equals filtering first: the best token the grammar
        allows. Sampled (temperature > 0) requests always run the whole chain."""
        if not slot.job.params.greedy:
            return int(self.lib.llama_sampler_sample(slot.sampler, self.ctx, slot.batch_index))
        logits = np.ctypeslib.as_array(self.lib.llama_get_logits_ith(self.ctx, slot.batch_index),
                                       shape=(self.n_vocab,))
        best = int(np.argmax(logits))
        if slot.job.params.grammar:
            self._one.id, self._one.logit, self._one.p = best, float(logits[best]), 0.0
            self._one_array.size, self._one_array.selected, self._one_array.sorted = 1, -1, False
            grammar = self.lib.llama_sampler_chain_get(slot.sampler, 0)
            self.lib.llama_sampler_apply(grammar, ctypes.byref(self._one_array))
            if not np.isfinite(self._one.logit):  # refused: filter the whole vocabulary
                return int(self.lib.llama_sampler_sample(slot.sampler, self.ctx, slot.batch_index))
        self.lib.llama_sampler_accept(slot.sampler, best)
        return best

    def _completion(self, slot: _Slot) -> Completion:
        """Its share of the batch's time and the prompt it processed are set by `generate`."""
        return Completion(slot.out.decode("utf-8", errors="ignore"), slot.finish, len(slot.job.tokens),
                          slot.generated, 0.0, 0)

    # -- answer probabilities ------------------------------------------------------------
    def answer_logprobs(self, prompt: Sequence[int], answers: Sequence[Sequence[int]],
                        cancel: CancelToken | None = None) -> list[float]:
        """For each answer, the summed log-probability of its tokens following `prompt`."""
        if not answers:
            return []
        self._reset()
        batch = self.lib.llama_batch_init(self.n_batch, 0, self.slots + 1)
        try:
            self._decode_prefix(batch, list(prompt[:-1]), cancel)
            out: list[float] = []
            for start in range(0, len(answers), self.slots):
                if cancel is not None and cancel.cancelled:
                    raise Cancelled()
                group = answers[start:start + self.slots]
                out.extend(self._score_group(batch, prompt, group))
            return out
        finally:
            self.lib.llama_batch_free(batch)
            self._reset()

    def _score_group(self, batch: Any, prompt: Sequence[int], group: Sequence[Sequence[int]]) -> list[float]:
        p = len(prompt) - 1
        n, where = 0, []
        for seq, answer in enumerate(group):
            if p:
                self.lib.llama_memory_seq_cp(self.mem, self.prefix_seq, seq, -1, -1)
            toks = [prompt[-1], *answer]
            idx = []
            for k, token in enumerate(toks[:-1] if len(toks) > 1 else toks):
                if n >= self.n_batch:
                    raise DebopError(msg.ANSWERS_TOO_LONG, f"{len(toks)} tokens, batch {self.n_batch}")
                self._put(batch, n, token, p + k, seq, True)
                idx.append(n)
                n += 1
            where.append((idx, list(answer)))
        batch.n_tokens = n
        self._decode(batch)
        scores = []
        for seq, (idx, answer) in enumerate(where):
            total = 0.0
            for i, token in zip(idx, answer, strict=False):
                total += float(self._log_softmax(i)[token])
            scores.append(total)
            self.lib.llama_memory_seq_rm(self.mem, seq, -1, -1)
        return scores

    # -- plumbing -------------------------------------------------------------------------
    def _decode_prefix(self, batch: Any, prefix: list[int], cancel: CancelToken | None) -> None:
        for start in range(0, len(prefix), self.n_batch):
            if cancel is not None and cancel.cancelled:
                raise Cancelled()
            chunk = prefix[start:start + self.n_batch]
            for k, token in enumerate(chunk):
                self._put(batch, k, token, start + k, self.prefix_seq, False)
            batch.n_tokens = len(chunk)
            self._decode(batch)

    def _put(self, batch: Any, n: int, token: int, pos: int, seq: int, logits: bool) -> None:
        batch.token[n] = token
        batch.pos[n] = pos
        batch.n_seq_id[n] = 1
        batch.seq_id[n][0] = seq
        batch.logits[n] = logits

    def _decode(self, batch: Any) -> None:
        if batch.n_tokens == 0:
            return
        rc = self.lib.llama_decode(self.ctx, batch)
        if rc != 0:
            raise DebopError(msg.BATCH_DECODE_FAILED, f"llama_decode returned {rc}")

    def _sampler(self, params: GenerationParams) -> Any:
        lib = self.lib
        chain = lib.llama_sampler_chain_init(lib.llama_sampler_chain_default_params())
        if params.grammar:
            grammar = lib.llama_sampler_init_grammar(self.vocab, params.grammar.encode("utf-8"), b"root")
            if not grammar:
                lib.llama_sampler_free(chain)
                raise DebopError(msg.GRAMMAR_INVALID, "llama_sampler_init_grammar returned NULL")
            lib.llama_sampler_chain_add(chain, grammar)
        if params.greedy:
            lib.llama_sampler_chain_add(chain, lib.llama_sampler_init_greedy())
        else:
            lib.llama_sampler_chain_add(chain, lib.llama_sampler_init_top_k(params.top_k))
            lib.llama_sampler_chain_add(chain, lib.llama_sampler_init_top_p(params.top_p, 1))
            lib.llama_sampler_chain_add(chain, lib.llama_sampler_init_min_p(MIN_P, 1))
            lib.llama_sampler_chain_add(chain, lib.llama_sampler_init_temp(params.temperature))
            lib.llama_sampler_chain_add(chain, lib.llama_sampler_init_dist(params.seed))
        return chain

    def _piece(self, token: int) -> bytes:
        buf = ctypes.create_string_buffer(64)
        n = self.lib.llama_token_to_piece(self.vocab, token, buf, len(buf), 0, False)
        if n < 0:
            buf = ctypes.create_string_buffer(-n)
            n = self.lib.llama_token_to_piece(self.vocab, token, buf, len(buf), 0, False)
        return buf.raw[:n]

    def _log_softmax(self, i: int) -> np.ndarray:
        ptr = self.lib.llama_get_logits_ith(self.ctx, i)
        logits = np.ctypeslib.as_array(ptr, shape=(self.n_vocab,)).astype(np.float64)
        top = logits.max()
        return logits - top - np.log(np.exp(logits - top).sum())

    def _reset(self) -> None:
        """An empty KV cache, and the `Llama` told so: its next call evaluates from scratch."""
        self.lib.llama_memory_clear(self.mem, True)
        self.llm.reset()
