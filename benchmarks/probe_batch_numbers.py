"""Why batched answers can differ from one-at-a-time answers in llama.cpp (issue 23): a probe.

Each part loads SmolLM2 (or `--model`) with or without flash attention and compares numbers
that should be equal if llama.cpp's arithmetic did not depend on how the work is batched:

1. split: one prompt decoded in one piece vs with its last `k` tokens (before the final two)
   in a batch of their own; the largest difference in the final logits.
2. pick: `answer_logprobs_many` (several questions together) vs `answer_logprobs` of each, on
   the same engine loaded for 4 sequences; and the one-question call on an engine loaded for
   one sequence vs for 4.
3. generation (`--generate N`): N greedy answers one at a time (engine for one sequence) vs
   batched (4 sequences), with and without flash attention; how many are identical.

    nice -n 10 .venv/bin/python benchmarks/probe_batch_numbers.py [--threads 1] [--generate 16]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests")]
os.environ.setdefault("DEBOP_SAFE_CPU", "1")

from debop_desktop.core.llm.base import ChatMessage, ChatRequest, GenerationParams  # noqa: E402
from debop_desktop.core.llm.batched import BatchDecoder  # noqa: E402
from debop_desktop.core.llm.llama_engine import LlamaEngine  # noqa: E402
from debop_desktop.core.optimizer.calibrated import answer_forms  # noqa: E402

SYSTEM = ChatMessage("system", "Say whether the number is even. Answer with just yes or no.\n"
                               "Example: Is 4 even? yes. Is 7 even? no.")


def engine(model: str, parallel: int, flash: bool, threads: int) -> LlamaEngine:
    """The app's engine, with flash attention on or off (the app has it off)."""

    class Engine(LlamaEngine):
        def _construct(self, path: str, n_ctx: int, n_gpu_layers: int, seed: int) -> Any:
            from llama_cpp import Llama

            from debop_desktop.core.cpu import model_params_without_extra_bufts
            from debop_desktop.core.llm.batched import batch_context, context_params_for_batches

            guard = contextlib.nullcontext() if self.extra_bufts else model_params_without_extra_bufts()
            with guard, context_params_for_batches(self.n_parallel):
                return Llama(model_path=path, n_ctx=batch_context(n_ctx, self.n_parallel), n_gpu_layers=0,
                             seed=seed, n_threads=self.n_threads, n_threads_batch=self.n_threads, verbose=False,
                             flash_attn=flash)

    e = Engine(n_threads=threads)
    e.load(model, n_ctx=1024, n_parallel=parallel)
    return e


def split(e: LlamaEngine, cuts: list[int]) -> dict[int, float]:
    tokens, _ = e.render_prompt([ChatMessage("system", "Say whether the number is even. " * 12),
                                 ChatMessage("user", "Is 12 even?")])
    d = BatchDecoder(e._llm, e.n_parallel, 1024)
    lib, n = d.lib, len(tokens)

    def final_logits(points: list[int]) -> np.ndarray:
        d._reset()
        batch = lib.llama_batch_init(d.n_batch, 0, d.slots + 1)
        try:
            bounds = [0, *points, n]
            for a, z in zip(bounds, bounds[1:], strict=False):
                for k, i in enumerate(range(a, z)):
                    d._put(batch, k, tokens[i], i, 0, i == n - 1)
                batch.n_tokens = z - a
                d._decode(batch)
            return np.ctypeslib.as_array(lib.llama_get_logits_ith(d.ctx, batch.n_tokens - 1),
                                         shape=(d.n_vocab,)).copy()
        finally:
            lib.llama_batch_free(batch)
            d._reset()

    whole = final_logits([n - 2])
    return {k: float(np.abs(final_logits([n - 2 - k, n - 2]) - whole).max()) for k in cuts if n - 2 - k > 0}


def items(n: int) -> list[tuple[list[ChatMessage], list[str]]]:
    forms = [f for a in ("yes", "no") for f in answer_forms(a)]
    return [([SYSTEM, ChatMessage("user", f"Is {i * 7 + 3} even?")], forms) for i in range(n)]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--questions", type=int, default=12)
    p.add_argument("--generate", type=int, default=0, help="greedy answers to compare (48 tokens each)")
    args = p.parse_args()
    if not args.model:
        from fetch_test_models import smollm2_path

        args.model = str(smollm2_path())
    asked = items(args.questions)
    alone: dict[int, list[list[float]]] = {}
    for flash in (True, False):
        e = engine(args.model, 4, flash, args.threads)
        try:
            print(f"flash {flash}: split, largest logit difference by middle batch size:",
                  {k: round(v, 6) for k, v in split(e, [1, 2, 8, 32, 64, 80]).items()}, flush=True)
            one = [e.answer_logprobs(m, a) for m, a in asked]
            many = e.answer_logprobs_many(asked)
            print(f"flash {flash}: {args.questions} picks together equal to the one-question call: "
                  f"{sum(x == y for x, y in zip(one, many, strict=True))}/{len(asked)}, largest difference "
                  f"{max(abs(a - b) for x, y in zip(one, many, strict=True) for a, b in zip(x, y, strict=True)):.2e}",
                  flush=True)
            if not flash:
                alone[4] = one
        finally:
            e.unload()
    e = engine(args.model, 1, False, args.threads)
    try:
        alone[1] = [e.answer_logprobs(m, a) for m, a in asked]
    finally:
        e.unload()
    diffs = [max(abs(a - b) for a, b in zip(x, y, strict=True)) for x, y in zip(alone[1], alone[4], strict=True)]
    print(f"no flash: one-question call, engine for 1 vs 4 sequences: {sum(d == 0 for d in diffs)}/{len(diffs)} "
          f"equal, largest difference {max(diffs):.3f}", flush=True)
    if args.generate:
        generate(args)


def generate(args: argparse.Namespace) -> None:
    requests = [ChatRequest((ChatMessage("system", "You solve sums. Think step by step, then give the answer."),
                             ChatMessage("user", f"What is {i % 97} + {(i * 7) % 89}?")),
                            GenerationParams(max_tokens=48)) for i in range(args.generate)]
    e = engine(args.model, 1, False, args.threads)
    try:
        one = [e.chat(r.messages, r.params).text for r in requests]
    finally:
        e.unload()
    for flash in (True, False):
        e = engine(args.model, 4, flash, args.threads)
        try:
            many = [c.text if c else "" for c in e.chat_many(requests)]
            alone = [e.chat(r.messages, r.params).text for r in requests]
        finally:
            e.unload()
        print(f"flash {flash}: greedy answers, batched = one at a time (engine for 1 sequence): "
              f"{sum(a == b for a, b in zip(one, many, strict=True))}/{len(requests)}; batched = one at a time "
              f"on the same engine: {sum(a == b for a, b in zip(alone, many, strict=True))}/{len(requests)}",
              flush=True)


if __name__ == "__main__":
    main()
